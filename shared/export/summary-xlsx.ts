/**
 * `tong-hop.xlsx`: the summary for people, written by the project's own streaming xlsx writer
 * (./xlsx/workbook.ts on ./zip.ts): rows are turned into sheet XML as the output drains, so
 * 200,000 units never become a workbook model in memory (issue 7: ≤ 5 s, ≤ 300 MB). Strings are
 * inline strings, never formulas; free text that looks like a formula (a unit named
 * `=HYPERLINK(…)`, ./formula-like.ts) also gets a `quotePrefix` style, so it stays text when
 * someone edits the cell (summary.csv prefixes `'` instead).
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatDateTimeVi, formatDateVi, offsetAt } from '#shared/domain/calendar.ts';
import type { PackContent, PackSummary } from './content.ts';
import { isFormulaLike } from './formula-like.ts';
import {
  SUMMARY_COLUMNS,
  type SummaryCellStyle,
  type SummaryColumn,
  type SummaryRow,
  summaryRow,
  type XlsxCellContext,
} from './summary-columns.ts';
import { plainText } from './text.ts';
import type { CellFormat } from './xlsx/styles.ts';
import { type CellValue, columnName, excelSerial, type SheetRow, xlsxStream } from './xlsx/workbook.ts';

/** What one table row needs (a subset of an export unit, so the benchmark can feed rows directly). */
export type { SummaryRow } from './summary-columns.ts';

/** The table's column headers, in order (./summary-columns.ts). */
export const XLSX_HEADERS: readonly string[] = SUMMARY_COLUMNS.map((c) => c.header);

/** The header block: plan, year and rates. */
export type SummaryHeader = PackSummary;

// Cell styles: style n is FORMATS[n - 1] (style 0 is the default).
const BOLD = 1;
const TITLE = 2;
const PERCENT = 3;
const HEADER = 4;
const DATE = 5;
const DATE_TIME = 6;
const INTEGER = 7;
const WRAP = 8;
/** Free text that looks like a formula: kept text when edited (see {@link CellFormat.quotePrefix}). */
const QUOTED = 9;
const BOLD_QUOTED = 10;
const FORMATS: CellFormat[] = [
  { bold: true },
  { bold: true, size: 14 },
  { numFmt: '0.0%', bold: true },
  { bold: true, fill: 'FFE8E8E8', borderBottom: true, vertical: 'center', wrap: true },
  { numFmt: 'dd/mm/yyyy' },
  { numFmt: 'dd/mm/yyyy hh:mm' },
  { numFmt: '#,##0' },
  { vertical: 'top', wrap: true },
  { quotePrefix: true },
  { bold: true, quotePrefix: true },
];
/** The style of each cell format of a column. */
const CELL_STYLES: Record<SummaryCellStyle, number> = {
  text: 0,
  date: DATE,
  dateTime: DATE_TIME,
  integer: INTEGER,
  wrap: WRAP,
};
const SHEET_NAME = 'Tổng hợp';

/**
 * Every table row's styles, shared by the rows: entry `mask` is for a row whose free-text
 * columns with bit `i` set in `mask` (i counting free-text columns only) look like formulas.
 */
function tableRowStyles(columns: readonly SummaryColumn[]): number[][] {
  const free = columns.flatMap((c, i) => (c.freeText ? [i] : []));
  const base = columns.map((c) => CELL_STYLES[c.style]);
  return Array.from({ length: 2 ** free.length }, (_, mask) => {
    const styles = [...base];
    free.forEach((column, bit) => {
      if (mask & (1 << bit)) styles[column] = QUOTED;
    });
    return styles;
  });
}

/**
 * Writes the workbook to `out` and resolves when it is complete (`out` is ended).
 * `rows` may be any iterable, e.g. a generator that builds rows on the fly: it is pulled only as
 * fast as `out` takes the bytes.
 */
