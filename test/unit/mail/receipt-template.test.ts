import { describe, expect, it } from 'vitest';
import { type MailMessage, parseMailMessage } from '#shared/domain/mail-message.ts';
import { renderMail } from '#shared/mail/templates.ts';

function receipt(timeZone: string): MailMessage {
  return parseMailMessage({
    template: 'receipt',
    key: '30-kh-duk-2022#2026#cb-a#receipt-2',
    planId: '30-kh-duk-2022',
    year: 2026,
    unitId: 'cb-a',
    to: ['cb.a@example.org'],
    data: {
      planNumber: '30-KH/ĐUK',
      planTitle: 'Đổi mới công tác tư tưởng',
      unitName: 'Chi bộ Văn phòng',
      version: 2,
      files: [{ fileName: 'Báo cáo.pdf', size: 2048, sha256: 'a'.repeat(64) }],
      rejected: [],
      receivedAt: '2026-12-10T02:05:00.000Z',
      onTime: true,
      deadline: '2026-12-15',
      timeZone,
    },
  });
}

describe('the receipt e-mail', () => {
  it('addresses the unit as the other e-mails do and gives the time in Vietnam’s time', () => {
    const mail = renderMail(receipt('Asia/Ho_Chi_Minh'), 'Đảng ủy Khối');
    expect(mail.text).toContain('Kính gửi: Chi bộ Văn phòng');
    expect(mail.text).toContain(
      'Văn phòng Đảng ủy đã nhận báo cáo năm 2026 của đơn vị theo Kế hoạch số 30-KH/ĐUK (lần nộp số 2).',
    );
    expect(mail.text).toMatch(/Thời điểm nhận \(giờ Việt Nam\)\s*:?\s*10\/12\/2026 09:05/);
    expect(mail.text).not.toContain('máy chủ');
    expect(mail.html).toContain('giờ Việt Nam');
  });

  it('names another zone when the committee is elsewhere', () => {
    const mail = renderMail(receipt('Europe/Paris'), 'Đảng ủy Khối');
    expect(mail.text).toMatch(/Thời điểm nhận \(giờ theo múi Europe\/Paris\)\s*:?\s*10\/12\/2026 03:05/);
  });
});
