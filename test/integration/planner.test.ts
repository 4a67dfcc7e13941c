import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleMailBatch } from '#functions/mailer.ts';
import { handlePlannerEvent, PlannerRunError } from '#functions/planner.ts';
import { singleCommittee } from '#functions/wiring/committee-directory.ts';
import { createMailDeps } from '#functions/wiring/create-mail-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { runLocalPlanner } from '#local/invoke-planner.ts';
import { InProcessQueue } from '#local/queue.ts';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoPlanStore } from '#shared/adapters/dynamodb/plan-store.ts';
import { DynamoSubmissionStore } from '#shared/adapters/dynamodb/submission-store.ts';
import { createKeyProvider } from '#shared/adapters/keys.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import type { PlannerDeps } from '#shared/periods/ports.ts';
import { type PlannerSummary, runPlanner } from '#shared/periods/run-planner.ts';
import type { MailQueue } from '#shared/ports.ts';
import { importUnits } from '#shared/units/units.ts';
import { verifyLinkToken } from '#shared/uploads/link-token.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, type StoredEmail, storedEmails, ThrottlingSender } from '#test/support/mail.ts';
import {
  CapturingMailQueue,
  recordSubmission,
  seedPlan,
  shortKey,
  testLinks,
  unitIds,
  unitsCsv,
} from '#test/support/planner.ts';

/** 08:00 in Ho Chi Minh City on a date. */
const at8 = (date: string) => new Date(`${date}T08:00:00+07:00`);

