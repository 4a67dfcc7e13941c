/**
 * The rules of one unit row, whatever brought it: a line of the units CSV, a row of an .xlsx
 * sheet, or the web form that adds or edits one unit. Pure: no I/O. The file readers
 * (parse-units-csv.ts, read-units-xlsx.ts) hand every record to a {@link UnitRowsCheck} with the
 * line (row) number a person sees; it collects every problem, so a file is refused whole with
 * all its line-numbered errors, or accepted whole.
 */

import { formatCountVi } from '#shared/domain/bytes.ts';
import { isEmailAddress } from '#shared/domain/formats.ts';
import { isCommitteeId } from '#shared/domain/ids.ts';
import { MAX_UNIT_NOTE_CHARS, type UnitInput } from '#shared/domain/unit.ts';
import { type CsvLineError, CsvValidationError } from '#shared/errors.ts';
import { MAX_CSV_CELL_CHARS, MAX_UNITS_CSV_ROWS } from '#shared/input-limits.ts';

/** Longest unit id; ids end up in S3 keys, DynamoDB keys and ZIP folder names. */
export const MAX_UNIT_ID_LENGTH = 64;
/** Longest unit name, in characters (code points) after NFC normalisation. */
export const MAX_UNIT_NAME_LENGTH = 200;

/** The columns a units file may have. */
export type UnitColumn = 'id' | 'name' | 'email' | 'cc' | 'note' | 'committee';

const REQUIRED_COLUMNS = ['id', 'name', 'email'] as const;

/**
 * Header names, as compared (lower case, without diacritics, spaces or punctuation): the English
 * names of the CSV contract, the Vietnamese headers of the downloaded list (`Mã đơn vị`, …), and
 * the downloaded list's read-only columns, which an import ignores so that the list goes back in
 * as it came out.
 */
const HEADER_NAMES: Record<string, UnitColumn | 'ignored'> = {
  id: 'id',
  madonvi: 'id',
  name: 'name',
  ten: 'name',
  tendonvi: 'name',
  email: 'email',
  cc: 'cc',
  emailcc: 'cc',
  note: 'note',
  ghichu: 'note',
  committee: 'committee',
  capuy: 'committee',
  macapuy: 'committee',
  trangthai: 'ignored',
  thoibaocaotu: 'ignored',
  lydothoibaocao: 'ignored',
};

const ACCEPTED_COLUMNS_TEXT =
  'dùng id, name, email, cc, note, committee — hoặc Mã đơn vị, Tên đơn vị, Email, CC, Ghi chú, Mã cấp ủy';

const UNIT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** A committee of the deployment (shared/tenancy/committee.ts `parseCommitteeId`). */
/** C0/C1 controls, line and paragraph separators: they would break e-mail headers and file names. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** In a note, line breaks are fine; other controls are not. */
const NOTE_CONTROL_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
/**
 * What a spreadsheet runs as a formula (OWASP "CSV injection"): a name or note starting with one
 * of these is refused, so that no list the committee downloads later carries a formula.
 */
const FORMULA_START = /^[=+\-@]/;
/** Addresses in the cc cell: ";" as documented, but people also type "," or spaces. */
const CC_SEPARATORS = /[;,\s]+/;

/** A valid unit and the line (row) it came from. */
export interface UnitRow {
  line: number;
  unit: UnitInput;
}

/** A header's name as compared: lower case, no diacritics, letters and digits only. */
export function headerKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Collects the records of one units file and checks each: the first non-blank record is the
 * header, the others are units. `separator` names how the file's columns are separated, for the
 * messages of a CSV (a spreadsheet has none).
 */
export class UnitRowsCheck {
  readonly errors: CsvLineError[] = [];
  readonly #rows: UnitRow[] = [];
  readonly #firstLineOfId = new Map<string, number>();
  /** Each column's meaning, null for a column the import ignores; undefined before the header. */
  #columns: (UnitColumn | null)[] | undefined;
  #headerLine = 1;
  #count = 0;

  constructor(private readonly kind: 'csv' | 'xlsx') {}

  /** The header's columns (undefined until the header was read). */
  get columns(): readonly (UnitColumn | null)[] | undefined {
    return this.#columns;
  }

