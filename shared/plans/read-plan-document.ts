/**
 * Turns an uploaded plan file (.txt, .docx or .pdf) into text for `parsePlanText`. Every way a file
 * can be unreadable ends in a `PlanDocumentError` with a Vietnamese message, never a raw error;
 * a file over the size limit in a `PayloadTooLargeError`. Nothing is parsed before the size and,
 * for a .docx, the archive (shared/files/office-zip.ts) have been checked. A .pdf and a .docx are
 * read through the {@link DocumentReader} port (in this process, or the document-reader Lambda),
 * so that this module never loads pdf.js, yauzl or saxes itself; an old binary .doc is refused
 * with a way onward.
 */

import { type ParsedPlan, PLAN_DOCUMENT_EXTENSIONS } from '#shared/domain/plan.ts';
import { PlanDocumentError } from '#shared/errors.ts';
import type { ArchiveRefusal, DocumentReader } from '#shared/files/ports.ts';
import {
  MAX_PLAN_DOCUMENT_BYTES,
  MAX_PLAN_PDF_PAGES,
  MAX_PLAN_TEXT_CHARS,
  planDocumentTooLarge,
  planTextTooLong,
} from '#shared/input-limits.ts';
import { type PlanDraft, parsePlanDraft, parsePlanText } from '#shared/plans/parse-plan.ts';

/** File extensions the importer accepts, lower case with the dot. */
export { PLAN_DOCUMENT_EXTENSIONS };

/**
 * Reads the text of a plan document.
 *
 * - `.txt`: strict UTF-8 (a BOM is dropped); UTF-16 with a BOM, as Windows Notepad saves
 *   "Unicode" files, is accepted too. Binary data or another encoding is refused.
 * - `.docx`: the text of the Word document, one paragraph per line, empty paragraphs kept as
 *   blank lines (the same shape as a .txt saved from Word).
 *
 * @throws PayloadTooLargeError for a file over {@link MAX_PLAN_DOCUMENT_BYTES}, or whose text
 *   is longer than {@link MAX_PLAN_TEXT_CHARS}.
 * @throws PlanDocumentError for an unsupported extension, an empty file, a file that is not
 *   text, a corrupt Word document, or one whose archive is over the limits of
 *   shared/input-limits.ts once inflated (a ZIP bomb).
 */
export async function readPlanDocument(
  bytes: Uint8Array,
  fileName: string,
  reader?: DocumentReader,
): Promise<string> {
  const extension = extensionOf(fileName);
  if (extension === '.doc' || (extension !== '.txt' && startsWith(bytes, OLE_SIGNATURE)))
    throw oldWordDocument(fileName);
  if (!isAccepted(extension)) throw unsupportedType(fileName, extension);
  if (bytes.length > MAX_PLAN_DOCUMENT_BYTES) throw planDocumentTooLarge(fileName, bytes.length);
  if (bytes.length === 0) throw emptyDocument(fileName);
  const text =
    extension === '.txt'
      ? decodeText(bytes, fileName)
      : extension === '.pdf'
        ? await readPdfText(bytes, fileName, reader)
        : await readDocxText(bytes, fileName, reader);
  if (text.length > MAX_PLAN_TEXT_CHARS) throw planTextTooLong(fileName, text.length);
  if (text.trim() === '') throw emptyDocument(fileName);
  return text;
}

/**
 * Reads and parses a plan document.
 *
 * @throws PlanDocumentError when the file cannot be read or is not a plan (see `parsePlanText`);
 *   PayloadTooLargeError when it is too large (see {@link readPlanDocument}).
 */
export async function importPlanDocument(
  bytes: Uint8Array,
  fileName: string,
  reader?: DocumentReader,
): Promise<ParsedPlan> {
  return parsePlanText(await readPlanDocument(bytes, fileName, reader));
}

/**
 * Reads a plan document tolerantly, for the web app's preview: the parts it cannot find are
 * left empty and named in `missing` instead of refusing the document. A file that cannot be read
 * at all is still refused, as by {@link readPlanDocument}.
 */
export async function readPlanDraft(
  bytes: Uint8Array,
  fileName: string,
  reader?: DocumentReader,
): Promise<PlanDraft> {
  return parsePlanDraft(await readPlanDocument(bytes, fileName, reader));
}

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot).toLowerCase();
}

function isAccepted(extension: string): extension is (typeof PLAN_DOCUMENT_EXTENSIONS)[number] {
  return (PLAN_DOCUMENT_EXTENSIONS as readonly string[]).includes(extension);
}

function decodeText(bytes: Uint8Array, fileName: string): string {
  const utf16 = utf16Encoding(bytes);
  if (utf16) return decodeStrict(bytes.subarray(2), utf16, fileName);
  // A NUL never occurs in UTF-8 text but is everywhere in binary files, which may otherwise
  // decode "successfully" when they happen to be valid UTF-8 (e.g. all-ASCII data).
  if (bytes.includes(0)) throw notText(fileName);
  return decodeStrict(bytes, 'utf-8', fileName);
}

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

function decodeStrict(bytes: Uint8Array, encoding: string, fileName: string): string {
  try {
    // The decoder drops a leading UTF-8 BOM itself (ignoreBOM defaults to false).
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    if (text.includes('\0')) throw notText(fileName);
    return text;
  } catch (error) {
    if (error instanceof PlanDocumentError) throw error;
    throw notText(fileName);
  }
}

/** A .docx is a ZIP archive; anything else (an old .doc renamed, a PDF) is refused up front. */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
/** An old binary Word document (.doc) is an OLE compound file. */
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** "%PDF-", within the first 1024 bytes as readers allow. */
const PDF_SIGNATURE = '%PDF-';

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

