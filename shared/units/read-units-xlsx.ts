/**
 * The committee's units as an Excel workbook (.xlsx): the first sheet is read like the units CSV
 * (a header row, then one unit a row) and every row goes through the same checks
 * (./unit-rows.ts), with the sheet's row numbers as the lines of the errors. Only values are
 * read: a cell with a formula, or with an error value (`#REF!`), is refused with its reference
 * (`ô C5`), never evaluated; so is a name or note that starts like a formula.
 *
 * The file is bounded before anything is inflated: its size ({@link MAX_UNITS_XLSX_BYTES}), then
 * the Office ZIP checks of shared/files/office-zip.ts (entry count, declared and inflated sizes,
 * the XML's total, no DTD: a ZIP bomb is refused), and only then are the workbook's few XML parts
 * read, each with saxes, a small strict XML parser (no DTD, no external entities).
 */
import { SaxesParser } from 'saxes';
import { formatBytes } from '#shared/domain/bytes.ts';
import { CsvValidationError, PayloadTooLargeError } from '#shared/errors.ts';
import { inspectOfficeZip, readOfficeParts } from '#shared/files/office-zip.ts';
import { formatSizeOver, MAX_UNITS_CSV_BYTES } from '#shared/input-limits.ts';
import { shorten, type UnitRow, UnitRowsCheck } from './unit-rows.ts';

/** Largest units workbook: the CSV's bound (a workbook of 5,000 units is about 300 KB). */
export const MAX_UNITS_XLSX_BYTES = MAX_UNITS_CSV_BYTES;
/** Columns read from a row; a value further right is an error (a units sheet has five). */
const MAX_COLUMNS = 50;
/** Excel's last row and column. */
const MAX_ROW = 1_048_576;
const MAX_COLUMN = 16_384;

const NOT_XLSX =
  'tệp không phải bảng tính Excel .xlsx hợp lệ; hãy mở bằng Excel và lưu lại dạng "Sổ làm việc Excel (*.xlsx)" hoặc "CSV UTF-8"';
const OLD_XLS =
  'tệp là bảng tính Excel 97–2003 (.xls), không được hỗ trợ; hãy lưu lại dạng "Sổ làm việc Excel (*.xlsx)" hoặc "CSV UTF-8"';

/** Whether bytes start like a ZIP archive (an .xlsx, .docx…). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Whether bytes start like an OLE2 compound file (.xls, .doc of Office 97–2003). */
export function looksLikeOle2(bytes: Uint8Array): boolean {
  const magic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return magic.every((b, i) => bytes[i] === b);
}

/**
 * Reads and validates the units of an .xlsx workbook's first sheet.
 * @param fileName how the file is named in a size error.
 * @returns the units in sheet order, each with its row number.
 * @throws PayloadTooLargeError over {@link MAX_UNITS_XLSX_BYTES}, before anything is read.
 * @throws CsvValidationError (file kind "Excel (.xlsx)") listing every problem with its row
 *   number: not a workbook, refused archive, formula or error cells, and the row checks.
 */
export async function readUnitsXlsxRows(bytes: Uint8Array, fileName = 'Excel'): Promise<UnitRow[]> {
  if (bytes.length > MAX_UNITS_XLSX_BYTES) throw unitsXlsxTooLarge(fileName, bytes.length);
  if (looksLikeOle2(bytes)) throw fileProblem(OLD_XLS);
  if (!looksLikeZip(bytes)) throw fileProblem(NOT_XLSX);
  const problem = await inspectOfficeZip(bytes);
  if (problem?.kind === 'unreadable') throw fileProblem(NOT_XLSX);
  if (problem) throw fileProblem(`tệp bị từ chối: ${problem.detailVi}`);

  const parts = await readParts(bytes);
  const workbookPath = 'xl/workbook.xml';
  const workbook = parts.get(workbookPath);
  if (workbook === undefined) throw fileProblem(NOT_XLSX);
  const relationships = readRelationships(parts, 'xl/_rels/workbook.xml.rels', workbookPath);
  const sheetId = firstSheetRelationship(workbook);
  const sheetPath =
    (sheetId && relationships.find((r) => r.id === sheetId)?.target) ??
    (parts.has('xl/worksheets/sheet1.xml') ? 'xl/worksheets/sheet1.xml' : undefined);
  const sheet = sheetPath === undefined ? undefined : parts.get(sheetPath);
  if (sheet === undefined) throw fileProblem('không tìm thấy trang tính nào trong tệp .xlsx');
  const sharedPath = relationships.find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const shared = sharedPath === undefined ? undefined : parts.get(sharedPath);
  const strings = shared === undefined ? [] : readSharedStrings(shared);

  const check = new UnitRowsCheck('xlsx');
  readSheet(sheet, strings, check);
  return check.finish();
}

