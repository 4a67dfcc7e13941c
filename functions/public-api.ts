import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { countServerError } from '#functions/http/lambda-http.ts';
import { decodeBody } from '#functions/http/request.ts';
import { describeError, finalHeaders, htmlResponse, jsonResponse } from '#functions/http/responses.ts';
import {
  dispatch,
  isPathOf,
  matchRoute,
  type RouteHandlers,
  type RouteNameOf,
} from '#functions/http/routes.ts';
import { renderLinkMessage, renderUploadPage, uploadPageCsp } from '#functions/web/upload-page.ts';
import { type CommitteeDirectory, committeeDirectory } from '#functions/wiring/committee-directory.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { type Config, loadConfig } from '#shared/config.ts';
import { ValidationError } from '#shared/errors.ts';
import { METRICS } from '#shared/metrics.ts';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { linkTokenCommittee } from '#shared/uploads/link-token.ts';
import type { ResolvedLink } from '#shared/uploads/links.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import { limitUnitRequest } from '#shared/uploads/unit-limits.ts';
import { unitStatus } from '#shared/uploads/unit-status.ts';
import { type RequestOrigin, recordLinkOpened } from '#shared/uploads/upload-audit.ts';

type Result = APIGatewayProxyStructuredResultV2;

/** What a public route's handler needs besides its parameters. */
interface PublicContext {
  event: APIGatewayProxyEventV2;
  deps: UploadDeps;
  headers: Record<string, string>;
  page: { committeeName: string };
}

/** One handler per route of this function in functions/http/routes.ts (the compiler checks it is complete). */
export const PUBLIC_ROUTE_HANDLERS: RouteHandlers<RouteNameOf<'public'>, PublicContext, Promise<Result>> = {
  // A valid link's page opened: one `link.opened` record per page load, appended while the
  // versions are read (the status polls record none).
  uploadPage: async ({ token }, { event, deps, headers, page }) => {
    const opened = (link: ResolvedLink) => recordLinkOpened(deps.audit, link.claims, originOf(event));
    return htmlResponse(200, renderUploadPage(await unitStatus(deps, token, opened), page), headers);
  },
  // Per link and per client IP, before anything is read (shared/uploads/unit-limits.ts).
  unitStatus: async ({ token }, { event, deps, headers }) => {
    await limitUnitRequest(deps, token, event.requestContext.http.sourceIp, 'status');
    return jsonResponse(200, await unitStatus(deps, token), headers);
  },
  // Per link and per client IP too, counted by the use case: the address's counter while the link
  // is read, the link's in the grant's own write (shared/uploads/request-upload.ts).
  requestUpload: async ({ token }, { event, deps, headers }) => {
    return jsonResponse(201, await requestUpload(deps, token, readJsonBody(event), originOf(event)), headers);
  },
};

/** The request id and client IP an audit record of this request carries. */
function originOf(event: APIGatewayProxyEventV2): RequestOrigin {
  return { requestId: event.requestContext.requestId, clientIp: event.requestContext.http.sourceIp };
}

/**
 * A unit's upload link (`/u/{token}…`), checked on every request; the routes are those of
 * `public` in functions/http/routes.ts:
 * - `GET /u/{token}` — the upload page (HTML);
 * - `POST /u/{token}/uploads` — JSON `{fileName, contentType, size, …}` → 201 presigned POST;
 * - `GET /u/{token}/status` — JSON of the unit's period and submissions.
 *
 * Invalid links get 404, expired or revoked ones 410, a closed period 403, bad input 400, each
 * with a Vietnamese message and no data; any other method or path 404 (an HTML page on the
 * page's own path, JSON elsewhere). Never logs the path, the token or the body.
 */
export async function handlePublicRequest(
  event: APIGatewayProxyEventV2,
  deps: UploadDeps,
  config: Config,
): Promise<Result> {
  const method = event.requestContext.http.method;
  const route = matchRoute('public', method, event.rawPath);
  // JSON on the two JSON routes' paths; a Vietnamese page everywhere else (never bare JSON).
  const wantsJson = isPathOf('requestUpload', event.rawPath) || isPathOf('unitStatus', event.rawPath);
  const headers = { 'Content-Security-Policy': uploadPageCsp(deps.signer.uploadOrigin()) };
  const page = {
    committeeName: config.COMMITTEE_NAME,
    ...(config.COMMITTEE_EMAILS[0] ? { officeEmail: config.COMMITTEE_EMAILS[0] } : {}),
  };
  try {
    if (route) return await dispatch(PUBLIC_ROUTE_HANDLERS, route, { event, deps, headers, page });
    const message = 'Không tìm thấy trang này.';
    return wantsJson
      ? jsonResponse(404, { error: { code: 'NOT_FOUND', message } }, headers)
      : htmlResponse(
          404,
          renderLinkMessage('Không tìm thấy trang', message, page, uploadPageOf(event.rawPath)),
          headers,
        );
  } catch (error) {
    const { statusCode, code, message } = describeError(error);
    if (statusCode >= 500) {
      logger.error('public request failed', { error: error as Error, method, route: route?.name });
    }
    return wantsJson
      ? jsonResponse(statusCode, { error: { code, message } }, headers)
      : htmlResponse(statusCode, renderLinkMessage(titleFor(code), message, page), headers);
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
    case 'LINK_WITHDRAWN':
      return 'Đơn vị không còn báo cáo';
    case 'LINK_INVALID':
      return 'Liên kết không hợp lệ';
    default:
      return 'Không thực hiện được';
  }
}

/** The Powertools-wrapped handler over deps made on first use (once per cold start; the local stack passes its own). */
export function createPublicHandler(makeDeps: () => CommitteeDirectory<PublicDeps>) {
  let directory: CommitteeDirectory<PublicDeps> | undefined;
  return lambdaHandler<APIGatewayProxyEventV2, Result>(async (event) => {
    directory ??= makeDeps();
    logger.appendKeys({ requestId: event.requestContext?.requestId });
    // The link's committee chooses whose stores check it (docs/tenancy.md); an unknown one is
    // checked by the first committee's, which cannot find it: the invalid-link answer.
    const made = (await directory.get(committeeOfPath(event.rawPath))) ?? directory.root;
    const result = await handlePublicRequest(event, made.deps, made.config);
    if ((result.statusCode ?? 200) >= 500) {
      countServerError(METRICS.PublicApiServerError, event, result.statusCode ?? 500);
    }
    return finalHeaders(result, made.config.APP_URL ?? '');
  });
}

/** Lambda entry point: configuration, clients and the link key are loaded once per process. */
export const handler = createPublicHandler(() =>
  committeeDirectory(createRuntime(loadConfig()), (runtime) => ({
    deps: createUploadDeps(runtime),
    config: runtime.config,
  })),
);

/** One committee's collaborators of this function, and its settings. */
export interface PublicDeps {
  deps: UploadDeps;
  config: Config;
}

/** The committee named by the link token of a `/u/<token>…` path (unchecked: see linkTokenCommittee). */
function committeeOfPath(path: string): string | undefined {
  const token = /^\/u\/([A-Za-z0-9._-]{1,600})(?:\/|$)/.exec(path ?? '')?.[1];
  return token ? linkTokenCommittee(token) : undefined;
}

/**
 * The upload page a path under a unit's link belongs to (`/u/<token>` of `/u/<token>/…`): the way
 * back from a mistyped address; undefined for anything else.
 */
function uploadPageOf(path: string): string | undefined {
  const token = /^\/u\/([A-Za-z0-9._~-]{1,2000})\/./.exec(path)?.[1];
  return token ? `/u/${token}` : undefined;
}
