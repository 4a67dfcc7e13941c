/**
 * What the planner decides on a given local day — pure functions of the stored state and the
 * date, so every rule is unit-tested without emulators. `today` is always the committee's
 * calendar date (`localDate(at, timeZone)`), never a UTC date.
 */
import {
  addDays,
  daysBetween,
  isoWeekday,
  localDate,
  type PeriodDates,
  periodDates,
} from '#shared/domain/calendar.ts';
import { type Assignment, isWithdrawn, type Period } from '#shared/domain/period.ts';
import type { ReportingCalendar } from '#shared/domain/plan.ts';

/** The committee digest goes out every Monday while a period is open (ISO weekday 1). */
export const DIGEST_WEEKDAY = 1;

/** The "period opened" e-mail with the unit's link. */
export interface OpenedMailDue {
  kind: 'opened';
  unitId: string;
  key: string;
  /** The unit's own deadline (its extension when it has one). */
  deadline: string;
}

/** A reminder before the unit's deadline (step < 0) or an overdue notice after it (step > 0). */
export interface ReminderDue {
  kind: 'reminder';
  unitId: string;
  key: string;
  step: number;
  deadline: string;
  extended: boolean;
}

/** The committee's digest: weekly while open, and the day after the deadline. */
export interface DigestDue {
  kind: 'digest';
  unitId: 'committee';
  key: string;
  occasion: 'weekly' | 'after_deadline';
  date: string;
}

export type UnitMailDue = OpenedMailDue | ReminderDue;
export type DueMail = UnitMailDue | DigestDue;

/**
 * The exactly-once key of an e-mail: `<planId>#<year>#<unitId>#<step>`. The mailer sends a key
 * once, whoever enqueues it and however often.
 */
export function mailKey(period: Pick<Period, 'planId' | 'year'>, unitId: string, step: string): string {
  return `${period.planId}#${period.year}#${unitId}#${step}`;
}

/**
 * The step part of a reminder key: `reminder-7`, `reminder+1`. A unit with an extension gets
 * its own date in the key (`reminder-3@2026-12-25`): its reminders follow the new date, and a
 * step already sent against the old deadline must not block the same step against the new one.
 */
export function reminderStep(step: number, extendedDeadline: string | null): string {
  const base = `reminder${step > 0 ? '+' : '-'}${Math.abs(step)}`;
  return extendedDeadline ? `${base}@${extendedDeadline}` : base;
}

/**
 * The period of a plan that the planner should open on `today`, if any: the year whose open
 * date ≤ today ≤ deadline. Years are the deadline's year, so a deadline early in January opens
 * in the previous December (deadline 01-10 → period Y+1 opens on 11/12 of Y). Past the
 * deadline a missing period is not opened by itself (a brand-new plan must not start with
 * overdue notices; the committee opens such a period by hand with its own deadline). The
 * calendar limits (open ≤ 180, close ≤ 180 days) keep at most one year in range.
 */
export function periodToOpen(
  calendar: ReportingCalendar,
  today: string,
): { year: number; dates: PeriodDates } | undefined {
  const thisYear = Number(today.slice(0, 4));
  for (const year of [thisYear - 1, thisYear, thisYear + 1]) {
    if (year < 1 || year > 9999) continue;
    const dates = periodDates(year, calendar);
    if (dates.openDate <= today && today <= dates.deadline) return { year, dates };
  }
  return undefined;
}

/** Whether a period takes e-mails on `today`: open, from its open date through its close date. */
export function isActive(period: Period, today: string): boolean {
  return period.status === 'open' && period.openDate <= today && today <= period.closeDate;
}

/**
 * Whether a unit's "period opened" e-mail is still to be queued: never once the assignment
 * records it (`announcedAt`); for every assignment while the period's opening e-mails are under
 * way (no `openedMailsQueuedAt`: a missed day, a crash half-way); after that, for an assignment
 * written since and not yet announced (`announcedAt: null`: a unit added to the open period,
 * whose e-mail a crash may have lost). An assignment with no `announcedAt` at all was stored
 * before units were announced one by one, and the period's opening covered it.
 */
