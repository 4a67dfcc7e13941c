/**
 * `baocao` — the committee's command line. Every command accepts `--json` (machine-readable
 * output on stdout) and exits non-zero with a one-line error on bad input. Help, human output and
 * errors are Vietnamese (cli/describe-vi.ts, cli/commander-vi.ts); `--json` keeps ISO times.
 */
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { inProcessDocumentReader } from '#functions/document-reader.ts';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { formatBytes } from '#shared/domain/bytes.ts';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import { CsvValidationError, DomainError, PlanDocumentError, ValidationError } from '#shared/errors.ts';
import { writeExportToFile } from '#shared/export/build-export.ts';
import { exportZipName } from '#shared/export/names.ts';
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
import { auditCliActions } from './audit-trail.ts';
import { speakVietnamese } from './commander-vi.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerCommitteeCommands } from './commands/committees.ts';
import { registerMemberCommands } from './commands/members.ts';
import { describeImport, importJson, registerPlanCommands } from './commands/plans.ts';
import { registerReportCommands } from './commands/report.ts';
import { registerScheduleCommands } from './commands/schedule.ts';
import { registerSignatureCommands } from './commands/signatures.ts';
import { registerTrustCommands } from './commands/trust.ts';
import { registerUnitCommands } from './commands/units.ts';
import { connect } from './connect.ts';
import { describeStatus, formatMonthDayVi, frequencyVi } from './describe-vi.ts';
import { withLocalMailQueue } from './local-mail.ts';
import { globals, out, parseYear, readInput, subcommand } from './output.ts';

const program = new Command('baocao')
  .description(
    'baocao: thu báo cáo hằng năm của các đơn vị trực thuộc Đảng ủy qua liên kết nộp báo cáo riêng của từng đơn vị',
  )
  .option('--json', 'in kết quả dạng JSON (cho máy đọc) ra stdout')
  .option('--stage <tên>', 'làm việc với hệ thống đã triển khai trên AWS thay cho hệ thống cục bộ')
  .option('--committee <mã>', 'cấp ủy được làm việc (bỏ qua được khi hệ thống chỉ có một cấp ủy)')
  .exitOverride();

const plan = subcommand(program, 'plan');

plan
  .command('import')
  .argument('<tệp>', 'tài liệu kế hoạch (.txt, .docx hoặc .pdf có lớp chữ)')
  .option(
    '--allow-incomplete',
    'vẫn lưu khi thiếu tên, cơ quan ban hành, nhiệm vụ hoặc định kỳ báo cáo (điền sau)',
  )
  .description('nhập một tài liệu kế hoạch và in mã kế hoạch')
  .action(async (file: string, opts: { allowIncomplete?: boolean }, cmd: Command) => {
    const bytes = await readInput(file, MAX_PLAN_DOCUMENT_BYTES, (size) => planDocumentTooLarge(file, size));
    const { deps } = await connect(globals(cmd));
    const result = await importPlan(deps, bytes, file, {
      allowIncomplete: opts.allowIncomplete === true,
      reader: inProcessDocumentReader,
    });
    out(cmd, importJson(result), () => describeImport(result, frequencyVi(result.plan.reportingFrequency)));
  });

plan
  .command('show')
  .argument('<kế-hoạch>', 'mã kế hoạch, ví dụ 12-kh-dus-2025')
  .description('xem một kế hoạch đã lưu')
  .action(async (planId: string, _opts, cmd: Command) => {
    const { deps } = await connect(globals(cmd));
    const p = await getPlan(deps, planId);
    out(cmd, p, () =>
      [
        `${p.id}  Kế hoạch số ${p.number}${p.date ? ` ngày ${formatDateVi(p.date)}` : ''} — ${p.issuer}`,
        `  ${p.title}`,
        p.superior
          ? `  thực hiện văn bản số ${p.superior.number}${p.superior.date ? ` ngày ${formatDateVi(p.superior.date)}` : ''}`
          : '  không thực hiện văn bản cấp trên nào',
        ...p.taskGroups.map((t) => `  ${t.number}. ${t.title}`),
        `  nơi nhận: ${p.recipients.join('; ')}`,
        `  báo cáo: ${frequencyVi(p.calendar.frequency)}, hạn nộp ${formatMonthDayVi(p.calendar.deadline)} hằng năm (múi giờ ${p.calendar.timeZone})`,
      ].join('\n'),
    );
  });

subcommand(program, 'units')
  .command('import')
  .argument('<tệp>', 'tệp CSV có các cột id,name,email[,cc] (UTF-8)')
  .description('thêm mới hoặc cập nhật đơn vị từ tệp CSV; chỉ cần một dòng sai là không nhập gì cả')
  .action(async (file: string, _opts, cmd: Command) => {
    const bytes = await readInput(file, MAX_UNITS_CSV_BYTES, (size) => unitsCsvTooLarge(file, size));
    const { deps } = await connect(globals(cmd));
    const result = await importUnits(deps, bytes);
    out(
      cmd,
      result,
      () =>
        `${result.total} đơn vị: ${result.created} thêm mới, ${result.updated} cập nhật, ${result.unchanged} không đổi` +
        (result.assignmentsUpdated
          ? `; ${result.assignmentsUpdated} đơn vị trong các kỳ đang mở đã dùng tên và địa chỉ mới`
          : ''),
    );
  });

