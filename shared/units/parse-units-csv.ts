/**
 * The committee's units CSV (`baocao units import FILE.csv`): decoding, header check and row
 * validation. Pure: no I/O, nothing stored. Either every row is valid and the units come back,
 * or a {@link CsvValidationError} lists every bad line, so a file is never half imported.
 * The file's size, its rows and its cells are bounded (shared/input-limits.ts).
 */
import { CsvError, parse } from 'csv-parse/sync';
import * as z from 'zod/mini';
import { formatCountVi } from '#shared/domain/bytes.ts';
import type { UnitInput } from '#shared/domain/unit.ts';
import { type CsvLineError, CsvValidationError } from '#shared/errors.ts';
import {
  MAX_CSV_CELL_CHARS,
  MAX_UNITS_CSV_BYTES,
  MAX_UNITS_CSV_ROWS,
  unitsCsvTooLarge,
} from '#shared/input-limits.ts';

/** Longest unit id; ids end up in S3 keys, DynamoDB keys and ZIP folder names. */
export const MAX_UNIT_ID_LENGTH = 64;
/** Longest unit name, in characters (code points) after NFC normalisation. */
export const MAX_UNIT_NAME_LENGTH = 200;

const REQUIRED_COLUMNS = ['id', 'name', 'email'] as const;
const OPTIONAL_COLUMNS = ['cc'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
const KNOWN_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

const UNIT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** C0/C1 controls, line and paragraph separators: they would break e-mail headers and file names. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Addresses in the cc cell: ";" as documented, but people also type "," or spaces. */
const CC_SEPARATORS = /[;,\s]+/;
const emailSchema = z.email();

/**
 * Parses and validates the units CSV.
 *
 * Accepted: UTF-8 with or without BOM; CRLF, LF or CR line ends (mixed too); RFC 4180 quoting
 * (`"Chi bộ 1, Văn phòng"`, `""` for a quote inside a quoted value); blank or whitespace-only
 * lines anywhere; spaces around values. The header names the columns `id`, `name`, `email` and
 * optionally `cc`, in any order and any letter case.
 *
 * Normalised: every value trimmed; `name` to Unicode NFC (so a name typed on a Mac, in NFD,
 * matches the same name typed elsewhere); `email` and `cc` lower-cased; `cc` split on `;`,
 * `,` or whitespace, de-duplicated, and without the unit's own `email`. Ids keep their case but
 * are unique regardless of case.
 *
 * Bounded: at most {@link MAX_UNITS_CSV_BYTES} (UTF-8), {@link MAX_UNITS_CSV_ROWS} data rows and
 * {@link MAX_CSV_CELL_CHARS} characters in any cell.
 *
 * @param input the file's bytes (preferred: they are checked to be UTF-8) or its decoded text.
 * @param fileName how the file is named in a size error (default "CSV").
 * @returns the units in file order.
 * @throws PayloadTooLargeError when the input is over {@link MAX_UNITS_CSV_BYTES}, before it is
 *   decoded.
 * @throws CsvValidationError listing every problem with its physical 1-based line number, as a
 *   spreadsheet or text editor shows it (the header is line 1 unless blank lines precede it).
 *   Messages are Vietnamese. Nothing is returned when any line is bad.
 */
export function parseUnitsCsv(input: string | Uint8Array, fileName = 'CSV'): UnitInput[] {
  const size = byteLength(input);
  if (size > MAX_UNITS_CSV_BYTES) throw unitsCsvTooLarge(fileName, size);
  const text = decode(input);
  const lines = new PhysicalLines(text);
  const errors: CsvLineError[] = [];
  const units: UnitInput[] = [];
  const firstLineOfId = new Map<string, number>();
  let columns: Column[] | undefined;
  let headerLine = 1;
  let rows = 0;
  // End (UTF-8 byte offset, as csv-parse counts) of the last record seen: the next record,
  // or a record that fails to parse, starts at the first non-blank character after it.
  let previousEnd = 0;

  const onRecord = (fields: string[], end: number): void => {
    const line = lines.recordStartLine(previousEnd);
    previousEnd = end;
    const values = fields.map((f) => f.trim());
    // csv-parse drops empty lines, but a spreadsheet's empty row is ",,," and is just as blank.
    if (values.every((v) => v === '')) return;
    if (columns === undefined) {
      headerLine = line;
      const header = checkHeader(values);
      if ('problems' in header) {
        errors.push(...header.problems.map((message) => ({ line, message })));
        throw STOP;
      }
      columns = header.columns;
      return;
    }
    rows += 1;
    if (rows > MAX_UNITS_CSV_ROWS) {
      errors.push({
        line,
        message: `tệp có quá ${formatCountVi(MAX_UNITS_CSV_ROWS)} đơn vị (tối đa ${formatCountVi(MAX_UNITS_CSV_ROWS)} dòng dữ liệu)`,
      });
      throw STOP;
    }
    const long = values.findIndex((v) => v.length > MAX_CSV_CELL_CHARS && charCount(v) > MAX_CSV_CELL_CHARS);
    if (long >= 0) {
      // The row's other checks would only repeat that the cell is too long.
      const column = columns[long];
      errors.push({
        line,
        message:
          `ô thứ ${long + 1}${column ? ` (cột ${column})` : ''} dài ${formatCountVi(charCount(values[long]!))} ký tự, ` +
          `tối đa ${MAX_CSV_CELL_CHARS}`,
      });
      return;
    }
    const unit = checkRow(values, columns, line, firstLineOfId, errors);
    if (unit) units.push(unit);
  };

  try {
    parse(text, {
      // Records of any length come through, so a short or long row is reported as such
      // (with its line) instead of aborting the whole parse.
      relax_column_count: true,
      skip_empty_lines: true,
      // Whitespace around values and around quotes (`a, "b, c"`) is common in hand-written files.
      trim: true,
      // Not auto-detected: detection locks onto the first line end and a file edited with
      // different tools can mix them.
      record_delimiter: ['\r\n', '\n', '\r'],
      // The context is csv-parse's `info` snapshot; `bytes` is where this record ends.
      on_record: (record, context) => {
        onRecord(record, context.bytes);
        return null; // keep nothing in csv-parse; the units are collected above
      },
    });
  } catch (error) {
    if (error === STOP) {
      // A header or size problem: the rest of the file is not worth checking.
    } else if (error instanceof CsvError) {
      // A quoting error leaves the parser unable to tell where later records begin, so it is
      // the last problem reported; the rows before it have been checked already.
      errors.push({ line: lines.recordStartLine(previousEnd), message: quoteErrorMessage(error) });
    } else {
      throw error;
    }
  }

  if (errors.length === 0 && columns === undefined) {
    errors.push({
      line: 1,
      message: 'tệp trống: cần dòng tiêu đề "id,name,email" (thêm cột "cc" nếu cần) và ít nhất một đơn vị',
    });
  } else if (errors.length === 0 && units.length === 0) {
    errors.push({ line: headerLine, message: 'không có đơn vị nào: tệp chỉ có dòng tiêu đề' });
  }
  if (errors.length > 0) throw new CsvValidationError(errors);
  return units;
}

/** Size in UTF-8 bytes; a string is measured without being encoded. */
function byteLength(input: string | Uint8Array): number {
  if (typeof input !== 'string') return input.length;
  // Every UTF-16 code unit takes at least one byte, so a longer string is over any byte limit.
  return input.length > MAX_UNITS_CSV_BYTES ? input.length : Buffer.byteLength(input, 'utf8');
}

/** Characters (code points), counted without building an array: a cell can be megabytes long. */
function charCount(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // The high half of a surrogate pair is counted with its low half.
    if (unit < 0xd800 || unit > 0xdbff) count++;
  }
  return count;
}

