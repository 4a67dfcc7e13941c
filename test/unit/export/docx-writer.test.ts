import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  A4,
  type Block,
  type DocumentSpec,
  docxStream,
  type Paragraph,
  runContentXml,
  type Table,
} from '#shared/export/docx/document.ts';
import { stalledOutput } from '#test/support/stalled-output.ts';
import { collect, readZip } from '#test/support/zip.ts';
import {
  descendants,
  docxHtml,
  docxParts,
  docxText,
  parseXml,
  wordOrderViolations,
  type XmlElement,
} from './docx-parts.ts';

const TEXT = { font: 'Times New Roman', size: 14, language: 'vi-VN', spacingAfter: 6 };
const PAGE = { ...A4, margins: { top: 1134, right: 850, bottom: 1134, left: 1701 } };

function spec(paragraphs: Iterable<Block>, over: Partial<DocumentSpec> = {}): DocumentSpec {
  return { text: TEXT, page: PAGE, created: new Date('2026-12-16T01:00:00Z'), paragraphs, ...over };
}

async function docxOf(doc: DocumentSpec): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = collect(out);
  await pipeline(docxStream(doc), out);
  return bytes;
}

const plain = (text: string): Paragraph => ({ runs: [{ text }] });

/** Every character XML 1.0 cannot carry that a BMP string can hold, but the surrogates. */
const NOT_XML_CHARS = [
  ...Array.from({ length: 32 }, (_, i) => i).filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d),
  0xfffe,
  0xffff,
].map((c) => String.fromCharCode(c));

describe('docx writer: run text', () => {
  it('turns line breaks into <w:br/> and tabs into <w:tab/>, whatever the line ends', () => {
    expect(runContentXml('a\nb')).toBe('<w:t>a</w:t><w:br/><w:t>b</w:t>');
    expect(runContentXml('a\r\nb\rc\td')).toBe(
      '<w:t>a</w:t><w:br/><w:t>b</w:t><w:br/><w:t>c</w:t><w:tab/><w:t>d</w:t>',
    );
    expect(runContentXml('\n\n')).toBe('<w:br/><w:br/>');
    expect(runContentXml('')).toBe('');
  });

  it('keeps spaces at the ends of a text, which Word drops unless told', () => {
    expect(runContentXml('Chi bộ: ')).toBe('<w:t xml:space="preserve">Chi bộ: </w:t>');
    expect(runContentXml(' a\tb ')).toBe(
      '<w:t xml:space="preserve"> a</w:t><w:tab/><w:t xml:space="preserve">b </w:t>',
    );
    expect(runContentXml('a  b')).toBe('<w:t>a  b</w:t>');
  });

  it('escapes markup and removes every character XML 1.0 cannot carry', () => {
    expect(runContentXml('</w:t><w:fldSimple w:instr="DATE"/> & "q"')).toBe(
      '<w:t>&lt;/w:t&gt;&lt;w:fldSimple w:instr=&quot;DATE&quot;/&gt; &amp; &quot;q&quot;</w:t>',
    );
    for (const c of NOT_XML_CHARS) {
      expect(runContentXml(`a${c}b`), `U+${c.charCodeAt(0).toString(16)}`).toBe('<w:t>ab</w:t>');
    }
    expect(runContentXml('lone \ud800 and \udc00 pair \ud83d\ude00')).toBe('<w:t>lone  and  pair 😀</w:t>');
    // A text of nothing XML can carry is no element at all.
    expect(runContentXml('\u0000\u0007')).toBe('');
  });
});

