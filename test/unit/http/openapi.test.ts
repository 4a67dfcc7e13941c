import { readFile } from 'node:fs/promises';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OPENAPI_FILE, renderOpenApiYaml } from '#functions/http/build-openapi.ts';
import {
  answersOf,
  bodiesOf,
  errorStatusesOf,
  isJsonRoute,
  openApiDocument,
} from '#functions/http/openapi.ts';
import { PARAMS, ROUTES, type RouteName, type RouteSpec } from '#functions/http/routes.ts';

const NAMES = Object.keys(ROUTES) as RouteName[];

type Operation = {
  operationId: string;
  summary: string;
  security: Record<string, string[]>[];
  parameters?: {
    name: string;
    in: string;
    required: boolean;
    schema: { pattern: string };
    example: string;
  }[];
  requestBody?: { required: boolean; content: Record<string, unknown> };
  responses: Record<
    string,
    { $ref?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }
  >;
};

function operationOf(name: RouteName): Operation {
  const { path, method } = ROUTES[name];
  const paths = openApiDocument().paths as Record<string, Record<string, Operation>>;
  return paths[path]![method.toLowerCase()]!;
}

describe('docs/openapi.yaml', () => {
  it('is what the route table generates', async () => {
    const file = await readFile(OPENAPI_FILE, 'utf8').catch(() => '');
    expect(file, 'docs/openapi.yaml differs from functions/http/routes.ts: run `npm run build:openapi`').toBe(
      renderOpenApiYaml(),
    );
  });

  it('is a valid OpenAPI 3.1 document whose every reference resolves', async () => {
    // Prepare: the file as a client reads it.
    const document = parse(renderOpenApiYaml());
    // Act: the validator checks the document against the OpenAPI 3.1 schema and dereferences it.
    const validated = await SwaggerParser.validate(structuredClone(document));
    // Assess
    expect(validated).toMatchObject({ openapi: '3.1.0' });
    expect(document).toEqual(openApiDocument());
  });

  it('has one operation per route, its id the route’s name, with the route’s summary', () => {
    const paths = openApiDocument().paths as Record<string, Record<string, Operation>>;
    const operations = Object.values(paths).flatMap((methods) => Object.values(methods));
    expect(operations.map((o) => o.operationId).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(operationOf(name).summary).toBe(ROUTES[name].summary);
  });

  it.each(NAMES)('describes %s: its parameters, security, body and answers', (name) => {
    const spec: RouteSpec = ROUTES[name];
    const operation = operationOf(name);
    // Every `{param}` of the path, with its pattern, description and an example that matches it.
    const params = [...spec.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]! as keyof typeof PARAMS);
    expect((operation.parameters ?? []).map((p) => p.name)).toEqual(params);
    for (const p of operation.parameters ?? []) {
      expect(p).toMatchObject({
        in: 'path',
        required: true,
        example: PARAMS[p.name as keyof typeof PARAMS].example,
      });
      expect(p.example).toMatch(new RegExp(p.schema.pattern));
    }
    // The session cookie on signed-in routes, with the CSRF token on a POST; nothing otherwise.
    expect(operation.security).toEqual(
      spec.auth !== 'session'
        ? []
        : [spec.method === 'POST' ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] }],
    );
    // A body on POST only.
    expect(operation.requestBody !== undefined).toBe(spec.method === 'POST');
    // Its answers on success, and its errors as JSON or as a page, like the handlers.
    const kind = isJsonRoute(spec) ? 'Json' : 'Page';
    for (const status of errorStatusesOf(spec)) {
      expect(operation.responses[String(status)]).toEqual({
        $ref: `#/components/responses/${kind}${status}`,
      });
    }
    const successes = Object.keys(operation.responses).filter((s) => Number(s) < 400);
    expect(successes.length).toBeGreaterThan(0);
    if (spec.auth === 'session' && kind === 'Page' && spec.method === 'GET')
      expect(successes).toContain('303');
  });

  it('derives each kind of route as the handlers answer it', () => {
    // A page's GET: HTML; a page's form: a redirect; a JSON twin: JSON with a JSON body.
    expect(answersOf(ROUTES.period)).toEqual(['page']);
    expect(answersOf(ROUTES.resend)).toEqual(['redirect']);
    expect(bodiesOf(ROUTES.resend)).toEqual(['form']);
    expect(answersOf(ROUTES.apiResend)).toEqual(['json']);
    expect(bodiesOf(ROUTES.apiResend)).toEqual(['json']);
    expect(bodiesOf(ROUTES.apiPeriod)).toEqual([]);
    // The unit's link: the upload page is HTML, everything below it JSON.
    expect(isJsonRoute(ROUTES.uploadPage)).toBe(false);
    expect(isJsonRoute(ROUTES.unitStatus)).toBe(true);
    expect(errorStatusesOf(ROUTES.uploadPage)).toEqual([403, 404, 410]);
    // Signed in: a JSON twin answers 401 without a session; a page's GET redirects instead.
    expect(errorStatusesOf(ROUTES.apiPeriod)).toEqual([401, 403, 404]);
    expect(errorStatusesOf(ROUTES.period)).toEqual([403, 404]);
    expect(Object.keys(operationOf('period').responses)).toEqual(['200', '303', '403', '404']);
    expect(errorStatusesOf(ROUTES.apiResend)).toEqual([400, 401, 403, 404, 409, 413]);
    // The route's own answers and errors.
    expect(Object.keys(operationOf('apiStartExport').responses)).toContain('202');
    expect(Object.keys(operationOf('requestUpload').responses)).toContain('201');
    expect(operationOf('requestUpload').requestBody).toMatchObject({ required: true });
    expect(operationOf('requestSignIn').responses['429']).toEqual({ $ref: '#/components/responses/Page429' });
    expect(operationOf('apiExportFile').responses['303']?.headers).toHaveProperty('Location');
  });
});
