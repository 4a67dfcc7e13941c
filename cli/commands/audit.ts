/**
 * The audit commands of `baocao` (docs/audit.md): `audit verify` proves the hash chain and the
 * signed daily digests end to end; `audit list` prints the records, newest first, filtered like
 * the web app's "Nhật ký" page. Registered on the program of cli/main.ts, with its global
 * `--json` and `--stage` options.
 *
 * `--json` prints the verification report (`{ok, chain, records, head, chainProblem, digests,
 * digestProblems, pendingDigestDays}`) or `{records: [{…record, ip?}], truncated}`. `audit verify`
 * exits with 2 when the log does not verify.
 */
import type { Command } from 'commander';
import { createAuditDeps } from '#functions/wiring/create-audit-deps.ts';
import { AUDIT_ACTOR_LABELS, AUDIT_OUTCOME_LABELS, type AuditOutcome } from '#shared/audit/events.ts';
import {
  type AuditRow,
  auditToday,
  kindLabel,
  listAuditRecords,
  MAX_AUDIT_EXPORT_ROWS,
  MAX_AUDIT_LIST_ROWS,
  parseAuditFilter,
} from '#shared/audit/list.ts';
import { type VerifyReport, verifyAuditChain } from '#shared/audit/verify.ts';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import { ValidationError } from '#shared/errors.ts';
import { connect } from '../connect.ts';
import { globals, out, subcommand } from '../output.ts';

/** Adds `audit verify` and `audit list` to the program. */
export function registerAuditCommands(program: Command): void {
  const audit = subcommand(program, 'audit', 'nhật ký kiểm tra: xác minh, xem');

  audit
    .command('verify')
    .description(
      'xác minh nhật ký: mọi bản ghi còn nguyên, đúng thứ tự, không thiếu, và khớp các bản tóm tắt hằng ngày đã ký',
    )
    .action(async (_opts, cmd: Command) => {
      const { runtime } = await connect(globals(cmd));
      const report = await verifyAuditChain(createAuditDeps(runtime));
      out(cmd, report, () => describeVerify(report));
      if (!report.ok) process.exitCode = 2;
    });

  audit
    .command('list')
    .option('--since <ngày>', 'từ ngày (dd/mm/yyyy); mặc định 30 ngày gần nhất')
    .option('--until <ngày>', 'đến ngày (dd/mm/yyyy)')
    .option('--unit <mã>', 'chỉ các sự kiện của một đơn vị (mã đơn vị)')
    .option('--kind <loại>', 'chỉ một loại sự kiện (ví dụ unit.changed, download.file)')
    .option('--actor <người>', 'chỉ các sự kiện do người này thực hiện (một phần địa chỉ e-mail)')
    .option(
      '--limit <số>',
      `số bản ghi tối đa (mặc định ${MAX_AUDIT_LIST_ROWS}, tối đa ${MAX_AUDIT_EXPORT_ROWS})`,
    )
    .description('xem nhật ký, mới nhất trước')
    .action(
      async (
        opts: {
          since?: string;
          until?: string;
          unit?: string;
          kind?: string;
          actor?: string;
          limit?: string;
        },
        cmd: Command,
      ) => {
        const limit = parseLimit(opts.limit);
        const { runtime } = await connect(globals(cmd));
        const deps = createAuditDeps(runtime);
        const filter = parseAuditFilter(opts, auditToday(deps.clock, deps.timeZone));
        const listing = await listAuditRecords(deps, filter, { limit });
        out(
          cmd,
          {
            records: listing.rows.map((r) => ({ ...r.record, ...(r.ip ? { ip: r.ip } : {}) })),
            truncated: listing.truncated,
          },
          () => describeList(listing.rows, listing.truncated, filter.since, deps.timeZone),
        );
      },
    );
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return MAX_AUDIT_LIST_ROWS;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > MAX_AUDIT_EXPORT_ROWS) {
    throw new ValidationError(
      `--limit must be 1..${MAX_AUDIT_EXPORT_ROWS}`,
      [],
      `--limit phải là số từ 1 đến ${MAX_AUDIT_EXPORT_ROWS}; nhận được "${value.slice(0, 20)}".`,
    );
  }
  return Number(value);
}

function describeVerify(report: VerifyReport): string {
  const lines: string[] = [];
  if (report.records === 0) lines.push('Nhật ký chưa có bản ghi nào.');
  else if (report.chainProblem) lines.push(`LỖI: ${report.chainProblem.message}`);
  else lines.push(`Chuỗi ${report.records} bản ghi nguyên vẹn (bản ghi cuối: số ${report.head?.seq}).`);
  for (const problem of report.digestProblems) lines.push(`LỖI: ${problem.message}`);
  lines.push(`Đã kiểm tra ${report.digests} bản tóm tắt hằng ngày đã ký.`);
  if (report.pendingDigestDays.length > 0) {
    lines.push(
      `Chưa có bản tóm tắt (sẽ được ký ở lần chạy hằng ngày tới): ${report.pendingDigestDays.map(formatDateVi).join(', ')}.`,
    );
  }
  lines.push(report.ok ? 'Kết quả: nhật ký hợp lệ.' : 'Kết quả: nhật ký KHÔNG hợp lệ.');
  return lines.join('\n');
}

function describeList(rows: AuditRow[], truncated: boolean, since: string, timeZone: string): string {
  if (rows.length === 0) return `Không có bản ghi nào từ ngày ${formatDateVi(since)}.`;
  return [
    `${rows.length} bản ghi từ ngày ${formatDateVi(since)}${truncated ? ' (còn nữa: thu hẹp bộ lọc hoặc tăng --limit)' : ''}:`,
    ...rows.map(({ record: r, ip }) => {
      const target = [r.target.unitId, r.target.planId, r.target.year, r.target.memberEmail, r.target.ref]
        .filter((v) => v !== undefined)
        .join(' · ');
      const actor = `${AUDIT_ACTOR_LABELS[r.actor.type] ?? r.actor.type} ${r.actor.id}`;
      const outcome = AUDIT_OUTCOME_LABELS[r.outcome as AuditOutcome] ?? r.outcome;
      return `  #${r.seq}  ${formatDateTimeVi(new Date(r.at), timeZone)}  ${kindLabel(r.kind)}  ${actor}${target ? `  → ${target}` : ''}  ${outcome}${ip ? `  IP ${ip}` : ''}`;
    }),
  ].join('\n');
}
