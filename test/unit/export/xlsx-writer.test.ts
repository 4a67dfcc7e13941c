import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { stylesXml } from '#shared/export/xlsx/styles.ts';
import {
  columnName,
  excelSerial,
  MAX_CELL_TEXT,
  type SheetRow,
  type WorkbookSpec,
  xlsxStream,
} from '#shared/export/xlsx/workbook.ts';
import { escapeXml } from '#shared/export/xml.ts';
import { collect } from '#test/support/zip.ts';
import { descendants, orderViolations, parseXml, SCHEMA_ORDER, xlsxParts } from './xlsx-parts.ts';

async function xlsxOf(book: WorkbookSpec): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = collect(out);
  await pipeline(xlsxStream(book), out);
  return bytes;
}

async function load(xlsx: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  return workbook;
}

function oneSheet(rows: SheetRow[], over: Partial<WorkbookSpec> = {}): WorkbookSpec {
  return {
    formats: [],
    sheets: [{ name: 'Sheet', rows }],
    created: new Date('2026-12-16T01:00:00Z'),
    ...over,
  };
}

/** Every character XML 1.0 cannot carry that a BMP string can hold, but the surrogates. */
const NOT_XML_CHARS = [
  ...Array.from({ length: 32 }, (_, i) => i).filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d),
  0xfffe,
  0xffff,
].map((c) => String.fromCharCode(c));

describe('xlsx writer: XML text', () => {
  it('escapes markup characters and keeps everything else exactly', () => {
    expect(escapeXml(`<a href="x">&amp;</a> ]]> 'q'`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt; ]]&gt; 'q'",
    );
    for (const plain of ['Đảng ủy Sở', 'Chi bộ 🚀👍🏽', 'tab\there', 'line\nfeed', "=cmd|' /C calc'!A0"]) {
      expect(escapeXml(plain)).toBe(plain);
    }
    // XML reads a literal CR back as LF: a character reference keeps it.
    expect(escapeXml('a\rb')).toBe('a&#13;b');
  });

  it('removes every character XML 1.0 cannot carry', () => {
    for (const c of NOT_XML_CHARS)
      expect(escapeXml(`a${c}b`), `U+${c.charCodeAt(0).toString(16)}`).toBe('ab');
    expect(escapeXml('high \ud800 low \udc00 reversed \ude00\ud83d end\ud83d')).toBe(
      'high  low  reversed  end',
    );
    // Removing a control between two halves does not make them a pair.
    expect(escapeXml('\ud83d\u0000\ude00')).toBe('');
    expect(escapeXml('\ud83d\ude00')).toBe('😀');
  });

  it('names columns as Excel does', () => {
    expect([1, 2, 26, 27, 52, 702, 703, 16_384].map(columnName)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AZ',
      'ZZ',
      'AAA',
      'XFD',
    ]);
  });

  it('turns wall-clock dates into Excel serial days (1900 date system)', () => {
    expect(excelSerial(new Date('1970-01-01T00:00:00Z'))).toBe(25_569);
    expect(excelSerial(new Date('1900-03-01T00:00:00Z'))).toBe(61);
    expect(excelSerial(new Date('2026-12-15T00:00:00Z'))).toBe(46_371);
    expect(excelSerial(new Date('2026-12-10T18:00:00Z'))).toBe(46_366.75);
  });
});

