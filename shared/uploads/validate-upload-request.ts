/**
 * What a unit's browser may ask for when it wants to upload one file: pure validation, nothing
 * stored. Every problem gets a Vietnamese sentence; all of them are reported at once.
 *
 * Decision on Content-Type: browsers do not agree on the type of some files (an `.odt` may come
 * as "" or `application/octet-stream`), so the upload page never forwards `File.type`: it sends
 * the allow-listed type of the file's extension, and the API requires exactly that type. The
 * policy then pins it, and the on-upload function checks the bytes against it.
 */
import * as v from 'valibot';
import { formatBytes, formatCountVi } from '#shared/domain/bytes.ts';
import {
  ALLOWED_FILE_TYPES,
  type AllowedExtension,
  MAX_FILES_PER_SUBMISSION,
} from '#shared/domain/submission.ts';
import { ValidationError } from '#shared/errors.ts';

/** Longest file name, in characters (Unicode code points) after NFC and trimming. */
export const MAX_FILE_NAME_CHARS = 200;
/**
 * Longest file name in UTF-8 bytes: the name travels percent-encoded as S3 metadata, which is
 * limited to 2 KB in all (600 bytes → at most 1,800 characters encoded).
 */
export const MAX_FILE_NAME_BYTES = 600;
/** Longest note per task group, in characters. */
export const MAX_NOTE_CHARS = 5000;
/**
 * Longest notes of one submission, all task groups together, in characters: at most ~45 KB of
 * UTF-8, so that the submissions in progress fit in their assignment item (400 KB, at most five
 * in progress) and the status JSON stays small.
 */
export const MAX_NOTES_TOTAL_CHARS = 15_000;

/** A valid request to upload one file. */
export interface UploadRequest {
  /** NFC, trimmed; data only, never a path. */
  fileName: string;
  extension: AllowedExtension;
  contentType: string;
  size: number;
  /** The version to add this file to; absent for the first file of a new submission. */
  submission?: number;
  /** How many files the new submission will have (1..10); only with the first file. */
  fileCount?: number;
  /** Notes per task group number, NFC, trimmed, empty ones dropped; only with the first file. */
  notes?: Record<string, string>;
  /**
   * Every file of the new submission as the browser read it (only with the first file): lets the
   * server recognise the very files of the latest recorded version before anything is written.
   */
  files?: DeclaredFile[];
}

/** A file of a new submission as the browser declares it: name (NFC, trimmed), size, SHA-256 (lower-case hex). */
export interface DeclaredFile {
  fileName: string;
  size: number;
  sha256: string;
}

export interface UploadRequestLimits {
  /** The plan's task group numbers: the only keys `notes` may have. */
  taskGroupNumbers: readonly string[];
  maxBytes: number;
}

const int = v.pipe(v.number(), v.integer());
const shape = v.strictObject({
  fileName: v.string(),
  contentType: v.string(),
  size: int,
  submission: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  fileCount: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_FILES_PER_SUBMISSION))),
  notes: v.optional(v.record(v.string(), v.string())),
  files: v.optional(
    v.pipe(
      v.array(v.strictObject({ fileName: v.string(), size: int, sha256: v.string() })),
      v.minLength(1),
      v.maxLength(MAX_FILES_PER_SUBMISSION),
    ),
  ),
});

const FIELD_MESSAGES: Record<string, string> = {
  fileName: 'Thiếu tên tệp (fileName) hoặc tên tệp không phải chuỗi ký tự.',
  contentType: 'Thiếu kiểu tệp (contentType) hoặc kiểu tệp không phải chuỗi ký tự.',
  size: 'Thiếu kích thước tệp (size) hoặc kích thước không phải số nguyên byte.',
  submission: 'Số lần nộp (submission) phải là số nguyên dương.',
  fileCount: `Số tệp của lần nộp (fileCount) phải từ 1 đến ${MAX_FILES_PER_SUBMISSION}.`,
  notes: 'Ghi chú (notes) phải là văn bản theo số của từng nhóm nhiệm vụ.',
  files: `Danh sách tệp (files) phải gồm tên (fileName), kích thước (size) và SHA-256 (sha256) của từng tệp, từ 1 đến ${MAX_FILES_PER_SUBMISSION} tệp.`,
};

