import type { Deps } from '#shared/deps.ts';
import { addDays, localDate, parseIsoDate, periodDates } from '#shared/domain/calendar.ts';
import {
  type Assignment,
  isWithdrawn,
  type MailProblem,
  newAssignment,
  type Period,
  type ReportStatus,
  type Withdrawal,
} from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { type FileScanView, fileScanView } from '#shared/domain/scan-result.ts';
import { type FileSignatureView, fileSignatureView } from '#shared/domain/signature-result.ts';
import { retirementText, type Unit } from '#shared/domain/unit.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { type UnitMailDue, unitMailDue } from '#shared/periods/due-mails.ts';
import type { UnitMailDeps } from '#shared/periods/ports.ts';
import { queueUnitMails } from '#shared/periods/queue-unit-mails.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';

export interface OpenPeriodInput {
  planId: string;
  year: number;
  /** `YYYY-MM-DD`; default: the plan's deadline month-day in `year`. */
  deadline?: string | undefined;
  /**
   * `YYYY-MM-DD`, the period's scheduled open date (the planner passes the calendar's); default:
   * today in the committee's time zone ("open now", as from the CLI).
   */
  openDate?: string | undefined;
}

export interface OpenPeriodResult {
  period: Period;
  /** false when the period was already open (the call then only completes missing assignments). */
  created: boolean;
  /** Assignments created by this call. */
  assignmentsCreated: number;
  assignments: Assignment[];
  /**
   * Units sent their "period opened" e-mail by this call: those assigned to a period whose
   * opening e-mails were already queued (0 while they are not: that announcement covers them).
   */
  announced: number;
  /** Units whose e-mail could not be built (e.g. no link key); the next call or tick retries them. */
  announceFailures: { unitId: string; error: string }[];
}

/**
 * Opens a plan's reporting period for `year` now (or with the scheduled `openDate` the planner
 * passes): stores the period once (conditional write) and an assignment for every recipient
 * unit. Safe to repeat: a second call creates only the
 * assignments that are missing (a crashed first call, or a unit added since).
 *
 * Once the period's opening e-mails were queued (`openedMailsQueuedAt`), the units not yet
 * announced — assigned by this call, or by an earlier one that crashed before queuing their
 * e-mail — are sent their "period opened" e-mail now, with the same key, each recorded on its
 * assignment (`announcedAt`) after the enqueue. Before that, the period's opening announcement
 * (the planner, `announcePeriod`) covers every unit.
 */