describe('xlsx writer: styles', () => {
  it('declares custom number formats from 164, refers to built-in ones by id, shares fonts and fills', () => {
    const xml = stylesXml([
      { numFmt: 'dd/mm/yyyy' },
      { numFmt: '#,##0' },
      { numFmt: '0.0%', bold: true },
      { bold: true },
      { numFmt: 'dd/mm/yyyy', fill: 'FF00FF00' },
      { fill: 'FF00FF00', borderBottom: true, wrap: true, vertical: 'top' },
    ]);
    const sheet = parseXml(xml);
    expect(orderViolations(sheet, SCHEMA_ORDER.styleSheet)).toEqual([]);
    expect(descendants(sheet, 'numFmt').map((n) => [n.attributes.numFmtId, n.attributes.formatCode])).toEqual(
      [
        ['164', 'dd/mm/yyyy'],
        ['165', '0.0%'],
      ],
    );
    const xfs = descendants(descendants(sheet, 'cellXfs')[0]!, 'xf').map((x) => x.attributes);
    expect(xfs.map((x) => x.numFmtId)).toEqual(['0', '164', '3', '165', '0', '164', '0']);
    expect(descendants(sheet, 'font')).toHaveLength(2);
    expect(descendants(sheet, 'fill')).toHaveLength(3);
    expect(xfs[5]).toMatchObject({ fillId: '2', applyFill: '1' });
    expect(xfs[6]).toMatchObject({ fillId: '2', borderId: '1', applyAlignment: '1' });
    for (const x of descendants(sheet, 'xf')) expect(orderViolations(x, SCHEMA_ORDER.xf)).toEqual([]);
    for (const f of descendants(sheet, 'patternFill')) {
      expect(orderViolations(f, SCHEMA_ORDER.patternFill)).toEqual([]);
    }
  });
  it('marks a format quotePrefix="1" only when asked, beside its other attributes', () => {
    const sheet = parseXml(
      stylesXml([{ bold: true }, { quotePrefix: true }, { bold: true, quotePrefix: true }]),
    );
    const xfs = descendants(descendants(sheet, 'cellXfs')[0]!, 'xf').map((x) => x.attributes);
    expect(xfs.map((x) => x.quotePrefix)).toEqual([undefined, undefined, '1', '1']);
    expect(xfs[3]).toMatchObject({ fontId: xfs[1]!.fontId, applyFont: '1', quotePrefix: '1' });
  });
});

