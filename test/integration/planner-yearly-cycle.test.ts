import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { addDays } from '#shared/domain/calendar.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { periodStatus } from '#shared/periods/periods.ts';
import type { PlannerDeps } from '#shared/periods/ports.ts';
import { grantExtension } from '#shared/periods/reporting-calendar.ts';
import { type PlannerSummary, runPlanner } from '#shared/periods/run-planner.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import {
  CapturingMailQueue,
  recordSubmission,
  shortKey,
  teeQueue,
  testLinks,
  unitIds,
  unitsCsv,
} from '#test/support/planner.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';

// The demo plan's default calendar for 2026: opens Sun 15/11, deadline Tue 15/12, closes Thu
// 14/01/2027; reminders −14, −7, −3, −1, +1, +7; digest on Mondays and on Wed 16/12.
const ALL = unitIds('cb', 1, 22);
const EARLY = unitIds('cb', 1, 4); // report on 20/11
const AT_0759 = ['cb-05']; // reports at 07:59 on 08/12, the day of the −7 reminder
const ON_DEADLINE = unitIds('cb', 6, 8); // report in the afternoon of 15/12
const LATE = unitIds('cb', 9, 11); // report at 09:00 on 18/12
const VERY_LATE = ['cb-12']; // reports on 30/12
const EXTENDED = 'cb-13'; // extension to 25/12 granted on 10/12, reports on 24/12
const NEVER = unitIds('cb', 14, 22);
const EXT = '@2026-12-25';

/** Every unit that has not reported by the 08:00 tick of a day in December. */
const pendingBeforeDeadline = [...ON_DEADLINE, ...LATE, ...VERY_LATE, ...NEVER];
const each = (units: string[], step: string) => units.map((u) => `${u} ${step}`);
const digest = (date: string) => `committee digest-${date}`;

/** The e-mails of each day, as `<unit> <step>`; a day not listed sends nothing. */
const EXPECTED: Record<string, string[]> = {
  '2026-11-15': each(ALL, 'opened'),
  '2026-11-16': [digest('2026-11-16')],
  '2026-11-23': [digest('2026-11-23')],
  '2026-11-30': [digest('2026-11-30')],
  '2026-12-01': each([...AT_0759, ...pendingBeforeDeadline, EXTENDED], 'reminder-14'),
  '2026-12-07': [digest('2026-12-07')],
  '2026-12-08': each([...pendingBeforeDeadline, EXTENDED], 'reminder-7'),
  '2026-12-11': [`${EXTENDED} reminder-14${EXT}`],
  '2026-12-12': each(pendingBeforeDeadline, 'reminder-3'),
  '2026-12-14': [...each(pendingBeforeDeadline, 'reminder-1'), digest('2026-12-14')],
  '2026-12-16': [...each([...LATE, ...VERY_LATE, ...NEVER], 'reminder+1'), digest('2026-12-16')],
  '2026-12-18': [`${EXTENDED} reminder-7${EXT}`],
  '2026-12-21': [digest('2026-12-21')],
  '2026-12-22': [...each([...VERY_LATE, ...NEVER], 'reminder+7'), `${EXTENDED} reminder-3${EXT}`],
  '2026-12-24': [`${EXTENDED} reminder-1${EXT}`],
  '2026-12-28': [digest('2026-12-28')],
  '2027-01-04': [digest('2027-01-04')],
  '2027-01-11': [digest('2027-01-11')],
};

