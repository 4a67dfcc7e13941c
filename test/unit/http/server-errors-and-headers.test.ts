/**
 * Issue 18 at the HTTP edge: HSTS when the app is served over https, the committee's referrer
 * policy (`same-origin`, the upload page's stays `no-referrer`), and every 5xx logged with its
 * request id and counted by its function's metric.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpHandler } from '#functions/http/lambda-http.ts';
import {
  finalHeaders,
  htmlResponse,
  jsonResponse,
  STRICT_TRANSPORT_SECURITY,
} from '#functions/http/responses.ts';
import { createPublicHandler } from '#functions/public-api.ts';
import { singleCommittee } from '#functions/wiring/committee-directory.ts';
import { parseConfig } from '#shared/config.ts';
import { emfMetrics } from '#shared/emf-metric.ts';
import { METRICS } from '#shared/metrics.ts';
import { logger } from '#shared/powertools.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';

type Result = APIGatewayProxyStructuredResultV2;

function event(path: string, requestId = 'req-123'): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'ANY /admin/{proxy+}',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'local',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
      requestId,
      routeKey: 'ANY /admin/{proxy+}',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

const context = {
  awsRequestId: 'lambda-1',
  functionName: 'admin-api',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

function committeeHandler(appUrl: string, handle: () => Promise<Result>) {
  const h = createHttpHandler(handle, () => ({ appUrl }), {
    serverErrorMetric: METRICS.AdminApiServerError,
    appUrl: (d) => d.appUrl,
  });
  return (e: APIGatewayProxyEventV2) => h(e, context) as Promise<Result>;
}

describe('security headers and server errors at the HTTP edge', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('adds HSTS on an https app and not on http, and gives committee answers a same-origin referrer policy', async () => {
    const page = async () => htmlResponse(200, '<p>ok</p>');
    const https = await committeeHandler('https://baocao.dangbo.vn', page)(event('/admin'));
    const http = await committeeHandler('http://127.0.0.1:3000', page)(event('/admin'));
    expect(https.headers).toMatchObject({
      'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY,
      'Referrer-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    });
    expect(STRICT_TRANSPORT_SECURITY).toBe('max-age=31536000');
    expect(http.headers).not.toHaveProperty('Strict-Transport-Security');
    expect(http.headers).toMatchObject({ 'Referrer-Policy': 'same-origin' });
  });

  it('keeps an answer’s own headers and body, adding HSTS last', () => {
    const result = finalHeaders(jsonResponse(201, { a: 1 }, { 'X-Extra': 'y' }), 'https://x.vn');
    expect(result).toMatchObject({ statusCode: 201, body: '{"a":1}' });
    expect(result.headers).toMatchObject({ 'X-Extra': 'y', 'Referrer-Policy': 'no-referrer' });
    expect(result.headers).toHaveProperty('Strict-Transport-Security');
  });

  it('turns an error thrown by a committee handler into a 500 without details, logged with the request id and counted', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const counted = vi.spyOn(emfMetrics, 'publish').mockImplementation(() => undefined);
    const res = await committeeHandler('https://x.vn', async () => {
      throw new Error('table missing: secret detail');
    })(event('/admin', 'req-boom'));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret detail');
    expect(res.headers).toHaveProperty('Strict-Transport-Security');
    expect(logged).toHaveBeenCalledWith(
      'server error answered',
      expect.objectContaining({ requestId: 'req-boom', statusCode: 500, error: expect.any(Error) }),
    );
    expect(counted).toHaveBeenCalledWith(METRICS.AdminApiServerError, 'Count', 1);
  });

  it('counts a 5xx a committee handler answers itself (its error page), and nothing for a 4xx', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const counted = vi.spyOn(emfMetrics, 'publish').mockImplementation(() => undefined);
    await committeeHandler('https://x.vn', async () => htmlResponse(404, 'no'))(event('/admin/x'));
    expect(counted).not.toHaveBeenCalled();
    await committeeHandler('https://x.vn', async () => htmlResponse(503, 'down'))(event('/admin/x'));
    expect(counted).toHaveBeenCalledWith(METRICS.AdminApiServerError, 'Count', 1);
  });

  it('counts and logs the public function’s 500s too, with HSTS on https', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const counted = vi.spyOn(emfMetrics, 'publish').mockImplementation(() => undefined);
    const config = parseConfig({
      APP_URL: 'https://baocao.dangbo.vn',
      PLANS_TABLE: 'baocao-plans',
      SUBMISSIONS_TABLE: 'baocao-submissions',
      REPORTS_BUCKET: 'baocao-reports',
    });
    const broken = {
      clock: { now: () => new Date() },
      keys: {
        linkKey: async () => {
          throw new Error('secrets manager down');
        },
      },
      signer: { uploadOrigin: () => 'https://bucket.example' },
    } as unknown as UploadDeps;
    const handler = createPublicHandler(() => singleCommittee({ deps: broken, config }));
    const e = { ...event('/u/abc/status', 'req-pub'), routeKey: 'ANY /u/{token}/{proxy+}' };
    e.requestContext.http.method = 'GET';
    const res = (await handler(e, context)) as Result;
    expect(res.statusCode).toBe(500);
    expect(res.headers).toMatchObject({
      'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY,
      'Referrer-Policy': 'no-referrer',
    });
    expect(counted).toHaveBeenCalledWith(METRICS.PublicApiServerError, 'Count', 1);
    expect(logged).toHaveBeenCalledWith(
      'server error answered',
      expect.objectContaining({ requestId: 'req-pub' }),
    );
  });
});
