import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sigV4 } from '#shared/adapters/aws-signing.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { SqsMailQueue, SqsRequestError } from '#shared/adapters/sqs/mail-queue.ts';
import { parseConfig } from '#shared/config.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';

/**
 * The mail queue sends SendMessageBatch as one signed HTTP request instead of the SQS client (to
 * keep the client out of four bundles). A local HTTP server stands in for SQS: it records what
 * arrives and answers as SQS's JSON protocol does; the same call made by the SDK's SQSClient is
 * the reference, for the request and for what is retried.
 */
const REGION = 'ap-southeast-1';
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session/token+==',
};
/** The SDK's bookkeeping headers, which it signs and the adapter does not send. */
const SDK_ONLY_HEADERS = ['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent'];

function message(n: number): MailMessage {
  return {
    template: 'sign-in',
    key: `committee#sign-in#${n}`,
    planId: '12-kh-dus-2025',
    year: 2026,
    unitId: 'committee',
    to: [`văn.phòng.${n}@example.vn`],
    cc: [],
    data: {
      planNumber: '12-KH/ĐU',
      planTitle: 'Kế hoạch tổng kết năm — "báo cáo" & <ký>',
      unitName: 'Văn phòng Đảng ủy',
      signInUrl: `https://baocao.example.vn/admin/sign-in?t=${n}`,
      validMinutes: 15,
    },
  };
}

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}
type Entries = { Id: string; MessageBody: string }[];

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** SQS's answer when it accepts every entry (with the MD5 of each body, as SQS gives it). */
function acceptAll(request: Received): Answer {
  const { Entries } = JSON.parse(request.body) as { Entries: Entries };
  return {
    status: 200,
    body: JSON.stringify({
      Successful: Entries.map((e) => ({
        Id: e.Id,
        MessageId: `m-${e.Id}`,
        MD5OfMessageBody: md5(e.MessageBody),
      })),
    }),
  };
}

/** SQS's answer accepting every entry but those in `refused`. */
function refuse(refused: Record<string, { SenderFault: boolean; Code: string; Message: string }>) {
  return (request: Received): Answer => {
    const answer = JSON.parse(acceptAll(request).body) as { Successful: { Id: string }[] };
    return {
      status: 200,
      body: JSON.stringify({
        Successful: answer.Successful.filter((s) => !(s.Id in refused)),
        Failed: Object.entries(refused).map(([Id, f]) => ({ Id, ...f })),
      }),
    };
  };
}

function error(status: number, type: string, message: string, queryError?: string): Answer {
  return {
    status,
    headers: queryError ? { 'x-amzn-query-error': queryError } : {},
    body: JSON.stringify({ __type: type, message }),
  };
}

const THROTTLED = error(
  400,
  'com.amazonaws.sqs#RequestThrottled',
  'Request is throttled.',
  'RequestThrottled;Sender',
);
const THROTTLING_EXCEPTION = error(400, 'com.amazon.coral.availability#ThrottlingException', 'Rate exceeded');
const NO_QUEUE = error(
  400,
  'com.amazonaws.sqs#QueueDoesNotExist',
  'The specified queue does not exist.',
  'AWS.SimpleQueueService.NonExistentQueue;Sender',
);

let server: Server;
let origin: string;
let queueUrl: string;
let received: Received[] = [];
/** Answers given in order; then every entry accepted. */
let answers: (Answer | ((request: Received) => Answer))[] = [];
let sleeps: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const next = answers.shift() ?? acceptAll;
      const answer = typeof next === 'function' ? next(request) : next;
      res
        .writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', ...answer.headers })
        .end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  queueUrl = `${origin}/123456789012/Baocao-prod-Queues-MailQueue-AbC123`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  answers = [];
  sleeps = [];
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function queue(url = queueUrl, timeoutMs?: number): SqsMailQueue {
  return new SqsMailQueue(
    {
      region: REGION,
      queueUrl: url,
      credentials: async () => CREDENTIALS,
      ...(timeoutMs ? { timeoutMs } : {}),
    },
    async (ms) => {
      sleeps.push(ms);
    },
  );
}

