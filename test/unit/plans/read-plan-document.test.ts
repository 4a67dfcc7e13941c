import { readFileSync } from 'node:fs';
import { Document, Packer, Paragraph, Tab, TextRun } from 'docx';
import { describe, expect, it } from 'vitest';
import { inProcessDocumentReader as reader } from '#functions/document-reader.ts';
import { PayloadTooLargeError, PlanDocumentError } from '#shared/errors.ts';
import { MAX_PLAN_DOCUMENT_BYTES, MAX_PLAN_TEXT_CHARS } from '#shared/input-limits.ts';
import { parsePlanText } from '#shared/plans/parse-plan.ts';
import { importPlanDocument, readPlanDocument } from '#shared/plans/read-plan-document.ts';
import { documentXml, docxBomb, docxParts, zipOf } from '../files/zip-builders.ts';

const FIXTURES = new URL('../../fixtures/plans/', import.meta.url);

function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** A Word document with one paragraph per line of `text` (tabs kept as Word tabs), built in memory. */
async function toDocx(text: string): Promise<Uint8Array> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const paragraphs = lines.map(
    (line) =>
      new Paragraph({
        children: [
          new TextRun({
            children: line.split('\t').flatMap((part, i) => (i === 0 ? [part] : [new Tab(), part])),
          }),
        ],
      }),
  );
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: paragraphs }] })));
}

/** Deterministic pseudo-random bytes after a PNG signature: binary data with NULs and invalid UTF-8. */
function pngLikeBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
  let seed = 42;
  for (let i = 12; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    bytes[i] = seed >>> 16;
  }
  return bytes;
}

function pngLikeBuffer(length: number): Buffer {
  return Buffer.from(pngLikeBytes(length));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Runs the reader expecting rejection; returns the error. */
async function rejectionOf(bytes: Uint8Array, fileName: string): Promise<PlanDocumentError> {
  try {
    await readPlanDocument(bytes, fileName, reader);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanDocumentError);
    return error as PlanDocumentError;
  }
  throw new Error('expected a PlanDocumentError');
}

describe('readPlanDocument — text files', () => {
  it('decodes a UTF-8 .txt and drops its BOM', async () => {
    // Prepare
    const bytes = fixtureBytes('ke-hoach-chuyen-doi-so.txt');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // Act
    const text = await readPlanDocument(bytes, 'ke-hoach-chuyen-doi-so.txt', reader);
    // Assess
    expect(text.startsWith('ĐẢNG BỘ KHỐI')).toBe(true);
    expect(text).toBe(fixtureText('ke-hoach-chuyen-doi-so.txt').replace(/^\uFEFF/, ''));
  });

  it('accepts the extension in any letter case', async () => {
    // Prepare
    const bytes = fixtureBytes('ke-hoach-van-hoa.txt');
    // Act
    const text = await readPlanDocument(bytes, 'KE-HOACH.TXT', reader);
    // Assess
    expect(text).toBe(fixtureText('ke-hoach-van-hoa.txt'));
  });

  it('decodes UTF-16 text with a BOM, as Windows Notepad saves "Unicode" files', async () => {
    // Prepare
    const text = fixtureText('ke-hoach-van-hoa.txt');
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    // Act
    const decoded = await readPlanDocument(bytes, 'ke-hoach.txt', reader);
    // Assess
    expect(decoded).toBe(text);
  });

  it('refuses a binary file named .txt as not a text document', async () => {
    // Prepare
    const bytes = pngLikeBytes(512);
    // Act
    const error = await rejectionOf(bytes, 'anh-chup.txt');
    // Assess
    expect(error.message).toBe('Not a text document: anh-chup.txt is not UTF-8 text');
    expect(error.userMessage).toContain('không phải là văn bản UTF-8 hợp lệ');
    expect(error.missing).toEqual([]);
  });

  it('refuses ASCII bytes with NULs, which would otherwise decode as UTF-8', async () => {
    // Prepare
    const bytes = new Uint8Array([0x4b, 0x48, 0x00, 0x00, 0x31, 0x32]);
    // Act
    const error = await rejectionOf(bytes, 'du-lieu.txt');
    // Assess
    expect(error.message).toMatch(/^Not a text document/);
  });

  it('refuses text in a legacy Vietnamese encoding (invalid UTF-8)', async () => {
    // Prepare: "KÕ ho¹ch" in TCVN3 (ABC) — single bytes above 0x7F that are not valid UTF-8
    const bytes = new Uint8Array([0x4b, 0xd5, 0x20, 0x68, 0x6f, 0xb9, 0x63, 0x68]);
    // Act
    const error = await rejectionOf(bytes, 'ke-hoach-tcvn3.txt');
    // Assess
    expect(error.message).toMatch(/^Not a text document/);
  });

  it('refuses an empty file', async () => {
    // Prepare
    const bytes = fixtureBytes('empty.txt');
    // Act
    const error = await rejectionOf(bytes, 'empty.txt');
    // Assess
    expect(error.message).toBe('Empty document: empty.txt contains no text');
    expect(error.userMessage).toBe('Tài liệu trống: tệp empty.txt không có nội dung');
  });

  it('refuses a file of only a BOM and blank lines as empty', async () => {
    // Prepare
    const bytes = new TextEncoder().encode('\uFEFF\r\n  \r\n\t\r\n');
    // Act
    const error = await rejectionOf(bytes, 'trang.txt');
    // Assess
    expect(error.message).toMatch(/^Empty document/);
  });
});

