import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ExportInvoker } from '#shared/adapters/export-invoker.ts';
import type { Downloads } from '#shared/adapters/s3/downloads.ts';
import type { Session } from '#shared/auth/ports.ts';
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
} from '#shared/auth/sign-in.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import type { ExportStore } from '#shared/export/ports.ts';
import { getExport, listExports, requestExport } from '#shared/export/records.ts';
import { type HttpRequest, parseForm, parseJsonBody } from '#shared/http/request.ts';
import { describeError, htmlResponse, jsonResponse, redirect } from '#shared/http/responses.ts';
import type { Deps } from '#shared/services/deps.ts';
import { listPeriods, periodStatus } from '#shared/services/periods.ts';
import { getPlan, listPlans } from '#shared/services/plans.ts';
import { grantExtension } from '#shared/services/reporting-calendar.ts';
import { listUnits } from '#shared/services/units.ts';
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

const SIGN_IN_LINK = /^\/admin\/sign-in\/([A-Za-z0-9_-]{1,100})$/;

/**
 * The committee's pages (`/admin…`) and JSON (`/api/…`), behind sign-in by e-mailed link.
 * Every state-changing request must come from the app's own origin and carry the session's
 * CSRF token; the session cookie is HttpOnly, SameSite=Strict and (on AWS) Secure.
 */
export async function handleAdminRequest(req: HttpRequest, deps: AdminDeps): Promise<Result> {
  const wantsJson = req.path.startsWith('/api/');
  const ctx = { committeeName: deps.committeeName, timeZone: deps.timeZone };
  try {
    if (req.method === 'POST') assertSameOrigin(req, deps.appOrigin);
    if (req.path === '/') return redirect('/admin');

    // Sign-in flow: the only committee routes open without a session.
    if (req.path === '/admin/sign-in') {
      if (req.method === 'GET') return htmlResponse(200, renderSignIn(ctx));
      if (req.method === 'POST') {
        await requestSignIn(deps.auth, parseForm(req.body).email, req.sourceIp);
        return htmlResponse(200, renderCheckMail(ctx));
      }
    }
    const link = SIGN_IN_LINK.exec(req.path);
    if (link) {
      if (req.method === 'GET') return htmlResponse(200, renderConfirmSignIn(ctx, link[1]!));
      if (req.method === 'POST') {
        const { cookieValue } = await confirmSignIn(deps.auth, link[1]!);
        return { ...redirect('/admin'), cookies: [sessionCookie(deps, cookieValue, SESSION_TTL_MS / 1000)] };
      }
    }

    const session = await authenticate(deps.auth, req.cookies[cookieName(deps)]);
    const csrf = await csrfToken(deps.auth, session);
    if (req.method === 'POST') {
      const token = req.headers['x-csrf-token'] ?? parseForm(req.body).csrf;
      await checkCsrf(deps.auth, session, token);
    }
    if (req.path === '/admin/sign-out' && req.method === 'POST') {
      await signOut(deps.auth, session);
      return { ...redirect('/admin/sign-in'), cookies: [sessionCookie(deps, '', 0)] };
    }
    if (req.method === 'POST') return await routeAction(req, deps, session);
    if (req.method !== 'GET') return notFound(wantsJson, ctx);
    return await routeSignedIn(req, deps, session, csrf);
  } catch (error) {
    if (
      error instanceof UnauthorizedError &&
      !wantsJson &&
      !SIGN_IN_LINK.test(req.path) &&
      req.method === 'GET'
    ) {
      return redirect('/admin/sign-in');
    }
    const { statusCode, code, message } = describeError(error);
    return wantsJson
      ? jsonResponse(statusCode, { error: { code, message } })
      : htmlResponse(statusCode, renderMessage('Không thực hiện được', message, ctx));
  }
}

