/**
 * What an uploaded object really is, found in one streaming pass: its SHA-256, its size, and
 * its actual type from its bytes (not from its name or declared Content-Type). Memory stays
 * bounded whatever the file's size: the first {@link HEAD_BYTES} bytes, a few hundred bytes of
 * ZIP header, and the hash state.
 *
 * The checks then compare what the object is with what the unit declared (the upload intent):
 * size within 1..maxBytes and equal to the declared size, type equal to the declared type.
 * S3 enforces the POST policy on AWS; the local emulator does not, and nothing stops a renamed
 * file, so everything is checked again here. Every refusal is a Vietnamese sentence for the unit.
 */
import { createHash } from 'node:crypto';
import { formatByteCount, formatBytes } from '#shared/domain/bytes.ts';
import { ALLOWED_FILE_TYPES, type AllowedExtension } from '#shared/domain/submission.ts';

/** Bytes kept from the start of the file for the signature checks. */
export const HEAD_BYTES = 4096;

/** What the bytes of a file are, as far as the checks need to know. */
export type ContentKind =
  | 'empty'
  | 'pdf'
  | 'png'
  | 'jpg'
  /** OLE2 compound file: .doc, .xls, .ppt, and password-protected Office files. */
  | 'ole2'
  | 'docx'
  | 'xlsx'
  | 'pptx'
  | 'odt'
  | 'ods'
  /** Another OpenDocument type (presentation, drawing, template, …). */
  | 'odf'
  /** A ZIP archive that is none of the above. */
  | 'zip'
  | 'html'
  | 'xml'
  | 'text'
  | 'gif'
  | 'webp'
  | 'heic'
  | 'video'
  | 'rar'
  | '7z'
  | 'gzip'
  | 'exe'
  | 'unknown';

/** The result of reading a file once. */
export interface FileInspection {
  /** Bytes read; when reading stopped at the limit, more than `maxBytes` (the file is larger). */
  size: number;
  /** Hex SHA-256 of the whole file; null when reading stopped at the limit. */
  sha256: string | null;
  kind: ContentKind;
}

/** What the unit declared when it asked to upload (from the upload intent). */
export interface DeclaredFile {
  fileName: string;
  contentType: string;
  declaredSize: number;
}

export type FileCheck = { ok: true; extension: AllowedExtension } | { ok: false; reason: string };

/**
 * Reads `chunks` to the end (or until more than `maxBytes` have come, then stops and releases
 * the stream), hashing and sniffing the content as it goes.
 */
export async function inspectFile(
  chunks: AsyncIterable<Uint8Array>,
  options: { maxBytes: number },
): Promise<FileInspection> {
  const hash = createHash('sha256');
  const head = new Uint8Array(HEAD_BYTES);
  let headLength = 0;
  let size = 0;
  let zip: ZipScanner | undefined;
  let zipDecided = false;
  let overLimit = false;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    size += chunk.length;
    if (size > options.maxBytes) {
      // Breaking out of for-await destroys the underlying stream.
      overLimit = true;
      break;
    }
    hash.update(chunk);
    const before = headLength;
    if (headLength < HEAD_BYTES) {
      const take = Math.min(HEAD_BYTES - headLength, chunk.length);
      head.set(chunk.subarray(0, take), headLength);
      headLength += take;
    }
    if (!zipDecided && headLength >= 4) {
      zipDecided = true;
      if (startsWith(head, ZIP_LOCAL_HEADER)) {
        zip = new ZipScanner();
        // The few bytes that came in earlier chunks, all still in the head.
        zip.push(head.subarray(0, before));
      }
    }
    zip?.push(chunk);
  }
  const bytes = head.subarray(0, headLength);
  return {
    size,
    sha256: overLimit ? null : hash.digest('hex'),
    kind: overLimit ? 'unknown' : classify(bytes, zip?.result()),
  };
}

/**
 * Compares an inspected file with its declaration. The first problem found is the reason, in
 * this order: empty, too large, type not allowed, content not of the declared type, size not
 * the declared size.
 */
