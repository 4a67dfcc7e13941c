import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlePlannerBatch } from '#functions/planner.ts';
import { committeeDirectory } from '#functions/wiring/committee-directory.ts';
import { createDeps } from '#functions/wiring/create-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { type Runtime, scopeRuntime } from '#functions/wiring/runtime.ts';
import { DurableQueue } from '#local/durable-queue.ts';
import { runLocalPlanner, runLocalTick } from '#local/invoke-planner.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { MailQueue } from '#shared/ports.ts';
import type { PlannerMessage } from '#shared/tenancy/planner-fan-out.ts';
import { addCommittee, listCommittees } from '#shared/tenancy/registry.ts';
import { importUnits } from '#shared/units/units.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { at8, committeePlan, testLinks, unitIds, unitsCsv } from '#test/support/planner.ts';

const COMMITTEES = ['dus-a', 'dus-b', 'dus-c'] as const;
type Stamped = MailMessage & { committeeId?: string };

/** The messages as the SQS event source delivers them (one record each, its own message id). */
function sqsEvent(messages: PlannerMessage[]): SQSEvent {
  return {
    Records: messages.map((m, i) => ({
      messageId: `m-${i}-${m.committeeId}`,
      receiptHandle: `r-${i}`,
      body: JSON.stringify(m),
      attributes: {} as never,
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-southeast-1:000000000000:planner',
      awsRegion: 'ap-southeast-1',
    })),
  };
}

