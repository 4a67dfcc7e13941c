/**
 * An Office document (.docx, .xlsx…) is a ZIP archive that readers such as mammoth inflate whole
 * in memory: a 300 KB "ZIP bomb" can hold gigabytes. This check runs first, on the archive as it
 * is, and bounds (shared/input-limits.ts):
 *
 * 1. the number of entries and the sizes the central directory declares, before inflating
 *    anything;
 * 2. the bytes actually inflated, per entry and in total, counted while streaming (memory stays at
 *    one inflate window) — declared sizes can lie, and yauzl also fails an entry that inflates to
 *    more or less than it declared;
 * 3. the inflated XML (entries whose content starts with `<`), which the reader turns into a DOM;
 * 4. DTDs: an XML part with `<!DOCTYPE` or `<!ENTITY` is refused. Package parts never carry one
 *    (the Open Packaging Conventions, ECMA-376 Part 2, forbid DTD declarations), and entity
 *    expansion is the "billion laughs" bomb. mammoth's parser (@xmldom/xmldom 0.8) does not expand
 *    declared entities today; the check keeps it so whatever parser comes next.
 */
import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { formatBytes } from '#shared/domain/bytes.ts';
import { OFFICE_ZIP_LIMITS, type OfficeZipLimits } from '#shared/input-limits.ts';

/** Why an archive was refused; `detail` is English, `detailVi` Vietnamese. */
export type OfficeZipProblem =
  /** Not a ZIP archive yauzl can read (truncated, no central directory, bad names). */
  | { kind: 'unreadable' }
  /** Readable, but over a limit, with a DTD, or its data corrupt or not the size declared. */
  | { kind: 'refused'; detail: string; detailVi: string };

/**
 * Checks an Office document's archive; resolves to the problem, or undefined when the reader may
 * open it. Never throws for a bad archive.
 */
export async function inspectOfficeZip(
  bytes: Uint8Array,
  limits: OfficeZipLimits = OFFICE_ZIP_LIMITS,
): Promise<OfficeZipProblem | undefined> {
  // Loaded on first use, as mammoth is: only a .docx import needs it.
  const { default: yauzl } = await import('yauzl');
  let zip: ZipFile;
  const entries: Entry[] = [];
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      decodeStrings: true,
      validateEntrySizes: true,
    });
    // The count is the end record's, known before a single entry is read.
    if (zip.entryCount > limits.entries) {
      return refused(
        `${zip.entryCount} entries, at most ${limits.entries}`,
        `có ${zip.entryCount} phần trong tệp nén, tối đa ${limits.entries}`,
      );
    }
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch {
    return { kind: 'unreadable' };
  }

  let declared = 0;
  for (const entry of entries) {
    declared += entry.uncompressedSize;
    if (entry.uncompressedSize > limits.entryBytes) return entryTooLarge(entry.fileName, limits);
  }
  if (declared > limits.totalBytes) {
    return refused(
      `declares ${declared} bytes uncompressed, at most ${limits.totalBytes}`,
      `dữ liệu giải nén khai báo ${formatBytes(declared)}, tối đa ${formatBytes(limits.totalBytes)}`,
    );
  }

  const count = { total: 0, markup: 0 };
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue; // a folder
    let stream: Readable | undefined;
    try {
      stream = await zip.openReadStreamPromise(entry);
      const problem = await inflateBounded(stream, entry.fileName, limits, count);
      if (problem) return problem;
    } catch {
      return refused(
        `${entry.fileName}: corrupt data or not the size declared`,
        `dữ liệu nén của phần "${entry.fileName}" bị hỏng hoặc không đúng kích thước khai báo`,
      );
    } finally {
      stream?.destroy();
    }
  }
  return undefined;
}

/** Reads one entry to its end, counting; stops at the first limit broken or DTD found. */
async function inflateBounded(
  stream: Readable,
  name: string,
  limits: OfficeZipLimits,
  count: { total: number; markup: number },
): Promise<OfficeZipProblem | undefined> {
  let bytes = 0;
  let markup: boolean | undefined;
  const dtd = new DtdScanner();
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    count.total += chunk.length;
    if (bytes > limits.entryBytes) return entryTooLarge(name, limits);
    if (count.total > limits.totalBytes) {
      return refused(
        `inflates to more than ${limits.totalBytes} bytes`,
        `giải nén ra hơn ${formatBytes(limits.totalBytes)}`,
      );
    }
    markup ??= startsLikeXml(chunk);
    if (!markup) continue;
    count.markup += chunk.length;
    if (count.markup > limits.markupBytes) {
      return refused(
        `more than ${limits.markupBytes} bytes of XML`,
        `phần XML giải nén ra hơn ${formatBytes(limits.markupBytes)}`,
      );
    }
    if (dtd.found(chunk)) {
      return refused(
        `${name} declares a DTD or entities`,
        `phần "${name}" có khai báo DOCTYPE/ENTITY, điều tài liệu Word không bao giờ có`,
      );
    }
  }
  return undefined;
}

/**
 * Whether an entry's first chunk looks like XML: its first character after a byte order mark,
 * whitespace and NULs (UTF-16) is `<`. A chunk of only those counts as XML too (the safe side).
 */
function startsLikeXml(chunk: Buffer): boolean {
  for (const byte of chunk) {
    if (byte === 0x3c) return true; // <
    // NUL (UTF-16), space, tab, CR, LF, and the bytes of UTF-8 and UTF-16 byte order marks.
    if (![0x00, 0x20, 0x09, 0x0d, 0x0a, 0xef, 0xbb, 0xbf, 0xfe, 0xff].includes(byte)) return false;
  }
  return true;
}

/**
 * Finds `<!DOCTYPE` or `<!ENTITY` in a stream of chunks, across chunk boundaries, in any letter
 * case, ignoring NUL bytes so that UTF-16 text (either byte order) is caught like UTF-8.
 */
class DtdScanner {
  static readonly PATTERN = /<!(?:doctype|entity)/i;
  /** The end of the previous chunk, long enough to complete a match that spans two chunks. */
  #tail = '';

  found(chunk: Buffer): boolean {
    const text = this.#tail + chunk.toString('latin1').replaceAll('\0', '');
    this.#tail = text.slice(-8);
    return DtdScanner.PATTERN.test(text);
  }
}

function entryTooLarge(name: string, limits: OfficeZipLimits): OfficeZipProblem {
  return refused(
    `${name} inflates to more than ${limits.entryBytes} bytes`,
    `phần "${name}" giải nén ra hơn ${formatBytes(limits.entryBytes)}`,
  );
}

function refused(detail: string, detailVi: string): OfficeZipProblem {
  return { kind: 'refused', detail, detailVi };
}

/**
 * The raw bytes of an Office archive's parts whose lower-case names `wanted` accepts, by that
 * name: the one reader of parts for the .docx and .xlsx importers (each decodes and refuses in
 * its own words). Call it on an archive that passed {@link inspectOfficeZip}, so every part is
 * bounded already. Rejects with yauzl's error when the archive cannot be read.
 */
export async function readOfficeParts(
  bytes: Uint8Array,
  wanted: (name: string) => boolean,
): Promise<Map<string, Buffer>> {
  // Loaded on first use: only the importers need it.
  const { default: yauzl } = await import('yauzl');
  const zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    lazyEntries: true,
    decodeStrings: true,
    validateEntrySizes: true,
  });
  const parts = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const name = entry.fileName.toLowerCase();
    if (!wanted(name)) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>)
      chunks.push(chunk);
    parts.set(name, Buffer.concat(chunks));
  }
  return parts;
}