  /**
   * Checks one record (its values as strings, untrimmed) found on `line`. Returns false when the
   * rest of the file is not worth reading (a bad header, too many rows).
   */
  add(values: readonly string[], line: number): boolean {
    const trimmed = values.map((v) => v.trim());
    // A spreadsheet's empty row is ",,," or cells with spaces: as blank as an empty line.
    if (trimmed.every((v) => v === '')) return true;
    if (this.#columns === undefined) {
      this.#headerLine = line;
      const header = this.#checkHeader(trimmed);
      if ('problems' in header) {
        this.errors.push(...header.problems.map((message) => ({ line, message })));
        return false;
      }
      this.#columns = header.columns;
      return true;
    }
    this.#count += 1;
    if (this.#count > MAX_UNITS_CSV_ROWS) {
      this.errors.push({
        line,
        message: `tệp có quá ${formatCountVi(MAX_UNITS_CSV_ROWS)} đơn vị (tối đa ${formatCountVi(MAX_UNITS_CSV_ROWS)} dòng dữ liệu)`,
      });
      return false;
    }
    const columns = this.#columns;
    const long = trimmed.findIndex((v) => v.length > MAX_CSV_CELL_CHARS && charCount(v) > MAX_CSV_CELL_CHARS);
    if (long >= 0) {
      // The row's other checks would only repeat that the cell is too long.
      const column = columns[long];
      this.errors.push({
        line,
        message:
          `ô thứ ${long + 1}${column ? ` (cột ${column})` : ''} dài ${formatCountVi(charCount(trimmed[long]!))} ký tự, ` +
          `tối đa ${MAX_CSV_CELL_CHARS}`,
      });
      return true;
    }
    if (trimmed.length !== columns.length) {
      // The values cannot be matched to columns, so checking them would only add noise.
      const names = columns.map((c, i) => c ?? `cột ${i + 1}`).join(',');
      this.errors.push({
        line,
        message: `có ${trimmed.length} cột, cần đúng ${columns.length} cột như dòng tiêu đề (${names})`,
      });
      return true;
    }
    const cells: Partial<Record<UnitColumn, string>> = {};
    columns.forEach((column, i) => {
      if (column) cells[column] = trimmed[i];
    });
    const { unit, problems } = checkUnitFields(cells);
    const id = cells.id ?? '';
    if (isUnitId(id)) {
      // Ids are unique regardless of case; a bad row still claims its id for later rows.
      const first = this.#firstLineOfId.get(id.toLowerCase());
      if (first === undefined) this.#firstLineOfId.set(id.toLowerCase(), line);
      else problems.unshift(`trùng mã đơn vị với dòng ${first} ("${id}")`);
    }
    this.errors.push(...problems.map((message) => ({ line, message })));
    if (problems.length === 0 && unit) this.#rows.push({ line, unit });
    return true;
  }

  /**
   * Records a problem the reader found (a quoting error, a formula cell) on `line`.
   */
  problem(line: number, message: string): void {
    this.errors.push({ line, message });
  }

