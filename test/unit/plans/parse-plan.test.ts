import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedPlan } from '#shared/domain/plan.ts';
import { PlanDocumentError } from '#shared/errors.ts';
import { parsePlanText } from '#shared/plans/parse-plan.ts';

const FIXTURES = new URL('../../fixtures/plans/', import.meta.url);

/** A fixture as the importer would receive it: raw text, BOM and CRLF included. */
function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** Runs the parser expecting rejection; returns the error. */
function rejectionOf(text: string): PlanDocumentError {
  try {
    parsePlanText(text);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanDocumentError);
    return error as PlanDocumentError;
  }
  throw new Error('expected a PlanDocumentError');
}

/** A small well-formed plan; each test swaps in the part it is about. */
function plan(parts: { header?: string; title?: string; preamble?: string; closing?: string } = {}): string {
  return [
    parts.header ?? 'ĐẢNG ỦY SỞ XÂY DỰNG\n*\nSố 05-KH/ĐU\nPhan Thiết, ngày 01 tháng 6 năm 2024',
    'KẾ HOẠCH',
    parts.title ?? 'Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2024',
    parts.preamble ?? 'Đảng ủy Sở xây dựng kế hoạch như sau:',
    'I. NHIỆM VỤ, GIẢI PHÁP',
    '1. Tổ chức học tập chuyên đề năm 2024',
    '- Các chi bộ tổ chức học tập chuyên đề trong quý II.',
    'II. TỔ CHỨC THỰC HIỆN',
    parts.closing ?? 'Định kỳ hàng năm báo cáo kết quả về Đảng ủy Sở.',
  ].join('\n\n');
}

