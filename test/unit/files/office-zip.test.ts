import { Document, Packer, Paragraph } from 'docx';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectOfficeZip } from '#shared/files/office-zip.ts';
import { OFFICE_ZIP_LIMITS, type OfficeZipLimits } from '#shared/input-limits.ts';
import { declareSize, documentXml, docxBomb, docxParts, zeros, zipOf } from './zip-builders.ts';

const MB = 1024 * 1024;

/** Small limits, so that going over them takes small archives. */
const SMALL: OfficeZipLimits = {
  entries: 20,
  entryBytes: 1 * MB,
  totalBytes: 2 * MB,
  markupBytes: 512 * 1024,
};

describe('inspectOfficeZip — documents that pass', () => {
  it('accepts a Word document as Word libraries write it, and the smallest one mammoth reads', async () => {
    // Prepare
    const docx = await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph('KẾ HOẠCH'), new Paragraph('Số: 12-KH/ĐUS')] }] }),
    );
    const minimal = await zipOf(docxParts(documentXml(['KẾ HOẠCH'])));
    // Act, Assess
    expect(await inspectOfficeZip(docx)).toBeUndefined();
    expect(await inspectOfficeZip(minimal)).toBeUndefined();
  });

  it('accepts exactly the limits: entries, bytes per entry and in total', async () => {
    // Prepare: 20 entries, two of them 1 MiB each (2 MiB in total) of binary data.
    const binary = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(MB - 4)]);
    const parts = [
      ...docxParts(documentXml(['a'])),
      { name: 'word/media/image1.png', data: binary() },
      { name: 'word/media/image2.png', data: binary() },
      ...Array.from({ length: 15 }, (_, i) => ({ name: `customXml/item${i}.xml`, data: '<a/>' })),
    ];
    // The three XML parts of the document and 15 small ones, under the XML limit.
    const zip = await zipOf(parts);
    const limits = { ...SMALL, totalBytes: 2 * MB + 4096 };
    // Act, Assess
    expect(parts).toHaveLength(SMALL.entries);
    expect(await inspectOfficeZip(zip, limits)).toBeUndefined();
  });
});

describe('inspectOfficeZip — ZIP bombs and other hostile archives', () => {
  /** 300 MiB of zeros as word/document.xml, in a ~300 KB archive (built once: it takes a second or two). */
  let bomb: Buffer;
  beforeAll(async () => {
    bomb = await docxBomb(300);
  });

  it('refuses a 300 KB bomb of 300 MiB by the size it declares, before inflating anything', async () => {
    // Act
    const problem = await inspectOfficeZip(bomb);
    // Assess
    expect(bomb.length).toBeLessThan(400 * 1024);
    expect(problem).toEqual({
      kind: 'refused',
      detail: `word/document.xml inflates to more than ${OFFICE_ZIP_LIMITS.entryBytes} bytes`,
      detailVi: 'phần "word/document.xml" giải nén ra hơn 10 MB',
    });
  });

  it.each([
    ['1 KB', 1024],
    ['3 MiB (under every limit)', 3 * MB],
  ])('refuses the same bomb when it declares %s, while inflating', async (_label, declared) => {
    // Prepare: the same archive, its central directory lying about the part's size.
    const liar = Buffer.from(bomb);
    declareSize(liar, 'word/document.xml', declared);
    // Act
    const problem = await inspectOfficeZip(liar);
    // Assess
    expect(problem).toMatchObject({
      kind: 'refused',
      detailVi: expect.stringMatching(/không đúng kích thước khai báo|giải nén ra hơn/),
    });
  });

  it('refuses an archive with more entries than the limit, by its end record', async () => {
    const zip = await zipOf(
      Array.from({ length: OFFICE_ZIP_LIMITS.entries + 1 }, (_, i) => ({ name: `x/${i}.xml`, data: '<a/>' })),
    );
    expect(await inspectOfficeZip(zip)).toEqual({
      kind: 'refused',
      detail: '1001 entries, at most 1000',
      detailVi: 'có 1001 phần trong tệp nén, tối đa 1000',
    });
  });

  it('refuses entries that together declare more than the total limit', async () => {
    const zip = await zipOf(['a', 'b', 'c'].map((n) => ({ name: `word/media/${n}.bin`, data: zeros(1) })));
    expect(await inspectOfficeZip(zip, { ...SMALL, entryBytes: 2 * MB })).toMatchObject({
      kind: 'refused',
      detail: `declares ${3 * MB} bytes uncompressed, at most ${2 * MB}`,
      detailVi: 'dữ liệu giải nén khai báo 3 MB, tối đa 2 MB',
    });
  });

  it('counts XML by its content, whatever the entry is called, while inflating', async () => {
    // Prepare: 600 KB of XML named like an image (a relationship can point mammoth at any
    // entry), and 600 KB of PNG-like bytes, which mammoth never parses.
    const xml = `<a>${'<b>Chi bộ</b>'.repeat((600 * 1024) / 15)}</a>`;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(600 * 1024)]);
    // Act
    const disguised = await inspectOfficeZip(
      await zipOf([{ name: 'word/media/image1.png', data: xml }]),
      SMALL,
    );
    const image = await inspectOfficeZip(await zipOf([{ name: 'word/media/image1.png', data: png }]), SMALL);
    // Assess
    expect(disguised).toEqual({
      kind: 'refused',
      detail: `more than ${SMALL.markupBytes} bytes of XML`,
      detailVi: 'phần XML giải nén ra hơn 512 KB',
    });
    expect(image).toBeUndefined();
  });

  it.each([
    [
      'an internal DTD with entities (billion laughs)',
      '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">]>',
      'utf8',
    ],
    ['a DOCTYPE without entities', '<!DOCTYPE w:document SYSTEM "http://x/doc.dtd">', 'utf8'],
    ['an entity declaration in UTF-16', '<!DOCTYPE w:document [<!ENTITY a "a">]>', 'utf16le'],
  ] as const)('refuses %s in a document part', async (_name, prolog, encoding) => {
    const part = Buffer.from(documentXml(['&a;'], prolog), encoding);
    const zip = await zipOf(docxParts(part));
    expect(await inspectOfficeZip(zip)).toEqual({
      kind: 'refused',
      detail: 'word/document.xml declares a DTD or entities',
      detailVi: 'phần "word/document.xml" có khai báo DOCTYPE/ENTITY, điều tài liệu Word không bao giờ có',
    });
  });

  it('finds a declaration split across two inflated chunks (zlib hands out 16 KiB at a time)', async () => {
    // Prepare: "<!ENTITY" starts 4 bytes before the first 16 KiB boundary.
    const head = '<?xml version="1.0"?><root><!--';
    const part = `${head}${'x'.repeat(16 * 1024 - 4 - head.length - 3)}--><!ENTITY a "b"></root>`;
    expect(part.indexOf('<!ENTITY')).toBe(16 * 1024 - 4);
    // Act
    const problem = await inspectOfficeZip(await zipOf([{ name: 'customXml/item1.xml', data: part }]));
    // Assess
    expect(problem).toMatchObject({
      kind: 'refused',
      detail: 'customXml/item1.xml declares a DTD or entities',
    });
  });

  it('says a truncated or non-ZIP archive is unreadable, without throwing', async () => {
    const valid = await zipOf(docxParts(documentXml(['a'])));
    expect(await inspectOfficeZip(valid.subarray(0, valid.length - 30))).toEqual({ kind: 'unreadable' });
    expect(await inspectOfficeZip(Buffer.from('PK\u0003\u0004 not really'))).toEqual({ kind: 'unreadable' });
  });
});
