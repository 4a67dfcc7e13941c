/**
 * What a malware scan of a kept report concludes (docs/malware-scanning.md). Pure data, like
 * ./signature-result.ts: imported by the recorder, the pages, the downloads, the export and the
 * e-mails without the scanners themselves (shared/scanning/ holds the use cases and ports).
 *
 * - `pending` — Đang kiểm tra: no result yet (the file is recorded, the scan runs after the receipt).
 * - `clean` — Sạch: the scanner found nothing (GuardDuty `NO_THREATS_FOUND`, clamscan exit 0).
 * - `infected` — Có mã độc: quarantined — never downloadable, left out of every export, the unit
 *   and the committee are told.
 * - `unsupported` — the scanner could not scan it (GuardDuty `UNSUPPORTED`, a file over the scan
 *   bound, a clamscan limit exceeded): not cleared.
 * - `failed` — the scan broke (timeout, crash, `FAILED` or `ACCESS_DENIED`): not cleared.
 * - `not-scanned` — Không quét: this installation has no scanner (local mode without ClamAV or
 *   without a signature database). Shown as such, never as clean; downloadable, so that a local
 *   installation without ClamAV stays usable.
 */
export type ScanStatus = 'clean' | 'infected' | 'unsupported' | 'failed' | 'not-scanned';

/** A file's scan state as pages show it: a result's status, or `pending` while there is none. */
export type ScanState = ScanStatus | 'pending';

/** Which scanner decided. */
export type ScanEngine = 'guardduty' | 'clamav' | 'none';

/** The result of one scan of one kept file, kept with its version (map `scans`, by upload id). */
export interface FileScanResult {
  status: ScanStatus;
  engine: ScanEngine;
  /** The threat's name as the scanner reported it (cut to {@link MAX_THREAT_CHARS}); infected only. */
  threat?: string | undefined;
  /** Why, in English, for operators (a scanner's error, a limit, GuardDuty's status): never shown raw to people. */
  detail?: string | undefined;
  /** When the result was made, ISO-8601 UTC: a later result is never replaced by an older one. */
  scannedAt: string;
}

/** Threat names and details are cut to this many characters. */
export const MAX_THREAT_CHARS = 200;

/** Vietnamese labels (badges, e-mails, the summary sheet). */
export const SCAN_LABELS: Record<ScanState, string> = {
  pending: 'Đang kiểm tra',
  clean: 'Sạch',
  infected: 'Có mã độc — đã cách ly',
  unsupported: 'Không quét được — chưa được thông qua',
  failed: 'Quét lỗi — chưa được thông qua',
  'not-scanned': 'Không quét',
};

/** Why, for people (the unit page's badge, the export's summary). */
export const SCAN_REASONS: Record<ScanState, string> = {
  pending: 'Tệp đang được kiểm tra mã độc; chỉ tải xuống được sau khi kiểm tra xong.',
  clean: 'Không phát hiện mã độc.',
  infected: 'Phát hiện mã độc: tệp đã bị cách ly, không tải xuống được và không đưa vào bản tổng hợp.',
  unsupported:
    'Trình quét không quét được tệp này (định dạng hoặc kích thước); tệp chưa được thông qua nên không tải xuống được.',
  failed: 'Lần quét mã độc bị lỗi; tệp chưa được thông qua nên không tải xuống được.',
  'not-scanned':
    'Hệ thống này chưa cài trình quét mã độc (ClamAV) hoặc chưa có cơ sở dữ liệu mẫu mã độc: tệp không được quét.',
};

/**
 * Whether a file in this state may be handed out (downloads, exports): only a clean file, or one
 * of an installation that has no scanner at all. Pending, infected, unsupported and failed files
 * are not cleared.
 */
export function isCleared(state: ScanState): boolean {
  return state === 'clean' || state === 'not-scanned';
}

/** The state of a file from its result (or its absence). */
export function scanState(result: FileScanResult | undefined): ScanState {
  return result?.status ?? 'pending';
}

/** A file's scan as pages show it. */
export interface FileScanView {
  state: ScanState;
  label: string;
  /** Why (Vietnamese). */
  reason: string;
  /** The threat's name, infected only. */
  threat?: string | undefined;
}

export function fileScanView(result: FileScanResult | undefined): FileScanView {
  const state = scanState(result);
  return {
    state,
    label: SCAN_LABELS[state],
    reason: SCAN_REASONS[state],
    ...(state === 'infected' && result?.threat ? { threat: result.threat } : {}),
  };
}

/** Cuts a scanner's text to {@link MAX_THREAT_CHARS} and drops control characters. */
export function boundedScanText(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > MAX_THREAT_CHARS ? `${clean.slice(0, MAX_THREAT_CHARS - 1)}…` : clean;
}
