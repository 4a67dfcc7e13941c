/**
 * `baocao plan list`: every plan with its current period's progress, as the committee's list of
 * plans shows it. Registered on the program of cli/main.ts (the `plan` group), with its global
 * `--json` and `--stage` options.
 */
import type { Command } from 'commander';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import { listPlanOverviews, type PlanOverview } from '#shared/periods/plan-overview.ts';
import { REQUIRED_PLAN_PARTS } from '#shared/plans/parse-plan.ts';
import type { ImportPlanResult } from '#shared/plans/plans.ts';
import { connect } from '../connect.ts';
import { globals, out, subcommand } from '../output.ts';

/** Adds `plan list` to the program. */
export function registerPlanCommands(program: Command): void {
  subcommand(program, 'plan')
    .command('list')
    .description('liệt kê các kế hoạch, mỗi kế hoạch với kỳ báo cáo hiện tại và số đơn vị đã nộp')
    .action(async (_opts, cmd: Command) => {
      const { deps } = await connect(globals(cmd));
      const plans = await listPlanOverviews(deps);
      out(cmd, { plans: plans.map(planJson) }, () => describePlans(plans, deps.settings.timeZone));
    });
}

/** One plan for `--json`: ISO dates and instants, the current period's counts. */
export function planJson({ plan, current }: PlanOverview) {
  return {
    id: plan.id,
    number: plan.number,
    date: plan.date,
    title: plan.title,
    issuer: plan.issuer,
    taskGroups: plan.taskGroups.length,
    deadline: plan.calendar.deadline,
    timeZone: plan.calendar.timeZone,
    importedAt: plan.importedAt,
    updatedAt: plan.updatedAt,
    currentPeriod: current && {
      year: current.period.year,
      status: current.period.status,
      openDate: current.period.openDate,
      deadline: current.period.deadline,
      closeDate: current.period.closeDate,
      openedAt: current.period.openedAt,
      expected: current.expected,
      reported: current.reported,
      onTime: current.onTime,
    },
  };
}

/** The human list: one block per plan; instants `dd/mm/yyyy HH:mm` in the committee's zone. */
export function describePlans(plans: PlanOverview[], timeZone: string): string {
  if (plans.length === 0) return 'Chưa có kế hoạch nào. Nhập kế hoạch: baocao plan import TỆP';
  return [
    `${plans.length} kế hoạch`,
    ...plans.flatMap(({ plan, current }) => [
      '',
      `${plan.id}  Kế hoạch số ${plan.number}${plan.date ? ` ngày ${formatDateVi(plan.date)}` : ''} — ${plan.title}`,
      `  ${plan.issuer} · ${plan.taskGroups.length} nhóm nhiệm vụ · hạn nộp ${plan.calendar.deadline.slice(3)}/${plan.calendar.deadline.slice(0, 2)} hằng năm · cập nhật ${formatDateTimeVi(plan.updatedAt, timeZone)}`,
      current
        ? `  Năm ${current.period.year}: ${current.reported}/${current.expected} đã nộp (${current.onTime} đúng hạn), ` +
          `hạn nộp ${formatDateVi(current.period.deadline)}, ${current.period.status === 'open' ? 'đang mở' : 'đã đóng'} ` +
          `(mở ${formatDateVi(current.period.openDate)}, đóng ${formatDateVi(current.period.closeDate)})`
        : '  Chưa mở kỳ báo cáo nào',
    ]),
  ].join('\n');
}

/** `plan import --json`: the id, the plan, each field's source line and what was left to complete. */
export function importJson({ plan, created, draft, defaulted }: ImportPlanResult) {
  return {
    id: plan.id,
    created,
    plan,
    sources: draft.sources,
    missing: draft.missing,
    defaulted,
    read: {
      documentType: draft.documentType,
      references: draft.references,
      reportingCycles: draft.reportingCycles,
      deadline: draft.deadline,
      reportedBy: draft.reportedBy,
      reportsTo: draft.reportsTo,
    },
  };
}

/** `plan import`: the id, what was saved, each field with the line it was read from, and what is left to complete. */
export function describeImport(
  { plan: p, created, draft, defaulted }: ImportPlanResult,
  frequency: string,
): string {
  const lines = [
    p.id,
    `${created ? 'Đã nhập' : 'Đã cập nhật'} kế hoạch số ${p.number}: ${p.title || '(chưa có tên)'}`,
    `  ${p.taskGroups.length} nhóm nhiệm vụ, ${p.recipients.length} nơi nhận, báo cáo ${frequency}`,
    `  hạn nộp ${p.calendar.deadline.slice(3)}/${p.calendar.deadline.slice(0, 2)} hằng năm${draft.deadline && created ? ' (theo tài liệu)' : ''}`,
  ];
  const sources = Object.entries(draft.sources);
  if (sources.length > 0) {
    lines.push('  Đọc từ:');
    for (const [field, source] of sources)
      lines.push(`    ${FIELD_VI[field] ?? field}: dòng ${source.line} — ${source.text.slice(0, 80)}`);
  }
  if (defaulted.length > 0) {
    lines.push(
      `  Chưa đọc được, đã lưu tạm giá trị mặc định — hãy bổ sung: ${defaulted.map((part) => REQUIRED_PLAN_PARTS[part].vi).join(', ')}`,
    );
  }
  return lines.join('\n');
}

const FIELD_VI: Record<string, string> = {
  documentType: 'loại văn bản',
  number: 'số kế hoạch',
  date: 'ngày ban hành',
  title: 'tên kế hoạch',
  issuer: 'cơ quan ban hành',
  superior: 'văn bản cấp trên',
  taskGroups: 'nhiệm vụ',
  recipients: 'nơi nhận',
  reportingFrequency: 'định kỳ báo cáo',
  deadline: 'hạn báo cáo',
  reportsTo: 'báo cáo về',
};
