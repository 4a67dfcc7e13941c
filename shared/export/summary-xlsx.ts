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
import type { ExportUnit, PackContent, PackSummary } from './content.ts';
import { isFormulaLike } from './formula-like.ts';
import {
  STATUS_LABELS,
  SUMMARY_COLUMNS,
  type SummaryCellStyle,
  type SummaryColumn,
  type SummaryRow,
  summaryRow,
  type XlsxCellContext,
} from './summary-columns.ts';
import { plainText, timeZoneVi } from './text.ts';
import type { CellFormat } from './xlsx/styles.ts';
import {
  type CellValue,
  columnName,
  excelSerial,
  type SheetRow,
  type SheetSpec,
  xlsxStream,
} from './xlsx/workbook.ts';

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
/** A line of the header block: wrapped inside its merged range, never over the next row. */
const LINE = 11;
const BOLD_LINE = 12;
const STT = 13;
const TEXT = 14;
const FORMATS: CellFormat[] = [
  { bold: true },
  { bold: true, size: 14, horizontal: 'center', vertical: 'center', wrap: true },
  { numFmt: '0.0%', bold: true },
  { bold: true, fill: 'FFE8E8E8', borderBottom: true, vertical: 'center', horizontal: 'center', wrap: true },
  { numFmt: 'dd/mm/yyyy', vertical: 'top' },
  { numFmt: 'dd/mm/yyyy hh:mm', vertical: 'top' },
  { numFmt: '#,##0', vertical: 'top' },
  // An indent: wrapped text (names, hashes, notes) never touches the number to its left.
  { horizontal: 'left', vertical: 'top', wrap: true, indent: 1 },
  { quotePrefix: true, horizontal: 'left', vertical: 'top', wrap: true, indent: 1 },
  { bold: true, quotePrefix: true, vertical: 'top', wrap: true },
  { vertical: 'top', wrap: true },
  { bold: true, vertical: 'top', wrap: true },
  { horizontal: 'center', vertical: 'top' },
  { vertical: 'top' },
];
/** The style of each cell format of a column. */
const CELL_STYLES: Record<SummaryCellStyle, number> = {
  text: TEXT,
  date: DATE,
  dateTime: DATE_TIME,
  integer: INTEGER,
  wrap: WRAP,
};
const SHEET_NAME = 'Tổng hợp';
/** The first column of every table: its row number (Số thứ tự), not part of summary.csv. */
const STT_HEADER = 'STT';
const STT_WIDTH = 6;
/** Free-text columns are as wide as their longest text, within these bounds (characters). */
const MIN_TEXT_WIDTH = 12;
const MAX_TEXT_WIDTH = 60;
/** Page footer of every sheet: "Trang 1/3". */
const FOOTER = '&CTrang &P/&N';
const NOTE_WIDTH = 90;
/** Default font size of the cells (Calibri 11), and a text line's height in points. */
const FONT_SIZE = 11;
const LINE_HEIGHT = 15;

/**
 * Every table row's styles, shared by the rows: entry `mask` is for a row whose free-text
 * columns with bit `i` set in `mask` (i counting free-text columns only) look like formulas.
 * Column 0 is the STT.
 */
function tableRowStyles(columns: readonly SummaryColumn[]): number[][] {
  const free = columns.flatMap((c, i) => (c.freeText ? [i] : []));
  const base = columns.map((c) => (c.freeText ? WRAP : CELL_STYLES[c.style]));
  return Array.from({ length: 2 ** free.length }, (_, mask) => {
    const styles = [STT, ...base];
    free.forEach((column, bit) => {
      if (mask & (1 << bit)) styles[column + 1] = QUOTED;
    });
    return styles;
  });
}

/**
 * Height in points of a wrapped text in a merged range `width` characters wide: what no program
 * works out by itself for merged cells (LibreOffice and Excel fit row heights to single cells only).
 */
