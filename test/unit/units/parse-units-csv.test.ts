import { describe, expect, it } from 'vitest';
import { CsvValidationError, PayloadTooLargeError } from '#shared/errors.ts';
import { MAX_CSV_CELL_CHARS, MAX_UNITS_CSV_BYTES, MAX_UNITS_CSV_ROWS } from '#shared/input-limits.ts';
import { parseUnitsCsv } from '#shared/units/parse-units-csv.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Runs the parser expecting rejection; returns the line errors. */
function errorsOf(input: string | Uint8Array): { line: number; message: string }[] {
  try {
    parseUnitsCsv(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CsvValidationError);
    return [...(error as CsvValidationError).errors];
  }
  throw new Error('expected a CsvValidationError');
}

describe('parseUnitsCsv — accepted files', () => {
  it('reads UTF-8 bytes with BOM and CRLF line ends', () => {
    const bytes = utf8(
      '\uFEFFid,name,email\r\ncb-van-phong,Chi bộ Văn phòng,VP@Example.VN\r\ncb_2,Chi bộ 2,b@example.vn\r\n',
    );
    expect(parseUnitsCsv(bytes)).toEqual([
      { id: 'cb-van-phong', name: 'Chi bộ Văn phòng', email: 'vp@example.vn', cc: [] },
      { id: 'cb_2', name: 'Chi bộ 2', email: 'b@example.vn', cc: [] },
    ]);
  });

  it('reads LF text without BOM and without a final line end', () => {
    expect(parseUnitsCsv('id,name,email\ncd,Công đoàn,cd@example.vn')).toEqual([
      { id: 'cd', name: 'Công đoàn', email: 'cd@example.vn', cc: [] },
    ]);
  });

  it('strips a BOM from string input too', () => {
    expect(parseUnitsCsv('\uFEFFid,name,email\na,A,a@example.vn\n')[0]?.id).toBe('a');
  });

  it('reads quoted names with commas, doubled quotes and Vietnamese diacritics, normalised to NFC', () => {
    const nfdName = 'Chi bộ Phòng Kế hoạch, Tài chính'.normalize('NFD');
    expect(nfdName).not.toBe(nfdName.normalize('NFC'));
    const csv = `id,name,email\r\ncb-khtc,"${nfdName}",khtc@example.vn\r\ncb-tn,"Chi đoàn ""Thanh niên""",tn@example.vn\r\n`;
    const units = parseUnitsCsv(utf8(csv));
    expect(units.map((u) => u.name)).toEqual(['Chi bộ Phòng Kế hoạch, Tài chính', 'Chi đoàn "Thanh niên"']);
    expect(units[0]?.name).toBe(units[0]?.name.normalize('NFC'));
  });

  it('splits cc on ";", "," and spaces, lower-cases, de-duplicates and drops the unit address', () => {
    const csv =
      'id,name,email,cc\n' +
      'a,A,a@example.vn,"X@example.vn; y@example.vn , x@example.vn  z@example.vn;a@example.vn;"\n' +
      'b,B,b@example.vn,\n';
    expect(parseUnitsCsv(csv)).toEqual([
      { id: 'a', name: 'A', email: 'a@example.vn', cc: ['x@example.vn', 'y@example.vn', 'z@example.vn'] },
      { id: 'b', name: 'B', email: 'b@example.vn', cc: [] },
    ]);
  });

  it('accepts the header in another order and letter case, with spaces', () => {
    const csv = ' Email , CC ,NAME, Id \nA@example.vn,c@example.vn,Chi bộ A,cb-a\n';
    expect(parseUnitsCsv(csv)).toEqual([
      { id: 'cb-a', name: 'Chi bộ A', email: 'a@example.vn', cc: ['c@example.vn'] },
    ]);
  });

  it('ignores blank, whitespace-only and all-empty lines and trims values (also around quotes)', () => {
    const csv = '\r\nid,name,email\r\n\r\n   \r\n,,\r\n a , "Chi bộ A" , a@example.vn \r\n\r\n';
    expect(parseUnitsCsv(csv)).toEqual([{ id: 'a', name: 'Chi bộ A', email: 'a@example.vn', cc: [] }]);
  });

  it('accepts mixed line ends and old Mac CR line ends', () => {
    expect(
      parseUnitsCsv('id,name,email\r\na,A,a@example.vn\nb,B,b@example.vn\rc,C,c@example.vn').map((u) => u.id),
    ).toEqual(['a', 'b', 'c']);
  });
});

