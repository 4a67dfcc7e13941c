import type { Deps } from '#shared/deps.ts';
import { DEFAULT_REMINDER_DAYS, type Plan, type ReportingCalendar } from '#shared/domain/plan.ts';
import { NotFoundError } from '#shared/errors.ts';

/**
 * The stored plans, read: apart from plans.ts (a plan document's import), so that a function
 * that only reads plans (admin-api, public-api, the planner) bundles no document reader.
 */

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