describe('readPlanDocument — file types', () => {
  it.each([
    [
      'ke-hoach.odt',
      'Unsupported plan document type .odt (ke-hoach.odt): accepted types are .txt, .docx and .pdf',
    ],
    [
      'ke-hoach.rtf',
      'Unsupported plan document type .rtf (ke-hoach.rtf): accepted types are .txt, .docx and .pdf',
    ],
    ['ke-hoach', 'Unsupported plan document type (none) (ke-hoach): accepted types are .txt, .docx and .pdf'],
  ])('refuses %s and names the accepted types', async (fileName, message) => {
    // Prepare
    const bytes = new TextEncoder().encode('KẾ HOẠCH');
    // Act
    const error = await rejectionOf(bytes, fileName);
    // Assess
    expect(error.message).toBe(message);
    expect(error.userMessage).toContain('chỉ nhận tệp .txt, .docx hoặc .pdf');
  });
});

describe('readPlanDocument — Word documents', () => {
  it('reads a .docx as one paragraph per line, giving the same plan as the text file', async () => {
    // Prepare
    const text = fixtureText('ke-hoach-chuyen-doi-so.txt');
    const bytes = await toDocx(text);
    // Act
    const read = await readPlanDocument(bytes, 'ke-hoach-chuyen-doi-so.docx', reader);
    // Assess
    expect(read.split('\n').slice(0, 4)).toEqual([
      'ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH\t\tĐẢNG CỘNG SẢN VIỆT NAM',
      'ĐẢNG ỦY SỞ THÔNG TIN VÀ TRUYỀN THÔNG',
      '*',
      'Số: 15-KH/ĐU\t\tTam Kỳ, ngày 22 tháng 3 năm 2022',
    ]);
    expect(parsePlanText(read)).toEqual(parsePlanText(text));
  });

  it('imports a .docx plan with page-break fragments in one call', async () => {
    // Prepare
    const bytes = await toDocx(fixtureText('ke-hoach-phong-chong-tham-nhung.txt'));
    // Act
    const plan = await importPlanDocument(bytes, 'ke-hoach.docx', reader);
    // Assess
    expect(plan).toEqual(parsePlanText(fixtureText('ke-hoach-phong-chong-tham-nhung.txt')));
    expect(plan.taskGroups[2]?.body).toContain('trong thực hiện chính sách, pháp luật');
  });

  it('refuses a file named .docx that is not a ZIP archive', async () => {
    // Prepare
    const bytes = pngLikeBytes(256);
    // Act
    const error = await rejectionOf(bytes, 'ke-hoach.docx');
    // Assess
    expect(error.message).toBe('Not a readable Word document: ke-hoach.docx is not a valid .docx file');
    expect(error.userMessage).toContain('không phải là tài liệu Word (.docx) hợp lệ');
  });

  it('refuses a corrupt .docx without exposing the ZIP library error', async () => {
    // Prepare
    const valid = await toDocx('KẾ HOẠCH');
    const truncated = valid.subarray(0, Math.floor(valid.length / 2));
    // Act
    const error = await rejectionOf(truncated, 'ke-hoach.docx');
    // Assess
    expect(error.message).toBe('Not a readable Word document: ke-hoach.docx is not a valid .docx file');
    expect(error.cause).toBeUndefined();
  });

  it('refuses a .docx without any text as empty', async () => {
    // Prepare
    const bytes = await toDocx('\n\n');
    // Act
    const error = await rejectionOf(bytes, 'trang.docx');
    // Assess
    expect(error.message).toBe('Empty document: trang.docx contains no text');
  });
});

