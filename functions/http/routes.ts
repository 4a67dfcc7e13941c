/**
 * Every HTTP route of the product, written once (STYLE 17: a contract is one table). Derived
 * from it:
 * - the API Gateway routes of infra/constructs/api.ts ({@link GATEWAY_ROUTES});
 * - the local adapter's patterns and route keys (local/routes.ts, from the same list);
 * - the matching in functions/public-api.ts and functions/web/admin-app.ts ({@link matchRoute}),
 *   with each route's parameters typed ({@link RouteParams}), and their dispatch records
 *   ({@link RouteHandlers}: one handler per route, checked complete by the compiler);
 * - later, docs/openapi.yaml (each route has its one-line `summary`).
 * test/unit/http/routes.test.ts checks that the four agree.
 *
 * It lives in functions/http/, the HTTP edge beside the entry points (requests, responses,
 * page markup), with the pages in functions/web/; the CDK app reads it through `#functions/*`.
 * It imports nothing, so the CDK app, the bundles and the tests can all read it.
 */

/** The Lambda function that serves a route: `public-api` or `admin-api`. */
export type FunctionName = 'public' | 'admin';

/** HTTP methods the product answers (anything else gets the function's 404). */
export type RouteMethod = 'GET' | 'POST';

/**
 * Who may call a route: `link` — whoever holds the unit's signed link token (in the path);
 * `none` — anyone (the sign-in flow); `session` — a signed-in committee member (cookie, and the
 * CSRF token on every POST).
 */
export type RouteAuth = 'link' | 'none' | 'session';

/** One route: a method and a path template whose `{name}` segments are {@link PARAMS}. */
export interface RouteSpec {
  readonly fn: FunctionName;
  readonly method: RouteMethod;
  readonly path: `/${string}`;
  readonly auth: RouteAuth;
  /** One line, for docs/openapi.yaml. */
  readonly summary: string;
}

/** How one path parameter is matched and read. */
export interface ParamSpec {
  /** Regular expression of the raw (still percent-encoded) path segment. */
  readonly pattern: string;
  /** Raw segment → value (decoded, or a number). */
  readonly parse: (raw: string) => string | number;
  /** A valid raw segment: builds each route's example path for the tests (and the docs). */
  readonly example: string;
  readonly description: string;
}

/** A raw segment as given: tokens and sign-in secrets are base64url, never percent-decoded. */
const asIs = (raw: string): string => raw;

/** Percent-decoded; a malformed escape is kept as it is (and then matches no stored id). */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Every path parameter of {@link ROUTES}. */
export const PARAMS = {
  token: {
    pattern: '[^/]+',
    parse: asIs,
    example: 'v1.bG9uZy10b2tlbg.c2lnbmF0dXJl',
    description: "The unit's signed link token (e-mailed to the unit).",
  },
  secret: {
    pattern: '[A-Za-z0-9_-]{1,100}',
    parse: asIs,
    example: 'mOqK3Xb7Vt2rJ9wZ',
    description: 'The single-use secret of an e-mailed sign-in link.',
  },
  planId: {
    pattern: '[^/]+',
    parse: decodeSegment,
    example: '12-kh-dus-2025',
    description: 'A plan id.',
  },
  year: {
    pattern: '\\d{4}',
    parse: Number,
    example: '2026',
    description: "A reporting period's year.",
  },
  unitId: {
    pattern: '[^/]+',
    parse: decodeSegment,
    example: 'cb-a',
    description: 'A unit id.',
  },
  uploadId: {
    pattern: '[^/]+',
    parse: decodeSegment,
    example: '01JD5Z6W3K8F2Q9V0X1Y2Z3A4B',
    description: "The id of one file of a unit's submission.",
  },
  exportId: {
    pattern: '[^/]+',
    parse: decodeSegment,
    example: '01JD5Z9M4N7P2R5S8T1V4W7X0Y',
    description: 'The id of a consolidated-results export.',
  },
} as const satisfies Record<string, ParamSpec>;

/**
 * The routes. Names are unique operation ids (one method each); paths have no trailing slash.
 * Pages live under `/admin`, their JSON twins under `/api`, a unit's link under `/u/{token}`.
 */
