import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { buildReportDocx, DRAFT_MARK, LATE_HEADING, MISSING_HEADING } from '#shared/export/report-docx.ts';
import { sampleContent, sampleUnit } from '#test/support/pack-content.ts';
import { readZip } from '#test/support/zip.ts';

async function text(buffer: Buffer): Promise<string> {
  return (await mammoth.extractRawText({ buffer })).value;
}

describe('compiled report (bao-cao-tong-hop.docx)', () => {
  const content = sampleContent([
    sampleUnit('cb-a', 'Chi bộ Văn phòng', 'on_time', {
      '1': 'Đã số hóa 1.200 hồ sơ đảng viên.\nHoàn thành 100% kế hoạch.',
      '2': 'Họp chi bộ trực tuyến 4 lần.',
    }),
    sampleUnit(
      'cb-b',
      'Chi bộ Phòng Kế hoạch, Tài chính',
      'late',
      { '1': 'Số hóa 300 hồ sơ.' },
      '2026-12-17T09:30:00Z',
    ),
    sampleUnit('cb-c', 'Chi bộ Thanh tra', 'missing'),
  ]);

  it('has the plan header, the draft mark and the rates', async () => {
    const t = await text(await buildReportDocx(content));
    expect(t).toContain('ĐẢNG ỦY SỞ THÔNG TIN VÀ TRUYỀN THÔNG');
    expect(t).toContain('BÁO CÁO');
    expect(t).toContain('Kết quả thực hiện Kế hoạch số 12-KH/ĐUS năm 2026');
    expect(t).toContain('Đẩy mạnh chuyển đổi số trong hoạt động của Đảng bộ');
    expect(t).toContain(DRAFT_MARK);
    expect(t).toContain('Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo): 66,7% (2/3)');
    expect(t).toContain('Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo): 33,3% (1/3)');
  });

  it('lists, under each task group heading, what each unit wrote, and who wrote nothing', async () => {
    const t = await text(await buildReportDocx(content));
    const g1 = t.indexOf('1. Số hóa hồ sơ, tài liệu');
    const g2 = t.indexOf('2. Ứng dụng công nghệ thông tin trong sinh hoạt chi bộ');
    const g3 = t.indexOf('3. Bồi dưỡng kỹ năng số cho đảng viên');
    expect(g1).toBeGreaterThan(0);
    expect(g2).toBeGreaterThan(g1);
    expect(g3).toBeGreaterThan(g2);
    const section1 = t.slice(g1, g2);
    expect(section1).toContain(
      'Chi bộ Văn phòng: Đã số hóa 1.200 hồ sơ đảng viên.\n\nHoàn thành 100% kế hoạch.',
    );
    expect(section1).toContain('Chi bộ Phòng Kế hoạch, Tài chính: Số hóa 300 hồ sơ.');
    expect(t.slice(g2, g3)).toContain('Các đơn vị chưa có nội dung: Chi bộ Phòng Kế hoạch, Tài chính.');
    expect(t.slice(g3)).toContain(
      'Các đơn vị chưa có nội dung: Chi bộ Văn phòng; Chi bộ Phòng Kế hoạch, Tài chính.',
    );
    // A unit that did not report is not listed under the task groups.
    expect(t.slice(g1, t.indexOf(MISSING_HEADING))).not.toContain('Chi bộ Thanh tra');
  });

  it('ends with the units that did not report and the late ones', async () => {
    const t = await text(await buildReportDocx(content));
    const missing = t.slice(t.indexOf(MISSING_HEADING), t.indexOf(LATE_HEADING));
    expect(missing).toContain('1. Chi bộ Thanh tra (mã cb-c)');
    expect(t.slice(t.indexOf(LATE_HEADING))).toContain(
      '1. Chi bộ Phòng Kế hoạch, Tài chính: nộp lúc 17/12/2026 16:30, hạn nộp 15/12/2026',
    );
  });

  it('keeps unit text as data: markup, fields and control characters do not get through', async () => {
    const hostile = sampleContent([
      sampleUnit('cb-x', 'Chi bộ <w:b/> & "X"', 'on_time', {
        '1': '</w:t></w:r><w:r><w:t>injected { MERGEFIELD x } \u0000\u0007\u000b bell\ud800',
      }),
    ]);
    const docx = await buildReportDocx(hostile);
    const t = await text(docx);
    expect(t).toContain('Chi bộ <w:b/> & "X": </w:t></w:r><w:r><w:t>injected { MERGEFIELD x }  bell\ufffd');
    const document = (await readZip(docx)).find((e) => e.name === 'word/document.xml')!.data!.toString();
    expect(document).not.toContain('<w:b/> &');
    expect(document).toContain('&lt;w:b/&gt; &amp;');
  });

  it('says so when no unit has reported', async () => {
    const t = await text(
      await buildReportDocx(sampleContent([sampleUnit('cb-c', 'Chi bộ Thanh tra', 'missing')])),
    );
    expect(t).toContain('Chưa có đơn vị nào nộp báo cáo.');
    expect(t).toContain('Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo): 0,0% (0/1)');
  });
});
