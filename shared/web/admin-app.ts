import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
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
import { type HttpRequest, parseForm } from '#shared/http/request.ts';
import { describeError, htmlResponse, jsonResponse, redirect } from '#shared/http/responses.ts';
import type { Deps } from '#shared/services/deps.ts';
import { listPeriods, periodStatus } from '#shared/services/periods.ts';
import { getPlan, listPlans } from '#shared/services/plans.ts';
import { listUnits } from '#shared/services/units.ts';
import { renderDashboard, renderMessage, renderPeriodStatus, renderPlan } from './admin-pages.ts';
import { renderCheckMail, renderConfirmSignIn, renderSignIn } from './auth-pages.ts';

type Result = APIGatewayProxyStructuredResultV2;

export interface AdminDeps {
  core: Deps;
  auth: AuthDeps;
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
    case 'period':
      return htmlResponse(200, renderPeriodStatus(await periodStatus(core, route.planId, route.year), ctx));
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
  | { name: 'period' | 'apiPeriod'; planId: string; year: number };

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
];

function matchRoute(path: string): Route | undefined {
  for (const [name, pattern] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    const groups = match.groups ?? {};
    const planId = groups.planId === undefined ? undefined : decode(groups.planId);
    const year = groups.year === undefined ? undefined : Number(groups.year);
    return { name, planId, year } as Route;
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
  const crossSite = site ? site !== 'same-origin' && site !== 'none' : Boolean(origin && origin !== appOrigin);
  if (crossSite) throw new ForbiddenError('Cross-site request refused', 'Yêu cầu từ trang web khác bị từ chối.');
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
