/**
 * The CLI's human output, in Vietnamese: dates `dd/mm/yyyy`, instants `dd/mm/yyyy HH:mm` in the
 * zone of the period or plan they belong to (else the committee's), rates as percentages with a
 * decimal comma. Pure functions of the use cases' results, so the text is tested without a stack;
 * `--json` prints the results themselves (ISO dates and instants).
 */
import { formatDateTimeVi, formatDateVi, localDate, periodDates } from '#shared/domain/calendar.ts';
import type { WithdrawalReason } from '#shared/domain/period.ts';
import type { Plan, ReportingFrequency } from '#shared/domain/plan.ts';
import { STATUS_LABELS } from '#shared/export/summary-columns.ts';
import { percentVi } from '#shared/export/text.ts';
import { DIGEST_WEEKDAY } from '#shared/periods/due-mails.ts';
import type { PeriodStatus, StatusRow } from '#shared/periods/periods.ts';
import type { PlannerSummary } from '#shared/periods/run-planner.ts';

/** ISO weekday (1 Monday … 7 Sunday) as Vietnamese writes it. */
const WEEKDAYS_VI = ['', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'];

const FREQUENCIES_VI: Record<ReportingFrequency, string> = { yearly: 'hằng năm' };

/** `yearly` → `hằng năm`. */
export function frequencyVi(frequency: ReportingFrequency): string {
  return FREQUENCIES_VI[frequency] ?? frequency;
}

/** A yearly month-day `MM-DD` as `dd/mm`: `12-15` → `15/12`. */
export function formatMonthDayVi(monthDay: string): string {
  const match = /^(\d{2})-(\d{2})$/.exec(monthDay);
  return match ? `${match[2]}/${match[1]}` : monthDay;
}

/**
 * `baocao status`: the period, the counts and rates, then one line per expected unit — its name
 * and id, status, when it submitted, its files, its extension and its e-mail problem — and the
 * units withdrawn from the period (retired, or no longer recipients), apart.
 */
export function describeStatus(s: PeriodStatus): string {
  const { plan, period } = s;
  const zone = period.timeZone;
  return [
    `Kế hoạch số ${plan.number} — kỳ báo cáo năm ${period.year} (${period.status === 'open' ? 'đang mở' : 'đã đóng'}), ` +
      `hạn nộp ${formatDateVi(period.deadline)}, nhận báo cáo đến hết ${formatDateVi(period.closeDate)}`,
    `  Đã nộp: ${s.reported}/${s.expected} đơn vị, trong đó đúng hạn: ${s.onTime}`,
    `  Tỷ lệ đầy đủ: ${percentVi(s.completeness)} · Tỷ lệ đúng hạn: ${percentVi(s.timeliness)}`,
    ...(period.exportRequestedAt
      ? [`  Bản tổng hợp: đã yêu cầu lúc ${formatDateTimeVi(period.exportRequestedAt, zone)}`]
      : []),
    ...s.rows.map((row) => `  ${describeStatusRow(row, period.deadline, zone)}`),
    ...(s.withdrawn.length > 0
      ? [
          `  Không còn báo cáo trong kỳ này (ngoài số phải báo cáo và các tỷ lệ): ${s.withdrawn.length} đơn vị`,
          ...s.withdrawn.map((row) => `  ${describeStatusRow(row, period.deadline, zone)}`),
        ]
      : []),
  ].join('\n');
}

const WITHDRAWAL_REASONS_VI: Record<WithdrawalReason, string> = {
  retired: 'đơn vị thôi hoạt động',
  'not-recipient': 'không còn là đơn vị nhận kế hoạch',
};

function describeStatusRow(row: StatusRow, periodDeadline: string, zone: string): string {
  const parts = [
    STATUS_LABELS[row.status] +
      (row.submittedAt ? `, nộp lúc ${formatDateTimeVi(row.submittedAt, zone)}, ${row.files} tệp` : ''),
  ];
  if (row.deadline !== periodDeadline) parts.push(`gia hạn đến ${formatDateVi(row.deadline)}`);
  if (row.withdrawn) {
    const w = row.withdrawn;
    const why = WITHDRAWAL_REASONS_VI[w.reason] + (w.detail ? ` (${w.detail})` : '');
    parts.push(`không còn báo cáo từ ${formatDateVi(w.from)}: ${why}`);
  }
  if (row.mailProblem) {
    parts.push(
      `lỗi gửi e-mail lúc ${formatDateTimeVi(row.mailProblem.at, zone)}: ${row.mailProblem.problem}`,
    );
  }
  return `${row.unitName} (${row.unitId}): ${parts.join('; ')}`;
}

/** `baocao plan calendar`: the yearly calendar, with this year's dates in the plan's zone. */
export function describeCalendar(plan: Plan, changed: boolean, now: Date): string {
  const c = plan.calendar;
  const thisYear = Number(localDate(now, c.timeZone).slice(0, 4));
  const next = periodDates(thisYear, c);
  const steps = c.reminderDays.map((d) => (d > 0 ? `+${d}` : String(d)));
  return [
    `Lịch báo cáo của kế hoạch ${plan.id}${changed ? ' (đã cập nhật)' : ''}, múi giờ ${c.timeZone}`,
    `  hạn nộp:   ngày ${formatMonthDayVi(c.deadline)} hằng năm (năm ${thisYear}: ${formatDateVi(next.deadline)})`,
    `  mở kỳ:     ${c.openDaysBefore} ngày trước hạn nộp (${formatDateVi(next.openDate)})`,
    `  đóng kỳ:   ${c.closeDaysAfter} ngày sau hạn nộp (nhận báo cáo trễ đến hết ${formatDateVi(next.closeDate)})`,
    `  nhắc hạn:  ${steps.length ? steps.join(', ') : 'không nhắc'} (số ngày so với hạn nộp của từng đơn vị; âm: trước hạn, dương: sau hạn)`,
    `  tổng hợp:  gửi văn phòng mỗi ${WEEKDAYS_VI[DIGEST_WEEKDAY]} khi kỳ đang mở, và ngày sau hạn nộp`,
  ].join('\n');
}

/** `baocao tick`: what the planner did, its instant in the committee's zone. */
export function describeTick(s: PlannerSummary, deadLetters: number, timeZone: string): string {
  const refs = (list: { planId: string; year: number }[]) =>
    list.length ? list.map((r) => `${r.planId} năm ${r.year}`).join(', ') : '-';
  return [
    `Bộ lập lịch chạy cho thời điểm ${formatDateTimeVi(s.at, timeZone)} (${timeZone})`,
    `  kỳ đã mở:            ${refs(s.opened)}`,
    `  kỳ đã đóng:          ${refs(s.closed)}`,
    `  đã yêu cầu tổng hợp: ${refs(s.exportsRequested)}`,
    `  e-mail đã xếp hàng:  ${s.mails.opened} mở kỳ, ${s.mails.reminder} nhắc hạn, ${s.mails.digest} tổng hợp`,
    ...(deadLetters ? [`  không gửi được:      ${deadLetters} e-mail`] : []),
    ...s.skipped.map((k) => `  bỏ qua ${k.planId} năm ${k.year}: ${k.reason}`),
    ...s.failures.map((f) => `  LỖI ${failureRef(f)}: ${f.error}`),
  ].join('\n');
}

/** `12-kh-dus-2025 năm 2026 cb-a`: the plan, year and unit a planner failure names (each optional). */
export function failureRef(f: PlannerSummary['failures'][number]): string {
  return [f.planId, f.year === undefined ? undefined : `năm ${f.year}`, f.unitId].filter(Boolean).join(' ');
}
