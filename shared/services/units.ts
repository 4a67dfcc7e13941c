import type { Unit } from '#shared/domain/unit.ts';
import { parseUnitsCsv } from '#shared/units/parse-units-csv.ts';
import type { Deps } from './deps.ts';

export interface ImportUnitsResult {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Upserts the committee's units from a CSV (`id,name,email[,cc]`). Every row is validated first;
 * any bad row throws CsvValidationError with line-numbered errors and nothing is written.
 * Units absent from the file are left as they are.
 */
export async function importUnits(deps: Deps, csv: string | Uint8Array): Promise<ImportUnitsResult> {
  const rows = parseUnitsCsv(csv);
  const existing = new Map((await deps.plans.listUnits()).map((u) => [u.id, u]));
  const now = deps.clock.now().toISOString();
  const changed: Unit[] = [];
  let created = 0;
  let updated = 0;
  for (const row of rows) {
    const before = existing.get(row.id);
    const unit: Unit = { ...row, active: true, updatedAt: now };
    if (!before) created++;
    else if (sameUnit(before, unit)) continue;
    else updated++;
    changed.push(unit);
  }
  await deps.plans.putUnits(changed);
  return { total: rows.length, created, updated, unchanged: rows.length - created - updated };
}

/** Every unit, sorted by id. */
export async function listUnits(deps: Deps): Promise<Unit[]> {
  return (await deps.plans.listUnits()).sort((a, b) => a.id.localeCompare(b.id));
}

function sameUnit(a: Unit, b: Unit): boolean {
  return (
    a.name === b.name && a.email === b.email && a.active === b.active && a.cc.join(';') === b.cc.join(';')
  );
}
