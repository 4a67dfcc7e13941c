import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { CfnIntegration, type CfnRoute, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  deriveGatewayRoutes,
  FALLBACK_FUNCTION,
  type FunctionName,
  GATEWAY_REACH,
  GATEWAY_ROUTES,
  gatewayRouteOf,
  isPathOf,
  matchRoute,
  PARAMS,
  pathFor,
  ROUTES,
  type RouteName,
  type RouteParams,
  type RouteSpec,
} from '#functions/http/routes.ts';
import { PUBLIC_ROUTE_HANDLERS } from '#functions/public-api.ts';
import { OPEN_ROUTE_HANDLERS, SIGNED_IN_ROUTE_HANDLERS } from '#functions/web/admin-app.ts';
import { SETUP_ROUTE_HANDLERS } from '#functions/web/setup-app.ts';
import { UNITS_ROUTE_HANDLERS } from '#functions/web/units-app.ts';
import { addGatewayRoutes } from '#infra/constructs/api.ts';
import type { HttpHandler } from '#local/http-adapter.ts';
import { apiRoutes } from '#local/routes.ts';

const NAMES = Object.keys(ROUTES) as RouteName[];
const FUNCTIONS = Object.keys(GATEWAY_REACH) as FunctionName[];
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
 * The route key API Gateway picks for a request among `routeKeys`, by its "most specific match"
 * rule, written here apart from functions/http/routes.ts: a key of the request's method or `ANY`
 * whose path matches; an exact path over a greedy `{proxy+}` (the longer greedy prefix first), then
 * more literal segments, then the method over `ANY`.
 */
function gatewayPick(routeKeys: readonly string[], method: string, path: string): string | undefined {
  const parse = (key: string) => {
    const [keyMethod, keyPath] = key.split(' ') as [string, string];
    const segments = keyPath.split('/').filter(Boolean);
    return {
      key,
      method: keyMethod,
      greedy: keyPath.endsWith('+}'),
      segments: segments.length,
      literals: segments.filter((s) => !s.startsWith('{')).length,
      pattern: new RegExp(
        `^${keyPath
          .split('/')
          .map((s) => (s.endsWith('+}') ? '.+' : s.startsWith('{') ? '[^/]+' : s.replace(/\./g, '\\.')))
          .join('/')}$`,
      ),
    };
  };
  const matching = routeKeys
    .filter((key) => key !== '$default')
    .map(parse)
    .filter((r) => (r.method === 'ANY' || r.method === method) && r.pattern.test(path));
  const rank = (r: ReturnType<typeof parse>) => [
    r.greedy ? 1 : 0,
    -r.segments,
    -r.literals,
    r.method === 'ANY' ? 1 : 0,
  ];
  matching.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x.map((v, i) => v - y[i]!).find((d) => d !== 0) ?? 0;
  });
  // `$default` takes what no other route matches.
  return matching[0]?.key ?? (routeKeys.includes('$default') ? '$default' : undefined);
}

/** The route the table gives a request: the first of ROUTES, whatever its function, that matches it. */
function tableAnswer(method: string, path: string): RouteName | undefined {
  const matched = FUNCTIONS.map((fn) => matchRoute(fn, method, path)?.name).filter(
    (name): name is RouteName => name !== undefined,
  );
  return matched.sort((a, b) => NAMES.indexOf(a) - NAMES.indexOf(b))[0];
}

/**
 * A path that both route paths match (each `{name}` the example of its parameter, or the other
 * path's segment where that one is literal), or undefined when no request matches both.
 */