export function wrappedHeight(text: string, width: number, size = FONT_SIZE): number {
  // Characters of this size per line: column widths count characters of the default font.
  const perLine = Math.max(1, Math.floor((width * FONT_SIZE) / size) - 2);
  const lines = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / perLine)), 0);
  return Math.ceil((lines * (LINE_HEIGHT * size)) / FONT_SIZE + 4);
}

/** Excel's highest row, in points. */
const MAX_ROW_HEIGHT = 409;

/**
 * Lines a text takes in a wrapped cell of `perLine` characters (each line of its own wrapped
 * again). Counted without splitting: it runs for every row of a 200,000-unit table.
 */
export function wrappedLines(text: string, perLine: number): number {
  let lines = 0;
  let from = 0;
  for (;;) {
    const end = text.indexOf('\n', from);
    const length = (end < 0 ? text.length : end) - from;
    lines += length === 0 ? 1 : Math.ceil(length / perLine);
    if (end < 0) return lines;
    from = end + 1;
  }
}

/**
 * A row's height for its wrapped cells: LibreOffice does not fit rows to wrapped text when it
 * opens an .xlsx, so a wrapped name or several hashes would spill over the next row. Undefined
 * (the default height) for a row of single lines. `perLine[c]` is column c's characters per line,
 * 0 for a column that does not wrap.
 */
function rowHeight(values: readonly CellValue[], perLine: readonly number[]): number | undefined {
  let lines = 1;
  for (let c = 0; c < values.length; c++) {
    const value = values[c];
    const width = perLine[c] ?? 0;
    if (width > 0 && typeof value === 'string' && (value.length > width || value.includes('\n'))) {
      lines = Math.max(lines, wrappedLines(value, width));
    }
  }
  return lines > 1 ? Math.min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 2) : undefined;
}

/** Characters per line of a wrapped column `width` characters wide (a margin for proportional letters). */
function charsPerLine(width: number): number {
  return Math.max(1, Math.floor(width * 0.95) - 1);
}

/**
 * Column widths of the summary table: a free-text column as wide as its longest text among
 * `units` (within {@link MIN_TEXT_WIDTH}..{@link MAX_TEXT_WIDTH}, beyond that it wraps), the
 * others as the column table says; without units, the table's widths.
 */
function tableWidths(columns: readonly SummaryColumn[], units: readonly ExportUnit[] | undefined): number[] {
  const longest = columns.map((c) => c.header.length);
  const free = columns.flatMap((c, i) => (c.freeText ? [i] : []));
  if (units && free.length) {
    // One walk, one summary row per unit, whatever the number of free-text columns.
    for (const unit of units) {
      const row = summaryRow(unit);
      for (const i of free) {
        const length = columns[i]!.csvValue(row).length;
        if (length > longest[i]!) longest[i] = length;
      }
    }
  }
  return [
    STT_WIDTH,
    ...columns.map((column, i) =>
      column.freeText && units
        ? Math.min(MAX_TEXT_WIDTH, Math.max(MIN_TEXT_WIDTH, longest[i]! + 2))
        : column.width,
    ),
  ];
}

/**
 * Writes the workbook to `out` and resolves when it is complete (`out` is ended).
 * `rows` may be any iterable, e.g. a generator that builds rows on the fly: it is pulled only as
 * fast as `out` takes the bytes. With `units` (the pack's), the free-text columns are as wide as
 * their content and every task group of the plan gets a sheet of what each unit wrote for it.
 */