async function routeSignedIn(
  req: HttpRequest,
  deps: AdminDeps,
  session: Session,
  csrf: string,
): Promise<Result> {
  const ctx = {
    committeeName: deps.committeeName,
    timeZone: deps.timeZone,
    session: { email: session.email, csrf },
  };
  const core = deps.core;
  const route = matchRoute(req.path);
  switch (route?.name) {
    case 'dashboard': {
      const plans = await listPlans(core);
      const withPeriods = await Promise.all(
        plans.map(async (plan) => ({ plan, periods: await listPeriods(core, plan.id) })),
      );
      return htmlResponse(200, renderDashboard(withPeriods, ctx));
    }
    case 'plan': {
      const plan = await getPlan(core, route.planId);
      return htmlResponse(200, renderPlan(plan, await listPeriods(core, plan.id), ctx));
    }
    case 'period': {
      const [status, exports] = await Promise.all([
        periodStatus(core, route.planId, route.year),
        listExports({ ...core, exports: deps.exports }, route.planId, route.year),
      ]);
      const notice = new URLSearchParams(req.query).get('done') ?? undefined;
      return htmlResponse(200, renderPeriodStatus(status, ctx, { exports, notice }));
    }
    case 'unitFile':
    case 'apiUnitFile': {
      const assignment = await core.submissions.getAssignment(route.planId, route.year, route.unitId);
      const file = assignment?.files.find((f) => f.uploadId === route.fileId);
      if (!file) return notFound(route.name === 'apiUnitFile', ctx);
      return redirect(await deps.downloads.urlFor(file.key, file.fileName, file.versionId));
    }
    case 'exportFile':
    case 'apiExportFile': {
      const record = await getExport(
        { ...core, exports: deps.exports },
        route.planId,
        route.year,
        route.fileId,
      );
      if (record.state !== 'ready') {
        throw new ValidationError(
          'Export not ready',
          [],
          'Bản tổng hợp chưa sẵn sàng; hãy tải lại trang sau ít phút.',
        );
      }
      return redirect(await deps.downloads.urlFor(record.key, `tong-hop-${route.planId}-${route.year}.zip`));
    }
    case 'unit':
      return htmlResponse(200, renderUnitHistory(await unitHistory(core, route.unitId), ctx));
    case 'apiUnit':
      return jsonResponse(200, await unitHistory(core, route.unitId));
    case 'apiExports':
      return jsonResponse(200, {
        exports: await listExports({ ...core, exports: deps.exports }, route.planId, route.year),
      });
    case 'apiSession':
      return jsonResponse(200, { email: session.email, expiresAt: session.expiresAt, csrf });
    case 'apiPlans':
      return jsonResponse(200, { plans: await listPlans(core) });
    case 'apiPlan': {
      const plan = await getPlan(core, route.planId);
      return jsonResponse(200, { plan, periods: await listPeriods(core, plan.id) });
    }
    case 'apiPeriod':
      return jsonResponse(200, await periodStatus(core, route.planId, route.year));
    case 'apiUnits':
      return jsonResponse(200, { units: await listUnits(core) });
    default:
      return notFound(req.path.startsWith('/api/'), ctx);
  }
}

type Route =
  | { name: 'dashboard' | 'apiPlans' | 'apiUnits' | 'apiSession' }
  | { name: 'plan' | 'apiPlan'; planId: string }
  | { name: 'unit' | 'apiUnit'; unitId: string }
  | { name: 'period' | 'apiPeriod' | 'apiExports' | 'export' | 'apiExport'; planId: string; year: number }
  | {
      name: 'resend' | 'revoke' | 'extension' | 'apiResend' | 'apiRevoke' | 'apiExtension';
      planId: string;
      year: number;
      unitId: string;
    }
  | { name: 'unitFile' | 'apiUnitFile'; planId: string; year: number; unitId: string; fileId: string }
  | { name: 'exportFile' | 'apiExportFile'; planId: string; year: number; fileId: string };

