import { describe, expect, it } from 'vitest';
import { localDate, periodDates } from '#shared/domain/calendar.ts';
import { type Assignment, newAssignment, type Period } from '#shared/domain/period.ts';
import type { ReportingCalendar } from '#shared/domain/plan.ts';
import {
  awaitsOpenedMail,
  closeDue,
  digestDue,
  dueMails,
  exportDue,
  periodToOpen,
  reminderStep,
  unitMailDue,
} from '#shared/periods/due-mails.ts';
import { defaultCalendar } from '#shared/plans/plans.ts';

const HCM = 'Asia/Ho_Chi_Minh';
const calendar: ReportingCalendar = defaultCalendar(HCM);

/** Period 2026 of the default calendar: open 15/11, deadline 15/12 (a Tuesday), close 14/01/2027. */
function period(overrides: Partial<Period> = {}): Period {
  return {
    planId: 'p',
    year: 2026,
    ...periodDates(2026, calendar),
    timeZone: HCM,
    status: 'open',
    openedAt: '2026-11-15T01:00:00.000Z',
    openedMailsQueuedAt: '2026-11-15T01:00:00.000Z',
    ...overrides,
  };
}

/** A unit announced with the period's opening (its "opened" e-mail queued on 15/11). */
function unit(unitId: string, overrides: Partial<Assignment> = {}): Assignment {
  return {
    ...newAssignment(
      { planId: 'p', year: 2026 },
      { id: unitId, name: `Chi bộ ${unitId}`, email: `${unitId}@example.org`, cc: [] },
    ),
    announcedAt: '2026-11-15T01:00:00.000Z',
    ...overrides,
  };
}

const keys = (mails: { key: string }[]) => mails.map((m) => m.key);

describe('unitMailDue', () => {
  it('sends the "còn N ngày" reminders on the exact days before the deadline', () => {
    const due = (today: string) => unitMailDue(period(), unit('a'), calendar, today);
    expect(due('2026-12-01')).toMatchObject({ kind: 'reminder', step: -14, key: 'p#2026#a#reminder-14' });
    expect(due('2026-12-08')).toMatchObject({ step: -7, key: 'p#2026#a#reminder-7' });
    expect(due('2026-12-12')).toMatchObject({ step: -3 });
    expect(due('2026-12-14')).toMatchObject({ step: -1 });
    expect(due('2026-12-02')).toBeUndefined();
    expect(due('2026-12-15')).toBeUndefined();
  });

  it('sends overdue notices after the deadline, until the period closes', () => {
    const due = (today: string) => unitMailDue(period(), unit('a'), calendar, today);
    expect(due('2026-12-16')).toMatchObject({ kind: 'reminder', step: 1, key: 'p#2026#a#reminder+1' });
    expect(due('2026-12-22')).toMatchObject({ step: 7, key: 'p#2026#a#reminder+7' });
    expect(due('2027-01-14')).toBeUndefined();
  });

  it('sends nothing to a unit that has reported, on time or late', () => {
    expect(unitMailDue(period(), unit('a', { status: 'on_time' }), calendar, '2026-12-08')).toBeUndefined();
    expect(unitMailDue(period(), unit('a', { status: 'late' }), calendar, '2026-12-22')).toBeUndefined();
  });

  it('follows a unit’s extended deadline, with the extension in the key', () => {
    const a = unit('a', { extendedDeadline: '2026-12-25' });
    expect(unitMailDue(period(), a, calendar, '2026-12-08')).toBeUndefined();
    expect(unitMailDue(period(), a, calendar, '2026-12-18')).toMatchObject({
      step: -7,
      deadline: '2026-12-25',
      extended: true,
      key: 'p#2026#a#reminder-7@2026-12-25',
    });
    expect(unitMailDue(period(), a, calendar, '2026-12-16')).toBeUndefined();
    expect(unitMailDue(period(), a, calendar, '2026-12-26')).toMatchObject({ step: 1 });
  });

  it('sends the opened e-mail instead of any reminder until the period records it as queued', () => {
    const fresh = period({ openedMailsQueuedAt: undefined });
    const pending = unit('a', { announcedAt: null });
    expect(unitMailDue(fresh, pending, calendar, '2026-11-15')).toEqual({
      kind: 'opened',
      unitId: 'a',
      key: 'p#2026#a#opened',
      deadline: '2026-12-15',
    });
    // Catch-up on a reminder day: the opened e-mail (with the deadline) and no reminder.
    expect(unitMailDue(fresh, pending, calendar, '2026-12-08')).toMatchObject({ kind: 'opened' });
    expect(unitMailDue(fresh, { ...pending, status: 'on_time' }, calendar, '2026-11-15')).toBeUndefined();
  });

  it('sends the opened e-mail to a unit added to an announced period, with the same key, once', () => {
    const added = unit('new', { announcedAt: null });
    expect(unitMailDue(period(), added, calendar, '2026-11-20')).toEqual({
      kind: 'opened',
      unitId: 'new',
      key: 'p#2026#new#opened',
      deadline: '2026-12-15',
    });
    // On a reminder day it replaces the reminder; once recorded, the unit gets reminders.
    expect(unitMailDue(period(), added, calendar, '2026-12-08')).toMatchObject({ kind: 'opened' });
    const announced = { ...added, announcedAt: '2026-11-20T03:00:00.000Z' };
    expect(unitMailDue(period(), announced, calendar, '2026-11-21')).toBeUndefined();
    expect(unitMailDue(period(), announced, calendar, '2026-12-08')).toMatchObject({ kind: 'reminder' });
    expect(unitMailDue(period(), { ...added, status: 'late' }, calendar, '2026-12-20')).toBeUndefined();
  });

  it('sends no reminder on the day a unit was announced, in the committee’s zone', () => {
    // Added and e-mailed at 07:00 on the −7 day (00:00 UTC): no "còn 7 ngày" at 08:00.
    const early = unit('a', { announcedAt: '2026-12-08T00:00:00.000Z' });
    expect(unitMailDue(period(), early, calendar, '2026-12-08')).toBeUndefined();
    expect(unitMailDue(period(), early, calendar, '2026-12-12')).toMatchObject({ step: -3 });
    // 23:30 on 07/12 in Ho Chi Minh City is the day before: the −7 reminder follows.
    const eve = unit('a', { announcedAt: '2026-12-07T16:30:00.000Z' });
    expect(unitMailDue(period(), eve, calendar, '2026-12-08')).toMatchObject({ step: -7 });
  });

  it('sends nothing before the open date, after the close date or in a closed period', () => {
    expect(unitMailDue(period(), unit('a'), calendar, '2026-11-14')).toBeUndefined();
    expect(unitMailDue(period(), unit('a'), calendar, '2027-01-15')).toBeUndefined();
    expect(unitMailDue(period({ status: 'closed' }), unit('a'), calendar, '2026-12-08')).toBeUndefined();
  });

  it('uses the calendar’s current steps', () => {
    const custom = { reminderDays: [-2, 3] };
    expect(unitMailDue(period(), unit('a'), custom, '2026-12-13')).toMatchObject({ step: -2 });
    expect(unitMailDue(period(), unit('a'), custom, '2026-12-08')).toBeUndefined();
  });
});

