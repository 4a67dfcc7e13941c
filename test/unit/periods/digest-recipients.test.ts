/**
 * Who receives a committee's digest (docs/tenancy.md): the planner asks for the recipients only
 * on a digest day, after the tally; with no one to send it to it builds nothing (a message to no
 * one fails validation) and fails nothing; otherwise one message to them all.
 * `committeeRecipients`: every member (admins and viewers), else the configured addresses.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { committeeRecipients } from '#shared/committee/committee-mail.ts';
import { runPlanner } from '#shared/periods/run-planner.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { MemoryMemberStore } from '#test/support/memory/member-store.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

const DEMO_PLAN = readFileSync(new URL('../../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url));
const UNITS = 'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\n';

describe('the digest’s recipients', () => {
  let rt: MemoryRuntime;
  let recipients: string[];
  let asked: number;

  /** The planner at 08:00 local on a date, its recipients read from `recipients`. */
  async function tick(date: string) {
    rt.clock.set(`${date}T01:00:00Z`);
    const before = rt.mailQueue.enqueued.length;
    const summary = await runPlanner(
      {
        ...rt.plannerDeps,
        planner: {
          ...rt.plannerDeps.planner,
          digestRecipients: async () => {
            asked++;
            return recipients;
          },
        },
      },
      rt.clock.now(),
    );
    return { summary, digests: rt.mailQueue.enqueued.slice(before).filter((m) => m.template === 'digest') };
  }

  beforeEach(async () => {
    rt = createMemoryRuntime({ now: '2026-11-15T01:00:00Z' });
    recipients = [];
    asked = 0;
    await importUnits(rt.deps, UNITS);
    await importPlan(rt.deps, DEMO_PLAN, 'ke-hoach.txt');
    // Sun 15/11: the period opens (no digest on its open day).
    await tick('2026-11-15');
  });

  it('builds no digest for a committee with no one to send it to, and fails nothing', async () => {
    // Act: Monday 16/11, a digest day.
    const { summary, digests } = await tick('2026-11-16');

    // Assess
    expect(summary.failures).toEqual([]);
    expect(summary.mails.digest).toBe(0);
    expect(digests).toEqual([]);
    expect(asked).toBe(1);
    const kinds = rt.auditStore.table.items().map((i) => i.kind);
    expect(kinds).not.toContain('digest.sent');
  });

  it('sends one digest to every recipient, and asks for none on a day without a digest', async () => {
    // Prepare
    recipients = ['bithu@dus.example.vn', 'theodoi@dus.example.vn'];

    // Act: Tuesday 17/11 (nothing due for the committee), then Monday 23/11.
    const quiet = await tick('2026-11-17');
    const monday = await tick('2026-11-23');

    // Assess
    expect(quiet.digests).toEqual([]);
    expect(monday.summary.mails.digest).toBe(1);
    expect(monday.digests.map((m) => m.to)).toEqual([recipients]);
    expect(asked).toBe(1);
    expect(rt.auditStore.table.items().map((i) => i.kind)).toContain('digest.sent');
  });
});

describe('committeeRecipients', () => {
  it('names every member, admins and viewers, else the configured addresses, else no one', async () => {
    // Prepare
    const members = new MemoryMemberStore(new MemoryTables().plans);

    // Act + Assess: no member yet.
    expect(await committeeRecipients(members, ['vanphong@so.example.vn'])).toEqual([
      'vanphong@so.example.vn',
    ]);
    expect(await committeeRecipients(members, [])).toEqual([]);

    // Act + Assess: the list wins over the configuration once it has anyone.
    for (const [email, role] of [
      ['bithu@so.example.vn', 'admin'],
      ['theodoi@so.example.vn', 'viewer'],
    ] as const) {
      await members.put({ email, role, addedBy: 'cli', addedAt: '2026-11-29T02:00:00.000Z' }, 'absent');
    }
    expect((await committeeRecipients(members, ['vanphong@so.example.vn'])).sort()).toEqual([
      'bithu@so.example.vn',
      'theodoi@so.example.vn',
    ]);
  });
});
