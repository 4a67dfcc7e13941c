import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { ExportUnit, PackContent } from '#shared/export/content.ts';
import {
  DRAFT_MARK,
  LATE_HEADING,
  MISSING_HEADING,
  OTHER_HEADING,
  reportDocxStream,
} from '#shared/export/report-docx.ts';
import { sampleContent, sampleUnit } from '#test/support/pack-content.ts';
import { stalledOutput } from '#test/support/stalled-output.ts';
import { collect } from '#test/support/zip.ts';
import {
  descendants,
  docxHtml,
  docxParts,
  docxText,
  parseXml,
  wordOrderViolations,
  type XmlElement,
} from './docx-parts.ts';

async function reportOf(content: PackContent): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = collect(out);
  await pipeline(reportDocxStream(content), out);
  return bytes;
}

async function text(content: PackContent): Promise<string> {
  return docxText(await reportOf(content));
}

/** The body's paragraphs of word/document.xml. */
async function paragraphs(docx: Buffer): Promise<XmlElement[]> {
  const document = parseXml((await docxParts(docx)).get('word/document.xml')!);
  return descendants(document, 'w:p');
}

/** A paragraph's text as Word shows it. */
function textOf(p: XmlElement): string {
  return descendants(p, 'w:t')
    .map((t) => t.text)
    .join('');
}

