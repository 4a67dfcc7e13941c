import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError } from '#shared/errors.ts';
import { STYLE_HASH } from './style.ts';

/** Headers on every page and JSON answer: nothing cached, nothing sniffed, no referrer leaks. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
};

/**
 * HSTS for an app served over https (issue 18): a year, this host only (a committee's domain may
 * serve other things on its subdomains), not preloaded (a committee chooses that for its domain).
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/**
 * The committee's pages and JSON send a referrer to their own origin only: their form posts then
 * carry their real `Origin` (not "null" as under `no-referrer`), which the cross-site check of
 * functions/web/committee-app.ts compares with the app's origin where a browser sends no
 * `Sec-Fetch-Site` (older Safari). A unit's upload page keeps `no-referrer`: its path is its link.
 */
export const COMMITTEE_REFERRER_POLICY = 'same-origin';

/**
 * The headers every answer of a function gets last: HSTS when the app's URL is https, and the
 * given overrides (a committee function's referrer policy).
 */
export function finalHeaders(
  result: APIGatewayProxyStructuredResultV2,
  appUrl: string,
  overrides: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  const https = appUrl.startsWith('https://');
  return {
    ...result,
    headers: {
      ...result.headers,
      ...overrides,
      ...(https ? { 'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY } : {}),
    },
  };
}

/** An HTML page; `headers` may override the security headers (e.g. a page's own CSP). */
export function htmlResponse(
  statusCode: number,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { ...SECURITY_HEADERS, ...headers, 'Content-Type': 'text/html; charset=utf-8' },
    body,
  };
}

/** A JSON answer; `headers` may override the security headers. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { ...SECURITY_HEADERS, ...headers, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

export function redirect(location: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode: 303, headers: { ...SECURITY_HEADERS, Location: location }, body: '' };
}

/** The HTTP status of each domain error code (docs/openapi.yaml lists the codes of each status). */
export const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  PLAN_DOCUMENT_INVALID: 400,
  CSV_INVALID: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_RECEIVED: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  LINK_INVALID: 404,
  LINK_EXPIRED: 410,
  LINK_REVOKED: 410,
  PERIOD_CLOSED: 403,
  LINK_WITHDRAWN: 403,
};

/** Maps a typed domain error to a status and a Vietnamese message; anything else is a 500 without details. */
export function describeError(error: unknown): { statusCode: number; code: string; message: string } {
  if (error instanceof DomainError) {
    return { statusCode: STATUS_BY_CODE[error.code] ?? 400, code: error.code, message: error.userMessage };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'Đã có lỗi hệ thống. Vui lòng thử lại sau.' };
}
