/**
 * Opening a plan's period now, from the committee's app: first what it would do (who gets an
 * e-mail with their link, the dates), then the opening itself, as `baocao period open` does it.
 */
import type { Deps } from '#shared/deps.ts';
import { addDays, formatDateVi, localDate, periodDates } from '#shared/domain/calendar.ts';
import { isWithdrawn, type Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { ValidationError } from '#shared/errors.ts';
import { awaitsOpenedMail } from '#shared/periods/due-mails.ts';
import { openPeriod, recipientUnits } from '#shared/periods/periods.ts';
import type { PlannerDeps } from '#shared/periods/ports.ts';
import { announcePeriod } from '#shared/periods/run-planner.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';

/** A unit as the confirmation lists it. */
export interface UnitToEmail {
  unitId: string;
  name: string;
  email: string;
  cc: string[];
}

export interface OpenPreview {
  plan: Plan;
  year: number;
  /** The period already stored for that year, if any (opening again is then harmless). */
  period: Period | null;
  /** The period's dates: the stored period's, or those an opening today gives. */
  openDate: string;
  deadline: string;
  closeDate: string;
  timeZone: string;
  /** The units that would be e-mailed their link by opening now, by id. */
  toEmail: UnitToEmail[];
  /** Units of the stored period that already have their link (not e-mailed again). */
  alreadyLinked: number;
  /** Why the period cannot be opened now (Vietnamese), or null. */
  blocker: string | null;
}

/**
 * What opening `year` of a plan now would do, without doing it. Reads the plan, the period,
 * the units and (when the period exists) its assignments.
 * @throws NotFoundError for an unknown plan; ValidationError for a year outside 2000–2100.
 */
export async function previewOpenPeriod(deps: Deps, planId: string, year: number): Promise<OpenPreview> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new ValidationError(`Invalid year: ${year}`, [], `Năm không hợp lệ: ${year}`);
  }
  const plan = await getPlan(deps, planId);
  const [period, units] = await Promise.all([deps.plans.getPeriod(plan.id, year), deps.plans.listUnits()]);
  const today = localDate(deps.clock.now(), period?.timeZone ?? plan.calendar.timeZone);
  const toUnit = (u: { id: string; name: string; email: string; cc: string[] }): UnitToEmail => ({
    unitId: u.id,
    name: u.name,
    email: u.email,
    cc: u.cc,
  });

  if (!period) {
    const deadline = periodDates(year, plan.calendar).deadline;
    const recipients = recipientUnits(plan, units, today);
    let blocker: string | null = null;
    if (today > deadline) {
      blocker = `Hạn nộp năm ${year} (${formatDateVi(deadline)}) đã qua: không mở kỳ mới được. Hãy đổi hạn nộp trong lịch báo cáo, hoặc mở kỳ của năm sau.`;
    } else if (recipients.length === 0) {
      blocker = 'Chưa có đơn vị nào nhận kế hoạch này: hãy thêm đơn vị trước.';
    }
    return {
      plan,
      year,
      period: null,
      openDate: today,
      deadline,
      closeDate: addDays(deadline, plan.calendar.closeDaysAfter),
      timeZone: plan.calendar.timeZone,
      toEmail: blocker ? [] : recipients.map(toUnit),
      alreadyLinked: 0,
      blocker,
    };
  }

  const dates = {
    openDate: period.openDate,
    deadline: period.deadline,
    closeDate: period.closeDate,
    timeZone: period.timeZone,
  };
  if (period.status === 'closed') {
    return {
      plan,
      year,
      period,
      ...dates,
      toEmail: [],
      alreadyLinked: 0,
      blocker: `Kỳ báo cáo năm ${year} đã đóng (ngày ${formatDateVi(period.closeDate)}): không mở lại được.`,
    };
  }
  // Opening again assigns the recipient units added since, and e-mails every unit whose
  // link was not sent yet (see awaitsOpenedMail); the others already have theirs.
  const assignments = await deps.submissions.listAssignments(plan.id, year);
  const assigned = new Set(assignments.map((a) => a.unitId));
  const reporting = assignments.filter((a) => !isWithdrawn(a, today));
  const waiting = reporting.filter((a) => a.status === 'missing' && awaitsOpenedMail(period, a));
  const added = recipientUnits(plan, units, period.openDate).filter((u) => !assigned.has(u.id));
  const toEmail = [
    ...waiting.map((a) => ({ unitId: a.unitId, name: a.unitName, email: a.email, cc: a.cc })),
    ...added.map(toUnit),
  ].sort((a, b) => a.unitId.localeCompare(b.unitId));
  return {
    plan,
    year,
    period,
    ...dates,
    toEmail,
    alreadyLinked: reporting.length - waiting.length,
    blocker: null,
  };
}

export interface OpenNowResult {
  period: Period;
  /** false when the period was open already. */
  created: boolean;
  /** Units assigned by this call. */
  assignmentsCreated: number;
  /** Units the period expects. */
  units: number;
  /** Link e-mails queued by this call. */
  linksQueued: number;
  /** Units whose e-mail could not be queued (the next tick retries them). */
  failures: { unitId?: string | undefined; error: string }[];
}

/**
 * Opens a plan's period for `year` now and e-mails every recipient unit its link, as
 * `baocao period open` does: `openPeriod` (idempotent: a second call only completes what is
 * missing) and the period's announcement (`announcePeriod`, which does nothing once done).
 * A closed period is not reopened.
 * @throws NotFoundError, ValidationError (closed period, deadline passed, no units).
 */
export async function openPeriodNow(deps: PlannerDeps, planId: string, year: number): Promise<OpenNowResult> {
  const existing = await deps.plans.getPeriod(planId, year);
  if (existing?.status === 'closed') {
    throw new ValidationError(
      `Period ${year} of ${planId} is closed`,
      [],
      `Kỳ báo cáo năm ${year} đã đóng (ngày ${formatDateVi(existing.closeDate)}): không mở lại được.`,
    );
  }
  const opened = await openPeriod(deps, { planId, year });
  const announced = await announcePeriod(deps, opened.period.planId, year, deps.clock.now());
  return {
    period: opened.period,
    created: opened.created,
    assignmentsCreated: opened.assignmentsCreated,
    units: opened.assignments.filter(
      (a) => !isWithdrawn(a, localDate(deps.clock.now(), opened.period.timeZone)),
    ).length,
    linksQueued: opened.announced + announced.mails.opened,
    failures: [...opened.announceFailures, ...announced.failures],
  };
}
