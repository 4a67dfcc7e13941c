/**
 * `baocao report submit PLAN YEAR FILE…` (docs/tenancy.md "Roll-up"): the committee's own report
 * for its plan PLAN, sent up to its parent's period of the plan it carries out — through the
 * same grant → S3 → on-upload path as a branch's upload, so it is checked, receipted and kept
 * the same way (the receipt goes to the address the parent lists for this committee).
 *
 * The first time, the parent's plan matched by the superior document's number is shown and the
 * command asks to be run again with `--confirm`; the confirmed match is kept.
 * `--json` prints `{status, link, unitId?, submission?, files?}`.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { committeeDirectory } from '#functions/wiring/committee-directory.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { DynamoRollUpStore } from '#shared/adapters/dynamodb/roll-up-store.ts';
import { FetchGrantPoster } from '#shared/adapters/s3/grant-poster.ts';
import { formatBytes } from '#shared/domain/bytes.ts';
import { PayloadTooLargeError } from '#shared/errors.ts';
import { contentTypeOf, submitOwnReport } from '#shared/tenancy/roll-up.ts';
import { connect } from '../connect.ts';
import { globals, out, parseYear, readInput, subcommand } from '../output.ts';

export function registerReportCommands(program: Command): void {
  subcommand(program, 'report')
    .command('submit')
    .argument('<kế-hoạch>', 'mã kế hoạch của cấp ủy này (xem: baocao plan list)')
    .argument('<năm>', 'năm của kỳ báo cáo')
    .argument('<tệp...>', 'các tệp báo cáo (tối đa 10: .pdf, .docx, .xlsx …)')
    .option('--confirm', 'xác nhận kế hoạch cấp trên được đối chiếu (chỉ cần lần đầu)')
    .description('gửi báo cáo của cấp ủy này lên kỳ báo cáo tương ứng của cấp ủy cấp trên')
    .action(
      async (planId: string, rawYear: string, paths: string[], opts: { confirm?: boolean }, cmd: Command) => {
        const year = parseYear(rawYear);
        const connection = await connect(globals(cmd));
        const { runtime, base } = connection;
        const maxBytes = runtime.config.MAX_UPLOAD_BYTES;
        const files = [];
        for (const path of paths) {
          const bytes = await readInput(
            path,
            maxBytes,
            () =>
              new PayloadTooLargeError(
                `${path} is over ${maxBytes} bytes`,
                `Tệp "${basename(path)}" lớn hơn ${formatBytes(maxBytes)}, mức tối đa của một tệp báo cáo.`,
              ),
          );
          const name = basename(path).normalize('NFC');
          files.push({ name, contentType: contentTypeOf(name), bytes });
        }
        const uploads = committeeDirectory(base, (r) => createUploadDeps(r));
        const result = await submitOwnReport(
          {
            registry: createRegistryDeps(base),
            child: {
              committeeId: runtime.scope.committeeId,
              deps: connection.deps,
              rollUps: new DynamoRollUpStore(runtime.dynamo, runtime.config.PLANS_TABLE),
            },
            uploadsOf: (id) => uploads.get(id),
            poster: new FetchGrantPoster(),
          },
          { planId, year, files, confirm: opts.confirm === true, by: 'cli' },
        );
        out(cmd, result, () =>
          result.status === 'needs-confirmation'
            ? [
                `Kế hoạch này thực hiện kế hoạch "${result.parentPlanTitle}" (${result.link.parentPlanId}) của cấp ủy ${result.link.parentId}.`,
                'Nếu đúng, chạy lại lệnh với --confirm để gửi báo cáo (chỉ cần xác nhận một lần).',
              ].join('\n')
            : [
                `Đã gửi ${result.files.length} tệp lên kỳ báo cáo năm ${year} của ${result.link.parentId} (kế hoạch ${result.link.parentPlanId}), lần nộp ${result.submission}.`,
                'Cấp trên ghi nhận và gửi biên nhận qua e-mail như với báo cáo của chi bộ.',
              ].join('\n'),
        );
        if (result.status === 'needs-confirmation') process.exitCode = 2;
      },
    );
}