describe('compiled report (bao-cao-tong-hop.docx)', () => {
  const content = sampleContent([
    sampleUnit('cb-a', 'Chi bộ Văn phòng', 'on_time', {
      '1': 'Đã số hóa 1.200 hồ sơ đảng viên.\nHoàn thành 100% kế hoạch.',
      '2': 'Họp chi bộ trực tuyến 4 lần.',
    }),
    sampleUnit(
      'cb-b',
      'Chi bộ Phòng Kế hoạch, Tài chính',
      'late',
      { '1': 'Số hóa 300 hồ sơ.' },
      '2026-12-17T09:30:00Z',
    ),
    sampleUnit('cb-c', 'Chi bộ Thanh tra', 'missing'),
  ]);

  it('has the plan header, the draft mark and the rates', async () => {
    const t = await text(content);
    expect(t).toContain('ĐẢNG ỦY SỞ THÔNG TIN VÀ TRUYỀN THÔNG');
    expect(t).toContain('BÁO CÁO');
    expect(t).toContain('Kết quả thực hiện Kế hoạch số 12-KH/ĐUS năm 2026');
    expect(t).toContain('Đẩy mạnh chuyển đổi số trong hoạt động của Đảng bộ');
    expect(t).toContain(DRAFT_MARK);
    expect(t).toContain(
      '(Tổng hợp lúc 16/12/2026 08:00 từ báo cáo của các đơn vị; cần rà soát, biên tập trước khi ban hành.)',
    );
    expect(t).toContain(
      'Số đơn vị phải báo cáo: 3; đã nộp: 2; nộp đúng hạn: 1; nộp trễ hạn: 1; chưa nộp: 1. Hạn nộp: 15/12/2026.',
    );
    expect(t).toContain('Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo): 66,7% (2/3)');
    expect(t).toContain('Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo): 33,3% (1/3)');
  });

  it('lists, under each task group heading, what each unit wrote, and who wrote nothing', async () => {
    const t = await text(content);
    const g1 = t.indexOf('1. Số hóa hồ sơ, tài liệu');
    const g2 = t.indexOf('2. Ứng dụng công nghệ thông tin trong sinh hoạt chi bộ');
    const g3 = t.indexOf('3. Bồi dưỡng kỹ năng số cho đảng viên');
    expect(g1).toBeGreaterThan(0);
    expect(g2).toBeGreaterThan(g1);
    expect(g3).toBeGreaterThan(g2);
    const section1 = t.slice(g1, g2);
    expect(section1).toContain(
      'Chi bộ Văn phòng: Đã số hóa 1.200 hồ sơ đảng viên.\n\nHoàn thành 100% kế hoạch.',
    );
    expect(section1).toContain('Chi bộ Phòng Kế hoạch, Tài chính: Số hóa 300 hồ sơ.');
    expect(t.slice(g2, g3)).toContain('Các đơn vị chưa có nội dung: Chi bộ Phòng Kế hoạch, Tài chính.');
    expect(t.slice(g3)).toContain(
      'Các đơn vị chưa có nội dung: Chi bộ Văn phòng; Chi bộ Phòng Kế hoạch, Tài chính.',
    );
    // A unit that did not report is not listed under the task groups.
    expect(t.slice(g1, t.indexOf(MISSING_HEADING))).not.toContain('Chi bộ Thanh tra');
  });

  it('ends with the units that did not report and the late ones', async () => {
    const t = await text(content);
    const missing = t.slice(t.indexOf(MISSING_HEADING), t.indexOf(LATE_HEADING));
    expect(missing).toContain('1. Chi bộ Thanh tra (mã cb-c)');
    expect(t.slice(t.indexOf(LATE_HEADING))).toContain(
      '1. Chi bộ Phòng Kế hoạch, Tài chính: nộp lúc 17/12/2026 16:30, hạn nộp 15/12/2026',
    );
  });

  it('has the sections as Heading 1, the task groups as Heading 2 and the unit names in bold, in order', async () => {
    const html = await docxHtml(await reportOf(content));
    const headings = [...html.matchAll(/<(h[12])>(.*?)<\/h[12]>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      'h1 I. Tình hình báo cáo của các đơn vị',
      'h1 II. Kết quả thực hiện các nhiệm vụ',
      'h2 1. Số hóa hồ sơ, tài liệu',
      'h2 2. Ứng dụng công nghệ thông tin trong sinh hoạt chi bộ',
      'h2 3. Bồi dưỡng kỹ năng số cho đảng viên',
      `h1 ${MISSING_HEADING}`,
      `h1 ${LATE_HEADING}`,
    ]);
    expect(html).toContain(
      '<h2>1. Số hóa hồ sơ, tài liệu</h2>' +
        '<p><strong>Chi bộ Văn phòng: </strong>Đã số hóa 1.200 hồ sơ đảng viên.</p>' +
        '<p>Hoàn thành 100% kế hoạch.</p>' +
        '<p><strong>Chi bộ Phòng Kế hoạch, Tài chính: </strong>Số hóa 300 hồ sơ.</p>' +
        '<h2>2.',
    );
    expect(html.startsWith('<p><strong>ĐẢNG ỦY SỞ THÔNG TIN VÀ TRUYỀN THÔNG</strong></p>')).toBe(true);
    expect(html).toContain(`<p><em>${DRAFT_MARK}</em></p>`);
    expect(html).toContain('<p><em>Các đơn vị chưa có nội dung: Chi bộ Phòng Kế hoạch, Tài chính.</em></p>');
  });

  it('centres the title lines, justifies the body, marks the draft in red, in Times New Roman 14 pt on A4', async () => {
    const docx = await reportOf(content);
    const ps = await paragraphs(docx);
    const find = (start: string) => ps.find((p) => textOf(p).startsWith(start))!;
    const jc = (p: XmlElement) => descendants(p, 'w:jc')[0]?.attributes['w:val'];
    const runProps = (p: XmlElement) =>
      descendants(p, 'w:rPr').flatMap((r) =>
        r.children.map((c) => `${c.name}=${c.attributes['w:val'] ?? ''}`),
      );
    // The committee line is bold at the left, followed by an empty paragraph.
    expect(jc(ps[0]!)).toBeUndefined();
    expect(runProps(ps[0]!)).toEqual(['w:b=', 'w:bCs=']);
    expect(textOf(ps[1]!)).toBe('');
    expect(runProps(find('BÁO CÁO'))).toEqual(['w:b=', 'w:bCs=', 'w:sz=32', 'w:szCs=32']);
    for (const start of ['BÁO CÁO', 'Kết quả thực hiện Kế hoạch', 'Đẩy mạnh', DRAFT_MARK, '(Tổng hợp lúc']) {
      expect(jc(find(start)), start).toBe('center');
    }
    expect(runProps(find(DRAFT_MARK))).toEqual(['w:i=', 'w:iCs=', 'w:color=A50E0E']);
    expect(runProps(find('(Tổng hợp lúc'))).toEqual(['w:i=', 'w:iCs=', 'w:sz=22', 'w:szCs=22']);
    for (const start of [
      'Số đơn vị phải báo cáo',
      'Chi bộ Văn phòng: ',
      'Hoàn thành',
      'Các đơn vị chưa có',
      '1. Chi bộ',
    ]) {
      expect(jc(find(start)), start).toBe('both');
    }

    const parts = await docxParts(docx);
    for (const name of ['word/document.xml', 'word/styles.xml', 'word/settings.xml']) {
      expect(wordOrderViolations(parseXml(parts.get(name)!)), name).toEqual([]);
    }
    const styles = parseXml(parts.get('word/styles.xml')!);
    const fonts = descendants(styles, 'w:rFonts')[0]!.attributes;
    expect(new Set(Object.values(fonts))).toEqual(new Set(['Times New Roman']));
    expect(Object.keys(fonts).sort()).toEqual(['w:ascii', 'w:cs', 'w:eastAsia', 'w:hAnsi']);
    expect(descendants(descendants(styles, 'w:rPrDefault')[0]!, 'w:sz')[0]!.attributes['w:val']).toBe('28');
    const section = descendants(parseXml(parts.get('word/document.xml')!), 'w:sectPr')[0]!;
    expect(descendants(section, 'w:pgSz')[0]!.attributes).toEqual({ 'w:w': '11906', 'w:h': '16838' });
    expect(descendants(section, 'w:pgMar')[0]!.attributes).toMatchObject({
      'w:top': '1134',
      'w:bottom': '1134',
      'w:left': '1701',
      'w:right': '850',
    });
    const core = parseXml(parts.get('docProps/core.xml')!);
    expect(descendants(core, 'dc:title')[0]!.text).toBe(
      'Báo cáo kết quả thực hiện Kế hoạch số 12-KH/ĐUS năm 2026 (dự thảo)',
    );
    expect(descendants(core, 'dc:creator')[0]!.text).toBe('Đảng ủy Sở Thông tin và Truyền thông');
    expect(descendants(core, 'dc:description')[0]!.text).toBe(DRAFT_MARK);
    expect(descendants(core, 'dcterms:created')[0]!.text).toBe('2026-12-16T01:00:00Z');
  });

  it('splits a note into paragraphs by its lines: CR LF or CR, blank lines dropped, lines trimmed', async () => {
    const t = await text(
      sampleContent([
        sampleUnit('cb-a', 'Chi bộ A', 'on_time', {
          '1': '  Dòng một.  \r\n\r\n\tDòng hai.\rDòng\tba có tab.\n   \n',
        }),
      ]),
    );
    expect(t).toContain('\n\nChi bộ A: Dòng một.\n\nDòng hai.\n\nDòng\tba có tab.\n\n2. Ứng dụng');
  });

  it('keeps notes for task groups the plan no longer has, under "Nội dung khác"', async () => {
    const docx = await reportOf(
      sampleContent([
        sampleUnit('cb-a', 'Chi bộ A', 'on_time', { '1': 'Nhóm một.', '9': 'Nhóm chín cũ.', '4b': 'Khác.' }),
        sampleUnit('cb-b', 'Chi bộ B', 'missing', { '9': 'never shown: not reported' }),
        sampleUnit('cb-c', 'Chi bộ C', 'late', { constructor: 'Nhóm tên lạ.' }),
      ]),
    );
    const t = await docxText(docx);
    const other = t.slice(t.indexOf(OTHER_HEADING), t.indexOf(MISSING_HEADING));
    expect(other).toBe(
      `${OTHER_HEADING}\n\nChi bộ A (nhóm 9): Nhóm chín cũ.\n\nChi bộ A (nhóm 4b): Khác.\n\n` +
        'Chi bộ C (nhóm constructor): Nhóm tên lạ.\n\n',
    );
    expect(await docxHtml(docx)).toContain(
      `<h2>${OTHER_HEADING}</h2><p><strong>Chi bộ A (nhóm 9): </strong>`,
    );
    // No "other" section when every note belongs to a group of the plan.
    expect(await text(content)).not.toContain(OTHER_HEADING);
  });

  it('keeps unit text as data: markup, fields and control characters do not get through', async () => {
    const hostile = sampleContent([
      sampleUnit('cb-x', 'Chi bộ <w:b/> & "X"', 'on_time', {
        '1': '</w:t></w:r><w:r><w:t>injected { MERGEFIELD x } \u0000\u0007\u000b bell\ud800',
      }),
    ]);
    const docx = await reportOf(hostile);
    const t = await docxText(docx);
    expect(t).toContain('Chi bộ <w:b/> & "X": </w:t></w:r><w:r><w:t>injected { MERGEFIELD x }  bell\ufffd');
    const document = (await docxParts(docx)).get('word/document.xml')!;
    expect(document).not.toContain('<w:b/> &');
    expect(document).toContain('&lt;w:b/&gt; &amp;');
  });

  it('round-trips hostile notes: script, entities, quotes, emoji, decomposed Vietnamese, controls, U+FFFE, very long', async () => {
    const long = `${'Nội dung rất dài, có dấu tiếng Việt. '.repeat(30_000)}Hết.`;
    const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i))
      .filter((c) => c !== '\t' && c !== '\n' && c !== '\r')
      .join('');
    const notes = {
      '1': `<script>alert('x')</script> &amp; &#x41; "ngoặc" 'đơn' 🚀👍🏽`,
      '2': `Đa\u0309ng u\u0309y${controls}\u007f\ufffe\uffff xong \udc00 cuối\ud83d`,
      '3': long,
    };
    const docx = await reportOf(
      sampleContent([sampleUnit('cb-x', 'Chi bộ Phu\u031bo\u031b\u0300ng <b>X</b> 🚩', 'on_time', notes)]),
    );
    const parts = await docxParts(docx);
    for (const xml of parts.values()) parseXml(xml);
    const t = await docxText(docx);
    // Names too are NFC (macOS sends decomposed text).
    const unit = 'Chi bộ Phường <b>X</b> 🚩';
    expect(t).toContain(`${unit}: <script>alert('x')</script> &amp; &#x41; "ngoặc" 'đơn' 🚀👍🏽\n\n`);
    // NFC; C0 controls, DEL, U+FFFE/U+FFFF removed; unpaired surrogates shown as U+FFFD.
    expect(t).toContain(`${unit}: Đảng ủy xong \ufffd cuối\ufffd\n\n`);
    expect(t).toContain(`${unit}: ${long}\n\n`);
  });

  it('says so when no unit has reported', async () => {
    const t = await text(sampleContent([sampleUnit('cb-c', 'Chi bộ Thanh tra', 'missing')]));
    expect(t).toContain('Chưa có đơn vị nào nộp báo cáo.');
    expect(t).toContain('Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo): 0,0% (0/1)');
    expect(t.slice(t.indexOf(LATE_HEADING))).toContain('Không có.');
  });

  it('says so when every unit reported on time', async () => {
    const t = await text(sampleContent([sampleUnit('cb-a', 'Chi bộ A', 'on_time', { '1': 'Xong.' })]));
    expect(t.slice(t.indexOf(MISSING_HEADING), t.indexOf(LATE_HEADING))).toBe(
      `${MISSING_HEADING}\n\nKhông có.\n\n`,
    );
    expect(t.slice(t.indexOf(LATE_HEADING))).toBe(`${LATE_HEADING}\n\nKhông có.\n\n`);
  });
});

