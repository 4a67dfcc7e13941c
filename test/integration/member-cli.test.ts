/**
 * `baocao member add | remove | list` against a running local stack (the real executable, as a
 * user runs it): the configured address as the first admin, an invitation e-mailed, a role
 * changed by adding again, the last admin kept, and bad input refused in one Vietnamese line with
 * nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { listMembers } from '#shared/committee/members.ts';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';

const OFFICE = 'vanphong@demo.baocao.example';
const WATCHER = 'bithu@demo.baocao.example';

describe('baocao member', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  const members = async () =>
    (await listMembers(createMemberDeps(stack.runtime))).map((m) => `${m.email} ${m.role}`);

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('lists the configured address as the first admin', async () => {
    // Act
    const json = await runCli(['member', 'list', '--json'], env);
    const human = await runCli(['member', 'list'], env);
    // Assess
    expect(json.code).toBe(0);
    expect(json.json()).toEqual({
      members: [{ email: OFFICE, role: 'admin', addedBy: 'COMMITTEE_EMAILS', addedAt: expect.any(String) }],
    });
    expect(human.stdout).toMatch(
      /^1 thành viên \(1 quản trị, 0 theo dõi\):\n {2}vanphong@demo\.baocao\.example {2}quản trị {2}thêm \d\d\/\d\d\/\d{4} \d\d:\d\d bởi cấu hình ban đầu \(COMMITTEE_EMAILS\)\n$/,
    );
  });

  it('adds a viewer by its Vietnamese role name and e-mails the invitation', async () => {
    // Act
    const r = await runCli(['member', 'add', WATCHER, '--role', 'theo-doi'], env);
    // Assess
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Đã thêm ${WATCHER} với vai trò theo dõi và gửi thư mời.\n`);
    const mail = (await storedEmails(stack.mailUrl)).find((m) => m.destination.to.includes(WATCHER));
    expect(mail?.subject).toMatch(/^\[baocao\] Mời tham gia trang quản lý báo cáo của /);
    expect(mail?.body.text).toContain(`${stack.appUrl}/admin/sign-in`);
    expect(await members()).toEqual([`${OFFICE} admin`, `${WATCHER} viewer`]);
  });

  it('changes the role of an address that is a member already, and says when nothing changed', async () => {
    // Act
    const promoted = await runCli(['member', 'add', WATCHER, '--role', 'admin', '--json'], env);
    const same = await runCli(['member', 'add', WATCHER, '--role', 'quan-tri'], env);
    // Assess
    expect(promoted.json()).toMatchObject({
      member: { email: WATCHER, role: 'admin' },
      created: false,
      changed: true,
      invited: false,
    });
    expect(same.stdout).toBe(`${WATCHER} đã là thành viên với vai trò quản trị; không có gì thay đổi.\n`);
  });

  it('adds without an invitation with --no-mail', async () => {
    const before = (await storedEmails(stack.mailUrl)).length;
    const r = await runCli(
      ['member', 'add', 'lang.le@demo.baocao.example', '--role', 'viewer', '--no-mail'],
      env,
    );
    expect(r.stdout).toBe('Đã thêm lang.le@demo.baocao.example với vai trò theo dõi (không gửi thư mời).\n');
    expect((await storedEmails(stack.mailUrl)).length).toBe(before);
  });

  it('removes members, but never the last admin', async () => {
    // Act
    const office = await runCli(['member', 'remove', OFFICE], env);
    const last = await runCli(['member', 'remove', WATCHER, '--json'], env);
    // Assess
    expect(office.stdout).toBe(`Đã xóa ${OFFICE} (quản trị) khỏi danh sách thành viên.\n`);
    expect(last.code).toBe(1);
    expect(last.stderr).toBe(
      `baocao: ${WATCHER} là quản trị cuối cùng: không thể xóa hoặc chuyển sang theo dõi. Hãy giao vai trò quản trị cho một thành viên khác trước.\n`,
    );
    expect((last.json() as { error: { code: string } }).error.code).toBe('CONFLICT');
    expect(await members()).toEqual([`${WATCHER} admin`, 'lang.le@demo.baocao.example viewer']);
  });

  it.each([
    [
      'a name, not an address',
      ['member', 'add', 'không-phải-email', '--role', 'admin'],
      /^baocao: Địa chỉ e-mail không hợp lệ\. /,
    ],
    [
      'a formula',
      ['member', 'add', '=cmd|x@y.vn', '--role', 'admin'],
      /^baocao: Địa chỉ e-mail không hợp lệ\. /,
    ],
    [
      'an address of 305 characters',
      ['member', 'add', `${'a'.repeat(300)}@x.vn`, '--role', 'admin'],
      /^baocao: Địa chỉ e-mail không hợp lệ\. /,
    ],
    [
      'an unknown role',
      ['member', 'add', 'moi@example.org', '--role', 'root'],
      /^baocao: Vai trò phải là "quản trị" \(admin, quan-tri\)/,
    ],
    ['no role', ['member', 'add', 'moi@example.org'], /^baocao: thiếu tùy chọn bắt buộc --role <vai-trò>/],
    [
      'an address that is no member',
      ['member', 'remove', 'ke.la@example.org'],
      /^baocao: ke\.la@example\.org không phải là thành viên\.\n$/,
    ],
  ])('refuses %s in one Vietnamese line and changes nothing', async (_name, args, message) => {
    // Prepare
    const before = await members();
    // Act
    const r = await runCli(args, env);
    // Assess
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(await members()).toEqual(before);
  });

  it('explains itself in Vietnamese', async () => {
    const help = await runCli(['member', '--help'], env);
    expect(help.stdout).toContain('thêm một thành viên với vai trò');
    expect(help.stdout).toContain('xóa một thành viên');
    expect(help.stdout).toContain('danh sách thành viên và vai trò');
  });
});
