import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { emfMetrics } from '#shared/emf-metric.ts';
import { MAX_WEB_UPLOAD_BYTES } from '#shared/input-limits.ts';
import type { MetricName } from '#shared/metrics.ts';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';
import { decodeBody, decodeBodyBytes, type HttpRequest, parseCookies } from './request.ts';
import { COMMITTEE_REFERRER_POLICY, describeError, finalHeaders, jsonResponse } from './responses.ts';

type Result = APIGatewayProxyStructuredResultV2;

/**
 * API Gateway v2 event → the web layer's request (the committee's functions, admin-api and
 * setup-api).
 * @throws PayloadTooLargeError when the body is over the limit (checked before it is decoded).
 */
export function toHttpRequest(event: APIGatewayProxyEventV2): HttpRequest {
  // Forms with a file (a plan document, a list of units) may be larger than other bodies: their
  // bytes are kept for functions/http/multipart.ts; every other reader checks the usual limit.
  const bodyBytes = decodeBodyBytes(event.body, event.isBase64Encoded, MAX_WEB_UPLOAD_BYTES + 64 * 1024);
  const multipart = /^multipart\/form-data/i.test(event.headers['content-type'] ?? '');
  const body = multipart ? '' : decodeBody(event.body, event.isBase64Encoded);
  return {
    method: event.requestContext.http.method,
    path: event.rawPath.replace(/\/+$/, '') || '/',
    headers: event.headers,
    query: event.rawQueryString ?? '',
    cookies: parseCookies(event.cookies),
    body,
    bodyBytes,
    sourceIp: event.requestContext.http.sourceIp,
    requestId: event.requestContext.requestId,
  };
}

/** What a committee function's handler needs to know of itself. */
export interface HttpHandlerOptions<D> {
  /** The metric counting this function's 5xx answers (shared/metrics.ts; alarmed). */
  serverErrorMetric: MetricName;
  /** The app's URL (HSTS when it is https). */
  appUrl: (deps: D) => string;
}

/**
 * Counts a 5xx answer and logs it with the request's id (API Gateway's, as in the access log;
 * the Lambda request id is in every log line already): no server error goes unseen.
 */
export function countServerError(
  metric: MetricName,
  event: APIGatewayProxyEventV2,
  statusCode: number,
  error?: unknown,
): void {
  logger.error('server error answered', {
    requestId: event.requestContext?.requestId,
    routeKey: event.routeKey,
    statusCode,
    ...(error ? { error: error as Error } : {}),
  });
  // One EMF line, as Powertools Metrics would print it, without its 13 KB (shared/emf-metric.ts).
  emfMetrics.publish(metric, 'Count', 1);
}

/**
 * A committee function's Powertools-wrapped Lambda handler: each event becomes an {@link HttpRequest}
 * for `handle`, over deps made on first use (once per cold start; the local stack passes its own).
 * A body over the limit is answered 413 in JSON before anything else. Every answer gets the
 * committee's referrer policy and, on https, HSTS; an error thrown by `handle` becomes a 500,
 * and every 5xx is logged with the request id and counted.
 */
export function createHttpHandler<D>(
  handle: (req: HttpRequest, deps: D) => Promise<Result>,
  makeDeps: () => D,
  options: HttpHandlerOptions<D>,
) {
  let deps: D | undefined;
  return lambdaHandler<APIGatewayProxyEventV2, Result>(async (event) => {
    deps ??= makeDeps();
    // Every log line of this request carries API Gateway's request id (the access log's).
    logger.appendKeys({ requestId: event.requestContext?.requestId });
    let result: Result;
    let thrown: unknown;
    try {
      const request = toHttpRequest(event);
      result = await handle(request, deps);
    } catch (error) {
      thrown = error;
      const { statusCode, code, message } = describeError(error);
      result = jsonResponse(statusCode, { error: { code, message } });
    }
    if ((result.statusCode ?? 200) >= 500) {
      countServerError(options.serverErrorMetric, event, result.statusCode ?? 500, thrown);
    }
    return finalHeaders(result, options.appUrl(deps), { 'Referrer-Policy': COMMITTEE_REFERRER_POLICY });
  });
}