describe('awaitsOpenedMail', () => {
  const announced = period();
  const opening = period({ openedMailsQueuedAt: undefined });
  it.each([
    ['a unit not yet announced while the opening is under way', opening, null, true],
    ['a unit stored before per-unit announcements while the opening is under way', opening, undefined, true],
    ['a unit already announced by a crashed opening', opening, '2026-11-15T01:00:00.000Z', false],
    ['a unit added to an announced period', announced, null, true],
    ['a unit stored before per-unit announcements, in an announced period', announced, undefined, false],
    ['a unit announced', announced, '2026-11-20T03:00:00.000Z', false],
  ] as const)('%s', (_name, p, announcedAt, expected) => {
    expect(awaitsOpenedMail(p, { announcedAt })).toBe(expected);
  });
});

describe('reminderStep', () => {
  it('writes the sign and the extension', () => {
    expect(reminderStep(-7, null)).toBe('reminder-7');
    expect(reminderStep(1, null)).toBe('reminder+1');
    expect(reminderStep(-3, '2026-12-25')).toBe('reminder-3@2026-12-25');
  });
});

describe('digestDue', () => {
  it('is due every Monday after the open date and the day after the deadline', () => {
    const days = [
      '2026-11-15',
      '2026-11-16',
      '2026-11-17',
      '2026-12-14',
      '2026-12-16',
      '2027-01-11',
      '2027-01-18',
    ];
    expect(days.map((d) => digestDue(period(), d)?.occasion ?? null)).toEqual([
      null, // open day (a Sunday)
      'weekly',
      null,
      'weekly',
      'after_deadline', // a Wednesday
      'weekly',
      null, // after the close date
    ]);
    expect(digestDue(period(), '2026-11-16')?.key).toBe('p#2026#committee#digest-2026-11-16');
  });

  it('is not sent on the open day even when that is a Monday', () => {
    expect(digestDue(period({ openDate: '2026-11-16' }), '2026-11-16')).toBeUndefined();
  });
});

