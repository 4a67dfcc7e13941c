import { handler as adminHandler } from '#functions/admin-api.ts';
import { handler as publicHandler } from '#functions/public-api.ts';
import type { HttpHandler, LocalRoute } from './http-adapter.ts';

const asHttp = (h: unknown) => h as HttpHandler;

/** The HTTP API's routes (infra/constructs/api.ts), in the same order, bound to the same handlers. */
export function apiRoutes(): LocalRoute[] {
  return [
    { pattern: /^\/u\/(?<token>[^/]+)\/?$/, routeKey: 'GET /u/{token}', handler: asHttp(publicHandler) },
    {
      pattern: /^\/u\/(?<token>[^/]+)\/(?<proxy>.+)$/,
      routeKey: 'ANY /u/{token}/{proxy+}',
      handler: asHttp(publicHandler),
    },
    { pattern: /^\/admin\/?$/, routeKey: 'ANY /admin', handler: asHttp(adminHandler) },
    { pattern: /^\/admin\/(?<proxy>.+)$/, routeKey: 'ANY /admin/{proxy+}', handler: asHttp(adminHandler) },
    { pattern: /^\/api\/(?<proxy>.+)$/, routeKey: 'ANY /api/{proxy+}', handler: asHttp(adminHandler) },
    { pattern: /^\/$/, routeKey: 'GET /', handler: asHttp(adminHandler) },
  ];
}
