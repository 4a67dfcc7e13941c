import { describeError, htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor } from '#functions/http/routes.ts';
import { localDate } from '#shared/domain/calendar.ts';
import { fileScanView, isCleared } from '#shared/domain/scan-result.ts';
import { DomainError, ValidationError } from '#shared/errors.ts';
import { exportZipName } from '#shared/export/names.ts';
import { getExport, listExports, requestExport } from '#shared/export/records.ts';
import { periodStatus } from '#shared/periods/periods.ts';
import { childCommitteeRows } from '#shared/tenancy/roll-up-status.ts';
import { extendDeadline } from '#shared/uploads/extend-deadline.ts';
import { manageLink } from '#shared/uploads/send-link.ts';
import { unitInPeriod } from '#shared/uploads/unit-in-period.ts';
import {
  type AdminDeps,
  actionBody,
  backToPeriod,
  notFound,
  type Result,
  type SignedInContext,
  type SignedInHandlers,
  type UnitInPeriod,
} from './admin-context.ts';
import {
  type ActionOrigin,
  filterCounts,
  filterRows,
  readFilter,
  readOrigin,
  renderActionError,
  renderPeriodPage,
  renderRevokeConfirm,
  renderUnitPage,
} from './period-pages.ts';

/**
 * A reporting period: its page and JSON (filtered by status with `?loc=`), each unit's page,
 * files and link actions (resend, revoke after a confirmation, extension, each e-mailing the
 * unit), and its consolidated exports. Actions (POST) get here same-origin and CSRF-checked;
 * pages answer them with a redirect back to where they were asked (the period with its filter,
 * or the unit's page; `?done=…` shows what happened), `/api/…` answers JSON.
 */
export const PERIOD_HANDLERS = {
  period: async ({ planId, year }, { req, deps, page }) => {
    const [status, exports] = await Promise.all([
      periodStatus(deps.core, planId, year),
      listExports({ ...deps.core, exports: deps.exports }, planId, year),
    ]);
    // The child committees among the units, with their branches' rates (docs/tenancy.md).
    const children = await childCommitteeRows(
      {
        registry: deps.tenancy.registry,
        committeeId: deps.tenancy.committeeId,
        core: deps.core,
        committee: async (id) => {
          const child = await deps.forCommittee(id);
          return child && { core: child.core, rollUps: child.tenancy.rollUps };
        },
      },
      status,
    );
    const query = new URLSearchParams(req.query);
    const today = localDate(deps.core.clock.now(), status.period.timeZone);
    // A committee with a parent on the period's open date sends its own report up from here
    // (docs/tenancy.md); its parent links are read once a minute at most, not per page.
    const reportsUp = (await deps.tenancy.parentOn(status.period.openDate)) !== null;
    return htmlResponse(
      200,
      renderPeriodPage(status, page, {
        today,
        filter: readFilter(req.query),
        exports,
        children,
        reportsUp,
        notice: query.get('done') ?? undefined,
      }),
    );
  },
  periodUnit: async (params, { req, deps, page }) => {
    const view = await readUnit(params, deps);
    const today = localDate(deps.core.clock.now(), view.period.timeZone);
    const notice = new URLSearchParams(req.query).get('done') ?? undefined;
    return htmlResponse(200, renderUnitPage(view, page, { today, notice }));
  },
  revokeConfirm: async (params, { req, deps, page }) => {
    const view = await readUnit(params, deps);
    const query = new URLSearchParams(req.query);
    // Asked from the period's list (`?from=period&loc=…`) or from the unit's page (no query).
    const origin: ActionOrigin =
      query.get('from') === 'period'
        ? readOrigin({ from: 'period', loc: query.get('loc') })
        : { from: 'unit' };
    return htmlResponse(200, renderRevokeConfirm(view, page, origin));
  },
  unitFile: (params, context) => unitFile(params, context, false),
  resend: (params, context) => manageUnitLink(params, context, { revoke: false, json: false }),
  revoke: (params, context) => manageUnitLink(params, context, { revoke: true, json: false }),
  extension: (params, context) => extendUnitDeadline(params, context, false),
  startExport: (params, context) => startExport(params, context, false),
  exportFile: (params, context) => exportFile(params, context),
  apiPeriod: async ({ planId, year }, { req, deps }) => {
    const status = await periodStatus(deps.core, planId, year);
    const asked = new URLSearchParams(req.query).has('loc');
    const filter = readFilter(req.query);
    return jsonResponse(200, {
      ...status,
      rows: asked ? filterRows(status.rows, filter) : status.rows,
      filter,
      filterCounts: filterCounts(status.rows),
    });
  },
  apiPeriodUnit: async (params, { deps }) => jsonResponse(200, await readUnit(params, deps)),
  apiUnitFile: (params, context) => unitFile(params, context, true),
  apiResend: (params, context) => manageUnitLink(params, context, { revoke: false, json: true }),
  apiRevoke: (params, context) => manageUnitLink(params, context, { revoke: true, json: true }),
  apiExtension: (params, context) => extendUnitDeadline(params, context, true),
  apiExports: async ({ planId, year }, { deps }) =>
    jsonResponse(200, { exports: await listExports({ ...deps.core, exports: deps.exports }, planId, year) }),
  apiStartExport: (params, context) => startExport(params, context, true),
  apiExportFile: (params, context) => exportFile(params, context),
} satisfies SignedInHandlers<
  | 'period'
  | 'periodUnit'
  | 'revokeConfirm'
  | 'unitFile'
  | 'resend'
  | 'revoke'
  | 'extension'
  | 'startExport'
  | 'exportFile'
  | 'apiPeriod'
  | 'apiPeriodUnit'
  | 'apiUnitFile'
  | 'apiResend'
  | 'apiRevoke'
  | 'apiExtension'
  | 'apiExports'
  | 'apiStartExport'
  | 'apiExportFile'