describe('docx writer: package', () => {
  const doc = spec([
    { style: 'Heading1', runs: [{ text: 'I. Phần một' }] },
    { style: 'Heading2', runs: [{ text: '1. Mục một' }] },
    {
      align: 'both',
      runs: [
        { text: 'Chi bộ A: ', bold: true },
        { text: 'nội dung', bold: true, italics: true, size: 11, color: 'A50E0E' },
        { text: ' cỡ mặc định', size: 14 },
      ],
    },
    { align: 'center', runs: [{ text: 'giữa' }] },
    {},
    plain('dòng một\ndòng hai'),
  ]);

  it('writes the parts in order, each well-formed XML, every part declared and related', async () => {
    const docx = await docxOf({ ...doc, title: 'Báo cáo <dự thảo>', creator: 'Đảng ủy & "Ban"' });
    const entries = await readZip(docx);
    expect(entries.map((e) => [e.name, e.compressionMethod])).toEqual([
      ['[Content_Types].xml', 8],
      ['_rels/.rels', 8],
      ['docProps/core.xml', 8],
      ['docProps/app.xml', 8],
      ['word/_rels/document.xml.rels', 8],
      ['word/styles.xml', 8],
      ['word/settings.xml', 8],
      ['word/document.xml', 8],
    ]);
    expect(entries.every((e) => e.utf8)).toBe(true);
    const parts = await docxParts(docx);
    const xml = new Map([...parts].map(([name, text]) => [name, parseXml(text)]));
    for (const text of parts.values())
      expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"')).toBe(true);

    const overrides = descendants(xml.get('[Content_Types].xml')!, 'Override').map(
      (o) => o.attributes.PartName,
    );
    for (const name of parts.keys()) {
      if (name.endsWith('.rels') || name === '[Content_Types].xml') continue;
      expect(overrides, name).toContain(`/${name}`);
    }
    const related = (rels: string, base: string) =>
      descendants(xml.get(rels)!, 'Relationship').map((r) => `${base}${r.attributes.Target}`);
    expect(related('_rels/.rels', '')).toEqual([
      'word/document.xml',
      'docProps/core.xml',
      'docProps/app.xml',
    ]);
    expect(related('word/_rels/document.xml.rels', 'word/')).toEqual([
      'word/styles.xml',
      'word/settings.xml',
    ]);

    const core = xml.get('docProps/core.xml')!;
    expect(descendants(core, 'dc:title')[0]!.text).toBe('Báo cáo <dự thảo>');
    expect(descendants(core, 'dc:creator')[0]!.text).toBe('Đảng ủy & "Ban"');
    expect(descendants(core, 'dcterms:created')[0]!.text).toBe('2026-12-16T01:00:00Z');
  });

  it('follows the schema order in the document, the styles and the settings', async () => {
    const parts = await docxParts(await docxOf(doc));
    for (const name of ['word/document.xml', 'word/styles.xml', 'word/settings.xml']) {
      expect(wordOrderViolations(parseXml(parts.get(name)!)), name).toEqual([]);
    }
  });

  it('writes headings as heading styles, bold and italic runs, sizes, colours, alignment and breaks', async () => {
    const docx = await docxOf(doc);
    expect(await docxHtml(docx)).toBe(
      '<h1>I. Phần một</h1><h2>1. Mục một</h2>' +
        '<p><strong>Chi bộ A: <em>nội dung</em></strong> cỡ mặc định</p><p>giữa</p><p>dòng một<br />dòng hai</p>',
    );
    const body = descendants(parseXml((await docxParts(docx)).get('word/document.xml')!), 'w:body')[0]!;
    const [h1, , mixed, centered, empty] = body.children;
    expect(descendants(h1!, 'w:pStyle')[0]!.attributes['w:val']).toBe('Heading1');
    expect(descendants(mixed!, 'w:jc')[0]!.attributes['w:val']).toBe('both');
    expect(descendants(centered!, 'w:jc')[0]!.attributes['w:val']).toBe('center');
    expect(empty!.children).toEqual([]);
    const [bold, styled, defaultSize] = descendants(mixed!, 'w:r');
    expect(descendants(bold!, 'w:rPr')[0]!.children.map((c) => c.name)).toEqual(['w:b', 'w:bCs']);
    expect(
      descendants(styled!, 'w:rPr')[0]!.children.map((c) => [c.name, c.attributes['w:val'] ?? '']),
    ).toEqual([
      ['w:b', ''],
      ['w:bCs', ''],
      ['w:i', ''],
      ['w:iCs', ''],
      ['w:color', 'A50E0E'],
      ['w:sz', '22'],
      ['w:szCs', '22'],
    ]);
    // The document's own size needs no property.
    expect(descendants(defaultSize!, 'w:rPr')).toEqual([]);
  });

  it('sets the fonts of every script, the size, the language and the headings in the styles', async () => {
    const styles = parseXml((await docxParts(await docxOf(doc))).get('word/styles.xml')!);
    const defaults = descendants(styles, 'w:rPrDefault')[0]!;
    expect(descendants(defaults, 'w:rFonts')[0]!.attributes).toEqual({
      'w:ascii': 'Times New Roman',
      'w:hAnsi': 'Times New Roman',
      'w:eastAsia': 'Times New Roman',
      'w:cs': 'Times New Roman',
    });
    expect(descendants(defaults, 'w:sz')[0]!.attributes['w:val']).toBe('28');
    expect(descendants(defaults, 'w:lang')[0]!.attributes['w:val']).toBe('vi-VN');
    expect(descendants(styles, 'w:spacing')[0]!.attributes['w:after']).toBe('120');
    const byId = new Map(descendants(styles, 'w:style').map((s) => [s.attributes['w:styleId'], s]));
    expect([...byId.keys()]).toEqual(['Normal', 'Heading1', 'Heading2', 'Heading3']);
    expect(byId.get('Normal')!.attributes['w:default']).toBe('1');
    for (const [id, level, italic] of [
      ['Heading1', '0', false],
      ['Heading2', '1', false],
      ['Heading3', '2', true],
    ] as const) {
      const style = byId.get(id)!;
      expect(descendants(style, 'w:outlineLvl')[0]!.attributes['w:val']).toBe(level);
      expect(descendants(style, 'w:keepNext')).toHaveLength(1);
      const run = descendants(style, 'w:rPr')[0]!.children.map((c) => c.name);
      expect(run).toContain('w:b');
      expect(run.includes('w:i')).toBe(italic);
    }
  });

  it('lays the page out as asked: A4 portrait with its margins, or landscape', async () => {
    const sectionOf = async (d: DocumentSpec) =>
      descendants(parseXml((await docxParts(await docxOf(d))).get('word/document.xml')!), 'w:sectPr')[0]!;
    const portrait = await sectionOf(doc);
    expect(descendants(portrait, 'w:pgSz')[0]!.attributes).toEqual({ 'w:w': '11906', 'w:h': '16838' });
    expect(descendants(portrait, 'w:pgMar')[0]!.attributes).toMatchObject({
      'w:top': '1134',
      'w:right': '850',
      'w:bottom': '1134',
      'w:left': '1701',
    });
    const landscape = await sectionOf({ ...doc, page: { ...PAGE, width: A4.height, height: A4.width } });
    expect(descendants(landscape, 'w:pgSz')[0]!.attributes['w:orient']).toBe('landscape');
  });

  it('carries hostile text as text: markup, fields, quotes, emoji, Vietnamese, controls, lone surrogates', async () => {
    const hostile = [
      '<script>alert("x")</script>',
      '&amp; &lt; <w:fldSimple w:instr="HYPERLINK http://x"/> { MERGEFIELD x }',
      `'single' "double" “curly”`,
      'Chi bộ 🚀👍🏽 Đảng ủy — ữ ặ ỹ Ơ Ư đ',
      `c${NOT_XML_CHARS.join('')}ontrols`,
      'lone \ud800 low \udc00 end\ud83d',
      `${'Rất dài. '.repeat(20_000)}hết`,
    ];
    const docx = await docxOf(spec(hostile.map(plain)));
    const parts = await docxParts(docx);
    for (const xml of parts.values()) parseXml(xml);
    expect((await docxText(docx)).split('\n\n').slice(0, hostile.length)).toEqual([
      '<script>alert("x")</script>',
      '&amp; &lt; <w:fldSimple w:instr="HYPERLINK http://x"/> { MERGEFIELD x }',
      `'single' "double" “curly”`,
      'Chi bộ 🚀👍🏽 Đảng ủy — ữ ặ ỹ Ơ Ư đ',
      'controls',
      'lone  low  end',
      `${'Rất dài. '.repeat(20_000)}hết`,
    ]);
    const document = parseXml(parts.get('word/document.xml')!);
    expect(descendants(document, 'w:fldSimple')).toEqual([]);
    expect(descendants(document, 'w:p')).toHaveLength(hostile.length);
  });

  it('refuses colours and sizes that are not colours and sizes', async () => {
    for (const run of [
      { text: 'x', color: 'red"/><w:b/>' },
      { text: 'x', size: 0 },
      { text: 'x', size: Number.NaN },
    ]) {
      const out = new PassThrough();
      out.resume();
      await expect(pipeline(docxStream(spec([{ runs: [run] }])), out)).rejects.toThrow(/Invalid/);
    }
  });

  it('ends the stream with the error of a failing paragraph source', async () => {
    function* broken(): Generator<Paragraph> {
      yield plain('ok');
      throw new Error('source failed');
    }
    const out = new PassThrough();
    out.resume();
    await expect(pipeline(docxStream(spec(broken())), out)).rejects.toThrow('source failed');
  });
});

