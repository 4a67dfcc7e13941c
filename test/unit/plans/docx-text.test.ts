/**
 * The text of a Word document, read with yauzl and saxes (shared/plans/docx-text.ts): the same
 * text mammoth's extractRawText gave (mammoth, still installed, is the oracle), and what Word
 * writes that a reader must leave out (deleted text, field codes, a text box's second copy).
 */
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { DocxTextError, extractDocxText } from '#shared/plans/docx-text.ts';
import { SEED_PLAN_TEXT, textToDocx } from '#test/support/plan-docx.ts';
import { docxParts, zipOf } from '../files/zip-builders.ts';

const NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ' +
  'xmlns:v="urn:schemas-microsoft-com:vml"';

/** mammoth's raw text with one paragraph per line, as the reader used it. */
async function mammothText(bytes: Uint8Array): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return value.replace(/\n\n/g, '\n');
}

async function docxOf(body: string): Promise<Uint8Array> {
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${NS}><w:body>${body}</w:body></w:document>`;
  return new Uint8Array(await zipOf(docxParts(xml)));
}

describe('extractDocxText', () => {
  it('gives the seed plan as mammoth did, line for line', async () => {
    const docx = await textToDocx(SEED_PLAN_TEXT);
    const text = await extractDocxText(docx);
    expect(text).toBe(await mammothText(docx));
    expect(text.split('\n')).toContain('II- NHIỆM VỤ VÀ GIẢI PHÁP');
  });

  it('reads a header table, tabs, line breaks and empty paragraphs as mammoth did', async () => {
    // Prepare: the two-column header of a Party document, then a body with breaks and tabs
    const cell = (lines: string[]) =>
      new TableCell({
        children: lines.map((l) => new Paragraph({ alignment: AlignmentType.CENTER, text: l })),
      });
    const doc = new Document({
      sections: [
        {
          children: [
            new Table({
              rows: [
                new TableRow({
                  children: [
                    cell(['ĐẢNG BỘ KHỐI', 'ĐẢNG ỦY SỞ', '*', 'Số 30-KH/ĐUK']),
                    cell(['ĐẢNG CỘNG SẢN VIỆT NAM', 'Tam Kỳ, ngày 22 tháng 3 năm 2022']),
                  ],
                }),
              ],
            }),
            new Paragraph({ text: '' }),
            new Paragraph({
              children: [new TextRun('KẾ HOẠCH'), new TextRun({ text: 'Đổi mới', break: 1 })],
            }),
            new Paragraph({ children: [new TextRun({ children: ['Nơi nhận:', '\t', 'T/M ĐẢNG ỦY'] })] }),
          ],
        },
      ],
    });
    const docx = new Uint8Array(await Packer.toBuffer(doc));
    // Act
    const text = await extractDocxText(docx);
    // Assess
    // mammoth dropped a line break (Shift+Enter) inside a paragraph: the only difference.
    expect(text).toBe((await mammothText(docx)).replace('KẾ HOẠCHĐổi mới', 'KẾ HOẠCH\nĐổi mới'));
    expect(text).toContain('Số 30-KH/ĐUK\nĐẢNG CỘNG SẢN VIỆT NAM');
    expect(text).toContain('KẾ HOẠCH\nĐổi mới');
    expect(text).toContain('Nơi nhận:\tT/M ĐẢNG ỦY');
  });

  it('leaves out deleted text, field codes and the first copy of a text box', async () => {
    const docx = await docxOf(
      '<w:p><w:r><w:t>Còn </w:t></w:r><w:del w:id="1"><w:r><w:delText>đã xóa </w:delText></w:r></w:del>' +
        '<w:ins w:id="2"><w:r><w:t>thêm</w:t></w:r></w:ins></w:p>' +
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>' +
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>' +
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><wps:txbx><w:txbxContent><w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p></w:txbxContent></wps:txbx></mc:Choice>' +
        '<mc:Fallback><v:textbox><w:txbxContent><w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p></w:txbxContent></v:textbox></mc:Fallback></mc:AlternateContent></w:r>' +
        '<w:r><w:t>Sau hộp</w:t><w:noBreakHyphen/><w:t>x</w:t></w:r></w:p>',
    );
    const text = await extractDocxText(docx);
    expect(text).toBe('Còn thêm\n3\nHộp chữ\nSau hộp-x\n');
  });

  it('refuses a document without its main part, and XML that is not well formed', async () => {
    const noBody = new Uint8Array(await zipOf(docxParts('x').filter((p) => p.name !== 'word/document.xml')));
    await expect(extractDocxText(noBody)).rejects.toBeInstanceOf(DocxTextError);
    await expect(extractDocxText(await docxOf('<w:p><w:r><w:t>mở</w:r></w:p>'))).rejects.toBeInstanceOf(
      DocxTextError,
    );
    await expect(extractDocxText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).rejects.toBeInstanceOf(
      DocxTextError,
    );
  });
});
