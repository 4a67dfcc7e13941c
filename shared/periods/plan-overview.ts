import type { Deps } from '#shared/deps.ts';
import type { Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { listPeriods, periodStatus } from '#shared/periods/periods.ts';
import { listPlans } from '#shared/plans/stored-plans.ts';

/** Where a plan's current period stands. */
export interface PeriodProgress {
  period: Period;
  /** Units expected (withdrawn ones left out, as on the period's page). */
  expected: number;
  /** Units that have submitted, on time or late. */
  reported: number;
  onTime: number;
}

export interface PlanOverview {
  plan: Plan;
  /** Newest first. */
  periods: Period[];
  /** The open period of the latest year, else the latest period; null before the first. */
  current: PeriodProgress | null;
}

/**
 * Every plan (newest first) with its periods and its current period's progress, for the
 * committee's list of plans and `baocao plan list`.
 *
 * DynamoDB requests: one Query of the plans, then per plan one Query of its periods and the
 * period status of its current period (the plan, the period and one paged Query of its
 * assignments). A committee has tens of plans, so a few requests per plan, run concurrently,
 * are cheaper than a summary kept up to date on every upload; with hundreds of plans this page
 * would want such a summary on the period item instead.
 */
export async function listPlanOverviews(deps: Deps): Promise<PlanOverview[]> {
  const plans = await listPlans(deps);
  return Promise.all(
    plans.map(async (plan): Promise<PlanOverview> => {
      const periods = await listPeriods(deps, plan.id);
      const latest = periods.find((p) => p.status === 'open') ?? periods[0];
      if (!latest) return { plan, periods, current: null };
      const status = await periodStatus(deps, plan.id, latest.year);
      return {
        plan,
        periods,
        current: {
          period: status.period,
          expected: status.expected,
          reported: status.reported,
          onTime: status.onTime,
        },
      };
    }),
  );
}