describe('parseUnitsCsv — line-numbered errors', () => {
  it('reports every kind of bad row, each on its own physical line', () => {
    const csv = [
      'id,name,email,cc', // 1
      'ok-1,Chi bộ 1,one@example.vn,', // 2
      ',Không mã,x@example.vn,', // 3
      'chi bộ 1,Có dấu cách,x@example.vn,', // 4
      `${'a'.repeat(65)},Quá dài,x@example.vn,`, // 5
      '-abc,Bắt đầu bằng gạch,x@example.vn,', // 6
      'ok-2,   ,x@example.vn,', // 7
      `ok-3,${'Tên'.repeat(67)},x@example.vn,`, // 8 (201 characters)
      'ok-4,Chi bộ 4,,', // 9
      'ok-5,Chi bộ 5,abc@,', // 10
      'ok-6,Chi bộ 6,six@example.vn,good@example.vn;bad@', // 11
      'OK-1,Trùng mã,dup@example.vn,', // 12
      'ok-7,Thiếu cột,seven@example.vn', // 13
      'ok-8,Thừa cột,eight@example.vn,,extra', // 14
      'ok-9,"Hai\ndòng",nine@example.vn,', // 15-16
    ].join('\r\n');
    expect(errorsOf(csv)).toEqual([
      { line: 3, message: 'thiếu mã đơn vị (id)' },
      { line: 4, message: expect.stringContaining('mã đơn vị không hợp lệ: "chi bộ 1"') },
      { line: 5, message: 'mã đơn vị dài 65 ký tự, tối đa 64' },
      { line: 6, message: expect.stringContaining('chỉ dùng chữ cái không dấu (a-z, A-Z), chữ số (0-9)') },
      { line: 7, message: 'thiếu tên đơn vị' },
      { line: 8, message: 'tên đơn vị dài 201 ký tự, tối đa 200' },
      { line: 9, message: 'thiếu email' },
      { line: 10, message: 'email không hợp lệ: "abc@"' },
      { line: 11, message: 'email CC không hợp lệ: "bad@"' },
      { line: 12, message: 'trùng mã đơn vị với dòng 2 ("OK-1")' },
      { line: 13, message: 'có 3 cột, cần đúng 4 cột như dòng tiêu đề (id,name,email,cc)' },
      { line: 14, message: 'có 5 cột, cần đúng 4 cột như dòng tiêu đề (id,name,email,cc)' },
      { line: 15, message: 'tên đơn vị chứa ký tự xuống dòng hoặc ký tự điều khiển' },
    ]);
  });

  it('collects several problems of one row', () => {
    expect(errorsOf('id,name,email\n,,bad\n')).toEqual([
      { line: 2, message: 'thiếu mã đơn vị (id)' },
      { line: 2, message: 'thiếu tên đơn vị' },
      { line: 2, message: 'email không hợp lệ: "bad"' },
    ]);
  });

  it('rejects the whole file for one bad row among good ones, naming exactly that line', () => {
    const good = (i: number) => `cb-${i},Chi bộ ${i},cb${i}@example.vn`;
    const rows = [good(1), good(2), good(3), 'cb-4,Chi bộ 4,cb4@', good(5), good(6)];
    const csv = `id,name,email\n${rows.join('\n')}\n`;
    expect(errorsOf(csv)).toEqual([{ line: 5, message: 'email không hợp lệ: "cb4@"' }]);
  });

  it('counts lines physically across blank lines and quoted line breaks in CRLF files', () => {
    const csv = 'id,name,email\r\n\r\na,"Chi bộ\r\nA",a@example.vn\r\n\r\nb,B,b@\r\n';
    expect(errorsOf(csv)).toEqual([
      { line: 3, message: 'tên đơn vị chứa ký tự xuống dòng hoặc ký tự điều khiển' },
      { line: 6, message: 'email không hợp lệ: "b@"' },
    ]);
  });

  it('keeps line numbers right after multi-byte characters (Vietnamese, emoji, NBSP-only lines)', () => {
    const csv = 'id,name,email\nа,"Đảng bộ 🏛\u00a0ơ ư",a@example.vn\n\u00a0\u3000\nb,Ư,b@\nc,Ơ,c@';
    expect(errorsOf(csv)).toEqual([
      { line: 2, message: expect.stringContaining('mã đơn vị không hợp lệ') }, // Cyrillic "а"
      { line: 4, message: 'email không hợp lệ: "b@"' },
      { line: 5, message: 'email không hợp lệ: "c@"' },
    ]);
  });

  it('names the duplicate across letter case and points at the first occurrence', () => {
    const csv = 'id,name,email\na,A,a@example.vn\nb,B,b@example.vn\nB,B2,b2@example.vn\nb,B3,b3@example.vn\n';
    expect(errorsOf(csv)).toEqual([
      { line: 4, message: 'trùng mã đơn vị với dòng 3 ("B")' },
      { line: 5, message: 'trùng mã đơn vị với dòng 3 ("b")' },
    ]);
  });

  it('reports an unclosed quote on the line where the record starts, after the rows before it', () => {
    const csv = 'id,name,email\na,A,bad@\nb,"Chi bộ B,b@example.vn\nc,C,c@example.vn\n';
    const errors = errorsOf(csv);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toEqual({ line: 2, message: 'email không hợp lệ: "bad@"' });
    expect(errors[1]?.line).toBe(3);
    expect(errors[1]?.message).toContain('dấu ngoặc kép (") mở ở dòng này không được đóng');
  });

  it('reports text after a closing quote and a quote inside an unquoted value', () => {
    const afterClosing = errorsOf('id,name,email\na,A,a@example.vn\n\nb,"Chi bộ" B,b@example.vn\n');
    expect(afterClosing).toEqual([{ line: 4, message: expect.stringContaining('sau dấu ngoặc kép đóng') }]);
    const bare = errorsOf('id,name,email\na,Chi bộ "A",a@example.vn\n');
    expect(bare).toEqual([{ line: 2, message: expect.stringContaining('nằm giữa một giá trị') }]);
  });

  it('rejects bytes that are not UTF-8 (Windows-1258, UTF-16, binary) on line 1', () => {
    const notUtf8 = [
      new Uint8Array([0x69, 0x64, 0x2c, 0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xc0, 0xff]), // stray bytes
      new Uint8Array([0xff, 0xfe, 0x69, 0x00, 0x64, 0x00]), // UTF-16LE with BOM
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]), // a ZIP (.xlsx): valid UTF-8 but NUL
    ];
    for (const bytes of notUtf8) {
      expect(errorsOf(bytes)).toEqual([
        { line: 1, message: expect.stringContaining('không phải văn bản UTF-8') },
      ]);
    }
    expect(errorsOf('id,name,email\na,A\u0000,a@example.vn\n')[0]?.line).toBe(1);
  });

  it('rejects empty input and blank-only input', () => {
    for (const input of ['', utf8(''), '\uFEFF', '\r\n  \n\n']) {
      expect(errorsOf(input)).toEqual([{ line: 1, message: expect.stringContaining('tệp trống') }]);
    }
  });

  it('rejects a header without rows', () => {
    expect(errorsOf('id,name,email\r\n\r\n')).toEqual([
      { line: 1, message: 'không có đơn vị nào: tệp chỉ có dòng tiêu đề' },
    ]);
  });

  it('names unknown, missing, duplicate and unnamed columns on the header line', () => {
    expect(errorsOf('id,ten goi,email,phone\na,A,a@example.vn,1\n')).toEqual([
      {
        line: 1,
        message:
          'cột không được hỗ trợ: "ten goi", "phone" (dùng id, name, email, cc, note, committee — hoặc Mã đơn vị, Tên đơn vị, Email, CC, Ghi chú, Mã cấp ủy)',
      },
      { line: 1, message: 'thiếu cột: name' },
    ]);
    expect(errorsOf('id,name,email,email,\n')).toEqual([
      { line: 1, message: 'cột "email" xuất hiện nhiều lần' },
      { line: 1, message: expect.stringContaining('cột thứ 5 của dòng tiêu đề không có tên') },
    ]);
    expect(errorsOf('id;name;email\na;A;a@example.vn\n')).toEqual([
      { line: 1, message: expect.stringContaining('không phải dấu chấm phẩy (;)') },
    ]);
  });

  it('puts the user message in Vietnamese with line numbers', () => {
    try {
      parseUnitsCsv('id,name,email\na,A,abc@\n');
      expect.unreachable();
    } catch (error) {
      expect((error as CsvValidationError).userMessage).toContain('dòng 2: email không hợp lệ: "abc@"');
    }
  });

  it(`rejects more than ${MAX_UNITS_CSV_ROWS} rows at the first row over the limit`, () => {
    // The error sits on the 5 001st row, so the 5 000 rows before it were accepted.
    const rows = Array.from(
      { length: MAX_UNITS_CSV_ROWS + 1 },
      (_, i) => `u${i},Đơn vị ${i},u${i}@example.vn\n`,
    );
    const errors = errorsOf(`id,name,email\n${rows.join('')}`);
    expect(errors).toEqual([
      { line: MAX_UNITS_CSV_ROWS + 2, message: expect.stringContaining('quá 5.000 đơn vị') },
    ]);
  });

  it('accepts exactly the row limit', () => {
    const rows = Array.from({ length: MAX_UNITS_CSV_ROWS }, (_, i) => `u${i},Đơn vị ${i},u${i}@example.vn`);
    expect(parseUnitsCsv(`id,name,email\n${rows.join('\n')}`)).toHaveLength(MAX_UNITS_CSV_ROWS);
  });
});