describe('compiled report: streaming', () => {
  /** ~1.4 KB of base-36 noise: text deflate cannot shrink much, so the stream buffers hold few units. */
  const noise = (i: number) =>
    Array.from({ length: 200 }, (_, k) => Math.imul(i * 200 + k + 1, 2_654_435_761).toString(36)).join(' ');

  /**
   * Pack content of `total` units whose reads are counted from the moment the report starts: a
   * unit counts as consumed once the report has read its row. Units 0–7 of every ten reported
   * with a note for group 1, unit 7 reported without notes, unit 8 late, unit 9 missing.
   */
  function countedContent(total: number): { content: PackContent; consumed: () => number } {
    const content = sampleContent(
      Array.from({ length: total }, (_, i) =>
        sampleUnit(
          `cb-${String(i).padStart(5, '0')}`,
          `Chi bộ số ${i}`,
          i % 10 === 9 ? 'missing' : i % 10 === 8 ? 'late' : 'on_time',
          i % 10 === 7 || i % 10 === 9 ? {} : { '1': `Báo cáo ${noise(i)}` },
          i % 10 === 8 ? '2026-12-17T09:30:00Z' : undefined,
        ),
      ),
    );
    let highest = -1;
    content.units.forEach((unit: ExportUnit, i) => {
      const row = unit.row;
      Object.defineProperty(unit, 'row', {
        get: () => {
          highest = Math.max(highest, i);
          return row;
        },
      });
    });
    return { content, consumed: () => highest + 1 };
  }

  it('generates the report only as fast as the output takes the bytes: 10,000 units', async () => {
    const total = 10_000;
    const { content, consumed } = countedContent(total);
    const { out, release, bytes } = stalledOutput();
    const done = pipeline(reportDocxStream(content), out);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Stalled in the first task group: the stream buffers hold a few hundred KB of XML (some
    // 250 of these notes of ~1.4 KB), not the document (~12 MB of XML).
    expect(consumed()).toBeGreaterThan(0);
    expect(consumed()).toBeLessThan(total / 20);
    release();
    await done;
    expect(consumed()).toBe(total);

    const texts = (await paragraphs(bytes())).map(textOf);
    const notes = texts.filter((t) => /^Chi bộ số \d+: Báo cáo /.test(t));
    expect(notes).toHaveLength(total * 0.8);
    expect(notes[0]).toBe(`Chi bộ số 0: Báo cáo ${noise(0)}`);
    expect(notes.at(-1)).toBe(`Chi bộ số ${total - 2}: Báo cáo ${noise(total - 2)}`);
    const silent1 = texts.find((t) => t.startsWith('Các đơn vị chưa có nội dung: Chi bộ số 7;'))!;
    expect(silent1.split('; ')).toHaveLength(total / 10);
    // Groups 2 and 3: every reported unit, in unit order.
    const silentAll = texts.filter((t) => t.startsWith('Các đơn vị chưa có nội dung: Chi bộ số 0;'));
    expect(silentAll).toHaveLength(2);
    expect(silentAll[0]!.split('; ')).toHaveLength(total * 0.9);
    expect(silentAll[0]!.endsWith(`; Chi bộ số ${total - 2}.`)).toBe(true);
    const missing = texts.slice(texts.indexOf(MISSING_HEADING) + 1, texts.indexOf(LATE_HEADING));
    expect(missing).toHaveLength(total / 10);
    expect(missing.at(-1)).toBe(`${total / 10}. Chi bộ số ${total - 1} (mã cb-0${total - 1})`);
    expect(texts.slice(texts.indexOf(LATE_HEADING) + 1)).toHaveLength(total / 10);
  });
});
