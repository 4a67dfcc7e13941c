/**
 * docs/openapi.yaml (OpenAPI 3.1), derived from the route table (functions/http/routes.ts) like
 * the gateway's routes and the handlers' dispatch are: one operation per route, its
 * `operationId` the route's name. Written by `npm run build:openapi`
 * (functions/http/build-openapi.ts); test/unit/http/openapi.test.ts fails when the file differs.
 *
 * What the table does not say is derived from the kind of route, as the handlers behave:
 * - a JSON route is one under `/api/`, or below a unit's link (`/u/{token}/…`: the public
 *   function answers JSON everywhere but on the upload page itself); every other route is a page;
 * - on success a JSON route answers 200 JSON, a page's GET the page (200 HTML), a page's POST a
 *   303 back to a page — unless the route lists its `answers`;
 * - a POST carries a JSON object on a JSON route, urlencoded form fields on a page — unless the
 *   route names its `body`;
 * - errors (`{error: {code, message}}` on JSON routes, a Vietnamese page on pages), by auth,
 *   method and parameters: a link's routes 404 (invalid), 410 (expired, revoked) and 403 (period
 *   closed); a signed-in route 401 (no session: a page's GET redirects to the sign-in page
 *   instead) and 403 (another origin, a wrong CSRF token, a viewer's POST, a removed member); a
 *   route with parameters 404; every POST 400 and 413; a signed-in POST 409; plus the route's own
 *   `errors`. Each status lists its codes from {@link STATUS_BY_CODE}.
 * - security: a link's routes and the sign-in flow need none (a link's token in the path is its
 *   credential); a signed-in route the session cookie, and on POST the CSRF token.
 */
import packageJson from '../../package.json' with { type: 'json' };
import { STATUS_BY_CODE } from './responses.ts';
import {
  mountOf,
  PARAMS,
  ROUTES,
  type RouteAnswer,
  type RouteBody,
  type RouteErrorStatus,
  type RouteName,
  type RouteSpec,
} from './routes.ts';

/** A JSON value of the document (plain data, so that it prints as YAML or JSON alike). */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What each error status means, for people reading the document. */
const ERROR_MEANINGS: Record<RouteErrorStatus, string> = {
  400: 'Bad input: nothing was changed',
  401: 'Not signed in, or the sign-in link is unknown, used or expired',
  403: 'Refused: another origin, a missing or wrong CSRF token, a viewer’s change, a closed period or a withdrawn unit’s link',
  404: 'Not found: no such plan, period, unit, file, export or member, or an invalid link',
  409: 'Conflict with the stored state: nothing was changed',
  410: 'The link has expired or was replaced by a newer one',
  413: 'The request or its file is too large',
  429: 'Too many requests: try again later',
};

/** Whether a route answers JSON (its errors too), as the public and committee functions decide. */
export function isJsonRoute(spec: RouteSpec): boolean {
  if (spec.path.startsWith('/api/')) return true;
  return spec.fn === 'public' && mountOf(spec.path) !== spec.path;
}

/** The route's answers on success: its own, or its kind's. */
export function answersOf(spec: RouteSpec): readonly RouteAnswer[] {
  if (spec.answers && spec.answers.length > 0) return spec.answers;
  if (isJsonRoute(spec)) return ['json'];
  return spec.method === 'GET' ? ['page'] : ['redirect'];
}

/** What a POST carries: its own, or its kind's; nothing for a GET. */
export function bodiesOf(spec: RouteSpec): readonly RouteBody[] {
  if (spec.method !== 'POST') return [];
  if (spec.body !== undefined) return typeof spec.body === 'string' ? [spec.body] : spec.body;
  return [isJsonRoute(spec) ? 'json' : 'form'];
}