/** Thrown from inside csv-parse's callback to stop parsing early. */
const STOP = Symbol('stop parsing');

const NOT_UTF8_MESSAGE =
  'tệp không phải văn bản UTF-8 (có thể là tệp Excel hoặc văn bản mã hoá khác); ' +
  'hãy lưu lại bằng "CSV UTF-8 (phân cách bằng dấu phẩy)"';

/** Bytes → text, rejecting anything that is not UTF-8 text; strips one leading BOM. */
function decode(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else {
    try {
      // fatal: a Windows-1258 or UTF-16 file must be refused, not imported as mojibake.
      // The decoder removes the BOM itself (ignoreBOM defaults to false).
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new CsvValidationError([{ line: 1, message: NOT_UTF8_MESSAGE }]);
    }
  }
  // NUL is valid UTF-8 but never in text: it means a binary file or UTF-16 read as bytes.
  if (text.includes('\u0000')) throw new CsvValidationError([{ line: 1, message: NOT_UTF8_MESSAGE }]);
  return text;
}

type HeaderCheck = { columns: Column[] } | { problems: string[] };

function checkHeader(values: string[]): HeaderCheck {
  const names = values.map((v) => v.toLowerCase());
  // A file saved with ";" as separator (some spreadsheet locales) arrives as one column.
  if (names.length === 1 && names[0]?.includes(';')) {
    return {
      problems: [
        'các cột phải phân cách bằng dấu phẩy (,), không phải dấu chấm phẩy (;): cần "id,name,email"',
      ],
    };
  }
  const problems: string[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') {
      problems.push(`cột thứ ${i + 1} của dòng tiêu đề không có tên (xoá cột thừa hoặc dấu phẩy thừa)`);
    } else if (!KNOWN_COLUMNS.includes(name)) {
      unknown.push(name);
    } else if (seen.has(name)) {
      problems.push(`cột "${name}" xuất hiện nhiều lần`);
    }
    seen.add(name);
  });
  if (unknown.length > 0) {
    problems.push(
      `cột không được hỗ trợ: ${unknown.map((n) => `"${shorten(n)}"`).join(', ')} (chỉ dùng id, name, email, cc)`,
    );
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) problems.push(`thiếu cột: ${missing.join(', ')}`);
  return problems.length > 0 ? { problems } : { columns: names as Column[] };
}

