/**
 * The committee's units as an Excel workbook (.xlsx): the first sheet is read like the units CSV
 * (a header row, then one unit a row) and every row goes through the same checks
 * (./unit-rows.ts), with the sheet's row numbers as the lines of the errors. Only values are
 * read: a cell with a formula, or with an error value (`#REF!`), is refused with its reference
 * (`ô C5`), never evaluated; so is a name or note that starts like a formula.
 *
 * The file's size ({@link MAX_UNITS_XLSX_BYTES}) and first bytes are checked here; the workbook
 * itself is read by the {@link DocumentReader} port (./xlsx-sheet.ts in the document reader: the
 * Office ZIP checks, then saxes), so that this module loads neither yauzl nor saxes.
 */
import { formatBytes } from '#shared/domain/bytes.ts';
import { CsvValidationError, PayloadTooLargeError } from '#shared/errors.ts';
import type { DocumentReader, SheetCellProblem, SheetRow } from '#shared/files/ports.ts';
import { formatSizeOver, MAX_UNITS_CSV_BYTES } from '#shared/input-limits.ts';
import { shorten, type UnitRow, UnitRowsCheck } from './unit-rows.ts';

/** Largest units workbook: the CSV's bound (a workbook of 5,000 units is about 300 KB). */
export const MAX_UNITS_XLSX_BYTES = MAX_UNITS_CSV_BYTES;

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
 * @param reader reads the workbook (absent: the workbook is refused with a way onward).
 * @returns the units in sheet order, each with its row number.
 * @throws PayloadTooLargeError over {@link MAX_UNITS_XLSX_BYTES}, before anything is read.
 * @throws CsvValidationError (file kind "Excel (.xlsx)") listing every problem with its row
 *   number: not a workbook, refused archive, formula or error cells, and the row checks.
 */
export async function readUnitsXlsxRows(
  bytes: Uint8Array,
  fileName = 'Excel',
  reader?: DocumentReader,
): Promise<UnitRow[]> {
  if (bytes.length > MAX_UNITS_XLSX_BYTES) throw unitsXlsxTooLarge(fileName, bytes.length);
  if (looksLikeOle2(bytes)) throw fileProblem(OLD_XLS);
  if (!looksLikeZip(bytes)) throw fileProblem(NOT_XLSX);
  if (!reader)
    throw fileProblem('chưa đọc được tệp Excel ở đây; hãy lưu lại dạng "CSV UTF-8" và nhập tệp CSV');
  let rows: SheetRow[];
  try {
    rows = await reader.unitsSheet(bytes);
  } catch (error) {
    throw sheetRefused(error as { kind?: string; detail?: number; refusal?: { detailVi: string } });
  }
  const check = new UnitRowsCheck('xlsx');
  for (const { row, cells, problems } of rows) {
    if (problems && problems.length > 0) {
      for (const problem of problems) check.problem(row, cellMessage(problem));
      // Without a header, the rows that follow cannot be read.
      if (!check.columns) break;
      continue;
    }
    const values = [...cells];
    while (values.length > 0 && values[values.length - 1]!.trim() === '') values.pop();
    const width = check.columns?.length ?? 0;
    while (values.length > 0 && values.length < width) values.push('');
    if (!check.add(values, row)) break;
  }
  return check.finish();
}

/** The Vietnamese message of a workbook the reader refused (the messages of old, unchanged). */
function sheetRefused(error: {
  kind?: string;
  detail?: number;
  refusal?: { detailVi: string };
}): CsvValidationError {
  switch (error.kind) {
    case 'refused':
      return fileProblem(`tệp bị từ chối: ${error.refusal?.detailVi ?? 'không đọc được'}`);
    case 'no-sheet':
      return fileProblem('không tìm thấy trang tính nào trong tệp .xlsx');
    case 'not-utf8':
      return fileProblem('tệp .xlsx có phần không phải văn bản UTF-8; hãy mở bằng Excel và lưu lại');
    case 'bad-xml':
      return fileProblem('tệp .xlsx có phần XML bị hỏng; hãy mở bằng Excel và lưu lại');
    case 'too-long':
      return fileProblem(
        'tệp .xlsx có quá nhiều chữ cho một danh sách đơn vị; hãy xoá các ô thừa rồi lưu lại, hoặc dùng "CSV UTF-8"',
      );
    default:
      return fileProblem(NOT_XLSX);
  }
}

/** The message of a cell that holds no plain value. */
function cellMessage(problem: SheetCellProblem): string {
  switch (problem.kind) {
    case 'formula':
      return (
        `ô ${problem.ref} chứa công thức${problem.formula ? ` (=${shorten(problem.formula)})` : ''}: chỉ nhận giá trị; ` +
        'hãy sao chép và "Dán giá trị" (Paste Values) thay cho công thức'
      );
    case 'missing-string':
      return `ô ${problem.ref} tham chiếu một chuỗi không có trong tệp (tệp hỏng?)`;
    case 'error-value':
      return `ô ${problem.ref} chứa lỗi của bảng tính (${shorten(problem.value)})`;
    case 'outside':
      return `ô ${problem.ref} nằm ngoài các cột của danh sách đơn vị; hãy xoá giá trị ở đó`;
  }
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