/** The error statuses a route may answer (sorted). */
export function errorStatusesOf(spec: RouteSpec): RouteErrorStatus[] {
  const statuses = new Set<RouteErrorStatus>(spec.errors ?? []);
  if (spec.auth === 'link') for (const s of [403, 404, 410] as const) statuses.add(s);
  if (paramNamesOf(spec.path).length > 0) statuses.add(404);
  if (spec.auth === 'session') {
    statuses.add(403);
    // A page's GET without a session is redirected to the sign-in page (303) instead.
    if (isJsonRoute(spec) || spec.method === 'POST') statuses.add(401);
  }
  if (spec.method === 'POST') {
    statuses.add(400);
    statuses.add(413);
    if (spec.auth !== 'link') statuses.add(403);
    if (spec.auth === 'session') statuses.add(409);
  }
  return [...statuses].sort((a, b) => a - b);
}

/** The OpenAPI 3.1 document of every route of the table, in the table's order. */
export function openApiDocument(): JsonObject {
  const paths: { [path: string]: JsonObject } = {};
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const spec: RouteSpec = ROUTES[name];
    paths[spec.path] = { ...paths[spec.path], [spec.method.toLowerCase()]: operationOf(name, spec) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'baocao',
      version: packageJson.version,
      description: [
        'The HTTP surface of baocao: a unit’s upload link (`/u/{token}`), the committee’s sign-in,',
        'its pages (`/admin…`, HTML) and their JSON twins (`/api/…`, the same session).',
        'Generated from functions/http/routes.ts by `npm run build:openapi`: do not edit by hand.',
        'Errors of JSON routes are `{"error": {"code", "message"}}`, `message` in Vietnamese for people;',
        'pages show the same message as a page.',
      ].join('\n'),
    },
    tags: [
      {
        name: 'unit link',
        description: 'A unit’s upload link: the signed token in the path is the credential.',
      },
      { name: 'sign-in', description: 'Sign-in by e-mailed link: open without a session.' },
      { name: 'pages', description: 'The committee’s pages (HTML), for a signed-in member.' },
      { name: 'api', description: 'The JSON twins of the pages, for the same session.' },
    ],
    paths,
    components: {
      securitySchemes: {
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: '__Host-baocao-session',
          description:
            'The session of a signed-in committee member (HttpOnly, SameSite=Strict, Secure; named `baocao-session` on the local stack over http). Signing in: POST /admin/sign-in, then the e-mailed link.',
        },
        csrfToken: {
          type: 'apiKey',
          in: 'header',
          name: 'x-csrf-token',
          description:
            'The session’s CSRF token (`csrf` of GET /api/session), required on every POST; a page’s form may send it as its field `csrf` instead.',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: Object.keys(STATUS_BY_CODE).sort() },
                message: { type: 'string', description: 'What went wrong, in Vietnamese, for people.' },
              },
            },
          },
        },
      },
      responses: errorResponses(),
    },
  };
}

function operationOf(name: RouteName, spec: RouteSpec): JsonObject {
  const json = isJsonRoute(spec);
  const operation: JsonObject = {
    operationId: name,
    summary: spec.summary,
    tags: [spec.fn === 'public' ? 'unit link' : spec.auth === 'none' ? 'sign-in' : json ? 'api' : 'pages'],
    security: securityOf(spec),
  };
  const parameters = paramNamesOf(spec.path).map(parameterOf);
  if (parameters.length > 0) operation.parameters = parameters;
  const body = requestBodyOf(spec);
  if (body) operation.requestBody = body;
  operation.responses = responsesOf(spec);
  operation['x-function'] = `${spec.fn}-api`;
  return operation;
}

function securityOf(spec: RouteSpec): Json[] {
  if (spec.auth !== 'session') return [];
  return [spec.method === 'POST' ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] }];
}

function parameterOf(name: string): JsonObject {
  const param = PARAMS[name as keyof typeof PARAMS];
  return {
    name,
    in: 'path',
    required: true,
    description: param.description,
    schema: { type: 'string', pattern: `^(?:${param.pattern})$` },
    example: param.example,
  };
}

