/**
 * Who reports on a plan, over the in-memory ports with the real planner and mailer
 * (docs/units.md): a change is previewed without writing; confirmed, it reaches the open period
 * at once — units that join get their link by e-mail, units that leave are withdrawn from today
 * and leave the expected count, a unit that comes back has its old link working again — and bad
 * choices are refused with nothing changed.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors.ts';
import { MAX_PLAN_RECIPIENTS } from '#shared/input-limits.ts';
import { periodStatus } from '#shared/periods/periods.ts';
import { runPlanner } from '#shared/periods/run-planner.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { changeRecipients } from '#shared/units/recipients.ts';
import { reinstateUnit, retireUnit } from '#shared/units/retire.ts';
import { importUnits } from '#shared/units/units.ts';
import { WithdrawnLinkError } from '#shared/uploads/link-errors.ts';
import { unitStatus } from '#shared/uploads/unit-status.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';

const DEMO_PLAN = readFileSync(new URL('../../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url));
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const UNITS =
  'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\ncb-c,Chi bộ C,c@example.org\ncb-d,Chi bộ D,d@example.org\n';

describe('a plan’s recipients', () => {
  let rt: MemoryRuntime;

  const links = () =>
    rt.mailQueue.enqueued.filter((m) => m.template === 'link').map((m) => `${m.unitId} ${m.year}`);
  const token = (unitId: string) => {
    const opened = rt.mailQueue.enqueued.find((m) => m.template === 'link' && m.unitId === unitId);
    if (opened?.template !== 'link') throw new Error(`no link for ${unitId}`);
    return opened.data.uploadUrl.split('/u/')[1]!;
  };

  beforeEach(async () => {
    // Prepare: four units; the plan narrowed to cb-a, cb-b, cb-c before its period opens (15/11).
    rt = createMemoryRuntime({ now: '2026-11-01T03:00:00Z' });
    await importUnits(rt.deps, UNITS);
    await importPlan(rt.deps, DEMO_PLAN, 'ke-hoach.txt');
    await changeRecipients(rt.deps, PLAN, ['cb-c', 'cb-a', 'cb-b', 'cb-a'], { confirm: true });
    rt.clock.set('2026-11-15T01:00:00Z');
    await runPlanner(rt.plannerDeps, rt.clock.now());
  });

  it('opens the period for the chosen units only', async () => {
    expect(links()).toEqual(['cb-a 2026', 'cb-b 2026', 'cb-c 2026']);
    expect((await rt.stores.plans.getPlan(PLAN))?.recipientUnitIds).toEqual(['cb-a', 'cb-b', 'cb-c']);
    expect((await periodStatus(rt.deps, PLAN, YEAR)).expected).toBe(3);
  });

  it('previews a change without writing anything', async () => {
    // Act
    rt.clock.set('2026-11-20T03:00:00Z');
    const before = {
      plan: await rt.stores.plans.getPlan(PLAN),
      assignments: await rt.stores.submissions.listAssignments(PLAN, YEAR),
      mails: rt.mailQueue.enqueued.length,
    };
    const preview = await changeRecipients(rt.deps, PLAN, ['cb-a', 'cb-d']);
    // Assess
    expect(preview).toEqual({
      planId: PLAN,
      before: ['cb-a', 'cb-b', 'cb-c'],
      after: ['cb-a', 'cb-d'],
      joining: [{ unitId: 'cb-d', unitName: 'Chi bộ D' }],
      leaving: [
        { unitId: 'cb-b', unitName: 'Chi bộ B' },
        { unitId: 'cb-c', unitName: 'Chi bộ C' },
      ],
      periods: [
        {
          year: YEAR,
          joining: [{ unitId: 'cb-d', unitName: 'Chi bộ D' }],
          leaving: [
            { unitId: 'cb-b', unitName: 'Chi bộ B' },
            { unitId: 'cb-c', unitName: 'Chi bộ C' },
          ],
        },
      ],
      applied: false,
    });
    expect(await rt.stores.plans.getPlan(PLAN)).toStrictEqual(before.plan);
    expect(await rt.stores.submissions.listAssignments(PLAN, YEAR)).toStrictEqual(before.assignments);
    expect(rt.mailQueue.enqueued).toHaveLength(before.mails);
  });

  it('applies a change at once: joining units get their link, leaving ones are withdrawn from today', async () => {
    // Act
    rt.clock.set('2026-11-20T03:00:00Z');
    const change = await changeRecipients(rt.deps, PLAN, ['cb-a', 'cb-d'], { confirm: true });
    // Assess
    expect(change.applied).toBe(true);
    expect(change.periods[0]).toMatchObject({ year: YEAR, announced: 1 });
    expect(links()).toEqual(['cb-a 2026', 'cb-b 2026', 'cb-c 2026', 'cb-d 2026']);
    const status = await periodStatus(rt.deps, PLAN, YEAR);
    expect(status.rows.map((r) => r.unitId)).toEqual(['cb-a', 'cb-d']);
    expect(status.withdrawn.map((r) => [r.unitId, r.withdrawn.reason, r.withdrawn.from])).toEqual([
      ['cb-b', 'not-recipient', '2026-11-20'],
      ['cb-c', 'not-recipient', '2026-11-20'],
    ]);
    await expect(unitStatus(rt.uploadDeps, token('cb-b'))).rejects.toBeInstanceOf(WithdrawnLinkError);
    // The next reminders (01/12) go to the two recipients only.
    const before = rt.mailQueue.enqueued.length;
    rt.clock.set('2026-12-01T01:00:00Z');
    await runPlanner(rt.plannerDeps, rt.clock.now());
    expect(
      rt.mailQueue.enqueued
        .slice(before)
        .filter((m) => m.template === 'reminder')
        .map((m) => m.unitId),
    ).toEqual(['cb-a', 'cb-d']);
  });

  it('brings a unit back without a new e-mail: its old link works again', async () => {
    // Prepare
    rt.clock.set('2026-11-20T03:00:00Z');
    await changeRecipients(rt.deps, PLAN, ['cb-a'], { confirm: true });
    const mails = rt.mailQueue.enqueued.length;
    // Act: every active unit again (cb-d joins for the first time, cb-b and cb-c come back).
    rt.clock.set('2026-11-21T03:00:00Z');
    const change = await changeRecipients(rt.deps, PLAN, null, { confirm: true });
    // Assess
    expect(change.periods[0]?.joining.map((u) => u.unitId)).toEqual(['cb-b', 'cb-c', 'cb-d']);
    expect(rt.mailQueue.enqueued.slice(mails).map((m) => `${m.template} ${m.unitId}`)).toEqual(['link cb-d']);
    expect((await unitStatus(rt.uploadDeps, token('cb-b'))).unit.id).toBe('cb-b');
    expect((await periodStatus(rt.deps, PLAN, YEAR)).expected).toBe(4);
    expect((await rt.stores.plans.getPlan(PLAN))?.recipientUnitIds).toBeNull();
  });

  it('keeps a retired unit’s earlier date when it is also taken off, and does not bring it back on reinstatement', async () => {
    // Prepare: cb-c retires from 18/11; on 20/11 the plan drops it.
    rt.clock.set('2026-11-17T03:00:00Z');
    await retireUnit(rt.deps, 'cb-c', { from: '2026-11-18', reason: 'merged' });
    rt.clock.set('2026-11-20T03:00:00Z');
    const change = await changeRecipients(rt.deps, PLAN, ['cb-a', 'cb-b'], { confirm: true });
    // Act
    const reinstated = await reinstateUnit(rt.deps, 'cb-c');
    // Assess: not "leaving" (it had left already), its date kept, and it stays out after all.
    expect(change.periods[0]?.leaving).toEqual([]);
    expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-c'))?.withdrawn).toMatchObject({
      from: '2026-11-18',
      reason: 'not-recipient',
      detail: 'sáp nhập',
    });
    expect(reinstated.restored).toEqual([]);
    await expect(unitStatus(rt.uploadDeps, token('cb-c'))).rejects.toBeInstanceOf(WithdrawnLinkError);
  });

  it.each([
    ['an unknown unit', ['cb-a', 'khong-co'], 'Không có đơn vị mã "khong-co"; không thay đổi gì.'],
    ['no unit', [], 'Hãy chọn ít nhất một đơn vị, hoặc chọn "Tất cả đơn vị đang hoạt động".'],
    ['only blanks', ['  ', ''], 'Hãy chọn ít nhất một đơn vị, hoặc chọn "Tất cả đơn vị đang hoạt động".'],
    [
      'too many units',
      Array.from({ length: MAX_PLAN_RECIPIENTS + 1 }, (_, i) => `u${i}`),
      'Chọn nhiều nhất 1.000 đơn vị (đã chọn 1.001); nếu cần nhiều hơn, hãy chọn "Tất cả đơn vị đang hoạt động".',
    ],
  ])('refuses %s, changing nothing', async (_name, unitIds, message) => {
    const plan = await rt.stores.plans.getPlan(PLAN);
    const assignments = await rt.stores.submissions.listAssignments(PLAN, YEAR);
    const error = await changeRecipients(rt.deps, PLAN, unitIds, { confirm: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).userMessage).toBe(message);
    expect(await rt.stores.plans.getPlan(PLAN)).toStrictEqual(plan);
    expect(await rt.stores.submissions.listAssignments(PLAN, YEAR)).toStrictEqual(assignments);
  });

  it('refuses a retired unit and an unknown plan', async () => {
    await retireUnit(rt.deps, 'cb-d', { reason: 'khac' });
    await expect(changeRecipients(rt.deps, PLAN, ['cb-a', 'cb-d'], { confirm: true })).rejects.toMatchObject({
      userMessage:
        'Đơn vị đã thôi báo cáo: Chi bộ D; hãy khôi phục đơn vị trước khi chọn. Không thay đổi gì.',
    });
    await expect(changeRecipients(rt.deps, 'khong-co', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
