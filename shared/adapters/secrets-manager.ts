import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { sendAwsJson } from './aws-json-request.ts';
import { jsonProtocolError } from './sdk-retry.ts';

/** What GetSecretValue answers that a key needs: the secret as text, or as bytes. */
export interface SecretValue {
  SecretString?: string | undefined;
  SecretBinary?: Uint8Array | undefined;
}

/** Reads a secret's current value (the port of shared/adapters/keys.ts's key providers). */
export interface SecretReader {
  getSecretValue(secretId: string): Promise<SecretValue>;
}

/** A Secrets Manager error answer: its HTTP status, its code (`ResourceNotFoundException`, …) and message. */
export class SecretsManagerRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`Secrets Manager GetSecretValue failed: HTTP ${status} ${code}${message ? `: ${message}` : ''}`);
    this.name = 'SecretsManagerRequestError';
  }
}

/** Where and as whom {@link SignedSecretsManager} asks. */
export interface SecretsManagerTarget {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** Tests only: another endpoint than `https://secretsmanager.<region>.amazonaws.com`. */
  endpoint?: string;
  /** Per attempt. @default 5 s */
  timeoutMs?: number;
}

/**
 * GetSecretValue as one signed HTTPS request in Secrets Manager's JSON protocol (`POST /`,
 * `X-Amz-Target: secretsmanager.GetSecretValue`, `application/x-amz-json-1.1`) instead of the
 * Secrets Manager client, whose schemas and error classes for every operation were ~14 KB of every
 * function's bundle (and their evaluation part of each cold start), for one call per key and cold
 * start. The request is the client's own, header for header and byte for byte, signed by the
 * SDK's SignatureV4 (test/unit/adapters/secrets-manager.test.ts); throttling, 500/502/503/504,
 * timeouts and network errors are retried like the SDK's standard mode.
 */
export class SignedSecretsManager implements SecretReader {
  private readonly endpoint: URL;

  constructor(
    private readonly target: SecretsManagerTarget,
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {
    this.endpoint = new URL(target.endpoint ?? `https://secretsmanager.${target.region}.amazonaws.com/`);
  }

  async getSecretValue(secretId: string): Promise<SecretValue> {
    const text = await sendAwsJson({
      service: 'secretsmanager',
      region: this.target.region,
      credentials: this.target.credentials,
      endpoint: this.endpoint,
      target: 'secretsmanager.GetSecretValue',
      contentType: 'application/x-amz-json-1.1',
      body: JSON.stringify({ SecretId: secretId }),
      timeoutMs: this.target.timeoutMs,
      error: secretsManagerError,
      sleep: this.sleep,
    });
    return secretValueOf(text);
  }
}

/** The answer's secret: `SecretString`, or `SecretBinary` (base64 in JSON) as bytes. */
function secretValueOf(text: string): SecretValue {
  const parsed = JSON.parse(text) as { SecretString?: unknown; SecretBinary?: unknown };
  return {
    SecretString: typeof parsed.SecretString === 'string' ? parsed.SecretString : undefined,
    SecretBinary:
      typeof parsed.SecretBinary === 'string'
        ? new Uint8Array(Buffer.from(parsed.SecretBinary, 'base64'))
        : undefined,
  };
}

/** Secrets Manager's JSON error (`{"__type":"ResourceNotFoundException","Message":…}`). */
function secretsManagerError(response: Response, text: string): SecretsManagerRequestError {
  const { code, message } = jsonProtocolError(response, text);
  return new SecretsManagerRequestError(response.status, code || 'Unknown', message);
}
