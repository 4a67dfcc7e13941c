import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** A Lambda handler behind API Gateway (HTTP API, payload v2). */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The routes of infra/constructs/api.ts, matched the same way: the first route (most specific
 * first) whose method and pattern match.
 */
export interface LocalRoute {
  /** `ANY`, or the one method the route takes (e.g. `POST /api/plans`). */
  method: string;
  pattern: RegExp;
  /** API Gateway route key, e.g. `ANY /admin/{proxy+}` (shown in the event). */
  routeKey: string;
  handler: HttpHandler;
}

/** API Gateway's payload limit; larger bodies are refused as they would be on AWS. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Serves the same handlers that run in Lambda: each request becomes an API Gateway v2 event, each
 * result becomes the HTTP answer.
 */
export function createHttpAdapter(
  routes: LocalRoute[],
  onError: (error: unknown) => void = () => {},
): Server {
  return createServer((req, res) => {
    handle(req, res, routes).catch((error) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Đã có lỗi hệ thống.');
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: LocalRoute[]): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = routes.find(
    (r) => (r.method === 'ANY' || r.method === req.method) && r.pattern.test(url.pathname),
  );
  if (!route) {
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"Not Found"}');
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    res.writeHead(413, { 'Content-Type': 'application/json' }).end('{"message":"Request Entity Too Large"}');
    return;
  }
  const event = toEvent(req, url, route, body);
  const result = await route.handler(event, fakeContext());
  writeResult(res, result);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml))/;

/** Builds the event API Gateway would send (payload format 2.0). */
export function toEvent(
  req: IncomingMessage,
  url: URL,
  route: LocalRoute,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = req.headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const isText = TEXT_TYPES.test(headers['content-type'] ?? 'text/plain');
  const match = url.pathname.match(route.pattern);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(match?.groups ? { pathParameters: { ...match.groups } as Record<string, string> } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['Set-Cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function fakeContext(): Context {
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:local',
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
