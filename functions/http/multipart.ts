import { formatBytes } from '#shared/domain/bytes.ts';
import { PayloadTooLargeError, ValidationError } from '#shared/errors.ts';
import { MAX_WEB_UPLOAD_BYTES } from '#shared/input-limits.ts';
import type { HttpRequest } from './request.ts';

/** One file of a `multipart/form-data` body. */
export interface FormFile {
  field: string;
  /** The name the browser sent, without any folder part. */
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: FormFile[];
}

export interface MultipartLimits {
  /** Largest single file (default {@link MAX_WEB_UPLOAD_BYTES}). */
  maxFileBytes?: number;
  /** Most files (default 1). */
  maxFiles?: number;
  /** Most text fields (default 50), each at most 64 KB. */
  maxFields?: number;
}

/** Whether a request's body is a `multipart/form-data` form (a form with a file). */
export function isMultipart(req: HttpRequest): boolean {
  return /^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? '');
}

/** Most bytes a text field may hold. */
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * Parses a `multipart/form-data` body (a form with a file: a plan document, a list of units) with
 * the platform's own parser (`Request.formData()`, undici inside Node: nothing bundled), every size
 * bounded: a file over the limit, too many files or fields, a truncated body or another content
 * type is refused with a Vietnamese message, before anything is written.
 *
 * The parser reads the whole body at once, so the body's size and its number of parts are
 * bounded before it runs: at most the limits' files and fields (counted as boundary lines), at
 * most the bytes they may hold. busboy did the same streaming; the body is already in memory
 * (API Gateway hands it over whole), and dropping it took 23 KB off the setup function
 * (docs/BENCHMARKS.md).
 */
export async function parseMultipart(req: HttpRequest, limits: MultipartLimits = {}): Promise<MultipartForm> {
  const maxFileBytes = limits.maxFileBytes ?? MAX_WEB_UPLOAD_BYTES;
  const maxFiles = limits.maxFiles ?? 1;
  const maxFields = limits.maxFields ?? 50;
  const contentType = req.headers['content-type'] ?? '';
  const boundary = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(
    contentType,
  );
  if (!boundary || !req.bodyBytes) {
    throw new ValidationError(
      `Expected multipart/form-data, got ${contentType.slice(0, 80) || 'nothing'}`,
      [],
      'Biểu mẫu gửi lên không đúng dạng (cần chọn tệp và gửi từ trang của ứng dụng).',
    );
  }
  const bytes = Buffer.from(req.bodyBytes.buffer, req.bodyBytes.byteOffset, req.bodyBytes.byteLength);
  // Every part costs at most its content plus a header; anything larger cannot be a valid form.
  if (bytes.length > maxFiles * (maxFileBytes + 4096) + maxFields * (MAX_FIELD_BYTES + 1024)) {
    throw tooLarge(maxFileBytes);
  }
  const parts = countParts(bytes, `--${boundary[1] ?? boundary[2]}`);
  if (parts > maxFiles + maxFields) throw notMultipart();

  const entries: [string, FormDataEntryValue][] = [];
  try {
    const form = await new Request('http://form.invalid/', {
      method: 'POST',
      body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': contentType },
    }).formData();
    form.forEach((value, field) => {
      entries.push([field, value]);
    });
  } catch {
    throw notMultipart();
  }
  const fields: Record<string, string> = {};
  const files: FormFile[] = [];
  let fieldCount = 0;
  for (const [field, value] of entries) {
    if (typeof value === 'string') {
      if (++fieldCount > maxFields) throw notMultipart();
      if (Buffer.byteLength(value) > MAX_FIELD_BYTES) throw tooLarge(maxFileBytes);
      fields[field] = value;
      continue;
    }
    const fileName = value.name.split(/[\\/]/).pop() ?? '';
    if (fileName === '' && value.size === 0) continue; // an empty file input
    if (value.size > maxFileBytes) throw tooLarge(maxFileBytes);
    if (files.length >= maxFiles) throw tooManyFiles();
    files.push({
      field,
      fileName,
      contentType: value.type || 'application/octet-stream',
      bytes: new Uint8Array(await value.arrayBuffer()),
    });
  }
  return { fields, files };
}

/** How many parts a body holds: the boundary lines, less the closing one. */
function countParts(bytes: Buffer, delimiter: string): number {
  let count = 0;
  for (let at = bytes.indexOf(delimiter); at !== -1; at = bytes.indexOf(delimiter, at + delimiter.length)) {
    count++;
  }
  return Math.max(0, count - 1);
}

function tooManyFiles(): ValidationError {
  return new ValidationError('Too many files', [], 'Chỉ chọn một tệp mỗi lần.');
}

function notMultipart(): ValidationError {
  return new ValidationError(
    'Malformed multipart body',
    [],
    'Biểu mẫu gửi lên bị hỏng hoặc không đúng dạng; hãy tải lại trang và gửi lại.',
  );
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `File over ${maxBytes} bytes`,
    `Tệp quá lớn; tối đa ${formatBytes(maxBytes)} khi gửi qua trang web.`,
  );
}