/** The SDK's client as the functions built it, with its standard retry decisions but no waiting. */
function sdkClient(): SQSClient {
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  return new SQSClient({
    region: REGION,
    credentials: CREDENTIALS,
    logger: silent,
    retryStrategy: new ConfiguredRetryStrategy(3, 0),
  });
}

function sdkSend(entries: Entries) {
  return sdkClient().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
}

function entriesOf(request: Received): Entries {
  return (JSON.parse(request.body) as { Entries: Entries }).Entries;
}

function signedHeaders(request: Received): string[] {
  return /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))![1]!.split(';');
}

/** Re-signs what arrived with the headers it says it signed: equal only if nothing changed on the way. */
async function signatureHolds(request: Received): Promise<boolean> {
  const auth = String(request.headers.authorization);
  const names = signedHeaders(request);
  const amzDate = String(request.headers['x-amz-date']);
  const headers: Record<string, string> = {};
  for (const name of names) headers[name] = String(request.headers[name]);
  // The payload hash is recomputed from the body that arrived, never taken from its header.
  if ('x-amz-content-sha256' in headers) {
    headers['x-amz-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
  }
  const url = new URL(request.url, origin);
  const resigned = await sigV4('sqs', REGION, async () => CREDENTIALS).sign(
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
      unsignableHeaders: new Set(Object.keys(request.headers).filter((h) => !names.includes(h))),
    },
  );
  return resigned.headers.authorization === auth;
}

