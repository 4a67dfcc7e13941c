/**
 * The committee's units as an Excel workbook (`danh-sach-don-vi.xlsx`), written by the project's
 * own xlsx writer (shared/export/xlsx/): one sheet, a header row the import reads back
 * (./unit-rows.ts: `Mã đơn vị`, `Tên đơn vị`, `Email`, `CC`, `Ghi chú`), then the read-only
 * columns `Trạng thái`, `Thôi báo cáo từ`, `Lý do thôi báo cáo`, which an import ignores: the
 * list can be edited in Excel and imported again as it is.
 */
import type { Readable } from 'node:stream';
import { formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { retirementText, type Unit } from '#shared/domain/unit.ts';
import { isFormulaLike } from '#shared/export/formula-like.ts';
import { plainText } from '#shared/export/text.ts';
import type { CellFormat } from '#shared/export/xlsx/styles.ts';
import { type CellValue, excelSerial, type SheetRow, xlsxStream } from '#shared/export/xlsx/workbook.ts';

/** The header row, in column order (the first five are the importer's columns). */
export const UNITS_XLSX_HEADERS = [
  'Mã đơn vị',
  'Tên đơn vị',
  'Email',
  'CC',
  'Ghi chú',
  'Trạng thái',
  'Thôi báo cáo từ',
  'Lý do thôi báo cáo',
] as const;

const WIDTHS = [18, 44, 32, 36, 36, 18, 16, 36];
const HEADER = 1;
const DATE = 2;
const QUOTED = 3;
const WRAP = 4;
const FORMATS: CellFormat[] = [
  { bold: true, fill: 'FFE8E8E8', borderBottom: true, vertical: 'center', wrap: true },
  { numFmt: 'dd/mm/yyyy' },
  { quotePrefix: true },
  { vertical: 'top', wrap: true },
];

/** How a unit's state reads on a committee-local `today`. */
export function unitStatusText(unit: Pick<Unit, 'active' | 'retired'>, today: string): string {
  if (unit.retired) {
    return `${unit.retired.from <= today ? 'Thôi báo cáo' : 'Sẽ thôi báo cáo'} từ ${formatDateVi(unit.retired.from)}`;
  }
  return unit.active ? 'Đang hoạt động' : 'Ngừng hoạt động';
}

/** The workbook's bytes as a stream; `units` in the order given. */
export function unitsXlsxStream(
  units: readonly Unit[],
  options: { now: Date; timeZone: string; creator?: string },
): Readable {
  const today = localDate(options.now, options.timeZone);
  function* rows(): Generator<SheetRow> {
    yield { values: UNITS_XLSX_HEADERS, styles: UNITS_XLSX_HEADERS.map(() => HEADER), height: 30 };
    for (const unit of units) {
      const text = [unit.id, unit.name, unit.email, unit.cc.join('; '), unit.note ?? ''].map((v) =>
        plainText(v),
      );
      const values: CellValue[] = [
        ...text,
        unitStatusText(unit, today),
        unit.retired ? excelSerial(new Date(`${unit.retired.from}T00:00:00Z`)) : null,
        unit.retired ? plainText(retirementText(unit.retired)) : '',
      ];
      // Free text that a spreadsheet would run once edited stays text (the import refuses it).
      const styles = values.map((v, i) =>
        i === 6 ? DATE : typeof v === 'string' && isFormulaLike(v) ? QUOTED : i === 4 ? WRAP : 0,
      );
      yield { values, styles };
    }
  }
  return xlsxStream({
    creator: options.creator ?? 'baocao',
    created: options.now,
    timeZone: options.timeZone,
    formats: FORMATS,
    sheets: [
      {
        name: 'Đơn vị',
        columnWidths: WIDTHS,
        frozenRows: 1,
        autoFilter: { headerRow: 1, columns: UNITS_XLSX_HEADERS.length },
        rows: rows(),
      },
    ],
  });
}

/** The workbook's bytes (a few hundred KB for thousands of units). */
export async function unitsXlsx(
  units: readonly Unit[],
  options: { now: Date; timeZone: string; creator?: string },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of unitsXlsxStream(units, options) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
