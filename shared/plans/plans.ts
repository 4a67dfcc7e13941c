import type { Deps } from '#shared/deps.ts';
import { planIdFor } from '#shared/domain/ids.ts';
import { DEFAULT_REMINDER_DAYS, type Plan, type ReportingCalendar } from '#shared/domain/plan.ts';
import { NotFoundError } from '#shared/errors.ts';
import { importPlanDocument } from '#shared/plans/read-plan-document.ts';

/** The calendar a plan gets when it is first imported (the document rarely says more than "yearly"). */
export function defaultCalendar(timeZone: string): ReportingCalendar {
  return {
    frequency: 'yearly',
    deadline: '12-15',
    openDaysBefore: 30,
    closeDaysAfter: 30,
    reminderDays: [...DEFAULT_REMINDER_DAYS],
    timeZone,
  };
}

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

/** The stored plan, or NotFoundError. */
export async function getPlan(deps: Deps, planId: string): Promise<Plan> {
  const plan = await deps.plans.getPlan(planId);
  if (!plan) throw new NotFoundError(`Plan not found: ${planId}`, `Không tìm thấy kế hoạch "${planId}".`);
  return plan;
}

/** Every plan, newest first. */
export async function listPlans(deps: Deps): Promise<Plan[]> {
  const plans = await deps.plans.listPlans();
  return plans.sort((a, b) => (b.date ?? b.importedAt).localeCompare(a.date ?? a.importedAt));
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}
