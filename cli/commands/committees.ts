/**
 * The committee commands of `baocao` (docs/tenancy.md): `committee add`, `committee list`,
 * `committee move` — the committees one deployment serves and their tree, with dates so that a
 * closed period keeps the tree it had. Registered on the program of cli/main.ts.
 *
 * `--json` prints `{committee, admin}` (add), `{committees}` (list: each with `parentId` today)
 * and `{link}` (move: `{committeeId, parentId, from}`).
 */
import type { Command } from 'commander';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { scopeRuntime } from '#functions/wiring/runtime.ts';
import { CLI_ADDED_BY, inviteMember, parseMemberEmail } from '#shared/committee/members.ts';
import { formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { type Committee, parseCommitteeId, parseCommitteeName } from '#shared/tenancy/committee.ts';
import {
  addCommittee,
  findCommittee,
  listCommittees,
  moveCommittee,
  parentOf,
} from '#shared/tenancy/registry.ts';
import { connect } from '../connect.ts';
import { withLocalMailQueue } from '../local-mail.ts';
import { globals, out, subcommand } from '../output.ts';

export function registerCommitteeCommands(program: Command): void {
  const committee = subcommand(program, 'committee');

  committee
    .command('add')
    .argument('<mã>', 'mã cấp ủy: 2–40 ký tự a–z, 0–9, dấu gạch ngang (ví dụ: dus-gtvt)')
    .requiredOption(
      '--name <tên>',
      'tên cấp ủy, như in trên văn bản (ví dụ: "Đảng ủy Sở Giao thông vận tải")',
    )
    .option('--parent <mã>', 'cấp ủy cấp trên trong cùng hệ thống')
    .option('--admin <e-mail>', 'người quản trị đầu tiên (được gửi thư mời)')
    .description('thêm một cấp ủy vào hệ thống (mỗi cấp ủy có kế hoạch, đơn vị, thành viên riêng)')
    .action(async (rawId: string, opts: { name: string; parent?: string; admin?: string }, cmd: Command) => {
      // Bad input is refused before anything is read or written.
      parseCommitteeId(rawId);
      parseCommitteeName(opts.name);
      if (opts.parent !== undefined) parseCommitteeId(opts.parent);
      const admin = opts.admin === undefined ? undefined : parseMemberEmail(opts.admin);
      // The registry is the deployment's: the command works from its base, whatever --committee says.
      const connection = await connect({ stage: globals(cmd).stage, committee: false });
      const registry = createRegistryDeps(connection.base);
      const created = await addCommittee(registry, {
        id: rawId,
        name: opts.name,
        parentId: opts.parent,
        by: CLI_ADDED_BY,
      });
      if (admin !== undefined) {
        const parent = opts.parent === undefined ? undefined : await findCommittee(registry, opts.parent);
        await withLocalMailQueue(
          {
            ...connection,
            runtime: scopeRuntime(connection.base, created, parent?.name),
            rescope: (base) => scopeRuntime(base, created, parent?.name),
          },
          (runtime) =>
            inviteMember(createMemberDeps(runtime), { email: admin, role: 'admin' }, CLI_ADDED_BY, {
              notify: true,
            }),
        );
      }
      out(cmd, { committee: created, admin: admin ?? null }, () =>
        [
          `Đã thêm cấp ủy ${created.id}: ${created.name}${opts.parent ? ` (trực thuộc ${opts.parent})` : ''}.`,
          admin
            ? `Quản trị: ${admin} (đã gửi thư mời).`
            : 'Chưa có quản trị: thêm bằng `baocao member add E-MAIL --role admin --committee ' +
              created.id +
              '`.',
        ].join('\n'),
      );
    });

  committee
    .command('list')
    .description('liệt kê các cấp ủy của hệ thống và cấp trên hiện nay của từng cấp ủy')
    .action(async (_opts, cmd: Command) => {
      const connection = await connect({ stage: globals(cmd).stage, committee: false });
      const registry = createRegistryDeps(connection.base);
      const committees: (Committee & { parentId: string | null })[] = [];
      for (const c of await listCommittees(registry)) {
        const today = localDate(registry.clock.now(), c.timeZone);
        committees.push({ ...c, parentId: await parentOf(registry, c.id, today) });
      }
      out(cmd, { committees }, () =>
        committees.length === 0
          ? 'Chưa có cấp ủy nào.'
          : committees
              .map((c) => `${c.id}\t${c.name}\t${c.parentId ? `trực thuộc ${c.parentId}` : '(cấp cao nhất)'}`)
              .join('\n'),
      );
    });

  committee
    .command('move')
    .argument('<mã>', 'mã cấp ủy được chuyển')
    .requiredOption(
      '--parent <mã>',
      'cấp ủy cấp trên mới ("none" hoặc "khong": không trực thuộc cấp ủy nào trong hệ thống)',
    )
    .requiredOption(
      '--from <ngày>',
      'ngày bắt đầu có hiệu lực (yyyy-mm-dd hoặc dd/mm/yyyy); trước ngày này giữ cấp trên cũ',
    )
    .description(
      'chuyển một cấp ủy về trực thuộc cấp ủy khác từ một ngày (kỳ báo cáo đã qua giữ nguyên cây cũ)',
    )
    .action(async (rawId: string, opts: { parent: string; from: string }, cmd: Command) => {
      const connection = await connect({ stage: globals(cmd).stage, committee: false });
      const registry = createRegistryDeps(connection.base);
      const parentId = opts.parent === 'none' || opts.parent === 'khong' ? null : opts.parent;
      const link = await moveCommittee(registry, { id: rawId, parentId, from: opts.from });
      out(
        cmd,
        { link },
        () =>
          `Từ ngày ${formatDateVi(link.from)}, ${link.committeeId} ${link.parentId ? `trực thuộc ${link.parentId}` : 'không trực thuộc cấp ủy nào trong hệ thống'}.`,
      );
    });
}
