import { isMultipart, parseMultipart } from '#functions/http/multipart.ts';
import { type HttpRequest, parseForm } from '#functions/http/request.ts';
import { describeError, htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import {
  dispatch,
  matchRoute,
  pathFor,
  ROUTES,
  type RouteHandlers,
  type RouteMatch,
  type RouteName,
  type RouteNameOf,
} from '#functions/http/routes.ts';
import {
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
import {
  type AdminDeps,
  notFound,
  type OpenContext,
  type OpenRoute,
  type Result,
  type SignedInContext,
  type SignedInRoute,
} from './admin-context.ts';
import { renderMessage } from './admin-pages.ts';
import { renderCheckMail, renderConfirmSignIn, renderSignIn } from './auth-pages.ts';
import { MEMBER_HANDLERS } from './member-routes.ts';
import { PERIOD_HANDLERS } from './period-routes.ts';
import { PLAN_HANDLERS } from './plan-routes.ts';
import { UNIT_HANDLERS } from './unit-routes.ts';

export type { AdminDeps } from './admin-context.ts';

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
    // The one check of roles, before the body is read and before any handler runs.
    if (route && requiresAdmin(route.name) && session.role !== 'admin') throw viewerRefused();
    const csrf = await csrfToken(deps.auth, session);
    // A form with a file is read only once the session is known (its size is bounded anyway).
    const form = req.method === 'POST' && isMultipart(req) ? await parseMultipart(req) : undefined;
    if (req.method === 'POST') {
      const token = req.headers['x-csrf-token'] ?? (form ? form.fields.csrf : parseForm(req.body).csrf);
      await checkCsrf(deps.auth, session, token);
    }
    if (!route) return notFound(wantsJson, page);
    const signedIn = { ...page, session: { email: session.email, csrf, role: session.role } };
    return await dispatch(SIGNED_IN_ROUTE_HANDLERS, route, {
      req,
      deps,
      session,
      csrf,
      form,
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
  apiSession: async (_, { session, csrf }) =>
    jsonResponse(200, { email: session.email, role: session.role, expiresAt: session.expiresAt, csrf }),
  ...PLAN_HANDLERS,
  ...UNIT_HANDLERS,
  ...PERIOD_HANDLERS,
  ...MEMBER_HANDLERS,
};

/**
 * The signed-in actions (POST) a viewer (theo dõi) may take: signing out. Every other POST of a
 * signed-in route changes something and is an admin's (quản trị) — routes added to the table later
 * included, with nothing to remember: test/unit/web/viewer-role.test.ts walks the whole table.
 */
export const VIEWER_ACTIONS: ReadonlySet<SignedInRoute> = new Set<SignedInRoute>(['signOut']);

/** Whether route `name` is refused to a viewer: a signed-in POST not in {@link VIEWER_ACTIONS}. */
export function requiresAdmin(name: RouteName): boolean {
  const spec = ROUTES[name];
  return spec.auth === 'session' && spec.method === 'POST' && !VIEWER_ACTIONS.has(name as SignedInRoute);
}

function viewerRefused(): ForbiddenError {
  return new ForbiddenError(
    'A viewer may not change anything',
    'Tài khoản theo dõi chỉ xem và tải xuống; không thể thay đổi.',
  );
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
