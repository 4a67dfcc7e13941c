import { describe, expect, it } from 'vitest';
import { MAX_FILE_CHARS, NameDeduper, safeSegment, unitFolderName } from '#shared/export/names.ts';
import { shouldCompress } from '#shared/export/pack.ts';

describe('names in the ZIP', () => {
  it('keeps Vietnamese letters and makes them NFC', () => {
    const decomposed = 'Báo cáo năm 2026.pdf'.normalize('NFD');
    expect(safeSegment(decomposed, 150)).toBe('Báo cáo năm 2026.pdf'.normalize('NFC'));
  });

  it('replaces separators, traversal, control and Windows-forbidden characters', () => {
    expect(safeSegment('../../etc/passwd', 150)).toBe('_.._etc_passwd');
    expect(safeSegment('..\\..\\boot.ini', 150)).toBe('_.._boot.ini');
    expect(safeSegment('..', 150)).toBe('tep');
    expect(safeSegment('a\u0000b\u001fc\u007fd.pdf', 150)).toBe('a_b_c_d.pdf');
    expect(safeSegment('báo<cáo>:"x"|y?*.pdf', 150)).toBe('báo_cáo___x__y__.pdf');
    expect(safeSegment('  .ẩn .pdf. ', 150)).toBe('ẩn .pdf');
    expect(safeSegment('tên\u202egpj.exe', 150)).toBe('têngpj.exe');
    expect(safeSegment('CON.pdf', 150)).toBe('_CON.pdf');
    expect(safeSegment('', 150)).toBe('tep');
    expect(safeSegment('/', 150)).toBe('tep');
  });

  it('keeps emoji and cuts long names on whole characters, keeping the extension', () => {
    expect(safeSegment('Báo cáo 📄 năm 2026.docx', 150)).toBe('Báo cáo 📄 năm 2026.docx');
    const long = `${'😀'.repeat(200)}.pdf`;
    const cut = safeSegment(long, MAX_FILE_CHARS);
    expect([...cut]).toHaveLength(MAX_FILE_CHARS);
    expect(cut.endsWith('😀.pdf')).toBe(true);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('names a unit folder "<id> - <name>" without separators', () => {
    expect(unitFolderName('cb-kh', 'Chi bộ Phòng Kế hoạch/Tài chính, "Đoàn kết"')).toBe(
      'cb-kh - Chi bộ Phòng Kế hoạch_Tài chính, _Đoàn kết_',
    );
  });

  it('de-duplicates equal names in a folder, case-insensitively, with (2), (3)', () => {
    const names = new NameDeduper();
    expect(names.next('báo cáo.pdf')).toBe('báo cáo.pdf');
    expect(names.next('BÁO CÁO.pdf')).toBe('BÁO CÁO (2).pdf');
    expect(names.next('báo cáo.pdf'.normalize('NFD'))).toBe('báo cáo (3).pdf');
    expect(names.next('báo cáo (2).pdf')).toBe('báo cáo (2) (2).pdf');
    expect(names.next('phụ lục')).toBe('phụ lục');
    expect(names.next('phụ lục')).toBe('phụ lục (2)');
    expect(new NameDeduper().next('báo cáo.pdf')).toBe('báo cáo.pdf');
  });

  it('stores formats that are compressed already and deflates the others', () => {
    for (const name of ['a.pdf', 'b.JPG', 'c.png', 'd.docx', 'e.xlsx', 'f.odt', 'g.ods', 'h.jpeg']) {
      expect(shouldCompress(name), name).toBe(false);
    }
    for (const name of ['a.doc', 'b.xls', 'c.csv', 'không đuôi'])
      expect(shouldCompress(name), name).toBe(true);
  });
});
