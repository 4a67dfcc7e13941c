/**
 * ZIP archives for the hostile-input tests, built at run time (never committed): minimal Word
 * documents, and ZIP bombs of zeros that are never whole in this process's memory.
 */
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { collect } from '#test/support/zip.ts';

const NS_W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '</Types>';

const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '</Relationships>';

/** One entry: its bytes, or a stream factory for entries too large to hold. */
export interface ZipPart {
  name: string;
  data: Buffer | string | (() => Readable);
  /** Deflate (default) or store. */
  compress?: boolean;
}

/** The archive's bytes. */
export async function zipOf(parts: readonly ZipPart[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const part of parts) {
    const options = { compress: part.compress ?? true, mtime };
    if (typeof part.data === 'function') zip.addReadStream(part.data(), part.name, options);
    else zip.addBuffer(Buffer.from(part.data), part.name, options);
  }
  zip.end();
  return collect(zip.outputStream);
}

/** `word/document.xml` with one paragraph per string, after an optional prolog (a DOCTYPE). */
export function documentXml(paragraphs: readonly string[], prolog = ''): string {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    prolog +
    `<w:document xmlns:w="${NS_W}"><w:body>${body}</w:body></w:document>`
  );
}

/** The parts of the smallest Word document mammoth reads: content types, relationships, the body. */
export function docxParts(document: ZipPart['data']): ZipPart[] {
  return [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: ROOT_RELS },
    { name: 'word/document.xml', data: document },
  ];
}

/** `megabytes` MiB of zero bytes, streamed one shared MiB at a time. */
export function zeros(megabytes: number): () => Readable {
  const mib = Buffer.alloc(1024 * 1024);
  return () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < megabytes; i++) yield mib;
      })(),
    );
}

/**
 * A Word document whose `word/document.xml` is `megabytes` MiB of zeros: about 1 KB of ZIP per
 * MiB (deflate's best ratio), so 300 MiB fit in a 300 KB file. With `declaredSize`, the central
 * directory says the part is that many bytes, as a bomb that lies about its size does.
 */
export async function docxBomb(megabytes: number, declaredSize?: number): Promise<Buffer> {
  const zip = await zipOf(docxParts(zeros(megabytes)));
  if (declaredSize !== undefined) declareSize(zip, 'word/document.xml', declaredSize);
  return zip;
}

/** Overwrites the uncompressed size the central directory (and the local header) give an entry. */
export function declareSize(zip: Buffer, name: string, size: number): void {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let offset = zip.readUInt32LE(end + 16);
  const count = zip.readUInt16LE(end + 10);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('not a central directory record');
    const nameLength = zip.readUInt16LE(offset + 28);
    const entryName = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (entryName === name) {
      zip.writeUInt32LE(size, offset + 24);
      const local = zip.readUInt32LE(offset + 42);
      // A streamed entry's local header has zeros and a data descriptor: only a known size is patched.
      if (zip.readUInt32LE(local + 22) !== 0) zip.writeUInt32LE(size, local + 22);
      return;
    }
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  throw new Error(`no entry ${name}`);
}