/** Path patterns of the signed-in routes; named groups become route parameters. */
const ROUTES: [Route['name'], RegExp][] = [
  ['dashboard', /^\/admin$/],
  ['apiSession', /^\/api\/session$/],
  ['apiPlans', /^\/api\/plans$/],
  ['apiUnits', /^\/api\/units$/],
  ['plan', /^\/admin\/plans\/(?<planId>[^/]+)$/],
  ['period', /^\/admin\/plans\/(?<planId>[^/]+)\/(?<year>\d{4})$/],
  ['apiPlan', /^\/api\/plans\/(?<planId>[^/]+)$/],
  ['apiPeriod', /^\/api\/plans\/(?<planId>[^/]+)\/periods\/(?<year>\d{4})$/],
  ['unit', /^\/admin\/units\/(?<unitId>[^/]+)$/],
  ['apiUnit', /^\/api\/units\/(?<unitId>[^/]+)$/],
  ['export', /^\/admin\/plans\/(?<planId>[^/]+)\/(?<year>\d{4})\/exports$/],
  ['apiExports', /^\/api\/plans\/(?<planId>[^/]+)\/periods\/(?<year>\d{4})\/exports$/],
  ['exportFile', /^\/admin\/plans\/(?<planId>[^/]+)\/(?<year>\d{4})\/exports\/(?<fileId>[^/]+)$/],
  ['apiExportFile', /^\/api\/plans\/(?<planId>[^/]+)\/periods\/(?<year>\d{4})\/exports\/(?<fileId>[^/]+)$/],
  ['resend', /^\/admin\/plans\/(?<planId>[^/]+)\/(?<year>\d{4})\/units\/(?<unitId>[^/]+)\/resend$/],
  ['revoke', /^\/admin\/plans\/(?<planId>[^/]+)\/(?<year>\d{4})\/units\/(?<unitId>[^/]+)\/revoke$/],
  ['extension', /^\/admin\/plans\/(?<planId>[^/]+)\/(?<year>\d{4})\/units\/(?<unitId>[^/]+)\/extension$/],
  ['apiResend', /^\/api\/plans\/(?<planId>[^/]+)\/periods\/(?<year>\d{4})\/units\/(?<unitId>[^/]+)\/resend$/],
  ['apiRevoke', /^\/api\/plans\/(?<planId>[^/]+)\/periods\/(?<year>\d{4})\/units\/(?<unitId>[^/]+)\/revoke$/],
  [
    'apiExtension',
    /^\/api\/plans\/(?<planId>[^/]+)\/periods\/(?<year>\d{4})\/units\/(?<unitId>[^/]+)\/extension$/,
  ],
  [
    'unitFile',
    /^\/admin\/plans\/(?<planId>[^/]+)\/(?<year>\d{4})\/units\/(?<unitId>[^/]+)\/files\/(?<fileId>[^/]+)$/,
  ],
  [
    'apiUnitFile',
    /^\/api\/plans\/(?<planId>[^/]+)\/periods\/(?<year>\d{4})\/units\/(?<unitId>[^/]+)\/files\/(?<fileId>[^/]+)$/,
  ],
];