describe('docx writer: tables, underline, spacing and indents', () => {
  const table: Table = {
    kind: 'table',
    columns: [2000, 3000],
    borders: true,
    rows: [
      {
        header: true,
        cantSplit: true,
        cells: [
          { paragraphs: [plain('STT')], fill: 'E8E8E8', vAlign: 'center' },
          { paragraphs: [plain('Đơn vị')], fill: 'E8E8E8' },
        ],
      },
      { cells: [{ paragraphs: [plain('1')] }, { paragraphs: [] }] },
    ],
  };
  const doc = spec([
    {
      keepNext: true,
      spacingBefore: 6,
      spacingAfter: 0,
      firstLineIndent: 567,
      align: 'both',
      runs: [{ text: 'Mở đầu', underline: true }],
    },
    table,
    {
      ...table,
      borders: false,
      rows: [{ cells: [{ paragraphs: [plain('trái')] }, { paragraphs: [plain('phải')] }] }],
    },
  ]);

  it('writes tables with fixed widths, borders or none, a repeated header row, shading, and paragraphs in cells', async () => {
    const docx = await docxOf(doc);
    const document = parseXml((await docxParts(docx)).get('word/document.xml')!);
    expect(wordOrderViolations(document)).toEqual([]);
    const [bordered, borderless] = descendants(document, 'w:tbl') as [XmlElement, XmlElement];
    expect(descendants(bordered, 'w:gridCol').map((c) => c.attributes['w:w'])).toEqual(['2000', '3000']);
    expect(descendants(bordered, 'w:tblW')[0]!.attributes).toEqual({ 'w:w': '5000', 'w:type': 'dxa' });
    expect(descendants(bordered, 'w:tblLayout')[0]!.attributes['w:type']).toBe('fixed');
    expect(descendants(descendants(bordered, 'w:tblBorders')[0]!, 'w:top')[0]!.attributes['w:val']).toBe(
      'single',
    );
    expect(descendants(descendants(borderless, 'w:tblBorders')[0]!, 'w:top')[0]!.attributes['w:val']).toBe(
      'nil',
    );
    const [head, body] = descendants(bordered, 'w:tr') as [XmlElement, XmlElement];
    expect(descendants(head, 'w:trPr')[0]!.children.map((c) => c.name)).toEqual([
      'w:cantSplit',
      'w:tblHeader',
    ]);
    expect(descendants(body, 'w:trPr')).toEqual([]);
    expect(descendants(head, 'w:shd')[0]!.attributes['w:fill']).toBe('E8E8E8');
    expect(descendants(head, 'w:vAlign')[0]!.attributes['w:val']).toBe('center');
    // A cell given no paragraph still ends with one, as the schema requires.
    expect(descendants(body, 'w:tc').map((c) => descendants(c, 'w:p').length)).toEqual([1, 1]);
    const text = await docxText(docx);
    expect(text).toContain('STT');
    expect(text).toContain('trái');
    expect(text).toContain('phải');
  });

  it('writes underline, spacing, a first-line indent and keep-with-next in the schema order', async () => {
    const document = parseXml((await docxParts(await docxOf(doc))).get('word/document.xml')!);
    const first = descendants(document, 'w:p')[0]!;
    expect(descendants(first, 'w:pPr')[0]!.children.map((c) => [c.name, c.attributes])).toEqual([
      ['w:keepNext', {}],
      ['w:spacing', { 'w:before': '120', 'w:after': '0' }],
      ['w:ind', { 'w:firstLine': '567' }],
      ['w:jc', { 'w:val': 'both' }],
    ]);
    expect(descendants(first, 'w:u')[0]!.attributes['w:val']).toBe('single');
  });

  it('refuses a row with the wrong number of cells, and widths that are not widths', async () => {
    for (const bad of [
      { ...table, rows: [{ cells: [{ paragraphs: [] }] }] },
      { ...table, columns: [0, 100] },
      { ...table, columns: [] },
    ]) {
      const out = new PassThrough();
      out.resume();
      await expect(pipeline(docxStream(spec([bad])), out)).rejects.toThrow(/table/i);
    }
  });
});

