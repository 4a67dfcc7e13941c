/**
 * The calendar commands of `baocao`: `tick`, `plan calendar`, `period extend`. Registered on the
 * program of cli/main.ts, with its global `--json` and `--stage` options.
 */
import type { Command } from 'commander';
import { formatDateVi, parseInstant, periodDates } from '#shared/domain/calendar.ts';
import { DEFAULT_REMINDER_DAYS, type Plan } from '#shared/domain/plan.ts';
import { ValidationError } from '#shared/errors.ts';
import { DIGEST_WEEKDAY } from '#shared/periods/due-mails.ts';
import { type CalendarPatch, grantExtension, updateCalendar } from '#shared/periods/reporting-calendar.ts';
import type { PlannerSummary } from '#shared/periods/run-planner.ts';
import { getPlan } from '#shared/plans/plans.ts';
import { type Connection, connect } from '../connect.ts';
import { withLocalMailQueue } from '../local-mail.ts';
import { globals, out, parseYear, subcommand } from '../output.ts';

interface CalendarOptions {
  deadline?: string;
  openDays?: string;
  closeDays?: string;
  reminders?: string;
  timeZone?: string;
}

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Adds `tick`, `plan calendar` and `period extend` to the program. */
export function registerScheduleCommands(program: Command): void {
  program
    .command('tick')
    .option('--at <instant>', 'ISO-8601 instant to run the scheduler as of (default: now)')
    .description('run the daily scheduler: open due periods, queue reminders and digests, close periods')
    .action(async (opts: { at?: string }, cmd: Command) => {
      const at = opts.at === undefined ? new Date() : parseInstant(opts.at);
      const connection = await connect(globals(cmd).stage);
      const { summary, deadLetters } = await tickLocally(connection, at);
      out(cmd, { ...summary, mailsDeadLettered: deadLetters }, () => describeTick(summary, deadLetters));
      if (summary.failures.length > 0 || deadLetters > 0) {
        // The summary is printed already (one JSON document with --json): report and exit 1.
        const what = summary.failures.map((f) =>
          [f.planId, f.year, f.unitId, f.error].filter(Boolean).join(' '),
        );
        process.stderr.write(
          `baocao: tick finished with ${summary.failures.length} failure(s) and ${deadLetters} undeliverable e-mail(s)${what.length ? `: ${what.join('; ')}` : ''}\n`,
        );
        process.exitCode = 1;
      }
    });

  subcommand(program, 'plan', 'plans (Kế hoạch)')
    .command('calendar')
    .argument('<plan>', 'plan id')
    .option('--deadline <MM-DD>', 'yearly deadline month-day, e.g. 12-15 (02-29: 28/02 in other years)')
    .option('--open-days <n>', 'open the period this many days before the deadline (1-180)')
    .option('--close-days <n>', 'accept late reports this many days after the deadline (0-180)')
    .option(
      '--reminders <list>',
      `reminder days around the deadline, e.g. ${DEFAULT_REMINDER_DAYS.join(',')} (the default; "none": no reminders)`,
    )
    .option('--time-zone <tz>', 'IANA time zone of the calendar, e.g. Asia/Ho_Chi_Minh')
    .description('show the plan’s reporting calendar, or change it with the options')
    .action(async (planId: string, opts: CalendarOptions, cmd: Command) => {
      const patch = calendarPatch(opts);
      const { deps } = await connect(globals(cmd).stage);
      const changed = Object.keys(patch).length > 0;
      const plan = changed ? await updateCalendar(deps, planId, patch) : await getPlan(deps, planId);
      out(cmd, { planId: plan.id, changed, calendar: plan.calendar }, () => describeCalendar(plan, changed));
    });

  subcommand(program, 'period', 'reporting periods')
    .command('extend')
    .argument('<plan>', 'plan id')
    .argument('<year>', 'reporting year')
    .argument('<unit>', 'unit id')
    .requiredOption('--until <date>', 'the unit’s new deadline YYYY-MM-DD (up to the period’s close date)')
    .description('grant one unit more time; its reminders follow the new date')
    .action(
      async (planId: string, yearText: string, unitId: string, opts: { until: string }, cmd: Command) => {
        const year = parseYear(yearText);
        const { deps } = await connect(globals(cmd).stage);
        const a = await grantExtension(deps, planId, year, unitId, opts.until);
        const deadline = a.extendedDeadline;
        out(cmd, { planId, year, unitId, extendedDeadline: deadline }, () =>
          deadline
            ? `${unitId} in ${planId} ${year}: deadline extended to ${formatDateVi(deadline)}`
            : `${unitId} in ${planId} ${year}: extension withdrawn (the period's deadline applies)`,
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
      list === '' || list.toLowerCase() === 'none'
        ? []
        : list.split(',').map((s) => wholeNumber('--reminders', s.trim()));
  }
  if (opts.timeZone !== undefined) patch.timeZone = opts.timeZone;
  return patch;
}

function wholeNumber(option: string, text: string): number {
  if (!/^[+-]?\d{1,4}$/.test(text)) {
    throw new ValidationError(`${option} expects whole numbers of days, got "${text}"`);
  }
  return Number(text);
}

function describeCalendar(plan: Plan, changed: boolean): string {
  const c = plan.calendar;
  const thisYear = new Date().getUTCFullYear();
  const next = periodDates(thisYear, c);
  const steps = c.reminderDays.map((d) => (d > 0 ? `+${d}` : String(d)));
  return [
    `${plan.id} reporting calendar${changed ? ' (updated)' : ''}, time zone ${c.timeZone}`,
    `  deadline:  ${c.deadline} each year (${thisYear}: ${formatDateVi(next.deadline)})`,
    `  opens:     ${c.openDaysBefore} days before (${formatDateVi(next.openDate)})`,
    `  closes:    ${c.closeDaysAfter} days after (late reports until ${formatDateVi(next.closeDate)})`,
    `  reminders: ${steps.length ? steps.join(', ') : 'none'} (days from each unit's own deadline)`,
    `  digest:    every ${WEEKDAYS[DIGEST_WEEKDAY]} while open, and the day after the deadline`,
  ].join('\n');
}

function describeTick(s: PlannerSummary, deadLetters: number): string {
  const refs = (list: { planId: string; year: number }[]) =>
    list.length ? list.map((r) => `${r.planId} ${r.year}`).join(', ') : '-';
  return [
    `Tick as of ${s.at}`,
    `  periods opened:    ${refs(s.opened)}`,
    `  periods closed:    ${refs(s.closed)}`,
    `  exports requested: ${refs(s.exportsRequested)}`,
    `  e-mails queued:    ${s.mails.opened} opened, ${s.mails.reminder} reminders, ${s.mails.digest} digests`,
    ...(deadLetters ? [`  undeliverable:     ${deadLetters}`] : []),
    ...s.skipped.map((k) => `  skipped ${k.planId} ${k.year}: ${k.reason}`),
    ...s.failures.map(
      (f) => `  FAILED ${[f.planId, f.year, f.unitId].filter(Boolean).join(' ')}: ${f.error}`,
    ),
  ].join('\n');
}
