import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Config } from '#shared/config.ts';
import type { ExportInvocation, ExportInvoker } from '#shared/export/ports.ts';
import { awsCredentials, sigV4 } from './aws-signing.ts';

/** Attempts of one Invoke call (the SDK's standard retry mode makes 3 as well). */
const MAX_ATTEMPTS = 3;
/** First back-off; doubled each retry, with full jitter. */
const BASE_DELAY_MS = 100;
/** Longest wait for Lambda's 202 (it answers an Event invoke in milliseconds once queued). */
const ATTEMPT_TIMEOUT_MS = 3_000;

/** Where and as whom {@link LambdaExportInvoker} calls Lambda. */
export interface LambdaInvokeTarget {
  region: string;
  functionName: string;
  credentials: AwsCredentialIdentityProvider;
  /** Tests only: another endpoint than `https://lambda.<region>.amazonaws.com`. */
  endpoint?: string;
  /** Per attempt. @default ATTEMPT_TIMEOUT_MS (3 s) */
  timeoutMs?: number;
}

/**
 * Lambda `Event` invocation: Lambda queues the event, retries twice and sends failures to the
 * exporter's on-failure queue (infra/constructs/exports.ts).
 *
 * One signed HTTPS request (`POST /2015-03-31/functions/<name>/invocations`,
 * `X-Amz-Invocation-Type: Event`, answered 202) instead of the Lambda client: the client's
 * schemas and error classes for every Lambda operation are ~75 KB of the committee app's and
 * the planner's bundles, for one call a year. The request is signed by the SDK's SignatureV4
 * and is the client's own request, header for header (test/unit/export/lambda-invoke.test.ts);
 * throttling, 5xx and network errors are retried like the SDK's standard mode.
 */
export class LambdaExportInvoker implements ExportInvoker {
  constructor(
    private readonly target: LambdaInvokeTarget,
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {}

  async invoke(event: ExportInvocation): Promise<void> {
    const { region, functionName, credentials } = this.target;
    const base = new URL(this.target.endpoint ?? `https://lambda.${region}.amazonaws.com`);
    const path = `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
    const body = JSON.stringify(event);
    const host = base.port ? `${base.hostname}:${base.port}` : base.hostname;
    for (let attempt = 1; ; attempt++) {
      const signed = await sigV4('lambda', region, credentials).sign({
        method: 'POST',
        protocol: base.protocol,
        hostname: base.hostname,
        ...(base.port ? { port: Number(base.port) } : {}),
        path,
        query: {},
        headers: {
          host,
          'content-type': 'application/octet-stream',
          'content-length': String(Buffer.byteLength(body)),
          'x-amz-invocation-type': 'Event',
        },
        body,
      });
      let status: number;
      let detail: string;
      try {
        const { host: _host, ...headers } = signed.headers;
        const response = await fetch(new URL(path, base), {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(this.target.timeoutMs ?? ATTEMPT_TIMEOUT_MS),
        });
        status = response.status;
        detail = await response.text();
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) throw error;
        await this.sleep(backoff(attempt));
        continue;
      }
      if (status === 202) return;
      const retryable = status === 429 || status >= 500;
      if (!retryable || attempt >= MAX_ATTEMPTS) {
        throw new Error(`Lambda Invoke of ${functionName} failed: HTTP ${status} ${lambdaError(detail)}`);
      }
      await this.sleep(backoff(attempt));
    }
  }
}

function backoff(attempt: number): number {
  return Math.random() * BASE_DELAY_MS * 2 ** (attempt - 1);
}

/** Lambda's JSON error (`{"Type":…,"message":…}` or `{"__type":…,"Message":…}`), shortened. */
function lambdaError(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const type = parsed.Type ?? parsed.__type ?? parsed.code ?? '';
    const message = parsed.message ?? parsed.Message ?? '';
    return `${String(type)} ${String(message)}`.trim().slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}

/**
 * The export starter of a Lambda runtime: an asynchronous invoke of EXPORTER_FUNCTION_NAME,
 * built when the first export is started (most requests start none).
 * @throws Error on the first invoke when EXPORTER_FUNCTION_NAME is not set.
 */
export function lambdaExportInvoker(config: Config): ExportInvoker {
  let invoker: ExportInvoker | undefined;
  return {
    invoke: async (event) => {
      if (!invoker) {
        if (!config.EXPORTER_FUNCTION_NAME) throw new Error('EXPORTER_FUNCTION_NAME is not set');
        invoker = new LambdaExportInvoker({
          region: config.AWS_REGION,
          functionName: config.EXPORTER_FUNCTION_NAME,
          credentials: awsCredentials(),
        });
      }
      return invoker.invoke(event);
    },
  };
}
