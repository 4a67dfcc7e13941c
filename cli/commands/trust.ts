/**
 * `baocao trust add|list|remove`: the trust anchors that digital signatures are checked against
 * (docs/signatures.md). The store is versioned: every add and remove bumps its version, and each
 * check records the version it used.
 *
 * `--json` prints `{added, present, version}` (add), `{version, anchors}` (list) and
 * `{removed}` (remove); an anchor is `{id, subject, notBefore, notAfter, addedAt}` (ISO-8601),
 * its `id` the SHA-256 fingerprint of the certificate.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { createTrustStore } from '#functions/wiring/create-signature-deps.ts';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import { PayloadTooLargeError } from '#shared/errors.ts';
import type { TrustAnchor } from '#shared/signatures/ports.ts';
import { addTrustAnchors, listTrustAnchors, removeTrustAnchor } from '#shared/signatures/trust.ts';
import { MAX_TRUST_FILE_BYTES } from '#shared/signatures/trust-anchors.ts';
import { connect } from '../connect.ts';
import { globals, out, readInput, subcommand } from '../output.ts';

/** The stored anchor without its certificate bytes (what people and scripts need). */
function summary(a: TrustAnchor) {
  return { id: a.id, subject: a.subject, notBefore: a.notBefore, notAfter: a.notAfter, addedAt: a.addedAt };
}

/** Adds `trust add`, `trust list` and `trust remove` to the program. */
export function registerTrustCommands(program: Command): void {
  const trust = subcommand(
    program,
    'trust',
    'danh sách tin cậy để kiểm tra chữ ký số (chứng thư gốc của CA)',
  );

  trust
    .command('add')
    .argument('<tệp>', 'chứng thư số của CA: .crt, .cer, .pem hoặc .p7b, lấy từ trang của tổ chức phát hành')
    .description('thêm chứng thư gốc (hoặc trung gian) của tổ chức chứng thực vào danh sách tin cậy')
    .action(async (file: string, _opts, cmd: Command) => {
      const bytes = await readInput(
        file,
        MAX_TRUST_FILE_BYTES,
        (size) =>
          new PayloadTooLargeError(
            `${file} is larger than ${MAX_TRUST_FILE_BYTES} bytes${size ? ` (${size})` : ''}`,
            `Tệp ${file} quá lớn để là chứng thư số (tối đa 1 MB).`,
          ),
      );
      const { runtime } = await connect(globals(cmd));
      const result = await addTrustAnchors(
        { trust: createTrustStore(runtime), clock: runtime.clock },
        bytes,
        basename(file),
      );
      out(
        cmd,
        { added: result.added.map(summary), present: result.present.map(summary), version: result.version },
        () =>
          [
            ...result.added.map(
              (a) =>
                `Đã thêm: ${a.subject} (mã ${a.id.slice(0, 16)}, hiệu lực đến ${formatDateVi(a.notAfter.slice(0, 10))})`,
            ),
            ...result.present.map((a) => `Đã có sẵn: ${a.subject} (mã ${a.id.slice(0, 16)})`),
            `Phiên bản danh sách tin cậy: ${result.version}. Kiểm tra lại các tệp đã nhận: baocao signatures recheck KẾ-HOẠCH NĂM`,
          ].join('\n'),
      );
    });

  trust
    .command('list')
    .description('các chứng thư trong danh sách tin cậy và phiên bản của danh sách')
    .action(async (_opts, cmd: Command) => {
      const { runtime, deps } = await connect(globals(cmd));
      const { version, anchors } = await listTrustAnchors({ trust: createTrustStore(runtime) });
      out(cmd, { version, anchors: anchors.map(summary) }, () =>
        anchors.length === 0
          ? `Danh sách tin cậy trống (phiên bản ${version}): mọi chữ ký số sẽ là "Chưa xác định". Thêm chứng thư gốc: baocao trust add TỆP.crt`
          : [
              `${anchors.length} chứng thư tin cậy (phiên bản ${version}):`,
              ...anchors.map(
                (a) =>
                  `  ${a.id.slice(0, 16)}  ${a.subject}  hiệu lực ${formatDateVi(a.notBefore.slice(0, 10))}–${formatDateVi(a.notAfter.slice(0, 10))}  thêm ${formatDateTimeVi(new Date(a.addedAt), deps.settings.timeZone)}`,
              ),
            ].join('\n'),
      );
    });

  trust
    .command('remove')
    .argument('<mã>', 'mã của chứng thư (ít nhất 8 chữ số đầu, như "baocao trust list" in ra)')
    .description('bỏ một chứng thư khỏi danh sách tin cậy')
    .action(async (id: string, _opts, cmd: Command) => {
      const { runtime } = await connect(globals(cmd));
      const removed = await removeTrustAnchor({ trust: createTrustStore(runtime) }, id);
      out(
        cmd,
        { removed: summary(removed) },
        () => `Đã bỏ khỏi danh sách tin cậy: ${removed.subject} (mã ${removed.id.slice(0, 16)}).`,
      );
    });
}
