/**
 * The units use cases over the in-memory ports: an import's preview (nothing written) and its
 * confirmation, adding and editing one unit, searching. Each refusal changes nothing.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, CsvValidationError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { parseUnitsCsvRows } from '#shared/units/parse-units-csv.ts';
import { retireUnit } from '#shared/units/retire.ts';
import {
  addUnit,
  applyUnitsImport,
  editUnit,
  importUnits,
  listUnits,
  previewUnitsImport,
  searchUnits,
} from '#shared/units/units.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';

const DEMO_PLAN = readFileSync(new URL('../../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url));
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;

describe('units: import with a preview, add, edit, search', () => {
  let rt: MemoryRuntime;

  beforeEach(async () => {
    // Prepare: 29/11/2026, two units, the demo plan's 2026 period open.
    rt = createMemoryRuntime({ now: '2026-11-29T02:00:00Z' });
    await importUnits(
      rt.deps,
      'id,name,email,cc,note\ncb-a,Chi bộ A,a@example.org,a2@example.org,Bí thư Lan\ncb-b,Chi bộ B,b@example.org,,\n',
    );
    await importPlan(rt.deps, DEMO_PLAN, 'ke-hoach.txt');
    await openPeriod(rt.deps, { planId: PLAN, year: YEAR });
  });

  it('previews an import row by row without writing, then writes exactly that on confirmation', async () => {
    // Prepare: cb-a unchanged, cb-b with a new address and note, cb-c new; no note column would
    // keep the notes, this file has one.
    const rows = parseUnitsCsvRows(
      'id,name,email,cc,note\n' +
        'cb-a,Chi bộ A,a@example.org,a2@example.org,Bí thư Lan\n' +
        'cb-b,Chi bộ B,b-moi@example.org,,Mới\n' +
        'cb-c,Chi bộ C,c@example.org,,\n',
    );
    const before = await listUnits(rt.deps);
    // Act
    const preview = await previewUnitsImport(rt.deps, rows);
    const unchangedStore = await listUnits(rt.deps);
    const result = await applyUnitsImport(rt.deps, rows);
    // Assess
    expect(preview).toMatchObject({ format: 'csv', total: 3, created: 1, updated: 1, unchanged: 1 });
    expect(preview.rows.map((r) => [r.line, r.unit.id, r.change, r.fields])).toEqual([
      [2, 'cb-a', 'unchanged', []],
      [3, 'cb-b', 'updated', ['email', 'note']],
      [4, 'cb-c', 'created', []],
    ]);
    expect(unchangedStore).toStrictEqual(before);
    expect(result).toEqual({ total: 3, created: 1, updated: 1, unchanged: 1, assignmentsUpdated: 1 });
    expect(await rt.stores.plans.getUnit('cb-b')).toMatchObject({ email: 'b-moi@example.org', note: 'Mới' });
    expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-b'))?.email).toBe('b-moi@example.org');
    expect(await rt.stores.plans.getUnit('cb-c')).toStrictEqual({
      id: 'cb-c',
      name: 'Chi bộ C',
      email: 'c@example.org',
      cc: [],
      active: true,
      updatedAt: '2026-11-29T02:00:00.000Z',
    });
  });

  it('keeps notes when the file has no note column, and a retired unit retired', async () => {
    // Prepare
    await retireUnit(rt.deps, 'cb-b', { from: '2026-12-01', reason: 'merged' });
    // Act
    const preview = await previewUnitsImport(
      rt.deps,
      parseUnitsCsvRows('id,name,email\ncb-a,Chi bộ A (mới),a@example.org\ncb-b,Chi bộ B,b@example.org\n'),
    );
    await importUnits(
      rt.deps,
      'id,name,email\ncb-a,Chi bộ A (mới),a@example.org\ncb-b,Chi bộ B,b@example.org\n',
    );
    // Assess
    expect(preview.rows.map((r) => [r.unit.id, r.change, r.fields, r.retired])).toEqual([
      ['cb-a', 'updated', ['name', 'cc'], false],
      ['cb-b', 'unchanged', [], true],
    ]);
    expect(await rt.stores.plans.getUnit('cb-a')).toMatchObject({
      name: 'Chi bộ A (mới)',
      note: 'Bí thư Lan',
    });
    expect(await rt.stores.plans.getUnit('cb-b')).toMatchObject({
      active: false,
      retired: { from: '2026-12-01' },
    });
  });

  it('refuses a row whose id differs from a stored unit’s only in letter case, writing nothing', async () => {
    const rows = parseUnitsCsvRows(
      'id,name,email\ncb-d,Chi bộ D,d@example.org\nCB-A,Chi bộ A,a@example.org\n',
    );
    const before = await listUnits(rt.deps);
    await expect(previewUnitsImport(rt.deps, rows)).rejects.toBeInstanceOf(CsvValidationError);
    const error = await applyUnitsImport(rt.deps, rows).catch((e: unknown) => e);
    expect((error as CsvValidationError).errors).toEqual([
      { line: 3, message: expect.stringContaining('mã đơn vị "CB-A" trùng với đơn vị đã có "cb-a"') },
    ]);
    expect(await listUnits(rt.deps)).toStrictEqual(before);
  });

  it('adds one unit, checked as a CSV row, and refuses an id taken in any letter case', async () => {
    // Act
    const unit = await addUnit(rt.deps, {
      id: ' cb-moi ',
      name: 'Chi bộ Mới'.normalize('NFD'),
      email: 'Moi@Example.org',
      cc: 'x@example.org, y@example.org',
      note: '',
    });
    const taken = await addUnit(rt.deps, { id: 'CB-A', name: 'Khác', email: 'k@example.org' }).catch(
      (e) => e,
    );
    const bad = await addUnit(rt.deps, { id: 'cb x', name: '=HYPERLINK("x")', email: 'không' }).catch(
      (e) => e,
    );
    // Assess
    expect(unit).toStrictEqual({
      id: 'cb-moi',
      name: 'Chi bộ Mới',
      email: 'moi@example.org',
      cc: ['x@example.org', 'y@example.org'],
      active: true,
      updatedAt: '2026-11-29T02:00:00.000Z',
    });
    expect(await rt.stores.plans.getUnit('cb-moi')).toStrictEqual(unit);
    expect(taken).toBeInstanceOf(ConflictError);
    expect(taken.userMessage).toContain('Đã có đơn vị mã "cb-a"');
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.details).toEqual([
      expect.stringContaining('mã đơn vị không hợp lệ: "cb x"'),
      expect.stringContaining('tên đơn vị bắt đầu bằng "="'),
      'email không hợp lệ: "không"',
    ]);
    expect((await listUnits(rt.deps)).map((u) => u.id)).toEqual(['cb-a', 'cb-b', 'cb-moi']);
  });

  it('edits a unit: the new contact reaches its open assignments, fields not given stay', async () => {
    // Act
    const noChange = await editUnit(rt.deps, 'cb-a', { name: 'Chi bộ A' });
    const edited = await editUnit(rt.deps, 'cb-a', { email: 'moi@example.org', note: '' });
    const bad = await editUnit(rt.deps, 'cb-a', { email: 'x@' }).catch((e) => e);
    const missing = await editUnit(rt.deps, 'khong-co', { name: 'X' }).catch((e) => e);
    // Assess
    expect(noChange).toMatchObject({ changed: false, assignmentsUpdated: 0 });
    expect(edited).toMatchObject({ changed: true, assignmentsUpdated: 1 });
    expect(await rt.stores.plans.getUnit('cb-a')).toStrictEqual({
      id: 'cb-a',
      name: 'Chi bộ A',
      email: 'moi@example.org',
      cc: ['a2@example.org'],
      active: true,
      updatedAt: '2026-11-29T02:00:00.000Z',
    });
    expect(await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-a')).toMatchObject({
      email: 'moi@example.org',
      cc: ['a2@example.org'],
    });
    expect(bad).toBeInstanceOf(ValidationError);
    expect(missing).toBeInstanceOf(NotFoundError);
  });

  it('searches by id, name, e-mail or cc, without letter case or diacritics', async () => {
    const units = await listUnits(rt.deps);
    expect(searchUnits(units, 'chi bo a').map((u) => u.id)).toEqual(['cb-a']);
    expect(searchUnits(units, 'CHI BỘ').map((u) => u.id)).toEqual(['cb-a', 'cb-b']);
    expect(searchUnits(units, 'a2@').map((u) => u.id)).toEqual(['cb-a']);
    expect(searchUnits(units, 'cb-b').map((u) => u.id)).toEqual(['cb-b']);
    expect(searchUnits(units, '  ')).toHaveLength(2);
    expect(searchUnits(units, 'đảng')).toEqual([]);
  });
});
