import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sigV4 } from '#shared/adapters/aws-signing.ts';
import { LambdaExportInvoker } from '#shared/adapters/export-invoker.ts';
import type { ExportInvocation } from '#shared/export/ports.ts';

/**
 * The exporter's asynchronous invoke is one signed HTTP request instead of the Lambda client
 * (to keep the client out of two bundles). No Lambda emulator exists, so a local HTTP server
 * stands in for the Lambda endpoint: it records what arrives, answers as Lambda does, and the
 * same request made by the SDK's LambdaClient is the reference.
 */
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session/token+==',
};
const EVENT: ExportInvocation = {
  planId: '12-kh-dus-2025',
  year: 2026,
  exportId: '20261216T010203Z-abcd',
  requestedBy: 'văn.phòng@example.vn',
};
const FUNCTION = 'Baocao-prod-Service-ExportsExporterFunction-AbC123';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let endpoint: string;
let received: Received[] = [];
/** Answers given in order; then 202. */
let answers: { status: number; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = answers.shift() ?? { status: 202, body: '' };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  answers = [];
});

function invoker(): LambdaExportInvoker {
  return new LambdaExportInvoker(
    { region: 'ap-southeast-1', functionName: FUNCTION, credentials: async () => CREDENTIALS, endpoint },
    async () => {},
  );
}

/** Re-signs what arrived with the headers it says it signed: equal only if nothing changed on the way. */
async function signatureHolds(request: Received): Promise<boolean> {
  const auth = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(';');
  const amzDate = String(request.headers['x-amz-date']);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(request.headers[name]);
  // The payload hash is recomputed from the body that arrived, never taken from its header.
  if ('x-amz-content-sha256' in headers) {
    headers['x-amz-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
  }
  const url = new URL(request.url, endpoint);
  const resigned = await sigV4('lambda', 'ap-southeast-1', async () => CREDENTIALS).sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: decodeURIComponent(url.pathname),
      query: {},
      headers,
      body: request.body,
    },
    {
      signingDate: new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      ),
      unsignableHeaders: new Set(Object.keys(request.headers).filter((h) => !signedHeaders.includes(h))),
    },
  );
  return resigned.headers.authorization === auth;
}

describe('LambdaExportInvoker', () => {
  it('sends what LambdaClient sends for an Event invoke, and the signature holds on arrival', async () => {
    await invoker().invoke(EVENT);
    await new LambdaClient({ region: 'ap-southeast-1', endpoint, credentials: CREDENTIALS }).send(
      new InvokeCommand({
        FunctionName: FUNCTION,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(EVENT)),
      }),
    );
    const [ours, sdk] = received as [Received, Received];
    expect(ours.method).toBe(sdk.method);
    expect(ours.url).toBe(sdk.url);
    expect(ours.body).toBe(sdk.body);
    expect(JSON.parse(ours.body)).toEqual(EVENT);
    for (const header of [
      'x-amz-invocation-type',
      'content-type',
      'content-length',
      'x-amz-security-token',
      'host',
    ]) {
      expect([header, ours.headers[header]]).toEqual([header, sdk.headers[header]]);
    }
    expect(String(ours.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
    );
    for (const name of [
      'host',
      'x-amz-invocation-type',
      'x-amz-date',
      'x-amz-content-sha256',
      'content-type',
    ]) {
      expect(String(ours.headers.authorization)).toContain(name);
    }
    expect(await signatureHolds(ours)).toBe(true);
    expect(await signatureHolds(sdk)).toBe(true);
  });

  it('a request changed on the way no longer matches its signature', async () => {
    await invoker().invoke(EVENT);
    const tampered = { ...received[0]!, body: received[0]!.body.replace('2026', '2025') };
    expect(await signatureHolds(tampered)).toBe(false);
  });

  it('retries throttling and server errors, then succeeds', async () => {
    answers = [
      { status: 429, body: '{"Type":"User","message":"Rate exceeded"}' },
      { status: 500, body: '{"Type":"Service","message":"internal"}' },
    ];
    await invoker().invoke(EVENT);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body))).toEqual(new Set([JSON.stringify(EVENT)]));
  });

  it('gives up after 3 attempts with Lambda’s error in the message', async () => {
    answers = [503, 503, 503].map((status) => ({
      status,
      body: '{"Type":"Service","message":"unavailable"}',
    }));
    await expect(invoker().invoke(EVENT)).rejects.toThrow(/HTTP 503 Service unavailable/);
    expect(received).toHaveLength(3);
  });

  it('does not retry a refusal (missing permission, unknown function)', async () => {
    answers = [
      { status: 403, body: '{"Type":"User","Message":"not authorized to perform: lambda:InvokeFunction"}' },
    ];
    await expect(invoker().invoke(EVENT)).rejects.toThrow(/HTTP 403 User not authorized/);
    answers = [{ status: 404, body: '{"Type":"User","message":"Function not found"}' }];
    await expect(invoker().invoke(EVENT)).rejects.toThrow(/HTTP 404 User Function not found/);
    expect(received).toHaveLength(2);
  });

  it('gives up on an endpoint that never answers, attempt by attempt, instead of hanging', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const hanging = new LambdaExportInvoker(
        {
          region: 'ap-southeast-1',
          functionName: FUNCTION,
          credentials: async () => CREDENTIALS,
          endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
          timeoutMs: 100,
        },
        async () => {},
      );
      await expect(hanging.invoke(EVENT)).rejects.toThrow(/timeout|aborted/i);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('retries a connection that fails, and reports it after the last attempt', async () => {
    const dead = new LambdaExportInvoker(
      {
        region: 'ap-southeast-1',
        functionName: FUNCTION,
        credentials: async () => CREDENTIALS,
        endpoint: 'http://127.0.0.1:1',
      },
      async () => {},
    );
    await expect(dead.invoke(EVENT)).rejects.toThrow(/fetch failed/);
  });
});
