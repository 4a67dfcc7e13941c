import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sigV4 } from '#shared/adapters/aws-signing.ts';
import { SecretsManagerRequestError, SignedSecretsManager } from '#shared/adapters/secrets-manager.ts';

/**
 * Every function reads its keys with GetSecretValue as one signed HTTP request instead of the
 * Secrets Manager client (to keep the client out of every bundle). A local HTTP server stands in
 * for Secrets Manager: it records what arrives and answers as its JSON protocol does; the same
 * call made by the SDK's SecretsManagerClient is the reference, for the request, the answer read
 * and what is retried.
 */
const REGION = 'ap-southeast-1';
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session/token+==',
};
const SECRET_ARN = 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:Baocao-prod-LinkKey-AbCdEf';
const SECRET = 'Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
interface Answer {
  status: number;
  body: string;
}

/** Secrets Manager's answer with the secret as text, or as bytes (base64 in JSON). */
function found(value: { SecretString: string } | { SecretBinary: string }): Answer {
  return {
    status: 200,
    body: JSON.stringify({
      ARN: SECRET_ARN,
      Name: 'Baocao-prod-LinkKey',
      VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_764_400_000.123,
      ...value,
    }),
  };
}
const error = (status: number, type: string, message: string): Answer => ({
  status,
  body: JSON.stringify({ __type: type, Message: message }),
});
const THROTTLED = error(400, 'ThrottlingException', 'Rate exceeded');
const UNAVAILABLE = error(503, 'InternalServiceError', 'Service unavailable');
const NOT_FOUND = error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

let server: Server;
let endpoint: string;
let received: Received[] = [];
/** Answers given in order; then the secret as text. */
let answers: Answer[] = [];
let sleeps: number[] = [];

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
      const answer = answers.shift() ?? found({ SecretString: SECRET });
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  answers = [];
  sleeps = [];
});

function secrets(): SignedSecretsManager {
  return new SignedSecretsManager(
    { region: REGION, credentials: async () => CREDENTIALS, endpoint },
    async (ms) => {
      sleeps.push(ms);
    },
  );
}

/** The SDK's client, with its standard retry decisions but no waiting. */
function sdkGet() {
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  return new SecretsManagerClient({
    region: REGION,
    endpoint,
    credentials: CREDENTIALS,
    logger: silent,
    retryStrategy: new ConfiguredRetryStrategy(3, 0),
  }).send(new GetSecretValueCommand({ SecretId: SECRET_ARN }));
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
  const resigned = await sigV4('secretsmanager', REGION, async () => CREDENTIALS).sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
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

describe('SignedSecretsManager', () => {
  it('sends what SecretsManagerClient sends for GetSecretValue, and the signature holds on arrival', async () => {
    // Act
    const ours = await secrets().getSecretValue(SECRET_ARN);
    const sdk = await sdkGet();
    // Assess
    const [sent, reference] = received as [Received, Received];
    expect(sent.method).toBe(reference.method);
    expect(sent.url).toBe(reference.url);
    expect(sent.body).toBe(reference.body);
    expect(JSON.parse(sent.body)).toEqual({ SecretId: SECRET_ARN });
    for (const header of ['content-type', 'content-length', 'x-amz-target', 'x-amz-security-token', 'host']) {
      expect([header, sent.headers[header]]).toEqual([header, reference.headers[header]]);
    }
    expect(String(sent.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-1\/secretsmanager\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
    );
    for (const name of ['host', 'x-amz-target', 'x-amz-date', 'content-type', 'x-amz-security-token']) {
      expect(String(sent.headers.authorization)).toContain(name);
    }
    expect(await signatureHolds(sent)).toBe(true);
    expect(await signatureHolds(reference)).toBe(true);
    expect(ours).toEqual({ SecretString: sdk.SecretString, SecretBinary: undefined });
  });

  it('reads a binary secret as the client does: the bytes of its base64', async () => {
    // Prepare
    const bytes = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37) % 256));
    answers = [
      found({ SecretBinary: bytes.toString('base64') }),
      found({ SecretBinary: bytes.toString('base64') }),
    ];
    // Act
    const ours = await secrets().getSecretValue(SECRET_ARN);
    const sdk = await sdkGet();
    // Assess
    expect(ours.SecretString).toBeUndefined();
    expect(ours.SecretBinary).toEqual(new Uint8Array(sdk.SecretBinary!));
    expect(ours.SecretBinary).toEqual(new Uint8Array(bytes));
  });

  it('retries throttling and a 503 as the client does (three requests), each wait within its back-off', async () => {
    // Prepare
    answers = [THROTTLED, UNAVAILABLE];
    // Act
    const ours = await secrets().getSecretValue(SECRET_ARN);
    const oursRequests = received.length;
    answers = [THROTTLED, UNAVAILABLE];
    const sdk = await sdkGet();
    // Assess
    expect(ours.SecretString).toBe(SECRET);
    expect(sdk.SecretString).toBe(SECRET);
    expect(oursRequests).toBe(3);
    expect(received.length - oursRequests).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]!).toBeLessThan(1_000);
    expect(sleeps[1]!).toBeLessThan(100);
  });

  it('gives up after three attempts, as the client does', async () => {
    // Prepare
    answers = [UNAVAILABLE, UNAVAILABLE, UNAVAILABLE];
    // Act
    const ours = secrets().getSecretValue(SECRET_ARN);
    // Assess
    await expect(ours).rejects.toThrow(SecretsManagerRequestError);
    await expect(ours).rejects.toMatchObject({ status: 503, code: 'InternalServiceError' });
    expect(received).toHaveLength(3);
    answers = [UNAVAILABLE, UNAVAILABLE, UNAVAILABLE];
    await expect(sdkGet()).rejects.toThrow();
    expect(received).toHaveLength(6);
  });

  it('does not retry a missing secret: one request, its code and message, as the client', async () => {
    // Prepare
    answers = [NOT_FOUND];
    // Act
    const ours = secrets().getSecretValue(SECRET_ARN);
    // Assess
    await expect(ours).rejects.toMatchObject({
      status: 400,
      code: 'ResourceNotFoundException',
      message: expect.stringContaining("can't find the specified secret"),
    });
    expect(received).toHaveLength(1);
    answers = [NOT_FOUND];
    await expect(sdkGet()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(received).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });
});
