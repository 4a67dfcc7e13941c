import type { MultipartForm } from '#functions/http/multipart.ts';
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
import { safeReturnPath } from '#shared/committee/return-path.ts';
import {
  checkCsrf,
  csrfToken,
  ForbiddenError,
  memberSession,
  readSession,
  signOut,
  UnauthorizedError,
} from '#shared/committee/sign-in.ts';
import { logger } from '#shared/powertools.ts';
import {
  type CommitteeDeps,
  type CommitteeFunction,
  type DepsOf,
  notFound,
  type OpenContext,
  type Result,
  type SignedInContext,
  type SignedInRoute,
} from './admin-context.ts';
import { renderMessage } from './admin-pages.ts';

/**
 * One committee function's part of the table: its name in functions/http/routes.ts and its
 * dispatch records, one handler per route (the compiler checks each record is complete).
 */
export interface CommitteeApp<F extends CommitteeFunction> {
  readonly fn: F;
  /** The routes open without a session (the sign-in flow: admin-api's only). */
  readonly open: RouteHandlers<RouteNameOf<F, 'none'>, OpenContext<DepsOf<F>>, Promise<Result>>;
  readonly signedIn: RouteHandlers<RouteNameOf<F, 'session'>, SignedInContext<DepsOf<F>>, Promise<Result>>;
  /**
   * Reads a POSTed form with a file (`multipart/form-data`), once the session is known; undefined
   * for any other body. Only a function with such routes has one (the form parser stays out of the other's
   * bundle); without it, a multipart POST carries no readable CSRF field and is refused.
   */
  readonly readForm?: (req: HttpRequest) => Promise<MultipartForm | undefined>;
}

/**
 * The committee's pages (`/admin…`) and JSON (`/api/…`) of one function, behind sign-in by
 * e-mailed link; the routes are those of `app.fn` in functions/http/routes.ts. One flow for both
 * committee functions: every state-changing request must come from the app's own origin and carry
 * the session's CSRF token; a viewer's POST is refused before anything is read; the session
 * cookie is HttpOnly, SameSite=Strict and (on AWS) Secure. Any other method or path gets 404 (after
 * the session check): JSON under `/api/`, a page elsewhere.
 *
 * Many committees (docs/tenancy.md): `deps` are the deployment's first committee's; the session
 * (the deployment's, in `deps.auth`) names its committee, whose deps (`deps.forCommittee`, every
 * store scoped to it) are the only ones the route's handler gets, after the session's address is
 * found in that committee's member list. Here, and only here, a request is bound to a committee:
 * a handler never sees a committee id it could swap. A session of a committee the deployment no
 * longer holds is ended (the sign-in page).
 */
export async function handleCommitteeRequest<F extends CommitteeFunction>(
  app: CommitteeApp<F>,
  req: HttpRequest,
  base: DepsOf<F>,
): Promise<Result> {
  const wantsJson = req.path.startsWith('/api/');
  let deps = base;
  let page = { committeeName: deps.committeeName, timeZone: deps.timeZone };
  // A route of `app.fn`, so its record has the handler (by its auth): TypeScript cannot relate the
  // match to the records for a generic F, hence the `never` at each dispatch below.
  const route: RouteMatch | undefined = matchRoute(app.fn, req.method, req.path);
  const isOpen = route !== undefined && ROUTES[route.name].auth === 'none';
  try {
    // A path outside the committee's mounts (the gateway's `$default`: `/robots.txt`, a typo)
    // names nothing that needs a session: its 404 page at once, with the way back.
    if (!route && !isCommitteePath(req.path)) return notFound(false, page);
    if (req.method === 'POST') assertSameOrigin(req, deps.appOrigin);
    // The sign-in flow: the only committee routes open without a session.
    if (route && isOpen) {
      return await dispatch(app.open, route as never, { req, deps, page });
    }

    const stored = await readSession(base.auth, req.cookies[cookieName(base)]);
    const committee = (await base.forCommittee(stored.committeeId)) as DepsOf<F> | undefined;
    if (!committee) {
      await signOut(base.auth, stored);
      throw new UnauthorizedError(`No committee ${stored.committeeId}`, 'Vui lòng đăng nhập.');
    }
    deps = committee;
    page = { committeeName: deps.committeeName, timeZone: deps.timeZone };
    const session = await memberSession(deps.auth, stored);
    // The one check of roles, before the body is read and before any handler runs.
    if (route && requiresAdmin(route.name) && session.role !== 'admin') throw viewerRefused();
    const csrf = await csrfToken(deps.auth, session);
    // A form with a file is read only once the session is known (its size is bounded anyway).
    const form = req.method === 'POST' ? await app.readForm?.(req) : undefined;
    if (req.method === 'POST') {
      const token = req.headers['x-csrf-token'] ?? (form ? form.fields.csrf : parseForm(req.body).csrf);
      await checkCsrf(deps.auth, session, token);
    }
    if (!route) return notFound(wantsJson, page);
    const signedIn = {
      ...page,
      session: {
        email: session.email,
        csrf,
        role: session.role,
        ...(session.multiCommittee ? { multiCommittee: true } : {}),
      },
    };
    return await dispatch(app.signedIn, route as never, {
      req,
      deps,
      session,
      csrf,
      form,
      page: signedIn,
    });
  } catch (error) {
    if (error instanceof UnauthorizedError && !wantsJson && !isOpen && req.method === 'GET') {
      // Back to this page once signed in again (only a page of the app: safeReturnPath).
      // The dashboard is where signing in leads anyway: no `next` (and no "expired" notice) for it.
      const next = safeReturnPath(req.query ? `${req.path}?${req.query}` : req.path);
      const back = next && next !== pathFor('dashboard', {}) ? `?next=${encodeURIComponent(next)}` : '';
      return redirect(`${pathFor('signInPage', {})}${back}`);
    }
    const { statusCode, code, message } = describeError(error);
    // An unexpected error is logged here (the handler counts the 5xx: functions/http/lambda-http.ts).
    if (statusCode >= 500)
      logger.error('committee request failed', { error: error as Error, route: route?.name });
    return wantsJson
      ? jsonResponse(statusCode, { error: { code, message } })
      : htmlResponse(statusCode, renderMessage('Không thực hiện được', message, page));
  }
}

/**
 * The signed-in actions (POST) a viewer (theo dõi) may take: signing out, switching committee. Every other POST of a
 * signed-in route, of either committee function, changes something and is an admin's (quản trị) —
 * routes added to the table later included, with nothing to remember:
 * test/unit/web/viewer-role.test.ts walks the whole table.
 */
export const VIEWER_ACTIONS: ReadonlySet<SignedInRoute> = new Set<SignedInRoute>([
  'signOut',
  // Choosing which of one's committees to work for changes nothing of any committee.
  'selectCommittee',
  'apiSelectCommittee',
]);

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

/** The session cookie's name (one cookie for both committee functions: the same origin and path). */
export function cookieName(deps: CommitteeDeps): string {
  // The __Host- prefix makes the browser insist on Secure, Path=/ and no Domain.
  return deps.secureCookies ? '__Host-baocao-session' : 'baocao-session';
}

/** A `Set-Cookie` value of the session cookie (`''` and 0 seconds: its removal). */
export function sessionCookie(deps: CommitteeDeps, value: string, maxAgeSeconds: number): string {
  const secure = deps.secureCookies ? '; Secure' : '';
  return `${cookieName(deps)}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/** Whether `path` is under the committee's mounts (`/admin`, `/api`), where pages need a session. */
function isCommitteePath(path: string): boolean {
  return /^\/(?:admin|api)(?:\/|$)/.test(path);
}