export async function openPeriod(deps: UnitMailDeps, input: OpenPeriodInput): Promise<OpenPeriodResult> {
  const year = validateYear(input.year);
  const plan = await getPlan(deps, input.planId);
  const now = deps.clock.now();
  const today = localDate(now, plan.calendar.timeZone);
  const dates = periodDates(year, plan.calendar);
  const deadline = input.deadline ? validateDeadline(input.deadline, year) : dates.deadline;
  const openDate = input.openDate ? parseIsoDate(input.openDate) : today;
  if (openDate > deadline) {
    throw new ValidationError(
      `Open date ${openDate} is after the deadline ${deadline}`,
      [],
      `Ngày mở kỳ ${openDate} sau hạn nộp ${deadline}.`,
    );
  }
  const allUnits = await deps.plans.listUnits();
  let units = recipientUnits(plan, allUnits, openDate);
  if (units.length === 0) {
    throw new ValidationError(
      'No active recipient units: import units first (baocao units import FILE.csv)',
      [],
      'Chưa có đơn vị nào nhận kế hoạch: hãy nhập danh sách đơn vị trước.',
    );
  }
  const candidate: Period = {
    planId: plan.id,
    year,
    openDate,
    deadline,
    closeDate: addDays(deadline, plan.calendar.closeDaysAfter),
    timeZone: plan.calendar.timeZone,
    status: 'open',
    openedAt: now.toISOString(),
  };
  if (candidate.closeDate < today) {
    throw new ValidationError(
      `Period ${year} of ${plan.id} would already be closed (deadline ${deadline})`,
      [],
      `Kỳ báo cáo năm ${year} đã quá hạn đóng (hạn ${deadline}).`,
    );
  }
  const created = await deps.plans.createPeriod(candidate);
  const period = created ? candidate : await deps.plans.getPeriod(plan.id, year);
  if (!period) throw new Error(`Period ${plan.id}/${year} vanished after a conflicting create`);
  if (!created && input.deadline && input.deadline !== period.deadline) {
    throw new ConflictError(
      `Period ${year} of ${plan.id} is already open with deadline ${period.deadline}`,
      `Kỳ báo cáo năm ${year} đã mở với hạn ${period.deadline}; không thể đổi hạn bằng lệnh mở kỳ.`,
    );
  }
  // An existing period keeps its own open date: who is a recipient is decided against it.
  if (!created) units = recipientUnits(plan, allUnits, period.openDate);
  // Re-running also assigns recipient units added since the period opened.
  let assignmentsCreated = 0;
  for (const unit of units) {
    const assignment = newAssignment(period, unit);
    // A unit retired from a later date reports until then: its assignment says so from the start.
    const withdrawn = retirementWithdrawal(unit, period, now);
    if (withdrawn) assignment.withdrawn = withdrawn;
    if (await deps.submissions.createAssignment(assignment)) assignmentsCreated++;
  }
  const assignments = await deps.submissions.listAssignments(plan.id, year);
  if (!period.openedMailsQueuedAt) {
    return { period, created, assignmentsCreated, assignments, announced: 0, announceFailures: [] };
  }
  // The period keeps the zone it was opened with, whatever the plan's calendar says now.
  const periodToday = localDate(now, period.timeZone);
  const due: [Assignment, UnitMailDue][] = [];
  for (const a of assignments) {
    const mail = unitMailDue(period, a, plan.calendar, periodToday);
    if (mail?.kind === 'opened') due.push([a, mail]);
  }
  const announceFailures: { unitId: string; error: string }[] = [];
  const queued = await queueUnitMails(deps, plan, period, due, now, (unitId, error) =>
    announceFailures.push({ unitId, error: error instanceof Error ? error.message : String(error) }),
  );
  const announcedAt = now.toISOString();
  const announced = new Set(queued.announced);
  return {
    period,
    created,
    assignmentsCreated,
    assignments: assignments.map((a) => (announced.has(a.unitId) ? { ...a, announcedAt } : a)),
    announced: queued.opened,
    announceFailures,
  };
}

export interface StatusRow {
  unitId: string;
  unitName: string;
  /** The committee the unit is, when it is one (docs/tenancy.md). */
  committeeId?: string | undefined;
  status: ReportStatus;
  deadline: string;
  submittedAt: string | null;
  files: number;
  bytes: number;
  /** The files of the latest submission (names, sizes, checksums). */
  fileList?: {
    uploadId: string;
    fileName: string;
    size: number;
    sha256: string;
    /** Its digital signature as checked (docs/signatures.md). */
    signature?: FileSignatureView | undefined;
    /** Its malware scan (docs/malware-scanning.md): Đang kiểm tra until cleared. */
    scan?: FileScanView | undefined;
  }[];
  /** The last permanent e-mail delivery problem to this unit (SES refused a mail), or null. */
  mailProblem: MailProblem | null;
  /**
   * The assignment's withdrawal (docs/units.md): on every row of {@link PeriodStatus.withdrawn},
   * and on a row of {@link PeriodStatus.rows} whose withdrawal starts after today.
   */
  withdrawn?: Withdrawal | undefined;
}

export interface PeriodStatus {
  plan: Plan;
  period: Period;
  /** Every expected unit: the assignments not withdrawn on the committee-local today. */
  rows: StatusRow[];
  /**
   * The units that no longer report in this period (withdrawn from a date on or before today):
   * kept apart, outside `expected` and the rates, with their submissions and files.
   */
  withdrawn: (StatusRow & { withdrawn: Withdrawal })[];
  expected: number;
  reported: number;
  onTime: number;
  /** reported ÷ expected (DHIS2 "reporting rate"), 0..1 */
  completeness: number;
  /** on time ÷ expected (DHIS2 "reporting rate on time"), 0..1 */
  timeliness: number;
}

