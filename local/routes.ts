import { GATEWAY_ROUTES, gatewayPattern } from '#functions/http/routes.ts';
import type { HttpHandler, LocalRoute } from './http-adapter.ts';

const asHttp = (h: unknown) => h as HttpHandler;

/** The two HTTP functions of a runtime, as the local stack built them. */
export interface HttpFunctions {
  public: unknown;
  admin: unknown;
}

/**
 * The HTTP API's routes, as infra/constructs/api.ts creates them (both derive from
 * functions/http/routes.ts), most specific first, bound to the runtime's handlers.
 */
export function apiRoutes(functions: HttpFunctions): LocalRoute[] {
  const publicHandler = functions.public;
  const adminHandler = functions.admin;
  const handlers = { public: asHttp(publicHandler), admin: asHttp(adminHandler) };
  return GATEWAY_ROUTES.map((route) => ({
    pattern: gatewayPattern(route.path),
    routeKey: route.routeKey,
    handler: handlers[route.fn],
  }));
}