describe('parseUnitsCsv — bounds', () => {
  it(`refuses a cell longer than ${MAX_CSV_CELL_CHARS} characters on its line, and checks the other rows`, () => {
    // Prepare: a cc cell of addresses (valid each) one character over, a name far over, and a
    // good row between them; characters, not UTF-16 units, are counted (🚀 is one).
    const cc = 'x@example.vn;'.repeat(38).padEnd(MAX_CSV_CELL_CHARS + 1, 'a');
    const csv = [
      'id,name,email,cc',
      `a,Chi bộ A,a@example.vn,${cc}`,
      'b,Chi bộ B,b@example.vn,',
      `c,"${'Đ'.repeat(60_000)}",c@example.vn,`,
      `d,${'🚀'.repeat(MAX_CSV_CELL_CHARS)},d@example.vn,`,
      'e,,e@example.vn,',
    ].join('\n');
    // Act
    const errors = errorsOf(csv);
    // Assess: one message per long cell, naming the cell and the column, nothing about its content.
    expect(errors).toEqual([
      { line: 2, message: 'ô thứ 4 (cột cc) dài 501 ký tự, tối đa 500' },
      { line: 4, message: 'ô thứ 2 (cột name) dài 60.000 ký tự, tối đa 500' },
      { line: 5, message: 'tên đơn vị dài 500 ký tự, tối đa 200' },
      { line: 6, message: 'thiếu tên đơn vị' },
    ]);
  });

  it(`refuses input over ${MAX_UNITS_CSV_BYTES} bytes before decoding it, as bytes or as text`, () => {
    // Prepare: one byte over, then a string whose UTF-8 (3 bytes a letter) is over while its
    // length is not.
    const bytes = new Uint8Array(MAX_UNITS_CSV_BYTES + 1).fill(0x61);
    const text = `id,name,email\na,${'Đ'.repeat(MAX_UNITS_CSV_BYTES / 2)},a@example.vn\n`;
    expect(text.length).toBeLessThan(MAX_UNITS_CSV_BYTES);
    for (const input of [bytes, text]) {
      // Act
      let error: unknown;
      try {
        parseUnitsCsv(input, 'don-vi.csv');
      } catch (e) {
        error = e;
      }
      // Assess
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect((error as PayloadTooLargeError).code).toBe('PAYLOAD_TOO_LARGE');
      expect((error as PayloadTooLargeError).userMessage).toBe(
        'Tệp don-vi.csv lớn quá (hơn 2 MB); giới hạn cho danh sách đơn vị (CSV) là 2 MB.',
      );
    }
  });

  it('accepts a file of exactly the size limit', () => {
    const head = new TextEncoder().encode('id,name,email\na,Chi bộ A,a@example.vn\n');
    // Blank lines (spaces, then a line end) fill the rest.
    const bytes = new Uint8Array(MAX_UNITS_CSV_BYTES).fill(0x20);
    bytes.set(head);
    bytes[MAX_UNITS_CSV_BYTES - 1] = 0x0a;
    expect(bytes.length).toBe(MAX_UNITS_CSV_BYTES);
    expect(parseUnitsCsv(bytes)).toHaveLength(1);
  });
});

