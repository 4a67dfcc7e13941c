/**
 * The calendar commands of `baocao`: `tick`, `plan calendar`, `period extend`. Registered on the
 * program of cli/main.ts, with its global `--json` and `--stage` options.
 */
import type { Command } from 'commander';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { formatDateVi, parseInstant } from '#shared/domain/calendar.ts';
import { DEFAULT_REMINDER_DAYS } from '#shared/domain/plan.ts';
import { ValidationError } from '#shared/errors.ts';
import { type CalendarPatch, updateCalendar } from '#shared/periods/reporting-calendar.ts';
import type { PlannerSummary } from '#shared/periods/run-planner.ts';
import { getPlan } from '#shared/plans/plans.ts';
import { extendDeadline } from '#shared/uploads/extend-deadline.ts';
import { type Connection, connect } from '../connect.ts';
import { describeCalendar, describeTick, failureRef } from '../describe-vi.ts';
import { withLocalMailQueue } from '../local-mail.ts';
import { globals, out, parseYear, subcommand } from '../output.ts';

interface CalendarOptions {
  deadline?: string;
  openDays?: string;
  closeDays?: string;
  reminders?: string;
  timeZone?: string;
}

/** Adds `tick`, `plan calendar` and `period extend` to the program. */
export function registerScheduleCommands(program: Command): void {
  program
    .command('tick')
    .option(
      '--at <thời-điểm>',
      'chạy như vào thời điểm ISO-8601 này, ví dụ 2026-12-08T01:00:00Z (mặc định: bây giờ)',
    )
    .description(
      'chạy bộ lập lịch hằng ngày: mở các kỳ đến hạn, gửi nhắc hạn và bản tổng hợp cho văn phòng, yêu cầu tổng hợp, đóng kỳ',
    )
    .action(async (opts: { at?: string }, cmd: Command) => {
      const at = opts.at === undefined ? new Date() : parseInstant(opts.at);
      const connection = await connect(globals(cmd));
      const { summary, deadLetters } = await tickLocally(connection, at);
      out(cmd, { ...summary, mailsDeadLettered: deadLetters }, () =>
        describeTick(summary, deadLetters, connection.deps.settings.timeZone),
      );
      if (summary.failures.length > 0 || deadLetters > 0) {
        // The summary is printed already (one JSON document with --json): report and exit 1.
        const what = summary.failures.map((f) => `${failureRef(f)} ${f.error}`.trim());
        process.stderr.write(
          `baocao: bộ lập lịch chạy xong nhưng có ${summary.failures.length} lỗi và ${deadLetters} e-mail không gửi được${what.length ? `: ${what.join('; ')}` : ''}\n`,
        );
        process.exitCode = 1;
      }
    });

  subcommand(program, 'plan')
    .command('calendar')
    .argument('<kế-hoạch>', 'mã kế hoạch')
    .option(
      '--deadline <MM-DD>',
      'hạn nộp hằng năm dạng tháng-ngày, ví dụ 12-15 (02-29: ngày 28/02 ở năm không nhuận)',
    )
    .option('--open-days <số-ngày>', 'mở kỳ trước hạn nộp bấy nhiêu ngày (1-180)')
    .option('--close-days <số-ngày>', 'nhận báo cáo trễ đến bấy nhiêu ngày sau hạn nộp (0-180)')
    .option(
      '--reminders <danh-sách>',
      `các ngày nhắc tính từ hạn nộp của từng đơn vị, âm là trước hạn, dương là sau hạn, ví dụ ${DEFAULT_REMINDER_DAYS.join(',')} (mặc định); "none" hoặc "không": không nhắc`,
    )
    .option('--time-zone <múi-giờ>', 'múi giờ IANA của lịch, ví dụ Asia/Ho_Chi_Minh')
    .description('xem lịch báo cáo của kế hoạch, hoặc sửa lịch bằng các tùy chọn')
    .action(async (planId: string, opts: CalendarOptions, cmd: Command) => {
      const patch = calendarPatch(opts);
      const { deps } = await connect(globals(cmd));
      const changed = Object.keys(patch).length > 0;
      const plan = changed ? await updateCalendar(deps, planId, patch) : await getPlan(deps, planId);
      out(cmd, { planId: plan.id, changed, calendar: plan.calendar }, () =>
        describeCalendar(plan, changed, new Date()),
      );
    });

  subcommand(program, 'period')
    .command('extend')
    .argument('<kế-hoạch>', 'mã kế hoạch')
    .argument('<năm>', 'năm báo cáo')
    .argument('<đơn-vị>', 'mã đơn vị')
    .requiredOption(
      '--until <YYYY-MM-DD>',
      'hạn nộp mới của đơn vị, YYYY-MM-DD hoặc dd/mm/yyyy (không quá ngày đóng kỳ)',
    )
    .description(
      'gia hạn cho một đơn vị và gửi e-mail báo hạn mới cho đơn vị; lịch nhắc của đơn vị theo hạn mới',
    )
    .action(
      async (planId: string, yearText: string, unitId: string, opts: { until: string }, cmd: Command) => {
        const year = parseYear(yearText);
        const connection = await connect(globals(cmd));
        // As the web app does: the unit is e-mailed its new deadline (once per deadline value).
        const { result, deadLetters } = await withLocalMailQueue(connection, (runtime) =>
          extendDeadline(createUploadDeps(runtime), runtime.mailQueue, planId, year, unitId, opts.until),
        );
        if (deadLetters > 0) throw new Error('the extension e-mail could not be delivered');
        const a = result.assignment;
        const deadline = a.extendedDeadline;
        const who = `${a.unitName} (${unitId}), kỳ báo cáo năm ${year} của kế hoạch ${planId}`;
        out(cmd, { planId, year, unitId, extendedDeadline: deadline }, () =>
          deadline
            ? `${who}: đã gia hạn đến ${formatDateVi(deadline)}; đã gửi e-mail báo hạn mới cho đơn vị`
            : `${who}: đã bỏ gia hạn (áp dụng hạn nộp chung của kỳ); đã gửi e-mail báo hạn nộp cho đơn vị`,
        );
      },
    );
}