describe('planner fan-out: one message per committee, each run in its own scope', () => {
  let stack: TestStack;
  const scoped = new Map<string, Runtime>();

  /** A worker's directory over the stack's runtime with `mailQueue` in place of its own. */
  const directoryWith = (mailQueue: MailQueue) =>
    committeeDirectory({ ...stack.runtime, mailQueue }, (r) => createPlannerDeps(r, { links: testLinks }));

  /** The tick's messages for an instant (the registry queried, nothing sent anywhere). */
  async function tick(at: Date): Promise<PlannerMessage[]> {
    const messages: PlannerMessage[] = [];
    await runLocalTick(stack.runtime, { enqueue: async (batch) => void messages.push(...batch) }, at);
    return messages;
  }

  beforeAll(async () => {
    stack = await startTestStack();
    const registry = createRegistryDeps(stack.runtime);
    for (const id of COMMITTEES) {
      const committee = await addCommittee(registry, { id, name: `Đảng ủy ${id}`, by: 'test' });
      const runtime = scopeRuntime(stack.runtime, committee);
      scoped.set(id, runtime);
      const deps = createDeps(runtime);
      await importUnits(deps, unitsCsv(unitIds(id, 1, 3)));
      await deps.plans.putPlan(committeePlan(`kh-${id}`));
    }
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('sends one message per committee of the registry, for the scheduled instant', async () => {
    // Act
    const messages = await tick(at8('2026-11-15'));

    // Assess: the first committee (registered on first read) and the three added, once each.
    const all = (await listCommittees(createRegistryDeps(stack.runtime))).map((c) => c.id);
    expect(all).toEqual(['dus-a', 'dus-b', 'dus-c', stack.config.COMMITTEE_ID].sort());
    expect(messages.map((m) => m.committeeId).sort()).toEqual(all);
    expect(new Set(messages.map((m) => m.at))).toEqual(new Set([at8('2026-11-15').toISOString()]));
  });

  it('opens each committee’s period in its own scope, its e-mails naming its committee', async () => {
    // Prepare
    const mails: Stamped[] = [];
    const capture: MailQueue = { enqueue: async (batch) => void mails.push(...batch) };

    // Act: the open day.
    const result = await handlePlannerBatch(sqsEvent(await tick(at8('2026-11-15'))), directoryWith(capture));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    for (const id of COMMITTEES) {
      const own = createDeps(scoped.get(id)!);
      expect((await own.plans.getPeriod(`kh-${id}`, 2026))?.status).toBe('open');
      // No other committee sees it (nor the first committee, which has no such plan).
      for (const other of COMMITTEES.filter((o) => o !== id)) {
        expect(await createDeps(scoped.get(other)!).plans.getPeriod(`kh-${id}`, 2026)).toBeUndefined();
      }
      expect(await stack.deps.plans.getPeriod(`kh-${id}`, 2026)).toBeUndefined();
      const opened = mails.filter((m) => m.template === 'link' && m.planId === `kh-${id}`);
      expect(opened.map((m) => m.unitId).sort()).toEqual(unitIds(id, 1, 3));
      expect(new Set(opened.map((m) => m.committeeId))).toEqual(new Set([id]));
    }
  });

  it('reminds each committee’s units; a failing committee returns alone and the others are done', async () => {
    // Prepare: dus-b's e-mails cannot be queued today.
    const mails: Stamped[] = [];
    const failingB: MailQueue = {
      enqueue: async (batch) => {
        if ((batch as Stamped[]).some((m) => m.committeeId === 'dus-b'))
          throw new Error('queue down for dus-b');
        mails.push(...batch);
      },
    };
    const messages = await tick(at8('2026-12-01'));

    // Act: the −14 reminder day.
    const result = await handlePlannerBatch(sqsEvent(messages), directoryWith(failingB));

    // Assess: only dus-b's message returns to the queue.
    const idOf = (committeeId: string) =>
      sqsEvent(messages).Records.find((r) => JSON.parse(r.body).committeeId === committeeId)!.messageId;
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: idOf('dus-b') }]);
    const reminded = (id: string) =>
      mails
        .filter((m) => m.template === 'reminder' && m.planId === `kh-${id}`)
        .map((m) => m.unitId)
        .sort();
    expect(reminded('dus-a')).toEqual(unitIds('dus-a', 1, 3));
    expect(reminded('dus-c')).toEqual(unitIds('dus-c', 1, 3));
    expect(reminded('dus-b')).toEqual([]);

    // Act: SQS delivers dus-b's message again, once the queue is back.
    const again = await handlePlannerBatch(
      sqsEvent(messages.filter((m) => m.committeeId === 'dus-b')),
      directoryWith({ enqueue: async (batch) => void mails.push(...batch) }),
    );

    // Assess
    expect(again.batchItemFailures).toEqual([]);
    expect(reminded('dus-b')).toEqual(unitIds('dus-b', 1, 3));
  });

  it('refuses a message of a committee the deployment does not hold (it goes to the dead letters)', async () => {
    const result = await handlePlannerBatch(
      sqsEvent([{ committeeId: 'khong-co', at: at8('2026-12-01').toISOString() }]),
      directoryWith({ enqueue: async () => {} }),
    );
    expect(result.batchItemFailures).toHaveLength(1);
    const garbage = sqsEvent([{ committeeId: 'dus-a', at: 'yesterday' }]);
    expect(
      (await handlePlannerBatch(garbage, directoryWith({ enqueue: async () => {} }))).batchItemFailures,
    ).toHaveLength(1);
  });

  it('runs locally through the durable planner queue and the real mailer: every committee reminded once', async () => {
    // Prepare
    await clearEmails(stack.mailUrl);

    // Act: the −7 reminder day, as the cron does (tick → durable queue → planner → mail queue → SES).
    await stack.plannerQueue.tick(at8('2026-12-08'));
    await stack.plannerQueue.drain();
    await stack.mailQueue.drain();

    // Assess
    const to = (await storedEmails(stack.mailUrl)).flatMap((m) => m.destination.to).sort();
    expect(to).toEqual(COMMITTEES.flatMap((id) => unitIds(id, 1, 3).map((u) => `${u}@example.org`)).sort());
    expect(stack.plannerQueue.queue.deadLetters).toEqual([]);
  });

  it('runs what a killed process left in the durable planner queue, for the day its tick decided', async () => {
    // Prepare: the −1 day's messages, as a tick of a process killed before the planner ran them.
    await clearEmails(stack.mailUrl);
    const left = new DurableQueue({
      name: 'baocao-planner',
      dir: join(stack.dataDir, 'queues', 'baocao-planner'),
    });
    const at = at8('2026-12-14').toISOString();
    const ids = await left.send(COMMITTEES.map((committeeId) => JSON.stringify({ committeeId, at })));

    // Act: the running stack's planner queue finds them (as a restarted `npm start` does).
    const { dead, remaining } = await left.settled(ids);
    await stack.mailQueue.drain();

    // Assess: each committee's units reminded, once.
    expect({ dead, remaining }).toEqual({ dead: [], remaining: [] });
    const to = (await storedEmails(stack.mailUrl)).flatMap((m) => m.destination.to).sort();
    expect(to).toEqual(COMMITTEES.flatMap((id) => unitIds(id, 1, 3).map((u) => `${u}@example.org`)).sort());
  });

  it('runLocalPlanner runs every committee, then throws the first committee’s failure', async () => {
    const failingA: MailQueue = {
      enqueue: async (batch) => {
        if ((batch as Stamped[]).some((m) => m.committeeId === 'dus-a'))
          throw new Error('queue down for dus-a');
      },
    };
    const mails: Stamped[] = [];
    const tee: MailQueue = {
      enqueue: async (batch) => {
        await failingA.enqueue(batch);
        mails.push(...batch);
      },
    };
    await expect(runLocalPlanner({ ...stack.runtime, mailQueue: tee }, at8('2026-12-12'))).rejects.toThrow(
      /failure/,
    );
    // The −3 reminders of the two others were queued all the same.
    const planIds = new Set(mails.filter((m) => m.template === 'reminder').map((m) => m.planId));
    expect(planIds).toEqual(new Set(['kh-dus-b', 'kh-dus-c']));
  });
});