function matchRoute(path: string): Route | undefined {
  for (const [name, pattern] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    const groups = match.groups ?? {};
    const planId = groups.planId === undefined ? undefined : decode(groups.planId);
    const year = groups.year === undefined ? undefined : Number(groups.year);
    const unitId = groups.unitId === undefined ? undefined : decode(groups.unitId);
    const fileId = groups.fileId === undefined ? undefined : decode(groups.fileId);
    return { name, planId, year, unitId, fileId } as Route;
  }
  return undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
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

function notFound(wantsJson: boolean, ctx: { committeeName: string; timeZone: string }): Result {
  const message = 'Không tìm thấy trang này.';
  return wantsJson
    ? jsonResponse(404, { error: { code: 'NOT_FOUND', message } })
    : htmlResponse(404, renderMessage('Không tìm thấy', message, ctx));
}

/**
 * The committee's actions (all POST, same-origin and CSRF-checked before they get here): re-send
 * or revoke a unit's link, grant an extension, start an export. Pages answer with a redirect back
 * to the period (`?done=…` shows what happened); `/api/…` answers JSON.
 */
async function routeAction(req: HttpRequest, deps: AdminDeps, session: Session): Promise<Result> {
  const route = matchRoute(req.path);
  const json = req.path.startsWith('/api/');
  const body = json ? parseJsonObject(req.body) : parseForm(req.body);
  if (!route || !('year' in route))
    return notFound(json, { committeeName: deps.committeeName, timeZone: deps.timeZone });
  const back = (done: string) =>
    redirect(`/admin/plans/${encodeURIComponent(route.planId)}/${route.year}?done=${done}`);
  switch (route.name) {
    case 'resend':
    case 'apiResend':
    case 'revoke':
    case 'apiRevoke': {
      const revoke = route.name === 'revoke' || route.name === 'apiRevoke';
      const result = await manageLink(deps.uploads, deps.auth.mail, route.planId, route.year, route.unitId, {
        revoke,
        resend: true,
      });
      return json
        ? jsonResponse(200, { unitId: route.unitId, revoked: result.revoked, resent: result.resent })
        : back(revoke ? 'revoked' : 'resent');
    }
    case 'extension':
    case 'apiExtension': {
      const assignment = await grantExtension(
        deps.core,
        route.planId,
        route.year,
        route.unitId,
        String(body.until ?? ''),
      );
      return json
        ? jsonResponse(200, { unitId: route.unitId, extendedDeadline: assignment.extendedDeadline })
        : back('extended');
    }
    case 'export':
    case 'apiExports': {
      const record = await requestExport(
        { ...deps.core, exports: deps.exports },
        route.planId,
        route.year,
        session.email,
      );
      await deps.invoker.invoke({
        planId: route.planId,
        year: route.year,
        exportId: record.exportId,
        requestedBy: session.email,
      });
      return json ? jsonResponse(202, { export: record }) : back('export-started');
    }
    default:
      return notFound(json, { committeeName: deps.committeeName, timeZone: deps.timeZone });
  }
}

/** A JSON object body (size checked before parsing, by the shared parser); `{}` when empty. */
function parseJsonObject(body: string): Record<string, unknown> {
  if (!body) return {};
  const value = parseJsonBody(body);
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ValidationError('Body is not a JSON object', [], 'Dữ liệu gửi lên không phải là JSON hợp lệ.');
}

/** A unit's record across plans and years (the year-over-year view). */
export interface UnitHistory {
  unit: { id: string; name: string } | null;
  rows: {
    planId: string;
    planNumber: string;
    year: number;
    deadline: string;
    status: string;
    submittedAt: string | null;
    files: number;
  }[];
}

async function unitHistory(core: Deps, unitId: string): Promise<UnitHistory> {
  const [unit, plans] = await Promise.all([core.plans.getUnit(unitId), core.plans.listPlans()]);
  const rows: UnitHistory['rows'] = [];
  for (const plan of plans) {
    for (const period of await core.plans.listPeriods(plan.id)) {
      const a = await core.submissions.getAssignment(plan.id, period.year, unitId);
      if (!a) continue;
      rows.push({
        planId: plan.id,
        planNumber: plan.number,
        year: period.year,
        deadline: a.extendedDeadline ?? period.deadline,
        status: a.status,
        submittedAt: a.submittedAt,
        files: a.files.length,
      });
    }
  }
  if (!unit && rows.length === 0) {
    throw new NotFoundError(`Unit not found: ${unitId}`, `Không tìm thấy đơn vị "${unitId}".`);
  }
  rows.sort((x, y) => y.year - x.year || x.planNumber.localeCompare(y.planNumber));
  return { unit: unit ? { id: unit.id, name: unit.name } : null, rows };
}
