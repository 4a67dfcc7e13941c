import { htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { ValidationError } from '#shared/errors.ts';
import { getExport, listExports, requestExport } from '#shared/export/records.ts';
import { periodStatus } from '#shared/periods/periods.ts';
import { grantExtension } from '#shared/periods/reporting-calendar.ts';
import { manageLink } from '#shared/uploads/send-link.ts';
import {
  actionBody,
  backToPeriod,
  notFound,
  type Result,
  type SignedInContext,
  type SignedInHandlers,
  type UnitInPeriod,
} from './admin-context.ts';
import { renderPeriodStatus } from './admin-pages.ts';

/**
 * A reporting period: its page and JSON, each unit's files and link actions (resend, revoke,
 * extension), and its consolidated exports. Actions (POST) get here same-origin and
 * CSRF-checked; pages answer them with a redirect back to the period (`?done=…` shows what
 * happened), `/api/…` answers JSON.
 */
export const PERIOD_HANDLERS = {
  period: async ({ planId, year }, { req, deps, page }) => {
    const [status, exports] = await Promise.all([
      periodStatus(deps.core, planId, year),
      listExports({ ...deps.core, exports: deps.exports }, planId, year),
    ]);
    const notice = new URLSearchParams(req.query).get('done') ?? undefined;
    return htmlResponse(200, renderPeriodStatus(status, page, { exports, notice }));
  },
  unitFile: (params, context) => unitFile(params, context, false),
  resend: (params, context) => manageUnitLink(params, context, { revoke: false, json: false }),
  revoke: (params, context) => manageUnitLink(params, context, { revoke: true, json: false }),
  extension: (params, context) => extendDeadline(params, context, false),
  startExport: (params, context) => startExport(params, context, false),
  exportFile: (params, context) => exportFile(params, context),
  apiPeriod: async ({ planId, year }, { deps }) =>
    jsonResponse(200, await periodStatus(deps.core, planId, year)),
  apiUnitFile: (params, context) => unitFile(params, context, true),
  apiResend: (params, context) => manageUnitLink(params, context, { revoke: false, json: true }),
  apiRevoke: (params, context) => manageUnitLink(params, context, { revoke: true, json: true }),
  apiExtension: (params, context) => extendDeadline(params, context, true),
  apiExports: async ({ planId, year }, { deps }) =>
    jsonResponse(200, { exports: await listExports({ ...deps.core, exports: deps.exports }, planId, year) }),
  apiStartExport: (params, context) => startExport(params, context, true),
  apiExportFile: (params, context) => exportFile(params, context),
} satisfies SignedInHandlers<
  | 'period'
  | 'unitFile'
  | 'resend'
  | 'revoke'
  | 'extension'
  | 'startExport'
  | 'exportFile'
  | 'apiPeriod'
  | 'apiUnitFile'
  | 'apiResend'
  | 'apiRevoke'
  | 'apiExtension'
  | 'apiExports'
  | 'apiStartExport'
  | 'apiExportFile'
>;

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
