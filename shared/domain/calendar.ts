/**
 * Calendar dates in the committee's time zone.
 *
 * Deadlines and period dates are calendar dates `YYYY-MM-DD` with no time and no zone; they
 * only become instants together with the committee's IANA time zone (default
 * `Asia/Ho_Chi_Minh`). Date arithmetic is done on day numbers, never on `Date`, so it cannot
 * be shifted by the host's zone or by DST. Zone conversions use `Intl.DateTimeFormat` only.
 *
 * Every function is pure and throws {@link ValidationError} (with a Vietnamese `userMessage`)
 * on malformed input, because dates reach it from CSV files, the CLI and HTTP requests.
 */
import { ValidationError } from '#shared/errors.ts';

/** An instant: a `Date` or an ISO-8601 date-time string with `Z` or an offset. */
export type Instant = Date | string;

/** The reporting calendar fields {@link periodDates} needs (a `ReportingCalendar` fits). */
export interface PeriodCalendar {
  /** Deadline month-day `MM-DD`. */
  deadline: string;
  openDaysBefore: number;
  closeDaysAfter: number;
}

/** The three dates of one yearly period, all `YYYY-MM-DD` local to the committee. */
export interface PeriodDates {
  openDate: string;
  deadline: string;
  closeDate: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;
/** Date-time with seconds optional, fraction optional, zone designator required. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * Validates a calendar date `YYYY-MM-DD` (a real date: no 2023-02-29, no 2024-13-01; years
 * 0001–9999) and returns it unchanged.
 * @throws ValidationError otherwise.
 */
export function parseIsoDate(s: string): string {
  const m = typeof s === 'string' ? ISO_DATE.exec(s) : null;
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    throw new ValidationError(
      `Invalid date ${JSON.stringify(s)}: expected a real date YYYY-MM-DD`,
      [],
      `Ngày không hợp lệ: ${JSON.stringify(s)} (cần ngày có thật, dạng YYYY-MM-DD, ví dụ 2024-12-15)`,
    );
  }
  return s;
}

/**
 * A date as a Vietnamese reader types it — `dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`,
 * `dd.mm.yyyy`) — or as `YYYY-MM-DD`, to `YYYY-MM-DD`. The web app's date fields are text
 * inputs read by this function, so that what a user types does not depend on the browser's
 * locale (a `type=date` field shows mm/dd/yyyy in an English browser).
 * @throws ValidationError with a Vietnamese message otherwise (not a real date included).
 */
export function parseDateVi(s: string): string {
  const text = typeof s === 'string' ? s.trim() : '';
  const vi = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const iso = vi ? `${vi[3]}-${vi[2]!.padStart(2, '0')}-${vi[1]!.padStart(2, '0')}` : text;
  try {
    return parseIsoDate(iso);
  } catch {
    throw new ValidationError(
      `Invalid date ${JSON.stringify(s)}: expected dd/mm/yyyy`,
      [],
      `Ngày không hợp lệ: "${String(s).slice(0, 40)}" (cần ngày có thật, dạng ngày/tháng/năm, ví dụ 15/12/2026).`,
    );
  }
}

/**
 * Validates a month-day `MM-DD` as used for yearly deadlines and returns it unchanged.
 * `02-29` is accepted: it exists in leap years (see {@link deadlineFor} for other years).
 * @throws ValidationError otherwise.
 */
export function parseMonthDay(s: string): string {
  const m = typeof s === 'string' ? MONTH_DAY.exec(s) : null;
  const [mo, d] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  // 2000 is a leap year: the longest each month can be.
  if (!m || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(2000, mo)) {
    throw new ValidationError(
      `Invalid month-day ${JSON.stringify(s)}: expected MM-DD`,
      [],
      `Ngày tháng không hợp lệ: ${JSON.stringify(s)} (cần dạng MM-DD, ví dụ 12-15)`,
    );
  }
  return s;
}

/**
 * The calendar date of `instant` in `timeZone`, e.g. 2024-12-15T17:00:00Z is 2024-12-16 in
 * Asia/Ho_Chi_Minh.
 * @throws ValidationError for an invalid instant or an unknown time zone.
 */
export function localDate(instant: Instant, timeZone: string): string {
  const ms = toMs(instant);
  const known = knownDays.get(timeZone);
  if (known && ms >= known.from && ms < known.to) return known.date;
  const p = wallClock(ms, timeZone);
  const date = formatIso(p.year, p.month, p.day);
  // The day's bounds, kept when the zone's offset is the same at both ends (no change within
  // it: zones change offset at most once a day): a server asks for today again and again.
  try {
    const offset = offsetAt(ms, timeZone);
    const from = dayNumber(date) * MS_PER_DAY - offset;
    if (offsetAt(from, timeZone) === offset && offsetAt(from + MS_PER_DAY - 1000, timeZone) === offset) {
      knownDays.set(timeZone, { from, to: from + MS_PER_DAY, date });
    }
  } catch {
    // At the ends of the years 0001–9999 a bound cannot be read: nothing is kept.
  }
  return date;
}