function pathOfBoth(a: string, b: string): string | undefined {
  const [x, y] = [a.split('/'), b.split('/')];
  if (x.length !== y.length) return undefined;
  const param = (s: string) => /^\{([^}]+)\}$/.exec(s)?.[1] as keyof typeof PARAMS | undefined;
  const takes = (s: string, value: string) => {
    const p = param(s);
    return p ? new RegExp(`^(?:${PARAMS[p].pattern})$`).test(value) : s === value;
  };
  const segments: string[] = [];
  for (const [i, s] of x.entries()) {
    const t = y[i]!;
    const candidates = [param(s) ? PARAMS[param(s)!].example : s, param(t) ? PARAMS[param(t)!].example : t];
    const value = candidates.find((c) => takes(s, c) && takes(t, c));
    if (value === undefined) return undefined;
    segments.push(value);
  }
  return segments.join('/');
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

      expect(matchRoute(fn, method, path)).toEqual({ name, params });
      expect(matchRoute(fn, method, `${path}/`)).toEqual({ name, params });
      // Another function may have a route of this path with a parameter (`/admin/plans/{planId}`
      // of `/admin/plans/import`): the table's answer, and the gateway's, is the first route.
      expect(tableAnswer(method, path)).toBe(name);
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
    expect(matchRoute('units', 'GET', '/api/units/c%C3%B4ng%20%C4%91o%C3%A0n')?.params).toEqual({
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
    setup: (async () => ({ statusCode: 200 })) as HttpHandler,
    units: (async () => ({ statusCode: 200 })) as HttpHandler,
  };
  const local = apiRoutes(handlers);
  /** The local adapter's route for a request: the first whose method and pattern match (local/http-adapter.ts). */
  const localPick = (method: string, path: string) =>
    local.find((route) => (route.method === 'ANY' || route.method === method) && route.pattern.test(path));
  /** The function the gateway, as synthesized, invokes for a request. */
  const cdkFunction = (method: string, path: string) =>
    cdk.find((route) => route.routeKey === gatewayPick(cdkKeys, method, path))?.fn;

  it('creates exactly the gateway routes derived from the table, each to the function that owns its mount', () => {
    expect(cdk.map(({ routeKey, fn }) => `${routeKey} → ${fn}`).sort()).toEqual(
      [
        ...GATEWAY_ROUTES.map(({ routeKey, fn }) => `${routeKey} → ${fn}`),
        `$default → ${FALLBACK_FUNCTION}`,
      ].sort(),
    );
  });

  it.each([
    ['GET', '/robots.txt'],
    ['GET', '/u'],
    ['POST', '/khong-co/trang'],
    ['GET', '/favicon.ico'],
  ])('sends %s %s, which no route reaches, to admin-api by $default, on AWS and locally', (method, path) => {
    expect(FALLBACK_FUNCTION).toBe('admin');
    expect(gatewayPick(cdkKeys, method, path)).toBe('$default');
    expect(cdkFunction(method, path)).toBe('admin');
    expect(localPick(method, path)?.routeKey).toBe('$default');
    expect(localPick(method, path)?.handler).toBe(handlers.admin);
  });

  it('deploys these routes today (a change here is a change to the deployed API)', () => {
    expect(GATEWAY_ROUTES.map(({ routeKey, fn }) => `${routeKey} → ${fn}`)).toEqual([
      'ANY /api/plans/{planId}/periods/{year}/open → setup',
      'ANY /api/plans/{planId}/periods/{year}/open-preview → setup',
      'ANY /admin/plans/{planId}/{year}/open → setup',
      'ANY /admin/plans/{planId}/calendar → setup',
      'ANY /admin/plans/{planId}/recipients → units',
      'ANY /admin/units/{unitId}/edit → units',
      'ANY /admin/units/{unitId}/reinstate → units',
      'ANY /admin/units/{unitId}/retire → units',
      'ANY /api/plans/{planId}/calendar → setup',
      'ANY /api/plans/{planId}/recipients → units',
      'ANY /api/units/{unitId}/edit → units',
      'ANY /api/units/{unitId}/reinstate → units',
      'ANY /api/units/{unitId}/retire → units',
      'POST /api/plans/import → setup',
      'ANY /admin/plans/import → setup',
      'ANY /admin/units/import → units',
      'ANY /api/units/import → units',
      'ANY /admin/units/{unitId} → units',
      'ANY /api/units/{unitId} → units',
      'POST /api/plans → setup',
      'ANY /admin/audit.xlsx → units',
      'ANY /admin/plans → setup',
      'ANY /admin/units → units',
      'ANY /admin/units.xlsx → units',
      'ANY /api/audit.xlsx → units',
      'ANY /api/units → units',
      'ANY /api/units.xlsx → units',
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

    // The local adapter: the first route whose method and pattern match (local/http-adapter.ts).
    const localRoute = localPick(method, path);
    expect(localRoute?.routeKey).toBe(expected.routeKey);
    expect(localRoute?.handler).toBe(handlers[fn]);
  });

  /**
   * Every two routes of different functions whose paths a request could match both (the same
   * number of segments, each literal taken by the other's parameter or equal): for either method,
   * such a request goes to the function of the route the table gives it (the first of ROUTES),
   * on AWS and locally; a request no route answers goes to one of the two functions, which
   * answers 404. So no exact route shadows another function's route, whatever the examples.
   */
  const meetings = NAMES.flatMap((a) =>
    NAMES.filter((b) => ROUTES[a].fn < ROUTES[b].fn)
      .map((b) => [a, b, pathOfBoth(ROUTES[a].path, ROUTES[b].path)] as const)
      .filter((m): m is readonly [RouteName, RouteName, string] => m[2] !== undefined),
  );

  it('finds the paths where routes of different functions meet (the cases below)', () => {
    expect(meetings.map(([a, b]) => `${a} ~ ${b}`)).toEqual(
      expect.arrayContaining(['plan ~ planImportPage', 'apiPlans ~ apiSavePlan', 'apiPlan ~ apiPlanImport']),
    );
  });

  it.each(meetings)(
    'sends each request %s and %s both match to the function the table gives it',
    (a, b, path) => {
      for (const method of ['GET', 'POST']) {
        const answer = tableAnswer(method, path);
        const fns = answer ? [ROUTES[answer].fn] : [ROUTES[a].fn, ROUTES[b].fn];
        expect(fns, `${method} ${path}`).toContain(cdkFunction(method, path));
        const localFn = FUNCTIONS.find((fn) => handlers[fn] === localPick(method, path)?.handler);
        expect(fns, `${method} ${path} (local)`).toContain(localFn);
      }
    },
  );

  it('has no gateway route that serves no route of the table, but $default', () => {
    const used = new Set(NAMES.map((name) => gatewayRouteOf(name).routeKey));
    expect([...used, '$default'].sort()).toEqual([...cdkKeys].sort());
  });

  it('sends a path outside every mount to $default, on AWS and locally (admin-api answers its 404 page)', () => {
    for (const path of ['/khong-co', '/u', '/admins', '/api']) {
      expect(gatewayPick(cdkKeys, 'GET', path), path).toBe('$default');
      expect(localPick('GET', path)?.routeKey, path).toBe('$default');
    }
  });

  it('sends unknown paths under a mount to the function that owns it (which answers 404 itself)', () => {
    for (const [method, path, fn] of [
      ['GET', '/u/tok/khong-co', 'public'],
      ['GET', '/admin/khong-co-trang-nay', 'admin'],
      ['GET', '/api/khong-co', 'admin'],
      ['GET', '/admin/units/cb-a/khong-co', 'admin'],
      ['POST', '/api/plans/p/periods/2026/khong-co', 'admin'],
      // An exact route of units-api takes every method of its path (units-api answers 404).
      ['GET', '/admin/units/cb-a/retire', 'units'],
      ['POST', '/admin/units.xlsx', 'units'],
      // …but a method route only its method: the others stay the mount owner's.
      ['GET', '/api/plans/import', 'admin'],
      ['PUT', '/api/plans', 'admin'],
    ] as const) {
      expect(cdkFunction(method, path), `${method} ${path}`).toBe(fn);
      expect(localPick(method, path)?.handler, `${method} ${path}`).toBe(handlers[fn]);
    }
  });

  it('gives the plans’ setup to setup-api and the units, recipients and audit workbook to units-api', () => {
    for (const [method, path, fn] of [
      ['GET', '/admin/plans/import', 'setup'],
      ['POST', '/api/plans', 'setup'],
      ['GET', '/admin/plans/p/recipients', 'units'],
      ['POST', '/api/plans/p/recipients', 'units'],
      ['GET', '/admin/units', 'units'],
      ['POST', '/api/units/import', 'units'],
      ['GET', '/admin/units/cb-a', 'units'],
      ['GET', '/admin/audit.xlsx', 'units'],
      ['GET', '/admin/audit', 'admin'],
    ] as const) {
      expect(cdkFunction(method, path), `${method} ${path}`).toBe(fn);
      expect(localPick(method, path)?.handler, `${method} ${path}`).toBe(handlers[fn]);
    }
  });

  it('answers each route of a method-split path by its method, on AWS and locally', () => {
    for (const [method, path, fn] of [
      ['GET', '/api/plans', 'admin'],
      ['POST', '/api/plans', 'setup'],
      ['GET', '/api/plans/import', 'admin'],
      ['POST', '/api/plans/import', 'setup'],
    ] as const) {
      expect(cdkFunction(method, path), `${method} ${path}`).toBe(fn);
      expect(localPick(method, path)?.handler, `${method} ${path}`).toBe(handlers[fn]);
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

  it('has a handler in setup-app.ts for every setup route, all signed in, and no other', () => {
    expect(Object.keys(SETUP_ROUTE_HANDLERS).sort()).toEqual(namesOf('setup'));
    expect(namesOf('setup').every((name) => ROUTES[name].auth === 'session')).toBe(true);
  });

  it('has a handler in units-app.ts for every units route, all signed in, and no other', () => {
    expect(Object.keys(UNITS_ROUTE_HANDLERS).sort()).toEqual(namesOf('units'));
    expect(namesOf('units').every((name) => ROUTES[name].auth === 'session')).toBe(true);
  });
});

describe('the derivation of the gateway routes refuses a table the gateway would answer wrongly', () => {
  const route = (fn: FunctionName, method: 'GET' | 'POST', path: `/${string}`): RouteSpec => ({
    fn,
    method,
    path,
    auth: 'session',
    summary: 'A route.',
  });
  const keys = (table: Record<string, RouteSpec>) =>
    deriveGatewayRoutes(table).map(({ routeKey, fn }) => `${routeKey} → ${fn}`);

  it('gives a setup path its methods where another function answers another method there', () => {
    expect(
      keys({
        list: route('admin', 'GET', '/api/plans'),
        one: route('admin', 'GET', '/api/plans/{planId}'),
        save: route('setup', 'POST', '/api/plans'),
        read: route('setup', 'POST', '/api/plans/import'),
        units: route('setup', 'GET', '/api/units'),
        addUnit: route('setup', 'POST', '/api/units'),
      }),
    ).toEqual([
      'POST /api/plans/import → setup',
      'POST /api/plans → setup',
      'ANY /api/units → setup',
      'ANY /api/{proxy+} → admin',
    ]);
  });

  it('lets a setup path take a request of the same method from an admin route after it in the table', () => {
    expect(
      keys({
        importPage: route('setup', 'GET', '/admin/plans/import'),
        plan: route('admin', 'GET', '/admin/plans/{planId}'),
      }),
    ).toEqual(['ANY /admin/plans/import → setup', 'ANY /admin/{proxy+} → admin']);
  });

  it('refuses a setup path listed after the admin route whose requests it would take', () => {
    expect(() =>
      deriveGatewayRoutes({
        plan: route('admin', 'GET', '/admin/plans/{planId}'),
        importPage: route('setup', 'GET', '/admin/plans/import'),
      }),
    ).toThrow(
      'importPage (setup) would take at the gateway GET requests of plan (admin): it comes after plan',
    );
  });

  it('refuses a setup path whose parameter takes fewer segments than the gateway gives it', () => {
    expect(() =>
      deriveGatewayRoutes({
        period: route('setup', 'GET', '/admin/plans/{planId}/{year}'),
        recipients: route('admin', 'GET', '/admin/plans/{planId}/recipients'),
      }),
    ).toThrow('one of its parameters takes fewer segments than the gateway does');
  });

  it('refuses a setup path that meets a route reached by an exact gateway route', () => {
    expect(() =>
      deriveGatewayRoutes({
        page: route('setup', 'GET', '/u/new'),
        uploadPage: { ...route('public', 'GET', '/u/{token}'), auth: 'link' },
      }),
    ).toThrow('uploadPage is reached by an exact gateway route too');
  });

  it('refuses a mount served by two functions, and a route key derived twice', () => {
    expect(() =>
      deriveGatewayRoutes({ a: route('admin', 'GET', '/admin/a'), b: route('public', 'GET', '/admin/b') }),
    ).toThrow('mount /admin is served by both admin and public (b)');
    expect(() =>
      deriveGatewayRoutes(
        { a: route('admin', 'GET', '/x/a'), b: route('setup', 'GET', '/x/a') },
        { public: 'mounts', admin: 'paths', setup: 'paths', units: 'paths' },
      ),
    ).toThrow();
  });
});