export function awaitsOpenedMail(
  period: Pick<Period, 'openedMailsQueuedAt'>,
  assignment: Pick<Assignment, 'announcedAt'>,
): boolean {
  if (assignment.announcedAt) return false;
  return !period.openedMailsQueuedAt || assignment.announcedAt === null;
}

/**
 * The one e-mail due to a unit on `today`, if any. Only units that have not reported, and are
 * not withdrawn from the period on `today` (docs/units.md), get anything. The "period opened" e-mail is due while {@link awaitsOpenedMail}; it replaces any
 * reminder of that day, since it already states the deadline, and a unit announced today (an
 * earlier tick, or a `baocao period open` before the planner ran) gets no reminder besides it.
 * Reminders are due on the exact day `own deadline + step` only: a step missed on a day the
 * planner did not run is not sent later ("còn 7 ngày" three days late would be wrong).
 */
export function unitMailDue(
  period: Period,
  assignment: Assignment,
  calendar: Pick<ReportingCalendar, 'reminderDays'>,
  today: string,
): UnitMailDue | undefined {
  if (!isActive(period, today) || assignment.status !== 'missing') return undefined;
  // A unit withdrawn from the period (retired, or no longer a recipient) gets nothing more.
  if (isWithdrawn(assignment, today)) return undefined;
  const extension = assignment.extendedDeadline ?? null;
  const deadline = extension ?? period.deadline;
  if (awaitsOpenedMail(period, assignment)) {
    return {
      kind: 'opened',
      unitId: assignment.unitId,
      key: mailKey(period, assignment.unitId, 'opened'),
      deadline,
    };
  }
  // A unit announced today has its link and deadline from that e-mail: no reminder besides it.
  if (assignment.announcedAt && localDate(assignment.announcedAt, period.timeZone) === today) {
    return undefined;
  }
  const step = daysBetween(deadline, today);
  if (step === 0 || !calendar.reminderDays.includes(step)) return undefined;
  return {
    kind: 'reminder',
    unitId: assignment.unitId,
    key: mailKey(period, assignment.unitId, reminderStep(step, extension)),
    step,
    deadline,
    extended: extension !== null,
  };
}

/**
 * The committee digest due on `today`, if any: every Monday after the open date through the
 * close date, and the day after the (period's) deadline.
 */
export function digestDue(period: Period, today: string): DigestDue | undefined {
  if (!isActive(period, today) || today === period.openDate) return undefined;
  const afterDeadline = today === addDays(period.deadline, 1);
  if (!afterDeadline && isoWeekday(today) !== DIGEST_WEEKDAY) return undefined;
  return {
    kind: 'digest',
    unitId: 'committee',
    key: mailKey(period, 'committee', `digest-${today}`),
    occasion: afterDeadline ? 'after_deadline' : 'weekly',
    date: today,
  };
}

/** Whether the consolidated export should be requested: after the deadline, until recorded. */
export function exportDue(period: Period, today: string): boolean {
  return period.status === 'open' && today > period.deadline && !period.exportRequestedAt;
}

/** Whether the period should be closed: the day after its close date, or later. */
export function closeDue(period: Period, today: string): boolean {
  return period.status === 'open' && today > period.closeDate;
}

/** Every e-mail due for a period on `today`: one per unit at most, then the digest. */
export function dueMails(
  period: Period,
  assignments: readonly Assignment[],
  calendar: Pick<ReportingCalendar, 'reminderDays'>,
  today: string,
): DueMail[] {
  const mails: DueMail[] = [];
  for (const a of assignments) {
    const due = unitMailDue(period, a, calendar, today);
    if (due) mails.push(due);
  }
  const digest = digestDue(period, today);
  if (digest) mails.push(digest);
  return mails;
}