describe('SqsMailQueue', () => {
  it('sends what SQSClient sends for SendMessageBatch, and the signature holds on arrival', async () => {
    const messages = [message(1), message(2)];
    await queue().enqueue(messages);
    await sdkSend(messages.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) })));
    const [ours, sdk] = received as [Received, Received];
    expect(ours.method).toBe('POST');
    expect(ours.method).toBe(sdk.method);
    expect(ours.url).toBe('/');
    expect(ours.url).toBe(sdk.url);
    expect(ours.body).toBe(sdk.body);
    expect(JSON.parse(ours.body)).toEqual({
      QueueUrl: queueUrl,
      Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) })),
    });
    expect(ours.headers['x-amz-target']).toBe('AmazonSQS.SendMessageBatch');
    expect(ours.headers['content-type']).toBe('application/x-amz-json-1.0');
    for (const header of [
      'x-amz-target',
      'content-type',
      'content-length',
      'x-amzn-query-mode',
      'x-amz-security-token',
      'host',
    ]) {
      expect([header, ours.headers[header]]).toEqual([header, sdk.headers[header]]);
    }
    expect(String(ours.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-1\/sqs\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
    );
    expect(signedHeaders(ours)).toEqual(signedHeaders(sdk).filter((h) => !SDK_ONLY_HEADERS.includes(h)));
    expect(signedHeaders(ours)).toEqual(
      expect.arrayContaining(['host', 'x-amz-target', 'x-amz-date', 'x-amz-content-sha256', 'content-type']),
    );
    expect(await signatureHolds(ours)).toBe(true);
    expect(await signatureHolds(sdk)).toBe(true);
  });

  it('a request changed on the way no longer matches its signature', async () => {
    await queue().enqueue([message(1)]);
    const tampered = { ...received[0]!, body: received[0]!.body.replace('2026', '2025') };
    expect(await signatureHolds(tampered)).toBe(false);
  });

  it('sends nothing for no messages', async () => {
    await queue().enqueue([]);
    expect(received).toEqual([]);
  });

  it('sends more than ten messages in batches of ten, each message once and in order', async () => {
    const messages = Array.from({ length: 23 }, (_, i) => message(i));
    await queue().enqueue(messages);
    expect(received.map((r) => entriesOf(r).length)).toEqual([10, 10, 3]);
    expect(received.map((r) => entriesOf(r).map((e) => e.Id))).toEqual([
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['0', '1', '2'],
    ]);
    expect(received.flatMap((r) => entriesOf(r).map((e) => JSON.parse(e.MessageBody)))).toEqual(messages);
    expect(sleeps).toEqual([]);
  });

  it('sends again the entries SQS refused on its side, and only those, after a back-off', async () => {
    const messages = Array.from({ length: 4 }, (_, i) => message(i));
    answers = [
      refuse({
        '1': { SenderFault: false, Code: 'InternalError', Message: 'internal' },
        '3': { SenderFault: false, Code: 'ServiceUnavailable', Message: 'busy' },
      }),
      refuse({ '3': { SenderFault: false, Code: 'InternalError', Message: 'internal' } }),
    ];
    await queue().enqueue(messages);
    expect(received.map((r) => entriesOf(r).map((e) => e.Id))).toEqual([
      ['0', '1', '2', '3'],
      ['1', '3'],
      ['3'],
    ]);
    expect(entriesOf(received[1]!).map((e) => JSON.parse(e.MessageBody))).toEqual([messages[1], messages[3]]);
    expect(sleeps).toEqual([200, 400]);
  });

  it('gives up on entries SQS refuses five times', async () => {
    const refusing = refuse({ '0': { SenderFault: false, Code: 'InternalError', Message: 'internal' } });
    answers = [refusing, refusing, refusing, refusing, refusing];
    await expect(queue().enqueue([message(1)])).rejects.toThrow('SQS refused 1 mail messages 5 times');
    expect(received).toHaveLength(5);
  });

  it('fails at once on an entry refused as the sender’s fault, with its code', async () => {
    answers = [
      refuse({
        '1': {
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message: 'Message contains invalid characters',
        },
      }),
    ];
    await expect(queue().enqueue([message(1), message(2)])).rejects.toThrow(
      "SQS refused mail message 1 as the sender's fault: InvalidParameterValue Message contains invalid characters",
    );
    expect(received).toHaveLength(1);
  });

  it('retries throttling and server errors like the SDK, backing off longer when throttled, then succeeds', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    answers = [THROTTLED, THROTTLING_EXCEPTION];
    await queue().enqueue([message(1)]);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    // Full jitter (here one half) of 1 s, then 2 s: the SDK's throttling base.
    expect(sleeps).toEqual([500, 1000]);

    received = [];
    sleeps = [];
    answers = [error(500, 'com.amazonaws.sqs#InternalError', 'internal'), error(503, '', 'unavailable')];
    await queue().enqueue([message(1)]);
    expect(received).toHaveLength(3);
    // …and of 50 ms, then 100 ms for the others.
    expect(sleeps).toEqual([25, 50]);
  });

  it('retries a throttling code given in the query-protocol form', async () => {
    answers = [
      error(400, 'com.amazonaws.sqs#Unknown', 'slow down', 'AWS.SimpleQueueService.RequestThrottled;Sender'),
    ];
    await queue().enqueue([message(1)]);
    expect(received).toHaveLength(2);
  });

  it('fails on a refusal without retrying, with SQS’s code and message', async () => {
    answers = [NO_QUEUE];
    const failure = queue()
      .enqueue([message(1)])
      .catch((e: unknown) => e);
    const e = await failure;
    expect(e).toBeInstanceOf(SqsRequestError);
    expect(e).toMatchObject({
      status: 400,
      code: 'QueueDoesNotExist',
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    });
    expect((e as Error).message).toBe(
      'SQS SendMessageBatch failed: HTTP 400 QueueDoesNotExist (AWS.SimpleQueueService.NonExistentQueue): The specified queue does not exist.',
    );
    expect(received).toHaveLength(1);

    answers = [
      error(403, 'com.amazon.coral.service#AccessDeniedException', 'not authorized to sqs:SendMessage'),
    ];
    await expect(queue().enqueue([message(1)])).rejects.toThrow(
      'HTTP 403 AccessDeniedException: not authorized to sqs:SendMessage',
    );
    expect(received).toHaveLength(2);
  });

  it.each([
    ['RequestThrottled (400)', THROTTLED],
    ['ThrottlingException (400)', THROTTLING_EXCEPTION],
    ['429', error(429, 'com.amazonaws.sqs#TooManyRequests', 'slow down')],
    ['500', error(500, 'com.amazonaws.sqs#InternalError', 'internal')],
    ['502', { status: 502, body: '<html>Bad Gateway</html>' }],
    ['503', error(503, 'com.amazonaws.sqs#ServiceUnavailable', 'unavailable')],
    ['504', { status: 504, body: '' }],
    ['501', error(501, 'com.amazonaws.sqs#NotImplemented', 'no')],
    ['QueueDoesNotExist (400)', NO_QUEUE],
    ['AccessDenied (403)', error(403, 'com.amazon.coral.service#AccessDeniedException', 'denied')],
    [
      'InvalidParameterValue (400)',
      error(400, 'com.amazonaws.sqs#InvalidParameterValue', 'bad', 'InvalidParameterValue;Sender'),
    ],
  ] satisfies [string, Answer][])('retries %s exactly as SQSClient does', async (_, answer) => {
    answers = [answer, answer, answer];
    await expect(queue().enqueue([message(1)])).rejects.toThrow();
    const ours = received.length;
    received = [];
    answers = [answer, answer, answer];
    await expect(sdkSend([{ Id: '0', MessageBody: JSON.stringify(message(1)) }])).rejects.toThrow();
    expect(ours).toBe(received.length);
    expect([1, 3]).toContain(ours);
  });

  it('checks the MD5 of each accepted body, as the SQS client does', async () => {
    const wrongDigest = (request: Received): Answer => ({
      status: 200,
      body: JSON.stringify({
        Successful: entriesOf(request).map((e) => ({
          Id: e.Id,
          MessageId: 'm',
          MD5OfMessageBody: md5('other'),
        })),
      }),
    });
    answers = [wrongDigest];
    await expect(queue().enqueue([message(1)])).rejects.toThrow(
      'SQS answered a wrong MD5 for mail messages 0',
    );
    answers = [wrongDigest];
    await expect(sdkSend([{ Id: '0', MessageBody: JSON.stringify(message(1)) }])).rejects.toThrow(
      /Invalid MD5 checksum/,
    );
  });

  it('gives up on an endpoint that never answers, attempt by attempt, instead of hanging', async () => {
    let arrived = 0;
    const silent = createServer(() => {
      arrived++;
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/123456789012/mail`;
      await expect(queue(url, 100).enqueue([message(1)])).rejects.toThrow(/timeout|aborted/i);
      expect(arrived).toBe(3);
      expect(sleeps).toHaveLength(2);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('retries a connection that fails, and reports it after the last attempt', async () => {
    await expect(queue('http://127.0.0.1:1/123456789012/mail').enqueue([message(1)])).rejects.toThrow(
      /fetch failed/,
    );
    expect(sleeps).toHaveLength(2);
  });
});

describe('sqsMailQueue', () => {
  const env = {
    PLANS_TABLE: 'plans',
    SUBMISSIONS_TABLE: 'subs',
    REPORTS_BUCKET: 'reports',
    AWS_REGION: REGION,
  };

  it('sends to MAIL_QUEUE_URL in the configured region as the credential chain says', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', CREDENTIALS.sessionToken);
    await sqsMailQueue(parseConfig({ ...env, MAIL_QUEUE_URL: queueUrl })).enqueue([message(1)]);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body).QueueUrl).toBe(queueUrl);
    expect(received[0]!.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(String(received[0]!.headers.authorization)).toContain(`/${REGION}/sqs/aws4_request`);
    expect(await signatureHolds(received[0]!)).toBe(true);
  });

  it('fails on the first message when MAIL_QUEUE_URL is not set', async () => {
    const mailQueue = sqsMailQueue(parseConfig(env));
    await expect(mailQueue.enqueue([message(1)])).rejects.toThrow('MAIL_QUEUE_URL is not set');
  });
});
