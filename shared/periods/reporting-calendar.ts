import type { Deps } from '#shared/deps.ts';
import { formatDateVi, parseIsoDate, parseMonthDay } from '#shared/domain/calendar.ts';
import type { Assignment } from '#shared/domain/period.ts';
import type { Plan, ReportingCalendar } from '#shared/domain/plan.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';

/** Limits of the calendar fields (inclusive). Open + close stay under a year, so periods never overlap. */
export const CALENDAR_LIMITS = {
  openDaysBefore: { min: 1, max: 180 },
  closeDaysAfter: { min: 0, max: 180 },
  reminderDay: { min: -60, max: 60 },
} as const;

/** The fields of a plan's calendar the committee may change. */
export type CalendarPatch = Partial<
  Pick<ReportingCalendar, 'deadline' | 'openDaysBefore' | 'closeDaysAfter' | 'reminderDays' | 'timeZone'>
>;

const PATCH_FIELDS = ['deadline', 'openDaysBefore', 'closeDaysAfter', 'reminderDays', 'timeZone'] as const;

/**
 * Checks a whole calendar and returns it with the reminder steps sorted. Every problem is
 * listed in `details`:
 * - deadline `MM-DD` (`02-29` allowed: 28 February in other years);
 * - openDaysBefore 1..180, closeDaysAfter 0..180 (whole days);
 * - reminderDays whole numbers in −60..60, none 0 (the deadline day itself), no repeats, and
 *   each inside the period (not before it opens, not after it closes: it could never be sent);
 * - timeZone an IANA name.
 * @throws ValidationError listing every problem.
 */
export function validateCalendar(calendar: ReportingCalendar): ReportingCalendar {
  const problems: { en: string; vi: string }[] = [];
  const problem = (en: string, vi: string) => problems.push({ en, vi });
  try {
    parseMonthDay(calendar.deadline);
  } catch {
    problem(
      `deadline must be a month-day MM-DD that exists (02-29 allowed), got ${JSON.stringify(calendar.deadline)}`,
      `hạn nộp phải là ngày-tháng có thật dạng MM-DD (cho phép 02-29), nhận được ${JSON.stringify(calendar.deadline)}`,
    );
  }
  const openOk = wholeIn(calendar.openDaysBefore, CALENDAR_LIMITS.openDaysBefore);
  if (!openOk) {
    problem(
      `openDaysBefore must be a whole number of days from 1 to 180, got ${String(calendar.openDaysBefore)}`,
      `số ngày mở kỳ trước hạn phải là số nguyên từ 1 đến 180, nhận được ${String(calendar.openDaysBefore)}`,
    );
  }
  const closeOk = wholeIn(calendar.closeDaysAfter, CALENDAR_LIMITS.closeDaysAfter);
  if (!closeOk) {
    problem(
      `closeDaysAfter must be a whole number of days from 0 to 180, got ${String(calendar.closeDaysAfter)}`,
      `số ngày đóng kỳ sau hạn phải là số nguyên từ 0 đến 180, nhận được ${String(calendar.closeDaysAfter)}`,
    );
  }
  const steps = Array.isArray(calendar.reminderDays) ? calendar.reminderDays : [];
  if (!Array.isArray(calendar.reminderDays)) {
    problem('reminderDays must be a list of whole numbers', 'các ngày nhắc phải là danh sách số nguyên');
  }
  const seen = new Set<number>();
  for (const step of steps) {
    if (!wholeIn(step, CALENDAR_LIMITS.reminderDay) || step === 0) {
      problem(
        `reminder step ${String(step)} must be a whole number from -60 to 60 other than 0 (negative: days before the deadline, positive: days after)`,
        `ngày nhắc ${String(step)} phải là số nguyên từ -60 đến 60, khác 0 (âm: trước hạn, dương: sau hạn)`,
      );
    } else if (seen.has(step)) {
      problem(`reminder step ${step} is repeated`, `ngày nhắc ${step} bị lặp lại`);
    } else if (openOk && step < -calendar.openDaysBefore) {
      problem(
        `reminder step ${step} comes before the period opens (${calendar.openDaysBefore} days before the deadline)`,
        `ngày nhắc ${step} rơi vào trước khi mở kỳ (${calendar.openDaysBefore} ngày trước hạn)`,
      );
    } else if (closeOk && step > calendar.closeDaysAfter) {
      problem(
        `reminder step ${step} comes after the period closes (${calendar.closeDaysAfter} days after the deadline)`,
        `ngày nhắc ${step} rơi vào sau khi đóng kỳ (${calendar.closeDaysAfter} ngày sau hạn)`,
      );
    }
    seen.add(step);
  }
  const timeZone = knownTimeZone(calendar.timeZone);
  if (!timeZone) {
    problem(
      `timeZone must be an IANA time zone such as Asia/Ho_Chi_Minh, got ${JSON.stringify(calendar.timeZone)}`,
      `múi giờ phải là tên IANA, ví dụ Asia/Ho_Chi_Minh, nhận được ${JSON.stringify(calendar.timeZone)}`,
    );
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `Invalid reporting calendar: ${problems.map((p) => p.en).join('; ')}`,
      problems.map((p) => p.en),
      `Lịch báo cáo không hợp lệ: ${problems.map((p) => p.vi).join('; ')}`,
    );
  }
  return { ...calendar, reminderDays: [...steps].sort((a, b) => a - b), timeZone: timeZone! };
}

