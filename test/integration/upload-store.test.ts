import { readFile } from 'node:fs/promises';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoUploadStore } from '#shared/adapters/dynamodb/upload-store.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;

describe('DynamoUploadStore.readLinkContext against dynalite', () => {
  let stack: TestStack;
  const requests: string[] = [];
  let store: DynamoUploadStore;
  let now = 0;

  beforeAll(async () => {
    stack = await startTestStack({ clock: fixedClock('2026-12-01T03:00:00Z') });
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\n',
    );
    await openPeriod(stack.deps, { planId: PLAN, year: YEAR });
    const client = createDynamoDocumentClient(stack.config);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        requests.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    store = new DynamoUploadStore(
      client,
      { plans: stack.config.PLANS_TABLE, submissions: stack.config.SUBMISSIONS_TABLE },
      { planCacheMs: 30_000, now: () => now },
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('reads the three items in one request, then the assignment alone while the plan is fresh', async () => {
    // Act
    requests.length = 0;
    const first = await store.readLinkContext(PLAN, YEAR, 'cb-a');
    now += 29_000;
    const second = await store.readLinkContext(PLAN, YEAR, 'cb-b');
    now += 2_000;
    const third = await store.readLinkContext(PLAN, YEAR, 'cb-a');
    // Assess
    expect(requests).toEqual(['BatchGetItem', 'GetItem', 'BatchGetItem']);
    expect(first.plan).toEqual({
      id: PLAN,
      number: '12-KH/ĐUS',
      title: expect.any(String),
      taskGroups: expect.any(Array),
    });
    expect(first.period).toMatchObject({ planId: PLAN, year: YEAR, status: 'open' });
    expect(second).toMatchObject({ plan: first.plan, period: first.period });
    expect(second.assignment).toMatchObject({ unitId: 'cb-b', linkVersion: 1 });
    expect(third.assignment).toMatchObject({ unitId: 'cb-a' });
  });

  it('always reads the assignment fresh: a revoked link shows at once, cache or not', async () => {
    // Prepare: the plan and period are cached by the call before.
    await store.readLinkContext(PLAN, YEAR, 'cb-b');
    await createDynamoDocumentClient(stack.config).send(
      new UpdateCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        Key: { pk: `PERIOD#${PLAN}#${YEAR}`, sk: 'UNIT#cb-b' },
        UpdateExpression: 'ADD linkVersion :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    requests.length = 0;
    // Act
    const context = await store.readLinkContext(PLAN, YEAR, 'cb-b');
    // Assess
    expect(requests).toEqual(['GetItem']);
    expect(context.assignment?.linkVersion).toBe(2);
  });

  it('finds nothing for a unit without an assignment, and caches no missing plan', async () => {
    requests.length = 0;
    const missing = await store.readLinkContext('khong-co-2025', YEAR, 'cb-a');
    const again = await store.readLinkContext('khong-co-2025', YEAR, 'cb-a');
    expect(missing).toEqual({ assignment: undefined, plan: undefined, period: undefined });
    expect(again).toEqual(missing);
    expect(requests).toEqual(['BatchGetItem', 'BatchGetItem']);
  });
});
