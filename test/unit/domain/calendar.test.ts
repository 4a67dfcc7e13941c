import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  deadlineFor,
  formatDateTimeVi,
  formatDateVi,
  isOnTime,
  localDate,
  parseInstant,
  parseIsoDate,
  parseMonthDay,
  periodDates,
  startOfLocalDay,
} from '#shared/domain/calendar.ts';
import { ValidationError } from '#shared/errors.ts';

const HCM = 'Asia/Ho_Chi_Minh';
const BERLIN = 'Europe/Berlin';

describe('localDate', () => {
  it('gives the calendar date in the zone, not in UTC', () => {
    expect(localDate(new Date('2024-12-15T16:59:59.999Z'), HCM)).toBe('2024-12-15');
    expect(localDate(new Date('2024-12-15T17:00:00Z'), HCM)).toBe('2024-12-16');
    expect(localDate(new Date('2024-12-15T02:00:00Z'), 'America/New_York')).toBe('2024-12-14');
    expect(localDate('2024-12-31T23:30:00+07:00', 'UTC')).toBe('2024-12-31');
  });

  it('agrees with the zone around its offset changes, asked in any order (the day it keeps)', () => {
    // Zones that change at local midnight (Santiago, Havana), by half an hour (Lord Howe), or at 01:00.
    const zones = [HCM, BERLIN, 'America/Santiago', 'America/Havana', 'Australia/Lord_Howe', 'Europe/London'];
    const days = [
      '2024-03-09',
      '2024-03-10',
      '2024-03-30',
      '2024-03-31',
      '2024-04-06',
      '2024-09-07',
      '2024-10-06',
      '2024-11-03',
    ];
    const instants = days.flatMap((day) =>
      Array.from({ length: 4 * 36 }, (_, i) => Date.parse(`${day}T00:00:00Z`) - 6 * 3_600_000 + i * 900_000),
    );
    const shuffled = instants.map((ms, i) => instants[(i * 7919) % instants.length]! + (ms % 1000));
    for (const zone of zones) {
      const reference = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      for (const ms of [...instants, ...shuffled, ...instants.map((t) => t - 1)]) {
        expect(localDate(new Date(ms), zone), `${zone} ${new Date(ms).toISOString()}`).toBe(
          reference.format(ms),
        );
      }
    }
  });
});

describe('isOnTime (deadline 2024-12-15, Asia/Ho_Chi_Minh = UTC+7)', () => {
  it('is on time at 16:30 UTC on the deadline day (23:30 local)', () => {
    expect(isOnTime(new Date('2024-12-15T16:30:00Z'), '2024-12-15', HCM)).toBe(true);
    expect(isOnTime(new Date('2024-12-15T16:59:59.999Z'), '2024-12-15', HCM)).toBe(true);
  });

  it('is late from 17:00 UTC (00:00 local on the next day)', () => {
    expect(isOnTime(new Date('2024-12-15T17:00:00Z'), '2024-12-15', HCM)).toBe(false);
    expect(isOnTime('2024-12-16T00:00:00+07:00', '2024-12-15', HCM)).toBe(false);
  });

  it('counts early submissions as on time', () => {
    expect(isOnTime(new Date('2024-11-01T00:00:00Z'), '2024-12-15', HCM)).toBe(true);
  });

  it('agrees with startOfLocalDay of the day after', () => {
    const cutoff = startOfLocalDay(addDays('2024-12-15', 1), HCM);
    expect(cutoff.toISOString()).toBe('2024-12-15T17:00:00.000Z');
    expect(isOnTime(new Date(cutoff.getTime() - 1), '2024-12-15', HCM)).toBe(true);
    expect(isOnTime(cutoff, '2024-12-15', HCM)).toBe(false);
  });
});

describe('addDays and daysBetween', () => {
  it('crosses month and year ends and leap days', () => {
    expect(addDays('2024-01-31', 1)).toBe('2024-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-10', -30)).toBe('2024-12-11');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addDays('2024-12-15', 0)).toBe('2024-12-15');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
  });

  it('is not shifted by DST in the host or any zone', () => {
    expect(addDays('2024-03-30', 1)).toBe('2024-03-31');
    expect(addDays('2024-03-31', 1)).toBe('2024-04-01');
    expect(addDays('2024-10-27', 1)).toBe('2024-10-28');
  });

  it('counts days between dates', () => {
    expect(daysBetween('2024-12-15', '2024-12-15')).toBe(0);
    expect(daysBetween('2024-12-15', '2025-01-14')).toBe(30);
    expect(daysBetween('2025-01-14', '2024-12-15')).toBe(-30);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2023-01-01', '2024-01-01')).toBe(365);
  });

  it('refuses fractional days and results outside years 0001-9999', () => {
    expect(() => addDays('2024-12-15', 1.5)).toThrow(ValidationError);
    expect(() => addDays('2024-12-15', Number.NaN)).toThrow(ValidationError);
    expect(() => addDays('9999-12-31', 1)).toThrow(ValidationError);
  });
});

