import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { PackContent } from '#shared/export/content.ts';
import { SUMMARY_COLUMNS } from '#shared/export/summary-columns.ts';
import { type SummaryRow, summaryRows, writeSummaryXlsx, XLSX_HEADERS } from '#shared/export/summary-xlsx.ts';
import { sampleContent, sampleUnit } from '#test/support/pack-content.ts';
import { stalledOutput } from '#test/support/stalled-output.ts';
import { collect } from '#test/support/zip.ts';
import { descendants, orderViolations, parseXml, SCHEMA_ORDER, xlsxParts } from './xlsx-parts.ts';

const HEADER_ROW = 14;
/** The sheet's last column: the row number, then one per summary column. */
const LAST = String.fromCharCode(65 + SUMMARY_COLUMNS.length);
const SHEET = 'xl/worksheets/sheet1.xml';

async function xlsxOf(
  content: PackContent,
  rows: Iterable<SummaryRow> = summaryRows(content),
): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = collect(out);
  await writeSummaryXlsx(content, rows, out);
  return bytes;
}

async function load(xlsx: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

async function workbookOf(content: PackContent): Promise<ExcelJS.Worksheet> {
  return load(await xlsxOf(content));
}

/** The table's rows (below the header row). */
function tableRows(sheet: ExcelJS.Worksheet): ExcelJS.Row[] {
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow((row) => {
    if (row.number > HEADER_ROW) rows.push(row);
  });
  return rows;
}

function row(unitId: string, unitName: string, over: Partial<SummaryRow> = {}): SummaryRow {
  return {
    unitId,
    unitName,
    status: 'on_time',
    deadline: '2026-12-15',
    submittedAt: '2026-12-10T03:00:00Z',
    files: 1,
    bytes: 10,
    sha256: ['c'.repeat(64)],
    ...over,
  };
}

describe('summary spreadsheet (tong-hop.xlsx)', () => {
  const onTime = sampleUnit('cb-a', 'Chi bộ Văn phòng', 'on_time');
  onTime.files = [
    {
      uploadId: 'u1',
      fileName: 'a.pdf',
      key: 'k1',
      size: 1234,
      contentType: 'application/pdf',
      sha256: 'a'.repeat(64),
      receivedAt: '2026-12-10T03:00:00Z',
    },
    {
      uploadId: 'u2',
      fileName: 'b.pdf',
      key: 'k2',
      size: 5678,
      contentType: 'application/pdf',
      sha256: 'b'.repeat(64),
      receivedAt: '2026-12-10T03:00:00Z',
    },
  ];
  const content = sampleContent([
    onTime,
    sampleUnit('cb-b', '=HYPERLINK("http://x")', 'late', {}, '2026-12-17T09:30:00Z'),
    sampleUnit('cb-c', 'Chi bộ Thanh tra', 'missing'),
  ]);

  it('has the plan header block with counts and rates, then Vietnamese column headers', async () => {
    const sheet = await workbookOf(content);
    const column = (c: number) =>
      sheet.getColumn(c).values.map((v) => (v instanceof Object ? JSON.stringify(v) : v));
    expect(sheet.name).toBe('Tổng hợp');
    expect(column(1)).toContain('BẢNG TỔNG HỢP KẾT QUẢ BÁO CÁO NĂM 2026');
    expect(column(1)).toContain(
      'Kế hoạch số 12-KH/ĐUS ngày 02/04/2025: Đẩy mạnh chuyển đổi số trong hoạt động của Đảng bộ',
    );
    const rowOf = (label: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === label) found = row;
      });
      return found!;
    };
    const completeness = rowOf('Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo)');
    expect(completeness.getCell(4).value).toBeCloseTo(2 / 3);
    expect(completeness.getCell(4).numFmt).toBe('0.0%');
    expect(completeness.getCell(4).font?.bold).toBe(true);
    expect(completeness.getCell(5).value).toBe('2/3');
    expect(rowOf('Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo)').getCell(4).value).toBeCloseTo(1 / 3);
    expect(rowOf('Số đơn vị phải báo cáo').getCell(4).value).toBe(3);
    expect(rowOf('Số đơn vị phải báo cáo').getCell(4).font?.bold).toBe(true);
    expect(sheet.getCell('A1').value).toBe('Đảng ủy Sở Thông tin và Truyền thông');
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.getCell('A2').font).toMatchObject({ bold: true, size: 14 });
    expect(sheet.getCell('A12').value).toBe('Tổng hợp lúc 16/12/2026 08:00 (giờ Việt Nam)');
    const header = rowOf('STT');
    expect(header.number).toBe(HEADER_ROW);
    expect((header.values as unknown[]).slice(1)).toEqual(['STT', ...XLSX_HEADERS]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: header.number, topLeftCell: 'A15' });
  });

  it('has one row per unit with status, dd/mm/yyyy dates in the committee zone, files, bytes and hashes', async () => {
    const sheet = await workbookOf(content);
    const rows = tableRows(sheet);
    expect(rows.map((r) => [r.getCell(1).value, r.getCell(2).value, r.getCell(4).value])).toEqual([
      [1, 'cb-a', 'Đúng hạn'],
      [2, 'cb-b', 'Trễ hạn'],
      [3, 'cb-c', 'Chưa nộp'],
    ]);
    const [a, b, c] = rows as [ExcelJS.Row, ExcelJS.Row, ExcelJS.Row];
    expect(a.getCell(1).alignment).toMatchObject({ horizontal: 'center' });
    expect(a.getCell(5).value).toEqual(new Date('2026-12-15T00:00:00Z'));
    expect(a.getCell(5).numFmt).toBe('dd/mm/yyyy');
    // 03:00 UTC is 10:00 in Hà Nội; Excel stores wall-clock time.
    expect(a.getCell(6).value).toEqual(new Date('2026-12-10T10:00:00Z'));
    expect(a.getCell(6).numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(b.getCell(6).value).toEqual(new Date('2026-12-17T16:30:00Z'));
    expect([a.getCell(7).value, a.getCell(8).value, a.getCell(9).value]).toEqual([
      2,
      1234 + 5678,
      `${'a'.repeat(64)}\n${'b'.repeat(64)}`,
    ]);
    expect([a.getCell(7).numFmt, a.getCell(8).numFmt]).toEqual(['#,##0', '#,##0']);
    expect(a.getCell(9).alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    // Unit names wrap in their column (shown in full, never cut off).
    expect(a.getCell(3).alignment).toMatchObject({
      wrapText: true,
      vertical: 'top',
      horizontal: 'left',
      indent: 1,
    });
    // Two hashes of two lines each: the row is as high as its four lines.
    expect(a.height).toBe(4 * 15 + 2);
    expect(c.height).toBeFalsy();
    // Text stays text: no formula is created from a unit name.
    expect(b.getCell(3).value).toBe('=HYPERLINK("http://x")');
    expect(b.getCell(3).formula).toBeUndefined();
    expect(b.getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(c.getCell(6).value).toBeNull();
    expect(c.getCell(9).value).toBeNull();
  });

  it('keeps the layout: bold shaded header row, column widths, frozen header, auto-filter, merges, A4 landscape', async () => {
    const sheet = await workbookOf(content);
    const header = sheet.getRow(HEADER_ROW);
    expect(header.height).toBe(30);
    for (let c = 1; c <= XLSX_HEADERS.length + 1; c++) {
      const cell = header.getCell(c);
      expect(cell.font?.bold).toBe(true);
      expect(cell.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } });
      expect(cell.border?.bottom?.style).toBe('thin');
      expect(cell.alignment).toMatchObject({ vertical: 'middle', wrapText: true });
    }
    expect(tableRows(sheet)[0]!.getCell(1).font?.bold).toBeFalsy();
    // Without the units (the benchmark's rows), the column table's widths after the STT.
    expect(Array.from({ length: 9 }, (_, i) => sheet.getColumn(i + 1).width)).toEqual([
      6, 16, 44, 12, 12, 17, 8, 16, 36,
    ]);
    expect(sheet.views).toHaveLength(1);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0 });
    expect(sheet.autoFilter).toBe(`A${HEADER_ROW}:${LAST}17`);
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect(merges).toEqual(
      expect.arrayContaining([`A1:${LAST}1`, `A2:${LAST}2`, 'A5:C5', 'A11:C11', `A12:${LAST}12`]),
    );
    expect(merges).toHaveLength(12);
    expect(sheet.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
  });

  it('is a valid package: well-formed parts, each declared, worksheet elements in schema order, no formulas', async () => {
    const parts = await xlsxParts(await xlsxOf(content));
    expect([...parts.keys()].sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/app.xml',
      'docProps/core.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      SHEET,
    ]);
    const trees = new Map([...parts].map(([name, xml]) => [name, parseXml(xml)]));
    // Every part but the relationships is declared in [Content_Types].xml.
    const types = trees.get('[Content_Types].xml')!;
    const overrides = descendants(types, 'Override').map((o) => o.attributes.PartName);
    for (const name of parts.keys()) {
      if (!name.endsWith('.rels') && name !== '[Content_Types].xml') expect(overrides).toContain(`/${name}`);
    }
    // Every relationship points at a part that exists.
    const workbookRels = descendants(trees.get('xl/_rels/workbook.xml.rels')!, 'Relationship');
    for (const r of workbookRels) expect(parts.has(`xl/${r.attributes.Target}`)).toBe(true);
    for (const r of descendants(trees.get('_rels/.rels')!, 'Relationship')) {
      expect(parts.has(r.attributes.Target!)).toBe(true);
    }

    const sheet = trees.get(SHEET)!;
    expect(sheet.children.map((c) => c.name)).toEqual([
      'sheetPr',
      'sheetViews',
      'sheetFormatPr',
      'cols',
      'sheetData',
      'autoFilter',
      'mergeCells',
      'printOptions',
      'pageMargins',
      'pageSetup',
      'headerFooter',
    ]);
    expect(orderViolations(sheet, SCHEMA_ORDER.worksheet)).toEqual([]);
    for (const view of descendants(sheet, 'sheetView')) {
      expect(orderViolations(view, SCHEMA_ORDER.sheetView)).toEqual([]);
    }
    const workbook = trees.get('xl/workbook.xml')!;
    expect(orderViolations(workbook, SCHEMA_ORDER.workbook)).toEqual([]);
    expect(descendants(workbook, 'sheet').map((s) => s.attributes.name)).toEqual(['Tổng hợp']);
    const styles = trees.get('xl/styles.xml')!;
    expect(orderViolations(styles, SCHEMA_ORDER.styleSheet)).toEqual([]);
    for (const b of descendants(styles, 'border'))
      expect(orderViolations(b, SCHEMA_ORDER.border)).toEqual([]);
    for (const x of descendants(styles, 'xf')) expect(orderViolations(x, SCHEMA_ORDER.xf)).toEqual([]);
    // Excel requires the two reserved fills first.
    const fills = descendants(styles, 'patternFill').map((f) => f.attributes.patternType);
    expect(fills.slice(0, 2)).toEqual(['none', 'gray125']);

    const cells = descendants(sheet, 'c');
    for (const c of cells) expect(orderViolations(c, SCHEMA_ORDER.c)).toEqual([]);
    expect(descendants(sheet, 'f')).toEqual([]);
    // Text cells are inline strings; nothing else carries text.
    for (const c of cells) {
      if (descendants(c, 'is').length > 0) expect(c.attributes.t).toBe('inlineStr');
      else expect(c.attributes.t).toBeUndefined();
    }
    expect(trees.get('docProps/core.xml')!.children.map((c) => [c.name, c.text])).toEqual([
      ['dc:creator', 'Đảng ủy Sở Thông tin và Truyền thông'],
      ['dcterms:created', '2026-12-16T01:00:00Z'],
      ['dcterms:modified', '2026-12-16T01:00:00Z'],
    ]);
  });

  it('carries hostile unit names as plain text: markup escaped, characters XML cannot carry removed', async () => {
    const names: [input: string, shown: string][] = [
      ["=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"],
      ['+SUM(1,2)', '+SUM(1,2)'],
      ['@IMPORTXML("x")', '@IMPORTXML("x")'],
      ['<script>alert("x")</script>', '<script>alert("x")</script>'],
      ['Tom & Jerry "A" \'B\' ]]> &amp;', 'Tom & Jerry "A" \'B\' ]]> &amp;'],
      ['Chi bộ 🚀👍🏽 Đảng ủy', 'Chi bộ 🚀👍🏽 Đảng ủy'],
      [
        'Đảng bộ Khối Cơ quan – Ủy ban nhân dân tỉnh Thừa Thiên Huế',
        'Đảng bộ Khối Cơ quan – Ủy ban nhân dân tỉnh Thừa Thiên Huế',
      ],
      [
        `a${Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')}b`,
        // Tab and line feed are text, CR becomes a line feed; every other C0 control is removed.
        'a\t\n\nb',
      ],
      ['x\ufffey\uffffz', 'xyz'],
      // Unpaired surrogates: plainText (shared with the report) marks them U+FFFD, as in the docx.
      [
        'lone \ud800 high, \udc00 low, \ude00\ud83d reversed',
        'lone \ufffd high, \ufffd low, \ufffd\ufffd reversed',
      ],
      ['  spaces kept at both ends  ', '  spaces kept at both ends  '],
      ['line\r\nbreak', 'line\nbreak'],
    ];
    const rows = names.map(([name], i) => row(`cb-${String(i).padStart(2, '0')}`, name));
    rows.push(row('=1+1', '-2'));
    const xlsx = await xlsxOf(content, rows);
    for (const xml of (await xlsxParts(xlsx)).values()) parseXml(xml);

    const sheet = await load(xlsx);
    const shown = tableRows(sheet).map((r) => r.getCell(3).value);
    expect(shown).toEqual([...names.map(([, s]) => s), '-2']);
    for (const r of tableRows(sheet)) {
      expect(r.getCell(2).type).toBe(ExcelJS.ValueType.String);
      expect(r.getCell(3).type).toBe(ExcelJS.ValueType.String);
      expect(r.getCell(3).formula).toBeUndefined();
    }
    expect(tableRows(sheet).at(-1)!.getCell(2).value).toBe('=1+1');
  });

  it('gives formula-like free text a quotePrefix style, and only it, keeping every cell a string', async () => {
    // Prepare
    const names = [
      '=HYPERLINK("http://x","y")',
      '+1+1',
      '-2',
      '@SUM(A1)',
      '\tcmd',
      // plainText removes the control character, so the cell starts with "=": decided as written.
      '\u0001=1+1',
      'Chi bộ Văn phòng',
      'Chi bộ = A',
    ];
    const rows = names.map((name, i) => row(`cb-${i}`, name));
    rows.push(row('=1+1', 'Chi bộ Thanh tra'));
    const hostile = { ...content, committeeName: '=HYPERLINK("http://x","Đảng ủy")' };
    const xlsx = await xlsxOf(hostile, rows);
    // Act: the cells' styles straight from the package, their values through exceljs.
    const parts = await xlsxParts(xlsx);
    const xfs = descendants(descendants(parseXml(parts.get('xl/styles.xml')!), 'cellXfs')[0]!, 'xf');
    const cells = new Map(
      descendants(parseXml(parts.get(SHEET)!), 'c').map((c) => [c.attributes.r!, c.attributes]),
    );
    const quoted = (ref: string) => xfs[Number(cells.get(ref)?.s ?? 0)]?.attributes.quotePrefix === '1';
    const sheet = await load(xlsx);
    const table = tableRows(sheet);
    // Assess
    expect(table.map((r) => quoted(`C${r.number}`))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(table.map((r) => quoted(`B${r.number}`))).toEqual([...Array(8).fill(false), true]);
    expect(quoted('A1')).toBe(true);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    for (const r of table) {
      for (const c of [2, 3]) {
        expect(r.getCell(c).type).toBe(ExcelJS.ValueType.String);
        expect(r.getCell(c).formula).toBeUndefined();
        expect(cells.get(`${c === 2 ? 'B' : 'C'}${r.number}`)?.t).toBe('inlineStr');
      }
    }
    expect(table[0]!.getCell(3).value).toBe('=HYPERLINK("http://x","y")');
    expect(table[5]!.getCell(3).value).toBe('=1+1');
    // Nothing else carries the style: statuses, dates, counts, hashes, the header block's labels.
    const quotedRefs = [...cells.keys()].filter(quoted);
    expect(quotedRefs.sort()).toEqual(
      ['A1', `B${table[8]!.number}`, ...table.slice(0, 6).map((r) => `C${r.number}`)].sort(),
    );
  });

  it('writes a table with no rows', async () => {
    const empty = sampleContent([]);
    const xlsx = await xlsxOf(empty);
    for (const xml of (await xlsxParts(xlsx)).values()) parseXml(xml);
    const sheet = await load(xlsx);
    expect(tableRows(sheet)).toEqual([]);
    expect((sheet.getRow(HEADER_ROW).values as unknown[]).slice(1)).toEqual(['STT', ...XLSX_HEADERS]);
    expect(sheet.autoFilter).toBe(`A${HEADER_ROW}:${LAST}${HEADER_ROW}`);
    expect(sheet.getCell('D5').value).toBe(0);
  });

  it('writes numbers as numbers: empty hash lists, big sizes, counts', async () => {
    const rows = [
      row('cb-a', 'A', { files: 0, bytes: 0, sha256: [] }),
      row('cb-b', 'B', { files: 1_000_000, bytes: 5 * 1024 ** 4 }),
      row('cb-c', 'C', { files: 3, bytes: Number.MAX_SAFE_INTEGER }),
      row('cb-d', 'D', { status: 'missing', submittedAt: null, files: 0, bytes: 0, sha256: [] }),
    ];
    const sheet = await load(await xlsxOf(content, rows));
    const [a, b, c, d] = tableRows(sheet) as [ExcelJS.Row, ExcelJS.Row, ExcelJS.Row, ExcelJS.Row];
    expect([a.getCell(7).value, a.getCell(8).value, a.getCell(9).value]).toEqual([0, 0, null]);
    expect([b.getCell(7).value, b.getCell(8).value]).toEqual([1_000_000, 5 * 1024 ** 4]);
    expect(c.getCell(8).value).toBe(Number.MAX_SAFE_INTEGER);
    for (const r of [a, b, c]) {
      expect(r.getCell(1).type).toBe(ExcelJS.ValueType.Number);
      expect(r.getCell(7).type).toBe(ExcelJS.ValueType.Number);
      expect(r.getCell(8).type).toBe(ExcelJS.ValueType.Number);
      expect(r.getCell(5).type).toBe(ExcelJS.ValueType.Date);
      expect(r.getCell(6).type).toBe(ExcelJS.ValueType.Date);
    }
    expect([d.getCell(4).value, d.getCell(6).value, d.getCell(9).value]).toEqual(['Chưa nộp', null, null]);
  });

  it("shows submission times on the committee's wall clock, daylight saving time included", async () => {
    const berlin = { ...content, timeZone: 'Europe/Berlin' };
    const rows = [
      row('cb-a', 'winter', { submittedAt: '2026-03-29T00:59:00Z' }),
      row('cb-b', 'summer', { submittedAt: '2026-03-29T01:00:00Z' }),
      row('cb-c', 'seconds dropped', { submittedAt: '2026-07-01T10:15:59.999Z' }),
    ];
    const sheet = await load(await xlsxOf(berlin, rows));
    expect(tableRows(sheet).map((r) => r.getCell(6).value)).toEqual([
      new Date('2026-03-29T01:59:00Z'),
      new Date('2026-03-29T03:00:00Z'),
      new Date('2026-07-01T12:15:00Z'),
    ]);
  });

  it('pulls rows only as fast as the output takes the bytes', async () => {
    const total = 50_000;
    let pulled = 0;
    function* many(): Generator<SummaryRow> {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield row(`cb-${i}`, `Chi bộ số ${i}`, { sha256: [i.toString(16).padStart(64, '0')] });
      }
    }
    const { out, release, bytes } = stalledOutput();
    const done = writeSummaryXlsx(content, many(), out);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Stalled: the stream buffers hold ~100 KB of deflated XML (about 3,000 of these repetitive
    // rows), not the table.
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(total / 5);
    release();
    await done;
    expect(pulled).toBe(total);
    const xml = (await xlsxParts(bytes())).get(SHEET)!;
    expect(xml.split('<row ').length - 1).toBe(12 + 1 + total);
    expect(xml).toContain(`<autoFilter ref="A${HEADER_ROW}:${LAST}${HEADER_ROW + total}"/>`);
  });

  it('fails, and ends nothing half-written, when the row source fails', async () => {
    function* broken(): Generator<SummaryRow> {
      yield row('cb-a', 'A');
      throw new Error('DynamoDB went away');
    }
    const out = new PassThrough();
    out.resume();
    await expect(writeSummaryXlsx(content, broken(), out)).rejects.toThrow('DynamoDB went away');
    expect(out.destroyed).toBe(true);
    expect(out.writableFinished).toBe(false);
  });
});

