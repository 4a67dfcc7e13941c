import { formatBytes } from '#shared/domain/bytes.ts';
import { PayloadTooLargeError, ValidationError } from '#shared/errors.ts';
import { formatSizeOver, MAX_REQUEST_BODY_BYTES } from '#shared/input-limits.ts';

/** An HTTP request as the web layer needs it, independent of API Gateway's event shape. */
export interface HttpRequest {
  method: string;
  /** Path without a trailing slash ("/" for the root). */
  path: string;
  headers: Record<string, string | undefined>;
  cookies: Record<string, string>;
  /** The query string without `?`. */
  query: string;
  /** Raw body as text (decoded from base64 when needed: see {@link decodeBody}). */
  body: string;
  /**
   * The raw body's bytes, for file uploads (`multipart/form-data`: see functions/http/multipart.ts);
   * absent where a function takes no files.
   */
  bodyBytes?: Uint8Array | undefined;
  sourceIp: string;
  /** API Gateway's request id (the access log's), for the audit log; absent in some tests. */
  requestId?: string | undefined;
}

/** Parses `a=1; b=2` cookie headers (API Gateway v2 hands them over as an array). */
export function parseCookies(cookies: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (cookies ?? []).flatMap((c) => c.split(';'))) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!(name in out)) out[name] = part.slice(i + 1).trim();
  }
  return out;
}

/**
 * A request body as text, from API Gateway's `body` and `isBase64Encoded`. Its size is checked
 * before it is decoded: a base64 body is measured as the bytes it encodes, a text body in UTF-8.
 *
 * @throws PayloadTooLargeError (413) when the body is over `maxBytes`.
 */
export function decodeBody(
  body: string | undefined,
  isBase64Encoded: boolean | undefined,
  maxBytes = MAX_REQUEST_BODY_BYTES,
): string {
  const raw = body ?? '';
  if (!isBase64Encoded) {
    checkBodySize(raw, maxBytes);
    return raw;
  }
  // Node computes the decoded length from the length and the padding, without decoding.
  const size = Buffer.byteLength(raw, 'base64');
  if (size > maxBytes) throw bodyTooLarge(size, maxBytes);
  return Buffer.from(raw, 'base64').toString('utf8');
}

/**
 * A request body's bytes, from API Gateway's `body` and `isBase64Encoded` (binary bodies, such as
 * a form with a file, arrive base64-encoded), its size checked before it is decoded.
 *
 * @throws PayloadTooLargeError (413) when the body is over `maxBytes`.
 */
export function decodeBodyBytes(
  body: string | undefined,
  isBase64Encoded: boolean | undefined,
  maxBytes: number,
): Buffer {
  const raw = body ?? '';
  if (!isBase64Encoded) {
    checkBodySize(raw, maxBytes);
    return Buffer.from(raw, 'utf8');
  }
  const size = Buffer.byteLength(raw, 'base64');
  if (size > maxBytes) throw bodyTooLarge(size, maxBytes);
  return Buffer.from(raw, 'base64');
}

/**
 * Refuses a body (as text) over `maxBytes` in UTF-8, without encoding it.
 *
 * @throws PayloadTooLargeError (413).
 */
export function checkBodySize(body: string, maxBytes = MAX_REQUEST_BODY_BYTES): void {
  // Every UTF-16 code unit takes at least one byte: a longer string is over the limit for sure.
  const size = body.length > maxBytes ? body.length : Buffer.byteLength(body, 'utf8');
  if (size > maxBytes) throw bodyTooLarge(size, maxBytes);
}

/**
 * Parses a JSON body, its size checked before `JSON.parse` sees it.
 *
 * @throws PayloadTooLargeError (413) when over `maxBytes`; ValidationError (400) when not JSON.
 */
export function parseJsonBody(body: string, maxBytes = MAX_REQUEST_BODY_BYTES): unknown {
  checkBodySize(body, maxBytes);
  try {
    return JSON.parse(body);
  } catch {
    throw new ValidationError('Body is not JSON', [], 'Dữ liệu gửi lên không phải là JSON hợp lệ.');
  }
}

function bodyTooLarge(size: number, maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `Request body too large: ${size} bytes, at most ${maxBytes}`,
    `Dữ liệu gửi lên quá lớn (${formatSizeOver(size, maxBytes)}); tối đa ${formatBytes(maxBytes)}.`,
  );
}

/**
 * Parses an `application/x-www-form-urlencoded` body, its size checked first.
 *
 * @throws PayloadTooLargeError (413) when over `maxBytes`.
 */
export function parseForm(body: string, maxBytes = MAX_REQUEST_BODY_BYTES): Record<string, string> {
  checkBodySize(body, maxBytes);
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}
