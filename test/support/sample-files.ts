/**
 * Small real files of every type a unit may upload, made in memory (no binaries in the repo):
 * Word documents with the `docx` package, ZIP-based ones with yazl, the others by their
 * documented signatures.
 */
import { Readable } from 'node:stream';
import { Document, Packer, Paragraph } from 'docx';
import yazl from 'yazl';

const encoder = new TextEncoder();

export function pdfBytes(text = 'Báo cáo kết quả thực hiện'): Buffer {
  return Buffer.from(
    `%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  );
}

export function pngBytes(): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
  ]);
}

export function jpegBytes(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0'),
    Buffer.alloc(64, 7),
  ]);
}

/** The header of an OLE2 compound file (.doc, .xls). */
export function ole2Bytes(): Buffer {
  return Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 0)]);
}

export function htmlBytes(): Buffer {
  return Buffer.from(
    '\uFEFF\n  <!DOCTYPE html>\n<html lang="vi"><head><title>Đăng nhập</title></head><body>Lỗi</body></html>\n',
  );
}

export interface ZipEntry {
  name: string;
  data: string | Uint8Array;
  /** Deflate the entry (default true). */
  compress?: boolean;
  /** Write it as a stream: sizes unknown up front, so a data descriptor follows the data. */
  streamed?: boolean;
}

/** A ZIP archive of `entries`, in order. */
export async function zipBytes(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const data =
      typeof entry.data === 'string' ? Buffer.from(encoder.encode(entry.data)) : Buffer.from(entry.data);
    const options = { compress: entry.compress ?? true, mtime: new Date('2026-01-01T00:00:00Z') };
    if (entry.streamed) zip.addReadStream(Readable.from([data]), entry.name, options);
    else zip.addBuffer(data, entry.name, options);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A real Word document made by the `docx` package. */
export async function docxBytes(text = 'Báo cáo kết quả thực hiện Kế hoạch'): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: [new Paragraph(text)] }] });
  return Packer.toBuffer(doc);
}

const CONTENT_TYPES_XLSX =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>';

/** A minimal spreadsheet: a ZIP with `[Content_Types].xml` and `xl/workbook.xml`. */
export function xlsxBytes(options: { streamed?: boolean } = {}): Promise<Buffer> {
  return zipBytes([
    { name: '[Content_Types].xml', data: CONTENT_TYPES_XLSX, streamed: options.streamed },
    {
      name: 'xl/workbook.xml',
      data: '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
      streamed: options.streamed,
    },
  ]);
}

/** An OpenDocument file: its first entry is the uncompressed `mimetype`. */
export function odfBytes(mimetype: string, options: { compressMimetype?: boolean } = {}): Promise<Buffer> {
  return zipBytes([
    { name: 'mimetype', data: mimetype, compress: options.compressMimetype ?? false },
    { name: 'META-INF/manifest.xml', data: '<?xml version="1.0"?><manifest:manifest/>' },
    { name: 'content.xml', data: '<?xml version="1.0"?><office:document-content/>' },
  ]);
}

export const ODT_MIME = 'application/vnd.oasis.opendocument.text';
export const ODS_MIME = 'application/vnd.oasis.opendocument.spreadsheet';

/** A ZIP that is no document at all. */
export function plainZipBytes(): Promise<Buffer> {
  return zipBytes([
    { name: 'bao-cao/anh-1.txt', data: 'ảnh 1' },
    { name: 'bao-cao/ghi-chu.txt', data: 'ghi chú' },
  ]);
}

/** `bytes` as a stream of chunks of `size` bytes (the last one shorter). */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