describe('startOfLocalDay', () => {
  it('is 17:00 UTC the day before in Asia/Ho_Chi_Minh', () => {
    expect(startOfLocalDay('2025-01-01', HCM).toISOString()).toBe('2024-12-31T17:00:00.000Z');
  });

  it('follows DST in Europe/Berlin', () => {
    // Winter UTC+1, summer UTC+2; clocks change on 2024-03-31 and 2024-10-27 at night.
    expect(startOfLocalDay('2024-01-15', BERLIN).toISOString()).toBe('2024-01-14T23:00:00.000Z');
    expect(startOfLocalDay('2024-07-15', BERLIN).toISOString()).toBe('2024-07-14T22:00:00.000Z');
    expect(startOfLocalDay('2024-03-31', BERLIN).toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(startOfLocalDay('2024-04-01', BERLIN).toISOString()).toBe('2024-03-31T22:00:00.000Z');
    expect(startOfLocalDay('2024-10-27', BERLIN).toISOString()).toBe('2024-10-26T22:00:00.000Z');
    expect(startOfLocalDay('2024-10-28', BERLIN).toISOString()).toBe('2024-10-27T23:00:00.000Z');
  });

  it('handles zones west of UTC and with half-hour offsets', () => {
    expect(startOfLocalDay('2024-12-15', 'America/New_York').toISOString()).toBe('2024-12-15T05:00:00.000Z');
    expect(startOfLocalDay('2024-12-15', 'Asia/Kolkata').toISOString()).toBe('2024-12-14T18:30:00.000Z');
  });

  it('starts the day at the transition where DST skips midnight', () => {
    // America/Santiago springs forward at 00:00 → 01:00 (2024-09-08): the day begins at 01:00 local.
    const start = startOfLocalDay('2024-09-08', 'America/Santiago');
    expect(start.toISOString()).toBe('2024-09-08T04:00:00.000Z');
    expect(localDate(start, 'America/Santiago')).toBe('2024-09-08');
    expect(localDate(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2024-09-07');
  });

  it('takes the first midnight where DST repeats it', () => {
    // America/Santiago falls back at 00:00 → 23:00 (2024-04-07): 00:00 of 04-07 happens once, after the repeat.
    const start = startOfLocalDay('2024-04-07', 'America/Santiago');
    expect(localDate(start, 'America/Santiago')).toBe('2024-04-07');
    expect(localDate(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2024-04-06');
  });
});

describe('deadlineFor and periodDates', () => {
  it('places the month-day in the year', () => {
    expect(deadlineFor(2024, '12-15')).toBe('2024-12-15');
  });

  it('keeps 29 February in leap years and uses 28 February otherwise', () => {
    expect(deadlineFor(2024, '02-29')).toBe('2024-02-29');
    expect(deadlineFor(2025, '02-29')).toBe('2025-02-28');
    expect(deadlineFor(2100, '02-29')).toBe('2100-02-28');
    expect(deadlineFor(2000, '02-29')).toBe('2000-02-29');
  });

  it('computes open, deadline and close dates', () => {
    expect(periodDates(2024, { deadline: '12-15', openDaysBefore: 30, closeDaysAfter: 30 })).toEqual({
      openDate: '2024-11-15',
      deadline: '2024-12-15',
      closeDate: '2025-01-14',
    });
  });

  it('opens in the previous December for a deadline early in the year', () => {
    expect(periodDates(2025, { deadline: '01-10', openDaysBefore: 30, closeDaysAfter: 0 })).toEqual({
      openDate: '2024-12-11',
      deadline: '2025-01-10',
      closeDate: '2025-01-10',
    });
  });

  it('accepts a whole ReportingCalendar and rejects bad day counts and years', () => {
    const calendar = {
      frequency: 'yearly' as const,
      deadline: '02-29',
      openDaysBefore: 0,
      closeDaysAfter: 1,
      reminderDays: [-7, 1],
      timeZone: HCM,
    };
    expect(periodDates(2023, calendar)).toEqual({
      openDate: '2023-02-28',
      deadline: '2023-02-28',
      closeDate: '2023-03-01',
    });
    expect(() => periodDates(2024, { ...calendar, openDaysBefore: -1 })).toThrow(ValidationError);
    expect(() => periodDates(2024, { ...calendar, closeDaysAfter: 2.5 })).toThrow(ValidationError);
    expect(() => deadlineFor(2024.5, '12-15')).toThrow(ValidationError);
    expect(() => deadlineFor(0, '12-15')).toThrow(ValidationError);
  });
});

describe('formatting for Vietnamese readers', () => {
  it('formats dates as dd/mm/yyyy', () => {
    expect(formatDateVi('2024-12-05')).toBe('05/12/2024');
    expect(formatDateVi('2025-01-01')).toBe('01/01/2025');
  });

  it('formats instants as dd/mm/yyyy HH:mm in the zone, 24-hour', () => {
    expect(formatDateTimeVi(new Date('2024-12-15T16:30:00Z'), HCM)).toBe('15/12/2024 23:30');
    expect(formatDateTimeVi(new Date('2024-12-15T17:05:00Z'), HCM)).toBe('16/12/2024 00:05');
    expect(formatDateTimeVi('2024-07-01T06:07:00Z', BERLIN)).toBe('01/07/2024 08:07');
  });
});

describe('invalid inputs', () => {
  it('accepts only real YYYY-MM-DD dates', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    for (const bad of [
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-04-31',
      '2024-1-5',
      '15/12/2024',
      '2024-12-15T00:00',
      ' 2024-12-15',
      '0000-01-01',
      '',
    ]) {
      expect(() => parseIsoDate(bad), bad).toThrow(ValidationError);
    }
  });

  it('explains the expected form in Vietnamese', () => {
    try {
      parseIsoDate('2023-02-29');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).userMessage).toContain('Ngày không hợp lệ: "2023-02-29"');
    }
  });

  it('accepts only MM-DD month-days that exist in some year', () => {
    expect(parseMonthDay('02-29')).toBe('02-29');
    expect(parseMonthDay('12-31')).toBe('12-31');
    for (const bad of ['02-30', '04-31', '13-01', '00-10', '1-5', '12/15', '2024-12-15', '']) {
      expect(() => parseMonthDay(bad), bad).toThrow(ValidationError);
    }
  });

  it('rejects malformed dates in every function', () => {
    expect(() => addDays('2024-02-30', 1)).toThrow(ValidationError);
    expect(() => daysBetween('2024-12-15', 'tomorrow')).toThrow(ValidationError);
    expect(() => formatDateVi('15/12/2024')).toThrow(ValidationError);
    expect(() => isOnTime(new Date(), '2024-12-32', HCM)).toThrow(ValidationError);
    expect(() => startOfLocalDay('2024-12-32', HCM)).toThrow(ValidationError);
    expect(() => deadlineFor(2024, '2-29')).toThrow(ValidationError);
  });

  it('rejects unknown time zones and invalid instants', () => {
    expect(() => localDate(new Date(), 'Mars/Olympus_Mons')).toThrow(ValidationError);
    expect(() => startOfLocalDay('2024-12-15', 'Asia/Hanoi_City')).toThrow(ValidationError);
    expect(() => localDate(new Date(Number.NaN), HCM)).toThrow(ValidationError);
    expect(() => formatDateTimeVi('not a date', HCM)).toThrow(ValidationError);
  });

  it('parses ISO-8601 instants only with a zone designator and real fields', () => {
    expect(parseInstant('2024-12-15T23:30+07:00').toISOString()).toBe('2024-12-15T16:30:00.000Z');
    expect(parseInstant('2024-12-15T16:30:00.5Z').toISOString()).toBe('2024-12-15T16:30:00.500Z');
    for (const bad of [
      '2024-12-15T16:30:00',
      '2024-12-15',
      '2024-02-30T00:00:00Z',
      '2024-12-15T24:00:00Z',
      '2024-12-15 16:30Z',
    ]) {
      expect(() => parseInstant(bad), bad).toThrow(ValidationError);
    }
  });
});
