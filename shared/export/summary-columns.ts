/**
 * The columns of the summary, written once: `summary.csv` (./csv.ts) and the table of
 * `tong-hop.xlsx` (./summary-xlsx.ts) are both derived from {@link SUMMARY_COLUMNS}, so a column
 * added, removed or moved here changes both files, and nothing else needs to.
 *
 * The CSV names are an outside contract (docs/exports.md): the first eight,
 * `unit_id,unit_name,status,deadline,submitted_at,files,bytes,sha256`, stay first and in this
 * order; a new column goes after them.
 */
import type { ReportStatus } from '#shared/domain/period.ts';
import { isCleared, SCAN_LABELS, type ScanState, scanState } from '#shared/domain/scan-result.ts';
import {
  isPdfFile,
  type SignatureIndication,
  signatureLabel,
  signedBy,
} from '#shared/domain/signature-result.ts';
import type { ExportUnit } from './content.ts';
import type { CellValue } from './xlsx/workbook.ts';

/** What one summary row needs: a unit's status row with its latest version's files summed up. */
export interface SummaryRow {
  unitId: string;
  unitName: string;
  status: ReportStatus;
  /** `YYYY-MM-DD` */
  deadline: string;
  /** ISO-8601 instant or null. */
  submittedAt: string | null;
  files: number;
  bytes: number;
  sha256: string[];
  /** Per file (the order of `sha256`): its signature's indication, `pending` while being checked. */
  signature?: SignatureState[] | undefined;
  /** Per file: who signed it ("Nguyễn Văn A (Chi bộ X)", several joined with ", "), '' if nobody. */
  signedBy?: string[] | undefined;
  /** Per file: the Vietnamese label and, when not valid, the reason. */
  signatureText?: string[] | undefined;
  /** Per file: its malware scan state (docs/malware-scanning.md), `pending` while being checked. */
  scan?: ScanState[] | undefined;
}

/** A file's signature state in the summary: an indication, or `pending` for a PDF still being checked. */
export type SignatureState = SignatureIndication | 'pending';

/** The summary row of an export unit. */
export function summaryRow(unit: ExportUnit): SummaryRow {
  const { row, files } = unit;
  return {
    unitId: row.unitId,
    unitName: row.unitName,
    status: row.status,
    deadline: row.deadline,
    submittedAt: row.submittedAt,
    files: files.length,
    bytes: files.reduce((sum, f) => sum + f.size, 0),
    sha256: files.map((f) => f.sha256),
    ...signatureCells(unit),
    scan: files.map((f) => scanState(unit.scans?.[f.uploadId])),
  };
}

/** The signature columns' values of a unit's files (docs/signatures.md). */
function signatureCells(unit: ExportUnit): Pick<SummaryRow, 'signature' | 'signedBy' | 'signatureText'> {
  const results = unit.files.map((f) => ({ file: f, result: unit.signatures?.[f.uploadId] }));
  return {
    signature: results.map(
      ({ file, result }) => result?.indication ?? (isPdfFile(file) ? 'pending' : 'unsigned'),
    ),
    // ';' separates the files of one unit: a name never carries one into the CSV.
    signedBy: results.map(({ result }) => signedBy(result).replaceAll(';', ',')),
    signatureText: results.map(({ file, result }) => {
      const label = signatureLabel(result, isPdfFile(file));
      return result && result.indication !== 'valid' && result.indication !== 'unsigned'
        ? `${label}: ${result.reason}`
        : label;
    }),
  };
}

/** A status as the spreadsheet shows it. */
export const STATUS_LABELS: Record<ReportStatus, string> = {
  on_time: 'Đúng hạn',
  late: 'Trễ hạn',
  missing: 'Chưa nộp',
};

/** How the xlsx writer turns calendar values into Excel's serial numbers (it caches both). */
export interface XlsxCellContext {
  /** A calendar date `YYYY-MM-DD` as a whole Excel day. */
  day(date: string): number;
  /** An ISO-8601 instant as the committee's wall-clock time, an Excel date-time. */
  instant(iso: string): number;
}

/** The cell format of a column's xlsx cells (./summary-xlsx.ts maps each to a style). */
export type SummaryCellStyle = 'text' | 'date' | 'dateTime' | 'integer' | 'wrap';