describe('summary spreadsheet: printing, filtering and the task groups’ sheets', () => {
  const long = `Chi bộ ${'Trung tâm Công nghệ thông tin và Truyền thông '.repeat(4)}`.trim();
  const content = sampleContent([
    sampleUnit('cb-a', 'Chi bộ Văn phòng', 'on_time', {
      '1': 'Đã số hóa 1.200 hồ sơ.\nHoàn thành kế hoạch.',
      '3': '=HYPERLINK("http://x","bấm")',
      '9': 'Nhóm cũ.',
    }),
    sampleUnit('cb-b', long, 'late', { '2': 'Họp trực tuyến.' }, '2026-12-17T09:30:00Z'),
    sampleUnit('cb-c', 'Chi bộ Thanh tra', 'missing', { '1': 'never shown: not reported' }),
  ]);

  async function bookOf(c: PackContent): Promise<{ xlsx: Buffer; book: ExcelJS.Workbook }> {
    const out = new PassThrough();
    const bytes = collect(out);
    await writeSummaryXlsx(c, summaryRows(c), out, undefined, c.units);
    const xlsx = await bytes;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    return { xlsx, book };
  }

  it('merges and wraps the title rows, each high enough for its lines, so none overlaps the next', async () => {
    const wordy = {
      ...content,
      plan: {
        ...content.plan,
        title: `Đẩy mạnh chuyển đổi số ${'trong công tác xây dựng Đảng '.repeat(12)}`,
      },
    };
    const { xlsx, book } = await bookOf(wordy);
    const sheet = book.worksheets[0]!;
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect(merges).toEqual(
      expect.arrayContaining([`A1:${LAST}1`, `A2:${LAST}2`, `A3:${LAST}3`, `A4:${LAST}4`, `A12:${LAST}12`]),
    );
    for (const ref of ['A1', 'A2', 'A3', 'A4', 'A12']) {
      expect(sheet.getCell(ref).alignment, ref).toMatchObject({ wrapText: true });
    }
    expect(sheet.getCell('A2').alignment).toMatchObject({ horizontal: 'center' });
    // Row heights are written (customHeight), not left to programs that do not fit merged cells.
    const rows = descendants(parseXml((await xlsxParts(xlsx)).get(SHEET)!), 'row');
    const height = (r: number) => Number(rows.find((row) => row.attributes.r === String(r))!.attributes.ht);
    expect(height(2)).toBeGreaterThanOrEqual(22);
    // The long plan line takes two lines or more at 11 pt.
    expect(height(3)).toBeGreaterThanOrEqual(2 * 15);
    expect(height(4)).toBeLessThan(2 * 15);
  });

  it('sizes the id and name columns to their content within bounds, and wraps a long name in full', async () => {
    const { book } = await bookOf(content);
    const sheet = book.worksheets[0]!;
    expect(sheet.getColumn(1).width).toBe(6);
    expect(sheet.getColumn(2).width).toBe(12);
    expect(sheet.getColumn(3).width).toBe(60);
    const row = tableRows(sheet)[1]!;
    expect(row.getCell(3).value).toBe(long);
    expect(row.getCell(3).alignment).toMatchObject({ wrapText: true });
    expect(row.height).toBeGreaterThanOrEqual(4 * 15);
    const narrow = await bookOf(sampleContent([sampleUnit('a', 'B', 'missing')]));
    expect(narrow.book.worksheets[0]!.getColumn(3).width).toBe(12);
  });

  it('prints A4 landscape, one page wide, the header row on every page, page numbers in the footer', async () => {
    const { xlsx, book } = await bookOf(content);
    const parts = await xlsxParts(xlsx);
    const workbook = parseXml(parts.get('xl/workbook.xml')!);
    const names = descendants(workbook, 'definedName').map((d) => [
      d.attributes.name,
      d.attributes.localSheetId,
      d.text,
    ]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['_xlnm.Print_Titles', '0', `'Tổng hợp'!$${HEADER_ROW}:$${HEADER_ROW}`],
        ['_xlnm.Print_Titles', '1', "'Nhóm 1'!$4:$4"],
      ]),
    );
    expect(orderViolations(workbook, SCHEMA_ORDER.workbook)).toEqual([]);
    for (const sheet of book.worksheets) {
      expect(sheet.pageSetup, sheet.name).toMatchObject({
        orientation: 'landscape',
        paperSize: 9,
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: true,
      });
      expect(sheet.headerFooter.oddFooter, sheet.name).toBe('&CTrang &P/&N');
    }
    for (const [name, xml] of parts) {
      if (!name.startsWith('xl/worksheets/')) continue;
      expect(orderViolations(parseXml(xml), SCHEMA_ORDER.worksheet), name).toEqual([]);
    }
  });

  it("has one sheet per task group with each unit's note, and one for notes of groups the plan no longer has", async () => {
    const { book } = await bookOf(content);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Tổng hợp',
      'Nhóm 1',
      'Nhóm 2',
      'Nhóm 3',
      'Nội dung khác',
    ]);
    const group1 = book.getWorksheet('Nhóm 1')!;
    expect(group1.getCell('A1').value).toBe('Nhóm nhiệm vụ 1. Số hóa hồ sơ, tài liệu');
    expect(group1.getCell('A2').value).toBe('Kế hoạch số 12-KH/ĐUS, năm 2026');
    expect((group1.getRow(4).values as unknown[]).slice(1)).toEqual([
      'STT',
      'Mã đơn vị',
      'Tên đơn vị',
      'Tình trạng',
      'Nội dung báo cáo',
    ]);
    const values = (sheet: ExcelJS.Worksheet) =>
      [5, 6, 7].map((r) => [1, 2, 3, 4, 5].map((c) => sheet.getRow(r).getCell(c).value ?? ''));
    expect(values(group1)).toEqual([
      [1, 'cb-a', 'Chi bộ Văn phòng', 'Đúng hạn', 'Đã số hóa 1.200 hồ sơ.\nHoàn thành kế hoạch.'],
      [2, 'cb-b', long, 'Trễ hạn', ''],
      // A unit that did not report shows no note, even one left in its record.
      [3, 'cb-c', 'Chi bộ Thanh tra', 'Chưa nộp', ''],
    ]);
    expect(group1.getCell('E5').alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(group1.getRow(5).height).toBe(2 * 15 + 2);
    expect(group1.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(group1.autoFilter).toBe('A4:E7');
    expect((group1.model as unknown as { merges: string[] }).merges).toEqual(['A1:E1', 'A2:E2']);
    // A note that looks like a formula stays text.
    const group3 = book.getWorksheet('Nhóm 3')!;
    expect(group3.getCell('E5').value).toBe('=HYPERLINK("http://x","bấm")');
    expect(group3.getCell('E5').formula).toBeUndefined();
    expect(group3.getCell('E5').type).toBe(ExcelJS.ValueType.String);
    expect(book.getWorksheet('Nội dung khác')!.getCell('E5').value).toBe('[Nhóm 9] Nhóm cũ.');
  });

  it('names the sheets as Excel allows whatever the group numbers, and keeps hostile names and notes as text', async () => {
    const plan = {
      ...content.plan,
      taskGroups: [
        { number: 'a/b?', title: '<x>', body: '' },
        { number: 'A/B*', title: 'trùng tên', body: '' },
        { number: "'[1]'", title: 'ngoặc', body: '' },
        { number: 'x'.repeat(40), title: 'dài', body: '' },
        // Cut at 25 characters right after an apostrophe, which may not end a sheet name.
        { number: "1234567890123456789'9", title: 'cắt', body: '' },
      ],
    };
    const units = [
      sampleUnit('=cmd', '=HYPERLINK("http://x")', 'on_time', { 'a/b?': '@SUM(A1)\u0000', "'[1]'": '+1' }),
    ];
    const { xlsx, book } = await bookOf({ ...sampleContent(units), plan });
    for (const xml of (await xlsxParts(xlsx)).values()) parseXml(xml);
    const names = book.worksheets.map((s) => s.name);
    expect(names).toEqual([
      'Tổng hợp',
      'Nhóm a-b-',
      'Nhóm A-B- (2)',
      "Nhóm '-1-",
      `Nhóm ${'x'.repeat(20)}`,
      'Nhóm 1234567890123456789',
    ]);
    const sheet = book.getWorksheet('Nhóm a-b-')!;
    expect(sheet.getCell('A1').value).toBe('Nhóm nhiệm vụ a/b?. <x>');
    expect([sheet.getCell('B5').value, sheet.getCell('C5').value, sheet.getCell('E5').value]).toEqual([
      '=cmd',
      '=HYPERLINK("http://x")',
      '@SUM(A1)',
    ]);
    expect(sheet.getCell('E5').formula).toBeUndefined();
  });

  it('writes 10,000 units with their notes sheets, every part well-formed', async () => {
    const total = 10_000;
    const many = sampleContent(
      Array.from({ length: total }, (_, i) =>
        sampleUnit(
          `cb-${String(i).padStart(5, '0')}`,
          i % 100 === 0 ? `=${'Chi bộ rất dài '.repeat(30)}${i}` : `Chi bộ số ${i}`,
          i % 10 === 9 ? 'missing' : 'on_time',
          { '1': `Nội dung ${i}`, '2': i % 2 ? '' : `Dòng một\nDòng hai ${i}` },
        ),
      ),
    );
    const { xlsx, book } = await bookOf(many);
    for (const xml of (await xlsxParts(xlsx)).values()) parseXml(xml);
    expect(book.worksheets.map((s) => s.rowCount)).toEqual([
      HEADER_ROW + total,
      4 + total,
      4 + total,
      4 + total,
    ]);
    expect(book.worksheets[0]!.getColumn(3).width).toBe(60);
    expect(book.getWorksheet('Nhóm 1')!.getCell(`E${4 + total}`).value).toBeNull();
    expect(book.getWorksheet('Nhóm 1')!.getCell(`E${4 + total - 1}`).value).toBe(`Nội dung ${total - 2}`);
  }, 60_000);
});
