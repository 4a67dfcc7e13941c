/**
 * shared/powertools-handler.ts: Powertools' decorators applied as functions, in place of the
 * middy middlewares. Checked on the lines they print: the Lambda context in every log line, keys
 * of one invocation gone in the next, metrics flushed after a failed invocation too.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';

const CONTEXT = {
  functionName: 'baocao-mailer',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:123456789012:function:baocao-mailer',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/baocao-mailer',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} satisfies Context;

/** The JSON lines written to stdout and stderr while `run` runs. */
async function printed(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const writes = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await run().catch(() => {});
  } finally {
    for (const write of writes) write.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a function’s Lambda handler', () => {
  afterEach(() => {
    logger.resetKeys();
  });

  it('logs each line with the Lambda context, and forgets the keys an invocation appended', async () => {
    const handler = lambdaHandler(async (event: { id: string }) => {
      if (event.id === 'first') logger.appendKeys({ messageId: 'm-1' });
      logger.warn('handled', { id: event.id });
      return event.id;
    });

    const lines = await printed(async () => {
      expect(await handler({ id: 'first' }, CONTEXT)).toBe('first');
      expect(await handler({ id: 'second' }, { ...CONTEXT, awsRequestId: 'req-2' })).toBe('second');
    });

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      message: 'handled',
      id: 'first',
      messageId: 'm-1',
      function_name: 'baocao-mailer',
      function_request_id: 'req-1',
    });
    expect(lines[1]).toMatchObject({ message: 'handled', id: 'second', function_request_id: 'req-2' });
    expect(lines[1]).not.toHaveProperty('messageId');
    expect(lines[1]!.cold_start).toBe(false);
  });

  it('publishes the metrics of an invocation that fails, and rethrows its error', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_DEV', '');
    const metrics = new Metrics({ namespace: 'Baocao', serviceName: 'baocao' });
    const failure = new Error('the mail could not be sent');
    const handler = lambdaHandler(
      async () => {
        metrics.addMetric('MailFailed', MetricUnit.Count, 1);
        throw failure;
      },
      { metrics },
    );

    let thrown: unknown;
    const lines = await printed(() =>
      handler({}, CONTEXT).catch((error: unknown) => {
        thrown = error;
      }),
    );
    vi.unstubAllEnvs();

    expect(thrown).toBe(failure);
    const emf = lines.filter((line) => '_aws' in line);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ MailFailed: 1, service: 'baocao' });
  });

  it('runs without a context, as the local stack and the tests call it', async () => {
    const handler = lambdaHandler(async (event: number) => event * 2);
    expect(await handler(21)).toBe(42);
  });
});
