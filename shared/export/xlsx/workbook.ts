/**
 * A minimal streaming SpreadsheetML (xlsx) writer on the project's ZIP writer (../zip.ts), for
 * tong-hop.xlsx: one part per ZIP entry, the worksheets generated row by row in 64 KiB chunks as
 * the ZIP's deflate asks for them (backpressure: a slow consumer stops the row source), so a sheet
 * of any length never sits in memory.
 *
 * What it writes, and nothing more: inline strings (`t="inlineStr"`, never formulas, never shared
 * strings), numbers (dates are numbers with a date format: see {@link excelSerial}), styled blank
 * cells; column widths, frozen rows, an auto-filter, merged cells, row heights, page setup, print
 * titles and a footer; the
 * style sheet of ./styles.ts; core and app properties. Every part's children appear in the order
 * of the ECMA-376 schema (Excel refuses misordered elements that other readers accept).
 */
import { Readable } from 'node:stream';
import { ChunkWriter } from '../chunk-writer.ts';
import {
  appPropsXml,
  CT_PREFIX,
  contentTypesXml,
  corePropsXml,
  NS_REL,
  relationshipsXml,
  rootRelsXml,
} from '../opc.ts';
import { escapeXml, XML_DECLARATION } from '../xml.ts';
import { type ZipEntrySpec, zipStream } from '../zip.ts';
import { type CellFormat, stylesXml } from './styles.ts';

/** A cell: text, a number (or a date as {@link excelSerial}), or nothing. */
export type CellValue = string | number | null | undefined;

/** One row: its values from column A on, and their style indexes (see {@link WorkbookSpec.formats}). */
export interface SheetRow {
  values: readonly CellValue[];
  /** Style of each column's cell (0 or missing: the default); may be shared by every row. */
  styles?: readonly number[];
  /** Height in points. */
  height?: number;
}

export interface SheetSpec {
  /** At most 31 characters, none of `: \ / ? * [ ]`. */
  name: string;
  /** Width of each column from A on, in characters. */
  columnWidths?: readonly number[];
  /** Rows kept in view above the scrolling part (frozen pane). */
  frozenRows?: number;
  /** An auto-filter on this header row over `columns` columns, down to the last row written. */
  autoFilter?: { headerRow: number; columns: number };
  /** Merged ranges (`A1:H1`). */
  merges?: readonly string[];
  /** Printing: A4 (paper size 9) and fit to one page wide by default when set. */
  pageSetup?: { orientation: 'portrait' | 'landscape'; paperSize?: number; fitToWidth?: number };
  /** Rows printed again at the top of every page (print titles), e.g. the table's header row. */
  printTitleRows?: { from: number; to: number };
  /**
   * The printed page's footer, in Excel's header/footer codes (`&P` page number, `&N` pages, `&C`
   * centre); written as given, so never built from users' text.
   */
  footer?: string;
  /** Rows 1, 2, …, pulled one at a time as the output drains (a generator builds them on the fly). */
  rows: Iterable<SheetRow>;
}

export interface WorkbookSpec {
  creator?: string;
  /** Creation time of the document and of its ZIP entries. Default: now. */
  created?: Date;
  /** Zone of the ZIP entries' DOS timestamps. Default UTC. */
  timeZone?: string;
  /** Cell formats; format `i` is style `i + 1`. */
  formats: readonly CellFormat[];
  sheets: readonly SheetSpec[];
}

/** Excel's limit on a cell's text, in UTF-16 code units. */
export const MAX_CELL_TEXT = 32_767;
/** Excel's last row: a sheet with more does not open. */
const MAX_ROWS = 1_048_576;
/** Sheet XML is handed to the ZIP in chunks of about this many characters. */
const CHUNK = 64 * 1024;
const DAY_MS = 86_400_000;
/** 1970-01-01 as an Excel serial day (1900 date system). */
const UNIX_EPOCH_SERIAL = 25_569;
/**
 * Deflate level of the parts. Measured on 200,000 summary rows (bench `xlsx`): level 1 writes
 * 10.6 MB in ~2.0 s of CPU, level 6 (zip.ts's default) 8.9 MB in ~2.8 s. The sheet is CPU-bound,
 * the file is still smaller than exceljs's (11 MB at its default), so speed wins.
 */
const DEFLATE_LEVEL = 1;

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/**
 * A date-time as Excel stores it: days since 1899-12-30 (1900 date system) with no zone. The
 * Date's UTC fields are the wall-clock time to show (callers shift instants to their zone first).
 */
export function excelSerial(date: Date): number {
  return date.getTime() / DAY_MS + UNIX_EPOCH_SERIAL;
}

