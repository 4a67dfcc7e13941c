import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createUploadDeps } from '#shared/adapters/create-upload-deps.ts';
import { type Config, loadConfig } from '#shared/config.ts';
import { ValidationError } from '#shared/errors.ts';
import { decodeBody } from '#shared/http/request.ts';
import { describeError, htmlResponse, jsonResponse } from '#shared/http/responses.ts';
import { logger } from '#shared/powertools.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import { unitStatus } from '#shared/uploads/unit-status.ts';
import { renderLinkMessage, renderUploadPage, uploadPageCsp } from '#shared/web/upload-page.ts';

type Result = APIGatewayProxyStructuredResultV2;

const ROUTE = /^\/u\/([^/]+)(?:\/([^/]+))?\/?$/;

/**
 * A unit's upload link (`/u/{token}…`), checked on every request:
 * - `GET /u/{token}` — the upload page (HTML);
 * - `POST /u/{token}/uploads` — JSON `{fileName, contentType, size, …}` → 201 presigned POST;
 * - `GET /u/{token}/status` — JSON of the unit's period and submissions.
 *
 * Invalid links get 404, expired or revoked ones 410, a closed period 403, bad input 400, each
 * with a Vietnamese message and no data. Never logs the path, the token or the body.
 */
export async function handlePublicRequest(
  event: APIGatewayProxyEventV2,
  deps: UploadDeps,
  config: Config,
): Promise<Result> {
  const method = event.requestContext.http.method;
  const match = ROUTE.exec(event.rawPath);
  const token = match?.[1] ?? '';
  const action = match?.[2];
  const wantsJson = action !== undefined || !match;
  const headers = { 'Content-Security-Policy': uploadPageCsp(deps.signer.uploadOrigin()) };
  const ctx = { committeeName: config.COMMITTEE_NAME };
  try {
    if (match && method === 'GET' && action === undefined) {
      return htmlResponse(200, renderUploadPage(await unitStatus(deps, token), ctx), headers);
    }
    if (match && method === 'GET' && action === 'status') {
      return jsonResponse(200, await unitStatus(deps, token), headers);
    }
    if (match && method === 'POST' && action === 'uploads') {
      return jsonResponse(201, await requestUpload(deps, token, readJsonBody(event)), headers);
    }
    const message = 'Không tìm thấy trang này.';
    return wantsJson
      ? jsonResponse(404, { error: { code: 'NOT_FOUND', message } }, headers)
      : htmlResponse(404, renderLinkMessage('Không tìm thấy', message, ctx), headers);
  } catch (error) {
    const { statusCode, code, message } = describeError(error);
    if (statusCode >= 500) {
      logger.error('public request failed', { error: error as Error, method, action: action ?? 'page' });
    }
    return wantsJson
      ? jsonResponse(statusCode, { error: { code, message } }, headers)
      : htmlResponse(statusCode, renderLinkMessage(titleFor(code), message, ctx), headers);
  }
}

/**
 * The JSON body, base64-decoded when API Gateway says so, its size checked before it is decoded
 * or parsed (413 above MAX_REQUEST_BODY_BYTES, shared/input-limits.ts).
 */
function readJsonBody(event: APIGatewayProxyEventV2): unknown {
  const text = decodeBody(event.body, event.isBase64Encoded);
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError(
      'request body is not JSON',
      [],
      'Dữ liệu gửi lên không phải JSON hợp lệ (cần {"fileName", "contentType", "size"}).',
    );
  }
}

function titleFor(code: string): string {
  switch (code) {
    case 'LINK_EXPIRED':
      return 'Liên kết đã hết hạn';
    case 'LINK_REVOKED':
      return 'Liên kết đã được thay';
    case 'PERIOD_CLOSED':
      return 'Kỳ báo cáo đã đóng';
    case 'LINK_INVALID':
      return 'Liên kết không hợp lệ';
    default:
      return 'Không thực hiện được';
  }
}

let deps: UploadDeps | undefined;

/** Lambda entry point: configuration, clients and the link key are loaded once per process. */
export const handler = middy<APIGatewayProxyEventV2, Result>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const config = loadConfig();
    deps ??= createUploadDeps(config);
    return handlePublicRequest(event, deps, config);
  });
