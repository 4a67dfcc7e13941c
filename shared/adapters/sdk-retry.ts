/**
 * The AWS SDK's standard retry mode (@smithy/core retry), written once for the adapters that send
 * one signed request instead of a whole client (./aws-json-request.ts, used by secrets-manager.ts,
 * shared/adapters/sqs/mail-queue.ts): how many attempts, which answers are retried, how long to
 * wait. Each adapter's test checks it retries exactly as the SDK client does.
 */

/** Attempts of one request (3 in the SDK's standard mode). */
export const SDK_MAX_ATTEMPTS = 3;
/** Back-off bases: 50 ms, throttling 1 s; full jitter, doubled each attempt, capped at 20 s. */
const BASE_DELAY_MS = 50;
const THROTTLING_BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 20_000;

/** Error codes the SDK's standard mode retries as throttling. */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
/** Error codes and HTTP statuses the SDK's standard mode retries as transient. */
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

/** Whether an error answer is throttling: HTTP 429, or one of the throttling codes. */
export function isThrottling(status: number, ...codes: (string | undefined)[]): boolean {
  return status === 429 || codes.some((code) => code !== undefined && THROTTLING_CODES.has(code));
}

/** Whether an error answer is transient: HTTP 500/502/503/504, or a timeout code. */
export function isTransient(status: number, ...codes: (string | undefined)[]): boolean {
  return (
    TRANSIENT_STATUSES.has(status) || codes.some((code) => code !== undefined && TRANSIENT_CODES.has(code))
  );
}

/** The wait before attempt `attempt + 1`: full jitter over the doubled base, capped. */
export function sdkBackoff(attempt: number, throttled = false): number {
  const base = throttled ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(Math.random() * Math.min(base * 2 ** (attempt - 1), MAX_DELAY_MS));
}

/**
 * An AWS JSON-protocol error answer (`{"__type":"com.amazonaws.sqs#QueueDoesNotExist",
 * "message":…}`, or the type in `x-amzn-errortype`): its short code (empty when none) and its
 * message, at most 300 characters.
 */
export function jsonProtocolError(response: Response, text: string): { code: string; message: string } {
  let type = '';
  let message = '';
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    type = String(parsed.__type ?? parsed.code ?? '');
    message = String(parsed.message ?? parsed.Message ?? '');
  } catch {
    message = text.slice(0, 300);
  }
  type ||= response.headers.get('x-amzn-errortype') ?? '';
  return { code: type.split(':')[0]!.split('#').pop()!, message: message.slice(0, 300) };
}
