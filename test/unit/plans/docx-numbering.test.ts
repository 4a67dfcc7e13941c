/**
 * Word's automatic numbering (word/numbering.xml): the numbers mammoth dropped are read back, so
 * that task headings numbered by Word keep "1.", "a)", "II." and sub-items stay bullets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractDocxText } from '#shared/plans/docx-text.ts';
import { readSource, sourceToDocx } from '#test/support/plan-corpus.ts';

const CORPUS = new URL('../../fixtures/plans/corpus/', import.meta.url);

describe('extractDocxText — automatic numbering', () => {
  it('gives Roman sections, Arabic task headings one level down and bullets their labels', async () => {
    // Prepare
    const bytes = new Uint8Array(readFileSync(new URL('docx-so-tu-dong.docx', CORPUS)));
    // Act
    const lines = (await extractDocxText(bytes)).split('\n');
    // Assess
    expect(lines).toContain('I. MỤC ĐÍCH, YÊU CẦU');
    expect(lines).toContain('II. NHIỆM VỤ VÀ GIẢI PHÁP');
    expect(lines).toContain('1. Đổi mới hình thức phổ biến pháp luật');
    expect(lines).toContain('- Đưa nội dung pháp luật mới vào sinh hoạt chi bộ hằng tháng.');
    expect(lines).toContain('3. Gắn phổ biến pháp luật với thực thi công vụ');
    // The Arabic level restarts under the next Roman section; the text after it is unnumbered.
    expect(lines).toContain('III. TỔ CHỨC THỰC HIỆN');
  });

  it('gives letter numbering "a)" … "c)" and leaves typed numbers alone', async () => {
    // Prepare
    const bytes = new Uint8Array(readFileSync(new URL('docx-chu-tu-dong.docx', CORPUS)));
    // Act
    const lines = (await extractDocxText(bytes)).split('\n');
    // Assess
    expect(lines).toContain('a) Công khai, minh bạch trong mua sắm thuốc, vật tư');
    expect(lines).toContain('c) Xử lý nghiêm vi phạm');
    expect(lines).toContain('2. Nhiệm vụ');
  });

  it('numbers nothing in a document without numbering.xml', async () => {
    // Prepare: every line typed, no marker.
    const source = readSource('ĐẢNG ỦY SỞ\nKẾ HOẠCH\n1. Một\n2. Hai');
    // Act
    const text = await extractDocxText(await sourceToDocx(source));
    // Assess
    expect(text).toContain('1. Một\n2. Hai\n');
  });
});