/** Per zone, the local day last asked for and its bounds (epoch ms), when its offset holds all day. */
const knownDays = new Map<string, { from: number; to: number; date: string }>();

/** `date` plus `days` (negative to go back), across month and year ends and leap days. */
export function addDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) {
    throw new ValidationError(`Invalid number of days: ${days}`, [], `Số ngày không hợp lệ: ${days}`);
  }
  return fromDayNumber(dayNumber(parseIsoDate(date)) + days);
}

/** Whole days from `from` to `to`: positive when `to` is later, 0 on the same date. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(parseIsoDate(to)) - dayNumber(parseIsoDate(from));
}

/**
 * The first instant of `date` in `timeZone` (00:00 local), for any zone, DST included.
 * Where a DST change skips local midnight (some zones spring forward at 00:00), the day starts
 * at the transition, which is the instant returned (e.g. 01:00 local).
 * @throws ValidationError for a malformed date or an unknown time zone.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const key = `${timeZone} ${date}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    start = computeStartOfLocalDay(date, timeZone);
    if (dayStarts.size >= 1000) dayStarts.clear();
    dayStarts.set(key, start);
  }
  return new Date(start);
}

/** {@link startOfLocalDay} of the dates asked lately (a link's close, a deadline), by zone and date. */
const dayStarts = new Map<string, number>();

function computeStartOfLocalDay(date: string, timeZone: string): number {
  const midnightAsUtc = dayNumber(parseIsoDate(date)) * MS_PER_DAY;
  // The offset at local midnight is, in every real zone, the offset in force either a day
  // before or a day after it (zones change offset at most once in a day). Try both, keep
  // those that really show 00:00 on `date`, and take the earlier one (a repeated midnight
  // after a fall-back counts from its first occurrence).
  const offsets = [
    offsetAt(midnightAsUtc - MS_PER_DAY, timeZone),
    offsetAt(midnightAsUtc + MS_PER_DAY, timeZone),
  ];
  const exact = offsets
    .map((offset) => midnightAsUtc - offset)
    .filter((t) => {
      const p = wallClock(t, timeZone);
      return formatIso(p.year, p.month, p.day) === date && p.hour === 0 && p.minute === 0 && p.second === 0;
    });
  if (exact.length > 0) return Math.min(...exact);
  // Midnight does not exist: with the offset from before the gap, local midnight is the very
  // instant the clocks jump, i.e. the first instant of the day.
  return midnightAsUtc - offsets[0]!;
}

/**
 * Whether a report submitted at `submittedAt` is on time for `deadline`: it must arrive
 * before 00:00 local time of the day after the deadline, i.e. on or before the deadline's
 * local date. Equivalent to `submittedAt < startOfLocalDay(addDays(deadline, 1), timeZone)`.
 * @throws ValidationError for a malformed date or instant or an unknown time zone.
 */
export function isOnTime(submittedAt: Instant, deadline: string, timeZone: string): boolean {
  // ISO dates of four-digit years compare correctly as strings.
  return localDate(submittedAt, timeZone) <= parseIsoDate(deadline);
}

/**
 * The deadline `YYYY-MM-DD` of `year` for a yearly month-day `MM-DD`.
 *
 * Decision: `02-29` in a year without 29 February gives 28 February (`YYYY-02-28`), the last
 * day of that month, so the deadline is never moved into March and never earlier than the
 * end of February.
 * @throws ValidationError for a malformed month-day or a year outside 1–9999.
 */
export function deadlineFor(year: number, monthDay: string): string {
  checkYear(year);
  const md = parseMonthDay(monthDay);
  const month = Number(md.slice(0, 2));
  const day = Math.min(Number(md.slice(3, 5)), daysInMonth(year, month));
  return formatIso(year, month, day);
}

/**
 * The open date, deadline and close date of the period of `year`. `year` is the year of the
 * deadline, so a deadline early in the year opens in the previous December (deadline 01-10,
 * 30 days before → opens on 11/12 of the year before). All three dates are inclusive local
 * days: the period is open from 00:00 local on `openDate`; late uploads are accepted through
 * the end of `closeDate` (test with `isOnTime(at, closeDate, timeZone)`).
 * @throws ValidationError for a malformed deadline or negative / non-integer day counts.
 */
export function periodDates(year: number, calendar: PeriodCalendar): PeriodDates {
  for (const [field, value] of [
    ['openDaysBefore', calendar.openDaysBefore],
    ['closeDaysAfter', calendar.closeDaysAfter],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new ValidationError(
        `Invalid ${field}: ${value} (expected a whole number of days ≥ 0)`,
        [],
        `Số ngày không hợp lệ (${field}): ${value}`,
      );
    }
  }
  const deadline = deadlineFor(year, calendar.deadline);
  return {
    openDate: addDays(deadline, -calendar.openDaysBefore),
    deadline,
    closeDate: addDays(deadline, calendar.closeDaysAfter),
  };
}

