/**
 * The sign-in e-mail names the committee(s) of the person it goes to (docs/tenancy.md), as the
 * mailer found them at send time (`data.committees`), never the deployment's first committee that
 * queued it: one committee is named in the text and the signature; several are listed with a
 * neutral wording and no committee signs.
 */
import { describe, expect, it } from 'vitest';
import { type MailMessage, parseMailMessage } from '#shared/domain/mail-message.ts';
import { deliverMail, type MailDeps } from '#shared/mail/deliver-mail.ts';
import { renderMail } from '#shared/mail/templates.ts';
import { ManualClock } from '#test/support/memory/clock.ts';
import { MemoryDeliveryStore } from '#test/support/memory/delivery-store.ts';
import { CapturingMailSender } from '#test/support/memory/mail.ts';
import { MemoryTable } from '#test/support/memory/table.ts';

const FIRST = 'Đảng ủy Sở Thông tin và Truyền thông';

function signIn(committees?: string[]): MailMessage {
  return parseMailMessage({
    template: 'sign-in',
    key: 'auth#0#committee#sign-in-0123456789abcdef',
    planId: 'auth',
    year: 0,
    unitId: 'committee',
    to: ['bithu@xaydung.example.vn'],
    data: {
      planNumber: 'baocao',
      planTitle: FIRST,
      unitName: FIRST,
      signInUrl: 'https://baocao.example.vn/admin/sign-in/abc',
      validMinutes: 15,
      ...(committees ? { committees } : {}),
    },
  });
}

describe('the sign-in e-mail', () => {
  it('names the one committee of the person, in the text and the signature', () => {
    const mail = renderMail(signIn(['Đảng ủy Sở Xây dựng']), FIRST);
    expect(mail.text).toContain('Có yêu cầu đăng nhập trang quản lý báo cáo của Đảng ủy Sở Xây dựng');
    expect(mail.text).toContain('Đảng ủy Sở Xây dựng\n(Thư gửi tự động');
    expect(mail.text).not.toContain(FIRST);
    expect(mail.html).not.toContain(FIRST);
  });

  it('lists several committees in neutral words, signed by none, the chooser to follow', () => {
    const mail = renderMail(signIn([FIRST, 'Đảng ủy Sở Xây dựng']), FIRST);
    expect(mail.text).toContain(
      'Có yêu cầu đăng nhập trang quản lý báo cáo bằng địa chỉ này. Địa chỉ này là thành viên của 2 cấp ủy:',
    );
    expect(mail.text).toContain(`- ${FIRST}`);
    expect(mail.text).toContain('- Đảng ủy Sở Xây dựng');
    expect(mail.text).toContain('chọn cấp ủy để làm việc');
    expect(mail.text).toMatch(/\n\n\(Thư gửi tự động/);
    expect(mail.html).toContain('<li>Đảng ủy Sở Xây dựng</li>');
  });

  it('keeps its former wording when queued and sent without the committees (a deployment of one)', () => {
    const mail = renderMail(signIn(), FIRST);
    expect(mail.text).toContain(`Có yêu cầu đăng nhập trang quản lý báo cáo của ${FIRST} bằng địa chỉ này.`);
    expect(mail.text).toContain(`${FIRST}\n(Thư gửi tự động`);
  });

  it('refuses a message with too many committees (a bound on what the queue carries)', () => {
    expect(() => signIn(Array.from({ length: 51 }, (_, i) => `Đảng ủy ${i}`))).toThrow();
  });

  it('is sent by the mailer with the committees it finds, and not at all when it finds none', async () => {
    // Arrange
    const clock = new ManualClock('2026-12-07T02:00:00Z');
    const sender = new CapturingMailSender(clock);
    const found: Record<string, string[]> = { 'bithu@xaydung.example.vn': ['Đảng ủy Sở Xây dựng'] };
    const deps: MailDeps = {
      deliveries: new MemoryDeliveryStore(new MemoryTable('submissions')),
      sender,
      clock,
      from: 'baocao@example.vn',
      committeeName: FIRST,
      signInCommittees: async (email) => found[email] ?? [],
    };
    const stranger = { ...signIn(), key: 'auth#0#committee#sign-in-ffffffffffffffff', to: ['la@example.vn'] };
    // Act
    const sent = await deliverMail(deps, signIn(), 'm-1');
    const skipped = await deliverMail(deps, stranger, 'm-2');
    // Assess
    expect([sent, skipped]).toEqual(['sent', 'skipped']);
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.mail.text).toContain('trang quản lý báo cáo của Đảng ủy Sở Xây dựng');
    expect(sender.sent[0]!.mail.text).not.toContain(FIRST);
  });
});