describe('parsePlanText — plan fixtures', () => {
  it('reads a plan with BOM, CRLF, an issuing body header and a two-line title', () => {
    // Prepare
    const text = fixture('ke-hoach-chuyen-doi-so.txt');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n');
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed).toEqual<ParsedPlan>({
      number: '15-KH/ĐU',
      date: '2022-03-22',
      title: 'Lãnh đạo thực hiện chuyển đổi số trong các chi bộ trực thuộc giai đoạn 2022 - 2025',
      issuer: 'Đảng ủy Sở Thông tin và Truyền thông',
      superior: { number: '08-KH/ĐUK', date: '2022-01-10' },
      taskGroups: [
        {
          number: '1',
          title: 'Tăng cường công tác tuyên truyền, nâng cao nhận thức về chuyển đổi số',
          body:
            '- Các chi bộ đưa nội dung chuyển đổi số vào sinh hoạt chuyên đề ít nhất một lần trong năm.\n' +
            '- Phát huy vai trò của đoàn viên thanh niên trong việc hướng dẫn đảng viên sử dụng các ứng dụng số.',
        },
        {
          number: '2',
          title: 'Ứng dụng công nghệ thông tin trong lãnh đạo, chỉ đạo và sinh hoạt chi bộ',
          body:
            '- Sử dụng phần mềm quản lý văn bản và hồ sơ công việc trong toàn Đảng bộ; từng bước gửi, nhận văn bản điện tử có chữ ký số.\n' +
            '- Thí điểm sinh hoạt chi bộ kết hợp trực tuyến tại các chi bộ có đảng viên công tác ở xa.',
        },
        {
          number: '3',
          title: 'Bảo đảm an toàn, an ninh thông tin và bảo vệ bí mật nhà nước',
          body: '- Không soạn thảo, lưu trữ tài liệu mật trên máy tính có kết nối Internet.',
        },
        {
          number: '4',
          title: 'Kiểm tra, giám sát và sơ kết việc thực hiện.',
          body: '- Đưa nội dung chuyển đổi số vào chương trình kiểm tra, giám sát hằng năm của Đảng ủy.',
        },
      ],
      recipients: [
        'Ban Thường vụ Đảng ủy Khối (b/c)',
        'Các chi bộ trực thuộc',
        'Công đoàn Sở',
        'Đoàn Thanh niên Sở',
        'Lưu VP Đảng ủy',
      ],
      reportingFrequency: 'yearly',
    });
  });

  it('re-joins sentences and words split by page breaks and drops emphasis, stray stars, tabs and NBSP', () => {
    // Prepare
    const text = fixture('ke-hoach-phong-chong-tham-nhung.txt');
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed).toEqual<ParsedPlan>({
      number: '07-KH/ĐU',
      date: '2023-04-05',
      title: 'Phòng, chống tham nhũng, tiêu cực trong cơ quan năm 2023',
      issuer: 'Đảng ủy Sở Tư pháp',
      // The Chỉ thị the preamble bases the plan on ("Căn cứ Chỉ thị số 27-CT/TW …").
      superior: { number: '27-CT/TW', date: '2019-01-10' },
      taskGroups: [
        {
          number: '1',
          title: 'Tăng cường giáo dục chính trị, tư tưởng, đạo đức cho cán bộ, đảng viên',
          body:
            '- Tổ chức quán triệt các văn bản của Trung ương về phòng, chống tham nhũng, tiêu cực; đưa nội dung này vào sinh hoạt chi bộ thường kỳ ít nhất một lần mỗi quý, gắn với việc thực hiện các quy định về những điều đảng viên không được làm.\n' +
            '- Phát huy vai trò nêu gương của người đứng đầu, cán bộ lãnh đạo, quản lý.',
        },
        {
          number: '2',
          title: 'Công khai, minh bạch trong hoạt động của cơ quan',
          body: '- Thực hiện công khai tài chính, mua sắm tài sản công, công tác tổ chức cán bộ theo đúng quy định; kiểm soát việc kê khai tài sản, thu nhập của người có chức vụ, quyền hạn và việc chuyển đổi vị trí công tác để phòng ngừa tham nhũng.',
        },
        {
          number: '3',
          title: 'Nâng cao hiệu quả kiểm tra, giám sát',
          body:
            '- Ủy ban Kiểm tra Đảng ủy tập trung kiểm tra, giám sát tổ chức đảng và đảng viên trong thực hiện chính sách, pháp luật ở những lĩnh vực dễ phát sinh tham nhũng, tiêu cực.\n' +
            '- Kịp thời tiếp nhận, xử lý đơn thư phản ánh, tố cáo; bảo vệ người phát hiện, tố giác hành vi tham nhũng.',
        },
        {
          number: '4',
          title: 'Xử lý nghiêm cán bộ, đảng viên vi phạm',
          body: '- “Không có vùng cấm, không có ngoại lệ”; kết quả xử lý được thông báo công khai trong chi bộ.',
        },
      ],
      recipients: [
        'Ban Thường vụ Đảng ủy Khối',
        'Ủy ban Kiểm tra Đảng ủy',
        'Các chi bộ trực thuộc',
        'Lưu: VP',
      ],
      reportingFrequency: 'yearly',
    });
  });

  it('reads "a)" … "đ)" task groups under an Arabic section and leaves a blank issue date null', () => {
    // Prepare
    const text = fixture('ke-hoach-phat-trien-dang-vien.txt');
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed).toEqual<ParsedPlan>({
      number: '21-KH/CB',
      date: null,
      title: 'Tạo nguồn và phát triển đảng viên năm 2023',
      issuer: 'Chi bộ Văn phòng Sở',
      superior: { number: '45-KH/ĐU', date: '2023-02-15' },
      taskGroups: [
        {
          number: 'a',
          title: 'Rà soát, lập danh sách quần chúng ưu tú',
          body: 'Hằng quý, chi ủy rà soát đội ngũ công chức, người lao động trong Văn phòng Sở để lựa chọn quần chúng có triển vọng.',
        },
        {
          number: 'b',
          title: 'Phân công đảng viên chính thức giúp đỡ quần chúng',
          body: 'Mỗi quần chúng trong danh sách được một đảng viên chính thức theo dõi, giúp đỡ và nhận xét định kỳ.',
        },
        {
          number: 'c',
          title: 'Cử quần chúng đi học lớp bồi dưỡng nhận thức về Đảng',
          body: 'Phối hợp với Trung tâm Chính trị cử quần chúng tham gia lớp học theo kế hoạch.',
        },
        {
          number: 'd',
          title:
            'Phối hợp với Công đoàn và Chi đoàn thanh niên giới thiệu đoàn viên ưu tú cho Đảng xem xét, kết nạp',
          body: 'Công đoàn và Chi đoàn thanh niên lấy ý kiến nhận xét của tổ chức mình trước khi giới thiệu.',
        },
        {
          number: 'đ',
          title: 'Thẩm tra lý lịch và hoàn thiện hồ sơ kết nạp đúng quy định',
          body: 'Chi ủy phân công đồng chí chi ủy viên thẩm tra lý lịch, bảo đảm đúng thời hạn.',
        },
      ],
      recipients: ['Đảng ủy Sở (b/c)', 'Đảng viên trong chi bộ', 'Lưu: CB'],
      reportingFrequency: 'yearly',
    });
  });

  it('reads unnumbered all-caps sections, "1)" task groups and the issuer from the signature block', () => {
    // Prepare
    const text = fixture('ke-hoach-cong-doan.txt');
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed).toEqual<ParsedPlan>({
      number: '52-KH/ĐU',
      date: '2023-11-09',
      title:
        'Tăng cường sự lãnh đạo của Đảng đối với tổ chức và hoạt động của Công đoàn cơ sở Sở Giáo dục và Đào tạo',
      issuer: 'Ban Thường vụ Đảng ủy Sở Giáo dục và Đào tạo',
      superior: null,
      taskGroups: [
        {
          number: '1',
          title: 'Đổi mới nội dung, phương thức lãnh đạo của cấp ủy đối với công đoàn',
          body: 'Cấp ủy sáu tháng một lần nghe Ban Chấp hành Công đoàn báo cáo tình hình tư tưởng, đời sống của đoàn viên.',
        },
        {
          number: '2',
          title: 'Chăm lo đời sống, bảo vệ quyền và lợi ích hợp pháp của đoàn viên',
          body:
            '- Phối hợp với thủ trưởng cơ quan tổ chức Hội nghị cán bộ, công chức, viên chức đúng quy định.\n' +
            '- Vận động đoàn viên tham gia quỹ tương trợ, hỗ trợ đoàn viên có hoàn cảnh khó khăn.',
        },
        {
          number: '3',
          title: 'Đẩy mạnh các phong trào thi đua yêu nước',
          body: '- Gắn phong trào “Giỏi việc nước, đảm việc nhà” với nhiệm vụ chuyên môn của từng đơn vị.',
        },
        {
          number: '4',
          title: 'Giới thiệu đoàn viên công đoàn ưu tú để Đảng xem xét, bồi dưỡng, kết nạp',
          body: '- Mỗi năm giới thiệu ít nhất hai đoàn viên ưu tú cho chi bộ.',
        },
      ],
      recipients: ['Ban Thường vụ Công đoàn ngành', 'Ban Chấp hành Công đoàn cơ sở', 'Lưu: VP'],
      reportingFrequency: 'yearly',
    });
  });

  it('reads a plan without blank lines and keeps "a)" items inside an Arabic task group body', () => {
    // Prepare
    const text = fixture('ke-hoach-van-hoa.txt');
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed).toEqual<ParsedPlan>({
      number: '33-KH/ĐU',
      date: '2023-08-15',
      title: 'Xây dựng môi trường văn hóa trong cơ quan, đơn vị',
      issuer: 'Đảng ủy Sở Văn hóa, Thể thao và Du lịch',
      superior: { number: '27-KH/ĐUK', date: '2023-07-20' },
      taskGroups: [
        {
          number: '1',
          title: 'Xây dựng văn hóa công sở',
          body:
            'a) Thực hiện nghiêm quy tắc ứng xử của cán bộ, công chức, viên chức.\n' +
            'b) Giữ gìn cảnh quan cơ quan xanh, sạch, đẹp; không hút thuốc lá nơi làm việc.',
        },
        {
          number: '2',
          title: 'Gìn giữ và phát huy giá trị di sản văn hóa',
          body: '- Tổ chức cho đảng viên tham quan, tìm hiểu các di tích lịch sử cách mạng trên địa bàn tỉnh.',
        },
        {
          number: '3',
          title: 'Phát triển phong trào văn nghệ, thể thao quần chúng',
          body: '- Mỗi chi bộ duy trì ít nhất một câu lạc bộ văn nghệ hoặc thể thao.',
        },
      ],
      recipients: ['Đảng ủy Khối (b/c)', 'Các chi bộ trực thuộc', 'Lưu: VP'],
      reportingFrequency: 'yearly',
    });
  });

  it('reads mixed "I-"/"II."/"1."/"2-" numbering, a wrapped header and recipients beside the signature', () => {
    // Prepare
    const text = fixture('ke-hoach-xay-dung-chi-bo.txt');
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed).toEqual<ParsedPlan>({
      number: '19-KH/ĐU',
      date: '2021-08-03',
      title:
        'Nâng cao chất lượng sinh hoạt chi bộ Đảng bộ Sở Nông nghiệp và Phát triển nông thôn nhiệm kỳ 2020 - 2025',
      issuer: 'Đảng ủy Sở Nông nghiệp và Phát triển nông thôn',
      superior: { number: '112-KH/ĐUK', date: '2021-06-15' },
      taskGroups: [
        {
          number: '1',
          title: 'Đổi mới nội dung sinh hoạt chi bộ thường kỳ',
          body: '- Nội dung sinh hoạt tập trung vào những vấn đề thiết thực, tránh chung chung; tăng cường sự lãnh đạo của Đảng ủy đối với việc chuẩn bị nội dung sinh hoạt.',
        },
        {
          number: '2',
          title: 'Nâng cao chất lượng sinh hoạt chuyên đề, gắn với nhiệm vụ chính trị của cơ quan',
          body: '- Mỗi quý ít nhất một lần sinh hoạt chuyên đề; chủ đề do chi ủy lựa chọn.',
        },
        {
          number: '3',
          title: 'Phát huy trách nhiệm của bí thư chi bộ',
          body: '- Bí thư chi bộ chuẩn bị chu đáo nội dung, điều hành sinh hoạt dân chủ, tạo không khí cởi mở.',
        },
      ],
      recipients: ['Ban Thường vụ Đảng ủy Khối', 'Các chi bộ trực thuộc', 'Lưu: VP, ĐU'],
      reportingFrequency: 'yearly',
    });
  });
});

