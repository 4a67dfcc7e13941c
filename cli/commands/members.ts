/**
 * The member commands of `baocao`: `member add`, `member remove`, `member list` — the committee's
 * members and their roles, as on the web app's members page (shared/committee/members.ts: the
 * configured addresses are the first admins, the last admin cannot go). Registered on the program
 * of cli/main.ts, with its global `--json` and `--stage` options.
 *
 * `--json` prints `{member, created, changed, invited}` (add), `{removed}` (remove) and
 * `{members}` (list); each member is `{email, role: "admin" | "viewer", addedBy, addedAt}` with
 * `addedAt` an ISO-8601 instant.
 */
import type { Command } from 'commander';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import {
  addedByLabel,
  CLI_ADDED_BY,
  changeMemberRole,
  findMember,
  inviteMember,
  listMembers,
  parseMemberEmail,
  parseRole,
  removeMember,
} from '#shared/committee/members.ts';
import type { Member } from '#shared/committee/ports.ts';
import { formatDateTimeVi } from '#shared/domain/calendar.ts';
import { ROLE_LABELS } from '#shared/domain/member-role.ts';
import { connect } from '../connect.ts';
import { withLocalMailQueue } from '../local-mail.ts';
import { globals, out, subcommand } from '../output.ts';

/** Adds `member add`, `member remove` and `member list` to the program. */
export function registerMemberCommands(program: Command): void {
  const member = subcommand(program, 'member');

  member
    .command('add')
    .argument('<e-mail>', 'địa chỉ e-mail của thành viên')
    .requiredOption(
      '--role <vai-trò>',
      'vai trò: admin hoặc quan-tri (quản trị: mọi thao tác), viewer hoặc theo-doi (theo dõi: chỉ xem và tải xuống)',
    )
    .option('--no-mail', 'không gửi thư mời cho thành viên mới')
    .description(
      'thêm một thành viên với vai trò và gửi thư mời; nếu địa chỉ đã là thành viên thì đổi vai trò (không hạ được quản trị cuối cùng)',
    )
    .action(async (rawEmail: string, opts: { role: string; mail: boolean }, cmd: Command) => {
      // Bad input is refused before anything is read or written.
      const email = parseMemberEmail(rawEmail);
      const role = parseRole(opts.role);
      const connection = await connect(globals(cmd));
      const { result, deadLetters } = await withLocalMailQueue(connection, async (runtime) => {
        const deps = createMemberDeps(runtime);
        if (await findMember(deps, email)) {
          const { member: m, changed } = await changeMemberRole(deps, email, role);
          return { member: m, created: false, changed, invited: false };
        }
        const m = await inviteMember(deps, { email, role }, CLI_ADDED_BY, { notify: opts.mail });
        return { member: m, created: true, changed: true, invited: opts.mail };
      });
      out(cmd, result, () => describeAdd(result));
      if (deadLetters > 0) {
        throw new Error(
          `đã thêm ${email} nhưng không gửi được thư mời; thành viên vẫn đăng nhập được ở trang đăng nhập`,
        );
      }
    });

  member
    .command('remove')
    .argument('<e-mail>', 'địa chỉ e-mail của thành viên')
    .description(
      'xóa một thành viên: địa chỉ này không đăng nhập được nữa (không xóa được quản trị cuối cùng)',
    )
    .action(async (rawEmail: string, _opts, cmd: Command) => {
      const email = parseMemberEmail(rawEmail);
      const { runtime } = await connect(globals(cmd));
      const removed = await removeMember(createMemberDeps(runtime), email);
      out(
        cmd,
        { removed },
        () => `Đã xóa ${removed.email} (${ROLE_LABELS[removed.role]}) khỏi danh sách thành viên.`,
      );
    });

  member
    .command('list')
    .description('danh sách thành viên và vai trò (quản trị, theo dõi)')
    .action(async (_opts, cmd: Command) => {
      const { runtime, deps } = await connect(globals(cmd));
      const members = await listMembers(createMemberDeps(runtime));
      out(cmd, { members }, () => describeList(members, deps.settings.timeZone));
    });
}

function describeAdd(r: { member: Member; created: boolean; changed: boolean; invited: boolean }): string {
  const { email, role } = r.member;
  if (r.created) {
    return `Đã thêm ${email} với vai trò ${ROLE_LABELS[role]}${r.invited ? ' và gửi thư mời' : ' (không gửi thư mời)'}.`;
  }
  return r.changed
    ? `${email} đã là thành viên: đã đổi vai trò thành ${ROLE_LABELS[role]}.`
    : `${email} đã là thành viên với vai trò ${ROLE_LABELS[role]}; không có gì thay đổi.`;
}

function describeList(members: Member[], timeZone: string): string {
  if (members.length === 0) {
    return 'Chưa có thành viên nào. Thêm quản trị đầu tiên: baocao member add EMAIL --role quan-tri';
  }
  const admins = members.filter((m) => m.role === 'admin').length;
  const width = Math.max(...members.map((m) => m.email.length));
  return [
    `${members.length} thành viên (${admins} quản trị, ${members.length - admins} theo dõi):`,
    ...members.map(
      (m) =>
        `  ${m.email.padEnd(width)}  ${ROLE_LABELS[m.role].padEnd(8)}  thêm ${m.addedAt ? formatDateTimeVi(new Date(m.addedAt), timeZone) : '—'} bởi ${addedByLabel(m.addedBy)}`,
    ),
  ].join('\n');
}
