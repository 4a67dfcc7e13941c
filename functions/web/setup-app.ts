import { isMultipart, parseMultipart } from '#functions/http/multipart.ts';
import type { HttpRequest } from '#functions/http/request.ts';
import type { RouteHandlers } from '#functions/http/routes.ts';
import type { Result, SetupDeps, SignedInContext, SignedInRoute } from './admin-context.ts';
import { audited } from './audit-events.ts';
import { type CommitteeApp, handleCommitteeRequest } from './committee-app.ts';
import { PLAN_SETUP_HANDLERS } from './plan-setup-routes.ts';

export type { SetupDeps } from './admin-context.ts';

/**
 * setup-api's pages (`/admin…`) and JSON (`/api/…`): the year's setup, the routes of `setup` in
 * functions/http/routes.ts — a plan's import (a document read into a preview, then saved), its
 * calendar, opening a period. The same session and request flow as admin-api's (committee-app.ts);
 * it reads forms with a file, as units-api does (units-app.ts: the units, their import and
 * workbook, a plan's recipients).
 */
export function handleSetupRequest(req: HttpRequest, deps: SetupDeps): Promise<Result> {
  return handleCommitteeRequest(SETUP_APP, req, deps);
}

/** setup-api's routes, all signed in: one handler each (the compiler checks it is complete). */
export const SETUP_ROUTE_HANDLERS: RouteHandlers<
  SignedInRoute<'setup'>,
  SignedInContext<SetupDeps>,
  Promise<Result>
> = {
  ...audited(PLAN_SETUP_HANDLERS),
};

const SETUP_APP: CommitteeApp<'setup'> = {
  fn: 'setup',
  open: {},
  signedIn: SETUP_ROUTE_HANDLERS,
  readForm: async (req) => (isMultipart(req) ? parseMultipart(req) : undefined),
};