/** The workbook's bytes as a ZIP stream (it ends when the workbook is complete). */
export function xlsxStream(book: WorkbookSpec): Readable {
  // lookAhead 0: each entry is produced only once the one before is written, so workbook.xml
  // (last) knows how many rows each sheet got, and no sheet is generated ahead of its turn.
  return zipStream(workbookEntries(book), {
    lookAhead: 0,
    level: DEFLATE_LEVEL,
    timeZone: book.timeZone ?? 'UTC',
  });
}

/** What writing a sheet found out that workbook.xml needs. */
interface SheetResult {
  done: boolean;
  lastRow: number;
}

function* workbookEntries(book: WorkbookSpec): Generator<ZipEntrySpec> {
  if (book.sheets.length === 0) throw new Error('A workbook needs at least one sheet');
  for (const sheet of book.sheets) checkSheetName(sheet.name);
  const mtime = book.created ?? new Date();
  const part = (name: string, xml: string): ZipEntrySpec => ({
    name,
    compress: true,
    mtime,
    data: Buffer.from(xml, 'utf8'),
  });
  yield part(
    '[Content_Types].xml',
    contentTypesXml([
      ['/xl/workbook.xml', `${CT_PREFIX}.spreadsheetml.sheet.main+xml`],
      ...book.sheets.map(
        (_, i) =>
          [`/xl/worksheets/sheet${i + 1}.xml`, `${CT_PREFIX}.spreadsheetml.worksheet+xml`] as [
            string,
            string,
          ],
      ),
      ['/xl/styles.xml', `${CT_PREFIX}.spreadsheetml.styles+xml`],
    ]),
  );
  yield part('_rels/.rels', rootRelsXml('xl/workbook.xml'));
  yield part('docProps/core.xml', corePropsXml({ creator: book.creator }, mtime));
  yield part('docProps/app.xml', appPropsXml());
  yield part('xl/_rels/workbook.xml.rels', workbookRelsXml(book.sheets.length));
  yield part('xl/styles.xml', stylesXml(book.formats));
  const results: SheetResult[] = [];
  for (const [i, sheet] of book.sheets.entries()) {
    const result: SheetResult = { done: false, lastRow: 0 };
    results.push(result);
    yield {
      name: `xl/worksheets/sheet${i + 1}.xml`,
      compress: true,
      mtime,
      data: () => Readable.from(sheetChunks(sheet, i === 0, result), { objectMode: false }),
    };
  }
  // Reached only when every sheet has been written (lookAhead 0).
  if (!results.every((r) => r.done)) throw new Error('workbook.xml before its sheets were written');
  yield part('xl/workbook.xml', workbookXml(book.sheets, results));
}

/** Excel refuses a workbook with a sheet name it would not let a user type. */
function checkSheetName(name: string): void {
  if (!name || name.length > 31 || /[:\\/?*[\]]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
    throw new Error(`Invalid sheet name: ${JSON.stringify(name)}`);
  }
}

/** Column letters: 1 → A, 26 → Z, 27 → AA. */
export function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/** The worksheet part, in chunks; CT_Worksheet's children in the schema's order. */
function* sheetChunks(sheet: SheetSpec, selected: boolean, result: SheetResult): Generator<Buffer> {
  const head =
    XML_DECLARATION +
    `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    (sheet.pageSetup ? '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' : '') +
    sheetViewsXml(sheet, selected) +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    colsXml(sheet.columnWidths ?? []) +
    '<sheetData>';
  const out = new ChunkWriter(CHUNK);
  out.write(head);
  const letters: string[] = [];
  let r = 0;
  for (const row of sheet.rows) {
    if (++r > MAX_ROWS) throw new Error(`Sheet ${sheet.name}: more than ${MAX_ROWS} rows`);
    const { values, styles } = row;
    while (letters.length < values.length) letters.push(columnName(letters.length + 1));
    let cells = '';
    for (let c = 0; c < values.length; c++) {
      const value = values[c];
      const s = styles?.[c] ?? 0;
      const head = s ? `<c r="${letters[c]}${r}" s="${s}"` : `<c r="${letters[c]}${r}"`;
      if (typeof value === 'string' && value !== '') {
        cells += `${head} t="inlineStr"><is>${inlineText(value)}</is></c>`;
      } else if (typeof value === 'number' && Number.isFinite(value)) {
        cells += `${head}><v>${value}</v></c>`;
      } else if (s) {
        // A blank that keeps its column's format (a date typed in later shows as a date).
        cells += `${head}/>`;
      }
    }
    if (cells || row.height !== undefined) {
      const height = row.height !== undefined ? ` ht="${row.height}" customHeight="1"` : '';
      out.write(cells ? `<row r="${r}"${height}>${cells}</row>` : `<row r="${r}"${height}/>`);
    }
    if (out.length >= CHUNK) yield out.take();
  }
  let xml = '</sheetData>';
  if (sheet.autoFilter) xml += `<autoFilter ref="${filterRange(sheet.autoFilter, r)}"/>`;
  const merges = sheet.merges ?? [];
  if (merges.length) {
    xml += `<mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${escapeXml(m)}"/>`).join('')}</mergeCells>`;
  }
  if (sheet.pageSetup) {
    const p = sheet.pageSetup;
    xml +=
      '<printOptions horizontalCentered="1"/>' +
      '<pageMargins left="0.5" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>' +
      `<pageSetup paperSize="${p.paperSize ?? 9}" orientation="${p.orientation}" fitToWidth="${p.fitToWidth ?? 1}" fitToHeight="0"/>`;
  }
  if (sheet.footer) xml += `<headerFooter><oddFooter>${escapeXml(sheet.footer)}</oddFooter></headerFooter>`;
  xml += '</worksheet>';
  out.write(xml);
  yield out.take();
  result.lastRow = r;
  result.done = true;
}