export function checkFile(inspection: FileInspection, declared: DeclaredFile, maxBytes: number): FileCheck {
  const name = `"${declared.fileName}"`;
  if (inspection.size === 0) {
    return { ok: false, reason: `Tệp ${name} rỗng (0 byte), không có nội dung.` };
  }
  if (inspection.size > maxBytes) {
    return { ok: false, reason: `Tệp ${name} vượt quá giới hạn ${formatBytes(maxBytes)}.` };
  }
  const extension = declaredExtension(declared.fileName, declared.contentType);
  if (!extension) {
    return {
      ok: false,
      reason: `Tệp ${name} thuộc loại không được nhận. Chỉ nhận các tệp ${Object.keys(ALLOWED_FILE_TYPES)
        .map((e) => e.toUpperCase())
        .join(', ')}.`,
    };
  }
  if (!matches(extension, inspection.kind)) {
    const actual =
      inspection.kind === 'unknown'
        ? 'không nhận ra định dạng của nội dung'
        : `nội dung là ${CONTENT_DESCRIPTIONS[inspection.kind]}`;
    return {
      ok: false,
      reason: `Tệp ${name} không phải là tệp ${DECLARED_LABELS[extension]} thật (${actual}).`,
    };
  }
  if (inspection.size !== declared.declaredSize) {
    return {
      ok: false,
      reason: `Tệp ${name} nhận được ${formatByteCount(inspection.size)}, khác với kích thước đã khai báo (${formatByteCount(declared.declaredSize)}); có thể tệp chưa tải lên trọn vẹn. Vui lòng tải lên lại.`,
    };
  }
  return { ok: true, extension };
}

/**
 * The type the unit declared: the file name's extension when it is allowed (`.jpeg` counts as
 * `.jpg`), otherwise the allowed extension of the declared Content-Type; undefined when neither
 * is allowed.
 */
export function declaredExtension(fileName: string, contentType: string): AllowedExtension | undefined {
  const dot = fileName.lastIndexOf('.');
  const raw = dot >= 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  const ext = raw === 'jpeg' ? 'jpg' : raw;
  if (Object.hasOwn(ALLOWED_FILE_TYPES, ext)) return ext as AllowedExtension;
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  const byType = (Object.entries(ALLOWED_FILE_TYPES) as [AllowedExtension, string][]).find(
    ([, type]) => type === mime,
  );
  return byType?.[0];
}

/** Which actual content each allowed extension accepts. */
function matches(extension: AllowedExtension, kind: ContentKind): boolean {
  switch (extension) {
    case 'doc':
    case 'xls':
      // Both are OLE2 compound files; telling them apart needs the file's directory, which may
      // lie anywhere in the file.
      return kind === 'ole2';
    default:
      return kind === extension;
  }
}

/** "không phải là tệp … thật" */
const DECLARED_LABELS: Record<AllowedExtension, string> = {
  pdf: 'PDF',
  doc: 'Word (.doc)',
  docx: 'Word (.docx)',
  odt: 'văn bản OpenDocument (.odt)',
  xls: 'Excel (.xls)',
  xlsx: 'Excel (.xlsx)',
  ods: 'bảng tính OpenDocument (.ods)',
  jpg: 'ảnh JPEG',
  png: 'ảnh PNG',
};

/** "(nội dung là …)" */
const CONTENT_DESCRIPTIONS: Record<Exclude<ContentKind, 'unknown'>, string> = {
  empty: 'rỗng',
  pdf: 'tệp PDF',
  png: 'ảnh PNG',
  jpg: 'ảnh JPEG',
  ole2: 'tệp Office định dạng cũ (.doc, .xls, .ppt) hoặc tệp Office có mật khẩu',
  docx: 'tệp Word (.docx)',
  xlsx: 'tệp Excel (.xlsx)',
  pptx: 'tệp PowerPoint (.pptx)',
  odt: 'văn bản OpenDocument (.odt)',
  ods: 'bảng tính OpenDocument (.ods)',
  odf: 'một loại tệp OpenDocument khác',
  zip: 'tệp nén ZIP',
  html: 'HTML',
  xml: 'XML',
  text: 'văn bản thuần',
  gif: 'ảnh GIF',
  webp: 'ảnh WebP',
  heic: 'ảnh HEIC',
  video: 'video',
  rar: 'tệp nén RAR',
  '7z': 'tệp nén 7z',
  gzip: 'tệp nén gzip',
  exe: 'chương trình máy tính (.exe)',
};

// --- signatures ---------------------------------------------------------------------------------

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const GIF = [0x47, 0x49, 0x46, 0x38]; // GIF8
const RAR = [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]; // Rar!␚␇
const SEVEN_Z = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
const GZIP = [0x1f, 0x8b];
const EXE = [0x4d, 0x5a]; // MZ
/** Where readers look for `%PDF-`: anywhere in the first 1024 bytes (Acrobat's rule). */
const PDF_HEADER_WINDOW = 1024;
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const HTML_START =
  /^<(!doctype\s+html|html|head|body|script|meta|title|iframe|style|link|div|table|form|h[1-6]|p[\s>]|br|!--)/i;

const ODF_MIME_TYPES: Record<string, ContentKind> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
};

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));
}