describe('readPlanDocument — bounds', () => {
  it.each(['ke-hoach.txt', 'ke-hoach.docx'])(
    'refuses %s over the size limit before looking at its content',
    async (fileName) => {
      // Prepare: one byte over; the content would otherwise be a valid text plan.
      const bytes = new Uint8Array(MAX_PLAN_DOCUMENT_BYTES + 1).fill(0x20);
      bytes.set(fixtureBytes('ke-hoach-cong-doan.txt'));
      // Act
      const result = readPlanDocument(bytes, fileName, reader);
      // Assess
      await expect(result).rejects.toBeInstanceOf(PayloadTooLargeError);
      await expect(result).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: `File too large: ${fileName} has ${MAX_PLAN_DOCUMENT_BYTES + 1} bytes; the limit for a plan document is ${MAX_PLAN_DOCUMENT_BYTES} bytes`,
        userMessage: `Tệp ${fileName} lớn quá (hơn 10 MB); giới hạn cho tài liệu kế hoạch là 10 MB.`,
      });
    },
  );

  it('reads a Word plan of exactly the size limit (a large image beside the text)', async () => {
    // Prepare: the plan's paragraphs, and a stored PNG-like image that fills the file to the byte.
    const paragraphs = fixtureText('ke-hoach-cong-doan.txt').split('\n').map(escapeXml);
    const parts = (image: Buffer) => [
      ...docxParts(documentXml(paragraphs)),
      { name: 'word/media/image1.png', data: image, compress: false },
    ];
    const overhead = (await zipOf(parts(Buffer.alloc(0)))).length;
    const docx = await zipOf(parts(pngLikeBuffer(MAX_PLAN_DOCUMENT_BYTES - overhead)));
    expect(docx.length).toBe(MAX_PLAN_DOCUMENT_BYTES);
    // Act
    const plan = await importPlanDocument(docx, 'ke-hoach.docx', reader);
    // Assess
    expect(plan.number).toBe(parsePlanText(fixtureText('ke-hoach-cong-doan.txt')).number);
  });

  it(`refuses text longer than ${MAX_PLAN_TEXT_CHARS} characters before parsing it, and reads up to it`, async () => {
    // Prepare: a plan followed by blank lines, the parser's slowest input.
    const plan = fixtureText('ke-hoach-cong-doan.txt');
    const atLimit = plan.padEnd(MAX_PLAN_TEXT_CHARS, '\n');
    // Act
    const over = readPlanDocument(new TextEncoder().encode(`${atLimit}\n`), 'ke-hoach.txt', reader);
    const read = await readPlanDocument(new TextEncoder().encode(atLimit), 'ke-hoach.txt', reader);
    // Assess
    await expect(over).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(over).rejects.toMatchObject({
      userMessage:
        'Tài liệu ke-hoach.txt dài quá (1.000.001 ký tự); giới hạn cho tài liệu kế hoạch là 1.000.000 ký tự.',
    });
    expect(read).toHaveLength(MAX_PLAN_TEXT_CHARS);
  });

  it('refuses a ZIP bomb named .docx (300 MiB of zeros in ~300 KB) before mammoth opens it', async () => {
    // Prepare
    const bomb = await docxBomb(300);
    // Act
    const error = await rejectionOf(bomb, 'bomb.docx');
    // Assess
    expect(error.message).toBe(
      'Word document refused: bomb.docx is not valid or too large once uncompressed ' +
        '(word/document.xml inflates to more than 10485760 bytes)',
    );
    expect(error.userMessage).toBe(
      'Tệp bomb.docx không hợp lệ hoặc quá lớn khi giải nén (phần "word/document.xml" giải nén ra hơn 10 MB); ' +
        'hãy mở tệp bằng Word và lưu lại dưới dạng .docx',
    );
  });

  it('refuses a .docx whose document part declares entities (billion laughs)', async () => {
    // Prepare: a plan's text, behind a DTD that would multiply "&lol9;" a billion times.
    const lols = Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`,
    ).join('');
    const prolog = `<!DOCTYPE w:document [<!ENTITY lol0 "lol">${lols}]>`;
    const docx = await zipOf(docxParts(documentXml(['KẾ HOẠCH', '&lol9;'], prolog)));
    // Act
    const error = await rejectionOf(docx, 'ke-hoach.docx');
    // Assess
    expect(error.userMessage).toContain('không hợp lệ hoặc quá lớn khi giải nén');
    expect(error.userMessage).toContain('có khai báo DOCTYPE/ENTITY');
  });
});

describe('importPlanDocument', () => {
  it('reads and parses a text plan', async () => {
    // Prepare
    const bytes = fixtureBytes('ke-hoach-cong-doan.txt');
    // Act
    const plan = await importPlanDocument(bytes, 'ke-hoach-cong-doan.txt', reader);
    // Assess
    expect(plan.number).toBe('52-KH/ĐU');
    expect(plan.taskGroups.map((group) => group.number)).toEqual(['1', '2', '3', '4']);
  });

  it('rejects a readable document that is not a plan, naming what is missing', async () => {
    // Prepare
    const bytes = fixtureBytes('cong-van-bao-cao.txt');
    // Act
    const result = importPlanDocument(bytes, 'cong-van.txt', reader);
    // Assess
    await expect(result).rejects.toMatchObject({
      code: 'PLAN_DOCUMENT_INVALID',
      missing: ['số kế hoạch', 'tên kế hoạch', 'nhiệm vụ', 'định kỳ báo cáo'],
    });
  });
});