subcommand(program, 'period')
  .command('open')
  .argument('<kế-hoạch>', 'mã kế hoạch')
  .argument('<năm>', 'năm báo cáo, ví dụ 2026')
  .option('--deadline <YYYY-MM-DD>', 'hạn nộp (mặc định: hạn nộp của kế hoạch trong năm đó)')
  .description('mở kỳ báo cáo ngay và gửi liên kết nộp báo cáo cho mọi đơn vị nhận kế hoạch')
  .action(async (planId: string, yearText: string, opts: { deadline?: string }, cmd: Command) => {
    const year = parseYear(yearText);
    const connection = await connect(globals(cmd));
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
        `${r.created ? 'Đã mở' : 'Đã mở từ trước:'} kỳ báo cáo năm ${year} của kế hoạch ${planId}, hạn nộp ${formatDateVi(r.period.deadline)}; ${r.assignments.length} đơn vị (${r.assignmentsCreated} đơn vị mới thêm); đã gửi ${mailed - deadLetters} liên kết qua e-mail`,
    );
    if (unqueued > 0 || deadLetters > 0) {
      throw new Error(
        `không gửi được ${unqueued + deadLetters} e-mail chứa liên kết (không xếp được vào hàng đợi hoặc không chuyển được); hãy gửi lại bằng baocao link … --resend`,
      );
    }
  });

program
  .command('status')
  .argument('<kế-hoạch>', 'mã kế hoạch')
  .argument('<năm>', 'năm báo cáo')
  .description(
    'tình trạng từng đơn vị (đúng hạn, trễ hạn, chưa nộp) với thời điểm nộp, số tệp, gia hạn, lỗi e-mail, và các tỷ lệ',
  )
  .action(async (planId: string, yearText: string, _opts, cmd: Command) => {
    const year = parseYear(yearText);
    const { deps } = await connect(globals(cmd));
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
    out(cmd, json, () => describeStatus(s));
  });

registerScheduleCommands(program);
registerPlanCommands(program);
registerMemberCommands(program);
registerUnitCommands(program);
registerAuditCommands(program);
registerTrustCommands(program);
registerSignatureCommands(program);
registerCommitteeCommands(program);
registerReportCommands(program);
program
  .command('link')
  .argument('<kế-hoạch>', 'mã kế hoạch')
  .argument('<năm>', 'năm báo cáo')
  .argument('<đơn-vị>', 'mã đơn vị')
  .option('--resend', 'gửi lại liên kết cho đơn vị qua e-mail')
  .option('--revoke', 'thu hồi liên kết hiện tại và cấp liên kết mới (chỉ đơn vị này bị ảnh hưởng)')
  .description('in, gửi lại hoặc thu hồi liên kết nộp báo cáo của một đơn vị')
  .action(async (planId: string, yearText: string, unitId: string, opts: SendLinkOptions, cmd: Command) => {
    const year = parseYear(yearText);
    const connection = await connect(globals(cmd));
    const deps = createUploadDeps(connection.runtime);
    const { result, deadLetters } = await withLocalMailQueue(connection, (runtime) =>
      manageLink(deps, runtime.mailQueue, planId, year, unitId, opts),
    );
    if (deadLetters > 0) throw new Error('không gửi được e-mail chứa liên kết cho đơn vị');
    const period = await connection.deps.plans.getPeriod(planId, year);
    const zone = period?.timeZone ?? connection.deps.settings.timeZone;
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
          `  dùng được đến ${formatDateTimeVi(result.link.expiresAt, zone)}` +
            (result.revoked ? '; các liên kết trước đã bị thu hồi' : '') +
            (result.resent ? '; đã gửi e-mail cho đơn vị' : ''),
        ].join('\n'),
    );
  });
program
  .command('export')
  .argument('<kế-hoạch>', 'mã kế hoạch')
  .argument('<năm>', 'năm báo cáo')
  .option(
    '--out <tệp.zip>',
    'nơi lưu tệp ZIP (mặc định: tong-hop-<kế-hoạch>-<năm>.zip trong thư mục hiện tại, tên như khi tải từ trang web)',
  )
  .description(
    'lập bản tổng hợp kết quả (summary.csv, tong-hop.xlsx, bao-cao-tong-hop.docx và tệp của từng đơn vị) rồi lưu thành tệp ZIP',
  )
  .action(async (planId: string, yearText: string, opts: { out?: string }, cmd: Command) => {
    const year = parseYear(yearText);
    const out_ = resolve(opts.out ?? exportZipName(planId, year));
    if (!out_.toLowerCase().endsWith('.zip'))
      throw new ValidationError(
        `--out must name a .zip file, got "${opts.out}"`,
        [],
        `--out phải là tên một tệp .zip, nhận được "${opts.out}"`,
      );
    const { runtime } = await connect(globals(cmd));
    const result = await writeExportToFile(createExportDeps(runtime), planId, year, out_);
    out(
      cmd,
      { file: out_, ...result },
      () => `${out_}\n  ${result.units} đơn vị, ${result.files} tệp, ${formatBytes(result.bytes)}`,
    );
  });

/**
 * Ends the command on an error: one line on stderr (`baocao: …`), and with `--json` the error as
 * `{error: {code, message, details}}` on stdout (`message` in English, `details` line-numbered).
 */
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
  // People read stderr: a domain error's Vietnamese text (`userMessage`); anything else is a fault
  // of the system, not of the input, and keeps its own (technical) text.
  const shown = error instanceof DomainError ? error.userMessage : `Lỗi hệ thống: ${message}`;
  process.stderr.write(`baocao: ${shown.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(error instanceof DomainError || error instanceof CommanderError ? 1 : 2);
}

speakVietnamese(program);
// Each change a command made is recorded in the audit log (cli/audit-trail.ts).
auditCliActions(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) process.exit(0);
    process.exit(error.exitCode || 1);
  }
  fail(error, process.argv.includes('--json'));
}