describe('parsePlanText — text variants', () => {
  it('gives the same plan for decomposed (NFD) Vietnamese text', () => {
    // Prepare
    const text = fixture('ke-hoach-phong-chong-tham-nhung.txt');
    const decomposed = text.normalize('NFD');
    expect(decomposed).not.toBe(text);
    // Act
    const parsed = parsePlanText(decomposed);
    // Assess
    expect(parsed).toEqual(parsePlanText(text));
  });

  it('gives the same plan for old Mac CR line ends', () => {
    // Prepare
    const text = fixture('ke-hoach-chuyen-doi-so.txt');
    // Act
    const parsed = parsePlanText(text.replace(/\r\n/g, '\r'));
    // Assess
    expect(parsed).toEqual(parsePlanText(text));
  });

  it.each([
    ['Số: 12 -KH/ĐU', '12-KH/ĐU'],
    ['Số 12 - KH / ĐU', '12-KH/ĐU'],
    ['Số:12-KH/ĐUK', '12-KH/ĐUK'],
    ['*\tSố: 45/KH-UBND', '45/KH-UBND'],
  ])('normalises the plan number "%s" to "%s"', (line, expected) => {
    // Prepare
    const text = plan({ header: `ĐẢNG ỦY SỞ XÂY DỰNG\n${line}` });
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed.number).toBe(expected);
  });

  it.each([
    ['Phan Thiết, ngày 22 tháng 3 năm 2022', '2022-03-22'],
    ['Phan Thiết, ngày 22/3/2022', '2022-03-22'],
    ['Phan Thiết, 22-03-2022', '2022-03-22'],
    ['Phan Thiết, ngày 31/02/2022', null],
    ['Phan Thiết, ngày     tháng     năm 2022', null],
  ])('reads the issue date "%s" as %s', (line, expected) => {
    // Prepare
    const text = plan({ header: `ĐẢNG ỦY SỞ XÂY DỰNG\nSố 05-KH/ĐU\t\t${line}` });
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed.date).toBe(expected);
  });

  it('does not take a date from the body as the issue date', () => {
    // Prepare
    const text = plan({
      header: 'ĐẢNG ỦY SỞ XÂY DỰNG\nSố 05-KH/ĐU',
      preamble:
        'Thực hiện Kế hoạch số 11-KH/ĐUK ngày 10/5/2024 của Đảng ủy Khối, Đảng ủy Sở xây dựng kế hoạch:',
    });
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed.date).toBeNull();
    expect(parsed.superior).toEqual({ number: '11-KH/ĐUK', date: '2024-05-10' });
  });

  it('reads a superior plan named in the title, with or without its date', () => {
    // Prepare
    const withDate = plan({
      title: 'Thực hiện Kế hoạch số 07 -KH/ĐUK ngày 03 tháng 4 năm 2024\ncủa Ban Thường vụ Đảng ủy Khối',
    });
    const withoutDate = plan({ title: 'Thực hiện Kế hoạch số 07-KH/ĐUK của Ban Thường vụ Đảng ủy Khối' });
    // Act
    const first = parsePlanText(withDate);
    const second = parsePlanText(withoutDate);
    // Assess
    expect(first.title).toBe(
      'Thực hiện Kế hoạch số 07 -KH/ĐUK ngày 03 tháng 4 năm 2024 của Ban Thường vụ Đảng ủy Khối',
    );
    expect(first.superior).toEqual({ number: '07-KH/ĐUK', date: '2024-04-03' });
    expect(second.superior).toEqual({ number: '07-KH/ĐUK', date: null });
  });

  it('reads an all-caps title over two lines and the superior plan after it', () => {
    // Prepare
    const text = plan({
      title: 'TẠO NGUỒN, PHÁT TRIỂN ĐẢNG VIÊN\nGIAI ĐOẠN 2024 - 2025',
      preamble: 'Thực hiện Kế hoạch số 03-KH/ĐUK ngày 02/01/2024, Đảng ủy Sở xây dựng kế hoạch như sau:',
    });
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed.title).toBe('TẠO NGUỒN, PHÁT TRIỂN ĐẢNG VIÊN GIAI ĐOẠN 2024 - 2025');
    expect(parsed.superior).toEqual({ number: '03-KH/ĐUK', date: '2024-01-02' });
  });

  it('finds no title when the "KẾ HOẠCH" heading runs straight into the body', () => {
    // Prepare
    const text = plan({ title: 'Đảng ủy Sở xây dựng kế hoạch thực hiện như sau:', preamble: '' });
    // Act
    const error = rejectionOf(text);
    // Assess
    expect(error.missing).toEqual(['tên kế hoạch']);
  });

  it('capitalises an all-caps header issuer that the body never spells out', () => {
    // Prepare
    const text = plan({
      header: 'ĐẢNG BỘ TỈNH BÌNH THUẬN\nĐẢNG ỦY SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\n*\nSố 05-KH/ĐU',
      preamble: 'Để thực hiện tốt nhiệm vụ năm 2024:',
      closing: 'Các chi bộ báo cáo kết quả mỗi năm một lần.',
    });
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed.issuer).toBe('Đảng ủy Sở Lao động - Thương binh và Xã hội');
  });

  it('does not take the "ĐẢNG CỘNG SẢN VIỆT NAM" motto line for part of the issuer', () => {
    // Prepare
    const text = plan({ header: 'ĐẢNG ỦY SỞ Y TẾ\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 05-KH/ĐU' });
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed.issuer).toBe('Đảng ủy Sở Y tế');
  });

  it.each([
    ['Định kỳ hàng năm báo cáo kết quả về Đảng ủy Sở.'],
    ['Hằng năm, các chi bộ báo cáo kết quả thực hiện về Đảng ủy Sở.'],
    ['Mỗi năm một lần, các chi bộ gửi báo cáo về Đảng ủy Sở.'],
    ['Các chi bộ báo cáo kết quả về Đảng ủy Sở 01 lần/năm.'],
  ])('reads a yearly reporting instruction: %s', (closing) => {
    // Prepare
    const text = plan({ closing });
    // Act
    const parsed = parsePlanText(text);
    // Assess
    expect(parsed.reportingFrequency).toBe('yearly');
  });
});

