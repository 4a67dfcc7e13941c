/**
 * A unit leaves (merged, dissolved…) from a date, and may come back (docs/units.md). Retiring
 * withdraws its assignment in every period not closed, from that date: it gets no links,
 * reminders or digests from then on and leaves the expected count, while its history and files
 * stay. Reinstating clears those withdrawals: its link works again (no e-mail is sent).
 */
import type { Deps } from '#shared/deps.ts';
import { localDate, parseDateVi } from '#shared/domain/calendar.ts';
import type { Period, Withdrawal } from '#shared/domain/period.ts';
import {
  MAX_RETIREMENT_DETAIL_CHARS,
  RETIREMENT_REASON_LABELS,
  type RetirementReason,
  retirementText,
  type Unit,
  type UnitRetirement,
} from '#shared/domain/unit.ts';
import { ConflictError, ValidationError } from '#shared/errors.ts';
import { recipientUnits } from '#shared/periods/periods.ts';
import { charCount } from './unit-rows.ts';
import { periodsNotClosed, requireUnit } from './units.ts';

/** What a retirement asks for. */
export interface RetireInput {
  /** `YYYY-MM-DD` or `dd/mm/yyyy`, committee-local; default today. */
  from?: string | undefined;
  reason: string;
  detail?: string | undefined;
}

/** A period of a plan, as the results name it. */
export interface PeriodRef {
  planId: string;
  year: number;
}

export interface RetireResult {
  unit: Unit;
  /** Periods not closed where the unit's assignment is withdrawn from `from`. */
  withdrawn: PeriodRef[];
}

export interface ReinstateResult {
  unit: Unit;
  /** Periods not closed where the unit's assignment reports again (its link works again). */
  restored: PeriodRef[];
  /**
   * Periods not closed that opened while the unit was retired and so have no assignment for it,
   * where it is a recipient now: it joins them only when the committee confirms the plan's
   * recipients again (which e-mails it its link).
   */
  notAssigned: PeriodRef[];
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Parses a reason given as the stored value, a Vietnamese label or the CLI's ASCII slug. */
export function parseRetirementReason(value: string): RetirementReason {
  const key = value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  const reasons: Record<string, RetirementReason> = {
    merged: 'merged',
    sapnhap: 'merged',
    dissolved: 'dissolved',
    giaithe: 'dissolved',
    other: 'other',
    khac: 'other',
  };
  const reason = reasons[key];
  if (!reason) {
    throw new ValidationError(
      `Unknown retirement reason: ${value.slice(0, 40)}`,
      [],
      `Lý do không hợp lệ: "${value.slice(0, 40)}" (chọn ${Object.values(RETIREMENT_REASON_LABELS).join(', ')}).`,
    );
  }
  return reason;
}

/**
 * Retires a unit from `from` (default today): it is no longer a recipient of periods opened on or
 * after that date, and its assignment in every period not closed is withdrawn from that date
 * (unless that is after the period's close date: it then reports in the whole period). A unit
 * already retired gets the new date and reason. Closed periods keep what they had.
 * @throws NotFoundError, ValidationError (date, reason, detail).
 */
export async function retireUnit(deps: Deps, unitId: string, input: RetireInput): Promise<RetireResult> {
  const now = deps.clock.now();
  const from = input.from?.trim() ? parseDateVi(input.from) : localDate(now, deps.settings.timeZone);
  const reason = parseRetirementReason(input.reason);
  const detail = checkDetail(input.detail);
  const before = await requireUnit(deps, unitId);
  const retired: UnitRetirement = { from, reason, ...(detail ? { detail } : {}), at: now.toISOString() };
  const unit: Unit = { ...before, active: false, retired, updatedAt: now.toISOString() };
  await deps.plans.putUnits([unit]);
  const withdrawal: Withdrawal = {
    from,
    reason: 'retired',
    detail: retirementText(retired),
    at: now.toISOString(),
  };
  const withdrawn: PeriodRef[] = [];
  for (const period of await periodsNotClosed(deps)) {
    const assignment = await deps.submissions.getAssignment(period.planId, period.year, unit.id);
    if (!assignment) continue;
    const current = assignment.withdrawn;
    // No longer a recipient of the plan: that withdrawal stands, whatever happens to the unit.
    if (current?.reason === 'not-recipient') continue;
    if (from <= period.closeDate) {
      await deps.submissions.setWithdrawn(period.planId, period.year, unit.id, withdrawal);
      withdrawn.push(refOf(period));
    } else if (current) {
      // Retired again from a date after this period: it reports in the whole period.
      await deps.submissions.setWithdrawn(period.planId, period.year, unit.id, null);
    }
  }
  return { unit, withdrawn };
}

/**
 * Reinstates a retired unit: active again, a recipient of the plans that name it (or name no
 * units), and its withdrawals for retirement cleared in every period not closed: its link works
 * again there. No e-mail is sent.
 * @throws NotFoundError; ConflictError when the unit is not retired.
 */
export async function reinstateUnit(deps: Deps, unitId: string): Promise<ReinstateResult> {
  const now = deps.clock.now();
  const before = await requireUnit(deps, unitId);
  if (!before.retired && before.active) {
    throw new ConflictError(`Unit ${unitId} is not retired`, `Đơn vị "${before.name}" đang hoạt động.`);
  }
  const unit: Unit = { ...before, active: true, retired: null, updatedAt: now.toISOString() };
  await deps.plans.putUnits([unit]);
  const restored: PeriodRef[] = [];
  const notAssigned: PeriodRef[] = [];
  const plans = new Map((await deps.plans.listPlans()).map((p) => [p.id, p]));
  for (const period of await periodsNotClosed(deps)) {
    const assignment = await deps.submissions.getAssignment(period.planId, period.year, unit.id);
    if (assignment?.withdrawn?.reason === 'retired') {
      await deps.submissions.setWithdrawn(period.planId, period.year, unit.id, null);
      restored.push(refOf(period));
    } else if (!assignment) {
      const plan = plans.get(period.planId);
      if (plan && recipientUnits(plan, [unit], period.openDate).length > 0) notAssigned.push(refOf(period));
    }
  }
  return { unit, restored, notAssigned };
}

function checkDetail(value: string | undefined): string | undefined {
  const detail = (value ?? '').trim().normalize('NFC');
  if (detail === '') return undefined;
  const length = charCount(detail);
  if (length > MAX_RETIREMENT_DETAIL_CHARS) {
    throw new ValidationError(
      `Retirement detail too long: ${length} characters`,
      [],
      `Ghi chú lý do dài ${length} ký tự, tối đa ${MAX_RETIREMENT_DETAIL_CHARS}.`,
    );
  }
  if (CONTROL_CHARS.test(detail)) {
    throw new ValidationError(
      'Retirement detail has control characters',
      [],
      'Ghi chú lý do chứa ký tự xuống dòng hoặc ký tự điều khiển.',
    );
  }
  return detail;
}

function refOf(period: Period): PeriodRef {
  return { planId: period.planId, year: period.year };
}