/** ISO weekday of a calendar date: 1 Monday … 7 Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(date: string): number {
  return ((((dayNumber(parseIsoDate(date)) + 3) % 7) + 7) % 7) + 1;
}

/** `YYYY-MM-DD` → `dd/mm/yyyy`, the form Vietnamese readers expect. */
export function formatDateVi(date: string): string {
  const d = parseIsoDate(date);
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
}

/** An instant as `dd/mm/yyyy HH:mm` (24-hour clock) local to `timeZone`. */
export function formatDateTimeVi(instant: Instant, timeZone: string): string {
  const p = wallClock(toMs(instant), timeZone);
  return `${formatDateVi(formatIso(p.year, p.month, p.day))} ${pad(p.hour, 2)}:${pad(p.minute, 2)}`;
}

/**
 * Parses an ISO-8601 instant such as `2024-12-15T16:30:00Z` or `2024-12-15T23:30+07:00`.
 * A zone designator is required: without one the instant would depend on the host's zone.
 * @throws ValidationError otherwise.
 */
export function parseInstant(s: string): Date {
  const ms = ISO_INSTANT.test(s) ? Date.parse(s) : Number.NaN;
  if (Number.isNaN(ms) || !parsedFieldsAreReal(s)) {
    throw new ValidationError(
      `Invalid instant ${JSON.stringify(s)}: expected ISO-8601 with Z or an offset, e.g. 2024-12-15T16:30:00Z`,
      [],
      `Thời điểm không hợp lệ: ${JSON.stringify(s)} (cần dạng ISO-8601 có múi giờ, ví dụ 2024-12-15T16:30:00Z)`,
    );
  }
  return new Date(ms);
}

// ---------------------------------------------------------------------------------------------

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building them is far costlier than using them. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        // h23: midnight is 0, never 24.
        hourCycle: 'h23',
      });
    } catch {
      throw new ValidationError(
        `Unknown time zone ${JSON.stringify(timeZone)}: expected an IANA name such as Asia/Ho_Chi_Minh`,
        [],
        `Múi giờ không hợp lệ: ${JSON.stringify(timeZone)} (cần tên IANA, ví dụ Asia/Ho_Chi_Minh)`,
      );
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The local wall-clock reading of an instant (epoch ms) in a zone, with one cached formatter per
 * zone. Also what the ZIP writer's DOS times and the spreadsheet's local times are made of.
 */
export function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  const year = Number(parts.year);
  if (parts.era !== 'AD' || year > 9999) {
    throw new ValidationError(`Instant out of range: ${ms}`, [], 'Thời điểm nằm ngoài khoảng năm 0001–9999');
  }
  return {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Zone offset (local minus UTC, in ms) in force at an instant. */
export function offsetAt(ms: number, timeZone: string): number {
  const p = wallClock(ms, timeZone);
  const localAsUtc =
    dayNumber(formatIso(p.year, p.month, p.day)) * MS_PER_DAY +
    ((p.hour * 60 + p.minute) * 60 + p.second) * 1000;
  // The formatter shows whole seconds, so compare against the instant truncated to seconds.
  return localAsUtc - Math.floor(ms / 1000) * 1000;
}

function toMs(instant: Instant): number {
  const ms =
    typeof instant === 'string'
      ? parseInstant(instant).getTime()
      : instant instanceof Date
        ? instant.getTime()
        : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ValidationError('Invalid instant (Invalid Date)', [], 'Thời điểm không hợp lệ');
  }
  return ms;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new ValidationError(`Invalid year: ${year}`, [], `Năm không hợp lệ: ${year}`);
  }
}

/** Date.parse rolls 2024-02-30T… over to March; refuse dates that do not exist. */
function parsedFieldsAreReal(s: string): boolean {
  const date = s.slice(0, 10);
  const [hh, mi, ss] = [Number(s.slice(11, 13)), Number(s.slice(14, 16)), Number(s.slice(17, 19)) || 0];
  try {
    parseIsoDate(date);
  } catch {
    return false;
  }
  return hh <= 23 && mi <= 59 && ss <= 59;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, month: number): number {
  return month === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a valid `YYYY-MM-DD` (proleptic Gregorian), after Howard Hinnant's
 * days_from_civil: exact for every year, unlike `Date.UTC`, which maps years 0–99 to 1900s.
 */
function dayNumber(date: string): number {
  const d = Number(date.slice(8, 10));
  const m = Number(date.slice(5, 7));
  const y = Number(date.slice(0, 4)) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of {@link dayNumber} (Hinnant's civil_from_days). */
function fromDayNumber(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1 || y > 9999) {
    throw new ValidationError(`Date out of range (year ${y})`, [], 'Ngày nằm ngoài khoảng năm 0001–9999');
  }
  return formatIso(y, m, d);
}

function formatIso(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
