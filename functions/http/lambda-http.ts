import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MAX_WEB_UPLOAD_BYTES } from '#shared/input-limits.ts';
import { logger } from '#shared/powertools.ts';
import { decodeBody, decodeBodyBytes, type HttpRequest, parseCookies } from './request.ts';
import { describeError, jsonResponse } from './responses.ts';

type Result = APIGatewayProxyStructuredResultV2;

/**
 * API Gateway v2 event → the web layer's request (the committee's functions, admin-api and
 * setup-api).
 * @throws PayloadTooLargeError when the body is over the limit (checked before it is decoded).
 */
export function toHttpRequest(event: APIGatewayProxyEventV2): HttpRequest {
  // Forms with a file (a plan document, a list of units) may be larger than other bodies: their
  // bytes are kept for functions/http/multipart.ts; every other reader checks the usual limit.
  const bodyBytes = decodeBodyBytes(event.body, event.isBase64Encoded, MAX_WEB_UPLOAD_BYTES + 64 * 1024);
  const multipart = /^multipart\/form-data/i.test(event.headers['content-type'] ?? '');
  const body = multipart ? '' : decodeBody(event.body, event.isBase64Encoded);
  return {
    method: event.requestContext.http.method,
    path: event.rawPath.replace(/\/+$/, '') || '/',
    headers: event.headers,
    query: event.rawQueryString ?? '',
    cookies: parseCookies(event.cookies),
    body,
    bodyBytes,
    sourceIp: event.requestContext.http.sourceIp,
  };
}

/**
 * A committee function's middy-wrapped Lambda handler: each event becomes an {@link HttpRequest}
 * for `handle`, over deps made on first use (once per cold start; the local stack passes its own).
 * A body over the limit is answered 413 in JSON before anything else.
 */
export function createHttpHandler<D>(
  handle: (req: HttpRequest, deps: D) => Promise<Result>,
  makeDeps: () => D,
) {
  let deps: D | undefined;
  return middy<APIGatewayProxyEventV2, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      deps ??= makeDeps();
      let request: HttpRequest;
      try {
        request = toHttpRequest(event);
      } catch (error) {
        const { statusCode, code, message } = describeError(error);
        return jsonResponse(statusCode, { error: { code, message } });
      }
      return handle(request, deps);
    });
}
