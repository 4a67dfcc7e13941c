/**
 * Who reports on a plan: every active unit (the default, `recipientUnitIds: null`) or a chosen
 * set. A change is shown before it is confirmed and, once confirmed, reaches the plan's periods
 * not closed at once: units that leave are withdrawn from today (they leave the expected count;
 * their history and files stay), units that join are assigned and e-mailed their link at once
 * (or, for a unit that had left, have their withdrawal cleared: its link works again). See
 * docs/units.md.
 */
import { formatCountVi } from '#shared/domain/bytes.ts';
import { localDate } from '#shared/domain/calendar.ts';
import { type Assignment, isWithdrawn, type Period, type Withdrawal } from '#shared/domain/period.ts';
import type { Unit } from '#shared/domain/unit.ts';
import { ValidationError } from '#shared/errors.ts';
import { MAX_PLAN_RECIPIENTS } from '#shared/input-limits.ts';
import { openPeriod, recipientUnits } from '#shared/periods/periods.ts';
import type { UnitMailDeps } from '#shared/periods/ports.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';

/** A unit as a change names it. */
export interface UnitRef {
  unitId: string;
  unitName: string;
}

/** What a change does to one period not closed. */
export interface PeriodRecipientsChange {
  year: number;
  /** Units assigned (and e-mailed their link), or whose withdrawal is cleared. */
  joining: UnitRef[];
  /** Units withdrawn from today: they leave the expected count. */
  leaving: UnitRef[];
  /** After a confirmed change: units e-mailed their link now. */
  announced?: number;
  /** After a confirmed change: what could not be done in this period (Vietnamese). */
  problem?: string;
}

/** A change of a plan's recipients: its preview, or (with `applied`) what was done. */
export interface RecipientsChange {
  planId: string;
  /** The stored choice before: null = every active unit. */
  before: string[] | null;
  /** The choice asked for (sorted, without repeats). */
  after: string[] | null;
  /** Units that report on the plan's next periods and did not before (active units, today). */
  joining: UnitRef[];
  /** Units that reported on the plan's next periods and no longer will. */
  leaving: UnitRef[];
  /** The periods not closed, and what happens to each. */
  periods: PeriodRecipientsChange[];
  /** Whether the choice was stored (only with `confirm`). */
  applied: boolean;
}

/**
 * Previews or (with `confirm`) applies a new choice of recipients for a plan. Without `confirm`
 * nothing is written. Unknown, retired or repeated unit ids, an empty choice or more than
 * {@link MAX_PLAN_RECIPIENTS} ids are refused with a Vietnamese message, and nothing changes.
 *
 * With `confirm`: the choice is stored, then in each period of the plan not closed the leaving
 * units are withdrawn from today (reason `not-recipient`), the joining ones have a `not-recipient`
 * withdrawal cleared or get their assignment through `openPeriod`, which e-mails them their link
 * at once when the period's opening e-mails were sent already (else the opening covers them).
 */
export async function changeRecipients(
  deps: UnitMailDeps,
  planId: string,
  unitIds: readonly string[] | null,
  options: { confirm?: boolean } = {},
): Promise<RecipientsChange> {
  const plan = await getPlan(deps, planId);
  const units = await deps.plans.listUnits();
  const after = checkChoice(unitIds, units);
  const now = deps.clock.now();
  const today = localDate(now, plan.calendar.timeZone);
  const names = new Map(units.map((u) => [u.id, u.name]));
  const ref = (unitId: string, fallback?: string): UnitRef => ({
    unitId,
    unitName: names.get(unitId) ?? fallback ?? unitId,
  });

  const beforeSet = new Set(recipientUnits(plan, units, today).map((u) => u.id));
  const afterSet = new Set(recipientUnits({ recipientUnitIds: after }, units, today).map((u) => u.id));
  const periods = (await deps.plans.listPeriods(plan.id))
    .filter((p) => p.status !== 'closed')
    .sort((a, b) => a.year - b.year);
  const perPeriod: { period: Period; change: PeriodRecipientsChange; writes: Write[]; assign: boolean }[] =
    [];
  for (const period of periods) {
    const assignments = await deps.submissions.listAssignments(plan.id, period.year);
    perPeriod.push({ period, ...periodChange(period, assignments, units, after, now, ref) });
  }
  const change: RecipientsChange = {
    planId: plan.id,
    before: plan.recipientUnitIds,
    after,
    joining: [...afterSet].filter((id) => !beforeSet.has(id)).map((id) => ref(id)),
    leaving: [...beforeSet].filter((id) => !afterSet.has(id)).map((id) => ref(id)),
    periods: perPeriod.map((p) => p.change),
    applied: false,
  };
  if (!options.confirm) return change;

  await deps.plans.updateRecipients(plan.id, after, now.toISOString());
  for (const { period, change: periodResult, writes, assign } of perPeriod) {
    periodResult.announced = 0;
    for (const write of writes) {
      await deps.submissions.setWithdrawn(plan.id, period.year, write.unitId, write.withdrawn);
    }
    if (!assign) continue;
    try {
      const opened = await openPeriod(deps, {
        planId: plan.id,
        year: period.year,
        openDate: period.openDate,
        deadline: period.deadline,
      });
      periodResult.announced = opened.announced;
      if (opened.announceFailures.length > 0) {
        periodResult.problem = `chưa gửi được liên kết cho ${opened.announceFailures.map((f) => f.unitId).join(', ')}; hệ thống sẽ gửi lại ở lần chạy hằng ngày tiếp theo`;
      }
    } catch (error) {
      // A period past its close date takes no new unit; the others went on.
      if (!(error instanceof ValidationError)) throw error;
      periodResult.problem = `không giao được cho đơn vị mới: ${error.userMessage}`;
    }
  }
  return { ...change, applied: true };
}

