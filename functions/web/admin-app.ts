import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type HttpRequest, parseForm, parseJsonBody } from '#functions/http/request.ts';
import { describeError, htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import {
  dispatch,
  matchRoute,
  pathFor,
  ROUTES,
  type RouteHandlers,
  type RouteMatch,
  type RouteNameOf,
} from '#functions/http/routes.ts';
import type { Downloads } from '#shared/adapters/s3/downloads.ts';
import type { Session } from '#shared/committee/ports.ts';
import {
  type AuthDeps,
  authenticate,
  checkCsrf,
  confirmSignIn,
  csrfToken,
  ForbiddenError,
  requestSignIn,
  SESSION_TTL_MS,
  signOut,
  UnauthorizedError,
} from '#shared/committee/sign-in.ts';
import type { Deps } from '#shared/deps.ts';
import { ValidationError } from '#shared/errors.ts';
import type { ExportInvoker, ExportStore } from '#shared/export/ports.ts';
import { getExport, listExports, requestExport } from '#shared/export/records.ts';
import { listPeriods, periodStatus } from '#shared/periods/periods.ts';
import { grantExtension } from '#shared/periods/reporting-calendar.ts';
import { getPlan, listPlans } from '#shared/plans/plans.ts';
import { unitHistory } from '#shared/units/unit-history.ts';
import { listUnits } from '#shared/units/units.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { manageLink } from '#shared/uploads/send-link.ts';
import {
  renderDashboard,
  renderMessage,
  renderPeriodStatus,
  renderPlan,
  renderUnitHistory,
} from './admin-pages.ts';
import { renderCheckMail, renderConfirmSignIn, renderSignIn } from './auth-pages.ts';

type Result = APIGatewayProxyStructuredResultV2;

export interface AdminDeps {
  core: Deps;
  auth: AuthDeps;
  /** Links of units (resend, revoke). */
  uploads: UploadDeps;
  exports: ExportStore;
  invoker: ExportInvoker;
  downloads: Downloads;
  committeeName: string;
  timeZone: string;
  /** The app's origin, e.g. `https://baocao.example.vn`: POSTs from any other origin are refused. */
  appOrigin: string;
  /** Secure cookies (HTTPS). Off only for the local stack on http://127.0.0.1. */
  secureCookies: boolean;
}

type PageContext = { committeeName: string; timeZone: string };

/** What an open route's handler needs besides its parameters. */
interface OpenContext {
  req: HttpRequest;
  deps: AdminDeps;
  page: PageContext;
}

/** What a signed-in route's handler needs: the session and its CSRF token too. */
interface SignedInContext {
  req: HttpRequest;
  deps: AdminDeps;
  session: Session;
  csrf: string;
  page: PageContext & { session: { email: string; csrf: string } };
}

type OpenRoute = RouteNameOf<'admin', 'none'>;
type SignedInRoute = RouteNameOf<'admin', 'session'>;
type AdminRouteMatch = RouteMatch<RouteNameOf<'admin'>>;

const isOpen = (route: AdminRouteMatch): route is RouteMatch<OpenRoute> => ROUTES[route.name].auth === 'none';

/**
 * The committee's pages (`/admin…`) and JSON (`/api/…`), behind sign-in by e-mailed link; the
 * routes are those of `admin` in functions/http/routes.ts. Every state-changing request must come
 * from the app's own origin and carry the session's CSRF token; the session cookie is HttpOnly,
 * SameSite=Strict and (on AWS) Secure. Any other method or path gets 404 (after the session
 * check): JSON under `/api/`, a page elsewhere.
 */
export async function handleAdminRequest(req: HttpRequest, deps: AdminDeps): Promise<Result> {
  const wantsJson = req.path.startsWith('/api/');
  const page = { committeeName: deps.committeeName, timeZone: deps.timeZone };
  const route = matchRoute('admin', req.method, req.path);
  try {
    if (req.method === 'POST') assertSameOrigin(req, deps.appOrigin);
    // The sign-in flow: the only committee routes open without a session.
    if (route && isOpen(route)) return await dispatch(OPEN_ROUTE_HANDLERS, route, { req, deps, page });

    const session = await authenticate(deps.auth, req.cookies[cookieName(deps)]);
    const csrf = await csrfToken(deps.auth, session);
    if (req.method === 'POST') {
      const token = req.headers['x-csrf-token'] ?? parseForm(req.body).csrf;
      await checkCsrf(deps.auth, session, token);
    }
    if (!route) return notFound(wantsJson, page);
    const signedIn = { ...page, session: { email: session.email, csrf } };
    return await dispatch(SIGNED_IN_ROUTE_HANDLERS, route, {
      req,
      deps,
      session,
      csrf,
      page: signedIn,
    });
  } catch (error) {
    if (
      error instanceof UnauthorizedError &&
      !wantsJson &&
      !(route && isOpen(route)) &&
      req.method === 'GET'
    ) {
      return redirect(pathFor('signInPage', {}));
    }
    const { statusCode, code, message } = describeError(error);
    return wantsJson
      ? jsonResponse(statusCode, { error: { code, message } })
      : htmlResponse(statusCode, renderMessage('Không thực hiện được', message, page));
  }
}

/** The routes open without a session: one handler each (the compiler checks it is complete). */
export const OPEN_ROUTE_HANDLERS: RouteHandlers<OpenRoute, OpenContext, Promise<Result>> = {
  root: async () => redirect(pathFor('dashboard', {})),
  signInPage: async (_, { page }) => htmlResponse(200, renderSignIn(page)),
  requestSignIn: async (_, { req, deps, page }) => {
    await requestSignIn(deps.auth, parseForm(req.body).email, req.sourceIp);
    return htmlResponse(200, renderCheckMail(page));
  },
  confirmSignInPage: async ({ secret }, { page }) => htmlResponse(200, renderConfirmSignIn(page, secret)),
  confirmSignIn: async ({ secret }, { deps }) => {
    const { cookieValue } = await confirmSignIn(deps.auth, secret);
    return {
      ...redirect(pathFor('dashboard', {})),
      cookies: [sessionCookie(deps, cookieValue, SESSION_TTL_MS / 1000)],
    };
  },
};

/**
 * The signed-in routes: one handler each (the compiler checks it is complete). Actions (POST)
 * get here same-origin and CSRF-checked; pages answer them with a redirect back to the period
 * (`?done=…` shows what happened), `/api/…` answers JSON.
 */
export const SIGNED_IN_ROUTE_HANDLERS: RouteHandlers<SignedInRoute, SignedInContext, Promise<Result>> = {
  signOut: async (_, { deps, session }) => {
    await signOut(deps.auth, session);
    return { ...redirect(pathFor('signInPage', {})), cookies: [sessionCookie(deps, '', 0)] };
  },
  dashboard: async (_, { deps, page }) => {
    const plans = await listPlans(deps.core);
    const withPeriods = await Promise.all(
      plans.map(async (plan) => ({ plan, periods: await listPeriods(deps.core, plan.id) })),
    );
    return htmlResponse(200, renderDashboard(withPeriods, page));
  },
  plan: async ({ planId }, { deps, page }) => {
    const plan = await getPlan(deps.core, planId);
    return htmlResponse(200, renderPlan(plan, await listPeriods(deps.core, plan.id), page));
  },
  period: async ({ planId, year }, { req, deps, page }) => {
    const [status, exports] = await Promise.all([
      periodStatus(deps.core, planId, year),
      listExports({ ...deps.core, exports: deps.exports }, planId, year),
    ]);
    const notice = new URLSearchParams(req.query).get('done') ?? undefined;
    return htmlResponse(200, renderPeriodStatus(status, page, { exports, notice }));
  },
  unit: async ({ unitId }, { deps, page }) =>
    htmlResponse(200, renderUnitHistory(await unitHistory(deps.core, unitId), page)),
  unitFile: (params, context) => unitFile(params, context, false),
  resend: (params, context) => manageUnitLink(params, context, { revoke: false, json: false }),
  revoke: (params, context) => manageUnitLink(params, context, { revoke: true, json: false }),
  extension: (params, context) => extendDeadline(params, context, false),
  startExport: (params, context) => startExport(params, context, false),
  exportFile: (params, context) => exportFile(params, context),

  apiSession: async (_, { session, csrf }) =>
    jsonResponse(200, { email: session.email, expiresAt: session.expiresAt, csrf }),
  apiPlans: async (_, { deps }) => jsonResponse(200, { plans: await listPlans(deps.core) }),
  apiPlan: async ({ planId }, { deps }) => {
    const plan = await getPlan(deps.core, planId);
    return jsonResponse(200, { plan, periods: await listPeriods(deps.core, plan.id) });
  },
  apiPeriod: async ({ planId, year }, { deps }) =>
    jsonResponse(200, await periodStatus(deps.core, planId, year)),
  apiUnits: async (_, { deps }) => jsonResponse(200, { units: await listUnits(deps.core) }),
  apiUnit: async ({ unitId }, { deps }) => jsonResponse(200, await unitHistory(deps.core, unitId)),
  apiUnitFile: (params, context) => unitFile(params, context, true),
  apiResend: (params, context) => manageUnitLink(params, context, { revoke: false, json: true }),
  apiRevoke: (params, context) => manageUnitLink(params, context, { revoke: true, json: true }),
  apiExtension: (params, context) => extendDeadline(params, context, true),
  apiExports: async ({ planId, year }, { deps }) =>
    jsonResponse(200, { exports: await listExports({ ...deps.core, exports: deps.exports }, planId, year) }),
  apiStartExport: (params, context) => startExport(params, context, true),
  apiExportFile: (params, context) => exportFile(params, context),
};

/** The parameters of a unit's routes within a period. */
type UnitInPeriod = { planId: string; year: number; unitId: string };

/** A unit's kept file, through a fresh presigned URL; 404 unless the unit's assignment lists it. */
async function unitFile(
  { planId, year, unitId, uploadId }: UnitInPeriod & { uploadId: string },
  { deps, page }: SignedInContext,
  json: boolean,
): Promise<Result> {
  const assignment = await deps.core.submissions.getAssignment(planId, year, unitId);
  const file = assignment?.files.find((f) => f.uploadId === uploadId);
  if (!file) return notFound(json, page);
  return redirect(await deps.downloads.urlFor(file.key, file.fileName, file.versionId));
}

/** A ready export's ZIP, through a fresh presigned URL. */
async function exportFile(
  { planId, year, exportId }: { planId: string; year: number; exportId: string },
  { deps }: SignedInContext,
): Promise<Result> {
  const record = await getExport({ ...deps.core, exports: deps.exports }, planId, year, exportId);
  if (record.state !== 'ready') {
    throw new ValidationError(
      'Export not ready',
      [],
      'Bản tổng hợp chưa sẵn sàng; hãy tải lại trang sau ít phút.',
    );
  }
  return redirect(await deps.downloads.urlFor(record.key, `tong-hop-${planId}-${year}.zip`));
}

/** The period's page with `?done=…`, where a page's action returns to. */
function backToPeriod(planId: string, year: number, done: string): Result {
  return redirect(`${pathFor('period', { planId, year })}?done=${done}`);
}

/** Re-sends a unit its link, or revokes it (a new link, e-mailed). */
async function manageUnitLink(
  { planId, year, unitId }: UnitInPeriod,
  { req, deps }: SignedInContext,
  { revoke, json }: { revoke: boolean; json: boolean },
): Promise<Result> {
  actionBody(req, json);
  const result = await manageLink(deps.uploads, deps.auth.mail, planId, year, unitId, {
    revoke,
    resend: true,
  });
  return json
    ? jsonResponse(200, { unitId, revoked: result.revoked, resent: result.resent })
    : backToPeriod(planId, year, revoke ? 'revoked' : 'resent');
}

/** Extends a unit's deadline to the body's `until`. */
async function extendDeadline(
  { planId, year, unitId }: UnitInPeriod,
  { req, deps }: SignedInContext,
  json: boolean,
): Promise<Result> {
  const body = actionBody(req, json);
  const assignment = await grantExtension(deps.core, planId, year, unitId, String(body.until ?? ''));
  return json
    ? jsonResponse(200, { unitId, extendedDeadline: assignment.extendedDeadline })
    : backToPeriod(planId, year, 'extended');
}

/** Records an export of the period and starts the exporter. */
async function startExport(
  { planId, year }: { planId: string; year: number },
  { req, deps, session }: SignedInContext,
  json: boolean,
): Promise<Result> {
  actionBody(req, json);
  const record = await requestExport({ ...deps.core, exports: deps.exports }, planId, year, session.email);
  await deps.invoker.invoke({ planId, year, exportId: record.exportId, requestedBy: session.email });
  return json ? jsonResponse(202, { export: record }) : backToPeriod(planId, year, 'export-started');
}

/** An action's body: a JSON object under `/api/`, a form otherwise (400 when it is neither). */
function actionBody(req: HttpRequest, json: boolean): Record<string, unknown> {
  return json ? parseJsonObject(req.body) : parseForm(req.body);
}

/**
 * Cross-site requests are refused before anything else. Browsers label every request with
 * `Sec-Fetch-Site`; older ones only send `Origin` (which is "null" for form posts from pages
 * with a no-referrer policy). Clients that send neither (scripts) still need the session cookie
 * and the CSRF token.
 */
function assertSameOrigin(req: HttpRequest, appOrigin: string): void {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const crossSite = site
    ? site !== 'same-origin' && site !== 'none'
    : Boolean(origin && origin !== appOrigin);
  if (crossSite)
    throw new ForbiddenError('Cross-site request refused', 'Yêu cầu từ trang web khác bị từ chối.');
}

function cookieName(deps: AdminDeps): string {
  // The __Host- prefix makes the browser insist on Secure, Path=/ and no Domain.
  return deps.secureCookies ? '__Host-baocao-session' : 'baocao-session';
}

function sessionCookie(deps: AdminDeps, value: string, maxAgeSeconds: number): string {
  const secure = deps.secureCookies ? '; Secure' : '';
  return `${cookieName(deps)}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

function notFound(wantsJson: boolean, ctx: PageContext): Result {
  const message = 'Không tìm thấy trang này.';
  return wantsJson
    ? jsonResponse(404, { error: { code: 'NOT_FOUND', message } })
    : htmlResponse(404, renderMessage('Không tìm thấy', message, ctx));
}

/** A JSON object body (size checked before parsing, by the shared parser); `{}` when empty. */
function parseJsonObject(body: string): Record<string, unknown> {
  if (!body) return {};
  const value = parseJsonBody(body);
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ValidationError('Body is not a JSON object', [], 'Dữ liệu gửi lên không phải là JSON hợp lệ.');
}