/** How many times each (recipient, subject) reached the SES emulator. */
function deliveries(mails: StoredEmail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of mails) {
    const k = `${m.destination.to.join(',')} | ${m.subject}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** The captured e-mails of one plan, as `<unit> <step>`, sorted. */
const mailsOf = (queue: CapturingMailQueue, planId: string) =>
  queue
    .take()
    .filter((m) => m.planId === planId)
    .map(shortKey)
    .sort();

const refs = (list: { planId: string; year: number }[], planId: string) =>
  list.filter((r) => r.planId === planId).map((r) => r.year);

describe('planner: exactly once, whatever the ticks and SES do', () => {
  let stack: TestStack;
  const units = unitIds('a', 1, 8);
  const deps = (mailQueue: MailQueue): PlannerDeps =>
    createPlannerDeps(stack.runtime, { mailQueue, links: testLinks });

  beforeAll(async () => {
    stack = await startTestStack();
    await importUnits(stack.deps, unitsCsv(units));
    await seedPlan(stack, 'a', null);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('sends nothing twice when the same tick runs twice, or two ticks run at once', async () => {
    // Prepare
    await clearEmails(stack.mailUrl);
    // Act: the open day twice in a row, the −14 day twice at once.
    await runPlanner(deps(stack.mailQueue), at8('2026-11-15'));
    await runPlanner(deps(stack.mailQueue), at8('2026-11-15'));
    await Promise.all([
      runPlanner(deps(stack.mailQueue), at8('2026-12-01')),
      runPlanner(deps(stack.mailQueue), new Date('2026-12-01T09:30:00+07:00')),
    ]);
    await stack.mailQueue.drain();
    // Assess: 8 opened + 8 reminders, each once.
    const counts = deliveries(await storedEmails(stack.mailUrl));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(16);
    expect([...counts.keys()].filter((k) => k.endsWith('còn 14 ngày'))).toHaveLength(8);
    expect(stack.mailQueue.queue.deadLetters).toEqual([]);
  });

  it('sends every due e-mail exactly once after retries when SES throttles some of them', async () => {
    // Prepare: the first 12 sends are throttled except every third.
    await clearEmails(stack.mailUrl);
    const sender = new ThrottlingSender(
      createMailDeps(stack.runtime).sender,
      (call) => call <= 12 && call % 3 !== 0,
    );
    const queue = new InProcessQueue({
      name: 'mail-throttled',
      consumer: (event) =>
        handleMailBatch(event, singleCommittee({ ...createMailDeps(stack.runtime), sender })),
      maxReceiveCount: 10,
      retryDelayMs: 20,
    });
    const sqs: MailQueue = { enqueue: (messages) => queue.send(messages.map((m) => JSON.stringify(m))) };
    // Act: the −7 day, two ticks at once and a third one later.
    await Promise.all([runPlanner(deps(sqs), at8('2026-12-08')), runPlanner(deps(sqs), at8('2026-12-08'))]);
    await runPlanner(deps(sqs), new Date('2026-12-08T15:00:00+07:00'));
    await queue.drain();
    // Assess
    const counts = deliveries(await storedEmails(stack.mailUrl));
    expect(sender.calls).toBeGreaterThan(8);
    expect(queue.deadLetters).toEqual([]);
    expect(counts.size).toBe(8);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(
      [...counts.keys()].every((k) => k.endsWith('[A-KH/ĐUS] Nhắc hạn nộp báo cáo năm 2026 — còn 7 ngày')),
    ).toBe(true);
  });

  it('sends no 08:00 reminder to a unit that reported at 07:59', async () => {
    // Prepare
    const capture = new CapturingMailQueue();
    await recordSubmission(stack, 'a', 2026, 'a-01', '2026-12-12T07:59:00+07:00');
    // Act
    await runPlanner(deps(capture), at8('2026-12-12'));
    // Assess
    expect(mailsOf(capture, 'a')).toEqual(unitIds('a', 2, 8).map((u) => `${u} reminder-3`));
  });
});

describe('planner: time zones and calendars', () => {
  let stack: TestStack;
  const capture = new CapturingMailQueue();
  const tick = (at: Date) =>
    runPlanner(createPlannerDeps(stack.runtime, { mailQueue: capture, links: testLinks }), at);

  beforeAll(async () => {
    stack = await startTestStack();
    await importUnits(stack.deps, unitsCsv(['b-01', 'b-02']));
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('is still the deadline day at 16:30 UTC on it, and the next day at 17:00 UTC', async () => {
    // Prepare
    await seedPlan(stack, 'tz', null);
    await tick(new Date('2026-11-15T01:00:00Z'));
    capture.take();
    // Act
    const at1630 = await tick(new Date('2026-12-15T16:30:00Z'));
    const mails1630 = mailsOf(capture, 'tz');
    const at1700 = await tick(new Date('2026-12-15T17:00:00Z'));
    // Assess
    expect(mails1630).toEqual([]);
    expect(refs(at1630.exportsRequested, 'tz')).toEqual([]);
    expect(mailsOf(capture, 'tz')).toEqual([
      'b-01 reminder+1',
      'b-02 reminder+1',
      'committee digest-2026-12-16',
    ]);
    expect(refs(at1700.exportsRequested, 'tz')).toEqual([2026]);
    expect((await stack.deps.plans.getPeriod('tz', 2026))?.exportRequestedAt).toEqual(expect.any(String));
  });

  it('keeps a 29 February deadline on 28 February in common years and on 29 February in leap years', async () => {
    // Prepare
    await seedPlan(stack, 'leap', null, { deadline: '02-29' });
    // Act and assess: 2027 (common year)
    expect(refs((await tick(at8('2027-01-28'))).opened, 'leap')).toEqual([]);
    expect(refs((await tick(at8('2027-01-29'))).opened, 'leap')).toEqual([2027]);
    expect(await stack.deps.plans.getPeriod('leap', 2027)).toMatchObject({
      openDate: '2027-01-29',
      deadline: '2027-02-28',
      closeDate: '2027-03-30',
    });
    capture.take();
    await tick(at8('2027-02-27'));
    expect(mailsOf(capture, 'leap')).toEqual(['b-01 reminder-1', 'b-02 reminder-1']);
    await tick(at8('2027-03-01'));
    expect(mailsOf(capture, 'leap')).toEqual([
      'b-01 reminder+1',
      'b-02 reminder+1',
      'committee digest-2027-03-01',
    ]);
    expect(refs((await tick(at8('2027-03-31'))).closed, 'leap')).toEqual([2027]);
    // 2028 (leap year)
    expect(refs((await tick(at8('2028-01-30'))).opened, 'leap')).toEqual([2028]);
    expect((await stack.deps.plans.getPeriod('leap', 2028))?.deadline).toBe('2028-02-29');
    capture.take();
    await tick(at8('2028-02-28')); // a Monday
    expect(mailsOf(capture, 'leap')).toEqual([
      'b-01 reminder-1',
      'b-02 reminder-1',
      'committee digest-2028-02-28',
    ]);
    await tick(at8('2028-03-01'));
    expect(mailsOf(capture, 'leap')).toEqual([
      'b-01 reminder+1',
      'b-02 reminder+1',
      'committee digest-2028-03-01',
    ]);
  });

  it('opens the period of the next year in December for a deadline of 10 January', async () => {
    // Prepare
    await seedPlan(stack, 'ny', null, { deadline: '01-10' });
    // Act
    const before = await tick(at8('2026-12-10'));
    const opening = await tick(new Date('2026-12-10T17:00:00Z')); // 00:00 on 11/12 local
    const openedMails = mailsOf(capture, 'ny');
    await tick(at8('2027-01-09'));
    const lastDay = mailsOf(capture, 'ny');
    await tick(at8('2027-01-11'));
    // Assess
    expect(refs(before.opened, 'ny')).toEqual([]);
    expect(refs(opening.opened, 'ny')).toEqual([2027]);
    expect(await stack.deps.plans.getPeriod('ny', 2027)).toMatchObject({
      openDate: '2026-12-11',
      deadline: '2027-01-10',
      closeDate: '2027-02-09',
    });
    expect(openedMails).toEqual(['b-01 opened', 'b-02 opened']);
    expect(lastDay).toEqual(['b-01 reminder-1', 'b-02 reminder-1']);
    expect(mailsOf(capture, 'ny')).toEqual([
      'b-01 reminder+1',
      'b-02 reminder+1',
      'committee digest-2027-01-11',
    ]);
    expect(await stack.deps.plans.getPeriod('ny', 2026)).toBeUndefined();
  });
});

describe('planner: missed days, crashes and odd plans', () => {
  let stack: TestStack;
  const capture = new CapturingMailQueue();
  const tick = (at: Date, mailQueue: MailQueue = capture) =>
    runPlanner(createPlannerDeps(stack.runtime, { mailQueue, links: testLinks }), at);

  beforeAll(async () => {
    stack = await startTestStack();
    await importUnits(stack.deps, unitsCsv(unitIds('c', 1, 3)));
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('opens a period late with its scheduled open date, and never sends a missed reminder later', async () => {
    // Prepare: the planner was down from 15/11 to 19/11.
    await seedPlan(stack, 'late', null);
    // Act
    const first = await tick(at8('2026-11-20'));
    const opened = mailsOf(capture, 'late');
    await tick(at8('2026-12-01'));
    const minus14 = mailsOf(capture, 'late');
    await tick(at8('2026-12-09')); // down on 08/12, the −7 day
    // Assess
    expect(refs(first.opened, 'late')).toEqual([2026]);
    expect((await stack.deps.plans.getPeriod('late', 2026))?.openDate).toBe('2026-11-15');
    expect(opened).toEqual(['c-01 opened', 'c-02 opened', 'c-03 opened']);
    expect(minus14).toEqual(['c-01 reminder-14', 'c-02 reminder-14', 'c-03 reminder-14']);
    expect(mailsOf(capture, 'late')).toEqual([]);
  });

  it('sends the opened e-mails of a period opened from the CLI at the next tick', async () => {
    // Prepare
    await seedPlan(stack, 'cli', ['c-02']);
    await openPeriod(
      { ...stack.deps, clock: fixedClock('2026-11-25T03:00:00Z') },
      { planId: 'cli', year: 2026 },
    );
    // Act
    await tick(at8('2026-11-26'));
    const first = mailsOf(capture, 'cli');
    await tick(at8('2026-11-27'));
    // Assess
    expect(first).toEqual(['c-02 opened']);
    expect(mailsOf(capture, 'cli')).toEqual([]);
  });

  it('queues the opened e-mails again after a crash, until they are recorded as queued', async () => {
    // Prepare
    await seedPlan(stack, 'crash', null, { deadline: '12-20' });
    const broken: MailQueue = {
      enqueue: async () => {
        throw new Error('SQS unavailable');
      },
    };
    // Act
    const crashed = await tick(at8('2026-11-20'), broken);
    const retried = await tick(new Date('2026-11-20T08:05:00+07:00'));
    const retriedMails = mailsOf(capture, 'crash');
    await tick(new Date('2026-11-20T08:10:00+07:00'));
    // Assess
    expect(refs(crashed.opened, 'crash')).toEqual([2026]);
    expect(crashed.failures).toEqual([{ planId: 'crash', year: 2026, error: 'Error: SQS unavailable' }]);
    expect(retried.failures).toEqual([]);
    expect(retriedMails).toEqual(['c-01 opened', 'c-02 opened', 'c-03 opened']);
    expect(mailsOf(capture, 'crash')).toEqual([]);
  });

  it('does not open by itself a period whose deadline has passed', async () => {
    await seedPlan(stack, 'past', null);
    const summary = await tick(at8('2026-12-16'));
    expect(refs(summary.opened, 'past')).toEqual([]);
    expect(await stack.deps.plans.getPeriod('past', 2026)).toBeUndefined();
  });

  it('runs as the scheduler target with signed links, and throws after a run with failures', async () => {
    // Prepare
    await seedPlan(stack, 'lambda', ['c-03'], { deadline: '12-31' });
    const broken: MailQueue = {
      enqueue: async () => {
        throw new Error('SQS unavailable');
      },
    };
    // Act: the same Powertools-wrapped handler as in Lambda, fed the event EventBridge Scheduler sends.
    const failed = runLocalPlanner({ ...stack.runtime, mailQueue: broken }, new Date('2026-12-01T01:00:00Z'));
    await expect(failed).rejects.toBeInstanceOf(PlannerRunError);
    await runLocalPlanner({ ...stack.runtime, mailQueue: capture }, new Date('2026-12-01T01:05:00Z'));
    // Assess: the real signed link of the unit, as the upload page will check it.
    const [opened] = capture.take().filter((m) => m.planId === 'lambda');
    if (opened?.template !== 'link') throw new Error('no opened e-mail');
    expect(opened.data.uploadUrl).toMatch(new RegExp(`^${stack.appUrl}/u/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    const token = opened.data.uploadUrl.split('/u/')[1]!;
    const key = await createKeyProvider(stack.config).linkKey();
    expect(verifyLinkToken(key, token, new Date('2026-12-01T02:00:00Z'))).toMatchObject({
      planId: 'lambda',
      year: 2026,
      unitId: 'c-03',
      linkVersion: 1,
    });
  });

  it('refuses a scheduler event with a malformed instant', async () => {
    const deps = createPlannerDeps(stack.runtime, { mailQueue: capture, links: testLinks });
    await expect(handlePlannerEvent({ at: 'yesterday' }, deps)).rejects.toThrow(/Invalid instant/);
  });

  it('skips a plan with no recipient units without failing the run', async () => {
    await seedPlan(stack, 'empty', ['no-such-unit']);
    const summary: PlannerSummary = await tick(at8('2026-11-16'));
    expect(summary.skipped).toEqual([
      { planId: 'empty', year: 2026, reason: expect.stringMatching(/No active recipient units/) },
    ]);
    expect(summary.failures).toEqual([]);
  });
});

