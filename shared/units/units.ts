/**
 * The committee's units ("Đơn vị"): import a list (CSV or .xlsx) through a preview, add and edit
 * one unit, list and search them. Retirement is in ./retire.ts, who reports on a plan in
 * ./recipients.ts; docs/units.md tells the rules.
 */
import type { Deps } from '#shared/deps.ts';
import type { Unit, UnitInput } from '#shared/domain/unit.ts';
import { ConflictError, CsvValidationError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { DocumentReader } from '#shared/files/ports.ts';
import { parseUnitsCsvRows } from '#shared/units/parse-units-csv.ts';
import { looksLikeOle2, looksLikeZip, readUnitsXlsxRows } from './read-units-xlsx.ts';
import { checkUnitFields, type UnitColumn, type UnitRow } from './unit-rows.ts';

export interface ImportUnitsResult {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Assignments in periods not yet closed that took an updated unit's new name or addresses. */
  assignmentsUpdated: number;
}

/** What an import does to one row's unit. */
export type ImportChange = 'created' | 'updated' | 'unchanged';

/** One row of an import's preview. */
export interface ImportPreviewRow {
  line: number;
  unit: UnitInput;
  change: ImportChange;
  /** For an updated unit, the fields that change. */
  fields: ('name' | 'email' | 'cc' | 'note' | 'committee')[];
  /** The stored unit is retired: the import corrects its contact, and it stays retired. */
  retired: boolean;
}

/** What an import would do, row by row, before anything is written. */
export interface ImportPreview {
  format: 'csv' | 'xlsx';
  rows: ImportPreviewRow[];
  total: number;
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Reads a units file, CSV or .xlsx, told apart by its bytes (an .xlsx is a ZIP archive): every
 * row checked, or every problem reported with its line (row) number.
 * An .xlsx is read through `reader` (the document reader port); a CSV here.
 * @throws CsvValidationError, PayloadTooLargeError (see parseUnitsCsv and readUnitsXlsxRows).
 */
export async function readUnitsFile(
  bytes: Uint8Array,
  fileName = 'tệp',
  reader?: DocumentReader,
): Promise<{ format: 'csv' | 'xlsx'; rows: UnitRow[] }> {
  if (looksLikeZip(bytes) || looksLikeOle2(bytes)) {
    return { format: 'xlsx', rows: await readUnitsXlsxRows(bytes, fileName, reader) };
  }
  return { format: 'csv', rows: parseUnitsCsvRows(bytes, fileName) };
}

/**
 * What importing `rows` would change, unit by unit; nothing is written. A row whose id differs
 * from a stored unit's only by letter case is an error (ids are unique regardless of case).
 * @throws CsvValidationError naming those rows.
 */
export async function previewUnitsImport(
  deps: Deps,
  rows: readonly UnitRow[],
  format: 'csv' | 'xlsx' = 'csv',
): Promise<ImportPreview> {
  const existing = await deps.plans.listUnits();
  return previewAgainst(existing, rows, format);
}

function previewAgainst(
  existing: readonly Unit[],
  rows: readonly UnitRow[],
  format: 'csv' | 'xlsx',
): ImportPreview {
  const byId = new Map(existing.map((u) => [u.id, u]));
  const byLowerId = new Map(existing.map((u) => [u.id.toLowerCase(), u]));
  const errors: { line: number; message: string }[] = [];
  const preview: ImportPreviewRow[] = [];
  for (const { line, unit } of rows) {
    const before = byId.get(unit.id);
    const caseTwin = before ? undefined : byLowerId.get(unit.id.toLowerCase());
    if (caseTwin) {
      errors.push({
        line,
        message: `mã đơn vị "${unit.id}" trùng với đơn vị đã có "${caseTwin.id}" (chỉ khác chữ hoa, chữ thường): hãy dùng đúng mã "${caseTwin.id}"`,
      });
      continue;
    }
    const fields = before ? changedFields(before, unit) : [];
    preview.push({
      line,
      unit,
      change: !before ? 'created' : fields.length > 0 ? 'updated' : 'unchanged',
      fields,
      retired: Boolean(before?.retired),
    });
  }
  if (errors.length > 0) throw new CsvValidationError(errors, format === 'csv' ? 'CSV' : 'Excel (.xlsx)');
  const count = (change: ImportChange) => preview.filter((r) => r.change === change).length;
  return {
    format,
    rows: preview,
    total: preview.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
  };
}

/**
 * Writes the units of checked rows (a confirmed preview): new ones created active, changed ones
 * updated (their retirement, if any, kept), the others left alone; units absent from the rows
 * are left as they are. The rows are checked against the stored units again first.
 *
 * An updated unit's name and addresses also reach its assignments in the periods not yet closed
 * (an assignment is otherwise a snapshot taken when the period opened): correcting an address
 * that bounced is how the committee makes the rest of the year's reminders and receipts arrive.
 * A changed address clears the mail problem recorded for the old one.
 */
export async function applyUnitsImport(
  deps: Deps,
  rows: readonly UnitRow[],
  format: 'csv' | 'xlsx' = 'csv',
): Promise<ImportUnitsResult> {
  const existingList = await deps.plans.listUnits();
  const preview = previewAgainst(existingList, rows, format);
  const existing = new Map(existingList.map((u) => [u.id, u]));
  const now = deps.clock.now().toISOString();
  const changed = preview.rows
    .filter((r) => r.change !== 'unchanged')
    .map((r) => storedUnit(existing.get(r.unit.id), r.unit, now));
  await deps.plans.putUnits(changed);
  const assignmentsUpdated = await propagateToOpenPeriods(
    deps,
    changed.filter((u) => existing.has(u.id)).map((u) => ({ before: existing.get(u.id)!, after: u })),
  );
  return {
    total: preview.total,
    created: preview.created,
    updated: preview.updated,
    unchanged: preview.unchanged,
    assignmentsUpdated,
  };
}

/**
 * Upserts the committee's units from a CSV (`id,name,email[,cc][,note]`), as `baocao units
 * import` does: every row is validated first; any bad row throws CsvValidationError with
 * line-numbered errors and nothing is written. See {@link applyUnitsImport}.
 */
export async function importUnits(deps: Deps, csv: string | Uint8Array): Promise<ImportUnitsResult> {
  return applyUnitsImport(deps, parseUnitsCsvRows(csv), 'csv');
}

/**
 * Adds one unit (the web form): checked as a row of the units CSV.
 * @throws ValidationError listing the problems; ConflictError when the id exists (in any case).
 */
export async function addUnit(deps: Deps, fields: Partial<Record<UnitColumn, string>>): Promise<Unit> {
  const input = checkedFields(fields);
  const twin = (await deps.plans.listUnits()).find((u) => u.id.toLowerCase() === input.id.toLowerCase());
  const unit = storedUnit(undefined, input, deps.clock.now().toISOString());
  if (twin || !(await deps.plans.createUnit(unit))) {
    const id = twin?.id ?? input.id;
    throw new ConflictError(
      `Unit ${input.id} exists (${id})`,
      `Đã có đơn vị mã "${id}"; hãy chọn mã khác, hoặc sửa đơn vị đó ở trang của nó.`,
    );
  }
  return unit;
}

/**
 * Edits one unit's name, e-mail, cc and note (its id stays; a field not given keeps its value; an
 * empty note removes it); the new contact reaches its assignments in the periods not closed, as
 * an import does. A retired unit stays retired.
 * @throws NotFoundError for an unknown unit, ValidationError listing the problems.
 */
export async function editUnit(
  deps: Deps,
  unitId: string,
  fields: Partial<Record<Exclude<UnitColumn, 'id'>, string>>,
): Promise<{ unit: Unit; changed: boolean; assignmentsUpdated: number }> {
  const before = await requireUnit(deps, unitId);
  const input = checkedFields({
    id: before.id,
    name: fields.name ?? before.name,
    email: fields.email ?? before.email,
    cc: fields.cc ?? before.cc.join('; '),
    note: fields.note ?? before.note ?? '',
  });
  if (changedFields(before, input).length === 0)
    return { unit: before, changed: false, assignmentsUpdated: 0 };
  const after = storedUnit(before, input, deps.clock.now().toISOString());
  await deps.plans.putUnits([after]);
  const assignmentsUpdated = await propagateToOpenPeriods(deps, [{ before, after }]);
  return { unit: after, changed: true, assignmentsUpdated };
}

/** Every unit, sorted by id. */
export async function listUnits(deps: Deps): Promise<Unit[]> {
  return (await deps.plans.listUnits()).sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The units whose id, name, e-mail or a cc address contains `query`, compared without letter case,
 * Vietnamese diacritics or repeated spaces ("van phong" finds "Văn phòng"); every unit for an
 * empty query.
 */
export function searchUnits(units: readonly Unit[], query: string): Unit[] {
  const needle = foldVi(query).split(/\s+/).filter(Boolean).join(' ');
  if (needle === '') return [...units];
  return units.filter((u) =>
    [u.id, u.name, u.email, ...u.cc].some((field) => foldVi(field).split(/\s+/).join(' ').includes(needle)),
  );
}

/** Lower case without diacritics: "Đảng ủy" → "dang uy". */
export function foldVi(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

/** A stored unit, or NotFoundError. */
export async function requireUnit(deps: Deps, unitId: string): Promise<Unit> {
  const unit = await deps.plans.getUnit(unitId);
  if (!unit) throw new NotFoundError(`Unit not found: ${unitId}`, `Không tìm thấy đơn vị "${unitId}".`);
  return unit;
}

function checkedFields(fields: Partial<Record<UnitColumn, string>>): UnitInput {
  const strings = Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : v == null ? undefined : String(v),
    ]),
  ) as Partial<Record<UnitColumn, string>>;
  const { unit, problems } = checkUnitFields(strings);
  if (!unit) {
    throw new ValidationError(
      `Invalid unit: ${problems.join('; ')}`,
      problems,
      `Thông tin đơn vị chưa hợp lệ: ${problems.join('; ')}.`,
    );
  }
  return unit;
}

/** The unit to store for `input`: a new one active, an existing one keeping its state. */
function storedUnit(before: Unit | undefined, input: UnitInput, now: string): Unit {
  const { note: _note, committeeId: _committeeId, ...beforeRest } = before ?? ({} as Partial<Unit>);
  const note = input.note !== undefined ? input.note : before?.note;
  const committeeId = input.committeeId !== undefined ? input.committeeId : before?.committeeId;
  return {
    ...beforeRest,
    id: input.id,
    name: input.name,
    email: input.email,
    cc: input.cc,
    ...(note ? { note } : {}),
    ...(committeeId ? { committeeId } : {}),
    active: before ? before.active : true,
    updatedAt: now,
  };
}

function changedFields(before: Unit, input: UnitInput): ImportPreviewRow['fields'] {
  const fields: ImportPreviewRow['fields'] = [];
  if (before.name !== input.name) fields.push('name');
  if (before.email !== input.email) fields.push('email');
  if (before.cc.join(';') !== input.cc.join(';')) fields.push('cc');
  if (input.note !== undefined && (before.note ?? '') !== input.note) fields.push('note');
  if (input.committeeId !== undefined && (before.committeeId ?? '') !== input.committeeId)
    fields.push('committee');
  return fields;
}

/** Writes each updated unit's contact onto its assignments in the periods not closed yet. */
async function propagateToOpenPeriods(
  deps: Deps,
  updates: readonly { before: Unit; after: Unit }[],
): Promise<number> {
  const contactChanged = updates.filter(
    ({ before, after }) =>
      before.name !== after.name ||
      before.email !== after.email ||
      before.cc.join(';') !== after.cc.join(';'),
  );
  if (contactChanged.length === 0) return 0;
  const periods = await periodsNotClosed(deps);
  let count = 0;
  for (const period of periods) {
    for (const { before, after } of contactChanged) {
      const addressChanged = before.email !== after.email || before.cc.join(';') !== after.cc.join(';');
      const contact = { unitName: after.name, email: after.email, cc: after.cc };
      if (
        await deps.submissions.updateContact(period.planId, period.year, after.id, contact, addressChanged)
      ) {
        count++;
      }
    }
  }
  return count;
}

/** The periods of every plan that are not closed (plans are tens, periods a few each). */
export async function periodsNotClosed(deps: Deps) {
  return (await Promise.all((await deps.plans.listPlans()).map((plan) => deps.plans.listPeriods(plan.id))))
    .flat()
    .filter((period) => period.status !== 'closed');
}
