import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { ExportUnit, PackContent } from '#shared/export/content.ts';
import {
  DRAFT_MARK,
  directionHeading,
  OTHER_HEADING,
  PART_PROPOSALS,
  PART_RESULTS,
  PART_SHORTCOMINGS,
  PLACEHOLDER_START,
  REPORTING_HEADING,
  reportDocxStream,
  TASKS_HEADING,
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

/** The body's top-level blocks (paragraphs and tables) of word/document.xml. */
async function bodyBlocks(docx: Buffer): Promise<XmlElement[]> {
  const document = parseXml((await docxParts(docx)).get('word/document.xml')!);
  return descendants(document, 'w:body')[0]!.children;
}

/** The texts of each cell's paragraphs, row by row. */
function cellTexts(table: XmlElement): string[][][] {
  return descendants(table, 'w:tr').map((tr) =>
    descendants(tr, 'w:tc').map((tc) => descendants(tc, 'w:p').map(textOf)),
  );
}

/** The run properties of a paragraph, as `name=value`. */
function runProps(p: XmlElement): string[] {
  return descendants(p, 'w:rPr').flatMap((r) =>
    r.children.map((c) => `${c.name}=${c.attributes['w:val'] ?? ''}`),
  );
}

/** The missing units' paragraph and the late units' one. */
const MISSING_LEAD = 'Các đơn vị chưa nộp báo cáo: ';
const LATE_LEAD = 'Các đơn vị nộp trễ hạn: ';

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
  const configured: PackContent = {
    ...content,
    committeePlace: 'Hải Dương',
    superiorCommittee: 'Đảng ủy Khối các cơ quan tỉnh',
  };

  it('opens with the header block of a Party document: a borderless table of two columns', async () => {
    const [first] = await bodyBlocks(await reportOf(configured));
    expect(first!.name).toBe('w:tbl');
    expect(
      descendants(first!, 'w:tblBorders')[0]!.children.every((b) => b.attributes['w:val'] === 'nil'),
    ).toBe(true);
    expect(cellTexts(first!)).toEqual([
      [
        ['ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH', 'ĐẢNG ỦY SỞ THÔNG TIN VÀ TRUYỀN THÔNG', '*', 'Số: …-BC/ĐUS'],
        ['ĐẢNG CỘNG SẢN VIỆT NAM', 'Hải Dương, ngày … tháng … năm …'],
      ],
    ]);
    const [left, right] = descendants(first!, 'w:tc') as [XmlElement, XmlElement];
    const [, committee] = descendants(left, 'w:p');
    expect(runProps(committee!)).toEqual(['w:b=', 'w:bCs=']);
    const [motto, date] = descendants(right, 'w:p') as [XmlElement, XmlElement];
    expect(runProps(motto)).toEqual(['w:b=', 'w:bCs=', 'w:sz=30', 'w:szCs=30', 'w:u=single']);
    expect(runProps(date)).toEqual(['w:i=', 'w:iCs=']);
    for (const p of descendants(first!, 'w:p')) {
      expect(descendants(p, 'w:jc')[0]!.attributes['w:val']).toBe('center');
    }
  });

  it('takes the superior committee from the plan when none is configured, and leaves dots for what nobody knows', async () => {
    const [bare] = await bodyBlocks(await reportOf(content));
    expect(cellTexts(bare!)[0]!.map((cell) => cell[0])).toEqual(['ĐẢNG BỘ ……………', 'ĐẢNG CỘNG SẢN VIỆT NAM']);
    expect(cellTexts(bare!)[0]![1]![1]).toBe('……………, ngày … tháng … năm …');
    const fromPlan: PackContent = {
      ...content,
      plan: { ...content.plan, recipients: ['Các chi bộ trực thuộc', 'Đảng ủy Khối (để báo cáo)', 'Lưu VP'] },
    };
    const docx = await reportOf(fromPlan);
    const blocks = await bodyBlocks(docx);
    expect(cellTexts(blocks[0]!)[0]![0]![0]).toBe('ĐẢNG BỘ KHỐI');
    expect(cellTexts(blocks.at(-2)!)[0]![0]).toEqual([
      'Nơi nhận:',
      '- Đảng ủy Khối (để báo cáo),',
      '- Lưu VP.',
    ]);
  });

  it('has the title, the summary line, the draft mark and when it was compiled, in Vietnam time', async () => {
    const t = await text(configured);
    expect(t).toContain('BÁO CÁO\n\nKết quả thực hiện Kế hoạch số 12-KH/ĐUS năm 2026\n\n');
    expect(t).toContain('Đẩy mạnh chuyển đổi số trong hoạt động của Đảng bộ');
    expect(t).toContain(DRAFT_MARK);
    expect(t).toContain(
      '(Tổng hợp lúc 16/12/2026 08:00, giờ Việt Nam, từ báo cáo của các đơn vị; cần rà soát, biên tập trước khi ban hành.)',
    );
    expect(t).toContain(
      'Thực hiện Kế hoạch số 12-KH/ĐUS ngày 02/04/2025 của Đảng ủy Sở về Đẩy mạnh chuyển đổi số trong hoạt động của Đảng bộ, ' +
        'Đảng ủy Sở Thông tin và Truyền thông báo cáo kết quả thực hiện năm 2026 như sau:',
    );
    expect(t).not.toContain('Asia/Ho_Chi_Minh');
  });

  it('has parts I to IV in order, II to IV as marked placeholders for the office', async () => {
    const docx = await reportOf(configured);
    const html = await docxHtml(docx);
    const headings = [...html.matchAll(/<(h[123])>(.*?)<\/h[123]>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      `h1 ${PART_RESULTS}`,
      `h2 ${REPORTING_HEADING}`,
      `h2 ${TASKS_HEADING}`,
      'h3 1. Số hóa hồ sơ, tài liệu',
      'h3 2. Ứng dụng công nghệ thông tin trong sinh hoạt chi bộ',
      'h3 3. Bồi dưỡng kỹ năng số cho đảng viên',
      `h1 ${PART_SHORTCOMINGS}`,
      'h1 III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027',
      `h1 ${PART_PROPOSALS}`,
    ]);
    expect(directionHeading(2026)).toBe('III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027');
    const t = await docxText(docx);
    for (const [from, to] of [
      [PART_SHORTCOMINGS, directionHeading(2026)],
      [directionHeading(2026), PART_PROPOSALS],
      [PART_PROPOSALS, 'Nơi nhận:'],
    ] as const) {
      const part = t.slice(t.indexOf(from) + from.length, t.indexOf(to, t.indexOf(from) + 1));
      expect(part.trim().startsWith(PLACEHOLDER_START), from).toBe(true);
    }
    // Placeholders are red italics, impossible to miss.
    const placeholders = (await paragraphs(docx)).filter((p) => textOf(p).startsWith(PLACEHOLDER_START));
    expect(placeholders).toHaveLength(3);
    for (const p of placeholders) expect(runProps(p)).toEqual(['w:i=', 'w:iCs=', 'w:color=A50E0E']);
  });

  it('ends with "Nơi nhận" beside the T/M ĐẢNG ỦY signature block', async () => {
    const blocks = await bodyBlocks(await reportOf(configured));
    expect(blocks.at(-1)!.name).toBe('w:sectPr');
    const closing = blocks.at(-2)!;
    expect(closing.name).toBe('w:tbl');
    expect(cellTexts(closing)).toEqual([
      [
        ['Nơi nhận:', '- Đảng ủy Khối các cơ quan tỉnh (để báo cáo),', '- Lưu VP.'],
        ['T/M ĐẢNG ỦY', 'BÍ THƯ', '(Ký, ghi rõ họ tên)', '……………'],
      ],
    ]);
    const [left] = descendants(closing, 'w:tc');
    expect(runProps(descendants(left!, 'w:p')[0]!)).toContain('w:u=single');
    // A Chi bộ signs for itself.
    const chiBo = await bodyBlocks(
      await reportOf({ ...configured, committeeName: 'Chi bộ Trường THPT Lê Quý Đôn' }),
    );
    expect(cellTexts(chiBo.at(-2)!)[0]![1]![0]).toBe('T/M CHI BỘ');
  });

  it('reports the counts, the rates, the units that did not report or were late, and a table of units', async () => {
    const docx = await reportOf(configured);
    const t = await docxText(docx);
    const section = t.slice(t.indexOf(REPORTING_HEADING), t.indexOf(TASKS_HEADING));
    expect(section).toContain(
      'Số đơn vị phải báo cáo: 3; đã nộp: 2; nộp đúng hạn: 1; nộp trễ hạn: 1; chưa nộp: 1. Hạn nộp: 15/12/2026.',
    );
    expect(section).toContain('Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo): 66,7% (2/3)');
    expect(section).toContain('Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo): 33,3% (1/3)');
    expect(section).toContain(`${MISSING_LEAD}Chi bộ Thanh tra.`);
    expect(section).toContain(`${LATE_LEAD}Chi bộ Phòng Kế hoạch, Tài chính.`);
    const table = (await bodyBlocks(docx)).filter((b) => b.name === 'w:tbl')[1]!;
    expect(cellTexts(table).map((row) => row.map((cell) => cell.join('')))).toEqual([
      ['STT', 'Đơn vị', 'Tình trạng', 'Thời điểm nộp (giờ Việt Nam)'],
      ['1', 'Chi bộ Văn phòng', 'Đúng hạn', '10/12/2026 10:00'],
      ['2', 'Chi bộ Phòng Kế hoạch, Tài chính', 'Trễ hạn', '17/12/2026 16:30'],
      ['3', 'Chi bộ Thanh tra', 'Chưa nộp', ''],
    ]);
    // Bordered, its header row repeated on every page.
    expect(descendants(descendants(table, 'w:tblBorders')[0]!, 'w:top')[0]!.attributes['w:val']).toBe(
      'single',
    );
    expect(descendants(descendants(table, 'w:tr')[0]!, 'w:tblHeader')).toHaveLength(1);
    expect(descendants(table, 'w:tblHeader')).toHaveLength(1);
  });

  it('lists, under each task group heading, what each unit wrote, and who wrote nothing', async () => {
    const t = await text(content);
    const g1 = t.indexOf('1. Số hóa hồ sơ, tài liệu');
    const g2 = t.indexOf('2. Ứng dụng công nghệ thông tin trong sinh hoạt chi bộ');
    const g3 = t.indexOf('3. Bồi dưỡng kỹ năng số cho đảng viên');
    expect(g1).toBeGreaterThan(t.indexOf(TASKS_HEADING));
    expect(g2).toBeGreaterThan(g1);
    expect(g3).toBeGreaterThan(g2);
    const section1 = t.slice(g1, g2);
    expect(section1).toContain(
      'Chi bộ Văn phòng: Đã số hóa 1.200 hồ sơ đảng viên.\n\nHoàn thành 100% kế hoạch.',
    );
    expect(section1).toContain('Chi bộ Phòng Kế hoạch, Tài chính: Số hóa 300 hồ sơ.');
    expect(t.slice(g2, g3)).toContain('Các đơn vị chưa có nội dung: Chi bộ Phòng Kế hoạch, Tài chính.');
    expect(t.slice(g3, t.indexOf(PART_SHORTCOMINGS))).toContain(
      'Các đơn vị chưa có nội dung: Chi bộ Văn phòng; Chi bộ Phòng Kế hoạch, Tài chính.',
    );
    // A unit that did not report is not listed under the task groups.
    expect(t.slice(g1, t.indexOf(PART_SHORTCOMINGS))).not.toContain('Chi bộ Thanh tra');
    const html = await docxHtml(await reportOf(content));
    expect(html).toContain(
      '<h3>1. Số hóa hồ sơ, tài liệu</h3>' +
        '<p><strong>Chi bộ Văn phòng: </strong>Đã số hóa 1.200 hồ sơ đảng viên.</p>' +
        '<p>Hoàn thành 100% kế hoạch.</p>' +
        '<p><strong>Chi bộ Phòng Kế hoạch, Tài chính: </strong>Số hóa 300 hồ sơ.</p>' +
        '<h3>2.',
    );
    expect(html).toContain('<p><em>Các đơn vị chưa có nội dung: Chi bộ Phòng Kế hoạch, Tài chính.</em></p>');
  });

  it('is laid out per Hướng dẫn 36-HD/VPTW: A4, margins 2/2/3/1.5 cm, Times New Roman 14 pt, centred title, justified body', async () => {
    const docx = await reportOf(configured);
    const ps = await paragraphs(docx);
    const find = (start: string) => ps.find((p) => textOf(p).startsWith(start))!;
    const jc = (p: XmlElement) => descendants(p, 'w:jc')[0]?.attributes['w:val'];
    expect(runProps(find('BÁO CÁO'))).toEqual(['w:b=', 'w:bCs=', 'w:sz=30', 'w:szCs=30']);
    for (const start of ['BÁO CÁO', 'Kết quả thực hiện Kế hoạch', 'Đẩy mạnh', DRAFT_MARK, '(Tổng hợp lúc']) {
      expect(jc(find(start)), start).toBe('center');
    }
    expect(runProps(find(DRAFT_MARK))).toEqual(['w:b=', 'w:bCs=', 'w:i=', 'w:iCs=', 'w:color=A50E0E']);
    for (const start of [
      'Thực hiện Kế hoạch',
      'Số đơn vị phải báo cáo',
      'Chi bộ Văn phòng: ',
      'Hoàn thành',
      'Các đơn vị chưa có',
    ]) {
      expect(jc(find(start)), start).toBe('both');
      expect(descendants(find(start), 'w:ind')[0]!.attributes['w:firstLine'], start).toBe('567');
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
    const other = t.slice(t.indexOf(OTHER_HEADING), t.indexOf(PART_SHORTCOMINGS));
    expect(other).toBe(
      `${OTHER_HEADING}\n\nChi bộ A (nhóm 9): Nhóm chín cũ.\n\nChi bộ A (nhóm 4b): Khác.\n\n` +
        'Chi bộ C (nhóm constructor): Nhóm tên lạ.\n\n',
    );
    expect(await docxHtml(docx)).toContain(
      `<h3>${OTHER_HEADING}</h3><p><strong>Chi bộ A (nhóm 9): </strong>`,
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
    expect(t).toContain(`${MISSING_LEAD}Chi bộ Thanh tra.`);
    expect(t).not.toContain(LATE_LEAD);
  });

  it('names no unit as missing or late when every unit reported on time', async () => {
    const t = await text(sampleContent([sampleUnit('cb-a', 'Chi bộ A', 'on_time', { '1': 'Xong.' })]));
    expect(t).not.toContain(MISSING_LEAD);
    expect(t).not.toContain(LATE_LEAD);
    expect(t).toContain('Chi bộ A: Xong.');
  });

  it('stays safe with hostile unit names: formula-like, markup, very long', async () => {
    const long = `Chi bộ ${'rất dài '.repeat(2_000)}`;
    const docx = await reportOf(
      sampleContent([
        sampleUnit('cb-f', '=HYPERLINK("http://x","y")', 'on_time', { '1': '=1+1' }),
        sampleUnit('cb-l', long, 'late', { '1': 'Có.' }, '2026-12-17T09:30:00Z'),
        sampleUnit('cb-m', '<w:fldSimple w:instr="DATE"/>', 'missing'),
      ]),
    );
    const parts = await docxParts(docx);
    for (const xml of parts.values()) parseXml(xml);
    const document = parts.get('word/document.xml')!;
    expect(document).not.toContain('<w:fldSimple');
    expect(document).not.toContain('instrText');
    const t = await docxText(docx);
    expect(t).toContain('=HYPERLINK("http://x","y"): =1+1');
    expect(t).toContain(`${MISSING_LEAD}<w:fldSimple w:instr="DATE"/>.`);
    expect(t).toContain(`${LATE_LEAD}${long.trimEnd()}`);
  });
});

describe('compiled report: streaming', () => {
  /** ~1.4 KB of base-36 noise: text deflate cannot shrink much, so the stream buffers hold few units. */
  const noise = (i: number) =>
    Array.from({ length: 200 }, (_, k) => Math.imul(i * 200 + k + 1, 2_654_435_761).toString(36)).join(' ');

  /**
   * Pack content of `total` units whose reads are counted from the moment the report starts: every
   * read of a unit's row counts (the report walks the units several times: the lists of missing
   * and late units, the table, each task group). Units 0–7 of every ten reported with a note for
   * group 1, unit 7 reported without notes, unit 8 late, unit 9 missing.
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
    let reads = 0;
    content.units.forEach((unit: ExportUnit) => {
      const row = unit.row;
      Object.defineProperty(unit, 'row', {
        get: () => {
          reads++;
          return row;
        },
      });
    });
    return { content, consumed: () => reads };
  }

  it('generates the report only as fast as the output takes the bytes: 10,000 units', async () => {
    const total = 10_000;
    const { content, consumed } = countedContent(total);
    const { out, release, bytes } = stalledOutput();
    const done = pipeline(reportDocxStream(content), out);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Stalled early (in the table of units or the first task group): the stream buffers hold a
    // few hundred KB of XML, not the document (~20 MB of XML), so most of the walks are still to come.
    const atStall = consumed();
    expect(atStall).toBeGreaterThan(0);
    release();
    await done;
    expect(atStall).toBeLessThan(consumed() / 2);

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
    const missing = texts.find((t) => t.startsWith(MISSING_LEAD))!;
    expect(missing.split('; ')).toHaveLength(total / 10);
    expect(missing.endsWith(`; Chi bộ số ${total - 1}.`)).toBe(true);
    expect(texts.find((t) => t.startsWith(LATE_LEAD))!.split('; ')).toHaveLength(total / 10);
    const table = descendants(parseXml((await docxParts(bytes())).get('word/document.xml')!), 'w:tbl')[1]!;
    expect(descendants(table, 'w:tr')).toHaveLength(total + 1);
    // Building and parsing back 10,000 units' report takes seconds of CPU on a busy machine: a
    // limit against a hang, nothing about speed (npm run bench measures that).
  }, 60_000);
});