>;

function readUnit({ planId, year, unitId }: UnitInPeriod, deps: AdminDeps) {
  return unitInPeriod({ ...deps.uploads, versions: deps.versions }, planId, year, unitId);
}

/** Where a page's action returns: the period with its filter, or the unit's page; `done` says what happened. */
function backTo({ planId, year, unitId }: UnitInPeriod, origin: ActionOrigin, done: string): Result {
  if (origin.from === 'unit')
    return redirect(`${pathFor('periodUnit', { planId, year, unitId })}?done=${done}`);
  const loc = origin.loc === 'all' ? '' : `loc=${origin.loc}&`;
  return redirect(`${pathFor('period', { planId, year })}?${loc}done=${done}#don-vi`);
}

/**
 * A page's action that failed on a domain rule (a closed period, a withdrawn unit, …): the
 * message with a way back to where it was asked, instead of a dead end.
 */
function actionError(
  error: unknown,
  params: UnitInPeriod,
  origin: ActionOrigin,
  context: SignedInContext<AdminDeps>,
): Result {
  if (!(error instanceof DomainError)) throw error;
  const { statusCode, message } = describeError(error);
  const back =
    origin.from === 'unit'
      ? { href: pathFor('periodUnit', params), label: '← Quay lại trang của đơn vị' }
      : { href: pathFor('period', params), label: '← Quay lại kỳ báo cáo' };
  return htmlResponse(statusCode, renderActionError(message, back, context.page));
}

/** A unit's kept file, through a fresh presigned URL; 404 unless the unit's assignment lists it. */
async function unitFile(
  { planId, year, unitId, uploadId }: UnitInPeriod & { uploadId: string },
  { deps, page }: SignedInContext<AdminDeps>,
  json: boolean,
): Promise<Result> {
  const assignment = await deps.core.submissions.getAssignment(planId, year, unitId);
  const file = assignment?.files.find((f) => f.uploadId === uploadId);
  if (!assignment || !file) return notFound(json, page);
  // Only a file cleared by the malware scan is handed out (docs/malware-scanning.md). The
  // assignment's copy of the result may lag its version's: read the version before refusing.
  const result =
    assignment.scans?.[uploadId] ??
    (await deps.versions.getVersion(planId, year, unitId, assignment.latestVersion))?.scans?.[uploadId];
  const scan = fileScanView(result);
  if (!isCleared(scan.state)) {
    const message = `Không tải xuống được tệp "${file.fileName}": ${scan.label.toLowerCase()}. ${scan.reason}`;
    if (json) return jsonResponse(409, { error: { code: 'NOT_CLEARED', message, scan: scan.state } });
    return htmlResponse(
      409,
      renderActionError(
        message,
        { href: pathFor('periodUnit', { planId, year, unitId }), label: '← Quay lại trang của đơn vị' },
        page,
      ),
    );
  }
  return redirect(await deps.downloads.urlFor(file.key, file.fileName, file.versionId));
}