/** One write of a change: an assignment's withdrawal set or cleared. */
interface Write {
  unitId: string;
  withdrawn: Withdrawal | null;
}

function periodChange(
  period: Period,
  assignments: readonly Assignment[],
  units: readonly Unit[],
  after: string[] | null,
  now: Date,
  ref: (unitId: string, fallback?: string) => UnitRef,
): { change: PeriodRecipientsChange; writes: Write[]; assign: boolean } {
  const today = localDate(now, period.timeZone);
  const chosen = after ? new Set(after) : undefined;
  const target = new Set(
    recipientUnits({ recipientUnitIds: after }, units, period.openDate).map((u) => u.id),
  );
  const byUnit = new Map(assignments.map((a) => [a.unitId, a]));
  const change: PeriodRecipientsChange = { year: period.year, joining: [], leaving: [] };
  const writes: Write[] = [];
  let assign = false;
  for (const unitId of target) {
    const a = byUnit.get(unitId);
    if (!a) {
      change.joining.push(ref(unitId));
      // openPeriod creates the assignment (and e-mails the unit).
      assign = true;
    } else if (a.withdrawn?.reason === 'not-recipient') {
      change.joining.push(ref(unitId, a.unitName));
      writes.push({ unitId, withdrawn: null });
    }
  }
  for (const a of assignments) {
    if (!chosen || chosen.has(a.unitId) || a.withdrawn?.reason === 'not-recipient') continue;
    // A unit retired earlier keeps its date: it stopped reporting then.
    const from = a.withdrawn && a.withdrawn.from < today ? a.withdrawn.from : today;
    writes.push({
      unitId: a.unitId,
      withdrawn: {
        from,
        reason: 'not-recipient',
        ...(a.withdrawn?.detail ? { detail: a.withdrawn.detail } : {}),
        at: now.toISOString(),
      },
    });
    // One already withdrawn (retired) is not expected any more: it is not "leaving".
    if (!isWithdrawn(a, today)) change.leaving.push(ref(a.unitId, a.unitName));
  }
  return { change, writes, assign };
}

/** The choice, checked: sorted ids of existing, not retired units; or null (every active unit). */
function checkChoice(unitIds: readonly string[] | null, units: readonly Unit[]): string[] | null {
  if (unitIds === null) return null;
  const ids = [...new Set(unitIds.map((id) => String(id).trim()).filter(Boolean))].sort();
  if (ids.length === 0) {
    throw new ValidationError(
      'No unit chosen',
      [],
      'Hãy chọn ít nhất một đơn vị, hoặc chọn "Tất cả đơn vị đang hoạt động".',
    );
  }
  if (ids.length > MAX_PLAN_RECIPIENTS) {
    throw new ValidationError(
      `Too many units: ${ids.length}`,
      [],
      `Chọn nhiều nhất ${formatCountVi(MAX_PLAN_RECIPIENTS)} đơn vị (đã chọn ${formatCountVi(ids.length)}); nếu cần nhiều hơn, hãy chọn "Tất cả đơn vị đang hoạt động".`,
    );
  }
  const byId = new Map(units.map((u) => [u.id, u]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 20).map((id) => `"${id.slice(0, 64)}"`);
    throw new ValidationError(
      `Unknown units: ${unknown.slice(0, 20).join(', ')}`,
      [],
      `Không có đơn vị mã ${shown.join(', ')}${unknown.length > 20 ? ` và ${unknown.length - 20} mã khác` : ''}; không thay đổi gì.`,
    );
  }
  const retired = ids.filter((id) => byId.get(id)!.retired || !byId.get(id)!.active);
  if (retired.length > 0) {
    throw new ValidationError(
      `Retired units: ${retired.join(', ')}`,
      [],
      `Đơn vị đã thôi báo cáo: ${retired.map((id) => byId.get(id)!.name).join(', ')}; hãy khôi phục đơn vị trước khi chọn. Không thay đổi gì.`,
    );
  }
  return ids;
}
