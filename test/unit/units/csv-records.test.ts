import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvRecords } from '#shared/units/csv-records.ts';

const read = (text: string) => [...csvRecords(text)];

describe('csvRecords', () => {
  it('reads quoted values with commas, doubled quotes and line breaks, each record with its first line', () => {
    const text =
      'id,name\r\n\r\n  \r\ncb1, "Chi bộ 1, Văn phòng" \r\ncb2,"Nói ""có""\r\nhai dòng"\ncb3,x\rcb4,y';
    expect(read(text)).toEqual([
      { fields: ['id', 'name'], line: 1 },
      { fields: ['cb1', 'Chi bộ 1, Văn phòng'], line: 4 },
      { fields: ['cb2', 'Nói "có"\r\nhai dòng'], line: 5 },
      { fields: ['cb3', 'x'], line: 7 },
      { fields: ['cb4', 'y'], line: 8 },
    ]);
  });

  it('keeps empty fields and records of any length', () => {
    expect(read(',,\na\n"",b,c,d\n')).toEqual([
      { fields: ['', '', ''], line: 1 },
      { fields: ['a'], line: 2 },
      { fields: ['', 'b', 'c', 'd'], line: 3 },
    ]);
  });

  it('yields nothing for an empty or blank text', () => {
    expect(read('')).toEqual([]);
    expect(read(' \r\n\t\n\r')).toEqual([]);
  });

  it.each([
    ['a,"b\nc,d\n', 'unclosed-quote', 1],
    ['h\na,"b"x,c', 'after-closing-quote', 2],
    ['h\n\nsome "quoted" word', 'quote-in-value', 3],
  ])('stops at a quoting problem in %j with the line of its record', (text, problem, line) => {
    const records: unknown[] = [];
    let error: unknown;
    try {
      for (const record of csvRecords(text)) records.push(record);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect(error).toMatchObject({ problem, line });
    expect(records).toHaveLength(line === 1 ? 0 : 1);
  });
});