/** Runs the planner in this process against the running stack and delivers its e-mails. */
async function tickLocally(
  connection: Connection,
  at: Date,
): Promise<{ summary: PlannerSummary; deadLetters: number }> {
  const [{ createPlannerDeps }, { runPlanner }] = await Promise.all([
    import('#functions/wiring/create-planner-deps.ts'),
    import('#shared/periods/run-planner.ts'),
  ]);
  const { result: summary, deadLetters } = await withLocalMailQueue(connection, (runtime) =>
    runPlanner(createPlannerDeps(runtime), at),
  );
  return { summary, deadLetters };
}

function calendarPatch(opts: CalendarOptions): CalendarPatch {
  const patch: CalendarPatch = {};
  if (opts.deadline !== undefined) patch.deadline = opts.deadline;
  if (opts.openDays !== undefined) patch.openDaysBefore = wholeNumber('--open-days', opts.openDays);
  if (opts.closeDays !== undefined) patch.closeDaysAfter = wholeNumber('--close-days', opts.closeDays);
  if (opts.reminders !== undefined) {
    const list = opts.reminders.trim();
    patch.reminderDays =
      list === '' || ['none', 'không'].includes(list.toLowerCase())
        ? []
        : list.split(',').map((s) => wholeNumber('--reminders', s.trim()));
  }
  if (opts.timeZone !== undefined) patch.timeZone = opts.timeZone;
  return patch;
}

function wholeNumber(option: string, text: string): number {
  if (!/^[+-]?\d{1,4}$/.test(text)) {
    throw new ValidationError(
      `${option} expects whole numbers of days, got "${text}"`,
      [],
      `${option} cần số ngày là số nguyên, nhận được "${text}".`,
    );
  }
  return Number(text);
}
