import type { Deps } from '#shared/deps.ts';
import { planIdFor } from '#shared/domain/ids.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { importPlanDocument } from '#shared/plans/read-plan-document.ts';
import { defaultCalendar } from '#shared/plans/stored-plans.ts';

// The stored plans' reads live apart (stored-plans.ts), so that what only reads plans does not
// bundle the document readers (yauzl, saxes); they are re-exported here for the callers of old.
export { defaultCalendar, getPlan, listPlans } from '#shared/plans/stored-plans.ts';

export interface ImportPlanResult {
  plan: Plan;
  /** false when a plan with the same number and year existed and was updated. */
  created: boolean;
}

/**
 * Imports a plan document (.txt or .docx). The document is parsed in full before anything is
 * written; a document that is not a plan throws PlanDocumentError and stores nothing.
 * Re-importing updates the parsed fields and keeps the committee's calendar and recipients.
 */
export async function importPlan(deps: Deps, bytes: Uint8Array, fileName: string): Promise<ImportPlanResult> {
  const parsed = await importPlanDocument(bytes, fileName);
  const id = planIdFor(parsed.number, parsed.date);
  const now = deps.clock.now().toISOString();
  const existing = await deps.plans.getPlan(id);
  const plan: Plan = {
    ...parsed,
    id,
    calendar: existing?.calendar ?? defaultCalendar(deps.settings.timeZone),
    recipientUnitIds: existing?.recipientUnitIds ?? null,
    sourceFileName: baseName(fileName),
    importedAt: existing?.importedAt ?? now,
    updatedAt: now,
  };
  await deps.plans.putPlan(plan);
  return { plan, created: !existing };
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}