/** Every expected unit of a period with its status, and the period's rates. */
export async function periodStatus(deps: Deps, planId: string, year: number): Promise<PeriodStatus> {
  const plan = await getPlan(deps, planId);
  const period = await deps.plans.getPeriod(plan.id, validateYear(year));
  if (!period) {
    throw new NotFoundError(
      `No period ${year} for plan ${planId}`,
      `Kế hoạch "${planId}" chưa có kỳ báo cáo năm ${year}.`,
    );
  }
  const assignments = await deps.submissions.listAssignments(plan.id, period.year);
  const today = localDate(deps.clock.now(), period.timeZone);
  const all = assignments
    .map(
      (a): StatusRow => ({
        unitId: a.unitId,
        unitName: a.unitName,
        ...(a.committeeId ? { committeeId: a.committeeId } : {}),
        status: a.status,
        deadline: a.extendedDeadline ?? period.deadline,
        submittedAt: a.submittedAt,
        files: a.files.length,
        bytes: a.files.reduce((sum, f) => sum + f.size, 0),
        mailProblem: a.mailProblem ?? null,
        fileList: a.files.map((f) => ({
          uploadId: f.uploadId,
          fileName: f.fileName,
          size: f.size,
          sha256: f.sha256,
          signature: fileSignatureView(f, a.signatures?.[f.uploadId]),
          scan: fileScanView(a.scans?.[f.uploadId]),
        })),
        ...(a.withdrawn ? { withdrawn: a.withdrawn } : {}),
      }),
    )
    .sort((a, b) => a.unitId.localeCompare(b.unitId));
  const rows = all.filter((r) => !isWithdrawn(r, today));
  const withdrawn = all.filter((r): r is StatusRow & { withdrawn: Withdrawal } => isWithdrawn(r, today));
  const expected = rows.length;
  const reported = rows.filter((r) => r.status !== 'missing').length;
  const onTime = rows.filter((r) => r.status === 'on_time').length;
  return {
    plan,
    period,
    rows,
    withdrawn,
    expected,
    reported,
    onTime,
    completeness: expected ? reported / expected : 0,
    timeliness: expected ? onTime / expected : 0,
  };
}

/** A plan's periods, newest year first. */
export async function listPeriods(deps: Deps, planId: string): Promise<Period[]> {
  return (await deps.plans.listPeriods(planId)).sort((a, b) => b.year - a.year);
}

/**
 * The units a plan's period opened on `openDate` expects: the plan's chosen units, or every unit
 * when it names none (`recipientUnitIds: null`), among those that report on that date: active
 * and not retired, or retired from a later date (such a unit reports until then; its assignment
 * is withdrawn from that date). Sorted by id.
 */
export function recipientUnits(
  plan: Pick<Plan, 'recipientUnitIds'>,
  units: readonly Unit[],
  openDate: string,
): Unit[] {
  const chosen = plan.recipientUnitIds ? new Set(plan.recipientUnitIds) : undefined;
  return units
    .filter((u) => (u.retired ? openDate < u.retired.from : u.active))
    .filter((u) => !chosen || chosen.has(u.id))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The withdrawal a retired unit's assignment gets in `period` (reason `retired`, from the
 * retirement's date), or undefined when the unit is not retired or its retirement starts after
 * the period's close date (it then reports in the whole period).
 */
export function retirementWithdrawal(
  unit: Pick<Unit, 'retired'>,
  period: Pick<Period, 'closeDate'>,
  now: Date,
): Withdrawal | undefined {
  const retired = unit.retired;
  if (!retired || retired.from > period.closeDate) return undefined;
  return {
    from: retired.from,
    reason: 'retired',
    detail: retirementText(retired),
    at: now.toISOString(),
  };
}

function validateYear(year: number): number {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new ValidationError(`Invalid year: ${year}`, [], `Năm không hợp lệ: ${year}`);
  }
  return year;
}

function validateDeadline(deadline: string, year: number): string {
  const date = parseIsoDate(deadline);
  const y = Number(date.slice(0, 4));
  if (y !== year && y !== year + 1) {
    throw new ValidationError(
      `Deadline ${deadline} is not in ${year} or early ${year + 1}`,
      [],
      `Hạn nộp ${deadline} không thuộc năm báo cáo ${year}.`,
    );
  }
  return date;
}
