/**
 * The committee's units CSV (`baocao units import FILE.csv`): decoding, header check and row
 * validation. Pure: no I/O, nothing stored. Either every row is valid and the units come back,
 * or a {@link CsvValidationError} lists every bad line, so a file is never half imported.
 * The file's size, its rows and its cells are bounded (shared/input-limits.ts).
 */
import type { UnitInput } from '#shared/domain/unit.ts';
import { CsvValidationError } from '#shared/errors.ts';
import { MAX_UNITS_CSV_BYTES, unitsCsvTooLarge } from '#shared/input-limits.ts';
import { CsvSyntaxError, type CsvSyntaxProblem, csvRecords } from './csv-records.ts';
import { type UnitRow, UnitRowsCheck } from './unit-rows.ts';

/**
 * Parses and validates the units CSV.
 *
 * Accepted: UTF-8 with or without BOM; CRLF, LF or CR line ends (mixed too); RFC 4180 quoting
 * (`"Chi bộ 1, Văn phòng"`, `""` for a quote inside a quoted value); blank or whitespace-only
 * lines anywhere; spaces around values. The header names the columns `id`, `name`, `email` and
 * optionally `cc` and `note` (or their Vietnamese headers, as in the downloaded list: see
 * ./unit-rows.ts), in any order and any letter case.
 *
 * Each row is checked and normalised by the rules of ./unit-rows.ts (`checkUnitFields`):
 * names and notes starting like a spreadsheet formula (`=`, `+`, `-`, `@`) are refused. Ids
 * keep their case but are unique regardless of case.
 *
 * Bounded: at most {@link MAX_UNITS_CSV_BYTES} (UTF-8), `MAX_UNITS_CSV_ROWS` data rows and
 * `MAX_CSV_CELL_CHARS` characters in any cell (shared/input-limits.ts).
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
  return parseUnitsCsvRows(input, fileName).map((row) => row.unit);
}

/** {@link parseUnitsCsv}, each unit with the line it starts on (for the import's preview). */
export function parseUnitsCsvRows(input: string | Uint8Array, fileName = 'CSV'): UnitRow[] {
  const size = byteLength(input);
  if (size > MAX_UNITS_CSV_BYTES) throw unitsCsvTooLarge(fileName, size);
  const text = decode(input);
  const check = new UnitRowsCheck('csv');
  try {
    for (const record of csvRecords(text)) {
      // A header or size problem: the rest of the file is not worth checking.
      if (!check.add(record.fields, record.line)) break;
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    // A quoting error leaves the reader unable to tell where later records begin, so it is
    // the last problem reported; the rows before it have been checked already.
    check.problem(error.line, quoteErrorMessage(error.problem));
  }
  return check.finish();
}

/** Size in UTF-8 bytes; a string is measured without being encoded. */
function byteLength(input: string | Uint8Array): number {
  if (typeof input !== 'string') return input.length;
  // Every UTF-16 code unit takes at least one byte, so a longer string is over any byte limit.
  return input.length > MAX_UNITS_CSV_BYTES ? input.length : Buffer.byteLength(input, 'utf8');
}

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

function quoteErrorMessage(problem: CsvSyntaxProblem): string {
  const rule = 'giá trị có dấu phẩy phải đặt trong ngoặc kép "…", và mỗi dấu " bên trong viết thành ""';
  const rest = '; các dòng sau chưa được kiểm tra';
  switch (problem) {
    case 'unclosed-quote':
      return `dấu ngoặc kép (") mở ở dòng này không được đóng đến hết tệp: ${rule}${rest}`;
    case 'after-closing-quote':
      return `sau dấu ngoặc kép đóng (") phải là dấu phẩy hoặc hết dòng: ${rule}${rest}`;
    case 'quote-in-value':
      return `dấu ngoặc kép (") nằm giữa một giá trị không đặt trong ngoặc kép: ${rule}${rest}`;
  }
}
