import type { Readable } from 'node:stream';
import { AUDIT_ACTOR_LABELS, AUDIT_OUTCOME_LABELS, type AuditOutcome } from '#shared/audit/events.ts';
import { type AuditRow, kindLabel } from '#shared/audit/list.ts';
import { offsetAt } from '#shared/domain/calendar.ts';
import { isFormulaLike } from '#shared/export/formula-like.ts';
import { plainText } from '#shared/export/text.ts';
import type { CellFormat } from '#shared/export/xlsx/styles.ts';
import { type CellValue, excelSerial, type SheetRow, xlsxStream } from '#shared/export/xlsx/workbook.ts';

/** The header row of `nhat-ky.xlsx`, in column order. */
export const AUDIT_XLSX_HEADERS = [
  'Số',
  'Thời điểm',
  'Sự kiện',
  'Người thực hiện',
  'Loại người thực hiện',
  'Đơn vị',
  'Kế hoạch',
  'Năm',
  'Đối tượng khác',
  'Kết quả',
  'Chi tiết',
  'Mã yêu cầu',
  'Địa chỉ IP',
  'Mã băm',
] as const;

const WIDTHS = [8, 18, 28, 32, 14, 20, 20, 8, 32, 12, 40, 24, 18, 66];
const HEADER = 1;
const TIME = 2;
const QUOTED = 3;
const FORMATS: CellFormat[] = [
  { bold: true, fill: 'FFE8E8E8', borderBottom: true, vertical: 'center', wrap: true },
  { numFmt: 'dd/mm/yyyy hh:mm:ss' },
  { quotePrefix: true },
];

/**
 * The audit records as an Excel workbook (`nhat-ky.xlsx`), by the project's streaming xlsx writer:
 * one sheet, newest first, times in the committee's zone, every text cell plain text (a value that
 * a spreadsheet would run as a formula is kept as text).
 */
export function auditXlsxStream(
  rows: readonly AuditRow[],
  options: { now: Date; timeZone: string },
): Readable {
  function* sheetRows(): Generator<SheetRow> {
    yield { values: AUDIT_XLSX_HEADERS, styles: AUDIT_XLSX_HEADERS.map(() => HEADER), height: 30 };
    for (const { record: r, ip } of rows) {
      const at = new Date(r.at);
      const local = new Date(at.getTime() + offsetAt(at.getTime(), options.timeZone));
      const details = r.details
        ? Object.entries(r.details)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join('; ')
        : '';
      const values: CellValue[] = [
        r.seq,
        excelSerial(local),
        plainText(kindLabel(r.kind)),
        plainText(r.actor.id),
        AUDIT_ACTOR_LABELS[r.actor.type] ?? plainText(r.actor.type),
        plainText(r.target.unitId ?? ''),
        plainText(r.target.planId ?? ''),
        r.target.year ?? null,
        plainText([r.target.memberEmail, r.target.ref].filter(Boolean).join(' · ')),
        AUDIT_OUTCOME_LABELS[r.outcome as AuditOutcome] ?? plainText(r.outcome),
        plainText(details),
        plainText(r.requestId ?? ''),
        ip ?? '',
        r.hash,
      ];
      const styles = values.map((v, i) =>
        i === 1 ? TIME : typeof v === 'string' && isFormulaLike(v) ? QUOTED : 0,
      );
      yield { values, styles };
    }
  }
  return xlsxStream({
    creator: 'baocao',
    created: options.now,
    timeZone: options.timeZone,
    formats: FORMATS,
    sheets: [
      {
        name: 'Nhật ký',
        columnWidths: WIDTHS,
        frozenRows: 1,
        autoFilter: { headerRow: 1, columns: AUDIT_XLSX_HEADERS.length },
        rows: sheetRows(),
      },
    ],
  });
}

/** The workbook's bytes. */
export async function auditXlsx(
  rows: readonly AuditRow[],
  options: { now: Date; timeZone: string },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of auditXlsxStream(rows, options) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
