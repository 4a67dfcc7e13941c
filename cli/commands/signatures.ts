/**
 * `baocao signatures recheck PLAN YEAR`: checks the PDFs of every unit's latest submission in a
 * period again, now, against today's trust store, and keeps the new results (docs/signatures.md).
 * The checks run in this process, one file at a time.
 *
 * `--json` prints `{files: [{unitId, version, fileName, indication, code, reason, signedBy,
 * checkedAt, trustStoreVersion}]}`; a file that could not be read has `indication: null`.
 */
import type { Command } from 'commander';
import { createSignatureDeps } from '#functions/wiring/create-signature-deps.ts';
import { INDICATION_LABELS, signedBy } from '#shared/domain/signature-result.ts';
import { getPlan } from '#shared/plans/plans.ts';
import { recheckPeriod } from '#shared/signatures/recheck.ts';
import { connect } from '../connect.ts';
import { globals, out, parseYear, subcommand } from '../output.ts';

/** Adds `signatures recheck` to the program. */
export function registerSignatureCommands(program: Command): void {
  const signatures = subcommand(program, 'signatures', 'chữ ký số trên các tệp PDF đã nhận');

  signatures
    .command('recheck')
    .argument('<kế-hoạch>', 'mã kế hoạch (baocao plan list)')
    .argument('<năm>', 'năm của kỳ báo cáo, ví dụ 2026')
    .description(
      'kiểm tra lại chữ ký số của các tệp PDF mới nhất mỗi đơn vị đã nộp trong kỳ, theo danh sách tin cậy hiện tại',
    )
    .action(async (planId: string, rawYear: string, _opts, cmd: Command) => {
      const year = parseYear(rawYear);
      const { runtime, deps } = await connect(globals(cmd));
      // An unknown plan is refused with the plan commands' own message.
      await getPlan(deps, planId);
      const files = await recheckPeriod(createSignatureDeps(runtime), planId, year);
      const rows = files.map(({ file, result }) => ({
        unitId: file.unitId,
        version: file.version,
        fileName: file.fileName,
        indication: result?.indication ?? null,
        code: result?.code ?? null,
        reason: result?.reason ?? null,
        signedBy: signedBy(result),
        checkedAt: result?.checkedAt ?? null,
        trustStoreVersion: result?.trustStoreVersion ?? null,
      }));
      out(cmd, { files: rows }, () => {
        if (rows.length === 0) return `Kỳ ${year} của kế hoạch ${planId} chưa có tệp PDF nào để kiểm tra.`;
        const counts = new Map<string, number>();
        for (const r of rows) {
          const label = r.indication ? INDICATION_LABELS[r.indication] : 'Không đọc được tệp';
          counts.set(label, (counts.get(label) ?? 0) + 1);
        }
        return [
          `Đã kiểm tra lại ${rows.length} tệp PDF (danh sách tin cậy phiên bản ${rows.find((r) => r.trustStoreVersion)?.trustStoreVersion ?? '—'}):`,
          ...rows.map(
            (r) =>
              `  ${r.unitId}  ${r.fileName}: ${r.indication ? INDICATION_LABELS[r.indication] : 'Không đọc được tệp'}${r.signedBy ? ` — ${r.signedBy}` : ''}${r.indication && r.indication !== 'valid' && r.reason ? ` (${r.reason})` : ''}`,
          ),
          `Tổng: ${[...counts].map(([label, n]) => `${n} ${label}`).join(', ')}.`,
        ].join('\n');
      });
    });
}