const NOT_AN_OBJECT = 'Dữ liệu gửi lên phải là một đối tượng JSON có fileName, contentType và size.';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Control characters and the bidirectional overrides that can disguise an extension. */
const FORBIDDEN_IN_NAME = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
/** Control characters other than tab and line feed. */
const FORBIDDEN_IN_NOTE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The extensions a unit may upload, as shown to people: "PDF, DOC, …". */
export const ALLOWED_EXTENSIONS_TEXT = Object.keys(ALLOWED_FILE_TYPES)
  .map((e) => e.toUpperCase())
  .join(', ');

/**
 * Validates the JSON body of `POST /u/{token}/uploads`.
 * @throws ValidationError listing every problem in Vietnamese.
 */
export function parseUploadRequest(body: unknown, limits: UploadRequestLimits): UploadRequest {
  // valibot's object schemas take arrays for objects: refuse anything but a plain object first.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid([NOT_AN_OBJECT]);
  const parsed = v.safeParse(shape, body, { abortEarly: false });
  if (!parsed.success) {
    const problems = new Set<string>();
    const unknown: string[] = [];
    for (const issue of parsed.issues) {
      const path = issue.path ?? [];
      const field = path[0]?.key;
      const last = path[path.length - 1]?.key;
      if (issue.type === 'strict_object' && issue.expected === 'never' && typeof last === 'string') {
        unknown.push(shorten(last, 40));
      } else if (typeof field === 'string' && FIELD_MESSAGES[field]) {
        problems.add(FIELD_MESSAGES[field]);
      } else {
        problems.add(NOT_AN_OBJECT);
      }
    }
    if (unknown.length > 0) problems.add(`Trường không được hỗ trợ: ${unknown.join(', ')}.`);
    throw invalid([...problems]);
  }
  const input = parsed.output;
  const problems: string[] = [];

  const fileName = input.fileName.normalize('NFC').trim();
  if (fileName === '') {
    problems.push('Tên tệp trống.');
  } else if (
    [...fileName].length > MAX_FILE_NAME_CHARS ||
    Buffer.byteLength(fileName, 'utf8') > MAX_FILE_NAME_BYTES
  ) {
    problems.push(`Tên tệp dài quá ${MAX_FILE_NAME_CHARS} ký tự; hãy đổi tên tệp cho ngắn hơn.`);
  } else if (FORBIDDEN_IN_NAME.test(fileName)) {
    problems.push('Tên tệp chứa ký tự điều khiển không hợp lệ; hãy đổi tên tệp.');
  }

  const dot = fileName.lastIndexOf('.');
  const extension = dot >= 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  const expectedType = Object.hasOwn(ALLOWED_FILE_TYPES, extension)
    ? ALLOWED_FILE_TYPES[extension as AllowedExtension]
    : undefined;
  if (fileName !== '' && !expectedType) {
    problems.push(
      `Không nhận loại tệp ${extension ? `.${shorten(extension, 20)}` : 'không có đuôi'}. Chỉ nhận các tệp ${ALLOWED_EXTENSIONS_TEXT}.`,
    );
  } else if (expectedType && input.contentType !== expectedType) {
    problems.push(
      `Kiểu tệp khai báo "${shorten(input.contentType, 80)}" không khớp với đuôi .${extension} (cần "${expectedType}").`,
    );
  }

  if (input.size < 1) {
    problems.push('Tệp rỗng (0 byte): hãy chọn đúng tệp báo cáo.');
  } else if (input.size > limits.maxBytes) {
    problems.push(
      `Tệp vượt giới hạn ${formatBytes(limits.maxBytes)} cho mỗi tệp; hãy nén hoặc chia nhỏ tệp.`,
    );
  }

  if (input.submission !== undefined && (input.fileCount !== undefined || input.notes !== undefined)) {
    problems.push('Số tệp và ghi chú chỉ gửi kèm tệp đầu tiên của một lần nộp.');
  }
  if (input.submission !== undefined && input.files !== undefined) {
    problems.push('Danh sách tệp (files) chỉ gửi kèm tệp đầu tiên của một lần nộp.');
  }

  let files: DeclaredFile[] | undefined;
  if (input.files !== undefined && input.submission === undefined) {
    files = input.files.map((f) => ({
      fileName: f.fileName.normalize('NFC').trim(),
      size: f.size,
      sha256: f.sha256.toLowerCase(),
    }));
    if (files.length !== (input.fileCount ?? 1)) {
      problems.push(
        `Danh sách tệp (files) có ${files.length} tệp, khác với số tệp của lần nộp (${input.fileCount ?? 1}).`,
      );
    }
    if (
      files.some(
        (f) =>
          f.fileName === '' ||
          [...f.fileName].length > MAX_FILE_NAME_CHARS ||
          Buffer.byteLength(f.fileName, 'utf8') > MAX_FILE_NAME_BYTES ||
          f.size < 1 ||
          f.size > limits.maxBytes ||
          !SHA256_HEX.test(f.sha256),
      )
    ) {
      problems.push(
        `Danh sách tệp (files) có tệp thiếu tên, kích thước không hợp lệ hoặc SHA-256 không phải 64 chữ số hệ 16.`,
      );
    } else if (!files.some((f) => f.fileName === fileName && f.size === input.size)) {
      problems.push('Tệp đang gửi không có trong danh sách tệp (files) của lần nộp.');
    }
  }

  let notes: Record<string, string> | undefined;
  if (input.notes !== undefined) {
    notes = {};
    const known = new Set(limits.taskGroupNumbers);
    const unknown = Object.keys(input.notes).filter((k) => !known.has(k));
    if (unknown.length > 0) {
      problems.push(
        `Kế hoạch không có nhóm nhiệm vụ ${unknown.map((k) => `"${shorten(k, 20)}"`).join(', ')}; chỉ ghi chú cho các nhóm ${limits.taskGroupNumbers.join(', ')}.`,
      );
    }
    for (const number of limits.taskGroupNumbers) {
      const raw = input.notes[number];
      if (raw === undefined) continue;
      const text = raw.replace(/\r\n?/g, '\n').normalize('NFC').trim();
      if ([...text].length > MAX_NOTE_CHARS) {
        problems.push(`Ghi chú cho nhóm nhiệm vụ ${number} dài quá ${MAX_NOTE_CHARS} ký tự.`);
      } else if (FORBIDDEN_IN_NOTE.test(text)) {
        problems.push(`Ghi chú cho nhóm nhiệm vụ ${number} chứa ký tự điều khiển không hợp lệ.`);
      } else if (text !== '') {
        notes[number] = text;
      }
    }
    const total = Object.values(notes).reduce((sum, text) => sum + [...text].length, 0);
    if (total > MAX_NOTES_TOTAL_CHARS) {
      problems.push(
        `Ghi chú của cả lần nộp dài quá ${formatCountVi(MAX_NOTES_TOTAL_CHARS)} ký tự (hiện ${formatCountVi(total)}); hãy rút gọn, phần chi tiết để trong tệp báo cáo.`,
      );
    }
  }

  if (problems.length > 0) throw invalid(problems);
  return {
    fileName,
    extension: extension as AllowedExtension,
    contentType: input.contentType,
    size: input.size,
    ...(input.submission !== undefined ? { submission: input.submission } : {}),
    ...(input.fileCount !== undefined ? { fileCount: input.fileCount } : {}),
    ...(notes !== undefined ? { notes } : {}),
    ...(files !== undefined ? { files } : {}),
  };
}

/** Sizes for people (shared/domain/bytes.ts), re-exported for the pages that import it from here. */
export { formatBytes } from '#shared/domain/bytes.ts';

function invalid(problems: string[]): ValidationError {
  return new ValidationError(
    `Upload request refused: ${problems.length} problem(s)`,
    problems,
    problems.join(' '),
  );
}

function shorten(text: string, max: number): string {
  const clean = text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