/**
 * These build and then parse documents of 100,000 paragraphs (~3.5 s of CPU alone): on a busy
 * 2-core machine they pass vitest's 5-second default, so they carry their own time limit. The
 * limit guards against a hang; it asserts nothing about speed (npm run bench measures that).
 */
const LARGE_DOCUMENT_MS = 30_000;

describe('docx writer: streaming', () => {
  /** Text that deflate cannot shrink much, so the stream buffers hold few paragraphs. */
  const noisy = (i: number) =>
    `Đơn vị ${i}: ${Math.imul(i + 1, 2_654_435_761).toString(36)}${(i * 7919).toString(16)}`;

  it(
    'pulls paragraphs only as fast as the output takes the bytes',
    async () => {
      const total = 100_000;
      let pulled = 0;
      function* many(): Generator<Paragraph> {
        for (let i = 0; i < total; i++) {
          pulled++;
          yield { align: 'both', runs: [{ text: `${noisy(i)}: `, bold: true }, { text: noisy(i * 31) }] };
        }
      }
      const { out, release, bytes } = stalledOutput();
      const done = pipeline(docxStream(spec(many())), out);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Stalled: the stream buffers hold some hundred KB of XML, not the document.
      expect(pulled).toBeGreaterThan(0);
      expect(pulled).toBeLessThan(total / 10);
      release();
      await done;
      expect(pulled).toBe(total);
      const document = parseXml((await docxParts(bytes())).get('word/document.xml')!);
      expect(descendants(document, 'w:p')).toHaveLength(total);
    },
    LARGE_DOCUMENT_MS,
  );

  it(
    "pulls a run's text pieces as the output drains too: one paragraph of any length",
    async () => {
      const total = 200_000;
      let pulled = 0;
      function* pieces(): Generator<string> {
        for (let i = 0; i < total; i++) {
          pulled++;
          yield `${i ? '; ' : ''}${noisy(i)}`;
        }
      }
      const { out, release, bytes } = stalledOutput();
      const done = pipeline(docxStream(spec([{ runs: [{ text: pieces(), italics: true }] }])), out);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pulled).toBeGreaterThan(0);
      expect(pulled).toBeLessThan(total / 10);
      release();
      await done;
      const text = await docxText(bytes());
      expect(text.startsWith(`${noisy(0)}; ${noisy(1)}; `)).toBe(true);
      expect(text.trimEnd().endsWith(`; ${noisy(total - 1)}`)).toBe(true);
    },
    LARGE_DOCUMENT_MS,
  );
});