async function readPdfText(
  bytes: Uint8Array,
  fileName: string,
  reader: DocumentReader | undefined,
): Promise<string> {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  if (!head.includes(PDF_SIGNATURE)) throw notPdf(fileName);
  if (!reader) {
    throw new PlanDocumentError(
      `No PDF reader wired in this runtime for ${fileName}`,
      [],
      `Chưa đọc được tệp PDF ${fileName} ở đây; hãy dùng tệp .docx hoặc lệnh baocao plan import`,
    );
  }
  try {
    return await reader.planText('pdf', bytes);
  } catch (error) {
    throw pdfRefused(fileName, (error as { kind?: string }).kind, (error as { detail?: number }).detail);
  }
}

function pdfRefused(
  fileName: string,
  kind: string | undefined,
  detail: number | undefined,
): PlanDocumentError {
  const vi: Record<string, string> = {
    encrypted: `Tệp ${fileName} được đặt mật khẩu; hãy bỏ mật khẩu (in lại ra PDF) hoặc dùng tệp .docx`,
    script: `Tệp ${fileName} có mã chạy (JavaScript) hoặc lệnh mở chương trình nhúng trong PDF nên không được nhận; hãy xuất lại PDF từ Word hoặc dùng tệp .docx`,
    'no-text': `Tệp ${fileName} không có lớp chữ (thường là bản chụp/quét): cần gõ lại hoặc nhận dạng chữ (OCR) trước, rồi nhập tệp .docx hoặc .txt`,
    'too-many-pages': `Tệp ${fileName} có ${detail ?? 'quá nhiều'} trang, tối đa ${MAX_PLAN_PDF_PAGES} trang`,
    'too-long': `Tệp ${fileName} có quá nhiều chữ (tối đa ${MAX_PLAN_TEXT_CHARS.toLocaleString('vi-VN')} ký tự)`,
  };
  return new PlanDocumentError(
    `PDF refused: ${fileName} (${kind ?? 'unreadable'})`,
    [],
    vi[kind ?? ''] ??
      `Tệp ${fileName} không phải là tài liệu PDF hợp lệ hoặc đã bị hỏng; hãy xuất lại PDF hoặc dùng tệp .docx`,
  );
}

function notPdf(fileName: string): PlanDocumentError {
  return new PlanDocumentError(
    `Not a PDF: ${fileName}`,
    [],
    `Tệp ${fileName} không phải là tài liệu PDF hợp lệ hoặc đã bị hỏng; hãy xuất lại PDF hoặc dùng tệp .docx`,
  );
}

function oldWordDocument(fileName: string): PlanDocumentError {
  return new PlanDocumentError(
    `Old binary Word document refused: ${fileName}`,
    [],
    `Tệp ${fileName} là tài liệu Word cũ (.doc), không đọc được: hãy mở bằng Word và lưu lại thành .docx (Tệp → Lưu thành → Tài liệu Word .docx)`,
  );
}

async function readDocxText(
  bytes: Uint8Array,
  fileName: string,
  reader: DocumentReader | undefined,
): Promise<string> {
  if (!ZIP_SIGNATURE.every((byte, index) => bytes[index] === byte)) throw notDocx(fileName);
  if (!reader) {
    throw new PlanDocumentError(
      `No Word reader wired in this runtime for ${fileName}`,
      [],
      `Chưa đọc được tệp Word ${fileName} ở đây; hãy dùng tệp .txt hoặc lệnh baocao plan import`,
    );
  }
  // The reader checks the archive's sizes before it inflates anything.
  try {
    return await reader.planText('docx', bytes);
  } catch (error) {
    const { kind, detail, refusal } = error as { kind?: string; detail?: number; refusal?: ArchiveRefusal };
    if (kind === 'refused' && refusal) throw docxRefused(fileName, refusal);
    if (kind === 'too-long' && detail !== undefined) throw planTextTooLong(fileName, detail);
    throw notDocx(fileName);
  }
}

function docxRefused(fileName: string, problem: ArchiveRefusal): PlanDocumentError {
  return new PlanDocumentError(
    `Word document refused: ${fileName} is not valid or too large once uncompressed (${problem.detail})`,
    [],
    `Tệp ${fileName} không hợp lệ hoặc quá lớn khi giải nén (${problem.detailVi}); ` +
      'hãy mở tệp bằng Word và lưu lại dưới dạng .docx',
  );
}

function unsupportedType(fileName: string, extension: string): PlanDocumentError {
  const shown = extension || '(none)';
  return new PlanDocumentError(
    `Unsupported plan document type ${shown} (${fileName}): accepted types are .txt, .docx and .pdf`,
    [],
    `Không hỗ trợ định dạng tệp ${extension || 'không có phần mở rộng'} (${fileName}): chỉ nhận tệp .txt, .docx hoặc .pdf`,
  );
}

function emptyDocument(fileName: string): PlanDocumentError {
  return new PlanDocumentError(
    `Empty document: ${fileName} contains no text`,
    [],
    `Tài liệu trống: tệp ${fileName} không có nội dung`,
  );
}

function notText(fileName: string): PlanDocumentError {
  return new PlanDocumentError(
    `Not a text document: ${fileName} is not UTF-8 text`,
    [],
    `Tệp ${fileName} không phải là văn bản UTF-8 hợp lệ; hãy lưu lại tệp với mã hóa UTF-8 (Unicode) hoặc dùng tệp .docx`,
  );
}

function notDocx(fileName: string): PlanDocumentError {
  return new PlanDocumentError(
    `Not a readable Word document: ${fileName} is not a valid .docx file`,
    [],
    `Tệp ${fileName} không phải là tài liệu Word (.docx) hợp lệ hoặc đã bị hỏng; hãy lưu lại tệp dưới dạng .docx`,
  );
}