/**
 * Changes a plan's reporting calendar. Only the fields in `patch` change; the result is
 * validated as a whole ({@link validateCalendar}) before anything is written, so a bad patch
 * changes nothing. Periods already opened keep their dates (deadline, close date, time zone);
 * new reminder steps apply to them from the next tick.
 * @throws NotFoundError for an unknown plan; ValidationError for a bad patch.
 */
export async function updateCalendar(deps: Deps, planId: string, patch: CalendarPatch): Promise<Plan> {
  const unknown = Object.keys(patch).filter((k) => !(PATCH_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new ValidationError(
      `Unknown calendar field(s): ${unknown.join(', ')} (allowed: ${PATCH_FIELDS.join(', ')})`,
      unknown.map((k) => `unknown field ${k}`),
      `Trường không hợp lệ trong lịch báo cáo: ${unknown.join(', ')}`,
    );
  }
  const plan = await getPlan(deps, planId);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const calendar = validateCalendar({ ...plan.calendar, ...defined });
  if (Object.keys(defined).length === 0) return plan;
  const updatedAt = deps.clock.now().toISOString();
  if (!(await deps.plans.updateCalendar(plan.id, calendar, updatedAt))) {
    throw new NotFoundError(`Plan not found: ${planId}`, `Không tìm thấy kế hoạch "${planId}".`);
  }
  return { ...plan, calendar, updatedAt };
}

/**
 * Grants one unit more time in a period: its own deadline becomes `until`, and its reminders
 * and overdue notices follow that date. `until` must be on or after the period's deadline and
 * on or before its close date (uploads stop at the close date for everyone). Granting again
 * replaces the previous extension; granting the period's deadline itself withdraws it.
 * @throws NotFoundError for an unknown plan, period or unit; ValidationError otherwise.
 */
export async function grantExtension(
  deps: Deps,
  planId: string,
  year: number,
  unitId: string,
  until: string,
): Promise<Assignment> {
  const date = parseIsoDate(until);
  const plan = await getPlan(deps, planId);
  const period = await deps.plans.getPeriod(plan.id, year);
  if (!period) {
    throw new NotFoundError(
      `No period ${year} for plan ${planId}`,
      `Kế hoạch "${planId}" chưa có kỳ báo cáo năm ${year}.`,
    );
  }
  if (period.status === 'closed') {
    throw new ValidationError(
      `Period ${year} of ${planId} is closed; no extension can be granted`,
      [],
      `Kỳ báo cáo năm ${year} đã đóng, không thể gia hạn.`,
    );
  }
  if (date < period.deadline || date > period.closeDate) {
    throw new ValidationError(
      `Extension ${date} must be between the deadline ${period.deadline} and the close date ${period.closeDate}`,
      [],
      `Ngày gia hạn ${formatDateVi(date)} phải từ hạn nộp ${formatDateVi(period.deadline)} đến ngày đóng kỳ ${formatDateVi(period.closeDate)}.`,
    );
  }
  // The period's own deadline is no extension at all: store none.
  const extendedDeadline = date === period.deadline ? null : date;
  const assignment = await deps.submissions.getAssignment(plan.id, year, unitId);
  if (!assignment || !(await deps.submissions.setExtendedDeadline(plan.id, year, unitId, extendedDeadline))) {
    throw new NotFoundError(
      `Unit ${unitId} is not assigned in period ${year} of ${planId}`,
      `Đơn vị "${unitId}" không thuộc kỳ báo cáo năm ${year} của kế hoạch "${planId}".`,
    );
  }
  return { ...assignment, extendedDeadline };
}

function wholeIn(value: unknown, range: { min: number; max: number }): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;
}

/**
 * The zone as given when the runtime knows it by that name; undefined otherwise. Not
 * canonicalised: ICU would turn Asia/Ho_Chi_Minh into its legacy alias Asia/Saigon.
 */
function knownTimeZone(tz: unknown): string | undefined {
  // A name, not an offset such as +07:00 (newer runtimes accept those as zones).
  if (typeof tz !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}
