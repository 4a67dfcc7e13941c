import type { Deps } from '#shared/deps.ts';
import type { Unit } from '#shared/domain/unit.ts';
import { parseUnitsCsv } from '#shared/units/parse-units-csv.ts';

export interface ImportUnitsResult {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Assignments in periods not yet closed that took an updated unit's new name or addresses. */
  assignmentsUpdated: number;
}

/**
 * Upserts the committee's units from a CSV (`id,name,email[,cc]`). Every row is validated first;
 * any bad row throws CsvValidationError with line-numbered errors and nothing is written.
 * Units absent from the file are left as they are.
 *
 * An updated unit's name and addresses also reach its assignments in the periods not yet closed
 * (an assignment is otherwise a snapshot taken when the period opened): correcting an address
 * that bounced is how the committee makes the rest of the year's reminders and receipts arrive.
 * A changed address clears the mail problem recorded for the old one.
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
  const assignmentsUpdated = await propagateToOpenPeriods(
    deps,
    changed.filter((u) => existing.has(u.id)).map((u) => ({ before: existing.get(u.id)!, after: u })),
  );
  return {
    total: rows.length,
    created,
    updated,
    unchanged: rows.length - created - updated,
    assignmentsUpdated,
  };
}

/** Writes each updated unit's contact onto its assignments in the periods not closed yet. */
async function propagateToOpenPeriods(
  deps: Deps,
  updates: readonly { before: Unit; after: Unit }[],
): Promise<number> {
  if (updates.length === 0) return 0;
  const periods = (
    await Promise.all((await deps.plans.listPlans()).map((plan) => deps.plans.listPeriods(plan.id)))
  )
    .flat()
    .filter((period) => period.status !== 'closed');
  let count = 0;
  for (const period of periods) {
    for (const { before, after } of updates) {
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

/** Every unit, sorted by id. */
export async function listUnits(deps: Deps): Promise<Unit[]> {
  return (await deps.plans.listUnits()).sort((a, b) => a.id.localeCompare(b.id));
}

function sameUnit(a: Unit, b: Unit): boolean {
  return (
    a.name === b.name && a.email === b.email && a.active === b.active && a.cc.join(';') === b.cc.join(';')
  );
}