describe('exportDue and closeDue', () => {
  it('requests the export from the day after the deadline until it is recorded', () => {
    expect(exportDue(period(), '2026-12-15')).toBe(false);
    expect(exportDue(period(), '2026-12-16')).toBe(true);
    expect(exportDue(period(), '2026-12-20')).toBe(true);
    expect(exportDue(period({ exportRequestedAt: '2026-12-16T01:00:00Z' }), '2026-12-20')).toBe(false);
  });

  it('closes the period the day after its close date', () => {
    expect(closeDue(period(), '2027-01-14')).toBe(false);
    expect(closeDue(period(), '2027-01-15')).toBe(true);
    expect(closeDue(period({ status: 'closed' }), '2027-01-20')).toBe(false);
  });
});

describe('dueMails', () => {
  it('lists one e-mail per unit due, then the digest', () => {
    const units = [
      unit('a'),
      unit('b', { status: 'on_time' }),
      unit('c', { extendedDeadline: '2026-12-20' }),
    ];
    expect(keys(dueMails(period(), units, calendar, '2026-12-14'))).toEqual([
      'p#2026#a#reminder-1',
      'p#2026#committee#digest-2026-12-14',
    ]);
    expect(keys(dueMails(period(), units, calendar, '2026-12-13'))).toEqual([
      'p#2026#c#reminder-7@2026-12-20',
    ]);
  });
});

describe('time zone edges', () => {
  it('is still the deadline day at 16:30 UTC and the next day at 17:00 UTC (UTC+7)', () => {
    const at1630 = localDate(new Date('2026-12-15T16:30:00Z'), HCM);
    const at1700 = localDate(new Date('2026-12-15T17:00:00Z'), HCM);
    expect(keys(dueMails(period(), [unit('a')], calendar, at1630))).toEqual([]);
    expect(exportDue(period(), at1630)).toBe(false);
    expect(keys(dueMails(period(), [unit('a')], calendar, at1700))).toEqual([
      'p#2026#a#reminder+1',
      'p#2026#committee#digest-2026-12-16',
    ]);
    expect(exportDue(period(), at1700)).toBe(true);
  });

  it('puts a 29 February deadline on 28 February in other years, and on 29 February in leap years', () => {
    const leap = { ...calendar, deadline: '02-29' };
    expect(periodToOpen(leap, '2027-01-29')).toEqual({
      year: 2027,
      dates: { openDate: '2027-01-29', deadline: '2027-02-28', closeDate: '2027-03-30' },
    });
    expect(periodToOpen(leap, '2028-01-30')).toEqual({
      year: 2028,
      dates: { openDate: '2028-01-30', deadline: '2028-02-29', closeDate: '2028-03-30' },
    });
    const p2028 = period({
      year: 2028,
      openDate: '2028-01-30',
      deadline: '2028-02-29',
      closeDate: '2028-03-30',
    });
    expect(unitMailDue(p2028, unit('a'), leap, '2028-02-28')).toMatchObject({ step: -1 });
    expect(unitMailDue(p2028, unit('a'), leap, '2028-03-01')).toMatchObject({ step: 1 });
    const p2027 = period({
      year: 2027,
      openDate: '2027-01-29',
      deadline: '2027-02-28',
      closeDate: '2027-03-30',
    });
    expect(unitMailDue(p2027, unit('a'), leap, '2027-02-27')).toMatchObject({ step: -1 });
    expect(unitMailDue(p2027, unit('a'), leap, '2027-03-01')).toMatchObject({ step: 1 });
  });

  it('opens the period of next year in December for a deadline of 10 January', () => {
    const january = { ...calendar, deadline: '01-10' };
    expect(periodToOpen(january, '2026-12-10')).toBeUndefined();
    expect(periodToOpen(january, '2026-12-11')).toEqual({
      year: 2027,
      dates: { openDate: '2026-12-11', deadline: '2027-01-10', closeDate: '2027-02-09' },
    });
    expect(periodToOpen(january, '2027-01-10')?.year).toBe(2027);
    expect(periodToOpen(january, '2027-01-11')).toBeUndefined();
  });
});

describe('periodToOpen', () => {
  it('opens from the open date through the deadline, never after it', () => {
    expect(periodToOpen(calendar, '2026-11-14')).toBeUndefined();
    expect(periodToOpen(calendar, '2026-11-15')?.year).toBe(2026);
    expect(periodToOpen(calendar, '2026-12-15')?.year).toBe(2026);
    expect(periodToOpen(calendar, '2026-12-16')).toBeUndefined();
    expect(periodToOpen(calendar, '2026-06-01')).toBeUndefined();
  });
});
