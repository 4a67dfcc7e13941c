import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { SUMMARY_CSV_HEADER, summaryCsvChunks } from '#shared/export/csv.ts';
import { SUMMARY_COLUMNS, type SummaryColumn } from '#shared/export/summary-columns.ts';
import { summaryRows, writeSummaryXlsx, XLSX_HEADERS } from '#shared/export/summary-xlsx.ts';
import { sampleContent, sampleUnit } from '#test/support/pack-content.ts';
import { collect } from '#test/support/zip.ts';
import { descendants, parseXml, xlsxParts } from './xlsx-parts.ts';

const HEADER_ROW = 14;
/** The letter of the sheet's column `n` (1-based; A–Z is enough here). */
const letter = (n: number) => String.fromCharCode(64 + n);

/** The outside contract of summary.csv (docs/exports.md, DESIGN §4): these first, in this order. */
const CONTRACT = ['unit_id', 'unit_name', 'status', 'deadline', 'submitted_at', 'files', 'bytes', 'sha256'];

const content = sampleContent([
  sampleUnit('cb-a', 'Chi bộ Văn phòng', 'on_time'),
  sampleUnit('cb-b', '=HYPERLINK("http://x")', 'late', {}, '2026-12-17T09:30:00Z'),
  sampleUnit('cb-c', 'Chi bộ Thanh tra', 'missing'),
]);

async function xlsxOf(columns?: readonly SummaryColumn[]): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = collect(out);
  await writeSummaryXlsx(content, summaryRows(content), out, columns);
  return bytes;
}

async function sheetOf(columns?: readonly SummaryColumn[]): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await xlsxOf(columns)) as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

/** Whether the cell at `ref` has a quotePrefix style, read from the package itself. */
async function quotedCells(xlsx: Buffer): Promise<(ref: string) => boolean> {
  const parts = await xlsxParts(xlsx);
  const xfs = descendants(descendants(parseXml(parts.get('xl/styles.xml')!), 'cellXfs')[0]!, 'xf');
  const cells = new Map(
    descendants(parseXml(parts.get('xl/worksheets/sheet1.xml')!), 'c').map((c) => [
      c.attributes.r!,
      c.attributes,
    ]),
  );
  return (ref) => xfs[Number(cells.get(ref)?.s ?? 0)]?.attributes.quotePrefix === '1';
}

describe('summary columns (one table for summary.csv and tong-hop.xlsx)', () => {
  it('starts with the CSV contract, in order, and names every column once', () => {
    // Assess
    expect(SUMMARY_COLUMNS.slice(0, CONTRACT.length).map((c) => c.csv)).toEqual(CONTRACT);
    expect(SUMMARY_CSV_HEADER.split(',').slice(0, CONTRACT.length)).toEqual(CONTRACT);
    expect(new Set(SUMMARY_COLUMNS.map((c) => c.csv)).size).toBe(SUMMARY_COLUMNS.length);
    expect(new Set(SUMMARY_COLUMNS.map((c) => c.header)).size).toBe(SUMMARY_COLUMNS.length);
  });

  it('gives both files the same columns: CSV names and xlsx headers come from the one table', async () => {
    // Act
    const csvHeader = [...summaryCsvChunks(content.units)]
      .join('')
      .split('\n')[0]!
      .replace(/^\uFEFF/, '');
    const sheet = await sheetOf();

    // Assess
    expect(csvHeader).toBe(SUMMARY_COLUMNS.map((c) => c.csv).join(','));
    expect(XLSX_HEADERS).toEqual(SUMMARY_COLUMNS.map((c) => c.header));
    // The spreadsheet's table starts with its own STT column (not part of summary.csv).
    expect((sheet.getRow(HEADER_ROW).values as unknown[]).slice(1)).toEqual(['STT', ...XLSX_HEADERS]);
    expect(SUMMARY_COLUMNS.map((_, i) => sheet.getColumn(i + 2).width)).toEqual(
      SUMMARY_COLUMNS.map((c) => c.width),
    );
  });

  it('writes a column added to the table into both files, and nothing else needs to change', async () => {
    // Prepare: a column that exists only in this test.
    const extra: SummaryColumn = {
      csv: 'reported',
      header: 'Đã nộp?',
      width: 9,
      freeText: false,
      style: 'text',
      csvValue: (r) => (r.status === 'missing' ? 'no' : 'yes'),
      cell: (r) => (r.status === 'missing' ? 'Chưa' : 'Rồi'),
    };
    const columns = [...SUMMARY_COLUMNS, extra];

    // Act
    const csv = [...summaryCsvChunks(content.units, 1000, columns)]
      .join('')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    const sheet = await sheetOf(columns);

    // Assess: the CSV keeps its contract first and ends each line with the new field.
    expect(csv[0]).toBe(`${SUMMARY_CSV_HEADER},reported`);
    expect(csv.slice(1).map((line) => line.split(',').at(-1))).toEqual(['yes', 'yes', 'no']);
    // The spreadsheet has the header, the width, the cells, and spans the new column everywhere.
    const last = columns.length + 1;
    expect(sheet.getRow(HEADER_ROW).getCell(last).value).toBe('Đã nộp?');
    expect(sheet.getColumn(last).width).toBe(9);
    expect([1, 2, 3].map((i) => sheet.getRow(HEADER_ROW + i).getCell(last).value)).toEqual([
      'Rồi',
      'Rồi',
      'Chưa',
    ]);
    expect(sheet.autoFilter).toBe(`A${HEADER_ROW}:${letter(last)}${HEADER_ROW + 3}`);
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect(merges).toEqual(expect.arrayContaining([`A1:${letter(last)}1`, `A12:${letter(last)}12`]));
  });

  it('treats a free-text column added to the table as users’ text in both files', async () => {
    // Prepare: the unit name again, as free text, at the end.
    const extra: SummaryColumn = {
      csv: 'name_again',
      header: 'Tên (lặp)',
      width: 20,
      freeText: true,
      style: 'text',
      csvValue: (r) => r.unitName,
      cell: (r) => r.unitName,
    };
    const columns = [...SUMMARY_COLUMNS, extra];

    // Act
    const csv = [...summaryCsvChunks(content.units, 1000, columns)]
      .join('')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    const xlsx = await xlsxOf(columns);
    const quoted = await quotedCells(xlsx);
    const sheet = await sheetOf(columns);

    // Assess: a leading apostrophe (and RFC 4180 quotes) in the CSV, quotePrefix in the sheet,
    // both for the new column as for the name.
    expect(csv[2]!.endsWith(`,"'=HYPERLINK(""http://x"")"`)).toBe(true);
    const cell = sheet.getRow(HEADER_ROW + 2).getCell(columns.length + 1);
    expect(cell.value).toBe('=HYPERLINK("http://x")');
    expect(cell.formula).toBeUndefined();
    expect([15, 16, 17].map((n) => [quoted(`C${n}`), quoted(`${letter(columns.length + 1)}${n}`)])).toEqual([
      [false, false],
      [true, true],
      [false, false],
    ]);
  });
});