interface ColumnBase {
  /** The CSV header name (snake_case ASCII: part of the CSV contract). */
  csv: string;
  /** The spreadsheet's column header (Vietnamese). */
  header: string;
  /** The spreadsheet column's width, in characters. */
  width: number;
  /** The CSV field before RFC 4180 quoting (the writer quotes every field that needs it). */
  csvValue(row: SummaryRow): string;
  /** The spreadsheet cell. */
  cell(row: SummaryRow, context: XlsxCellContext): CellValue;
}

/**
 * One column of the summary. A free-text column holds what users typed (unit ids and names): the
 * writers treat it as text that may look like a formula (./formula-like.ts): summary.csv prefixes
 * `'`, tong-hop.xlsx cleans it with `plainText` and styles it `quotePrefix`. Free text is always a
 * plain text cell in the spreadsheet.
 */
export type SummaryColumn = ColumnBase &
  (
    | { freeText: true; style: 'text'; cell(row: SummaryRow, context: XlsxCellContext): string }
    | { freeText: false; style: SummaryCellStyle }
  );

/** The summary's columns, in order. */
export const SUMMARY_COLUMNS: readonly SummaryColumn[] = [
  {
    csv: 'unit_id',
    header: 'Mã đơn vị',
    width: 16,
    freeText: true,
    style: 'text',
    csvValue: (r) => r.unitId,
    cell: (r) => r.unitId,
  },
  {
    csv: 'unit_name',
    header: 'Tên đơn vị',
    width: 44,
    freeText: true,
    style: 'text',
    csvValue: (r) => r.unitName,
    cell: (r) => r.unitName,
  },
  {
    csv: 'status',
    header: 'Tình trạng',
    width: 12,
    freeText: false,
    style: 'text',
    csvValue: (r) => r.status,
    cell: (r) => STATUS_LABELS[r.status],
  },
  {
    csv: 'deadline',
    header: 'Hạn nộp',
    width: 12,
    freeText: false,
    style: 'date',
    csvValue: (r) => r.deadline,
    cell: (r, x) => x.day(r.deadline),
  },
  {
    csv: 'submitted_at',
    header: 'Thời điểm nộp',
    width: 17,
    freeText: false,
    style: 'dateTime',
    // ISO-8601 UTC with milliseconds, whatever form the store kept.
    csvValue: (r) => (r.submittedAt ? new Date(r.submittedAt).toISOString() : ''),
    cell: (r, x) => (r.submittedAt ? x.instant(r.submittedAt) : null),
  },
  {
    csv: 'files',
    header: 'Số tệp',
    width: 8,
    freeText: false,
    style: 'integer',
    csvValue: (r) => String(r.files),
    cell: (r) => r.files,
  },
  {
    csv: 'bytes',
    header: 'Dung lượng (byte)',
    width: 16,
    freeText: false,
    style: 'integer',
    csvValue: (r) => String(r.bytes),
    cell: (r) => r.bytes,
  },
  {
    csv: 'sha256',
    header: 'SHA-256',
    // Half a hash wide: each hash on two lines keeps the printed table readable on A4.
    width: 36,
    freeText: false,
    style: 'wrap',
    csvValue: (r) => r.sha256.join(';'),
    cell: (r) => r.sha256.join('\n'),
  },
  // Digital signatures (docs/signatures.md), one value per file in the order of sha256.
  {
    csv: 'signed_by',
    header: 'Người ký số',
    width: 30,
    // Names come from the signers' certificates: text that may look like a formula.
    freeText: true,
    style: 'text',
    csvValue: (r) => (r.signedBy ?? []).join(';'),
    cell: (r) => (r.signedBy ?? []).join('\n'),
  },
  {
    csv: 'signature',
    header: 'Chữ ký số',
    width: 30,
    freeText: false,
    style: 'wrap',
    csvValue: (r) => (r.signature ?? []).join(';'),
    cell: (r) => (r.signatureText ?? []).join('\n'),
  },
  // Malware scan (docs/malware-scanning.md), one value per file: a file not cleared is not in the pack.
  {
    csv: 'malware_scan',
    header: 'Quét mã độc',
    width: 30,
    freeText: false,
    style: 'wrap',
    csvValue: (r) => (r.scan ?? []).join(';'),
    cell: (r) =>
      (r.scan ?? [])
        .map((state) =>
          isCleared(state) ? SCAN_LABELS[state] : `${SCAN_LABELS[state]} — không có trong gói`,
        )
        .join('\n'),
  },
];
