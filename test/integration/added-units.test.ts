import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { runPlanner } from '#shared/periods/run-planner.ts';
import type { MailQueue } from '#shared/ports.ts';
import { importUnits } from '#shared/units/units.ts';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { type StoredEmail, storedEmails } from '#test/support/mail.ts';
import {
  CapturingMailQueue,
  seedPlan,
  shortKey,
  teeQueue,
  unitIds,
  unitsCsv,
} from '#test/support/planner.ts';

/** 08:00 in Ho Chi Minh City on a date. */
const at8 = (date: string) => new Date(`${date}T08:00:00+07:00`);

/**
 * How many "period opened" e-mails (subject "Mở kỳ báo cáo …") reached each address of the units
 * `<prefix>-…` (the SES emulator keeps one store for every stack of the process).
 */
function openedMailsTo(prefix: string, mails: StoredEmail[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of mails.filter((x) => x.subject.includes('Mở kỳ báo cáo'))) {
    for (const to of m.destination.to.filter((t) => t.startsWith(`${prefix}-`))) {
      counts[to] = (counts[to] ?? 0) + 1;
    }
  }
  return counts;
}

const everyOnce = (ids: string[]) => Object.fromEntries(ids.map((id) => [`${id}@example.org`, 1]));

/** A mail queue whose enqueue fails for the first `failures` calls (SQS down, a crash), then passes on. */
function failingFirst(failures: number, next: MailQueue): MailQueue & { calls: number } {
  const queue = {
    calls: 0,
    enqueue: async (messages: Parameters<MailQueue['enqueue']>[0]) => {
      queue.calls++;
      if (queue.calls <= failures) throw new Error('SQS unavailable');
      await next.enqueue(messages);
    },
  };
  return queue;
}

describe('units added to an open period get their link at once, and once', () => {
  let stack: TestStack;
  const clock = fixedClock('2026-11-15T01:00:00Z');
  const capture = new CapturingMailQueue();
  const PLAN = 'late';
  const units = (to: number) => unitIds('l', 1, to);
  /** The stack's collaborators, e-mails both captured and delivered through the stack's mailer. */
  const deps = (mailQueue: MailQueue = teeQueue(capture, stack.mailQueue)) => ({ ...stack.deps, mailQueue });
  const tick = (at: Date, mailQueue: MailQueue = teeQueue(capture, stack.mailQueue)) =>
    runPlanner(createPlannerDeps(stack.runtime, { mailQueue }), at);
  const captured = () => capture.take().map(shortKey).sort();
  const delivered = async () => {
    await stack.mailQueue.drain();
    return openedMailsTo('l', await storedEmails(stack.mailUrl));
  };

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    await importUnits(stack.deps, unitsCsv(units(3)));
    await seedPlan(stack, PLAN, null);
    // The open day: the planner opens the period and announces its three units.
    await tick(at8('2026-11-15'));
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('records each unit announced by the opening on its assignment', async () => {
    expect(captured()).toEqual(['l-01 opened', 'l-02 opened', 'l-03 opened']);
    expect((await stack.deps.plans.getPeriod(PLAN, 2026))?.openedMailsQueuedAt).toEqual(expect.any(String));
    const assignments = await stack.deps.submissions.listAssignments(PLAN, 2026);
    expect(assignments.map((a) => [a.unitId, a.announcedAt])).toEqual(
      units(3).map((id) => [id, at8('2026-11-15').toISOString()]),
    );
    expect(await delivered()).toEqual(everyOnce(units(3)));
  });

  it('e-mails a unit imported since its link when the period is opened again, and nobody twice', async () => {
    // Prepare
    await importUnits(stack.deps, unitsCsv(units(4)));
    clock.set('2026-11-20T03:00:00Z');
    // Act: `period open` again, twice, then the next planner tick.
    const again = await openPeriod(deps(), { planId: PLAN, year: 2026 });
    const atOnce = captured();
    const third = await openPeriod(deps(), { planId: PLAN, year: 2026 });
    const next = await tick(at8('2026-11-21'));
    // Assess
    expect(again).toMatchObject({
      created: false,
      assignmentsCreated: 1,
      announced: 1,
      announceFailures: [],
    });
    expect(again.assignments.find((a) => a.unitId === 'l-04')?.announcedAt).toBe('2026-11-20T03:00:00.000Z');
    expect(atOnce).toEqual(['l-04 opened']);
    expect(third).toMatchObject({ assignmentsCreated: 0, announced: 0 });
    expect(next.mails).toEqual({ opened: 0, reminder: 0, digest: 0 });
    expect(captured()).toEqual([]);
    expect((await stack.deps.submissions.getAssignment(PLAN, 2026, 'l-04'))?.announcedAt).toBe(
      '2026-11-20T03:00:00.000Z',
    );
    expect(await delivered()).toEqual(everyOnce(units(4)));
  });

  it('queues the e-mail exactly once when the enqueue failed once between the assignment and its e-mail', async () => {
    // Prepare
    await importUnits(stack.deps, unitsCsv(units(5)));
    clock.set('2026-11-22T03:00:00Z');
    const flaky = failingFirst(1, teeQueue(capture, stack.mailQueue));
    // Act
    const crashed = openPeriod(deps(flaky), { planId: PLAN, year: 2026 });
    await expect(crashed).rejects.toThrow('SQS unavailable');
    const left = await stack.deps.submissions.getAssignment(PLAN, 2026, 'l-05');
    const retried = await openPeriod(deps(flaky), { planId: PLAN, year: 2026 });
    const retriedMails = captured();
    const again = await openPeriod(deps(flaky), { planId: PLAN, year: 2026 });
    // Assess: the assignment was written, the e-mail not recorded; the repeat queues it once.
    expect(left).toMatchObject({ unitId: 'l-05', announcedAt: null });
    expect(retried).toMatchObject({ assignmentsCreated: 0, announced: 1 });
    expect(retriedMails).toEqual(['l-05 opened']);
    expect(again).toMatchObject({ announced: 0 });
    expect(captured()).toEqual([]);
    expect(flaky.calls).toBe(2);
    expect(await delivered()).toEqual(everyOnce(units(5)));
  });

  it('lets the next planner tick send the e-mail a crash left unqueued, instead of that day’s reminder', async () => {
    // Prepare: l-06 is assigned, and SQS is down for its e-mail.
    await importUnits(stack.deps, unitsCsv(units(6)));
    clock.set('2026-11-25T03:00:00Z');
    await expect(openPeriod(deps(failingFirst(1, capture)), { planId: PLAN, year: 2026 })).rejects.toThrow(
      'SQS unavailable',
    );
    // Act: the −14 day, and a second tick the same day.
    const first = await tick(at8('2026-12-01'));
    const firstMails = captured();
    await tick(new Date('2026-12-01T09:30:00+07:00'));
    const secondMails = captured();
    // Assess: l-06 gets its link (which states the deadline) and no "còn 14 ngày" that day.
    expect(first.failures).toEqual([]);
    expect(first.mails.opened).toBe(1);
    expect(firstMails).toEqual([...units(5).map((u) => `${u} reminder-14`), 'l-06 opened']);
    expect(secondMails.filter((k) => k.startsWith('l-06'))).toEqual([]);
    expect((await stack.deps.submissions.getAssignment(PLAN, 2026, 'l-06'))?.announcedAt).toBe(
      at8('2026-12-01').toISOString(),
    );
    expect(await delivered()).toEqual(everyOnce(units(6)));
  });

  it('sends no reminder besides the link to a unit added before the planner runs on a reminder day', async () => {
    // Prepare: l-07 is added at 07:00 on the −7 day.
    await importUnits(stack.deps, unitsCsv(units(7)));
    clock.set('2026-12-08T00:00:00Z');
    // Act
    const added = await openPeriod(deps(), { planId: PLAN, year: 2026 });
    const atOnce = captured();
    await tick(at8('2026-12-08'));
    // Assess
    expect(added.announced).toBe(1);
    expect(atOnce).toEqual(['l-07 opened']);
    expect(captured()).toEqual(units(6).map((u) => `${u} reminder-7`));
    expect(await delivered()).toEqual(everyOnce(units(7)));
  });
});

