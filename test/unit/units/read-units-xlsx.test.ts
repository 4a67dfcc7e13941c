/**
 * The units workbook (.xlsx) reader: workbooks written by exceljs (an independent writer, as Excel
 * and LibreOffice write them: shared strings, numbers, formulas) and by the app's own download,
 * read into the same checked rows as the CSV; and hostile files — formulas, error values,
 * formula-like text, duplicate ids, binary junk, an old .xls, a Word file, a ZIP bomb, a DTD,
 * oversized — each refused with row-numbered Vietnamese errors.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { inProcessDocumentReader as reader } from '#functions/document-reader.ts';
import type { Unit } from '#shared/domain/unit.ts';
import { CsvValidationError, PayloadTooLargeError } from '#shared/errors.ts';
import { MAX_UNITS_XLSX_BYTES, readUnitsXlsxRows } from '#shared/units/read-units-xlsx.ts';
import { readUnitsFile } from '#shared/units/units.ts';
import { UNITS_XLSX_HEADERS, unitsXlsx } from '#shared/units/units-xlsx.ts';
import { documentXml, docxBomb, docxParts, zeros, zipOf } from '../files/zip-builders.ts';

/** A workbook written by exceljs: `rows` on the first sheet (a cell may be a formula object). */
async function workbook(
  rows: ExcelJS.CellValue[][],
  options: { firstSheetHidden?: boolean; firstRow?: number } = {},
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  if (options.firstSheetHidden) {
    const hidden = book.addWorksheet('Ẩn');
    hidden.state = 'hidden';
    hidden.addRow(['id', 'name', 'email']);
    hidden.addRow(['an', 'Ẩn', 'an@example.vn']);
  }
  const sheet = book.addWorksheet('Đơn vị');
  rows.forEach((values, i) => {
    sheet.getRow((options.firstRow ?? 1) + i).values = values;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function errorsOf(bytes: Uint8Array): Promise<{ line: number; message: string }[]> {
  try {
    await readUnitsXlsxRows(bytes, 'don-vi.xlsx', reader);
  } catch (error) {
    expect(error).toBeInstanceOf(CsvValidationError);
    expect((error as CsvValidationError).userMessage).toMatch(
      /^Tệp Excel \(\.xlsx\) không hợp lệ, chưa nhập/,
    );
    return [...(error as CsvValidationError).errors];
  }
  throw new Error('expected a CsvValidationError');
}

describe('readUnitsXlsxRows — workbooks people write', () => {
  it('reads the first sheet: shared strings, a number as an id, cc lists, with their row numbers', async () => {
    // Prepare: Vietnamese headers as in the app's download, a blank row, a number typed as an id.
    const bytes = await workbook(
      [
        ['Mã đơn vị', 'Tên đơn vị', 'Email', 'CC', 'Ghi chú'],
        [
          'cb-van-phong',
          'Chi bộ Văn phòng'.normalize('NFD'),
          'VP@Example.VN',
          'a@example.vn; b@example.vn',
          '',
        ],
        [],
        [2024, 'Chi đoàn "Thanh niên"', 'tn@example.vn', null, 'Nhiều dòng\nghi chú'],
      ],
      { firstRow: 2 },
    );
    // Act
    const rows = await readUnitsXlsxRows(bytes, undefined, reader);
    // Assess
    expect(rows).toEqual([
      {
        line: 3,
        unit: {
          id: 'cb-van-phong',
          name: 'Chi bộ Văn phòng',
          email: 'vp@example.vn',
          cc: ['a@example.vn', 'b@example.vn'],
          note: '',
        },
      },
      {
        line: 5,
        unit: {
          id: '2024',
          name: 'Chi đoàn "Thanh niên"',
          email: 'tn@example.vn',
          cc: [],
          note: 'Nhiều dòng\nghi chú',
        },
      },
    ]);
  });

  it('reads English headers in any order, and skips a hidden first sheet', async () => {
    const bytes = await workbook(
      [
        ['EMAIL', 'id', 'Name'],
        ['a@example.vn', 'cb-a', 'Chi bộ A'],
      ],
      {
        firstSheetHidden: true,
      },
    );
    expect(await readUnitsXlsxRows(bytes, undefined, reader)).toEqual([
      { line: 2, unit: { id: 'cb-a', name: 'Chi bộ A', email: 'a@example.vn', cc: [] } },
    ]);
  });

  it('reads back the list the app offers for download, read-only columns ignored', async () => {
    // Prepare: one active unit, one retired, one with a note and cc.
    const units: Unit[] = [
      {
        id: 'cb-a',
        name: 'Chi bộ A',
        email: 'a@example.vn',
        cc: [],
        active: true,
        updatedAt: '2026-01-01T00:00:00Z',
      },
      {
        id: 'cb-b',
        name: 'Chi bộ Bưu chính',
        email: 'b@example.vn',
        cc: ['x@example.vn', 'y@example.vn'],
        note: 'Bí thư: đ/c Lan\nĐiện thoại 0901',
        active: false,
        retired: { from: '2026-12-01', reason: 'merged', detail: 'vào Chi bộ A', at: '2026-11-20T00:00:00Z' },
        updatedAt: '2026-11-20T00:00:00Z',
      },
    ];
    const bytes = await unitsXlsx(units, {
      now: new Date('2026-12-05T03:00:00Z'),
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    // Act
    const rows = await readUnitsXlsxRows(bytes, undefined, reader);
    const viaFile = await readUnitsFile(bytes, 'danh-sach-don-vi.xlsx', reader);
    // Assess: what the import reads is what was downloaded; exceljs reads the same sheet.
    expect(rows.map((r) => r.unit)).toEqual([
      { id: 'cb-a', name: 'Chi bộ A', email: 'a@example.vn', cc: [], note: '' },
      {
        id: 'cb-b',
        name: 'Chi bộ Bưu chính',
        email: 'b@example.vn',
        cc: ['x@example.vn', 'y@example.vn'],
        note: 'Bí thư: đ/c Lan\nĐiện thoại 0901',
      },
    ]);
    expect(viaFile.format).toBe('xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('Đơn vị');
    expect(sheet.getRow(1).values).toEqual([undefined, ...UNITS_XLSX_HEADERS]);
    expect(sheet.getCell('F2').value).toBe('Đang hoạt động');
    expect(sheet.getCell('F3').value).toBe('Thôi báo cáo từ 01/12/2026');
    expect(sheet.getCell('G3').value).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(sheet.getCell('G3').numFmt).toBe('dd/mm/yyyy');
    expect(sheet.getCell('H3').value).toBe('sáp nhập: vào Chi bộ A');
  });
});

describe('readUnitsXlsxRows — hostile workbooks', () => {
  it('refuses formulas, error values and formula-like text, naming the cell and its row', async () => {
    // Prepare
    const bytes = await workbook([
      ['id', 'name', 'email', 'note'],
      ['cb-a', { formula: 'HYPERLINK("http://x.example","Bấm")', result: 'Bấm' }, 'a@example.vn', ''],
      ['cb-b', 'Chi bộ B', { formula: 'A2&"@example.vn"', result: 'cb-a@example.vn' }, ''],
      ['cb-c', '=1+1', 'c@example.vn', ''],
      ['cb-d', 'Chi bộ D', 'd@example.vn', '@SUM(A1)'],
      ['cb-e', 'Chi bộ E', 'e@example.vn', { error: '#REF!' }],
      ['cb-f', '-Chi bộ F', 'f@example.vn', ''],
      ['cb-g', 'Chi bộ G', 'g@example.vn', ''],
    ]);
    // Act
    const errors = await errorsOf(bytes);
    // Assess
    expect(errors).toEqual([
      { line: 2, message: expect.stringContaining('ô B2 chứa công thức (=HYPERLINK(') },
      { line: 3, message: expect.stringContaining('ô C3 chứa công thức') },
      { line: 4, message: expect.stringContaining('tên đơn vị bắt đầu bằng "="') },
      { line: 5, message: expect.stringContaining('ghi chú bắt đầu bằng "@"') },
      { line: 6, message: 'ô D6 chứa lỗi của bảng tính (#REF!)' },
      { line: 7, message: expect.stringContaining('tên đơn vị bắt đầu bằng "-"') },
    ]);
    expect(errors[0]!.message).toContain('Dán giá trị');
  });

  it('names duplicate ids (in any letter case) with the row of the first one, and every other bad row', async () => {
    const bytes = await workbook([
      ['id', 'name', 'email'],
      ['cb-a', 'Chi bộ A', 'a@example.vn'],
      ['CB-A', 'Chi bộ A lần hai', 'a2@example.vn'],
      ['cb a', 'Có dấu cách', 'x@example.vn'],
      ['cb-b', '', 'không phải email'],
      ['cb-c', 'Chi bộ C', 'c@example.vn', 'thừa'],
    ]);
    expect(await errorsOf(bytes)).toEqual([
      { line: 3, message: 'trùng mã đơn vị với dòng 2 ("CB-A")' },
      { line: 4, message: expect.stringContaining('mã đơn vị không hợp lệ: "cb a"') },
      { line: 5, message: 'thiếu tên đơn vị' },
      { line: 5, message: 'email không hợp lệ: "không phải email"' },
      { line: 6, message: 'có 4 cột, cần đúng 3 cột như dòng tiêu đề (id,name,email)' },
    ]);
  });

  it('refuses a value far to the right of the list, and a sheet with only a header', async () => {
    const far: ExcelJS.CellValue[] = ['cb-a', 'Chi bộ A', 'a@example.vn'];
    far[59] = 'xa';
    expect(await errorsOf(await workbook([['id', 'name', 'email'], far]))).toEqual([
      { line: 2, message: 'ô BH2 nằm ngoài các cột của danh sách đơn vị; hãy xoá giá trị ở đó' },
    ]);
    expect(await errorsOf(await workbook([['id', 'name', 'email']]))).toEqual([
      { line: 1, message: 'không có đơn vị nào: tệp chỉ có dòng tiêu đề' },
    ]);
    expect(await errorsOf(await workbook([['mã', 'tên', 'điện thoại']]))).toEqual([
      { line: 1, message: expect.stringContaining('cột không được hỗ trợ: "mã", "điện thoại"') },
      { line: 1, message: 'thiếu cột: id, email' },
    ]);
  });

  it.each([
    [
      'binary junk',
      Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42, 0x00, 0x10]),
      'không phải bảng tính Excel .xlsx',
    ],
    [
      'an Excel 97–2003 file',
      Buffer.from('d0cf11e0a1b11ae1000000000000000000000000', 'hex'),
      'Excel 97–2003 (.xls)',
    ],
    ['a truncated ZIP', Buffer.from('504b0304140000000800', 'hex'), 'không phải bảng tính Excel .xlsx'],
  ])('refuses %s on line 1', async (_name, bytes, message) => {
    expect(await errorsOf(bytes)).toEqual([{ line: 1, message: expect.stringContaining(message) }]);
  });

  it('refuses a Word document and a workbook whose sheet is not XML', async () => {
    const docx = await zipOf(docxParts(documentXml(['id,name,email'])));
    expect(await errorsOf(docx)).toEqual([
      { line: 1, message: expect.stringContaining('không phải bảng tính') },
    ]);
    const broken = await zipOf([
      { name: 'xl/workbook.xml', data: '<workbook><sheets><sheet r:id="rId1"/></sheets></workbook>' },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      },
      { name: 'xl/worksheets/sheet1.xml', data: '<worksheet><sheetData><row><c><v>1</c></row>' },
    ]);
    expect(await errorsOf(broken)).toEqual([{ line: 1, message: expect.stringContaining('XML bị hỏng') }]);
  });

  it('refuses a ZIP bomb and a DTD before parsing anything', async () => {
    // A 64 MiB sheet of zeros in about 64 KB (over the 10 MB a part may inflate to), and a
    // sheet declaring an entity.
    const bomb = await zipOf([
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'xl/worksheets/sheet1.xml', data: zeros(64) },
    ]);
    expect(bomb.length).toBeLessThan(MAX_UNITS_XLSX_BYTES);
    expect(await errorsOf(bomb)).toEqual([{ line: 1, message: expect.stringMatching(/^tệp bị từ chối: /) }]);
    const laughs = await zipOf([
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet>&a;</worksheet>',
      },
    ]);
    expect(await errorsOf(laughs)).toEqual([{ line: 1, message: expect.stringContaining('DOCTYPE/ENTITY') }]);
    // A bomb that lies about its size is refused while inflating.
    expect((await errorsOf(await docxBomb(16, 1000)))[0]?.message).toMatch(/^tệp bị từ chối: /);
  }, 30_000);

  it(`refuses a file over ${MAX_UNITS_XLSX_BYTES} bytes before reading it`, async () => {
    const big = new Uint8Array(MAX_UNITS_XLSX_BYTES + 1);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    await expect(readUnitsXlsxRows(big, 'to.xlsx', reader)).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(readUnitsXlsxRows(big, 'to.xlsx', reader)).rejects.toMatchObject({
      userMessage: 'Tệp to.xlsx lớn quá (hơn 2 MB); giới hạn cho danh sách đơn vị (Excel) là 2 MB.',
    });
  });
});