export const ROUTES = {
  // public-api: a unit's link.
  uploadPage: {
    fn: 'public',
    method: 'GET',
    path: '/u/{token}',
    auth: 'link',
    summary: "The unit's upload page (HTML).",
  },
  requestUpload: {
    fn: 'public',
    method: 'POST',
    path: '/u/{token}/uploads',
    auth: 'link',
    summary: 'A presigned POST for one file: JSON {fileName, contentType, size} in.',
  },
  unitStatus: {
    fn: 'public',
    method: 'GET',
    path: '/u/{token}/status',
    auth: 'link',
    summary: "The unit's period and submissions (JSON).",
  },

  // admin-api: the sign-in flow, open without a session.
  root: { fn: 'admin', method: 'GET', path: '/', auth: 'none', summary: 'Redirects to /admin.' },
  signInPage: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/sign-in',
    auth: 'none',
    summary: 'The sign-in form (HTML).',
  },
  requestSignIn: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/sign-in',
    auth: 'none',
    summary: 'E-mails a sign-in link to a committee address (form field email).',
  },
  confirmSignInPage: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/sign-in/{secret}',
    auth: 'none',
    summary: 'The page that confirms an e-mailed sign-in link (HTML).',
  },
  confirmSignIn: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/sign-in/{secret}',
    auth: 'none',
    summary: 'Uses a sign-in link once: sets the session cookie, redirects to /admin.',
  },

  // admin-api: the committee's pages.
  signOut: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/sign-out',
    auth: 'session',
    summary: 'Ends the session.',
  },
  dashboard: {
    fn: 'admin',
    method: 'GET',
    path: '/admin',
    auth: 'session',
    summary: 'The plans and their periods (HTML).',
  },
  plan: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}',
    auth: 'session',
    summary: 'A plan and its periods (HTML).',
  },
  period: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}',
    auth: 'session',
    summary: "A period's status per unit, with its exports (HTML).",
  },
  unit: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/units/{unitId}',
    auth: 'session',
    summary: "A unit's record across plans and years (HTML).",
  },
  unitFile: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/files/{uploadId}',
    auth: 'session',
    summary: "Redirects to a fresh presigned URL of one of a unit's files.",
  },
  resend: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/resend',
    auth: 'session',
    summary: 'E-mails a unit its link again; redirects back to the period.',
  },
  revoke: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/revoke',
    auth: 'session',
    summary: "Replaces a unit's link and e-mails the new one; redirects back to the period.",
  },
  extension: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/extension',
    auth: 'session',
    summary: "Extends a unit's deadline (form field until, YYYY-MM-DD); redirects back to the period.",
  },
  startExport: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/exports',
    auth: 'session',
    summary: "Starts building a period's consolidated results; redirects back to the period.",
  },
  exportFile: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}/exports/{exportId}',
    auth: 'session',
    summary: 'Redirects to a fresh presigned URL of a ready export (ZIP).',
  },

  // admin-api: JSON for the same session.
  apiSession: {
    fn: 'admin',
    method: 'GET',
    path: '/api/session',
    auth: 'session',
    summary: "The session's e-mail, expiry and CSRF token.",
  },
  apiPlans: { fn: 'admin', method: 'GET', path: '/api/plans', auth: 'session', summary: 'The plans.' },
  apiPlan: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}',
    auth: 'session',
    summary: 'A plan and its periods.',
  },
  apiPeriod: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}',
    auth: 'session',
    summary: "A period's status per unit, with completeness and timeliness.",
  },
  apiUnits: { fn: 'admin', method: 'GET', path: '/api/units', auth: 'session', summary: 'The units.' },
  apiUnit: {
    fn: 'admin',
    method: 'GET',
    path: '/api/units/{unitId}',
    auth: 'session',
    summary: "A unit's record across plans and years.",
  },
  apiUnitFile: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}/files/{uploadId}',
    auth: 'session',
    summary: "Redirects to a fresh presigned URL of one of a unit's files.",
  },
  apiResend: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}/resend',
    auth: 'session',
    summary: 'E-mails a unit its link again.',
  },
  apiRevoke: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}/revoke',
    auth: 'session',
    summary: "Replaces a unit's link and e-mails the new one.",
  },
  apiExtension: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}/extension',
    auth: 'session',
    summary: "Extends a unit's deadline: JSON {until: YYYY-MM-DD}.",
  },
  apiExports: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}/exports',
    auth: 'session',
    summary: "A period's exports, newest first.",
  },
  apiStartExport: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/exports',
    auth: 'session',
    summary: "Starts building a period's consolidated results (202).",
  },
  apiExportFile: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}/exports/{exportId}',
    auth: 'session',
    summary: 'Redirects to a fresh presigned URL of a ready export (ZIP).',
  },
} as const satisfies Record<string, RouteSpec>;

type Routes = typeof ROUTES;
type Params = typeof PARAMS;

/** A route's name. */
export type RouteName = keyof Routes;

