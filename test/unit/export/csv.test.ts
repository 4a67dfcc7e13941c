import { describe, expect, it } from 'vitest';
import type { ExportUnit } from '#shared/export/content.ts';
import {
  csvField,
  neutraliseFormula,
  SUMMARY_CSV_HEADER,
  summaryCsvChunks,
  summaryCsvLine,
} from '#shared/export/csv.ts';

function unit(overrides: Partial<ExportUnit['row']> = {}, files: ExportUnit['files'] = []): ExportUnit {
  return {
    row: {
      unitId: 'cb-a',
      unitName: 'Chi bộ A',
      status: files.length ? 'on_time' : 'missing',
      deadline: '2026-12-15',
      submittedAt: files.length ? '2026-12-10T02:30:00Z' : null,
      files: files.length,
      bytes: 0,
      mailProblem: null,
      ...overrides,
    },
    version: files.length ? 1 : 0,
    files,
    notes: {},
  };
}

const file = (name: string, size: number, sha: string) => ({
  uploadId: name,
  fileName: name,
  key: `reports/p/2026/cb-a/${name}`,
  size,
  contentType: 'application/pdf',
  sha256: sha,
  receivedAt: '2026-12-10T02:30:00Z',
});

describe('summary.csv', () => {
  it('starts with a UTF-8 BOM, then exactly the contract header', () => {
    const text = [...summaryCsvChunks([unit()])].join('');
    expect([...Buffer.from(text, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // The contract's eight first, then the signature columns appended (docs/signatures.md), then
    // the malware scan (docs/malware-scanning.md).
    expect(text.slice(1).split('\n')[0]).toBe(
      'unit_id,unit_name,status,deadline,submitted_at,files,bytes,sha256,signed_by,signature,malware_scan',
    );
    // Only once, at the very start.
    expect(text.slice(1)).not.toContain('\uFEFF');
    expect(
      SUMMARY_CSV_HEADER.startsWith('unit_id,unit_name,status,deadline,submitted_at,files,bytes,sha256,'),
    ).toBe(true);
  });

  it('writes a reported unit with ISO UTC time, counts, bytes and ;-joined hashes in file order', () => {
    const line = summaryCsvLine(
      unit({ status: 'late' }, [file('a.pdf', 10, 'a'.repeat(64)), file('b.pdf', 5, 'b'.repeat(64))]),
    );
    expect(line).toBe(
      `cb-a,Chi bộ A,late,2026-12-15,2026-12-10T02:30:00.000Z,2,15,${'a'.repeat(64)};${'b'.repeat(64)},;,pending;pending,pending;pending`,
    );
  });

  it('leaves submitted_at and sha256 empty for a missing unit', () => {
    expect(summaryCsvLine(unit())).toBe('cb-a,Chi bộ A,missing,2026-12-15,,0,0,,,,');
  });

  it('quotes names with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('Chi bộ Phòng Kế hoạch, Tài chính')).toBe('"Chi bộ Phòng Kế hoạch, Tài chính"');
    expect(csvField('Chi bộ "Đoàn kết"')).toBe('"Chi bộ ""Đoàn kết"""');
    expect(csvField('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('Chi bộ Văn phòng')).toBe('Chi bộ Văn phòng');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\r=1']) {
      expect(neutraliseFormula(evil)).toBe(`'${evil}`);
    }
    expect(neutraliseFormula('Chi bộ = A')).toBe('Chi bộ = A');
    const line = summaryCsvLine(unit({ unitName: '=cmd|" /C calc"!A0, x' }));
    expect(line.split(',').slice(0, 2).join(',')).toBe(`cb-a,"'=cmd|"" /C calc""!A0`);
    expect(line).toContain(`"'=cmd|"" /C calc""!A0, x"`);
  });

  it('starts the row with the apostrophe when the unit id looks like a formula, and never touches generated cells', () => {
    // Prepare: ids never look like formulas after the units import, but the CSV does not rely on it.
    const line = summaryCsvLine(
      unit({ unitId: '-x', unitName: '+1+1', status: 'late' }, [file('a.pdf', 10, 'a'.repeat(64))]),
    );
    // Assess
    expect(line.startsWith("'-x,'+1+1,late,")).toBe(true);
    expect(line.split(',').slice(2)).toEqual([
      'late',
      '2026-12-15',
      '2026-12-10T02:30:00.000Z',
      '1',
      '10',
      'a'.repeat(64),
      '',
      'pending',
      'pending',
    ]);
  });

  it('streams many units in chunks, one line each', () => {
    const units = Array.from({ length: 2500 }, (_, i) => unit({ unitId: `cb-${i}` }));
    const chunks = [...summaryCsvChunks(units, 1000)];
    expect(chunks.length).toBe(3);
    expect(chunks.join('').trimEnd().split('\n')).toHaveLength(2501);
  });
});
