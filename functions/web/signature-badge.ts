/**
 * A file's digital-signature badge on the committee's pages (period and unit pages): the
 * Vietnamese label in the status colours (Hợp lệ green, Chưa xác định amber, Không hợp lệ red,
 * Không ký số and "đang kiểm tra" muted), who signed, and on the unit page the reason.
 */
import { html, type SafeHtml } from '#functions/http/html.ts';
import type { FileSignatureView } from '#shared/domain/signature-result.ts';

const CLASS: Record<FileSignatureView['state'], string> = {
  valid: 'on_time',
  indeterminate: 'late',
  invalid: 'missing',
  unsigned: 'muted',
  pending: 'muted',
};

/** The badge after a file's name; with `reason`, the reason follows (the unit page). */
export function signatureBadge(
  signature: FileSignatureView | undefined,
  options: { reason?: boolean } = {},
): SafeHtml | '' {
  if (!signature) return '';
  const who = signature.signedBy ? html` — <span class="signer">${signature.signedBy}</span>` : '';
  const why =
    options.reason && signature.reason && signature.state !== 'valid'
      ? html`<br><span class="muted">${signature.reason}</span>`
      : '';
  return html` <span class="signature ${CLASS[signature.state]}" data-signature="${signature.state}">Chữ ký số: ${signature.label}</span>${who}${why}`;
}
