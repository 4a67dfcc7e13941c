/**
 * The pure rules of a withdrawal and of who is a recipient (docs/units.md): a withdrawal counts
 * from its date, never before; a unit retired from a date is a recipient only of periods opened
 * before it.
 */
import { describe, expect, it } from 'vitest';
import { periodDates } from '#shared/domain/calendar.ts';
import { isWithdrawn, newAssignment, type Period, type Withdrawal } from '#shared/domain/period.ts';
import type { Unit } from '#shared/domain/unit.ts';
import { unitMailDue } from '#shared/periods/due-mails.ts';
import { recipientUnits, retirementWithdrawal } from '#shared/periods/periods.ts';
import { defaultCalendar } from '#shared/plans/plans.ts';

const HCM = 'Asia/Ho_Chi_Minh';
const calendar = defaultCalendar(HCM);
const period: Period = {
  planId: 'p',
  year: 2026,
  ...periodDates(2026, calendar),
  timeZone: HCM,
  status: 'open',
  openedAt: '2026-11-15T01:00:00.000Z',
  openedMailsQueuedAt: '2026-11-15T01:00:00.000Z',
};
const withdrawal: Withdrawal = { from: '2026-12-01', reason: 'retired', at: '2026-11-20T00:00:00.000Z' };

function unit(id: string, overrides: Partial<Unit> = {}): Unit {
  return {
    id,
    name: id,
    email: `${id}@example.org`,
    cc: [],
    active: true,
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

describe('isWithdrawn and the unit e-mails', () => {
  const assignment = {
    ...newAssignment(period, unit('a')),
    announcedAt: '2026-11-15T01:00:00.000Z',
    withdrawn: withdrawal,
  };

  it('counts a withdrawal from its date on, never before', () => {
    expect(['2026-11-30', '2026-12-01', '2026-12-02'].map((d) => isWithdrawn(assignment, d))).toEqual([
      false,
      true,
      true,
    ]);
    expect(isWithdrawn({ withdrawn: null }, '2030-01-01')).toBe(false);
    expect(isWithdrawn({}, '2030-01-01')).toBe(false);
  });

  it('sends a withdrawn unit neither its link, nor reminders, nor overdue notices', () => {
    const unannounced = { ...assignment, announcedAt: null };
    expect(unitMailDue(period, { ...assignment, withdrawn: null }, calendar, '2026-12-01')).toMatchObject({
      kind: 'reminder',
      step: -14,
    });
    expect(unitMailDue(period, assignment, calendar, '2026-12-01')).toBeUndefined();
    expect(unitMailDue(period, assignment, calendar, '2026-12-16')).toBeUndefined();
    expect(unitMailDue(period, unannounced, calendar, '2026-12-01')).toBeUndefined();
    expect(unitMailDue(period, unannounced, calendar, '2026-11-30')).toMatchObject({ kind: 'opened' });
  });
});

describe('recipientUnits', () => {
  const units = [
    unit('c'),
    unit('a'),
    unit('old', { active: false }),
    unit('gone', { active: false, retired: { from: '2026-11-15', reason: 'merged', at: 'x' } }),
    unit('later', {
      active: false,
      retired: { from: '2026-12-01', reason: 'dissolved', detail: 'y', at: 'x' },
    }),
  ];

  it('takes active units and those retired after the open date, in id order', () => {
    expect(recipientUnits({ recipientUnitIds: null }, units, '2026-11-15').map((u) => u.id)).toEqual([
      'a',
      'c',
      'later',
    ]);
    expect(recipientUnits({ recipientUnitIds: null }, units, '2026-12-01').map((u) => u.id)).toEqual([
      'a',
      'c',
    ]);
    expect(
      recipientUnits({ recipientUnitIds: ['c', 'gone', 'old'] }, units, '2026-11-15').map((u) => u.id),
    ).toEqual(['c']);
  });

  it('writes the retirement on the assignment only when it starts before the period closes', () => {
    const now = new Date('2026-11-14T00:00:00Z');
    expect(retirementWithdrawal(units[4]!, period, now)).toEqual({
      from: '2026-12-01',
      reason: 'retired',
      detail: 'giải thể: y',
      at: '2026-11-14T00:00:00.000Z',
    });
    expect(
      retirementWithdrawal(
        unit('x', { retired: { from: '2027-01-15', reason: 'other', at: 'x' } }),
        period,
        now,
      ),
    ).toBeUndefined();
    expect(retirementWithdrawal(unit('a'), period, now)).toBeUndefined();
  });
});
