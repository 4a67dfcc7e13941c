/**
 * `tong-hop.xlsx`: the summary for people. exceljs's streaming writer: each row is committed as
 * soon as it is added, so 200,000 units never become a workbook model in memory (issue 7: ≤ 5 s,
 * ≤ 300 MB). Strings are written as strings, never formulas, so a unit name starting with `=`
 * needs no neutralising here (it does in summary.csv).
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import type { ReportStatus } from '#shared/domain/period.ts';
import type { PackContent, PackSummary } from './content.ts';
import { plainText } from './text.ts';

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
/** Rows are yielded to the event loop in batches, so the zip inside exceljs drains as we go. */
const ROWS_PER_YIELD = 500;

// Shared style objects: exceljs caches a style by object identity, which is what keeps
// 1.6 million cells fast (a fresh style per cell costs a lookup by content each time).
const PLAIN = {};
const DATE = { numFmt: 'dd/mm/yyyy' };
const DATE_TIME = { numFmt: 'dd/mm/yyyy hh:mm' };
const INTEGER = { numFmt: '#,##0' };
const WRAP = { alignment: { wrapText: true, vertical: 'top' as const } };
const ROW_STYLES = [PLAIN, PLAIN, PLAIN, DATE, DATE_TIME, INTEGER, INTEGER, WRAP];
const BOLD = { font: { bold: true } };
const TITLE = { font: { bold: true, size: 14 } };
const PERCENT = { numFmt: '0.0%', font: { bold: true } };
const HEADER = {
  font: { bold: true },
  fill: { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFE8E8E8' } },
  alignment: { vertical: 'middle' as const, wrapText: true },
  border: { bottom: { style: 'thin' as const } },
};

/**
 * Writes the workbook to `out` and resolves when it is complete (exceljs ends `out`).
 * `rows` may be any iterable, e.g. a generator that builds rows on the fly.
 */
export async function writeSummaryXlsx(
  header: SummaryHeader,
  rows: Iterable<SummaryRow>,
  out: Writable,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = header.committeeName;
  workbook.created = header.generatedAt;
  workbook.modified = header.generatedAt;
  const { plan, period } = header;
  const block: (string | number | null)[][] = [
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
  const sheet = workbook.addWorksheet('Tổng hợp', {
    views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0, topLeftCell: `A${headerRow + 1}` }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  sheet.columns = COLUMN_WIDTHS.map((width) => ({ width }));
  block.forEach((values, i) => {
    const row = sheet.addRow(values);
    const n = i + 1;
    if (n <= 2) row.getCell(1).style = n === 1 ? BOLD : TITLE;
    if (values.length > 2) {
      sheet.mergeCells(`A${n}:B${n}`);
      row.getCell(3).style = typeof values[2] === 'number' && n >= 10 ? PERCENT : BOLD;
    } else {
      sheet.mergeCells(`A${n}:H${n}`);
    }
    row.commit();
  });
  sheet.addRow([]).commit();
  const head = sheet.addRow([...XLSX_HEADERS]);
  head.height = 30;
  for (let c = 1; c <= XLSX_HEADERS.length; c++) head.getCell(c).style = HEADER;
  head.commit();
  sheet.autoFilter = `A${headerRow}:H${headerRow}`;

  const localTime = localTimeConverter(header.timeZone);
  const deadlines = new Map<string, Date>();
  let n = 0;
  for (const r of rows) {
    let deadline = deadlines.get(r.deadline);
    if (!deadline) {
      deadline = excelDate(r.deadline);
      deadlines.set(r.deadline, deadline);
    }
    const row = sheet.addRow([
      plainText(r.unitId),
      plainText(r.unitName),
      STATUS_LABELS[r.status],
      deadline,
      r.submittedAt ? localTime(r.submittedAt) : null,
      r.files,
      r.bytes,
      r.sha256.join('\n'),
    ]);
    for (let c = 0; c < ROW_STYLES.length; c++) row.getCell(c + 1).style = ROW_STYLES[c]!;
    row.commit();
    if (++n % ROWS_PER_YIELD === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await workbook.commit();
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

/**
 * A calendar date as Excel stores it: a serial day with no zone. exceljs turns a Date's UTC fields
 * into the serial, so the date is built at 00:00 UTC.
 */
function excelDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/**
 * Instants shown as the committee's wall-clock time (Excel times have no zone): a Date whose UTC
 * fields are the local ones. The zone's offset is looked up once per quarter hour of UTC time
 * (every real zone changes offset on a quarter hour), not once per row: Intl is the slow part.
 */
export function localTimeConverter(timeZone: string): (instant: string) => Date {
  const QUARTER_HOUR = 15 * 60 * 1000;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsets = new Map<number, number>();
  return (instant) => {
    const ms = Date.parse(instant);
    const bucket = Math.floor(ms / QUARTER_HOUR);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * QUARTER_HOUR;
      const p: Record<string, number> = {};
      for (const part of format.formatToParts(at)) p[part.type] = Number(part.value);
      offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
      offsets.set(bucket, offset);
    }
    // Minutes are what the sheet shows (dd/mm/yyyy hh:mm): seconds are dropped as in the app.
    return new Date(Math.floor((ms + offset) / 60_000) * 60_000);
  };
}