/** The names of the routes a function serves (optionally: with one kind of {@link RouteAuth}). */
export type RouteNameOf<F extends FunctionName, A extends RouteAuth = RouteAuth> = {
  [N in RouteName]: Routes[N] extends { readonly fn: F; readonly auth: A } ? N : never;
}[RouteName];

/** The `{name}`s of a path template. */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamNames<Rest>
  : never;

/** A route's parameters, typed: `{ planId: string; year: number }` for `/admin/plans/{planId}/{year}`. */
export type RouteParams<N extends RouteName> = {
  [K in ParamNames<Routes[N]['path']> & keyof Params]: ReturnType<Params[K]['parse']>;
};

/** A request matched to one of the routes `N`: its name and its parameters. */
export type RouteMatch<N extends RouteName = RouteName> = {
  [K in N]: { readonly name: K; readonly params: RouteParams<K> };
}[N];

/** A request matched to one of a function's routes. */
export type FunctionRouteMatch = { [F in FunctionName]: RouteMatch<RouteNameOf<F>> };

/**
 * One handler per route `N`, called with the route's parameters and a context of the caller's
 * choosing. Typed as a record so that a route added to the table and not handled does not compile
 * (and test/unit/http/routes.test.ts fails).
 */
export type RouteHandlers<N extends RouteName, C, R> = {
  readonly [K in N]: (params: RouteParams<K>, context: C) => R;
};

// Every `{name}` of every path must be a parameter of PARAMS: the compiler checks it here.
type UnknownParams = Exclude<ParamNames<Routes[RouteName]['path']>, keyof Params>;
const noUnknownParams: [UnknownParams] extends [never] ? true : UnknownParams = true;
void noUnknownParams;

interface CompiledRoute {
  readonly name: RouteName;
  readonly spec: RouteSpec;
  readonly pattern: RegExp;
  readonly params: readonly (keyof Params)[];
}

/** Names of a template's parameters, in order. */
function paramNamesOf(path: string): string[] {
  return [...path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]!);
}

/** Regular expression (source) of a path template, each `{name}` its parameter's named group. */
function patternOf(path: string, paramPattern: (name: string) => string): string {
  return path
    .split('/')
    .map((segment) => {
      const param = /^\{([^}]+)\}$/.exec(segment)?.[1];
      if (param !== undefined) return `(?<${param.replace(/\+$/, '')}>${paramPattern(param)})`;
      if (/[{}]/.test(segment)) throw new Error(`a parameter must be a whole path segment: ${path}`);
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
}

const COMPILED: readonly CompiledRoute[] = (Object.keys(ROUTES) as RouteName[]).map((name) => {
  const spec: RouteSpec = ROUTES[name];
  const params = paramNamesOf(spec.path);
  for (const param of params) {
    if (!(param in PARAMS)) throw new Error(`route ${name}: unknown path parameter {${param}}`);
  }
  const source = patternOf(spec.path, (param) => PARAMS[param as keyof Params].pattern);
  return { name, spec, pattern: new RegExp(`^${source}$`), params: params as (keyof Params)[] };
});

/** `/a/b/` → `/a/b`; the root stays `/`. */
function withoutTrailingSlash(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}

/**
 * The route of function `fn` for a request, with its parameters read; `undefined` when no route
 * of `fn` has this method and path (the function answers 404). A trailing slash is ignored.
 */
export function matchRoute<F extends FunctionName>(
  fn: F,
  method: string,
  path: string,
): FunctionRouteMatch[F] | undefined {
  const normalized = withoutTrailingSlash(path);
  for (const route of COMPILED) {
    if (route.spec.fn !== fn || route.spec.method !== method) continue;
    const match = route.pattern.exec(normalized);
    if (!match) continue;
    const params: Record<string, string | number> = {};
    for (const param of route.params) params[param] = PARAMS[param].parse(match.groups![param]!);
    return { name: route.name, params } as FunctionRouteMatch[F];
  }
  return undefined;
}

/** Whether a path is route `name`'s path, whatever the method (a trailing slash is ignored). */
export function isPathOf(name: RouteName, path: string): boolean {
  return COMPILED.find((route) => route.name === name)!.pattern.test(withoutTrailingSlash(path));
}

/** The path of route `name` with these parameters, each segment percent-encoded. */
export function pathFor<N extends RouteName>(name: N, params: RouteParams<N>): string {
  const values = params as Record<string, string | number>;
  return ROUTES[name].path.replace(/\{([^}]+)\}/g, (_, param: string) =>
    encodeURIComponent(String(values[param])),
  );
}

