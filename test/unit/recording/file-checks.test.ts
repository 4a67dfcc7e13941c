import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALLOWED_FILE_TYPES } from '#shared/domain/submission.ts';
import {
  type ContentKind,
  checkFile,
  declaredExtension,
  type FileInspection,
  inspectFile,
} from '#shared/recording/file-checks.ts';
import {
  chunked,
  docxBytes,
  htmlBytes,
  jpegBytes,
  ODS_MIME,
  ODT_MIME,
  odfBytes,
  ole2Bytes,
  pdfBytes,
  plainZipBytes,
  pngBytes,
  xlsxBytes,
  zipBytes,
} from '#test/support/sample-files.ts';

const MB25 = 25 * 1024 * 1024;

async function kindOf(bytes: Uint8Array, chunkSize = 64 * 1024): Promise<ContentKind> {
  return (await inspectFile(chunked(bytes, chunkSize), { maxBytes: MB25 })).kind;
}

describe('inspectFile: streaming SHA-256', () => {
  it('gives the same hash and size for many uneven chunks as for one buffer', async () => {
    // Prepare
    const bytes = randomBytes(1_000_003);
    async function* uneven() {
      let at = 0;
      for (let n = 1; at < bytes.length; n = (n * 7 + 3) % 65_537) {
        yield bytes.subarray(at, at + n);
        at += n;
      }
    }
    // Act
    const streamed = await inspectFile(uneven(), { maxBytes: MB25 });
    const whole = await inspectFile(chunked(bytes, bytes.length), { maxBytes: MB25 });
    // Assess
    const expected = createHash('sha256').update(bytes).digest('hex');
    expect(streamed).toMatchObject({ size: bytes.length, sha256: expected });
    expect(whole.sha256).toBe(expected);
  });

  it('hashes an empty file as the SHA-256 of nothing', async () => {
    const inspection = await inspectFile(chunked(new Uint8Array(), 1), { maxBytes: 10 });
    expect(inspection).toEqual({
      size: 0,
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      kind: 'empty',
    });
  });

  it('stops reading (and releases the stream) as soon as the file passes the limit', async () => {
    // Prepare
    let yielded = 0;
    let released = false;
    async function* large() {
      try {
        for (let i = 0; i < 1000; i++) {
          yielded++;
          yield new Uint8Array(100);
        }
      } finally {
        released = true;
      }
    }
    // Act
    const inspection = await inspectFile(large(), { maxBytes: 1024 });
    // Assess
    expect(inspection.sha256).toBeNull();
    expect(inspection.size).toBeGreaterThan(1024);
    expect(yielded).toBe(11);
    expect(released).toBe(true);
  });
});

describe('inspectFile: the real type from the bytes', () => {
  it.each<[string, () => Uint8Array | Promise<Uint8Array>, ContentKind]>([
    ['PDF (%PDF-)', () => pdfBytes(), 'pdf'],
    ['PDF with a few bytes before the header', () => Buffer.concat([Buffer.from('\r\n'), pdfBytes()]), 'pdf'],
    ['PNG (89 50 4E 47 0D 0A 1A 0A)', pngBytes, 'png'],
    ['JPEG (FF D8 FF)', jpegBytes, 'jpg'],
    ['OLE2 (.doc/.xls: D0 CF 11 E0 A1 B1 1A E1)', ole2Bytes, 'ole2'],
    ['a Word document made by the docx package', () => docxBytes(), 'docx'],
    ['a minimal xlsx', () => xlsxBytes(), 'xlsx'],
    ['an xlsx written with data descriptors', () => xlsxBytes({ streamed: true }), 'xlsx'],
    ['an ODF text (mimetype first, stored)', () => odfBytes(ODT_MIME), 'odt'],
    ['an ODF spreadsheet', () => odfBytes(ODS_MIME), 'ods'],
    ['an ODF presentation', () => odfBytes('application/vnd.oasis.opendocument.presentation'), 'odf'],
    ['an ODF file whose mimetype is compressed', () => odfBytes(ODT_MIME, { compressMimetype: true }), 'odf'],
    [
      'a pptx',
      () =>
        zipBytes([
          { name: '[Content_Types].xml', data: '<Types/>' },
          { name: 'ppt/presentation.xml', data: '<p/>' },
        ]),
      'pptx',
    ],
    ['a ZIP that is no document', plainZipBytes, 'zip'],
    [
      'a ZIP with both word/ and xl/ parts',
      () =>
        zipBytes([
          { name: 'word/document.xml', data: '<w/>' },
          { name: 'xl/workbook.xml', data: '<x/>' },
        ]),
      'zip',
    ],
    ['an HTML page (BOM, blank lines, doctype)', htmlBytes, 'html'],
    ['an HTML fragment', () => Buffer.from('<html><body>x</body></html>'), 'html'],
    [
      'XHTML',
      () => Buffer.from('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"></html>'),
      'html',
    ],
    ['XML', () => Buffer.from('<?xml version="1.0"?><bao-cao/>'), 'xml'],
    ['plain text', () => Buffer.from('Báo cáo năm 2026\r\nChi bộ A\r\n'), 'text'],
    ['GIF', () => Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'gif'],
    ['HEIC', () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0')]), 'heic'],
    ['a Windows program', () => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]), 'exe'],
    ['RAR', () => Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00]), 'rar'],
    ['random bytes', () => Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff, 0x10, 0x80, 0x81]), 'unknown'],
  ])('recognises %s', async (_name, make, kind) => {
    expect(await kindOf(await make())).toBe(kind);
  });

  it.each([1, 2, 3, 5, 29, 31, 4096])(
    'finds the ZIP entries whatever the chunk size (%i bytes)',
    async (size) => {
      expect(await kindOf(await docxBytes(), size)).toBe('docx');
      expect(await kindOf(await xlsxBytes({ streamed: true }), size)).toBe('xlsx');
      expect(await kindOf(await odfBytes(ODS_MIME), size)).toBe('ods');
    },
  );

  it('does not mistake a workbook stored inside a Word document for the document', async () => {
    // Prepare: word/embeddings/… holds an xlsx uncompressed, so its xl/ headers are in the stream.
    const embedded = await xlsxBytes();
    const docx = await zipBytes([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/embeddings/Bang_tinh.xlsx', data: embedded, compress: false },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    // Act + Assess
    expect(await kindOf(docx, 7)).toBe('docx');
  });

  it('keeps only a bounded part of a large file', async () => {
    // A 3 MB ZIP entry is skipped, not kept: the scan still finds the entry after it.
    const big = await zipBytes([
      { name: 'xl/media/image1.bin', data: randomBytes(3 * 1024 * 1024), compress: false },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
    ]);
    expect(await kindOf(big, 65_536)).toBe('xlsx');
  });
});

