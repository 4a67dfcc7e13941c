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
import type { ReportStatus } from '#shared/domain/period.ts';
import type { PackContent, PackSummary } from './content.ts';
import { isFormulaLike } from './formula-like.ts';
import { plainText } from './text.ts';
import type { CellFormat } from './xlsx/styles.ts';
import { type CellValue, excelSerial, type SheetRow, xlsxStream } from './xlsx/workbook.ts';

export const STATUS_LABELS: Record<ReportStatus, string> = {
  on_time: 'Đúng hạn',
  late: 'Trễ hạn',
  missing: 'Chưa nộp',
};

/** The table's column headers, in order. */
export const XLSX_HEADERS = [
  'Mã đơn vị',
  'Tên đơn vị',
  'Tình trạng',
  'Hạn nộp',
  'Thời điểm nộp',
  'Số tệp',
  'Dung lượng (byte)',
  'SHA-256',
] as const;

/** What one table row needs (a subset of an export unit, so the benchmark can feed rows directly). */
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
}

/** The header block: plan, year and rates. */
export type SummaryHeader = PackSummary;

const COLUMN_WIDTHS = [16, 44, 12, 12, 17, 8, 16, 68];

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
/** A table row's styles, the unit id's and the name's given. */
const tableRowStyles = (id: number, name: number) => [id, name, 0, DATE, DATE_TIME, INTEGER, INTEGER, WRAP];
/**
 * Every table row's styles, shared by the rows: [0] for ordinary rows, [1] when the unit id looks
 * like a formula, [2] when the name does, [3] when both do.
 */
const ROW_STYLES = [
  tableRowStyles(0, 0),
  tableRowStyles(QUOTED, 0),
  tableRowStyles(0, QUOTED),
  tableRowStyles(QUOTED, QUOTED),
];
const HEADER_STYLES = XLSX_HEADERS.map(() => HEADER);
const SHEET_NAME = 'Tổng hợp';

/**
 * Writes the workbook to `out` and resolves when it is complete (`out` is ended).
 * `rows` may be any iterable, e.g. a generator that builds rows on the fly: it is pulled only as
 * fast as `out` takes the bytes.
 */
export async function writeSummaryXlsx(
  header: SummaryHeader,
  rows: Iterable<SummaryRow>,
  out: Writable,
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
  const merges = block.map((values, i) =>
    values.length > 2 ? `A${i + 1}:B${i + 1}` : `A${i + 1}:H${i + 1}`,
  );

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
    yield { values: XLSX_HEADERS, styles: HEADER_STYLES, height: 30 };

    const localTime = localTimeConverter(header.timeZone);
    const deadlines = new Map<string, number>();
    for (const r of rows) {
      let deadline = deadlines.get(r.deadline);
      if (deadline === undefined) {
        deadline = excelDaySerial(r.deadline);
        deadlines.set(r.deadline, deadline);
      }
      const unitId = plainText(r.unitId);
      const unitName = plainText(r.unitName);
      yield {
        values: [
          unitId,
          unitName,
          STATUS_LABELS[r.status],
          deadline,
          r.submittedAt ? excelSerial(localTime(r.submittedAt)) : null,
          r.files,
          r.bytes,
          r.sha256.join('\n'),
        ],
        // Decided on the text as written, after plainText (which may remove what preceded a `=`).
        styles: ROW_STYLES[(isFormulaLike(unitId) ? 1 : 0) + (isFormulaLike(unitName) ? 2 : 0)],
      };
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
          columnWidths: COLUMN_WIDTHS,
          frozenRows: headerRow,
          autoFilter: { headerRow, columns: XLSX_HEADERS.length },
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
  for (const u of content.units) {
    yield {
      unitId: u.row.unitId,
      unitName: u.row.unitName,
      status: u.row.status,
      deadline: u.row.deadline,
      submittedAt: u.row.submittedAt,
      files: u.files.length,
      bytes: u.files.reduce((sum, f) => sum + f.size, 0),
      sha256: u.files.map((f) => f.sha256),
    };
  }
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