function checkRow(
  values: string[],
  columns: readonly Column[],
  line: number,
  firstLineOfId: Map<string, number>,
  errors: CsvLineError[],
): UnitInput | undefined {
  if (values.length !== columns.length) {
    // The values cannot be matched to columns, so checking them would only add noise.
    errors.push({
      line,
      message: `có ${values.length} cột, cần đúng ${columns.length} cột như dòng tiêu đề (${columns.join(',')})`,
    });
    return undefined;
  }
  const cell = (column: Column): string => values[columns.indexOf(column)] ?? '';
  const rowErrors: string[] = [];

  const id = cell('id');
  if (id === '') {
    rowErrors.push('thiếu mã đơn vị (id)');
  } else if (id.length > MAX_UNIT_ID_LENGTH) {
    rowErrors.push(`mã đơn vị dài ${id.length} ký tự, tối đa ${MAX_UNIT_ID_LENGTH}`);
  } else if (!UNIT_ID_PATTERN.test(id)) {
    rowErrors.push(
      `mã đơn vị không hợp lệ: "${shorten(id)}" — chỉ dùng chữ cái không dấu (a-z, A-Z), chữ số (0-9), ` +
        'dấu gạch ngang (-) và gạch dưới (_), bắt đầu bằng chữ cái hoặc chữ số',
    );
  } else {
    const key = id.toLowerCase();
    const first = firstLineOfId.get(key);
    if (first === undefined) firstLineOfId.set(key, line);
    else rowErrors.push(`trùng mã đơn vị với dòng ${first} ("${id}")`);
  }

  const name = cell('name').normalize('NFC');
  const nameLength = [...name].length;
  if (name === '') rowErrors.push('thiếu tên đơn vị');
  else if (nameLength > MAX_UNIT_NAME_LENGTH)
    rowErrors.push(`tên đơn vị dài ${nameLength} ký tự, tối đa ${MAX_UNIT_NAME_LENGTH}`);
  else if (CONTROL_CHARS.test(name)) rowErrors.push('tên đơn vị chứa ký tự xuống dòng hoặc ký tự điều khiển');

  const email = cell('email').toLowerCase();
  if (email === '') rowErrors.push('thiếu email');
  else if (!isEmail(email)) rowErrors.push(`email không hợp lệ: "${shorten(cell('email'))}"`);

  const cc: string[] = [];
  const ccCell = columns.includes('cc') ? cell('cc') : '';
  for (const address of ccCell.split(CC_SEPARATORS).filter(Boolean)) {
    const lower = address.toLowerCase();
    if (!isEmail(lower)) rowErrors.push(`email CC không hợp lệ: "${shorten(address)}"`);
    else if (lower !== email && !cc.includes(lower)) cc.push(lower);
  }

  errors.push(...rowErrors.map((message) => ({ line, message })));
  return rowErrors.length === 0 ? { id, name, email, cc } : undefined;
}

function isEmail(value: string): boolean {
  return emailSchema.safeParse(value).success;
}

function quoteErrorMessage(error: CsvError): string {
  const rule = 'giá trị có dấu phẩy phải đặt trong ngoặc kép "…", và mỗi dấu " bên trong viết thành ""';
  const rest = '; các dòng sau chưa được kiểm tra';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `dấu ngoặc kép (") mở ở dòng này không được đóng đến hết tệp: ${rule}${rest}`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `sau dấu ngoặc kép đóng (") phải là dấu phẩy hoặc hết dòng: ${rule}${rest}`;
    case 'INVALID_OPENING_QUOTE':
      return `dấu ngoặc kép (") nằm giữa một giá trị không đặt trong ngoặc kép: ${rule}${rest}`;
    default:
      return `dòng không đúng định dạng CSV (${error.message})${rest}`;
  }
}

/** Values echoed in messages are cut, so one huge cell cannot flood the error list. */
function shorten(value: string): string {
  const chars = [...value];
  return chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : value;
}

/**
 * Maps csv-parse's positions (UTF-8 byte offsets) to the physical line numbers a person sees.
 * csv-parse's own `info.lines` is not used: it miscounts around blank lines and quoted line
 * breaks in CRLF files. Offsets only move forward, so one pass over the text serves the file.
 */
class PhysicalLines {
  #char = 0;
  #byte = 0;
  #line = 1;

  constructor(private readonly text: string) {}

  /**
   * The line of the first character of a record that starts after `byteOffset` (the end of
   * the previous record): blank and whitespace-only lines, which csv-parse skips, are
   * skipped here too. A record's first character is never whitespace followed by a line end,
   * so the line found is the one where the record's content begins.
   */
  recordStartLine(byteOffset: number): number {
    while (this.#byte < byteOffset && this.#char < this.text.length) this.#step();
    while (this.#char < this.text.length && /\s/u.test(this.text[this.#char] ?? '')) this.#step();
    return this.#line;
  }

  #step(): void {
    const cp = this.text.codePointAt(this.#char) ?? 0;
    // A line ends at LF, or at a CR not followed by LF (CRLF counts once).
    if (cp === 0x0a || (cp === 0x0d && this.text.charCodeAt(this.#char + 1) !== 0x0a)) this.#line += 1;
    this.#char += cp > 0xffff ? 2 : 1;
    this.#byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
