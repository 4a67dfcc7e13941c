import { htmlResponse, jsonResponse } from '#functions/http/responses.ts';
import { listPeriods } from '#shared/periods/periods.ts';
import { getPlan, listPlans } from '#shared/plans/plans.ts';
import type { SignedInHandlers } from './admin-context.ts';
import { renderDashboard, renderPlan } from './admin-pages.ts';

/** The committee's plans: the dashboard (the list of plans) and one plan, as pages and JSON. */
export const PLAN_HANDLERS = {
  dashboard: async (_, { deps, page }) => {
    const plans = await listPlans(deps.core);
    const withPeriods = await Promise.all(
      plans.map(async (plan) => ({ plan, periods: await listPeriods(deps.core, plan.id) })),
    );
    return htmlResponse(200, renderDashboard(withPeriods, page));
  },
  plan: async ({ planId }, { deps, page }) => {
    const plan = await getPlan(deps.core, planId);
    return htmlResponse(200, renderPlan(plan, await listPeriods(deps.core, plan.id), page));
  },
  apiPlans: async (_, { deps }) => jsonResponse(200, { plans: await listPlans(deps.core) }),
  apiPlan: async ({ planId }, { deps }) => {
    const plan = await getPlan(deps.core, planId);
    return jsonResponse(200, { plan, periods: await listPeriods(deps.core, plan.id) });
  },
} satisfies SignedInHandlers<'dashboard' | 'plan' | 'apiPlans' | 'apiPlan'>;
