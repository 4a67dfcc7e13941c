/**
 * `baocao` — the committee's command line. Every command accepts `--json` (machine-readable
 * output on stdout) and exits non-zero with a one-line error on bad input.
 */
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { formatDateVi } from '#shared/domain/calendar.ts';
import {
  CsvValidationError,
  DomainError,
  PayloadTooLargeError,
  PlanDocumentError,
  ValidationError,
} from '#shared/errors.ts';
import { writeExportToFile } from '#shared/export/build-export.ts';
import {
  MAX_PLAN_DOCUMENT_BYTES,
  MAX_UNITS_CSV_BYTES,
  planDocumentTooLarge,
  unitsCsvTooLarge,
} from '#shared/input-limits.ts';
import { openPeriod, periodStatus } from '#shared/periods/periods.ts';
import { announcePeriod } from '#shared/periods/run-planner.ts';
import { getPlan, importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { manageLink, type SendLinkOptions } from '#shared/uploads/send-link.ts';
import { registerScheduleCommands } from './commands/schedule.ts';
import { connect } from './connect.ts';
import { withLocalMailQueue } from './local-mail.ts';
import { globals, out, parseYear, readInput } from './output.ts';

const program = new Command('baocao')
  .description('baocao: yearly reports of a committee’s units, collected through signed upload links')
  .option('--json', 'machine-readable output on stdout')
  .option('--stage <name>', 'talk to a deployed stack instead of the local one')
  .showHelpAfterError()
  .exitOverride();

const plan = program.command('plan').description('plans (Kế hoạch)');

plan
  .command('import')
  .argument('<file>', 'plan document (.txt or .docx)')
  .description('import a plan document and print its id')
  .action(async (file: string, _opts, cmd: Command) => {
    const bytes = await readInput(file, MAX_PLAN_DOCUMENT_BYTES, (size) => planDocumentTooLarge(file, size));
    const { deps } = await connect(globals(cmd).stage);
    const { plan: p, created } = await importPlan(deps, bytes, file);
    out(cmd, { id: p.id, created, plan: p }, () =>
      [
        p.id,
        `${created ? 'Imported' : 'Updated'} plan ${p.number}: ${p.title}`,
        `  ${p.taskGroups.length} task groups, ${p.recipients.length} recipients, reporting ${p.reportingFrequency}`,
      ].join('\n'),
    );
  });

plan
  .command('show')
  .argument('<plan>', 'plan id')
  .description('show a stored plan')
  .action(async (planId: string, _opts, cmd: Command) => {
    const { deps } = await connect(globals(cmd).stage);
    const p = await getPlan(deps, planId);
    out(cmd, p, () =>
      [
        `${p.id}  Kế hoạch số ${p.number}${p.date ? ` ngày ${formatDateVi(p.date)}` : ''} — ${p.issuer}`,
        `  ${p.title}`,
        p.superior
          ? `  implements ${p.superior.number}${p.superior.date ? ` of ${formatDateVi(p.superior.date)}` : ''}`
          : '  implements no superior plan',
        ...p.taskGroups.map((t) => `  ${t.number}. ${t.title}`),
        `  recipients: ${p.recipients.join('; ')}`,
        `  reporting: ${p.calendar.frequency}, deadline ${p.calendar.deadline} (${p.calendar.timeZone})`,
      ].join('\n'),
    );
  });

program
  .command('units')
  .description('the committee’s units')
  .command('import')
  .argument('<file>', 'CSV with columns id,name,email[,cc] (UTF-8)')
  .description('create or update units from a CSV; any bad row rejects the whole file')
  .action(async (file: string, _opts, cmd: Command) => {
    const bytes = await readInput(file, MAX_UNITS_CSV_BYTES, (size) => unitsCsvTooLarge(file, size));
    const { deps } = await connect(globals(cmd).stage);
    const result = await importUnits(deps, bytes);
    out(
      cmd,
      result,
      () =>
        `${result.total} units: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged` +
        (result.assignmentsUpdated
          ? `; ${result.assignmentsUpdated} assignment(s) in open periods now use the new names and addresses`
          : ''),
    );
  });

program
  .command('period')
  .description('reporting periods')
  .command('open')
  .argument('<plan>', 'plan id')
  .argument('<year>', 'reporting year')
  .option('--deadline <date>', 'deadline YYYY-MM-DD (default: the plan’s deadline in that year)')
  .description('open a reporting period now for every recipient unit')
  .action(async (planId: string, yearText: string, opts: { deadline?: string }, cmd: Command) => {
    const year = parseYear(yearText);
    const connection = await connect(globals(cmd).stage);
    // Every unit gets its link by e-mail now, as the planner does on a scheduled open date: a
    // new period's units through announcePeriod; units added to a period already announced
    // through openPeriod itself.
    const {
      result: { r, announced },
      deadLetters,
    } = await withLocalMailQueue(connection, async (runtime) => {
      const deps = createPlannerDeps(runtime);
      const r = await openPeriod(deps, { planId, year, deadline: opts.deadline });
      return { r, announced: await announcePeriod(deps, planId, year, new Date()) };
    });
    const mailed = r.announced + announced.mails.opened;
    const unqueued = r.announceFailures.length + announced.failures.length;
    out(
      cmd,
      {
        period: r.period,
        created: r.created,
        assignmentsCreated: r.assignmentsCreated,
        units: r.assignments.length,
        linksEmailed: mailed - deadLetters,
      },
      () =>
        `${r.created ? 'Opened' : 'Already open:'} ${planId} ${year}, deadline ${formatDateVi(r.period.deadline)}, ${r.assignments.length} units (${r.assignmentsCreated} added now), ${mailed - deadLetters} links e-mailed`,
    );
    if (unqueued > 0 || deadLetters > 0) {
      throw new Error(`some link e-mails could not be queued or delivered (${unqueued + deadLetters})`);
    }
  });

program
  .command('status')
  .argument('<plan>', 'plan id')
  .argument('<year>', 'reporting year')
  .description('per unit: on_time, late or missing, with time and files')
  .action(async (planId: string, yearText: string, _opts, cmd: Command) => {
    const year = parseYear(yearText);
    const { deps } = await connect(globals(cmd).stage);
    const s = await periodStatus(deps, planId, year);
    const json = {
      planId: s.plan.id,
      year: s.period.year,
      deadline: s.period.deadline,
      expected: s.expected,
      reported: s.reported,
      onTime: s.onTime,
      completeness: s.completeness,
      timeliness: s.timeliness,
      period: s.period,
      units: s.rows,
    };
    out(cmd, json, () =>
      [
        `${s.plan.number} ${s.period.year}: ${s.reported}/${s.expected} reported, ${s.onTime} on time (deadline ${formatDateVi(s.period.deadline)})`,
        ...s.rows.map(
          (r) =>
            `  ${r.unitId.padEnd(28)} ${r.status.padEnd(8)} ${r.submittedAt ?? '-'}  ${r.files} file(s)${r.mailProblem ? `  e-mail problem: ${r.mailProblem.problem}` : ''}`,
        ),
      ].join('\n'),
    );
  });

registerScheduleCommands(program);
program
  .command('link')
  .argument('<plan>', 'plan id')
  .argument('<year>', 'reporting year')
  .argument('<unit>', 'unit id')
  .option('--resend', 'e-mail the link to the unit again')
  .option('--revoke', 'revoke the current link and issue a new one (only this unit is affected)')
  .description('print, re-send or revoke a unit’s upload link')
  .action(async (planId: string, yearText: string, unitId: string, opts: SendLinkOptions, cmd: Command) => {
    const year = parseYear(yearText);
    const connection = await connect(globals(cmd).stage);
    const deps = createUploadDeps(connection.runtime);
    const { result, deadLetters } = await withLocalMailQueue(connection, (runtime) =>
      manageLink(deps, runtime.mailQueue, planId, year, unitId, opts),
    );
    if (deadLetters > 0) throw new Error('the link e-mail could not be delivered');
    out(
      cmd,
      {
        url: result.link.url,
        expiresAt: result.link.expiresAt.toISOString(),
        revoked: result.revoked,
        resent: result.resent,
      },
      () =>
        [
          result.link.url,
          `  valid until ${result.link.expiresAt.toISOString()}${result.revoked ? '; earlier links revoked' : ''}${result.resent ? '; e-mailed to the unit' : ''}`,
        ].join('\n'),
    );
  });
program
  .command('export')
  .argument('<plan>', 'plan id')
  .argument('<year>', 'reporting year')
  .option('--out <file>', 'where to save the ZIP (default: <plan>-<year>-tong-hop.zip here)')
  .description(
    'build the consolidated results (summary.csv, tong-hop.xlsx, bao-cao-tong-hop.docx, every unit’s files) and save the ZIP',
  )
  .action(async (planId: string, yearText: string, opts: { out?: string }, cmd: Command) => {
    const year = parseYear(yearText);
    const out_ = resolve(opts.out ?? `${planId}-${year}-tong-hop.zip`);
    if (!out_.toLowerCase().endsWith('.zip'))
      throw new ValidationError(`--out must name a .zip file, got "${opts.out}"`);
    const { runtime } = await connect(globals(cmd).stage);
    const result = await writeExportToFile(createExportDeps(runtime), planId, year, out_);
    out(
      cmd,
      { file: out_, ...result },
      () => `${out_}\n  ${result.units} units, ${result.files} files, ${result.bytes} bytes`,
    );
  });

/** Errors about the file the user gave, told in Vietnamese as the user wrote it (`userMessage`). */
function isInputFileError(error: unknown): error is DomainError {
  return (
    error instanceof PlanDocumentError ||
    error instanceof CsvValidationError ||
    error instanceof PayloadTooLargeError
  );
}

function fail(error: unknown, json: boolean): never {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof DomainError ? error.code : 'ERROR';
  const details =
    error instanceof CsvValidationError
      ? error.errors.map((e) => `line ${e.line}: ${e.message}`)
      : error instanceof PlanDocumentError
        ? error.missing.map((m) => `missing: ${m}`)
        : error instanceof ValidationError
          ? [...error.details]
          : [];
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message, details } })}\n`);
  const shown = isInputFileError(error) ? error.userMessage : message;
  process.stderr.write(`baocao: ${shown.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(error instanceof DomainError || error instanceof CommanderError ? 1 : 2);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) process.exit(0);
    process.exit(error.exitCode || 1);
  }
  fail(error, process.argv.includes('--json'));
}