export async function writeSummaryXlsx(
  header: SummaryHeader,
  rows: Iterable<SummaryRow>,
  out: Writable,
  columns: readonly SummaryColumn[] = SUMMARY_COLUMNS,
): Promise<void> {
  const { plan, period } = header;
  const block: CellValue[][] = [
    [plainText(header.committeeName)],
    [`BẢNG TỔNG HỢP KẾT QUẢ BÁO CÁO NĂM ${period.year}`],
    [
      plainText(
        `Kế hoạch số ${plan.number}${plan.date ? ` ngày ${formatDateVi(plan.date)}` : ''}: ${plan.title}`,
      ),
    ],
    [`Hạn nộp: ${formatDateVi(period.deadline)}`],
    ['Số đơn vị phải báo cáo', null, header.expected],
    ['Đã nộp', null, header.reported],
    ['Nộp đúng hạn', null, header.onTime],
    ['Nộp trễ hạn', null, header.late],
    ['Chưa nộp', null, header.missing],
    [
      'Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo)',
      null,
      header.completeness,
      `${header.reported}/${header.expected}`,
    ],
    [
      'Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo)',
      null,
      header.timeliness,
      `${header.onTime}/${header.expected}`,
    ],
    [`Tổng hợp lúc ${formatDateTimeVi(header.generatedAt, header.timeZone)} (giờ ${header.timeZone})`],
  ];
  const headerRow = block.length + 2;
  // A label and its figure span A:B; a line of text spans the table's width.
  const lastColumn = columnName(columns.length);
  const merges = block.map((values, i) =>
    values.length > 2 ? `A${i + 1}:B${i + 1}` : `A${i + 1}:${lastColumn}${i + 1}`,
  );
  const headers = columns.map((c) => c.header);
  const rowStyles = tableRowStyles(columns);
  const free = columns.map((c) => c.freeText);

  function* sheetRows(): Generator<SheetRow> {
    for (const [i, values] of block.entries()) {
      const n = i + 1;
      // Row 1 is the committee's name, the only free text of the block (the others start with
      // fixed words).
      const first = n === 1 ? (isFormulaLike(String(values[0])) ? BOLD_QUOTED : BOLD) : n === 2 ? TITLE : 0;
      const figure = typeof values[2] === 'number' && n >= 10 ? PERCENT : BOLD;
      yield { values, styles: values.length > 2 ? [first, 0, figure] : [first] };
    }
    yield { values: [] };
    yield { values: headers, styles: headers.map(() => HEADER), height: 30 };

    const localTime = localTimeConverter(header.timeZone);
    const deadlines = new Map<string, number>();
    const context: XlsxCellContext = {
      day(date) {
        let serial = deadlines.get(date);
        if (serial === undefined) {
          serial = excelDaySerial(date);
          deadlines.set(date, serial);
        }
        return serial;
      },
      instant: (iso) => excelSerial(localTime(iso)),
    };
    for (const r of rows) {
      const values: CellValue[] = [];
      let mask = 0;
      let bit = 1;
      for (const [i, column] of columns.entries()) {
        let value = column.cell(r, context);
        if (free[i]) {
          value = plainText(value as string);
          // Decided on the text as written, after plainText (which may remove what preceded a `=`).
          if (isFormulaLike(value)) mask |= bit;
          bit <<= 1;
        }
        values.push(value);
      }
      yield { values, styles: rowStyles[mask] };
    }
  }

  await pipeline(
    xlsxStream({
      creator: plainText(header.committeeName),
      created: header.generatedAt,
      timeZone: header.timeZone,
      formats: FORMATS,
      sheets: [
        {
          name: SHEET_NAME,
          columnWidths: columns.map((c) => c.width),
          frozenRows: headerRow,
          autoFilter: { headerRow, columns: columns.length },
          merges,
          pageSetup: { orientation: 'landscape', paperSize: 9, fitToWidth: 1 },
          rows: sheetRows(),
        },
      ],
    }),
    out,
  );
}

/** The rows of a pack: one per expected unit, in the pack's order. */
export function* summaryRows(content: Pick<PackContent, 'units'>): Generator<SummaryRow> {
  for (const u of content.units) yield summaryRow(u);
}

/** A calendar date (`YYYY-MM-DD`) as Excel stores it: a whole serial day, no zone. */
function excelDaySerial(date: string): number {
  return excelSerial(new Date(`${date}T00:00:00Z`));
}

/**
 * Instants shown as the committee's wall-clock time (Excel times have no zone): a Date whose UTC
 * fields are the local ones. The zone's offset is looked up once per quarter hour of UTC time
 * (every real zone changes offset on a quarter hour), not once per row: Intl is the slow part.
 */
export function localTimeConverter(timeZone: string): (instant: string) => Date {
  const QUARTER_HOUR = 15 * 60 * 1000;
  const offsets = new Map<number, number>();
  return (instant) => {
    const ms = Date.parse(instant);
    const bucket = Math.floor(ms / QUARTER_HOUR);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      offset = offsetAt(bucket * QUARTER_HOUR, timeZone);
      offsets.set(bucket, offset);
    }
    // Minutes are what the sheet shows (dd/mm/yyyy hh:mm): seconds are dropped as in the app.
    return new Date(Math.floor((ms + offset) / 60_000) * 60_000);
  };
}
