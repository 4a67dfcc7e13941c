import type { Deps } from '#shared/deps.ts';
import type { Withdrawal } from '#shared/domain/period.ts';
import type { Unit } from '#shared/domain/unit.ts';
import { NotFoundError } from '#shared/errors.ts';

/** A unit's record across plans and years (the year-over-year view). */
export interface UnitHistory {
  /** The stored unit (null when only its assignments remain). */
  unit: Unit | null;
  rows: {
    planId: string;
    planNumber: string;
    year: number;
    deadline: string;
    status: string;
    submittedAt: string | null;
    files: number;
    /** Whether the period is closed. */
    closed: boolean;
    /** The unit's withdrawal from that period (docs/units.md), or null. */
    withdrawn: Withdrawal | null;
  }[];
}

export async function unitHistory(core: Deps, unitId: string): Promise<UnitHistory> {
  const [unit, plans] = await Promise.all([core.plans.getUnit(unitId), core.plans.listPlans()]);
  const rows: UnitHistory['rows'] = [];
  for (const plan of plans) {
    for (const period of await core.plans.listPeriods(plan.id)) {
      const a = await core.submissions.getAssignment(plan.id, period.year, unitId);
      if (!a) continue;
      rows.push({
        planId: plan.id,
        planNumber: plan.number,
        year: period.year,
        deadline: a.extendedDeadline ?? period.deadline,
        status: a.status,
        submittedAt: a.submittedAt,
        files: a.files.length,
        closed: period.status === 'closed',
        withdrawn: a.withdrawn ?? null,
      });
    }
  }
  if (!unit && rows.length === 0) {
    throw new NotFoundError(`Unit not found: ${unitId}`, `Không tìm thấy đơn vị "${unitId}".`);
  }
  rows.sort((x, y) => y.year - x.year || x.planNumber.localeCompare(y.planNumber));
  return { unit: unit ?? null, rows };
}
