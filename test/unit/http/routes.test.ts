import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { CfnIntegration, type CfnRoute, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  type FunctionName,
  GATEWAY_ROUTES,
  gatewayRouteOf,
  isPathOf,
  matchRoute,
  PARAMS,
  pathFor,
  ROUTES,
  type RouteName,
  type RouteParams,
} from '#functions/http/routes.ts';
import { PUBLIC_ROUTE_HANDLERS } from '#functions/public-api.ts';
import { OPEN_ROUTE_HANDLERS, SIGNED_IN_ROUTE_HANDLERS } from '#functions/web/admin-app.ts';
import { addGatewayRoutes } from '#infra/constructs/api.ts';
import type { HttpHandler } from '#local/http-adapter.ts';
import { apiRoutes } from '#local/routes.ts';

const NAMES = Object.keys(ROUTES) as RouteName[];
const FUNCTIONS: FunctionName[] = ['public', 'admin'];
const namesOf = (fn: FunctionName) => NAMES.filter((name) => ROUTES[name].fn === fn).sort();

/** A request to route `name`, with the example value of each of its parameters. */
function exampleOf(name: RouteName): { method: string; path: string; params: Record<string, unknown> } {
  const { method, path } = ROUTES[name];
  const params: Record<string, unknown> = {};
  const example = path.replace(/\{([^}]+)\}/g, (_, param: keyof typeof PARAMS) => {
    params[param] = PARAMS[param].parse(PARAMS[param].example);
    return PARAMS[param].example;
  });
  return { method, path: example, params };
}

/**
 * The route key API Gateway picks for a request among `routeKeys`: an exact path over a greedy
 * `{proxy+}`, then the longer path (its "most specific match" rule; our routes never tie).
 */
function gatewayPick(routeKeys: readonly string[], method: string, path: string): string | undefined {
  const matching = routeKeys.filter((key) => {
    const [keyMethod, keyPath] = key.split(' ') as [string, string];
    const source = keyPath
      .split('/')
      .map((s) => (s.endsWith('+}') ? '.+' : s.startsWith('{') ? '[^/]+' : s))
      .join('/');
    return (keyMethod === 'ANY' || keyMethod === method) && new RegExp(`^${source}$`).test(path);
  });
  const greedy = (key: string) => (key.endsWith('+}') ? 1 : 0);
  return matching.sort((a, b) => greedy(a) - greedy(b) || b.length - a.length)[0];
}

describe('the route table', () => {
  it('gives each route a one-line summary, a path without a trailing slash, and its own method and path', () => {
    const operations = NAMES.map((name) => `${ROUTES[name].method} ${ROUTES[name].path}`);
    expect(new Set(operations).size).toBe(NAMES.length);
    for (const name of NAMES) {
      const { path, summary } = ROUTES[name];
      expect(summary, name).toMatch(/^\S.*\.$/);
      expect(summary, name).not.toContain('\n');
      expect(path === '/' || !path.endsWith('/'), name).toBe(true);
    }
  });

  it.each(NAMES)(
    'matches %s by its function, its method and its path alone, with typed parameters',
    (name) => {
      const { method, path, params } = exampleOf(name);
      const { fn } = ROUTES[name];
      const other = FUNCTIONS.find((f) => f !== fn)!;

      expect(matchRoute(fn, method, path)).toEqual({ name, params });
      expect(matchRoute(fn, method, `${path}/`)).toEqual({ name, params });
      expect(matchRoute(other, method, path)).toBeUndefined();
      expect(matchRoute(fn, method === 'GET' ? 'POST' : 'GET', path)?.name).not.toBe(name);
      expect(matchRoute(fn, 'PUT', path)).toBeUndefined();
      expect(pathFor(name, params as RouteParams<typeof name>)).toBe(path);
      expect(isPathOf(name, path)).toBe(true);
    },
  );

  it('reads and encodes parameters: years of four digits, ids percent-decoded, tokens as they are', () => {
    expect(matchRoute('admin', 'GET', '/admin/plans/12-kh/2026')).toEqual({
      name: 'period',
      params: { planId: '12-kh', year: 2026 },
    });
    expect(matchRoute('admin', 'GET', '/admin/plans/12-kh/26')).toBeUndefined();
    expect(matchRoute('admin', 'GET', '/api/units/c%C3%B4ng%20%C4%91o%C3%A0n')?.params).toEqual({
      unitId: 'công đoàn',
    });
    expect(matchRoute('admin', 'GET', '/api/plans/%E0%A4%A')?.params).toEqual({ planId: '%E0%A4%A' });
    expect(matchRoute('public', 'GET', '/u/a%2Fb/status')?.params).toEqual({ token: 'a%2Fb' });
    expect(matchRoute('admin', 'GET', '/admin/sign-in/not.a.secret')).toBeUndefined();
    expect(pathFor('unit', { unitId: 'a/b c' })).toBe('/admin/units/a%2Fb%20c');
  });

  it('matches nothing outside the table', () => {
    for (const [fn, method, path] of [
      ['public', 'GET', '/u/tok/status/x'],
      ['public', 'GET', '/u/tok/khong-co'],
      ['public', 'POST', '/u/tok'],
      ['admin', 'GET', '/admin/khong-co-trang-nay'],
      ['admin', 'POST', '/'],
      ['admin', 'GET', '/api'],
      ['admin', 'GET', '/api/plans/p/periods/2026/units/u/xoa'],
    ] as const) {
      expect(matchRoute(fn, method, path), `${method} ${path}`).toBeUndefined();
    }
  });
});