/** What happens between ticks: reports arriving and the committee granting an extension. */
function events(stack: TestStack): { at: string; act: () => Promise<void> }[] {
  const report = (unitId: string, at: string) => ({
    at,
    act: () => recordSubmission(stack, PLAN, 2026, unitId, at),
  });
  return [
    ...EARLY.map((u) => report(u, '2026-11-20T10:00:00+07:00')),
    ...AT_0759.map((u) => report(u, '2026-12-08T07:59:00+07:00')),
    {
      at: '2026-12-10T10:00:00+07:00',
      act: async () => void (await grantExtension(stack.deps, PLAN, 2026, EXTENDED, '2026-12-25')),
    },
    ...ON_DEADLINE.map((u) => report(u, '2026-12-15T15:00:00+07:00')),
    ...LATE.map((u) => report(u, '2026-12-18T09:00:00+07:00')),
    report(EXTENDED, '2026-12-24T14:00:00+07:00'),
    ...VERY_LATE.map((u) => report(u, '2026-12-30T09:00:00+07:00')),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Days whose e-mails also go through the stack's real queue and mailer to the SES emulator. */
const END_TO_END_DAYS = new Set(['2026-11-15', '2026-12-08', '2026-12-16']);

describe('planner: a whole yearly cycle, day by day at 08:00 local', () => {
  let stack: TestStack;
  const capture = new CapturingMailQueue();
  const days: { date: string; mails: MailMessage[]; summary: PlannerSummary }[] = [];
  const delivered = new Map<string, { to: string; subject: string }[]>();

  beforeAll(async () => {
    stack = await startTestStack();
    await importUnits(stack.deps, unitsCsv(ALL));
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach-12-KH-DUS.txt');
    // The clock of the use cases follows the simulated days (the export request records it).
    const clock = fixedClock('2026-11-10T01:00:00Z');
    const planner = (queue: PlannerDeps['mailQueue']) =>
      createPlannerDeps(stack.runtime, { mailQueue: queue, links: testLinks, clock });
    const pending = events(stack);
    for (let date = '2026-11-10'; date <= '2027-01-20'; date = addDays(date, 1)) {
      const at = new Date(`${date}T08:00:00+07:00`);
      clock.set(at.toISOString());
      while (pending.length > 0 && Date.parse(pending[0]!.at) < at.getTime()) await pending.shift()!.act();
      const endToEnd = END_TO_END_DAYS.has(date);
      if (endToEnd) await clearEmails(stack.mailUrl);
      const summary = await runPlanner(planner(endToEnd ? teeQueue(capture, stack.mailQueue) : capture), at);
      days.push({ date, mails: capture.take(), summary });
      if (endToEnd) {
        await stack.mailQueue.drain();
        delivered.set(
          date,
          (await storedEmails(stack.mailUrl)).map((m) => ({
            to: m.destination.to.join(','),
            subject: m.subject,
          })),
        );
      }
    }
    for (const event of pending) await event.act();
  }, 120_000);
  afterAll(async () => {
    await stack.stop();
  });

  it('sends exactly the e-mails of the table, day by day', () => {
    const actual = Object.fromEntries(
      days.filter((d) => d.mails.length > 0).map((d) => [d.date, d.mails.map(shortKey).sort()]),
    );
    const expected = Object.fromEntries(
      Object.entries(EXPECTED).map(([date, mails]) => [date, [...mails].sort()]),
    );
    expect(actual).toEqual(expected);
  });

  it('runs without failures and opens, requests the export and closes on the right days', () => {
    expect(days.flatMap((d) => d.summary.failures)).toEqual([]);
    const on = (pick: (s: PlannerSummary) => unknown[]) =>
      days.filter((d) => pick(d.summary).length > 0).map((d) => d.date);
    expect(on((s) => s.opened)).toEqual(['2026-11-15']);
    expect(on((s) => s.exportsRequested)).toEqual(['2026-12-16']);
    expect(on((s) => s.closed)).toEqual(['2027-01-15']);
  });

  it('sends every unit its own link with the opened e-mail', () => {
    const opened = days.find((d) => d.date === '2026-11-15')!.mails;
    expect(opened.every((m) => m.template === 'link' && m.data.occasion === 'opened')).toBe(true);
    expect(opened.find((m) => m.unitId === 'cb-07')).toMatchObject({
      to: ['cb-07@example.org'],
      data: {
        uploadUrl: `http://baocao.test/u/${PLAN}.2026.cb-07.v1`,
        deadline: '2026-12-15',
        closeDate: '2027-01-14',
      },
    });
  });

  it('counts and lists the units in the digest of the day after the deadline', () => {
    const mail = days.find((d) => d.date === '2026-12-16')!.mails.find((m) => m.template === 'digest');
    expect(mail).toMatchObject({
      to: ['vanphong@demo.baocao.example'],
      data: { occasion: 'after_deadline', expected: 22, onTime: 8, late: 0, missing: 14 },
    });
    if (mail?.template !== 'digest') throw new Error('no digest');
    expect(mail.data.missingUnits.find((u) => u.unitId === EXTENDED)?.deadline).toBe('2026-12-25');
    const last = days.find((d) => d.date === '2027-01-11')!.mails[0];
    expect(last).toMatchObject({ data: { onTime: 9, late: 4, missing: 9 } });
  });

  it('delivers the e-mails of the end-to-end days to the SES emulator, once each', () => {
    for (const date of END_TO_END_DAYS) {
      const mails = days.find((d) => d.date === date)!.mails;
      // The exporter's own "ready" e-mail (the export the planner requested on the day after the
      // deadline) is not the planner's: it lands in whichever day's window the export finishes.
      const got = delivered.get(date)!.filter((m) => !m.subject.includes('Đã tổng hợp kết quả báo cáo'));
      expect(got.map((m) => m.to).sort()).toEqual(mails.map((m) => m.to.join(',')).sort());
    }
    const reminders = delivered.get('2026-12-08')!;
    expect(new Set(reminders.map((m) => m.subject))).toEqual(
      new Set(['[12-KH/ĐUS] Nhắc hạn nộp báo cáo năm 2026 — còn 7 ngày']),
    );
    expect(delivered.get('2026-12-16')!.map((m) => m.subject)).toContain(
      '[12-KH/ĐUS] Nhắc nộp báo cáo năm 2026 — đã quá hạn 1 ngày',
    );
    expect(delivered.get('2026-11-15')![0]?.subject).toBe(
      '[12-KH/ĐUS] Mở kỳ báo cáo năm 2026 — hạn nộp 15/12/2026',
    );
  });

  it('leaves the period closed, with the export requested and the statuses recorded', async () => {
    const status = await periodStatus(stack.deps, PLAN, 2026);
    expect(status.period).toMatchObject({
      status: 'closed',
      openDate: '2026-11-15',
      exportRequestedAt: '2026-12-16T01:00:00.000Z',
    });
    const byStatus = (s: string) => status.rows.filter((r) => r.status === s).map((r) => r.unitId);
    expect(byStatus('on_time')).toEqual([...EARLY, ...AT_0759, ...ON_DEADLINE, EXTENDED].sort());
    expect(byStatus('late')).toEqual([...LATE, ...VERY_LATE]);
    expect(byStatus('missing')).toEqual(NEVER);
  });
});