describe('`baocao period open` again, for a unit imported since', () => {
  /** The CLI runs on the real clock: the period is opened around today. */
  const today = localDate(new Date(), 'Asia/Ho_Chi_Minh');
  const YEAR = today.slice(0, 4);
  const DEADLINE = addDays(today, 20);
  let stack: TestStack;
  let env: Record<string, string>;
  const units = (to: number) => unitIds('k', 1, to);

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
    await importUnits(stack.deps, unitsCsv(units(3)));
    await seedPlan(stack, 'k', null);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('e-mails the new unit its link at once, exactly once, and none of the others again', async () => {
    // Prepare: the period opened from the CLI, its three units e-mailed.
    const opened = await runCli(['period', 'open', 'k', YEAR, '--deadline', DEADLINE, '--json'], env);
    expect(opened.stderr).toBe('');
    expect(opened.json()).toMatchObject({ created: true, units: 3, linksEmailed: 3 });
    await importUnits(stack.deps, unitsCsv(units(4)));
    // Act: `period open` again, a third time, and a planner tick.
    const again = await runCli(['period', 'open', 'k', YEAR, '--json'], env);
    const third = await runCli(['period', 'open', 'k', YEAR, '--json'], env);
    const tick = await runPlanner(
      createPlannerDeps(stack.runtime, { mailQueue: stack.mailQueue }),
      new Date(),
    );
    await stack.mailQueue.drain();
    // Assess
    expect(again.stderr).toBe('');
    expect(again.json()).toMatchObject({ created: false, units: 4, assignmentsCreated: 1, linksEmailed: 1 });
    expect(third.json()).toMatchObject({ assignmentsCreated: 0, linksEmailed: 0 });
    expect(tick.mails.opened).toBe(0);
    expect(openedMailsTo('k', await storedEmails(stack.mailUrl))).toEqual(everyOnce(units(4)));
  });
});
