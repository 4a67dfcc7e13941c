import type { Deps } from '#shared/deps.ts';
import { NotFoundError } from '#shared/errors.ts';
import { type ChildPack, collectPackContent, type PackContent } from '#shared/export/content.ts';
import type { PackDeps } from '#shared/export/ports.ts';
import { type PeriodStatus, periodStatus, type StatusRow } from '#shared/periods/periods.ts';
import type { RollUpStore } from './ports.ts';
import { parentOf, type RegistryDeps } from './registry.ts';

/** A child committee in its parent's period: its own report's status and its branches' rates. */
export interface ChildCommitteeRow {
  unitId: string;
  unitName: string;
  committeeId: string;
  /** Its own report in this period (the parent's row for it). */
  status: StatusRow['status'];
  /** Its plan that carries out this one, once confirmed; then its own period's rates. */
  childPlanId: string | null;
  branches: Pick<PeriodStatus, 'expected' | 'reported' | 'onTime' | 'completeness' | 'timeliness'> | null;
}

export interface ChildRatesDeps {
  registry: RegistryDeps;
  committeeId: string;
  /** Another committee's stores, or undefined (read only here, and only for its own children). */
  committee: (id: string) => Promise<{ core: Deps; rollUps: RollUpStore } | undefined>;
  core: Deps;
}

/**
 * For a parent's period: each unit that is a child committee of it — in the tree as it was on
 * the period's open date, so a closed period keeps the tree it had — with its own status and
 * its branches' completeness and timeliness in its period of the plan carrying this one out.
 * A committee that lists another it is not the parent of reads nothing of it.
 */
export async function childCommitteeRows(
  deps: ChildRatesDeps,
  status: PeriodStatus,
): Promise<ChildCommitteeRow[]> {
  const rows: ChildCommitteeRow[] = [];
  // The units that were committees when they joined the period (their assignments say so): no
  // request for a period without any.
  for (const row of status.rows) {
    const childId = row.committeeId;
    if (!childId || childId === deps.committeeId) continue;
    if ((await parentOf(deps.registry, childId, status.period.openDate)) !== deps.committeeId) continue;
    const child = await deps.committee(childId);
    const link =
      child &&
      (await child.rollUps.list()).find(
        (l) => l.parentId === deps.committeeId && l.parentPlanId === status.plan.id,
      );
    let branches: ChildCommitteeRow['branches'] = null;
    if (child && link) {
      try {
        const s = await periodStatus(child.core, link.planId, status.period.year);
        branches = {
          expected: s.expected,
          reported: s.reported,
          onTime: s.onTime,
          completeness: s.completeness,
          timeliness: s.timeliness,
        };
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    rows.push({
      unitId: row.unitId,
      unitName: row.unitName,
      committeeId: childId,
      status: row.status,
      childPlanId: link?.planId ?? null,
      branches,
    });
  }
  return rows;
}

/** What the parent's exporter reads of a child committee: its period's pack content and its links. */
export interface ChildPackDeps {
  registry: RegistryDeps;
  committeeId: string;
  committee: (id: string) => Promise<{ pack: PackDeps; rollUps: RollUpStore } | undefined>;
}

/**
 * The child committees' own periods for the parent's pack (`cap-duoi/<id>/summary.csv`): the
 * units of the content that are committees, whose parent on the period's open date is this
 * committee, and whose plan carrying this one out is confirmed and has that year's period.
 */
export async function childPacks(deps: ChildPackDeps, content: PackContent): Promise<ChildPack[]> {
  const packs: ChildPack[] = [];
  for (const unit of content.units) {
    const childId = unit.row.committeeId;
    if (!childId || childId === deps.committeeId) continue;
    if ((await parentOf(deps.registry, childId, content.period.openDate)) !== deps.committeeId) continue;
    const child = await deps.committee(childId);
    const link =
      child &&
      (await child.rollUps.list()).find(
        (l) => l.parentId === deps.committeeId && l.parentPlanId === content.plan.id,
      );
    if (!child || !link) continue;
    try {
      const own = await collectPackContent(child.pack, link.planId, content.period.year);
      packs.push({ committeeId: childId, units: own.units });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return packs;
}
