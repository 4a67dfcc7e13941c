import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors.ts';
import { parseUploadRequest } from '#shared/uploads/validate-upload-request.ts';

const LIMITS = { taskGroupNumbers: ['1', '2', '3', '4'], maxBytes: 25 * 1024 * 1024 };
const PDF = 'application/pdf';
const ok = (extra: Record<string, unknown> = {}) => ({
  fileName: 'bao-cao.pdf',
  contentType: PDF,
  size: 1000,
  ...extra,
});

/** The Vietnamese message of the ValidationError the body gets. */
function refusal(body: unknown): string {
  try {
    parseUploadRequest(body, LIMITS);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).userMessage;
  }
  throw new Error('expected a ValidationError');
}

describe('parseUploadRequest', () => {
  it('accepts a plain request and normalises the name', () => {
    // Act
    const request = parseUploadRequest(ok({ fileName: '  Bao cao.PDF ' }), LIMITS);
    // Assess
    expect(request).toEqual({ fileName: 'Bao cao.PDF', extension: 'pdf', contentType: PDF, size: 1000 });
  });

  it.each([
    ['../', '../../etc/passwd.pdf'],
    ['slashes and backslashes', 'a/b\\c.pdf'],
    ['quotes', `Báo cáo "quý 4" 'cuối năm'.pdf`],
    ['emoji', 'Báo cáo 😀👍🏽.pdf'],
    ['Vietnamese diacritics', 'Báo cáo kết quả thực hiện Kế hoạch số 12-KH/ĐUS.pdf'],
    ['HTML', '<script>alert(1)</script>.pdf'],
  ])('accepts a name with %s as data', (_name, fileName) => {
    expect(parseUploadRequest(ok({ fileName }), LIMITS).fileName).toBe(fileName.normalize('NFC'));
  });

  it('stores names in NFC (decomposed diacritics from macOS are composed)', () => {
    const decomposed = 'Báo cáo.pdf'.normalize('NFD');
    expect(parseUploadRequest(ok({ fileName: decomposed }), LIMITS).fileName).toBe(
      'Báo cáo.pdf'.normalize('NFC'),
    );
  });

  it.each([
    ['an empty file', ok({ size: 0 }), 'Tệp rỗng (0 byte): hãy chọn đúng tệp báo cáo.'],
    [
      'a file one byte over the limit',
      ok({ size: LIMITS.maxBytes + 1 }),
      'Tệp vượt giới hạn 25 MB cho mỗi tệp; hãy nén hoặc chia nhỏ tệp.',
    ],
    ['a negative size', ok({ size: -1 }), 'Tệp rỗng (0 byte): hãy chọn đúng tệp báo cáo.'],
    [
      'a fractional size',
      ok({ size: 1.5 }),
      'Thiếu kích thước tệp (size) hoặc kích thước không phải số nguyên byte.',
    ],
    [
      'an .exe',
      ok({ fileName: 'setup.exe', contentType: 'application/octet-stream' }),
      'Không nhận loại tệp .exe. Chỉ nhận các tệp PDF, DOC, DOCX, ODT, XLS, XLSX, ODS, JPG, PNG.',
    ],
    [
      'an .html',
      ok({ fileName: 'trang.html', contentType: 'text/html' }),
      'Không nhận loại tệp .html. Chỉ nhận các tệp PDF, DOC, DOCX, ODT, XLS, XLSX, ODS, JPG, PNG.',
    ],
    [
      'a name without extension',
      ok({ fileName: 'baocao' }),
      'Không nhận loại tệp không có đuôi. Chỉ nhận các tệp PDF, DOC, DOCX, ODT, XLS, XLSX, ODS, JPG, PNG.',
    ],
    [
      'a .pdf declared as text/html',
      ok({ contentType: 'text/html' }),
      'Kiểu tệp khai báo "text/html" không khớp với đuôi .pdf (cần "application/pdf").',
    ],
    [
      'a .pdf declared with an empty type',
      ok({ contentType: '' }),
      'Kiểu tệp khai báo "" không khớp với đuôi .pdf (cần "application/pdf").',
    ],
    [
      'a .pdf declared with parameters',
      ok({ contentType: 'application/pdf; charset=utf-8' }),
      'Kiểu tệp khai báo "application/pdf; charset=utf-8" không khớp với đuôi .pdf (cần "application/pdf").',
    ],
    ['an empty name', ok({ fileName: '   ' }), 'Tên tệp trống.'],
    [
      'a name of 201 characters',
      ok({ fileName: `${'a'.repeat(197)}.pdf` }),
      'Tên tệp dài quá 200 ký tự; hãy đổi tên tệp cho ngắn hơn.',
    ],
    [
      'a name with a control character',
      ok({ fileName: 'bao\u0000cao.pdf' }),
      'Tên tệp chứa ký tự điều khiển không hợp lệ; hãy đổi tên tệp.',
    ],
    [
      'a name with a right-to-left override',
      ok({ fileName: 'bao-cao\u202Efdp.exe.pdf' }),
      'Tên tệp chứa ký tự điều khiển không hợp lệ; hãy đổi tên tệp.',
    ],
    ['an 11th file', ok({ fileCount: 11 }), 'Số tệp của lần nộp (fileCount) phải từ 1 đến 10.'],
    ['zero files', ok({ fileCount: 0 }), 'Số tệp của lần nộp (fileCount) phải từ 1 đến 10.'],
    [
      'notes for an unknown task group',
      ok({ notes: { '1': 'Đã làm', '7': 'Không có nhóm này' } }),
      'Kế hoạch không có nhóm nhiệm vụ "7"; chỉ ghi chú cho các nhóm 1, 2, 3, 4.',
    ],
    [
      'a note over 5000 characters',
      ok({ notes: { '2': 'ệ'.repeat(5001) } }),
      'Ghi chú cho nhóm nhiệm vụ 2 dài quá 5000 ký tự.',
    ],
    [
      'notes over 15,000 characters in all',
      ok({ notes: { '1': 'ệ'.repeat(5000), '2': 'ộ'.repeat(5000), '3': 'ữ'.repeat(5000), '4': 'ặ' } }),
      'Ghi chú của cả lần nộp dài quá 15.000 ký tự (hiện 15.001); hãy rút gọn, phần chi tiết để trong tệp báo cáo.',
    ],
    [
      'a note that is not text',
      ok({ notes: { '1': 5 } }),
      'Ghi chú (notes) phải là văn bản theo số của từng nhóm nhiệm vụ.',
    ],
    [
      'notes with a later file',
      ok({ submission: 3, notes: { '1': 'x' } }),
      'Số tệp và ghi chú chỉ gửi kèm tệp đầu tiên của một lần nộp.',
    ],
    ['submission 0', ok({ submission: 0 }), 'Số lần nộp (submission) phải là số nguyên dương.'],
    ['an unknown field', ok({ path: '/etc' }), 'Trường không được hỗ trợ: path.'],
    [
      'a missing name',
      { contentType: PDF, size: 1 },
      'Thiếu tên tệp (fileName) hoặc tên tệp không phải chuỗi ký tự.',
    ],
    ['an array', [], 'Dữ liệu gửi lên phải là một đối tượng JSON có fileName, contentType và size.'],
    ['null', null, 'Dữ liệu gửi lên phải là một đối tượng JSON có fileName, contentType và size.'],
  ])('refuses %s with a clear Vietnamese message', (_name, body, message) => {
    expect(refusal(body)).toBe(message);
  });

  it('reports every problem at once', () => {
    const message = refusal({ fileName: 'x.exe', contentType: 'a', size: 0 });
    expect(message).toContain('Không nhận loại tệp .exe');
    expect(message).toContain('Tệp rỗng');
  });

  it('accepts the limits themselves: 1 byte, the size limit, 10 files, 5000-character notes', () => {
    expect(parseUploadRequest(ok({ size: 1 }), LIMITS).size).toBe(1);
    expect(parseUploadRequest(ok({ size: LIMITS.maxBytes }), LIMITS).size).toBe(LIMITS.maxBytes);
    expect(parseUploadRequest(ok({ fileCount: 10 }), LIMITS).fileCount).toBe(10);
    const note = 'ệ'.repeat(5000);
    expect(parseUploadRequest(ok({ notes: { '3': note } }), LIMITS).notes).toEqual({ '3': note });
  });

  it('keeps notes as typed, NFC, with CRLF made LF and empty notes dropped', () => {
    const request = parseUploadRequest(ok({ notes: { '1': ' Dòng 1\r\nDòng 2 ', '2': '   ' } }), LIMITS);
    expect(request.notes).toEqual({ '1': 'Dòng 1\nDòng 2' });
  });

  it.each([
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['odt', 'application/vnd.oasis.opendocument.text'],
    ['JPG', 'image/jpeg'],
    ['png', 'image/png'],
  ])('accepts .%s with its exact type', (extension, contentType) => {
    expect(parseUploadRequest(ok({ fileName: `a.${extension}`, contentType }), LIMITS).contentType).toBe(
      contentType,
    );
  });
});