/** An .xlsx refused for its size. */
export function unitsXlsxTooLarge(fileName: string, size: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `File too large: ${fileName} has ${size} bytes; the limit for a units workbook is ${MAX_UNITS_XLSX_BYTES} bytes`,
    `Tệp ${fileName} lớn quá (${formatSizeOver(size, MAX_UNITS_XLSX_BYTES)}); giới hạn cho danh sách đơn vị (Excel) là ${formatBytes(MAX_UNITS_XLSX_BYTES)}.`,
  );
}

function fileProblem(message: string, line = 1): CsvValidationError {
  return new CsvValidationError([{ line, message }], 'Excel (.xlsx)');
}

/**
 * The workbook's XML parts (`xl/…` and their relationships), by lower-cased name. The archive has
 * passed inspectOfficeZip: every part is bounded already.
 */
async function readParts(bytes: Uint8Array): Promise<Map<string, string>> {
  let raw: Map<string, Buffer>;
  try {
    raw = await readOfficeParts(
      bytes,
      (name) => name.startsWith('xl/') && (name.endsWith('.xml') || name.endsWith('.rels')),
    );
  } catch {
    throw fileProblem(NOT_XLSX);
  }
  return new Map([...raw].map(([name, data]) => [name, decodeXml(data)]));
}

/** A part's text: UTF-8 (what Excel and every other writer use), refused otherwise. */
function decodeXml(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fileProblem('tệp .xlsx có phần không phải văn bản UTF-8; hãy mở bằng Excel và lưu lại');
  }
}

/** Calls `on` for each element of `xml` (name without prefix), strictly; a bad part is refused. */
function walkXml(
  xml: string,
  handlers: {
    open?: (name: string, attributes: Record<string, string>) => void;
    close?: (name: string) => void;
    text?: (text: string) => void;
  },
): void {
  const parser = new SaxesParser({ position: false });
  parser.on('error', (error) => {
    throw error;
  });
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  if (handlers.open) {
    const open = handlers.open;
    parser.on('opentag', (tag) => open(local(tag.name), tag.attributes as Record<string, string>));
  }
  if (handlers.close) {
    const close = handlers.close;
    parser.on('closetag', (tag) => close(local(tag.name)));
  }
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof CsvValidationError) throw error;
    throw fileProblem('tệp .xlsx có phần XML bị hỏng; hãy mở bằng Excel và lưu lại');
  }
}

interface Relationship {
  id: string;
  type: string;
  /** The part's lower-cased name in the archive. */
  target: string;
}

function readRelationships(parts: Map<string, string>, relsPath: string, sourcePath: string): Relationship[] {
  const xml = parts.get(relsPath);
  if (xml === undefined) return [];
  const base = sourcePath.slice(0, sourcePath.lastIndexOf('/') + 1);
  const found: Relationship[] = [];
  walkXml(xml, {
    open: (name, attributes) => {
      if (name !== 'Relationship' || attributes.TargetMode === 'External') return;
      const target = attributes.Target ?? '';
      found.push({
        id: attributes.Id ?? '',
        type: attributes.Type ?? '',
        target: resolvePath(target.startsWith('/') ? target.slice(1) : base + target),
      });
    },
  });
  return found;
}

/** `xl/worksheets/../sharedStrings.xml` → `xl/sharedstrings.xml`. */
function resolvePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  return out.join('/').toLowerCase();
}

/** The relationship id of the workbook's first visible sheet (the first tab). */
function firstSheetRelationship(workbook: string): string | undefined {
  let first: string | undefined;
  let firstVisible: string | undefined;
  walkXml(workbook, {
    open: (name, attributes) => {
      if (name !== 'sheet') return;
      const id = Object.entries(attributes).find(([key]) => key === 'r:id' || key.endsWith(':id'))?.[1];
      if (id === undefined) return;
      first ??= id;
      if (!attributes.state || attributes.state === 'visible') firstVisible ??= id;
    },
  });
  return firstVisible ?? first;
}

/** The shared strings: each `<si>`'s text runs, without phonetic guides (`<rPh>`). */
function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  walkXml(xml, {
    open: (name) => {
      if (name === 'si') current = '';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inText = true;
    },
    close: (name) => {
      if (name === 'si') {
        strings.push(unescapeExcel(current ?? ''));
        current = undefined;
      } else if (name === 'rPh') phonetic--;
      else if (name === 't') inText = false;
    },
    text: (text) => {
      if (inText && current !== undefined) current += text;
    },
  });
  return strings;
}

/** Excel writes characters XML cannot carry as `_xHHHH_` (e.g. `_x000D_`); `_x005F_` escapes `_`. */
function unescapeExcel(text: string): string {
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** `C17` → column 3 (1-based), or undefined. */
function columnOf(ref: string): number | undefined {
  const letters = /^([A-Z]{1,3})\d+$/.exec(ref)?.[1];
  if (!letters) return undefined;
  let n = 0;
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 64);
  return n;
}