/** A ready export's ZIP, through a fresh presigned URL. */
async function exportFile(
  { planId, year, exportId }: { planId: string; year: number; exportId: string },
  { deps }: SignedInContext<AdminDeps>,
): Promise<Result> {
  const record = await getExport({ ...deps.core, exports: deps.exports }, planId, year, exportId);
  if (record.state !== 'ready') {
    throw new ValidationError(
      'Export not ready',
      [],
      'Bản tổng hợp chưa sẵn sàng; hãy tải lại trang sau ít phút.',
    );
  }
  return redirect(await deps.downloads.urlFor(record.key, exportZipName(planId, year)));
}

/**
 * Re-sends a unit its link, or revokes it: a new link, e-mailed with word that the old one no
 * longer works (the page asks for a confirmation first: {@link renderRevokeConfirm}).
 */
async function manageUnitLink(
  params: UnitInPeriod,
  context: SignedInContext<AdminDeps>,
  { revoke, json }: { revoke: boolean; json: boolean },
): Promise<Result> {
  const { planId, year, unitId } = params;
  const { req, deps } = context;
  const body = actionBody(req, json);
  const origin = readOrigin(body);
  try {
    const result = await manageLink(deps.uploads, deps.auth.mail, planId, year, unitId, {
      revoke,
      resend: true,
    });
    return json
      ? jsonResponse(200, { unitId, revoked: result.revoked, resent: result.resent })
      : backTo(params, origin, revoke ? 'revoked' : 'resent');
  } catch (error) {
    if (json) throw error;
    return actionError(error, params, origin, context);
  }
}

/**
 * Extends a unit's deadline to the body's `until` (dd/mm/yyyy, or YYYY-MM-DD) and e-mails the
 * unit its new deadline. On the page, a date refused shows the unit's page again with the
 * message beside the field and what was typed.
 */
async function extendUnitDeadline(
  params: UnitInPeriod,
  context: SignedInContext<AdminDeps>,
  json: boolean,
): Promise<Result> {
  const { planId, year, unitId } = params;
  const { req, deps, page } = context;
  const body = actionBody(req, json);
  const until = typeof body.until === 'string' ? body.until : String(body.until ?? '');
  try {
    const result = await extendDeadline(deps.uploads, deps.auth.mail, planId, year, unitId, until);
    return json
      ? jsonResponse(200, {
          unitId,
          extendedDeadline: result.assignment.extendedDeadline,
          deadline: result.deadline,
        })
      : backTo(params, { from: 'unit' }, 'extended');
  } catch (error) {
    if (json) throw error;
    if (error instanceof ValidationError) {
      const view = await readUnit(params, deps);
      const today = localDate(deps.core.clock.now(), view.period.timeZone);
      return htmlResponse(
        400,
        renderUnitPage(view, page, { today, error: error.userMessage, until: until.slice(0, 10) }),
      );
    }
    return actionError(error, params, { from: 'unit' }, context);
  }
}

/** Records an export of the period and starts the exporter. */
async function startExport(
  { planId, year }: { planId: string; year: number },
  { req, deps, session }: SignedInContext<AdminDeps>,
  json: boolean,
): Promise<Result> {
  actionBody(req, json);
  const record = await requestExport({ ...deps.core, exports: deps.exports }, planId, year, session.email);
  await deps.invoker.invoke({ planId, year, exportId: record.exportId, requestedBy: session.email });
  return json ? jsonResponse(202, { export: record }) : backToPeriod(planId, year, 'export-started');
}
