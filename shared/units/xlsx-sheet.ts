/**
 * The values of an Excel workbook's (.xlsx) first sheet, for the units import
 * (./read-units-xlsx.ts), read by the document reader (functions/document-reader.ts) and never
 * in setup-api. Only values are read: a cell with a formula, or with an error value (`#REF!`), is
 * a problem of its row with its reference (`C5`), never evaluated.
 *
 * The archive is checked before anything is inflated (shared/files/office-zip.ts: entry count,
 * declared and inflated sizes, the XML's total, no DTD: a ZIP bomb is refused), and only then are
 * the workbook's few XML parts read, each with saxes, a small strict XML parser (no DTD, no
 * external entities).
 */
import { SaxesParser } from 'saxes';
import { inspectOfficeZip, readOfficeParts } from '#shared/files/office-zip.ts';
import { DocumentReadError, type SheetCellProblem, type SheetRow } from '#shared/files/ports.ts';
import { MAX_UNITS_CSV_ROWS } from '#shared/input-limits.ts';

/** Columns read from a row; a value further right is a problem (a units sheet has five). */
const MAX_COLUMNS = 50;
/** Excel's last row and column. */
const MAX_ROW = 1_048_576;
const MAX_COLUMN = 16_384;
/** Rows answered: the header, every unit allowed and one more (the check then stops). */
const MAX_SHEET_ROWS = MAX_UNITS_CSV_ROWS + 2;
/**
 * Characters of values answered, under the 6 MB a synchronous Lambda answer may carry (at most
 * 3 bytes a character in JSON): 300 a unit, over three times what a real list holds.
 */
export const MAX_SHEET_CHARS = 1_500_000;

/**
 * Reads the rows of an .xlsx workbook's first sheet.
 * @throws DocumentReadError: `unreadable` (not a workbook), `refused` (the archive's checks),
 *   `no-sheet`, `not-utf8`, `bad-xml`, `too-long` (values over {@link MAX_SHEET_CHARS}).
 */
export async function readXlsxSheet(bytes: Uint8Array): Promise<SheetRow[]> {
  const problem = await inspectOfficeZip(bytes);
  if (problem?.kind === 'unreadable') throw new DocumentReadError('unreadable', 'not a ZIP archive');
  if (problem)
    throw new DocumentReadError('refused', `archive refused: ${problem.detail}`, undefined, problem);

  const parts = await readParts(bytes);
  const workbookPath = 'xl/workbook.xml';
  const workbook = parts.get(workbookPath);
  if (workbook === undefined) throw new DocumentReadError('unreadable', 'no xl/workbook.xml');
  const relationships = readRelationships(parts, 'xl/_rels/workbook.xml.rels', workbookPath);
  const sheetId = firstSheetRelationship(workbook);
  const sheetPath =
    (sheetId && relationships.find((r) => r.id === sheetId)?.target) ??
    (parts.has('xl/worksheets/sheet1.xml') ? 'xl/worksheets/sheet1.xml' : undefined);
  const sheet = sheetPath === undefined ? undefined : parts.get(sheetPath);
  if (sheet === undefined) throw new DocumentReadError('no-sheet', 'no worksheet');
  const sharedPath = relationships.find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const shared = sharedPath === undefined ? undefined : parts.get(sharedPath);
  const strings = shared === undefined ? [] : readSharedStrings(shared);
  return readSheet(sheet, strings);
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
    throw new DocumentReadError('unreadable', 'workbook parts unreadable');
  }
  return new Map([...raw].map(([name, data]) => [name, decodeXml(data)]));
}

/** A part's text: UTF-8 (what Excel and every other writer use), refused otherwise. */
function decodeXml(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DocumentReadError('not-utf8', 'a workbook part is not UTF-8');
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
    if (error instanceof DocumentReadError) throw error;
    throw new DocumentReadError('bad-xml', 'a workbook part is not well-formed XML');
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
 * Reads the sheet's rows: row numbers from `r` (or counted), cells placed by their reference (or
 * after the previous cell: references are optional). A formula or an error value is a problem of
 * its row; a value far to the right too. Blank rows are left out (the units check skips them);
 * reading stops after {@link MAX_SHEET_ROWS} rows, or refuses the sheet once its values pass
 * {@link MAX_SHEET_CHARS} characters, so that the answer stays small.
 */
function readSheet(xml: string, strings: readonly string[]): SheetRow[] {
  const rows: SheetRow[] = [];
  let rowNumber = 0;
  let cells: string[] | undefined;
  let rowProblems: SheetCellProblem[] = [];
  let cell: CellState | undefined;
  let lastColumn = 0;
  let element: 'v' | 't' | 'f' | undefined;
  let inInline = false;
  let phonetic = 0;
  let chars = 0;

  const stopped = () => rows.length >= MAX_SHEET_ROWS;
  const endRow = () => {
    if (!cells || stopped()) return;
    const values = cells;
    cells = undefined;
    if (rowProblems.length > 0) {
      rows.push({ row: rowNumber, cells: values, problems: rowProblems });
      return;
    }
    if (values.every((v) => v.trim() === '')) return;
    for (const value of values) chars += value.length;
    if (chars > MAX_SHEET_CHARS) throw new DocumentReadError('too-long', 'sheet values too long', chars);
    rows.push({ row: rowNumber, cells: values });
  };

  walkXml(xml, {
    open: (name, attributes) => {
      if (stopped()) return;
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
      if (!cell || stopped()) return;
      if (element === 'v') cell.value += text;
      else if (element === 'f') cell.formula = (cell.formula ?? '') + text;
      else if (element === 't') cell.inline += text;
    },
    close: (name) => {
      if (stopped()) return;
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
  return rows;
}

function placeCell(
  cell: CellState,
  strings: readonly string[],
  row: number,
  cells: string[],
  problems: SheetCellProblem[],
): void {
  const ref = `${columnLetters(cell.column)}${row}`;
  if (cell.formula !== undefined) {
    // A formula is named, shortened, in the message: a longer one is only cut here.
    problems.push({ kind: 'formula', ref, formula: cell.formula.trim().slice(0, 200) });
    return;
  }
  let value: string;
  switch (cell.type) {
    case 's': {
      const index = Number(cell.value);
      const text = Number.isInteger(index) ? strings[index] : undefined;
      if (text === undefined) {
        problems.push({ kind: 'missing-string', ref });
        return;
      }
      value = text;
      break;
    }
    case 'inlineStr':
      value = unescapeExcel(cell.inline);
      break;
    case 'e':
      problems.push({ kind: 'error-value', ref, value: cell.value.slice(0, 200) });
      return;
    default:
      value = unescapeExcel(cell.value);
  }
  if (value.trim() === '') return;
  if (cell.column > MAX_COLUMNS) {
    problems.push({ kind: 'outside', ref });
    return;
  }
  while (cells.length < cell.column - 1) cells.push('');
  cells[cell.column - 1] = value;
}