function columnLetters(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** One cell being read. */
interface CellState {
  column: number;
  type: string;
  value: string;
  inline: string;
  formula: string | undefined;
}

/**
 * Reads the sheet's rows into `check`: row numbers from `r` (or counted), cells placed by their
 * reference (or after the previous cell: references are optional), trailing empty cells dropped
 * and short rows padded to the header's width. A formula or an error value is a problem of its
 * row; a value far to the right too.
 */
function readSheet(xml: string, strings: readonly string[], check: UnitRowsCheck): void {
  let rowNumber = 0;
  let cells: string[] | undefined;
  let rowProblems: string[] = [];
  let cell: CellState | undefined;
  let lastColumn = 0;
  let element: 'v' | 't' | 'f' | undefined;
  let inInline = false;
  let phonetic = 0;
  let stopped = false;

  const endRow = () => {
    if (!cells || stopped) return;
    const values = cells;
    cells = undefined;
    if (rowProblems.length > 0) {
      for (const message of rowProblems) check.problem(rowNumber, message);
      // Without a header, the rows that follow cannot be read.
      if (!check.columns) stopped = true;
      return;
    }
    while (values.length > 0 && values[values.length - 1]!.trim() === '') values.pop();
    const width = check.columns?.length ?? 0;
    while (values.length > 0 && values.length < width) values.push('');
    if (!check.add(values, rowNumber)) stopped = true;
  };

  walkXml(xml, {
    open: (name, attributes) => {
      if (stopped) return;
      if (name === 'row') {
        const r = Number(attributes.r);
        rowNumber = Number.isInteger(r) && r > rowNumber && r <= MAX_ROW ? r : rowNumber + 1;
        cells = [];
        rowProblems = [];
        lastColumn = 0;
      } else if (name === 'c' && cells) {
        const column = (attributes.r ? columnOf(attributes.r) : undefined) ?? lastColumn + 1;
        lastColumn = Math.min(column, MAX_COLUMN);
        cell = { column: lastColumn, type: attributes.t ?? 'n', value: '', inline: '', formula: undefined };
      } else if (cell && (name === 'v' || name === 'f')) {
        element = name;
        if (name === 'f') cell.formula ??= '';
      } else if (cell && name === 'is') {
        inInline = true;
      } else if (inInline && name === 'rPh') {
        phonetic++;
      } else if (inInline && name === 't' && phonetic === 0) {
        element = 't';
      }
    },
    text: (text) => {
      if (!cell || stopped) return;
      if (element === 'v') cell.value += text;
      else if (element === 'f') cell.formula = (cell.formula ?? '') + text;
      else if (element === 't') cell.inline += text;
    },
    close: (name) => {
      if (stopped) return;
      if (name === 'v' || name === 'f' || name === 't') element = undefined;
      else if (name === 'rPh') phonetic--;
      else if (name === 'is') inInline = false;
      else if (name === 'c' && cell && cells) {
        placeCell(cell, strings, rowNumber, cells, rowProblems);
        cell = undefined;
      } else if (name === 'row') endRow();
    },
  });
  endRow();
}

function placeCell(
  cell: CellState,
  strings: readonly string[],
  row: number,
  cells: string[],
  problems: string[],
): void {
  const ref = `${columnLetters(cell.column)}${row}`;
  if (cell.formula !== undefined) {
    const formula = cell.formula.trim();
    problems.push(
      `ô ${ref} chứa công thức${formula ? ` (=${shorten(formula)})` : ''}: chỉ nhận giá trị; ` +
        'hãy sao chép và "Dán giá trị" (Paste Values) thay cho công thức',
    );
    return;
  }
  let value: string;
  switch (cell.type) {
    case 's': {
      const index = Number(cell.value);
      const text = Number.isInteger(index) ? strings[index] : undefined;
      if (text === undefined) {
        problems.push(`ô ${ref} tham chiếu một chuỗi không có trong tệp (tệp hỏng?)`);
        return;
      }
      value = text;
      break;
    }
    case 'inlineStr':
      value = unescapeExcel(cell.inline);
      break;
    case 'e':
      problems.push(`ô ${ref} chứa lỗi của bảng tính (${shorten(cell.value)})`);
      return;
    default:
      value = unescapeExcel(cell.value);
  }
  if (value.trim() === '') return;
  if (cell.column > MAX_COLUMNS) {
    problems.push(`ô ${ref} nằm ngoài các cột của danh sách đơn vị; hãy xoá giá trị ở đó`);
    return;
  }
  while (cells.length < cell.column - 1) cells.push('');
  cells[cell.column - 1] = value;
}