describe('xlsx writer: workbook', () => {
  it('writes text as inline strings without the characters XML cannot carry, whatever the caller passed', async () => {
    const hostile = [
      `=${NOT_XML_CHARS.join('')}1+1`,
      'lone \ud800 and \udc00',
      '<b>&nbsp;</b>',
      '  both ends  ',
      '\nline first',
      'cr\r\nlf',
      '',
    ];
    const xlsx = await xlsxOf(oneSheet(hostile.map((text) => ({ values: [text] }))));
    const parts = await xlsxParts(xlsx);
    for (const xml of parts.values()) parseXml(xml);
    const sheet = (await load(xlsx)).worksheets[0]!;
    expect(hostile.map((_, i) => sheet.getCell(`A${i + 1}`).value)).toEqual([
      '=1+1',
      'lone  and ',
      '<b>&nbsp;</b>',
      '  both ends  ',
      '\nline first',
      'cr\r\nlf',
      null,
    ]);
    expect(sheet.getCell('A1').formula).toBeUndefined();
    const cells = descendants(parseXml(parts.get('xl/worksheets/sheet1.xml')!), 'c');
    expect(cells.map((c) => c.attributes.t)).toEqual(Array(hostile.length - 1).fill('inlineStr'));
    // Excel trims text at the ends of a <t> unless told to keep it.
    const preserved = cells.map((c) => descendants(c, 't')[0]!.attributes['xml:space']);
    expect(preserved).toEqual([undefined, 'preserve', undefined, 'preserve', 'preserve', undefined]);
  });

  it("cuts text to Excel's 32,767 characters without splitting a surrogate pair", async () => {
    const long = 'x'.repeat(MAX_CELL_TEXT + 10);
    const pairAtTheLimit = `${'y'.repeat(MAX_CELL_TEXT - 1)}😀tail`;
    const sheet = (await load(await xlsxOf(oneSheet([{ values: [long, pairAtTheLimit] }])))).worksheets[0]!;
    expect(sheet.getCell('A1').value).toBe('x'.repeat(MAX_CELL_TEXT));
    expect(sheet.getCell('B1').value).toBe('y'.repeat(MAX_CELL_TEXT - 1));
  });

  it('writes rows far longer than its 64 KiB chunks, in any script, byte for byte', async () => {
    // Eight cells of 32,767 Vietnamese characters: one row of about 700 KB of UTF-8, then more.
    const wide = Array.from({ length: 8 }, (_, i) =>
      `${i}${'Đảng ủy '.repeat(5000)}`.slice(0, MAX_CELL_TEXT),
    );
    const rows = [{ values: wide }, { values: ['sau'] }, { values: wide.slice(0, 2) }];
    const sheet = (await load(await xlsxOf(oneSheet(rows)))).worksheets[0]!;
    for (let c = 0; c < 8; c++) expect(sheet.getRow(1).getCell(c + 1).value).toBe(wide[c]);
    expect(sheet.getCell('A2').value).toBe('sau');
    expect(sheet.getCell('B3').value).toBe(wide[1]);
  });

  it('writes numbers as numbers, leaves non-finite ones and nulls blank, keeps styled blanks', async () => {
    const book = oneSheet(
      [
        {
          values: [0, -1.5, 1e21, 2 ** 53 - 1, Number.NaN, Number.POSITIVE_INFINITY, null, undefined],
          styles: [0, 0, 0, 0, 0, 0, 1, 0],
        },
      ],
      { formats: [{ numFmt: 'dd/mm/yyyy' }] },
    );
    const xlsx = await xlsxOf(book);
    const sheet = (await load(xlsx)).worksheets[0]!;
    expect(Array.from({ length: 8 }, (_, i) => sheet.getRow(1).getCell(i + 1).value)).toEqual([
      0,
      -1.5,
      1e21,
      2 ** 53 - 1,
      null,
      null,
      null,
      null,
    ]);
    const cells = descendants(parseXml((await xlsxParts(xlsx)).get('xl/worksheets/sheet1.xml')!), 'c');
    // The styled blank stays (a date typed into it later is shown as a date); the others are not written.
    expect(cells.map((c) => c.attributes.r)).toEqual(['A1', 'B1', 'C1', 'D1', 'G1']);
    expect(cells[4]!.attributes.s).toBe('1');
  });

  it('writes several sheets, each with its own frozen rows, filter, merges and widths', async () => {
    const book: WorkbookSpec = {
      formats: [{ bold: true }],
      creator: 'Đảng ủy <Sở> & "Ban"',
      sheets: [
        {
          name: "O'Brien & Co",
          columnWidths: [10, 20],
          frozenRows: 1,
          autoFilter: { headerRow: 1, columns: 2 },
          merges: ['A5:B5'],
          rows: [{ values: ['a', 'b'], styles: [1, 1] }, { values: [1, 2] }, { values: [] }, { values: [3] }],
        },
        { name: 'Thứ hai', rows: [{ values: ['x'], height: 40 }] },
      ],
    };
    const xlsx = await xlsxOf(book);
    const parts = await xlsxParts(xlsx);
    for (const xml of parts.values()) parseXml(xml);
    const workbookXml = parseXml(parts.get('xl/workbook.xml')!);
    expect(orderViolations(workbookXml, SCHEMA_ORDER.workbook)).toEqual([]);
    expect(descendants(workbookXml, 'definedName').map((d) => [d.attributes.localSheetId, d.text])).toEqual([
      ['0', "'O''Brien & Co'!$A$1:$B$4"],
    ]);
    for (const n of [1, 2]) {
      expect(
        orderViolations(parseXml(parts.get(`xl/worksheets/sheet${n}.xml`)!), SCHEMA_ORDER.worksheet),
      ).toEqual([]);
    }
    // The second sheet has none of the optional parts.
    expect(parseXml(parts.get('xl/worksheets/sheet2.xml')!).children.map((c) => c.name)).toEqual([
      'sheetViews',
      'sheetFormatPr',
      'sheetData',
    ]);

    const workbook = await load(xlsx);
    expect(workbook.creator).toBe('Đảng ủy <Sở> & "Ban"');
    const [first, second] = workbook.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect([first.name, second.name]).toEqual(["O'Brien & Co", 'Thứ hai']);
    expect(first.autoFilter).toBe('A1:B4');
    expect(first.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect([first.getColumn(1).width, first.getColumn(2).width]).toEqual([10, 20]);
    expect(first.getCell('A1').font?.bold).toBe(true);
    expect([first.getCell('A2').value, first.getCell('B2').value, first.getCell('A4').value]).toEqual([
      1, 2, 3,
    ]);
    expect(first.getRow(3).cellCount).toBe(0);
    expect(second.getCell('A1').value).toBe('x');
    expect(second.getRow(1).height).toBe(40);
    expect(second.views[0]?.state).not.toBe('frozen');
  });

  it('refuses sheet names Excel refuses', async () => {
    for (const name of ['', 'x'.repeat(32), 'a/b', 'a[1]', 'why?', "'quoted'"]) {
      const out = new PassThrough();
      out.resume();
      await expect(pipeline(xlsxStream(oneSheet([], { sheets: [{ name, rows: [] }] })), out)).rejects.toThrow(
        'Invalid sheet name',
      );
    }
  });

  it('ends the stream with the error of a failing row source', async () => {
    function* broken(): Generator<SheetRow> {
      yield { values: ['ok'] };
      throw new Error('source failed');
    }
    const out = new PassThrough();
    out.resume();
    await expect(
      pipeline(xlsxStream(oneSheet([], { sheets: [{ name: 'S', rows: broken() }] })), out),
    ).rejects.toThrow('source failed');
  });
});

describe('xlsx writer: printing', () => {
  it('writes print titles per sheet, a footer escaped, and alignment with an indent', async () => {
    const book: WorkbookSpec = {
      formats: [{ horizontal: 'left', vertical: 'top', wrap: true, indent: 2 }],
      created: new Date('2026-12-16T01:00:00Z'),
      sheets: [
        {
          name: "Nhóm 'A' x",
          rows: [{ values: ['tiêu đề'] }, { values: ['cột'], styles: [1] }],
          pageSetup: { orientation: 'landscape' },
          printTitleRows: { from: 2, to: 2 },
          footer: '&CTrang &P/&N <&>',
        },
        { name: 'Khác', rows: [{ values: ['x'] }] },
      ],
    };
    const xlsx = await xlsxOf(book);
    const parts = await xlsxParts(xlsx);
    const workbook = parseXml(parts.get('xl/workbook.xml')!);
    expect(
      descendants(workbook, 'definedName').map((d) => [d.attributes.name, d.attributes.localSheetId, d.text]),
    ).toEqual([['_xlnm.Print_Titles', '0', "'Nhóm ''A'' x'!$2:$2"]]);
    const sheet = parseXml(parts.get('xl/worksheets/sheet1.xml')!);
    expect(orderViolations(sheet, SCHEMA_ORDER.worksheet)).toEqual([]);
    expect(descendants(sheet, 'oddFooter')[0]!.text).toBe('&CTrang &P/&N <&>');
    const loaded = await load(xlsx);
    expect(loaded.worksheets[0]!.getCell('A2').alignment).toMatchObject({
      horizontal: 'left',
      vertical: 'top',
      wrapText: true,
      indent: 2,
    });
    expect(loaded.worksheets[0]!.headerFooter.oddFooter).toBe('&CTrang &P/&N <&>');
  });

  it('refuses print titles that are not rows, and indents that are not indents', async () => {
    for (const printTitleRows of [
      { from: 0, to: 1 },
      { from: 3, to: 2 },
      { from: 1.5, to: 2 },
    ]) {
      const out = new PassThrough();
      out.resume();
      await expect(
        pipeline(xlsxStream(oneSheet([], { sheets: [{ name: 'S', rows: [], printTitleRows }] })), out),
      ).rejects.toThrow('Invalid print title rows');
    }
    expect(() => stylesXml([{ indent: -1 }])).toThrow('Invalid indent');
    expect(() => stylesXml([{ indent: 1.5 }])).toThrow('Invalid indent');
  });
});
