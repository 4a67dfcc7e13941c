import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { decodeBody, decodeBodyBytes, type HttpRequest, parseCookies } from '#functions/http/request.ts';
import { describeError, jsonResponse } from '#functions/http/responses.ts';
import { type AdminDeps, handleAdminRequest } from '#functions/web/admin-app.ts';
import { createAdminDeps } from '#functions/wiring/create-admin-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { lambdaExportInvoker } from '#shared/adapters/export-invoker.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { loadConfig } from '#shared/config.ts';
import { MAX_WEB_UPLOAD_BYTES } from '#shared/input-limits.ts';
import { logger } from '#shared/powertools.ts';

type Result = APIGatewayProxyStructuredResultV2;

/**
 * API Gateway v2 event → the web layer's request.
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

/** The middy-wrapped handler over deps made on first use (once per cold start; the local stack passes its own). */
export function createAdminHandler(makeDeps: () => AdminDeps) {
  let deps: AdminDeps | undefined;
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
      return handleAdminRequest(request, deps);
    });
}

/** Lambda entry point of the committee's pages and JSON. */
export const handler = createAdminHandler(() => {
  const config = loadConfig();
  return createAdminDeps(
    createRuntime(config, { mailQueue: sqsMailQueue(config), exportInvoker: lambdaExportInvoker(config) }),
  );
});
