import { type HttpRequest, parseForm } from '#functions/http/request.ts';
import { htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor, type RouteHandlers } from '#functions/http/routes.ts';
import { confirmSignIn, requestSignIn, SESSION_TTL_MS, signOut } from '#shared/committee/sign-in.ts';
import type {
  AdminDeps,
  OpenContext,
  OpenRoute,
  Result,
  SignedInContext,
  SignedInRoute,
} from './admin-context.ts';
import { renderCheckMail, renderConfirmSignIn, renderSignIn } from './auth-pages.ts';
import { type CommitteeApp, handleCommitteeRequest, sessionCookie } from './committee-app.ts';
import { MEMBER_HANDLERS } from './member-routes.ts';
import { PERIOD_HANDLERS } from './period-routes.ts';
import { PLAN_HANDLERS } from './plan-routes.ts';

export type { AdminDeps } from './admin-context.ts';
export { requiresAdmin, VIEWER_ACTIONS } from './committee-app.ts';

/**
 * admin-api's pages (`/admin…`) and JSON (`/api/…`): the sign-in flow, the plans and periods at a
 * glance, a unit in a period and its actions, downloads, exports and members — the routes of
 * `admin` in functions/http/routes.ts, through the committee's one request flow
 * (committee-app.ts: same origin, session, viewer refusal, CSRF). The year's setup is setup-api's
 * (setup-app.ts).
 */
export function handleAdminRequest(req: HttpRequest, deps: AdminDeps): Promise<Result> {
  return handleCommitteeRequest(ADMIN_APP, req, deps);
}

/** The routes open without a session: one handler each (the compiler checks it is complete). */
export const OPEN_ROUTE_HANDLERS: RouteHandlers<OpenRoute, OpenContext<AdminDeps>, Promise<Result>> = {
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
 * admin-api's signed-in routes: one handler each (the compiler checks it is complete). Actions
 * (POST) get here same-origin and CSRF-checked; pages answer them with a redirect back to the
 * period (`?done=…` shows what happened), `/api/…` answers JSON.
 */
export const SIGNED_IN_ROUTE_HANDLERS: RouteHandlers<
  SignedInRoute<'admin'>,
  SignedInContext<AdminDeps>,
  Promise<Result>
> = {
  signOut: async (_, { deps, session }) => {
    await signOut(deps.auth, session);
    return { ...redirect(pathFor('signInPage', {})), cookies: [sessionCookie(deps, '', 0)] };
  },
  apiSession: async (_, { session, csrf }) =>
    jsonResponse(200, { email: session.email, role: session.role, expiresAt: session.expiresAt, csrf }),
  ...PLAN_HANDLERS,
  ...PERIOD_HANDLERS,
  ...MEMBER_HANDLERS,
};

const ADMIN_APP: CommitteeApp<'admin'> = {
  fn: 'admin',
  open: OPEN_ROUTE_HANDLERS,
  signedIn: SIGNED_IN_ROUTE_HANDLERS,
};