/** Calls the handler of a matched route (the record is complete, so there always is one). */
export function dispatch<N extends RouteName, C, R>(
  handlers: RouteHandlers<N, C, R>,
  route: RouteMatch<N>,
  context: C,
): R {
  // The record's handler for `route.name` takes `route.params`: TypeScript cannot relate the two.
  const handle = handlers[route.name] as unknown as (params: unknown, context: C) => R;
  return handle(route.params, context);
}

// ---------------------------------------------------------------------------------------------
// API Gateway

/** A route of the HTTP API: every method on a path, to one function. */
export interface GatewayRoute {
  /** `ANY /u/{token}/{proxy+}`: the route key, as in the access logs and in each event. */
  readonly routeKey: string;
  readonly method: 'ANY';
  /** The gateway's path: a mount, or a mount followed by the greedy `{proxy+}`. */
  readonly path: string;
  readonly fn: FunctionName;
}

/**
 * A route's mount: the first path segment (`/admin`, `/api`, `/u`), with the parameters that
 * directly follow it (`/u/{token}`: the unit's link is part of every path under it, and stays a
 * named path parameter of the route key); `/` for the root.
 */
export function mountOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  if (segments.length === 0) return '/';
  let end = 1;
  while (end < segments.length && /^\{[^}]+\}$/.test(segments[end]!)) end += 1;
  return `/${segments.slice(0, end).join('/')}`;
}

/**
 * The HTTP API's routes, derived from {@link ROUTES}: coarse, one or two per mount, each to the
 * function that owns the mount — `ANY <mount>` when a route sits at the mount itself,
 * `ANY <mount>/{proxy+}` when routes sit below it. The gateway thus hands a function every path
 * of its mounts and nothing else, whatever the method, and the function answers what the table
 * does not name with its own 404 (a Vietnamese page, or JSON under `/api` and `/u/{token}/…`).
 * Exact per-route gateway routes were the alternative: they would answer unknown paths with the
 * gateway's bare `{"message":"Not Found"}` instead, and `{year}` cannot be constrained to 4
 * digits there anyway. Ordered most specific first, as the gateway chooses among them.
 */
export const GATEWAY_ROUTES: readonly GatewayRoute[] = deriveGatewayRoutes();

function deriveGatewayRoutes(): GatewayRoute[] {
  const mounts = new Map<string, { fn: FunctionName; exact: boolean; below: boolean }>();
  for (const route of COMPILED) {
    const mount = mountOf(route.spec.path);
    const entry = mounts.get(mount) ?? { fn: route.spec.fn, exact: false, below: false };
    if (entry.fn !== route.spec.fn) {
      throw new Error(`mount ${mount} is served by both ${entry.fn} and ${route.spec.fn} (${route.name})`);
    }
    if (route.spec.path === mount) entry.exact = true;
    else entry.below = true;
    mounts.set(mount, entry);
  }
  const routes: GatewayRoute[] = [];
  for (const [mount, { fn, exact, below }] of mounts) {
    const paths = [...(exact ? [mount] : []), ...(below ? [`${mount}/{proxy+}`] : [])];
    for (const path of paths) routes.push({ routeKey: `ANY ${path}`, method: 'ANY', path, fn });
  }
  return routes.sort(bySpecificity);
}

/** Exact paths before greedy ones, then more segments, then more literal segments. */
function bySpecificity(a: GatewayRoute, b: GatewayRoute): number {
  const greedy = (r: GatewayRoute) => (r.path.endsWith('+}') ? 1 : 0);
  const segments = (r: GatewayRoute) => r.path.split('/').filter(Boolean);
  const literals = (r: GatewayRoute) => segments(r).filter((s) => !s.startsWith('{')).length;
  return (
    greedy(a) - greedy(b) ||
    segments(b).length - segments(a).length ||
    literals(b) - literals(a) ||
    a.path.localeCompare(b.path)
  );
}

/**
 * How the gateway matches one of its paths, as the local adapter reproduces it: `{name}` is one
 * segment, `{proxy+}` one or more; an exact path also takes a trailing slash.
 */
export function gatewayPattern(path: string): RegExp {
  if (path === '/') return /^\/$/;
  const source = patternOf(path, (param) => (param.endsWith('+') ? '.+' : '[^/]+'));
  return new RegExp(`^${source}${path.endsWith('+}') ? '' : '\\/?'}$`);
}

/** The gateway route that takes route `name`'s requests to its function. */
export function gatewayRouteOf(name: RouteName): GatewayRoute {
  const { path, fn } = ROUTES[name];
  const mount = mountOf(path);
  const gatewayPath = path === mount ? mount : `${mount}/{proxy+}`;
  return GATEWAY_ROUTES.find((route) => route.path === gatewayPath && route.fn === fn)!;
}
