import { describe, expect, it } from 'vitest';
import { isFormulaLike } from '#shared/export/formula-like.ts';

describe('isFormulaLike: the one rule for summary.csv and tong-hop.xlsx', () => {
  it.each([
    '=HYPERLINK("http://x","y")',
    '=1+1',
    '+1+1',
    '-2',
    '-',
    '@SUM(A1)',
    '\t=1+1',
    '\tChi bộ',
    '\r=1',
    "=cmd|' /C calc'!A0",
  ])('takes %j as formula-like', (text) => {
    expect(isFormulaLike(text)).toBe(true);
  });

  it.each([
    '',
    'Chi bộ Văn phòng',
    'Chi bộ = A',
    'a+b',
    ' =1+1',
    '\n=1',
    '＝1+1',
    "'=1+1",
    'cb-van-phong',
    '2026-12-15',
  ])('takes %j as plain text', (text) => {
    expect(isFormulaLike(text)).toBe(false);
  });
});
