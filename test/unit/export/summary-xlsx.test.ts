import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { summaryRows, writeSummaryXlsx, XLSX_HEADERS } from '#shared/export/summary-xlsx.ts';
import { sampleContent, sampleUnit } from '#test/support/pack-content.ts';
import { collect } from '#test/support/zip.ts';

async function workbookOf(content: ReturnType<typeof sampleContent>): Promise<ExcelJS.Worksheet> {
  const out = new PassThrough();
  const bytes = collect(out);
  await writeSummaryXlsx(content, summaryRows(content), out);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await bytes) as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
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
    expect(completeness.getCell(3).value).toBeCloseTo(2 / 3);
    expect(completeness.getCell(3).numFmt).toBe('0.0%');
    expect(completeness.getCell(4).value).toBe('2/3');
    expect(rowOf('Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo)').getCell(3).value).toBeCloseTo(1 / 3);
    expect(rowOf('Số đơn vị phải báo cáo').getCell(3).value).toBe(3);
    const header = rowOf('Mã đơn vị');
    expect((header.values as unknown[]).slice(1)).toEqual([...XLSX_HEADERS]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: header.number });
  });

  it('has one row per unit with status, dd/mm/yyyy dates in the committee zone, files, bytes and hashes', async () => {
    const sheet = await workbookOf(content);
    const rows: ExcelJS.Row[] = [];
    sheet.eachRow((row) => {
      if (String(row.getCell(1).value).startsWith('cb-')) rows.push(row);
    });
    expect(rows.map((r) => [r.getCell(1).value, r.getCell(3).value])).toEqual([
      ['cb-a', 'Đúng hạn'],
      ['cb-b', 'Trễ hạn'],
      ['cb-c', 'Chưa nộp'],
    ]);
    const [a, b, c] = rows as [ExcelJS.Row, ExcelJS.Row, ExcelJS.Row];
    expect(a.getCell(4).value).toEqual(new Date('2026-12-15T00:00:00Z'));
    expect(a.getCell(4).numFmt).toBe('dd/mm/yyyy');
    // 03:00 UTC is 10:00 in Hà Nội; Excel stores wall-clock time.
    expect(a.getCell(5).value).toEqual(new Date('2026-12-10T10:00:00Z'));
    expect(a.getCell(5).numFmt).toBe('dd/mm/yyyy hh:mm');
    expect([a.getCell(6).value, a.getCell(7).value, a.getCell(8).value]).toEqual([1, 1234, 'a'.repeat(64)]);
    // Text stays text: no formula is created from a unit name.
    expect(b.getCell(2).value).toBe('=HYPERLINK("http://x")');
    expect(b.getCell(2).formula).toBeUndefined();
    expect(c.getCell(5).value).toBeNull();
  });
});