export async function writeSummaryXlsx(
  header: SummaryHeader,
  rows: Iterable<SummaryRow>,
  out: Writable,
  columns: readonly SummaryColumn[] = SUMMARY_COLUMNS,
  units?: readonly ExportUnit[],
): Promise<void> {
  const { plan, period } = header;
  const widths = tableWidths(columns, units);
  const total = widths.reduce((a, b) => a + b, 0);
  const zone = timeZoneVi(header.timeZone, header.generatedAt);
  const planLine = plainText(
    `Kế hoạch số ${plan.number}${plan.date ? ` ngày ${formatDateVi(plan.date)}` : ''}: ${plan.title}`,
  );
  const committee = plainText(header.committeeName);
  const block: CellValue[][] = [
    [committee],
    [`BẢNG TỔNG HỢP KẾT QUẢ BÁO CÁO NĂM ${period.year}`],
    [planLine],
    [`Hạn nộp: ${formatDateVi(period.deadline)}`],
    ['Số đơn vị phải báo cáo', null, null, header.expected],
    ['Đã nộp', null, null, header.reported],
    ['Nộp đúng hạn', null, null, header.onTime],
    ['Nộp trễ hạn', null, null, header.late],
    ['Chưa nộp', null, null, header.missing],
    [
      'Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo)',
      null,
      null,
      header.completeness,
      `${header.reported}/${header.expected}`,
    ],
    [
      'Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo)',
      null,
      null,
      header.timeliness,
      `${header.onTime}/${header.expected}`,
    ],
    [`Tổng hợp lúc ${formatDateTimeVi(header.generatedAt, header.timeZone)} (${zone})`],
  ];
  const headerRow = block.length + 2;
  // A label spans A:C (STT, id, name) beside its figure; a line of text spans the table's width.
  const lastColumn = columnName(widths.length);
  const merges = block.map((values, i) =>
    values.length > 2 ? `A${i + 1}:C${i + 1}` : `A${i + 1}:${lastColumn}${i + 1}`,
  );
  const headers = [STT_HEADER, ...columns.map((c) => c.header)];
  const rowStyles = tableRowStyles(columns);
  const free = columns.map((c) => c.freeText);
  // Characters per line of each wrapped column (STT first), 0 for the others.
  const perLine = [
    0,
    ...columns.map((c, i) => (c.freeText || c.style === 'wrap' ? charsPerLine(widths[i + 1]!) : 0)),
  ];

  function* sheetRows(): Generator<SheetRow> {
    for (const [i, values] of block.entries()) {
      const n = i + 1;
      if (values.length > 2) {
        const figure = n >= 10 ? PERCENT : BOLD;
        yield { values, styles: [0, 0, 0, figure] };
        continue;
      }
      // Row 1 is the committee's name, the only free text of the block (the others start with
      // fixed words).
      const style = n === 1 ? (isFormulaLike(committee) ? BOLD_QUOTED : BOLD_LINE) : n === 2 ? TITLE : LINE;
      const size = n === 2 ? 14 : FONT_SIZE;
      const height = Math.max(n === 2 ? 22 : LINE_HEIGHT, wrappedHeight(String(values[0]), total, size));
      yield { values, styles: [style], height };
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
    let stt = 0;
    for (const r of rows) {
      const values: CellValue[] = [++stt];
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
      const height = rowHeight(values, perLine);
      yield height === undefined
        ? { values, styles: rowStyles[mask] }
        : { values, styles: rowStyles[mask], height };
    }
  }

  const sheets: SheetSpec[] = [
    {
      name: SHEET_NAME,
      columnWidths: widths,
      frozenRows: headerRow,
      autoFilter: { headerRow, columns: widths.length },
      merges,
      pageSetup: { orientation: 'landscape', paperSize: 9, fitToWidth: 1 },
      printTitleRows: { from: headerRow, to: headerRow },
      footer: FOOTER,
      rows: sheetRows(),
    },
  ];
  if (units) sheets.push(...noteSheets(header, units, widths.slice(1, 3)));

  await pipeline(
    xlsxStream({
      creator: committee,
      created: header.generatedAt,
      timeZone: header.timeZone,
      formats: FORMATS,
      sheets,
    }),
    out,
  );
}

/** Characters Excel refuses in a sheet name. */
const SHEET_NAME_FORBIDDEN = /[:\\/?*[\]]/g;

/**
 * One sheet per task group of the plan ("Nhóm 1", "Nhóm 2", …), plus "Nội dung khác" for notes
 * under group numbers the plan no longer has: every expected unit (STT, id, name, status) with
 * what it wrote for the group, for filtering and printing like the summary.
 */
function noteSheets(
  header: SummaryHeader,
  units: readonly ExportUnit[],
  idNameWidths: number[],
): SheetSpec[] {
  const { plan, period } = header;
  const used = new Set([SHEET_NAME.toLowerCase()]);
  const uniqueName = (wanted: string) => {
    // Cut first, then trimmed of spaces and apostrophes: a name may not start or end with one.
    const base =
      wanted
        .replace(SHEET_NAME_FORBIDDEN, '-')
        .slice(0, 25)
        .replace(/^[\s']+|[\s']+$/g, '') || 'Nhóm';
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base} (${n})`;
    used.add(name.toLowerCase());
    return name;
  };
  const [idWidth = 16, nameWidth = 44] = idNameWidths;
  const statusWidth = 12;
  const sheets: SheetSpec[] = [];
  const known = new Set(plan.taskGroups.map((g) => g.number));
  const groups: {
    title: string;
    name: string;
    note: (u: ExportUnit) => string | undefined;
    other: boolean;
  }[] = plan.taskGroups.map((g) => ({
    title: plainText(`Nhóm nhiệm vụ ${g.number}. ${g.title}`),
    name: uniqueName(`Nhóm ${plainText(g.number)}`),
    note: (u) => (Object.hasOwn(u.notes, g.number) ? u.notes[g.number] : undefined),
    other: false,
  }));
  const othersOf = (u: ExportUnit) => Object.keys(u.notes).filter((g) => !known.has(g));
  if (units.some((u) => u.row.status !== 'missing' && othersOf(u).length > 0)) {
    groups.push({
      title: 'Nội dung khác (theo nhóm nhiệm vụ không còn trong kế hoạch)',
      name: uniqueName('Nội dung khác'),
      note: (u) => {
        const parts = othersOf(u).map((g) => `[Nhóm ${g}] ${u.notes[g]}`);
        return parts.length ? parts.join('\n') : undefined;
      },
      other: true,
    });
  }
  const widths = [STT_WIDTH, idWidth, nameWidth, statusWidth, NOTE_WIDTH];
  const total = widths.reduce((a, b) => a + b, 0);
  const headerRow = 4;
  const perLine = widths.map((w, i) => (i === 1 || i === 2 || i === 4 ? charsPerLine(w) : 0));
  for (const group of groups) {
    const lines = [group.title, plainText(`Kế hoạch số ${plan.number}, năm ${period.year}`)];
    function* rows(): Generator<SheetRow> {
      yield {
        values: [lines[0]],
        styles: [TITLE],
        height: Math.max(22, wrappedHeight(lines[0]!, total, 14)),
      };
      yield { values: [lines[1]], styles: [LINE] };
      yield { values: [] };
      const heads = [STT_HEADER, 'Mã đơn vị', 'Tên đơn vị', 'Tình trạng', 'Nội dung báo cáo'];
      yield { values: heads, styles: heads.map(() => HEADER), height: 30 };
      let n = 0;
      for (const unit of units) {
        const id = plainText(unit.row.unitId);
        const name = plainText(unit.row.unitName);
        const note = unit.row.status === 'missing' ? undefined : group.note(unit);
        const text = note === undefined ? '' : plainText(note).trim();
        const styleOf = (value: string) => (isFormulaLike(value) ? QUOTED : WRAP);
        const values = [++n, id, name, STATUS_LABELS[unit.row.status], text];
        const height = rowHeight(values, perLine);
        yield {
          values,
          styles: [STT, styleOf(id), styleOf(name), TEXT, styleOf(text)],
          ...(height === undefined ? {} : { height }),
        };
      }
    }
    sheets.push({
      name: group.name,
      columnWidths: widths,
      frozenRows: headerRow,
      autoFilter: { headerRow, columns: widths.length },
      merges: ['A1:E1', 'A2:E2'],
      pageSetup: { orientation: 'landscape', paperSize: 9, fitToWidth: 1 },
      printTitleRows: { from: headerRow, to: headerRow },
      footer: FOOTER,
      rows: rows(),
    });
  }
  return sheets;
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
