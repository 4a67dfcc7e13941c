/**
 * `summary.csv` of the consolidated ZIP (outside contract, docs/exports.md):
 * UTF-8 starting with a BOM (so that Excel and LibreOffice open it as UTF-8 on a double click,
 * instead of garbling the diacritics as the system's code page), then the header exactly
 * {@link SUMMARY_CSV_HEADER}, LF line ends, RFC 4180 quoting.
 * Its columns are those of ./summary-columns.ts, shared with tong-hop.xlsx.
 */
import type { ExportUnit } from './content.ts';
import { isFormulaLike } from './formula-like.ts';
import { SUMMARY_COLUMNS, type SummaryColumn, summaryRow } from './summary-columns.ts';

/** U+FEFF, which UTF-8 encodes as EF BB BF: the first character of summary.csv (DESIGN §4). */
export const UTF8_BOM = '\uFEFF';

/** The header line of a table's columns. */
export function summaryCsvHeader(columns: readonly SummaryColumn[] = SUMMARY_COLUMNS): string {
  return columns.map((c) => csvField(c.csv)).join(',');
}

/** `unit_id,unit_name,status,deadline,submitted_at,files,bytes,sha256` (and any column added after). */
export const SUMMARY_CSV_HEADER = summaryCsvHeader();

/**
 * A text cell that a spreadsheet will show as text: a formula-like value (see
 * {@link isFormulaLike}: starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading
 * `'` (OWASP's advice), so `=HYPERLINK(…)` in a unit name is never evaluated. Only free text
 * (unit ids and names) goes through this; generated values (statuses, dates, counts, hashes) are
 * written as they are.
 */
export function neutraliseFormula(value: string): string {
  return isFormulaLike(value) ? `'${value}` : value;
}

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, inner quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One line (without the line end) of summary.csv. */
export function summaryCsvLine(
  unit: ExportUnit,
  columns: readonly SummaryColumn[] = SUMMARY_COLUMNS,
): string {
  const row = summaryRow(unit);
  return columns
    .map((c) => csvField(c.freeText ? neutraliseFormula(c.csvValue(row)) : c.csvValue(row)))
    .join(',');
}

/** The whole file, line by line (a generator: 200,000 units are never one string). */
export function* summaryCsvChunks(
  units: Iterable<ExportUnit>,
  batch = 1000,
  columns: readonly SummaryColumn[] = SUMMARY_COLUMNS,
): Generator<string> {
  let lines: string[] = [UTF8_BOM + summaryCsvHeader(columns)];
  for (const unit of units) {
    lines.push(summaryCsvLine(unit, columns));
    if (lines.length >= batch) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
}
