import { htmlResponse, jsonResponse } from '#functions/http/responses.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { listPeriods } from '#shared/periods/periods.ts';
import { listPlanOverviews, type PlanOverview } from '#shared/periods/plan-overview.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';
import type { SignedInHandlers } from './admin-context.ts';
import { renderDashboard, renderPlan } from './plan-pages.ts';

/**
 * The committee's plans at a glance (admin-api), as pages and JSON: the list of plans with each
 * one's current period, and one plan with its periods and its calendar. What changes a plan (its
 * import, its calendar, opening a period) is setup-api's: plan-setup-routes.ts.
 */
export const PLAN_HANDLERS = {
  dashboard: async (_, { req, deps, page }) => {
    const plans = await listPlanOverviews(deps.core);
    return htmlResponse(
      200,
      renderDashboard(plans, page, { done: doneOf(req.query), now: deps.core.clock.now() }),
    );
  },
  plan: async ({ planId }, { req, deps, page }) => {
    const plan = await getPlan(deps.core, planId);
    const periods = await listPeriods(deps.core, plan.id);
    return htmlResponse(
      200,
      renderPlan(plan, periods, page, { done: doneOf(req.query), now: deps.core.clock.now() }),
    );
  },
  apiPlans: async (_, { deps }) =>
    jsonResponse(200, { plans: (await listPlanOverviews(deps.core)).map(planSummary) }),
  apiPlan: async ({ planId }, { deps }) => {
    const plan = await getPlan(deps.core, planId);
    return jsonResponse(200, { plan, periods: await listPeriods(deps.core, plan.id) });
  },
} satisfies SignedInHandlers<'dashboard' | 'plan' | 'apiPlans' | 'apiPlan'>;

function doneOf(query: string): string | undefined {
  return new URLSearchParams(query).get('done') ?? undefined;
}

/** A plan in the list, with its current period's progress (ISO dates, as stored). */
function planSummary({ plan, current }: PlanOverview): Plan & { currentPeriod: unknown } {
  return {
    ...plan,
    currentPeriod: current && {
      year: current.period.year,
      status: current.period.status,
      openDate: current.period.openDate,
      deadline: current.period.deadline,
      closeDate: current.period.closeDate,
      expected: current.expected,
      reported: current.reported,
      onTime: current.onTime,
    },
  };
}
