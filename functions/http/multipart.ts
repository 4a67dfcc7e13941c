import { Readable } from 'node:stream';
import busboy from 'busboy';
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

/**
 * Parses a `multipart/form-data` body (a form with a file: a plan document, a list of units) with
 * busboy, every size bounded: a file over the limit, too many files or fields, a truncated body
 * or another content type is refused with a Vietnamese message, before anything is written.
 */
export async function parseMultipart(req: HttpRequest, limits: MultipartLimits = {}): Promise<MultipartForm> {
  const maxFileBytes = limits.maxFileBytes ?? MAX_WEB_UPLOAD_BYTES;
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !req.bodyBytes) {
    throw new ValidationError(
      `Expected multipart/form-data, got ${contentType.slice(0, 80) || 'nothing'}`,
      [],
      'Biểu mẫu gửi lên không đúng dạng (cần chọn tệp và gửi từ trang của ứng dụng).',
    );
  }
  const bytes = req.bodyBytes;
  return new Promise<MultipartForm>((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: FormFile[] = [];
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: {
          fileSize: maxFileBytes,
          files: limits.maxFiles ?? 1,
          fields: limits.maxFields ?? 50,
          fieldSize: 64 * 1024,
          parts: (limits.maxFields ?? 50) + (limits.maxFiles ?? 1),
        },
        defParamCharset: 'utf8',
      });
    } catch {
      reject(notMultipart());
      return;
    }
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(tooLarge(maxFileBytes));
      fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge(maxFileBytes)));
      stream.on('error', () => fail(notMultipart()));
      stream.on('end', () => {
        const fileName = (info.filename ?? '').split(/[\\/]/).pop() ?? '';
        if (fileName === '' && chunks.length === 0) return; // an empty file input
        files.push({ field, fileName, contentType: info.mimeType, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on('filesLimit', () =>
      fail(new ValidationError('Too many files', [], 'Chỉ chọn một tệp mỗi lần.')),
    );
    parser.on('fieldsLimit', () => fail(notMultipart()));
    parser.on('partsLimit', () => fail(notMultipart()));
    // A truncated or malformed body: busboy reports an error and may never close.
    parser.on('error', () => reject(failure ?? notMultipart()));
    parser.on('close', () => (failure ? reject(failure) : resolve({ fields, files })));
    Readable.from([Buffer.from(bytes)]).pipe(parser);
  });
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
