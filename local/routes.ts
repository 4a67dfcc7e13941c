import {
  FALLBACK_FUNCTION,
  type FunctionName,
  GATEWAY_ROUTES,
  gatewayPattern,
} from '#functions/http/routes.ts';
import type { HttpHandler, LocalRoute } from './http-adapter.ts';

/** The HTTP functions of a runtime, as the local stack built them (one per {@link FunctionName}). */
export type HttpFunctions = Record<FunctionName, unknown>;

/**
 * The HTTP API's routes, as infra/constructs/api.ts creates them (both derive from
 * functions/http/routes.ts), most specific first, bound to the runtime's handlers.
 */
export function apiRoutes(functions: HttpFunctions): LocalRoute[] {
  return [
    ...GATEWAY_ROUTES.map((route) => ({
      method: route.method,
      pattern: gatewayPattern(route.path),
      routeKey: route.routeKey,
      handler: functions[route.fn] as HttpHandler,
    })),
    // The gateway's `$default` route, last: every other path.
    {
      method: 'ANY',
      pattern: /^\//,
      routeKey: '$default',
      handler: functions[FALLBACK_FUNCTION] as HttpHandler,
    },
  ];
}
