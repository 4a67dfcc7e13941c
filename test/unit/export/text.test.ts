import { describe, expect, it } from 'vitest';
import { percentVi, plainText } from '#shared/export/text.ts';

describe('plainText: unit text as it goes into the spreadsheet and the report', () => {
  it('keeps Vietnamese, punctuation, tabs and line breaks as they are', () => {
    expect(plainText('Chi bộ Văn phòng – “Quý 4”')).toBe('Chi bộ Văn phòng – “Quý 4”');
    expect(plainText('Dòng 1\r\nDòng 2\rDòng 3\tcột')).toBe('Dòng 1\nDòng 2\nDòng 3\tcột');
  });

  it('composes decomposed letters (text typed on a Mac) to NFC', () => {
    const nfd = 'Báo cáo'.normalize('NFD');
    expect(plainText(nfd)).toBe('Báo cáo');
    expect(plainText(nfd)).not.toBe(nfd);
  });

  it('removes what XML 1.0 cannot carry and marks lone surrogates', () => {
    expect(plainText('a\u0000b\u0008c\u000bd\u001fe\u007ff\ufffeg\uffffh')).toBe('abcdefgh');
    expect(plainText('x\ud800y')).toBe('x\ufffdy');
    expect(plainText('😀')).toBe('😀');
  });

  it('removes bidirectional overrides and isolates that would show text in another order', () => {
    // "Chi bộ A" + RLO + "fdp.exe": displayed reversed without the removal.
    expect(plainText('Chi bộ A\u202efdp.exe')).toBe('Chi bộ Afdp.exe');
    expect(plainText('\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069ok')).toBe('ok');
  });
});

describe('percentVi', () => {
  it('writes a rate as Vietnamese readers do', () => {
    expect(percentVi(2 / 3)).toBe('66,7%');
    expect(percentVi(1)).toBe('100,0%');
    expect(percentVi(0)).toBe('0,0%');
  });
});