describe('parsePlanText — documents that are not plans', () => {
  it('names the plan number, title, task groups and frequency missing from an ordinary letter', () => {
    // Prepare
    const text = fixture('cong-van-bao-cao.txt');
    // Act
    const error = rejectionOf(text);
    // Assess
    expect(error.code).toBe('PLAN_DOCUMENT_INVALID');
    expect(error.missing).toEqual(['số kế hoạch', 'tên kế hoạch', 'nhiệm vụ', 'định kỳ báo cáo']);
    expect(error.message).toBe(
      'Not a valid plan document: missing plan number, title, task groups, reporting frequency',
    );
    expect(error.userMessage).toBe(
      'Tài liệu không phải là kế hoạch hợp lệ: thiếu số kế hoạch, tên kế hoạch, nhiệm vụ, định kỳ báo cáo',
    );
  });

  it('names the task groups and frequency missing from an event plan', () => {
    // Prepare
    const text = fixture('ke-hoach-to-chuc-hoi-nghi.txt');
    // Act
    const error = rejectionOf(text);
    // Assess
    expect(error.missing).toEqual(['nhiệm vụ', 'định kỳ báo cáo']);
    expect(error.userMessage).toBe('Tài liệu không phải là kế hoạch hợp lệ: thiếu nhiệm vụ, định kỳ báo cáo');
  });

  it('names every part missing from an empty text', () => {
    // Prepare
    const text = fixture('empty.txt');
    // Act
    const error = rejectionOf(text);
    // Assess
    expect(error.missing).toEqual([
      'số kế hoạch',
      'tên kế hoạch',
      'cơ quan ban hành',
      'nhiệm vụ',
      'định kỳ báo cáo',
    ]);
  });

  it('names the issuing body when neither header, signature nor text says who issued the plan', () => {
    // Prepare
    const text = plan({
      header: 'Số 05-KH/ĐU',
      preamble: 'Để thực hiện tốt nhiệm vụ năm 2024:',
      closing: '',
    });
    // Act
    const error = rejectionOf(`${text}\n\nCác chi bộ báo cáo kết quả hằng năm.`);
    // Assess
    expect(error.missing).toEqual(['cơ quan ban hành']);
  });
});
