import { describe, expect, it } from 'vitest';
import { formatByteCount, formatBytes, formatCountVi } from '#shared/domain/bytes.ts';
import { formatSizeOver, MAX_PLAN_DOCUMENT_BYTES, unitsCsvTooLarge } from '#shared/input-limits.ts';
import { sourceFiles } from '#test/support/sources.ts';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

/**
 * Copies known and still to be derived from shared/domain/bytes.ts: remove an entry when its file
 * is fixed (the test then keeps it fixed).
 */
const PENDING = [
  // The upload page's browser script (its own copy of the units table).
  'functions/web/browser/format.ts',
  'functions/web/upload-page.ts',
];

describe('sizes for people (shared/domain/bytes.ts)', () => {
  it('writes sizes with binary units, one decimal and a decimal comma', () => {
    expect(
      [0, 12, 512, KB, 1536, 64 * KB, 256 * KB, 900 * KB, 1.5 * MB, 2.5 * MB, 10 * MB, 25 * MB, 150 * MB].map(
        formatBytes,
      ),
    ).toEqual([
      '0 byte',
      '12 byte',
      '512 byte',
      '1 KB',
      '1,5 KB',
      '64 KB',
      '256 KB',
      '900 KB',
      '1,5 MB',
      '2,5 MB',
      '10 MB',
      '25 MB',
      '150 MB',
    ]);
  });

  it('keeps one decimal above 100 and goes on to GB (the rule the four formatters now share)', () => {
    // Before, shared/input-limits.ts rounded to whole units from 100 on and had no GB.
    expect(formatBytes(150.5 * MB)).toBe('150,5 MB');
    expect(formatBytes(300.25 * KB)).toBe('300,3 KB');
    expect(formatBytes(2 * GB)).toBe('2 GB');
    expect(formatBytes(1.25 * GB)).toBe('1,3 GB');
  });

  it('writes exact counts and byte counts with Vietnamese digit grouping', () => {
    expect([5, 5000, 1_000_000].map(formatCountVi)).toEqual(['5', '5.000', '1.000.000']);
    expect(formatByteCount(1200)).toBe('1.200 byte');
    expect(formatByteCount(12)).toBe('12 byte');
    // The same as ICU's vi-VN, which file-checks used before.
    expect(formatCountVi(26_214_400)).toBe(new Intl.NumberFormat('vi-VN').format(26_214_400));
  });

  it('never shows a size equal to the limit it broke', () => {
    expect(formatSizeOver(MAX_PLAN_DOCUMENT_BYTES + 1, MAX_PLAN_DOCUMENT_BYTES)).toBe('hơn 10 MB');
    expect(formatSizeOver(undefined, MAX_PLAN_DOCUMENT_BYTES)).toBe('hơn 10 MB');
    expect(unitsCsvTooLarge('don-vi.csv', 100.5 * MB).userMessage).toBe(
      'Tệp don-vi.csv lớn quá (100,5 MB); giới hạn cho danh sách đơn vị (CSV) là 2 MB.',
    );
  });

  it('is the only byte formatter: no other source has a table of KB / MB / GB', () => {
    // Prepare: "KB" and "MB" as string literals in one file, the mark of a formatter of its own.
    const literal = (unit: string) => new RegExp(`(['"])${unit}\\1`);

    // Act
    const holders = sourceFiles()
      .filter((f) => literal('KB').test(f.text) && literal('MB').test(f.text))
      .map((f) => f.path);

    // Assess
    expect(holders.filter((path) => !PENDING.includes(path))).toEqual(['shared/domain/bytes.ts']);
  });
});