describe('parseUnitsCsv — the committee column (docs/tenancy.md)', () => {
  it('reads the committee a unit is, by its English or Vietnamese header, lower-cased; empty clears it', () => {
    expect(
      parseUnitsCsv(
        'id,name,email,committee\nso-gtvt,Đảng ủy Sở GTVT,vp@gtvt.vn,DUS-GTVT\ncb-1,Chi bộ 1,a@b.vn,\n',
      ),
    ).toEqual([
      { id: 'so-gtvt', name: 'Đảng ủy Sở GTVT', email: 'vp@gtvt.vn', cc: [], committeeId: 'dus-gtvt' },
      { id: 'cb-1', name: 'Chi bộ 1', email: 'a@b.vn', cc: [], committeeId: '' },
    ]);
    expect(parseUnitsCsv('Mã đơn vị,Tên đơn vị,Email,Mã cấp ủy\nx,X,x@b.vn,khoi-1\n')[0]?.committeeId).toBe(
      'khoi-1',
    );
  });

  it('refuses a committee id that could not be one, naming the line', () => {
    const bad = ['=cmd()', 'a', 'c#x', '-ab', 'a--b', 'x'.repeat(41), 'đảng-ủy', '../etc'];
    const csv = ['id,name,email,committee', ...bad.map((c, i) => `u${i},U ${i},u${i}@b.vn,"${c}"`)].join(
      '\n',
    );
    expect(errorsOf(csv).map((e) => e.line)).toEqual(bad.map((_, i) => i + 2));
    expect(errorsOf(csv)[0]?.message).toMatch(/^mã cấp ủy không hợp lệ: "=cmd\(\)"/);
  });
});