describe('checkFile', () => {
  const inspection = (kind: ContentKind, size = 1000): FileInspection => ({ size, sha256: 'ab', kind });
  const declared = (fileName: string, declaredSize = 1000) => ({
    fileName,
    contentType: ALLOWED_FILE_TYPES[fileName.split('.').pop() as keyof typeof ALLOWED_FILE_TYPES] ?? '',
    declaredSize,
  });

  it.each<[string, ContentKind]>([
    ['bao-cao.pdf', 'pdf'],
    ['anh.png', 'png'],
    ['anh.jpg', 'jpg'],
    ['bao-cao.doc', 'ole2'],
    ['bang.xls', 'ole2'],
    ['bao-cao.docx', 'docx'],
    ['bang.xlsx', 'xlsx'],
    ['bao-cao.odt', 'odt'],
    ['bang.ods', 'ods'],
  ])('accepts %s whose content is %s', (fileName, kind) => {
    expect(checkFile(inspection(kind), declared(fileName), MB25)).toMatchObject({ ok: true });
  });

  it('says in Vietnamese what an HTML page declared as a PDF really is', () => {
    expect(checkFile(inspection('html'), declared('bao-cao.pdf'), MB25)).toEqual({
      ok: false,
      reason: 'Tệp "bao-cao.pdf" không phải là tệp PDF thật (nội dung là HTML).',
    });
  });

  it.each<[string, ContentKind, string]>([
    [
      'bao-cao.xlsx',
      'docx',
      'Tệp "bao-cao.xlsx" không phải là tệp Excel (.xlsx) thật (nội dung là tệp Word (.docx)).',
    ],
    [
      'bao-cao.docx',
      'zip',
      'Tệp "bao-cao.docx" không phải là tệp Word (.docx) thật (nội dung là tệp nén ZIP).',
    ],
    [
      'bao-cao.odt',
      'ods',
      'Tệp "bao-cao.odt" không phải là tệp văn bản OpenDocument (.odt) thật (nội dung là bảng tính OpenDocument (.ods)).',
    ],
    ['anh.png', 'jpg', 'Tệp "anh.png" không phải là tệp ảnh PNG thật (nội dung là ảnh JPEG).'],
    [
      'bao-cao.doc',
      'docx',
      'Tệp "bao-cao.doc" không phải là tệp Word (.doc) thật (nội dung là tệp Word (.docx)).',
    ],
    [
      'bao-cao.pdf',
      'unknown',
      'Tệp "bao-cao.pdf" không phải là tệp PDF thật (không nhận ra định dạng của nội dung).',
    ],
  ])('refuses %s whose content is %s', (fileName, kind, reason) => {
    expect(checkFile(inspection(kind), declared(fileName), MB25)).toEqual({ ok: false, reason });
  });

  it('refuses an empty file, a file over the limit and a file of another size than declared', () => {
    expect(checkFile(inspection('empty', 0), declared('a.pdf', 0), MB25)).toEqual({
      ok: false,
      reason: 'Tệp "a.pdf" rỗng (0 byte), không có nội dung.',
    });
    expect(checkFile(inspection('unknown', MB25 + 1), declared('a.pdf', MB25 + 1), MB25)).toEqual({
      ok: false,
      reason: 'Tệp "a.pdf" vượt quá giới hạn 25 MB.',
    });
    expect(checkFile(inspection('pdf', 1200), declared('a.pdf', 1000), MB25)).toEqual({
      ok: false,
      reason:
        'Tệp "a.pdf" nhận được 1.200 byte, khác với kích thước đã khai báo (1.000 byte); có thể tệp chưa tải lên trọn vẹn. Vui lòng tải lên lại.',
    });
  });

  it('refuses a type that is not allowed', () => {
    const check = checkFile(
      inspection('exe'),
      { fileName: 'setup.exe', contentType: 'application/x-msdownload', declaredSize: 1000 },
      MB25,
    );
    expect(check).toEqual({
      ok: false,
      reason:
        'Tệp "setup.exe" thuộc loại không được nhận. Chỉ nhận các tệp PDF, DOC, DOCX, ODT, XLS, XLSX, ODS, JPG, PNG.',
    });
  });
});

describe('declaredExtension', () => {
  it('takes the extension, .jpeg as .jpg, else the declared Content-Type', () => {
    expect(declaredExtension('Báo cáo.PDF', 'application/pdf')).toBe('pdf');
    expect(declaredExtension('anh.jpeg', 'image/jpeg')).toBe('jpg');
    expect(declaredExtension('bao-cao', 'application/vnd.oasis.opendocument.text')).toBe('odt');
    expect(declaredExtension('bao-cao.txt', 'text/plain')).toBeUndefined();
  });
});
