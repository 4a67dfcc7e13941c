import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_DAYS } from '#shared/domain/plan.ts';
import { validateCalendar } from '#shared/periods/reporting-calendar.ts';
import { defaultCalendar } from '#shared/plans/plans.ts';
import { sourceFiles } from '#test/support/sources.ts';

/**
 * Copies known and still to be derived from the constant: remove an entry when its file is
 * fixed (the test then keeps it fixed).
 */
const PENDING = [
  // Prose of the planner benchmark's note ("reminders at −14, −7, −3, −1, +1, +7 days").
  'bench/planner.ts',
];

describe('the default reminder curve', () => {
  it('is what a newly imported plan gets, sorted and valid, without sharing the constant', () => {
    // Act
    const calendar = defaultCalendar('Asia/Ho_Chi_Minh');
    calendar.reminderDays.push(30);

    // Assess
    expect(defaultCalendar('Asia/Ho_Chi_Minh').reminderDays).toEqual([...DEFAULT_REMINDER_DAYS]);
    expect(validateCalendar(defaultCalendar('Asia/Ho_Chi_Minh')).reminderDays).toEqual([
      ...DEFAULT_REMINDER_DAYS,
    ]);
    expect(Object.isFrozen(DEFAULT_REMINDER_DAYS)).toBe(true);
  });

  it('is written once: no other source holds a copy of its steps', () => {
    // Prepare: the steps as a list literal, `+` allowed before the positive ones.
    const copy = new RegExp(
      DEFAULT_REMINDER_DAYS.map((d) => (d < 0 ? `[-−]${-d}` : `\\+?${d}`)).join('\\s*,\\s*'),
    );

    // Act
    const holders = sourceFiles()
      .filter((f) => copy.test(f.text))
      .map((f) => f.path);

    // Assess
    expect(holders.filter((path) => !PENDING.includes(path))).toEqual(['shared/domain/plan.ts']);
  });
});
