import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors.ts';
import { validateCalendar } from '#shared/periods/reporting-calendar.ts';
import { defaultCalendar } from '#shared/plans/plans.ts';

const base = defaultCalendar('Asia/Ho_Chi_Minh');

describe('validateCalendar', () => {
  it('accepts the default calendar and 29 February, sorting the reminder steps', () => {
    expect(validateCalendar(base)).toEqual(base);
    expect(
      validateCalendar({ ...base, deadline: '02-29', reminderDays: [7, -3, 1, -14] }).reminderDays,
    ).toEqual([-14, -3, 1, 7]);
    expect(
      validateCalendar({ ...base, openDaysBefore: 180, closeDaysAfter: 0, reminderDays: [] }),
    ).toMatchObject({
      closeDaysAfter: 0,
    });
  });

  it.each([
    ['a month 13', { deadline: '13-01' }, /deadline/],
    ['30 February', { deadline: '02-30' }, /deadline/],
    ['a day-month order', { deadline: '15/12' }, /deadline/],
    ['no open days', { openDaysBefore: 0 }, /openDaysBefore/],
    ['too many open days', { openDaysBefore: 181 }, /openDaysBefore/],
    ['fractional open days', { openDaysBefore: 2.5 }, /openDaysBefore/],
    ['negative close days', { closeDaysAfter: -1 }, /closeDaysAfter/],
    ['a reminder on the deadline day', { reminderDays: [-7, 0] }, /step 0/],
    ['a repeated reminder', { reminderDays: [-7, -7] }, /repeated/],
    ['a reminder beyond 60 days', { reminderDays: [-61] }, /-60 to 60/],
    [
      'a reminder before the period opens',
      { openDaysBefore: 10, reminderDays: [-14] },
      /before the period opens/,
    ],
    [
      'a reminder after the period closes',
      { closeDaysAfter: 5, reminderDays: [7] },
      /after the period closes/,
    ],
    ['an unknown time zone', { timeZone: 'Asia/Hanoi_City' }, /timeZone/],
    ['an empty time zone', { timeZone: '' }, /timeZone/],
    ['an offset instead of a zone name', { timeZone: '+07:00' }, /timeZone/],
  ])('refuses %s', (_name, patch, message) => {
    const attempt = () => validateCalendar({ ...base, ...patch });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(message);
  });

  it('lists every problem at once, in English and Vietnamese', () => {
    try {
      validateCalendar({ ...base, deadline: '02-30', closeDaysAfter: -1 });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).details).toHaveLength(2);
      expect((error as ValidationError).userMessage).toMatch(/^Lịch báo cáo không hợp lệ: hạn nộp/);
    }
  });
});
