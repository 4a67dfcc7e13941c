import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDeps } from '#shared/adapters/create-deps.ts';
import { type Config, loadConfig } from '#shared/config.ts';
import { describeError, htmlResponse, jsonResponse, redirect } from '#shared/http/responses.ts';
import { logger } from '#shared/powertools.ts';
import type { Deps } from '#shared/services/deps.ts';
import { listPeriods, periodStatus } from '#shared/services/periods.ts';
import { getPlan, listPlans } from '#shared/services/plans.ts';
import { listUnits } from '#shared/services/units.ts';
import { renderDashboard, renderMessage, renderPeriodStatus, renderPlan } from '#shared/web/admin-pages.ts';

type Result = APIGatewayProxyStructuredResultV2;

/**
 * The committee's pages (`/admin…`) and their JSON (`/api/…`). Sign-in by e-mailed link is not
 * built yet, so these answer only in local mode (a loopback server for one person); on AWS they
 * refuse every request rather than show data to anyone.
 */
export async function handleAdminRequest(
  event: APIGatewayProxyEventV2,
  deps: Deps,
  config: Config,
): Promise<Result> {
  const path = event.rawPath.replace(/\/+$/, '') || '/';
  const method = event.requestContext.http.method;
  const wantsJson = path.startsWith('/api/');
  const ctx = { committeeName: config.COMMITTEE_NAME, timeZone: config.TIME_ZONE };
  try {
    if (!config.BAOCAO_LOCAL_MODE) {
      const message = 'Trang của văn phòng Đảng ủy cần đăng nhập; chức năng đăng nhập chưa được bật.';
      return wantsJson
        ? jsonResponse(401, { error: { code: 'UNAUTHORIZED', message } })
        : htmlResponse(401, renderMessage('Cần đăng nhập', message, ctx));
    }
    if (method !== 'GET') return notFound(wantsJson, ctx);
    if (path === '/') return redirect('/admin');
    const route = matchRoute(path);
    switch (route?.name) {
      case 'dashboard': {
        const plans = await listPlans(deps);
        const withPeriods = await Promise.all(
          plans.map(async (plan) => ({ plan, periods: await listPeriods(deps, plan.id) })),
        );
        return htmlResponse(200, renderDashboard(withPeriods, ctx));
      }
      case 'plan': {
        const plan = await getPlan(deps, route.planId);
        return htmlResponse(200, renderPlan(plan, await listPeriods(deps, plan.id), ctx));
      }
      case 'period':
        return htmlResponse(200, renderPeriodStatus(await periodStatus(deps, route.planId, route.year), ctx));
      case 'apiPlans':
        return jsonResponse(200, { plans: await listPlans(deps) });
      case 'apiPlan': {
        const plan = await getPlan(deps, route.planId);
        return jsonResponse(200, { plan, periods: await listPeriods(deps, plan.id) });
      }
      case 'apiPeriod':
        return jsonResponse(200, await periodStatus(deps, route.planId, route.year));
      case 'apiUnits':
        return jsonResponse(200, { units: await listUnits(deps) });
      default:
        return notFound(wantsJson, ctx);
    }
  } catch (error) {
    const { statusCode, code, message } = describeError(error);
    if (statusCode >= 500) logger.error('admin request failed', { error: error as Error, path });
    return wantsJson
      ? jsonResponse(statusCode, { error: { code, message } })
      : htmlResponse(statusCode, renderMessage('Không thực hiện được', message, ctx));
  }
}

type Route =
  | { name: 'dashboard' | 'apiPlans' | 'apiUnits' }
  | { name: 'plan' | 'apiPlan'; planId: string }
  | { name: 'period' | 'apiPeriod'; planId: string; year: number };

/** Path patterns of the committee routes; named groups become route parameters. */
const ROUTES: [Route['name'], RegExp][] = [
  ['dashboard', /^\/admin$/],
  ['apiPlans', /^\/api\/plans$/],
  ['apiUnits', /^\/api\/units$/],
  ['plan', /^\/admin\/plans\/(?<planId>[^/]+)$/],
  ['period', /^\/admin\/plans\/(?<planId>[^/]+)\/(?<year>\d{4})$/],
  ['apiPlan', /^\/api\/plans\/(?<planId>[^/]+)$/],
  ['apiPeriod', /^\/api\/plans\/(?<planId>[^/]+)\/periods\/(?<year>\d{4})$/],
];

function matchRoute(path: string): Route | undefined {
  for (const [name, pattern] of ROUTES) {
    const groups = path.match(pattern)?.groups ?? (pattern.test(path) ? {} : undefined);
    if (!groups) continue;
    const planId = groups.planId === undefined ? undefined : decode(groups.planId);
    const year = groups.year === undefined ? undefined : Number(groups.year);
    return { name, planId, year } as Route;
  }
  return undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function notFound(wantsJson: boolean, ctx: { committeeName: string; timeZone: string }): Result {
  const message = 'Không tìm thấy trang này.';
  return wantsJson
    ? jsonResponse(404, { error: { code: 'NOT_FOUND', message } })
    : htmlResponse(404, renderMessage('Không tìm thấy', message, ctx));
}

let deps: Deps | undefined;

/** Lambda entry point: configuration and clients are built once per process. */
export const handler = middy<APIGatewayProxyEventV2, Result>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const config = loadConfig();
    deps ??= createDeps(config);
    return handleAdminRequest(event, deps, config);
  });