function requestBodyOf(spec: RouteSpec): JsonObject | undefined {
  const bodies = bodiesOf(spec);
  if (bodies.length === 0) return undefined;
  const content: JsonObject = {};
  for (const body of bodies) {
    if (body === 'json') {
      content['application/json'] = {
        schema: { type: 'object', description: 'The fields named in the summary.' },
      };
    } else if (body === 'form') {
      content['application/x-www-form-urlencoded'] = { schema: formSchema(spec) };
    } else {
      content['multipart/form-data'] = {
        schema: {
          type: 'object',
          required: ['file'],
          properties: {
            file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The file.' },
            ...(spec.auth === 'session' ? { csrf: csrfField() } : {}),
          },
        },
      };
    }
  }
  // A route that names its body needs one; by default a POST may carry nothing (e.g. a button).
  return { required: spec.body !== undefined, content };
}

function formSchema(spec: RouteSpec): JsonObject {
  return {
    type: 'object',
    description: 'The form’s fields (named in the summary).',
    ...(spec.auth === 'session' ? { properties: { csrf: csrfField() } } : {}),
    additionalProperties: { type: 'string' },
  };
}

function csrfField(): JsonObject {
  return { type: 'string', description: 'The session’s CSRF token, unless sent in the x-csrf-token header.' };
}

function responsesOf(spec: RouteSpec): JsonObject {
  const byStatus = new Map<number, JsonObject>();
  const add = (status: number, response: JsonObject) => {
    const known = byStatus.get(status);
    if (!known) {
      byStatus.set(status, response);
      return;
    }
    // Two answers with one status (a page or a workbook): one response, each content.
    byStatus.set(status, {
      ...known,
      description: `${known.description as string} Or: ${response.description as string}`,
      content: { ...(known.content as JsonObject), ...(response.content as JsonObject) },
    });
  };
  for (const answer of answersOf(spec)) add(...successOf(answer));
  if (spec.auth === 'session' && !isJsonRoute(spec) && spec.method === 'GET') {
    add(...successOf('redirect'));
    const redirect = byStatus.get(303)!;
    byStatus.set(303, {
      ...redirect,
      description: answersOf(spec).includes('redirect')
        ? `${redirect.description as string} Without a session: to the sign-in page.`
        : 'Not signed in: to the sign-in page (Location).',
    });
  }
  const kind = isJsonRoute(spec) ? 'Json' : 'Page';
  for (const status of errorStatusesOf(spec)) {
    byStatus.set(status, { $ref: `#/components/responses/${kind}${status}` });
  }
  return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([s, r]) => [String(s), r]));
}

function successOf(answer: RouteAnswer): [number, JsonObject] {
  switch (answer) {
    case 'page':
      return [
        200,
        { description: 'The page (HTML).', content: { 'text/html': { schema: { type: 'string' } } } },
      ];
    case 'json':
      return [200, { description: 'JSON (see the summary).', content: { 'application/json': {} } }];
    case 'created':
      return [201, { description: 'Created: JSON (see the summary).', content: { 'application/json': {} } }];
    case 'accepted':
      return [202, { description: 'Accepted: JSON (see the summary).', content: { 'application/json': {} } }];
    case 'xlsx':
      return [200, { description: 'An Excel workbook (.xlsx).', content: { [XLSX]: {} } }];
    case 'redirect':
      return [
        303,
        {
          description: 'See Other: to the page in Location.',
          headers: { Location: { description: 'Where to go next.', schema: { type: 'string' } } },
        },
      ];
  }
}

/** `Json400`, `Page400`, …: each error status once, as JSON and as a page, with its codes. */
function errorResponses(): JsonObject {
  const responses: JsonObject = {};
  for (const status of Object.keys(ERROR_MEANINGS).map(Number) as RouteErrorStatus[]) {
    const codes = Object.keys(STATUS_BY_CODE)
      .filter((code) => STATUS_BY_CODE[code] === status)
      .sort();
    const description = `${ERROR_MEANINGS[status]}${codes.length ? ` (${codes.join(', ')})` : ''}.`;
    responses[`Json${status}`] = {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
    responses[`Page${status}`] = {
      description: `${description} A page with the reason in Vietnamese and a way onward.`,
      content: { 'text/html': { schema: { type: 'string' } } },
    };
  }
  return responses;
}

/** The `{name}`s of a path template, in order. */
function paramNamesOf(path: string): string[] {
  return [...path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]!);
}
