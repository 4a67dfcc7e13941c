import { parseForm } from '#functions/http/request.ts';
import { htmlResponse, jsonResponse, redirect, SECURITY_HEADERS } from '#functions/http/responses.ts';
import { pathFor } from '#functions/http/routes.ts';
import { localDate } from '#shared/domain/calendar.ts';
import type { UnitInput } from '#shared/domain/unit.ts';
import { CsvValidationError, DomainError, ValidationError } from '#shared/errors.ts';
import { MAX_PLAN_RECIPIENTS } from '#shared/input-limits.ts';
import { recipientUnits } from '#shared/periods/periods.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';
import { parseUnitsCsvRows } from '#shared/units/parse-units-csv.ts';
import { changeRecipients } from '#shared/units/recipients.ts';
import { reinstateUnit, retireUnit } from '#shared/units/retire.ts';
import { unitHistory } from '#shared/units/unit-history.ts';
import type { UnitColumn, UnitRow } from '#shared/units/unit-rows.ts';
import {
  addUnit,
  applyUnitsImport,
  editUnit,
  listUnits,
  previewUnitsImport,
  readUnitsFile,
  searchUnits,
} from '#shared/units/units.ts';
import { unitsXlsx } from '#shared/units/units-xlsx.ts';
import {
  actionBody,
  parseJsonObject,
  type Result,
  type SetupDeps,
  type SignedInContext,
  type SignedInHandlers,
} from './admin-context.ts';
import {
  IMPORT_CHUNK_BYTES,
  MAX_IMPORT_CHUNKS,
  renderImportErrors,
  renderImportPreview,
  renderRecipients,
  renderRecipientsPreview,
  renderUnitPage,
  renderUnits,
  UNIT_NOTICES,
  type UnitNotice,
} from './unit-pages.ts';

/** Units a page of the list shows. */
const UNITS_PAGE_SIZE = 200;
/** Longest search text read from `?q=`. */
const MAX_QUERY_CHARS = 200;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The committee's units ("Đơn vị") and who reports on a plan (setup-api): the list with search,
 * one unit's page (its record across plans and years, edit, retire, reinstate), the import of a
 * CSV or .xlsx through a preview, the list as .xlsx, and a plan's recipients through a preview
 * (docs/units.md). Pages answer a POST with a redirect (`?done=…`), or with the form again and
 * its problems; `/api/…` answers JSON.
 */
