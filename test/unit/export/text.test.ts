import { describe, expect, it } from 'vitest';
import { percentVi, plainText, timeZoneVi } from '#shared/export/text.ts';

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

describe('timeZoneVi: a zone as readers say it after a time', () => {
  it("says Vietnam's zone by the country's name, the legacy alias too", () => {
    expect(timeZoneVi('Asia/Ho_Chi_Minh')).toBe('giờ Việt Nam');
    expect(timeZoneVi('Asia/Saigon')).toBe('giờ Việt Nam');
  });

  it('gives any other zone as its UTC offset at that moment, daylight saving time included', () => {
    expect(timeZoneVi('Europe/Berlin', new Date('2026-01-15T00:00:00Z'))).toBe('giờ UTC+01:00');
    expect(timeZoneVi('Europe/Berlin', new Date('2026-07-15T00:00:00Z'))).toBe('giờ UTC+02:00');
    expect(timeZoneVi('America/St_Johns', new Date('2026-01-15T00:00:00Z'))).toBe('giờ UTC-03:30');
    expect(timeZoneVi('UTC')).toBe('giờ UTC+00:00');
  });
});