describe('planner: DynamoDB requests', () => {
  let stack: TestStack;
  const units = unitIds('d', 1, 25);
  const commands: string[] = [];
  let counted: PlannerDeps;

  beforeAll(async () => {
    stack = await startTestStack();
    await importUnits(stack.deps, unitsCsv(units));
    await seedPlan(stack, 'd', null);
    // A client of its own whose every command is counted by an SDK middleware.
    const client = createDynamoDocumentClient(stack.config);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(context.commandName ?? '?');
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    counted = {
      ...createPlannerDeps(stack.runtime, { mailQueue: new CapturingMailQueue(), links: testLinks }),
      plans: new DynamoPlanStore(client, stack.config.PLANS_TABLE),
      submissions: new DynamoSubmissionStore(client, stack.config.SUBMISSIONS_TABLE),
      assignmentPageSize: 10,
    };
    await runPlanner(counted, at8('2026-11-15')); // opens the period: a write and an announcement record per unit, once a year
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('reads a reminder day with paged Queries only, whatever the number of pending units', async () => {
    // Act: 25 units pending on the −14 day.
    commands.length = 0;
    const pending = await runPlanner(counted, at8('2026-12-01'));
    const withPending = [...commands];
    for (const u of units) await recordSubmission(stack, 'd', 2026, u, '2026-12-02T10:00:00+07:00');
    commands.length = 0;
    const none = await runPlanner(counted, at8('2026-12-08'));
    // Assess: the plans, the plan's periods, 3 pages of 10 assignments; no Scan, nothing per unit.
    expect(pending.mails.reminder).toBe(25);
    expect(none.mails.reminder).toBe(0);
    expect(withPending).toEqual([
      'QueryCommand',
      'QueryCommand',
      'QueryCommand',
      'QueryCommand',
      'QueryCommand',
    ]);
    expect(commands).toEqual(withPending);
  });
});
