import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { sigV4 } from './aws-signing.ts';
import { isThrottling, isTransient, SDK_MAX_ATTEMPTS, sdkBackoff } from './sdk-retry.ts';

/** Longest wait for one answer, by default (these services answer in tens of milliseconds). */
const ATTEMPT_TIMEOUT_MS = 5_000;

/** An error answer as an adapter reports it; `retryCodes` are what the retry rules look at. */
export interface AwsAnswerError extends Error {
  readonly status: number;
  readonly code: string;
}

/** One operation of an AWS JSON-protocol service, sent as one signed request. */
export interface AwsJsonRequest {
  /** The signing name (`secretsmanager`, `sqs`, `kms`). */
  service: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** The service's endpoint; the request goes to its `/`. */
  endpoint: URL;
  /** `X-Amz-Target`, e.g. `secretsmanager.GetSecretValue`. */
  target: string;
  /** `application/x-amz-json-1.0` or `-1.1`, as the service's protocol says. */
  contentType: string;
  /** Further headers the SDK's client sends (`x-amzn-query-mode` for SQS). */
  headers?: Record<string, string>;
  body: string;
  /** Per attempt. @default 5 s */
  timeoutMs?: number | undefined;
  /** The adapter's error for an answer that is not 2xx. */
  error: (response: Response, text: string) => AwsAnswerError;
  /** More codes of an error to test against the retry rules (SQS's query-protocol code). */
  retryCodes?: (error: AwsAnswerError) => (string | undefined)[];
  sleep: (ms: number) => Promise<void>;
}

/**
 * Sends one operation of an AWS JSON-protocol service (`POST /`, `X-Amz-Target`) signed by the
 * SDK's SignatureV4, retried as the SDK's standard mode retries (./sdk-retry.ts): network errors
 * and timeouts, throttling, 500/502/503/504. Answers the body of the 2xx answer; throws the
 * adapter's error otherwise. Written once for the adapters that send one request instead of
 * bundling a whole client (shared/adapters/secrets-manager.ts, sqs/mail-queue.ts,
 * kms-digest-signer.ts); each adapter's test checks the request is the client's own, byte for byte.
 */
export async function sendAwsJson(request: AwsJsonRequest): Promise<string> {
  const { endpoint: base, body } = request;
  const signer = sigV4(request.service, request.region, request.credentials);
  for (let attempt = 1; ; attempt++) {
    const signed = await signer.sign({
      method: 'POST',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path: '/',
      query: {},
      headers: {
        host: base.host,
        'content-type': request.contentType,
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': request.target,
        ...request.headers,
      },
      body,
    });
    let response: Response;
    let text: string;
    try {
      const { host: _host, ...headers } = signed.headers;
      response = await fetch(new URL('/', base), {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(request.timeoutMs ?? ATTEMPT_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      if (attempt >= SDK_MAX_ATTEMPTS) throw error;
      await request.sleep(sdkBackoff(attempt));
      continue;
    }
    if (response.ok) return text;
    const error = request.error(response, text);
    const codes = [error.code, ...(request.retryCodes?.(error) ?? [])];
    const throttled = isThrottling(response.status, ...codes);
    const transient = isTransient(response.status, ...codes);
    if (!(throttled || transient) || attempt >= SDK_MAX_ATTEMPTS) throw error;
    await request.sleep(sdkBackoff(attempt, throttled));
  }
}
