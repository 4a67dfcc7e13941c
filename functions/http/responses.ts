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