describe('the CDK routes, the local routes and the handlers agree', () => {
  /**
   * The routes infra/constructs/api.ts adds to an HTTP API, each with the function its integration
   * invokes: the route and integration resources' properties as the template holds them (resolved
   * from the constructs, not synthesized: a first synthesis costs seconds; test/infra does that).
   */
  function cdkRoutes(): { routeKey: string; fn: FunctionName }[] {
    const stack = new Stack(new App(), 'Routes');
    const httpApi = new HttpApi(stack, 'HttpApi', { createDefaultStage: false });
    const functionIds = new Map<string, FunctionName>();
    const integrations = Object.fromEntries(
      FUNCTIONS.map((fn) => {
        const lambda = new LambdaFunction(stack, `${fn}-function`, {
          runtime: Runtime.NODEJS_22_X,
          handler: 'index.handler',
          code: Code.fromInline('exports.handler = async () => ({})'),
        });
        functionIds.set(stack.getLogicalId(lambda.node.defaultChild as CfnElement), fn);
        return [fn, new HttpLambdaIntegration(`${fn}-integration`, lambda)];
      }),
    ) as Record<FunctionName, HttpLambdaIntegration>;

    const routes = addGatewayRoutes(httpApi, integrations);

    const integrationFunctions = new Map<string, FunctionName>();
    for (const integration of stack.node.findAll().filter((c) => c instanceof CfnIntegration)) {
      const uri = stack.resolve(integration.integrationUri) as { 'Fn::GetAtt': [string, 'Arn'] };
      integrationFunctions.set(stack.getLogicalId(integration), functionIds.get(uri['Fn::GetAtt'][0])!);
    }
    return routes.map((route) => {
      const resource = route.node.defaultChild as CfnRoute;
      // Target: { 'Fn::Join': ['', ['integrations/', { Ref: <integration> }]] }
      const target = stack.resolve(resource.target) as { 'Fn::Join': [string, [string, { Ref: string }]] };
      return {
        routeKey: stack.resolve(resource.routeKey) as string,
        fn: integrationFunctions.get(target['Fn::Join'][1][1].Ref)!,
      };
    });
  }

  const cdk = cdkRoutes();
  const cdkKeys = cdk.map((route) => route.routeKey);
  const handlers: Record<FunctionName, HttpHandler> = {
    public: (async () => ({ statusCode: 200 })) as HttpHandler,
    admin: (async () => ({ statusCode: 200 })) as HttpHandler,
  };
  const local = apiRoutes(handlers);

  it('creates exactly the gateway routes derived from the table, each to the function that owns its mount', () => {
    expect(cdk.map(({ routeKey, fn }) => `${routeKey} → ${fn}`).sort()).toEqual(
      GATEWAY_ROUTES.map(({ routeKey, fn }) => `${routeKey} → ${fn}`).sort(),
    );
  });

  it('deploys these coarse routes today (a change here is a change to the deployed API)', () => {
    expect(GATEWAY_ROUTES.map(({ routeKey, fn }) => `${routeKey} → ${fn}`)).toEqual([
      'ANY /u/{token} → public',
      'ANY /admin → admin',
      'ANY / → admin',
      'ANY /u/{token}/{proxy+} → public',
      'ANY /admin/{proxy+} → admin',
      'ANY /api/{proxy+} → admin',
    ]);
  });

  it.each(NAMES)('takes %s through the same gateway route to its function, on AWS and locally', (name) => {
    const { method, path } = exampleOf(name);
    const { fn } = ROUTES[name];
    const expected = gatewayRouteOf(name);
    expect(expected.fn).toBe(fn);

    // API Gateway, as synthesized.
    const picked = gatewayPick(cdkKeys, method, path);
    expect(picked).toBe(expected.routeKey);
    expect(cdk.find((route) => route.routeKey === picked)?.fn).toBe(fn);

    // The local adapter: the first route whose pattern matches (local/http-adapter.ts).
    const localRoute = local.find((route) => route.pattern.test(path));
    expect(localRoute?.routeKey).toBe(expected.routeKey);
    expect(localRoute?.handler).toBe(handlers[fn]);
  });

  it('has no gateway route that serves no route of the table', () => {
    const used = new Set(NAMES.map((name) => gatewayRouteOf(name).routeKey));
    expect([...used].sort()).toEqual([...cdkKeys].sort());
  });

  it('sends a path outside every mount nowhere, on AWS and locally (the gateway answers 404)', () => {
    for (const path of ['/khong-co', '/u', '/admins', '/api']) {
      expect(gatewayPick(cdkKeys, 'GET', path), path).toBeUndefined();
      expect(
        local.find((route) => route.pattern.test(path)),
        path,
      ).toBeUndefined();
    }
  });

  it('sends unknown paths under a mount to the function that owns it (which answers 404 itself)', () => {
    for (const [path, fn] of [
      ['/u/tok/khong-co', 'public'],
      ['/admin/khong-co-trang-nay', 'admin'],
      ['/api/khong-co', 'admin'],
    ] as const) {
      const picked = gatewayPick(cdkKeys, 'GET', path);
      expect(cdk.find((route) => route.routeKey === picked)?.fn, path).toBe(fn);
      expect(local.find((route) => route.pattern.test(path))?.handler, path).toBe(handlers[fn]);
    }
  });

  it('has a handler in public-api.ts for every public route, and no other', () => {
    expect(Object.keys(PUBLIC_ROUTE_HANDLERS).sort()).toEqual(namesOf('public'));
  });

  it('has a handler in admin-app.ts for every admin route, open ones apart, and no other', () => {
    const open = Object.keys(OPEN_ROUTE_HANDLERS).sort();
    const signedIn = Object.keys(SIGNED_IN_ROUTE_HANDLERS).sort();

    expect([...open, ...signedIn].sort()).toEqual(namesOf('admin'));
    expect(open).toEqual(namesOf('admin').filter((name) => ROUTES[name].auth === 'none'));
  });
});