/** The content kind from the first bytes and, for ZIP files, what the ZIP scan saw. */
function classify(head: Uint8Array, zip: ZipFindings | undefined): ContentKind {
  if (head.length === 0) return 'empty';
  if (zip) return classifyZip(zip);
  if (startsWith(head, ZIP_EMPTY)) return 'zip';
  if (startsWith(head, PNG)) return 'png';
  if (startsWith(head, JPEG)) return 'jpg';
  if (startsWith(head, OLE2)) return 'ole2';
  if (indexOf(head.subarray(0, PDF_HEADER_WINDOW), PDF) >= 0) return 'pdf';
  if (startsWith(head, GIF)) return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 4, 8) === 'ftyp') return HEIC_BRANDS.has(ascii(head, 8, 12)) ? 'heic' : 'video';
  if (startsWith(head, RAR)) return 'rar';
  if (startsWith(head, SEVEN_Z)) return '7z';
  if (startsWith(head, GZIP)) return 'gzip';
  if (startsWith(head, EXE)) return 'exe';
  return classifyText(head);
}

function classifyText(head: Uint8Array): ContentKind {
  let text: string;
  try {
    // `stream: true` tolerates a character cut at the end of the head.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return 'unknown';
  }
  // Control characters other than tab, line feed, form feed, carriage return and escape.
  if (/[\u0000-\u0008\u000b\u000e-\u001a\u001c-\u001f]/.test(text)) return 'unknown';
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (HTML_START.test(start)) return 'html';
  if (/^<\?xml/i.test(start)) return /<html[\s>]/i.test(start) ? 'html' : 'xml';
  return 'text';
}

function classifyZip(zip: ZipFindings): ContentKind {
  if (zip.firstEntry === 'mimetype') {
    return (zip.mimetype && ODF_MIME_TYPES[zip.mimetype]) || 'odf';
  }
  const office = [zip.word && 'docx', zip.xl && 'xlsx', zip.ppt && 'pptx'].filter(Boolean);
  // One Office family, and only one: a ZIP holding both word/ and xl/ entries is no document.
  return office.length === 1 ? (office[0] as ContentKind) : 'zip';
}

function indexOf(haystack: Uint8Array, needle: readonly number[]): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(Buffer.from(needle));
}

// --- ZIP scanning -------------------------------------------------------------------------------

/** What the ZIP scan learns: the first entry (ODF's `mimetype`) and the Office folders present. */
export interface ZipFindings {
  firstEntry: string | undefined;
  /** Content of a stored first entry named `mimetype`. */
  mimetype: string | undefined;
  word: boolean;
  xl: boolean;
  ppt: boolean;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_DESCRIPTOR = 0x08074b50;
/** Name bytes kept per entry: enough for the prefixes that matter. */
const NAME_BYTES = 256;
/** Longest `mimetype` content read (the longest ODF MIME type is under 60 bytes). */
const MIMETYPE_BYTES = 128;

type ZipRequest =
  | { kind: 'read'; n: number }
  | { kind: 'skip'; n: number }
  /** Consume bytes up to and including the next local or central header signature. */
  | { kind: 'find' };

/**
 * Walks the ZIP's records as the bytes stream by: each local file header gives an entry's name
 * and the length of its data, which is skipped without being kept. Entries whose length is not
 * in their header (data descriptor, ZIP64) are passed by searching for the next header
 * signature. The central directory at the end lists the names again. Only the names' first
 * bytes and a few flags are kept, so memory is bounded whatever the archive holds.
 */
export class ZipScanner {
  private readonly findings: ZipFindings = {
    firstEntry: undefined,
    mimetype: undefined,
    word: false,
    xl: false,
    ppt: false,
  };
  private readonly walker: Generator<ZipRequest, void, unknown>;
  private request: ZipRequest | undefined;
  private readBuffer = new Uint8Array(0);
  private readLength = 0;
  /** Up to three bytes of a signature cut by a chunk boundary, while finding. */
  private carry = new Uint8Array(0);

  constructor() {
    this.walker = this.walk();
    this.resume(undefined);
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    while (this.request && offset < chunk.length) {
      const request = this.request;
      if (request.kind === 'read') {
        const take = Math.min(request.n - this.readLength, chunk.length - offset);
        this.readBuffer.set(chunk.subarray(offset, offset + take), this.readLength);
        this.readLength += take;
        offset += take;
        if (this.readLength === request.n) this.resume(this.readBuffer);
      } else if (request.kind === 'skip') {
        const take = Math.min(request.n, chunk.length - offset);
        request.n -= take;
        offset += take;
        if (request.n === 0) this.resume(undefined);
      } else {
        const found = this.find(chunk.subarray(offset));
        if (found === undefined) break;
        offset += found.consumed;
        this.resume(found.signature);
      }
    }
  }

