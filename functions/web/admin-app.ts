import { type HttpRequest, parseForm } from '#functions/http/request.ts';
import { htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor, type RouteHandlers } from '#functions/http/routes.ts';
import { safeReturnPath } from '#shared/committee/return-path.ts';
import { confirmSignIn, requestSignIn, SESSION_TTL_MS, signOut } from '#shared/committee/sign-in.ts';
import type {
  AdminDeps,
  OpenContext,
  OpenRoute,
  Result,
  SignedInContext,
  SignedInRoute,
} from './admin-context.ts';
import { audited } from './audit-events.ts';
import { AUDIT_HANDLERS } from './audit-routes.ts';
import { renderCheckMail, renderConfirmSignIn, renderSignIn } from './auth-pages.ts';
import { type CommitteeApp, handleCommitteeRequest, sessionCookie } from './committee-app.ts';
import { COMMITTEE_HANDLERS } from './committee-routes.ts';
import { MEMBER_HANDLERS } from './member-routes.ts';
import { PERIOD_HANDLERS } from './period-routes.ts';
import { PLAN_HANDLERS } from './plan-routes.ts';
import { REPORT_UP_HANDLERS } from './report-up-routes.ts';
import { SIGNATURE_HANDLERS } from './signature-routes.ts';

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
  // `?next=` (a page of the app, checked by safeReturnPath) travels from the page that asked for a
  // session, through the form and the e-mailed link, to the redirect after signing in.
  signInPage: async (_, { req, page }) => htmlResponse(200, renderSignIn(page, undefined, nextOf(req))),
  requestSignIn: async (_, { req, deps, page }) => {
    await requestSignIn(deps.auth, parseForm(req.body).email, req.sourceIp, nextOf(req));
    return htmlResponse(200, renderCheckMail(page, nextOf(req)));
  },
  confirmSignInPage: async ({ secret }, { req, page }) =>
    htmlResponse(200, renderConfirmSignIn(page, secret, nextOf(req))),
  confirmSignIn: async ({ secret }, { req, deps }) => {
    const { session, cookieValue, committees } = await confirmSignIn(deps.auth, secret);
    // Recorded once the session exists: a refused link (used, expired, not a member) records nothing.
    // In the audit log of the committee the session is bound to.
    const bound = (await deps.forCommittee(session.committeeId)) ?? deps;
    await bound.audit.record({
      kind: 'sign-in',
      actor: { type: 'member', id: session.email },
      target: {},
      requestId: req.requestId,
      clientIp: req.sourceIp,
      details: { action: 'sign-in', role: session.role },
    });
    // A member of several committees is bound to the first and offered the others.
    const onward =
      committees.length > 1
        ? `${pathFor('committees', {})}?signed-in=1`
        : (nextOf(req) ?? pathFor('dashboard', {}));
    return {
      ...redirect(onward),
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
  signOut: async (_, { req, deps, session }) => {
    await signOut(deps.auth, session);
    await deps.audit.record({
      kind: 'sign-in',
      actor: { type: 'member', id: session.email },
      target: {},
      requestId: req.requestId,
      clientIp: req.sourceIp,
      details: { action: 'sign-out' },
    });
    return { ...redirect(pathFor('signInPage', {})), cookies: [sessionCookie(deps, '', 0)] };
  },
  apiSession: async (_, { session, csrf }) =>
    jsonResponse(200, { email: session.email, role: session.role, expiresAt: session.expiresAt, csrf }),
  ...PLAN_HANDLERS,
  ...audited(PERIOD_HANDLERS),
  ...audited(MEMBER_HANDLERS),
  ...AUDIT_HANDLERS,
  ...SIGNATURE_HANDLERS,
  ...REPORT_UP_HANDLERS,
  ...COMMITTEE_HANDLERS,
};

const ADMIN_APP: CommitteeApp<'admin'> = {
  fn: 'admin',
  open: OPEN_ROUTE_HANDLERS,
  signedIn: SIGNED_IN_ROUTE_HANDLERS,
};

/** The page to return to after signing in (`?next=`), when it is one of the app's own. */
function nextOf(req: HttpRequest): string | undefined {
  return safeReturnPath(new URLSearchParams(req.query).get('next') ?? undefined);
}