  /**
   * The units in file order, with their lines.
   * @throws CsvValidationError with every problem, when there is any (or no unit at all).
   */
  finish(): UnitRow[] {
    if (this.errors.length === 0 && this.#columns === undefined) {
      this.errors.push({
        line: 1,
        message: `tệp trống: cần dòng tiêu đề ${this.kind === 'csv' ? '"id,name,email"' : 'id, name, email'} (thêm cột "cc", "note" nếu cần) và ít nhất một đơn vị`,
      });
    } else if (this.errors.length === 0 && this.#rows.length === 0) {
      this.errors.push({ line: this.#headerLine, message: 'không có đơn vị nào: tệp chỉ có dòng tiêu đề' });
    }
    if (this.errors.length > 0) {
      throw new CsvValidationError(
        [...this.errors].sort((a, b) => a.line - b.line),
        this.kind === 'csv' ? 'CSV' : 'Excel (.xlsx)',
      );
    }
    return this.#rows;
  }

  #checkHeader(values: string[]): { columns: (UnitColumn | null)[] } | { problems: string[] } {
    // A file saved with ";" as separator (some spreadsheet locales) arrives as one column.
    if (this.kind === 'csv' && values.length === 1 && values[0]?.includes(';')) {
      return {
        problems: [
          'các cột phải phân cách bằng dấu phẩy (,), không phải dấu chấm phẩy (;): cần "id,name,email"',
        ],
      };
    }
    const problems: string[] = [];
    const unknown: string[] = [];
    const seen = new Set<UnitColumn>();
    const columns: (UnitColumn | null)[] = [];
    values.forEach((value, i) => {
      const known = value === '' ? undefined : HEADER_NAMES[headerKey(value)];
      if (value === '') {
        problems.push(
          this.kind === 'csv'
            ? `cột thứ ${i + 1} của dòng tiêu đề không có tên (xoá cột thừa hoặc dấu phẩy thừa)`
            : `cột thứ ${i + 1} của dòng tiêu đề không có tên (xoá cột thừa)`,
        );
      } else if (known === undefined) {
        unknown.push(value);
      } else if (known !== 'ignored' && seen.has(known)) {
        problems.push(`cột "${known}" xuất hiện nhiều lần`);
      }
      if (known && known !== 'ignored') seen.add(known);
      columns.push(known && known !== 'ignored' ? known : null);
    });
    if (unknown.length > 0) {
      problems.push(
        `cột không được hỗ trợ: ${unknown.map((n) => `"${shorten(n)}"`).join(', ')} (${ACCEPTED_COLUMNS_TEXT})`,
      );
    }
    const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
    if (missing.length > 0) problems.push(`thiếu cột: ${missing.join(', ')}`);
    return problems.length > 0 ? { problems } : { columns };
  }
}

/**
 * Checks one unit's fields (trimmed or not): the rules of a row. `note` stays absent when it is
 * not given (a file without a note column keeps the stored notes); `cc` absent is no cc.
 *
 * Normalised: values trimmed; `name` and `note` to Unicode NFC (a name typed on a Mac, in NFD,
 * matches the same name typed elsewhere); `email` and `cc` lower-cased; `cc` split on `;`, `,`
 * or whitespace, de-duplicated, and without the unit's own `email`. Ids keep their case.
 */
export function checkUnitFields(fields: Partial<Record<UnitColumn, string>>): {
  unit: UnitInput | undefined;
  problems: string[];
} {
  const problems: string[] = [];
  const id = (fields.id ?? '').trim();
  if (id === '') {
    problems.push('thiếu mã đơn vị (id)');
  } else if (id.length > MAX_UNIT_ID_LENGTH) {
    problems.push(`mã đơn vị dài ${id.length} ký tự, tối đa ${MAX_UNIT_ID_LENGTH}`);
  } else if (!UNIT_ID_PATTERN.test(id)) {
    problems.push(
      `mã đơn vị không hợp lệ: "${shorten(id)}" — chỉ dùng chữ cái không dấu (a-z, A-Z), chữ số (0-9), ` +
        'dấu gạch ngang (-) và gạch dưới (_), bắt đầu bằng chữ cái hoặc chữ số',
    );
  }

  const name = (fields.name ?? '').trim().normalize('NFC');
  const nameLength = charCount(name);
  if (name === '') problems.push('thiếu tên đơn vị');
  else if (nameLength > MAX_UNIT_NAME_LENGTH)
    problems.push(`tên đơn vị dài ${formatCountVi(nameLength)} ký tự, tối đa ${MAX_UNIT_NAME_LENGTH}`);
  else if (CONTROL_CHARS.test(name)) problems.push('tên đơn vị chứa ký tự xuống dòng hoặc ký tự điều khiển');
  else if (FORMULA_START.test(name)) problems.push(formulaMessage('tên đơn vị', name));

  const rawEmail = (fields.email ?? '').trim();
  const email = rawEmail.toLowerCase();
  if (email === '') problems.push('thiếu email');
  else if (!isEmail(email)) problems.push(`email không hợp lệ: "${shorten(rawEmail)}"`);

  const cc: string[] = [];
  for (const address of (fields.cc ?? '').split(CC_SEPARATORS).filter(Boolean)) {
    const lower = address.toLowerCase();
    if (!isEmail(lower)) problems.push(`email CC không hợp lệ: "${shorten(address)}"`);
    else if (lower !== email && !cc.includes(lower)) cc.push(lower);
  }

  let note: string | undefined;
  if (fields.note !== undefined) {
    note = fields.note.trim().normalize('NFC').replace(/\r\n?/g, '\n');
    const noteLength = charCount(note);
    if (noteLength > MAX_UNIT_NOTE_CHARS)
      problems.push(`ghi chú dài ${formatCountVi(noteLength)} ký tự, tối đa ${MAX_UNIT_NOTE_CHARS}`);
    else if (NOTE_CONTROL_CHARS.test(note)) problems.push('ghi chú chứa ký tự điều khiển');
    else if (FORMULA_START.test(note)) problems.push(formulaMessage('ghi chú', note));
  }

  let committeeId: string | undefined;
  if (fields.committee !== undefined) {
    committeeId = fields.committee.trim().toLowerCase();
    if (committeeId !== '' && !isCommitteeId(committeeId)) {
      problems.push(
        `mã cấp ủy không hợp lệ: "${shorten(fields.committee)}" — 2–40 ký tự a–z, 0–9 và dấu gạch ngang (ví dụ: dus-gtvt)`,
      );
    }
  }

  if (problems.length > 0) return { unit: undefined, problems };
  return {
    unit: {
      id,
      name,
      email,
      cc,
      ...(note !== undefined ? { note } : {}),
      ...(committeeId !== undefined ? { committeeId } : {}),
    },
    problems,
  };
}

function formulaMessage(what: string, value: string): string {
  return (
    `${what} bắt đầu bằng "${value[0]}": bảng tính sẽ hiểu là công thức; ` +
    `hãy bỏ ký tự "${value[0]}" ở đầu ("${shorten(value)}")`
  );
}

function isEmail(value: string): boolean {
  return isEmailAddress(value);
}

/** Characters (code points), counted without building an array: a cell can be megabytes long. */
export function charCount(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // The high half of a surrogate pair is counted with its low half.
    if (unit < 0xd800 || unit > 0xdbff) count++;
  }
  return count;
}

/** Whether `id` is a well-formed unit id. */
export function isUnitId(id: string): boolean {
  return id.length <= MAX_UNIT_ID_LENGTH && UNIT_ID_PATTERN.test(id);
}

/** Values echoed in messages are cut, so one huge cell cannot flood the error list. */
export function shorten(value: string): string {
  // 200 UTF-16 units hold at least 100 characters: more than are shown.
  const chars = [...value.slice(0, 200)];
  return chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : value;
}