/** `<t>` of an inline string: cut to Excel's limit, escaped, spaces at its ends kept. */
function inlineText(value: string): string {
  let text = value;
  if (text.length > MAX_CELL_TEXT) {
    // Never split a surrogate pair.
    const end = isHighSurrogate(text.charCodeAt(MAX_CELL_TEXT - 1)) ? MAX_CELL_TEXT - 1 : MAX_CELL_TEXT;
    text = text.slice(0, end);
  }
  const escaped = escapeXml(text);
  return hasOuterSpace(escaped) ? `<t xml:space="preserve">${escaped}</t>` : `<t>${escaped}</t>`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function hasOuterSpace(text: string): boolean {
  return text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32);
}

function filterRange(filter: { headerRow: number; columns: number }, lastRow: number): string {
  return `A${filter.headerRow}:${columnName(filter.columns)}${Math.max(lastRow, filter.headerRow)}`;
}

function sheetViewsXml(sheet: SheetSpec, selected: boolean): string {
  const open = `<sheetViews><sheetView${selected ? ' tabSelected="1"' : ''} workbookViewId="0"`;
  const frozen = sheet.frozenRows ?? 0;
  if (frozen <= 0) return `${open}/></sheetViews>`;
  const topLeft = `A${frozen + 1}`;
  return (
    `${open}><pane ySplit="${frozen}" topLeftCell="${topLeft}" activePane="bottomLeft" state="frozen"/>` +
    `<selection pane="bottomLeft" activeCell="${topLeft}" sqref="${topLeft}"/></sheetView></sheetViews>`
  );
}

function colsXml(widths: readonly number[]): string {
  if (widths.length === 0) return '';
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`);
  return `<cols>${cols.join('')}</cols>`;
}

/** A sheet name as formulas and defined names quote it: `'Tổng hợp'`. */
function quotedSheetName(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

/** CT_Workbook's children in the schema's order: bookViews, sheets, definedNames, calcPr. */
function workbookXml(sheets: readonly SheetSpec[], results: readonly SheetResult[]): string {
  const names: string[] = sheets.flatMap((sheet, i) => {
    if (!sheet.autoFilter) return [];
    const [from, to] = filterRange(sheet.autoFilter, results[i]!.lastRow).split(':') as [string, string];
    const absolute = (ref: string) => ref.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2');
    const ref = `${quotedSheetName(sheet.name)}!${absolute(from)}:${absolute(to)}`;
    // Excel keeps an auto-filter's range in this hidden name too.
    return [
      `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeXml(ref)}</definedName>`,
    ];
  });
  for (const [i, sheet] of sheets.entries()) {
    const rows = sheet.printTitleRows;
    if (!rows) continue;
    if (
      !(Number.isInteger(rows.from) && Number.isInteger(rows.to) && rows.from >= 1 && rows.to >= rows.from)
    ) {
      throw new Error(`Invalid print title rows: ${rows.from}-${rows.to}`);
    }
    const ref = `${quotedSheetName(sheet.name)}!$${rows.from}:$${rows.to}`;
    names.push(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${escapeXml(ref)}</definedName>`);
  }
  return (
    XML_DECLARATION +
    `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets>` +
    (names.length ? `<definedNames>${names.join('')}</definedNames>` : '') +
    '<calcPr calcId="191029"/>' +
    '</workbook>'
  );
}

/** Sheets first (rId1…rIdN, as workbook.xml refers to them), then the styles. */
function workbookRelsXml(sheetCount: number): string {
  return relationshipsXml([
    ...Array.from(
      { length: sheetCount },
      (_, i) => [`${NS_REL}/worksheet`, `worksheets/sheet${i + 1}.xml`] as [string, string],
    ),
    [`${NS_REL}/styles`, 'styles.xml'],
  ]);
}
