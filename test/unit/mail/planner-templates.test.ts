import { describe, expect, it } from 'vitest';
import { type MailMessage, parseMailMessage } from '#shared/domain/mail-message.ts';
import { renderMail } from '#shared/mail/templates.ts';

const COMMITTEE = 'Đảng ủy Khối';

function reminder(step: number, extended = false): MailMessage {
  return parseMailMessage({
    template: 'reminder',
    key: `30-kh-duk-2022#2026#cb-a#reminder${step > 0 ? '+' : ''}${step}`,
    planId: '30-kh-duk-2022',
    year: 2026,
    unitId: 'cb-a',
    to: ['cb.a@example.org'],
    data: {
      planNumber: '30-KH/ĐUK',
      planTitle: 'Đổi mới công tác tư tưởng',
      unitName: 'Chi bộ Văn phòng',
      step,
      deadline: extended ? '2026-12-20' : '2026-12-15',
      extended,
      closeDate: '2027-01-14',
      uploadUrl: 'https://baocao.example/u/abc',
    },
  });
}

describe('reminder e-mails', () => {
  it('counts the days left before the deadline in the subject', () => {
    const mail = renderMail(reminder(-7), COMMITTEE);
    expect(mail.subject).toBe('[30-KH/ĐUK] Nhắc hạn nộp báo cáo năm 2026 — còn 7 ngày');
    expect(mail.text).toContain('Hạn nộp là ngày 15/12/2026, còn 7 ngày.');
    expect(mail.text).toContain('Mở trang nộp báo cáo: https://baocao.example/u/abc');
    expect(mail.html).toContain('href="https://baocao.example/u/abc"');
  });

  it('says how many days overdue after the deadline', () => {
    const mail = renderMail(reminder(1), COMMITTEE);
    expect(mail.subject).toBe('[30-KH/ĐUK] Nhắc nộp báo cáo năm 2026 — đã quá hạn 1 ngày');
    expect(mail.text).toContain('đã quá hạn 1 ngày (hạn nộp 15/12/2026)');
    expect(mail.text).toContain('Nhận báo cáo muộn đến hết ngày: 14/01/2027');
  });

  it('names an extended deadline as such', () => {
    expect(renderMail(reminder(-3, true), COMMITTEE).text).toContain('20/12/2026 (đã gia hạn)');
  });

  it('refuses a step of 0', () => {
    expect(() => reminder(0)).toThrow();
  });
});

describe('digest e-mails', () => {
  const digest = parseMailMessage({
    template: 'digest',
    key: '30-kh-duk-2022#2026#committee#digest-2026-12-16',
    planId: '30-kh-duk-2022',
    year: 2026,
    unitId: 'committee',
    to: ['vanphong@example.org'],
    data: {
      planNumber: '30-KH/ĐUK',
      planTitle: 'Đổi mới công tác tư tưởng',
      occasion: 'after_deadline',
      date: '2026-12-16',
      deadline: '2026-12-15',
      closeDate: '2027-01-14',
      timeZone: 'Asia/Ho_Chi_Minh',
      expected: 22,
      onTime: 10,
      late: 2,
      missing: 10,
      missingUnits: [
        { unitId: 'cb-b', unitName: 'Chi bộ B', deadline: '2026-12-15' },
        { unitId: 'cb-c', unitName: 'Chi bộ C', deadline: '2026-12-25' },
      ],
      lateUnits: [{ unitId: 'cb-d', unitName: 'Chi bộ D', submittedAt: '2026-12-16T02:30:00.000Z' }],
      mailProblems: [
        { unitId: 'cb-e', unitName: 'Chi bộ E', problem: 'MessageRejected: Address blacklisted.' },
      ],
      omitted: { missingUnits: 8, lateUnits: 1, mailProblems: 0 },
      dashboardUrl: 'https://baocao.example/admin/plans/30-kh-duk-2022/2026',
    },
  });

  it('gives counts, rates and who is missing or late, in Vietnamese', () => {
    const mail = renderMail(digest, COMMITTEE);
    expect(mail.subject).toBe(
      '[30-KH/ĐUK] Kết quả nộp báo cáo năm 2026 sau hạn 15/12/2026 — 12/22 đơn vị đã nộp',
    );
    expect(mail.text).toContain('Đã nộp: 12 (đúng hạn 10, trễ hạn 2)');
    expect(mail.text).toContain('Tỉ lệ hoàn thành: 54,5%');
    expect(mail.text).toContain('Tỉ lệ đúng hạn: 45,5%');
    expect(mail.text).toContain('- Chi bộ C (cb-c) — gia hạn đến 25/12/2026');
    expect(mail.text).toContain('- … và 8 đơn vị khác');
    expect(mail.text).toContain('- Chi bộ D (cb-d) — nộp lúc 16/12/2026 09:30');
    expect(mail.text).toContain('Chi bộ E (cb-e): MessageRejected: Address blacklisted.');
  });
});
