import { isMultipart, parseMultipart } from '#functions/http/multipart.ts';
import type { HttpRequest } from '#functions/http/request.ts';
import type { RouteHandlers } from '#functions/http/routes.ts';
import type { Result, SetupDeps, SignedInContext, SignedInRoute } from './admin-context.ts';
import { audited } from './audit-events.ts';
import { AUDIT_XLSX_HANDLERS } from './audit-xlsx-routes.ts';
import { type CommitteeApp, handleCommitteeRequest } from './committee-app.ts';
import { UNIT_HANDLERS } from './unit-routes.ts';

/**
 * units-api's pages (`/admin…`) and JSON (`/api/…`): the routes of `units` in
 * functions/http/routes.ts — the committee's units, their import (CSV or .xlsx, a form with a
 * file), their workbook, a plan's recipients, and the audit log as .xlsx (this function holds the
 * .xlsx writer already). Split from setup-api to keep each bundle within its 450 KB budget; the
 * same deps as setup-api's and the same session and request flow as admin-api's
 * (committee-app.ts).
 */
export function handleUnitsRequest(req: HttpRequest, deps: SetupDeps): Promise<Result> {
  return handleCommitteeRequest(UNITS_APP, req, deps);
}

/** units-api's routes, all signed in: one handler each (the compiler checks it is complete). */
export const UNITS_ROUTE_HANDLERS: RouteHandlers<
  SignedInRoute<'units'>,
  SignedInContext<SetupDeps>,
  Promise<Result>
> = {
  ...audited(UNIT_HANDLERS),
  ...AUDIT_XLSX_HANDLERS,
};

const UNITS_APP: CommitteeApp<'units'> = {
  fn: 'units',
  open: {},
  signedIn: UNITS_ROUTE_HANDLERS,
  readForm: async (req) => (isMultipart(req) ? parseMultipart(req) : undefined),
};
