/**
 * The committee's members as use cases over the in-memory member store
 * (test/support/memory/member-store.ts, held to the DynamoDB adapter by the member store
 * contract): the configured addresses as the first admins, invitations, role changes, removals,
 * the last admin kept even when two admins act at the same moment, and hostile input.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_ADDED_BY,
  changeMemberRole,
  findMember,
  type InviteDeps,
  inviteMember,
  LastAdminError,
  listMembers,
  parseRole,
  removeMember,
} from '#shared/committee/members.ts';
import type { Member } from '#shared/committee/ports.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { MAX_COMMITTEE_MEMBERS } from '#shared/input-limits.ts';
import { renderMail } from '#shared/mail/templates.ts';
import { ManualClock } from '#test/support/memory/clock.ts';
import { MemoryMemberStore } from '#test/support/memory/member-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

const OFFICE = 'vanphong@so.example.vn';
const DEPUTY = 'pho.vanphong@so.example.vn';
const WATCHER = 'bithu@so.example.vn';
const T0 = '2026-11-29T02:00:00.000Z';

describe('committee members', () => {
  let tables: MemoryTables;
  let deps: InviteDeps;
  let mails: MailMessage[];

  const member = (email: string, role: Member['role'], addedBy = OFFICE): Member => ({
    email,
    role,
    addedBy,
    addedAt: T0,
  });
  const stored = () => tables.plans.items().filter((i) => i.pk === 'MEMBERS');

  beforeEach(() => {
    tables = new MemoryTables();
    mails = [];
    deps = {
      members: new MemoryMemberStore(tables.plans),
      clock: new ManualClock(T0),
      committeeEmails: [OFFICE, DEPUTY],
      mail: { enqueue: async (messages) => void mails.push(...messages) },
      committeeName: 'Đảng ủy Sở Tài chính',
      appUrl: 'https://baocao.example.vn',
    };
  });

  describe('the configured addresses (COMMITTEE_EMAILS)', () => {
    it('are the first admins, written into the empty list once when it is first needed', async () => {
      // Act
      const first = await listMembers(deps);
      const again = await Promise.all([listMembers(deps), listMembers(deps)]);
      // Assess
      expect(first).toEqual([
        member(DEPUTY, 'admin', BOOTSTRAP_ADDED_BY),
        member(OFFICE, 'admin', BOOTSTRAP_ADDED_BY),
      ]);
      expect(again).toEqual([first, first]);
      expect(stored()).toHaveLength(2);
    });

    it('are found by their first sign-in before anyone listed the members', async () => {
      // Act
      const found = await findMember(deps, OFFICE);
      const stranger = await findMember(deps, 'ke.la@example.org');
      // Assess
      expect(found).toEqual(member(OFFICE, 'admin', BOOTSTRAP_ADDED_BY));
      expect(stranger).toBeUndefined();
      expect(stored()).toHaveLength(2);
    });

    it('are no longer members once removed: the list, not the configuration, decides from then on', async () => {
      // Prepare
      await listMembers(deps);
      // Act
      await removeMember(deps, DEPUTY);
      // Assess
      expect(await findMember(deps, DEPUTY)).toBeUndefined();
      expect((await listMembers(deps)).map((m) => m.email)).toEqual([OFFICE]);
    });

    it('leave the list empty when none is configured: the first member must then be an admin', async () => {
      // Prepare
      deps.committeeEmails = [];
      // Act
      const empty = await listMembers(deps);
      const viewerFirst = inviteMember(deps, { email: WATCHER, role: 'viewer' }, 'cli');
      // Assess
      expect(empty).toEqual([]);
      await expect(viewerFirst).rejects.toThrow(ValidationError);
      await expect(viewerFirst).rejects.toMatchObject({
        userMessage: 'Thành viên đầu tiên phải có vai trò quản trị.',
      });
      expect(await inviteMember(deps, { email: WATCHER, role: 'admin' }, 'cli')).toEqual(
        member(WATCHER, 'admin', 'cli'),
      );
    });
  });

  describe('invitations', () => {
    it('add the member with its role and e-mail them the sign-in page, the committee and the role', async () => {
      // Act
      const added = await inviteMember(deps, { email: '  BiThu@So.Example.VN ', role: 'theo-doi' }, OFFICE);
      // Assess
      expect(added).toEqual(member(WATCHER, 'viewer'));
      expect(await findMember(deps, WATCHER)).toEqual(added);
      expect(mails).toHaveLength(1);
      const mail = renderMail(mails[0]!, deps.committeeName);
      expect(mails[0]).toMatchObject({ template: 'member-invite', to: [WATCHER], unitId: 'committee' });
      expect(mail.subject).toBe('[baocao] Mời tham gia trang quản lý báo cáo của Đảng ủy Sở Tài chính');
      expect(mail.text).toContain('với vai trò theo dõi');
      expect(mail.text).toContain('Người mời: vanphong@so.example.vn');
      expect(mail.text).toContain('Mở trang đăng nhập: https://baocao.example.vn/admin/sign-in');
      expect(mail.html).toContain('href="https://baocao.example.vn/admin/sign-in"');
    });

    it('refuse an address that is a member already, and change nothing', async () => {
      // Prepare
      await inviteMember(deps, { email: WATCHER, role: 'viewer' }, OFFICE);
      const before = stored();
      // Act
      const again = inviteMember(deps, { email: WATCHER.toUpperCase(), role: 'admin' }, DEPUTY);
      // Assess
      await expect(again).rejects.toThrow(ConflictError);
      await expect(again).rejects.toMatchObject({ userMessage: `${WATCHER} đã là thành viên (theo dõi).` });
      expect(stored()).toEqual(before);
      expect(mails).toHaveLength(1);
    });

    it.each([
      ['no address', { role: 'viewer' }],
      ['a name, not an address', { email: 'Văn phòng', role: 'viewer' }],
      ['an address of 300 characters', { email: `${'a'.repeat(290)}@so.vn`, role: 'viewer' }],
      ['a megabyte of text', { email: 'x'.repeat(1024 * 1024), role: 'viewer' }],
      ['binary bytes', { email: '\u0000\u0001PNG\u0000@x.vn', role: 'viewer' }],
      ['a spreadsheet formula', { email: '=HYPERLINK("http://x.vn")', role: 'viewer' }],
      ['two addresses at once', { email: 'a@so.vn,b@so.vn', role: 'viewer' }],
      ['an object for the address', { email: { toString: (): string => 'a@so.vn' }, role: 'viewer' }],
      ['no role', { email: WATCHER }],
      ['an unknown role', { email: WATCHER, role: 'superuser' }],
      ['a list of roles', { email: WATCHER, role: ['admin'] }],
    ])('refuse %s with a Vietnamese message, and change nothing', async (_name, input) => {
      // Prepare
      await listMembers(deps);
      const before = stored();
      // Act
      const result = inviteMember(deps, input as { email: unknown; role: unknown }, OFFICE);
      // Assess
      await expect(result).rejects.toThrow(ValidationError);
      await expect(result).rejects.toMatchObject({
        userMessage: expect.stringMatching(/^(Địa chỉ e-mail không hợp lệ|Vai trò phải là)/),
      });
      expect(stored()).toEqual(before);
      expect(mails).toEqual([]);
    });

    it(`stop at ${MAX_COMMITTEE_MEMBERS} members`, async () => {
      // Prepare: the two configured admins and 48 more.
      for (let i = 0; i < MAX_COMMITTEE_MEMBERS - 2; i++) {
        await inviteMember(deps, { email: `thanh.vien.${i}@so.vn`, role: 'viewer' }, OFFICE, {
          notify: false,
        });
      }
      // Act
      const one = inviteMember(deps, { email: 'mot.nua@so.vn', role: 'viewer' }, OFFICE);
      // Assess
      await expect(one).rejects.toMatchObject({
        userMessage: expect.stringContaining(`tối đa là ${MAX_COMMITTEE_MEMBERS}`),
      });
      expect(stored()).toHaveLength(MAX_COMMITTEE_MEMBERS);
    });
  });

  describe('roles', () => {
    it('are read by any of their names, in English or in Vietnamese', () => {
      expect(['admin', 'QUAN-TRI', 'quản trị', ' Admin '].map(parseRole)).toEqual([
        'admin',
        'admin',
        'admin',
        'admin',
      ]);
      expect(['viewer', 'theo-doi', 'Theo dõi'].map(parseRole)).toEqual(['viewer', 'viewer', 'viewer']);
      expect(() => parseRole('toString')).toThrow(ValidationError);
      expect(() => parseRole('__proto__')).toThrow(ValidationError);
    });

    it('change when asked, and giving the same role changes nothing', async () => {
      // Prepare
      await inviteMember(deps, { email: WATCHER, role: 'viewer' }, OFFICE);
      // Act
      const promoted = await changeMemberRole(deps, WATCHER, 'quan-tri');
      const same = await changeMemberRole(deps, WATCHER, 'admin');
      const demoted = await changeMemberRole(deps, OFFICE, 'viewer');
      // Assess
      expect(promoted).toEqual({ member: member(WATCHER, 'admin'), changed: true });
      expect(same).toEqual({ member: member(WATCHER, 'admin'), changed: false });
      expect(demoted.member).toMatchObject({ email: OFFICE, role: 'viewer' });
      expect((await listMembers(deps)).map((m) => `${m.email} ${m.role}`)).toEqual([
        `${WATCHER} admin`,
        `${DEPUTY} admin`,
        `${OFFICE} viewer`,
      ]);
    });

    it('refuse a change for an address that is not a member', async () => {
      await listMembers(deps);
      await expect(changeMemberRole(deps, 'ke.la@example.org', 'admin')).rejects.toThrow(NotFoundError);
      await expect(removeMember(deps, 'ke.la@example.org')).rejects.toMatchObject({
        userMessage: 'ke.la@example.org không phải là thành viên.',
      });
    });
  });

  describe('the last admin', () => {
    beforeEach(async () => {
      deps.committeeEmails = [OFFICE];
      await inviteMember(deps, { email: WATCHER, role: 'viewer' }, OFFICE);
    });

    it('cannot be demoted or removed, even by themselves, and nothing changes', async () => {
      // Prepare
      const before = stored();
      // Act
      const demote = changeMemberRole(deps, OFFICE, 'viewer');
      const remove = removeMember(deps, OFFICE);
      // Assess
      await expect(demote).rejects.toThrow(LastAdminError);
      await expect(remove).rejects.toThrow(LastAdminError);
      await expect(remove).rejects.toMatchObject({
        userMessage: expect.stringMatching(/^vanphong@so\.example\.vn là quản trị cuối cùng: không thể xóa/),
      });
      expect(stored()).toEqual(before);
    });

    it('can go once another admin exists, and a viewer can always go', async () => {
      // Act
      await changeMemberRole(deps, WATCHER, 'admin');
      const removed = await removeMember(deps, OFFICE);
      const lastAgain = removeMember(deps, WATCHER);
      // Assess
      expect(removed).toEqual(member(OFFICE, 'admin', BOOTSTRAP_ADDED_BY));
      await expect(lastAgain).rejects.toThrow(LastAdminError);
      expect((await listMembers(deps)).map((m) => m.email)).toEqual([WATCHER]);
    });

    it('remains when two admins demote or remove each other at the same moment', async () => {
      // Prepare: two admins; each reads the list (2 admins) before either writes.
      await changeMemberRole(deps, WATCHER, 'admin');
      // Act
      const outcomes = await Promise.allSettled([
        changeMemberRole(deps, OFFICE, 'viewer'),
        removeMember(deps, WATCHER),
      ]);
      // Assess: at least one was undone and refused; an admin is left either way.
      const admins = (await listMembers(deps)).filter((m) => m.role === 'admin');
      expect(admins.length).toBeGreaterThanOrEqual(1);
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const o of refused) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(LastAdminError);
    });

    it('is undone by the re-check when a concurrent change slips between the check and the write', async () => {
      // Prepare: OFFICE and WATCHER admins; a store that, just after OFFICE's demotion is written,
      // lets another admin's concurrent demotion of WATCHER land (it had passed its own check).
      await changeMemberRole(deps, WATCHER, 'admin');
      const store = deps.members;
      const racing: InviteDeps = {
        ...deps,
        members: {
          list: () => store.list(),
          get: (email) => store.get(email),
          remove: (email, expected) => store.remove(email, expected),
          put: async (m, expected) => {
            const written = await store.put(m, expected);
            if (m.email === OFFICE && m.role === 'viewer')
              await store.put(member(WATCHER, 'viewer'), 'admin');
            return written;
          },
        },
      };
      // Act
      const demote = changeMemberRole(racing, OFFICE, 'viewer');
      // Assess: OFFICE's demotion is undone and refused.
      await expect(demote).rejects.toThrow(LastAdminError);
      expect((await store.get(OFFICE))?.role).toBe('admin');
    });
  });
});