  result(): ZipFindings {
    return { ...this.findings };
  }

  private find(rest: Uint8Array): { consumed: number; signature: number } | undefined {
    const window = Buffer.concat([this.carry, rest]);
    let from = 0;
    for (;;) {
      const at = window.indexOf('PK', from, 'latin1');
      if (at < 0) {
        this.carry =
          window[window.length - 1] === 0x50 ? window.subarray(window.length - 1) : new Uint8Array(0);
        return undefined;
      }
      if (at + 4 > window.length) {
        this.carry = window.subarray(at);
        return undefined;
      }
      const signature = window.readUInt32LE(at);
      if (signature === SIG_LOCAL || signature === SIG_CENTRAL) {
        const consumed = at + 4 - this.carry.length;
        this.carry = new Uint8Array(0);
        return { consumed, signature };
      }
      from = at + 1;
    }
  }

  /** Hands the walker what it asked for, then takes its next request (zero-length ones at once). */
  private resume(value: unknown): void {
    let next = this.walker.next(value);
    for (;;) {
      if (next.done) {
        this.request = undefined;
        return;
      }
      const request = next.value;
      if (request.kind !== 'find' && request.n === 0) {
        next = this.walker.next(request.kind === 'read' ? new Uint8Array(0) : undefined);
        continue;
      }
      if (request.kind === 'read') {
        this.readBuffer = new Uint8Array(request.n);
        this.readLength = 0;
      }
      this.request = request;
      return;
    }
  }

  private note(nameBytes: Uint8Array): void {
    const name = Buffer.from(nameBytes).toString('latin1');
    if (this.findings.firstEntry === undefined) this.findings.firstEntry = name;
    if (name.startsWith('word/')) this.findings.word = true;
    if (name.startsWith('xl/')) this.findings.xl = true;
    if (name.startsWith('ppt/')) this.findings.ppt = true;
  }

  private *walk(): Generator<ZipRequest, void, unknown> {
    const read = function* (n: number): Generator<ZipRequest, Uint8Array, unknown> {
      return (yield { kind: 'read', n }) as Uint8Array;
    };
    const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
    const u32 = (b: Uint8Array, at: number) => (u16(b, at) + u16(b, at + 2) * 0x10000) >>> 0;
    const readName = function* (length: number): Generator<ZipRequest, Uint8Array, unknown> {
      const kept = yield* read(Math.min(length, NAME_BYTES));
      yield { kind: 'skip', n: length - kept.length };
      return kept;
    };

    let signature = u32(yield* read(4), 0);
    let first = true;
    for (;;) {
      if (signature === SIG_LOCAL) {
        // Local file header after its signature: version(2) flags(2) method(2) time(2) date(2)
        // crc(4) compressed(4) uncompressed(4) nameLength(2) extraLength(2).
        const h = yield* read(26);
        const flags = u16(h, 2);
        const method = u16(h, 4);
        const compressed = u32(h, 14);
        const name = yield* readName(u16(h, 22));
        yield { kind: 'skip', n: u16(h, 24) };
        this.note(name);
        const hasDescriptor = (flags & 0x08) !== 0;
        const lengthKnown = !(hasDescriptor && compressed === 0) && compressed !== 0xffffffff;
        if (!lengthKnown) {
          signature = (yield { kind: 'find' }) as number;
          first = false;
          continue;
        }
        const isMimetype =
          first && Buffer.from(name).toString('latin1') === 'mimetype' && method === 0 && !hasDescriptor;
        if (isMimetype && compressed <= MIMETYPE_BYTES) {
          this.findings.mimetype = Buffer.from(yield* read(compressed)).toString('latin1');
        } else {
          yield { kind: 'skip', n: compressed };
        }
        first = false;
        signature = u32(yield* read(4), 0);
        if (hasDescriptor) {
          // crc(4) compressed(4) uncompressed(4), with or without its own signature first.
          if (signature === SIG_DESCRIPTOR) yield { kind: 'skip', n: 12 };
          else yield { kind: 'skip', n: 8 };
          signature = u32(yield* read(4), 0);
        }
      } else if (signature === SIG_CENTRAL) {
        // Central directory header after its signature: 24 bytes, then nameLength(2)
        // extraLength(2) commentLength(2), then 12 more bytes, then the name.
        const h = yield* read(42);
        const name = yield* readName(u16(h, 24));
        yield { kind: 'skip', n: u16(h, 26) + u16(h, 28) };
        this.note(name);
        signature = u32(yield* read(4), 0);
      } else if (signature === SIG_END) {
        return;
      } else {
        // Not where a record should start: resynchronise on the next header signature.
        signature = (yield { kind: 'find' }) as number;
      }
    }
  }
}