export const UNIT_HANDLERS = {
  units: async (_, { req, deps, page }) => {
    const query = new URLSearchParams(req.query);
    const q = (query.get('q') ?? '').slice(0, MAX_QUERY_CHARS).trim();
    const all = await listUnits(deps.core);
    return htmlResponse(
      200,
      renderUnits(searchUnits(all, q), page, {
        query: q,
        pageNumber: pageNumber(query.get('page')),
        pageSize: UNITS_PAGE_SIZE,
        total: all.length,
        today: today(deps.core),
        notice: doneNotice(query),
      }),
    );
  },
  unitsXlsx: (_, context) => unitsWorkbook(context),
  apiUnitsXlsx: (_, context) => unitsWorkbook(context),
  apiUnits: async (_, { deps }) => jsonResponse(200, { units: await listUnits(deps.core) }),

  unit: async ({ unitId }, { req, deps, page }) =>
    htmlResponse(
      200,
      renderUnitPage(await unitHistory(deps.core, unitId), page, {
        today: today(deps.core),
        notice: doneNotice(new URLSearchParams(req.query)),
      }),
    ),
  apiUnit: async ({ unitId }, { deps }) => jsonResponse(200, await unitHistory(deps.core, unitId)),

  addUnit: async (_, { req, deps, page }) => {
    const form = parseForm(req.body);
    const fields = unitFields(form, ['id', 'name', 'email', 'cc', 'note']);
    try {
      const unit = await addUnit(deps.core, fields);
      return redirect(`${pathFor('unit', { unitId: unit.id })}?done=added`);
    } catch (error) {
      if (!(error instanceof ValidationError || isConflict(error))) throw error;
      const all = await listUnits(deps.core);
      return htmlResponse(
        400,
        renderUnits(all, page, {
          query: '',
          pageNumber: 1,
          pageSize: UNITS_PAGE_SIZE,
          total: all.length,
          today: today(deps.core),
          addForm: { fields: form, problems: problemsOf(error) },
        }),
      );
    }
  },
  apiAddUnit: async (_, { req, deps }) => {
    const body = parseJsonObject(req.body);
    const unit = await addUnit(deps.core, unitFields(body, ['id', 'name', 'email', 'cc', 'note']));
    return jsonResponse(201, { unit });
  },

  editUnit: async ({ unitId }, { req, deps, page }) => {
    const form = parseForm(req.body);
    try {
      const result = await editUnit(deps.core, unitId, unitFields(form, ['name', 'email', 'cc', 'note']));
      return redirect(`${pathFor('unit', { unitId })}?done=${result.changed ? 'edited' : 'unchanged'}`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return unitPageWithProblems(unitId, { req, deps, page }, 'edit', form, error);
    }
  },
  apiEditUnit: async ({ unitId }, { req, deps }) => {
    const body = parseJsonObject(req.body);
    const result = await editUnit(deps.core, unitId, unitFields(body, ['name', 'email', 'cc', 'note']));
    return jsonResponse(200, result);
  },

  retireUnit: async ({ unitId }, { req, deps, page }) => {
    const form = parseForm(req.body);
    try {
      await retireUnit(deps.core, unitId, {
        from: form.from,
        reason: form.reason ?? '',
        detail: form.detail,
      });
      return redirect(`${pathFor('unit', { unitId })}?done=retired`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return unitPageWithProblems(unitId, { req, deps, page }, 'retire', form, error);
    }
  },
  apiRetireUnit: async ({ unitId }, { req, deps }) => {
    const body = parseJsonObject(req.body);
    const result = await retireUnit(deps.core, unitId, {
      from: optionalString(body.from, 'from'),
      reason: optionalString(body.reason, 'reason') ?? '',
      detail: optionalString(body.detail, 'detail'),
    });
    return jsonResponse(200, result);
  },

  reinstateUnit: async ({ unitId }, { req, deps }) => {
    actionBody(req, false);
    await reinstateUnit(deps.core, unitId);
    return redirect(`${pathFor('unit', { unitId })}?done=reinstated`);
  },
  apiReinstateUnit: async ({ unitId }, { req, deps }) => {
    actionBody(req, true);
    return jsonResponse(200, await reinstateUnit(deps.core, unitId));
  },

  importUnits: (_, context) => importPage(context),
  apiImportUnits: (_, context) => importApi(context),

  planRecipients: async ({ planId }, { req, deps, page }) => {
    const plan = await getPlan(deps.core, planId);
    const units = await activeUnits(deps.core);
    const query = new URLSearchParams(req.query);
    return htmlResponse(200, renderRecipients(plan, units, page, { notice: recipientsNotice(query) }));
  },
  changePlanRecipients: async ({ planId }, { req, deps, page }) => {
    const form = parseForm(req.body);
    const params = new URLSearchParams(req.body);
    const unitIds = form.scope === 'all' ? null : params.getAll('units').slice(0, MAX_PLAN_RECIPIENTS + 1);
    const confirm = form.confirm === '1';
    const plan = await getPlan(deps.core, planId);
    try {
      const change = await changeRecipients(deps.planner, planId, unitIds, { confirm });
      if (!confirm) return htmlResponse(200, renderRecipientsPreview(plan, change, page));
      const mailed = change.periods.reduce((sum, p) => sum + (p.announced ?? 0), 0);
      const left = change.periods.reduce((sum, p) => sum + p.leaving.length, 0);
      const issues = change.periods.filter((p) => p.problem).map((p) => p.year);
      const done = new URLSearchParams({ done: 'saved', mailed: String(mailed), left: String(left) });
      if (issues.length > 0) done.set('issues', issues.join(','));
      return redirect(`${pathFor('planRecipients', { planId })}?${done}`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const units = await activeUnits(deps.core);
      return htmlResponse(
        400,
        renderRecipients(plan, units, page, { error: error.userMessage, chosen: unitIds }),
      );
    }
  },
  apiPlanRecipients: async ({ planId }, { deps }) => {
    const plan = await getPlan(deps.core, planId);
    const units = await deps.core.plans.listUnits();
    const today = localDate(deps.core.clock.now(), plan.calendar.timeZone);
    return jsonResponse(200, {
      planId: plan.id,
      recipientUnitIds: plan.recipientUnitIds,
      units: recipientUnits(plan, units, today).map((u) => ({ unitId: u.id, unitName: u.name })),
    });
  },
  apiChangePlanRecipients: async ({ planId }, { req, deps }) => {
    const body = parseJsonObject(req.body);
    const unitIds = body.unitIds;
    if (
      unitIds !== null &&
      !(
        Array.isArray(unitIds) &&
        unitIds.length <= MAX_PLAN_RECIPIENTS &&
        unitIds.every((id) => typeof id === 'string')
      )
    ) {
      throw new ValidationError(
        'unitIds must be null or an array of unit ids',
        [],
        `"unitIds" phải là null (tất cả đơn vị đang hoạt động) hoặc danh sách tối đa ${MAX_PLAN_RECIPIENTS} mã đơn vị.`,
      );
    }
    const change = await changeRecipients(deps.planner, planId, unitIds as string[] | null, {
      confirm: body.confirm === true,
    });
    return jsonResponse(200, change);
  },
} satisfies SignedInHandlers<
  | 'units'
  | 'unitsXlsx'
  | 'apiUnitsXlsx'
  | 'apiUnits'
  | 'unit'
  | 'apiUnit'
  | 'addUnit'
  | 'apiAddUnit'
  | 'editUnit'
  | 'apiEditUnit'
  | 'retireUnit'
  | 'apiRetireUnit'
  | 'reinstateUnit'
  | 'apiReinstateUnit'
  | 'importUnits'
  | 'apiImportUnits'
  | 'planRecipients'
  | 'changePlanRecipients'
  | 'apiPlanRecipients'
  | 'apiChangePlanRecipients'
>;

/** The units a plan may name: active and not retired, by id. */
async function activeUnits(core: SignedInContext['deps']['core']) {
  return (await listUnits(core)).filter((u) => u.active && !u.retired);
}

function today(core: SignedInContext['deps']['core']): string {
  return localDate(core.clock.now(), core.settings.timeZone);
}

function pageNumber(value: string | null): number {
  const n = Number(value ?? '1');
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** The notice of `?done=…` on the units pages (only the app's own texts), with an import's counts. */
function doneNotice(query: URLSearchParams): string | undefined {
  const done = query.get('done') ?? '';
  if (done !== 'imported') {
    return Object.hasOwn(UNIT_NOTICES, done) ? UNIT_NOTICES[done as UnitNotice] : undefined;
  }
  const count = (name: string) => Math.max(0, Math.min(1_000_000, Number(query.get(name)) || 0));
  return `${UNIT_NOTICES.imported} ${count('created')} thêm mới, ${count('updated')} cập nhật, ${count('unchanged')} không đổi.`;
}

/** The notice of the recipients page after a confirmed change (numbers from its redirect). */
function recipientsNotice(query: URLSearchParams): string | undefined {
  if (query.get('done') !== 'saved') return undefined;
  const count = (name: string) => Math.max(0, Math.min(1_000_000, Number(query.get(name)) || 0));
  const issues = (query.get('issues') ?? '').split(',').filter((y) => /^\d{4}$/.test(y));
  return [
    'Đã lưu danh sách đơn vị nhận kế hoạch.',
    count('mailed') > 0 ? `${count('mailed')} đơn vị được gửi liên kết qua e-mail.` : '',
    count('left') > 0 ? `${count('left')} đơn vị thôi báo cáo trong kỳ đang mở từ hôm nay.` : '',
    issues.length > 0
      ? `Kỳ năm ${issues.join(', ')}: chưa giao hoặc chưa gửi được liên kết cho một số đơn vị (xem trang kỳ báo cáo).`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The unit's fields of a form or JSON body, as strings (anything else is refused). */
function unitFields<K extends UnitColumn>(
  body: Record<string, unknown>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const raw = body[key];
    // JSON may give the cc addresses as a list.
    const value =
      key === 'cc' && Array.isArray(raw) && raw.length <= 50 && raw.every((a) => typeof a === 'string')
        ? raw.join(';')
        : optionalString(raw, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ValidationError(`${name} must be a string`, [], `Trường "${name}" phải là chuỗi ký tự.`);
  }
  return value;
}

function isConflict(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code === 'CONFLICT';
}

function problemsOf(error: DomainError): string[] {
  if (error instanceof ValidationError && error.details.length > 0) return [...error.details];
  return [error.userMessage];
}

/** The unit's page again (400) with the form that was sent and its problems. */
async function unitPageWithProblems(
  unitId: string,
  { deps, page }: Pick<SignedInContext, 'req' | 'deps' | 'page'>,
  form: 'edit' | 'retire',
  fields: Record<string, string>,
  error: ValidationError,
): Promise<Result> {
  return htmlResponse(
    400,
    renderUnitPage(await unitHistory(deps.core, unitId), page, {
      today: today(deps.core),
      error: { form, fields, problems: problemsOf(error) },
    }),
  );
}

/** The units as .xlsx, to download. */
async function unitsWorkbook({ deps }: SignedInContext): Promise<Result> {
  const units = await listUnits(deps.core);
  const bytes = await unitsXlsx(units, { now: deps.core.clock.now(), timeZone: deps.core.settings.timeZone });
  return {
    statusCode: 200,
    headers: {
      ...SECURITY_HEADERS,
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': `attachment; filename="danh-sach-don-vi.xlsx"`,
    },
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
}

/** The uploaded file of a form (field `file`, or the only file). */
function uploadedFile({ form }: SignedInContext) {
  return form?.files.find((f) => f.field === 'file') ?? form?.files[0];
}

const NO_FILE = 'Chưa chọn tệp: hãy chọn tệp danh sách đơn vị (.xlsx hoặc .csv).';

/**
 * The page's import: a file → its preview (or its errors); the preview's confirmation (field
 * `confirm`, with the rows it carries) → written, then back to the units.
 */
async function importPage(ctx: SignedInContext<SetupDeps>): Promise<Result> {
  const { deps, page, form } = ctx;
  if (form?.fields.confirm === '1') {
    try {
      const rows = parseUnitsCsvRows(carriedRows(form.fields), 'CSV');
      const result = await applyUnitsImport(deps.core, rows, form.fields.format === 'xlsx' ? 'xlsx' : 'csv');
      const done = new URLSearchParams({
        done: 'imported',
        created: String(result.created),
        updated: String(result.updated),
        unchanged: String(result.unchanged),
      });
      return redirect(`${pathFor('units', {})}?${done}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return importErrorsPage(error, 'danh sách đã xem trước', ctx);
    }
  }
  const file = uploadedFile(ctx);
  const fileName = file?.fileName || 'tệp';
  try {
    if (!file || file.bytes.length === 0) throw new ValidationError('No file in the form', [], NO_FILE);
    const { format, rows } = await readUnitsFile(file.bytes, fileName, deps.documentReader);
    const preview = await previewUnitsImport(deps.core, rows, format);
    const chunks = rowChunks(rows.map((r) => r.unit));
    return htmlResponse(200, renderImportPreview(preview, chunks, fileName, page));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return importErrorsPage(error, fileName, ctx);
  }
}

function importErrorsPage(error: DomainError, fileName: string, { page }: SignedInContext): Result {
  const status = error.code === 'PAYLOAD_TOO_LARGE' ? 413 : error.code === 'CONFLICT' ? 409 : 400;
  if (error instanceof CsvValidationError) {
    const n = error.errors.length;
    return htmlResponse(status, renderImportErrors(error.errors, fileName, `Tệp có ${n} lỗi.`, page));
  }
  return htmlResponse(status, renderImportErrors([], fileName, error.userMessage, page));
}

/**
 * The JSON import: a multipart file (field `file`; field `confirm` = `true` or `1` to write) or
 * a JSON body `{csv, confirm}`. Answers the preview (200), or what was written (200); a bad file
 * gets 400 with `error.lines` (each problem with its line).
 */
async function importApi(ctx: SignedInContext<SetupDeps>): Promise<Result> {
  const { req, deps, form } = ctx;
  let rows: UnitRow[];
  let format: 'csv' | 'xlsx';
  let confirm: boolean;
  try {
    if (form) {
      const file = uploadedFile(ctx);
      if (!file || file.bytes.length === 0) throw new ValidationError('No file in the form', [], NO_FILE);
      ({ rows, format } = await readUnitsFile(file.bytes, file.fileName || 'tệp', deps.documentReader));
      confirm = form.fields.confirm === 'true' || form.fields.confirm === '1';
    } else {
      const body = parseJsonObject(req.body);
      if (typeof body.csv !== 'string') {
        throw new ValidationError(
          'csv must be a string',
          [],
          'Cần tệp (multipart, trường "file") hoặc JSON {"csv": "id,name,email\\n…", "confirm": false}.',
        );
      }
      rows = parseUnitsCsvRows(body.csv, 'CSV');
      format = 'csv';
      confirm = body.confirm === true;
    }
    if (!confirm) {
      return jsonResponse(200, { applied: false, ...(await previewUnitsImport(deps.core, rows, format)) });
    }
    return jsonResponse(200, { applied: true, ...(await applyUnitsImport(deps.core, rows, format)) });
  } catch (error) {
    if (!(error instanceof CsvValidationError)) throw error;
    return jsonResponse(400, {
      error: { code: error.code, message: error.userMessage, lines: error.errors },
    });
  }
}

/** The checked rows as normalised CSV, cut at line ends into fields of at most IMPORT_CHUNK_BYTES. */
export function rowChunks(units: readonly UnitInput[]): string[] {
  const withNote = units.some((u) => u.note !== undefined);
  const lines = [
    withNote ? 'id,name,email,cc,note' : 'id,name,email,cc',
    ...units.map((u) =>
      [u.id, u.name, u.email, u.cc.join(';'), ...(withNote ? [u.note ?? ''] : [])].map(csvField).join(','),
    ),
  ];
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = `${line}\n`;
    if (current && Buffer.byteLength(current) + Buffer.byteLength(next) > IMPORT_CHUNK_BYTES) {
      chunks.push(current);
      current = '';
    }
    current += next;
  }
  if (current) chunks.push(current);
  if (chunks.length > MAX_IMPORT_CHUNKS) {
    throw new ValidationError(
      `Import too large for the web form: ${chunks.length} chunks`,
      [],
      'Danh sách quá lớn để xác nhận qua trang web; hãy chia thành nhiều tệp nhỏ hơn, hoặc dùng lệnh "baocao units import".',
    );
  }
  return chunks;
}

/** The rows a confirmation carries back, in order (fields `rows-00`, `rows-01`, …). */
function carriedRows(fields: Record<string, string>): string {
  const names = Object.keys(fields)
    .filter((name) => /^rows-\d{2}$/.test(name))
    .sort();
  if (names.length === 0) {
    throw new ValidationError(
      'Confirmation without rows',
      [],
      'Xác nhận không kèm danh sách đơn vị; hãy chọn tệp và xem trước lại.',
    );
  }
  return names.map((name) => fields[name]).join('');
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
