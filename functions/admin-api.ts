import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createAdminDeps } from '#shared/adapters/create-admin-deps.ts';
import { loadConfig } from '#shared/config.ts';
import { type HttpRequest, parseCookies } from '#shared/http/request.ts';
import { logger } from '#shared/powertools.ts';
import { type AdminDeps, handleAdminRequest } from '#shared/web/admin-app.ts';

type Result = APIGatewayProxyStructuredResultV2;

/** API Gateway v2 event → the web layer's request. */
export function toHttpRequest(event: APIGatewayProxyEventV2): HttpRequest {
  const body = event.body ?? '';
  return {
    method: event.requestContext.http.method,
    path: event.rawPath.replace(/\/+$/, '') || '/',
    headers: event.headers,
    query: event.rawQueryString ?? '',
    cookies: parseCookies(event.cookies),
    body: event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
    sourceIp: event.requestContext.http.sourceIp,
  };
}

let deps: AdminDeps | undefined;

/** Lambda entry point of the committee's pages and JSON; clients are built once per process. */
export const handler = middy<APIGatewayProxyEventV2, Result>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    deps ??= createAdminDeps(loadConfig());
    return handleAdminRequest(toHttpRequest(event), deps);
  });
