/**
 * A file's malware-scan badge on the committee's pages (period and unit pages), beside its
 * signature badge: "Sạch" green, "Có mã độc — đã cách ly" red, "Đang kiểm tra" and "Không quét"
 * muted, a scan that failed or could not be made amber ("chưa được thông qua"); on the unit page
 * the reason follows when the file is not clean (docs/malware-scanning.md).
 */
import { html, type SafeHtml } from '#functions/http/html.ts';
import type { FileScanView, ScanState } from '#shared/domain/scan-result.ts';

const CLASS: Record<ScanState, string> = {
  clean: 'on_time',
  infected: 'missing',
  unsupported: 'late',
  failed: 'late',
  pending: 'muted',
  'not-scanned': 'muted',
};

/** The badge after a file's name; with `reason`, the reason follows when the file is not clean. */
export function scanBadge(scan: FileScanView | undefined, options: { reason?: boolean } = {}): SafeHtml | '' {
  if (!scan) return '';
  const threat = scan.threat ? html` (<span class="threat">${scan.threat}</span>)` : '';
  const why =
    options.reason && scan.state !== 'clean' ? html`<br><span class="muted">${scan.reason}</span>` : '';
  // On the unit page it starts its own line, after the signature badge and its reason.
  const lead = options.reason ? html`<br>` : ' ';
  return html`${lead}<span class="signature ${CLASS[scan.state]}" data-scan="${scan.state}">Mã độc: ${scan.label}</span>${threat}${why}`;
}
