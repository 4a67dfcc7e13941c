/**
 * A person's committees in a deployment of many (docs/tenancy.md), as use cases over in-memory
 * ports: the membership index kept by the member use cases, sign-in bound to the person's first
 * committee, the chooser's switch, and the mailer's test of who is sent a link. Each committee's
 * member list sits in its own table (as each sits behind its own scoped client); the index and the
 * sessions in the deployment's. The same flow over the emulators: test/integration/committee-sign-in.test.ts.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  changeMemberRole,
  inviteMember,
  LastAdminError,
  type MemberDeps,
  removeMember,
} from '#shared/committee/members.ts';
import { committeesOf, type MembershipDeps } from '#shared/committee/memberships.ts';
import type { Session } from '#shared/committee/ports.ts';
import {
  type AuthDeps,
  confirmSignIn,
  ForbiddenError,
  isSignInRecipient,
  memberSession,
  readSession,
  signInCommitteeNames,
  switchCommittee,
  UnauthorizedError,
} from '#shared/committee/sign-in.ts';
import { NotFoundError } from '#shared/errors.ts';
import { MemoryAuthStore } from '#test/support/memory/auth-store.ts';
import { ManualClock } from '#test/support/memory/clock.ts';
import { MemoryMemberStore } from '#test/support/memory/member-store.ts';
import { MemoryMembershipIndex } from '#test/support/memory/membership-index.ts';
import { describeMembershipIndexContract } from '#test/support/memory/membership-index-contract.ts';
import { MemoryTable, MemoryTables } from '#test/support/memory/table.ts';

const ROOT_ADMIN = 'vanphong@so.example.vn';
const BOTH = 'bithu@so.example.vn';
const ONLY_B = 'vanphong@dus-b.example.vn';
const NOBODY = 'nguoila@example.vn';

describeMembershipIndexContract('in memory', () => new MemoryMembershipIndex(new MemoryTable('plans')));

describe('a person of several committees', () => {
  let clock: ManualClock;
  let deployment: MemoryTable;
  let index: MemoryMembershipIndex;
  let committees: Record<string, { name: string; members: MemberDeps & { mail: AuthDeps['mail'] } }>;
  let membership: MembershipDeps;
  let auth: AuthDeps;

  /** The member deps of committee `id` as the wiring builds them: the index for any but the first. */
  function committee(id: string, name: string, table: MemoryTable, committeeEmails: string[] = []) {
    committees[id] = {
      name,
      members: {
        members: new MemoryMemberStore(table),
        clock,
        committeeEmails,
        mail: { enqueue: async () => {} },
        committeeName: name,
        appUrl: 'https://baocao.example.vn',
        ...(id === 'main' ? {} : { index: { committeeId: id, memberships: index } }),
      } as MemberDeps & { mail: AuthDeps['mail'] },
    };
  }

  async function invite(id: string, email: string, role: 'admin' | 'viewer', by = 'cli') {
    const c = committees[id]!;
    return inviteMember({ ...c.members, committeeName: c.name, appUrl: 'x' } as never, { email, role }, by, {
      notify: false,
    });
  }

  /** A sign-in link for `email` (stored as requestSignIn stores it) and its confirmation. */
  async function signIn(email: string) {
    const secret = createHash('sha256').update(email).digest('base64url').slice(0, 43);
    const hash = createHash('sha256').update(secret).digest('hex');
    await auth.auth.putSignInToken(hash, email, new Date(clock.now().getTime() + 60_000));
    return confirmSignIn(auth, secret);
  }

  beforeEach(async () => {
    clock = new ManualClock('2026-12-06T02:00:00Z');
    deployment = new MemoryTables().plans;
    index = new MemoryMembershipIndex(deployment);
    committees = {};
    // The first committee's list is the deployment's unprefixed partition, as in production.
    committee('main', 'Đảng ủy Sở', deployment, [ROOT_ADMIN]);
    committee('dus-b', 'Đảng ủy Sở B', new MemoryTable('plans-b'));
    committee('dus-c', 'Đảng ủy Sở C', new MemoryTable('plans-c'));
    membership = {
      index,
      rootCommitteeId: 'main',
      committee: async (id) => committees[id],
    };
    auth = {
      ...committees.main!.members,
      auth: new MemoryAuthStore(deployment),
      committeeEmails: [ROOT_ADMIN],
      committeeName: 'Đảng ủy Sở',
      appUrl: 'https://baocao.example.vn',
      sessionKey: async () => new Uint8Array(32).fill(3),
      committees: membership,
    };
    await invite('main', BOTH, 'viewer', ROOT_ADMIN);
    await invite('dus-b', ONLY_B, 'admin');
    await invite('dus-b', BOTH, 'admin');
  });

  it('keeps the index with every change of a list but the first committee’s', async () => {
    // Act
    await invite('dus-c', 'khac@dus-c.example.vn', 'admin');
    await invite('dus-c', BOTH, 'admin');
    await invite('dus-c', ONLY_B, 'admin');
    await changeMemberRole(committees['dus-c']!.members, BOTH, 'viewer');
    await removeMember(committees['dus-c']!.members, ONLY_B);
    // Assess
    expect(await index.committeesOf(BOTH, 10)).toStrictEqual([
      { committeeId: 'dus-b', role: 'admin' },
      { committeeId: 'dus-c', role: 'viewer' },
    ]);
    expect(await index.committeesOf(ONLY_B, 10)).toStrictEqual([{ committeeId: 'dus-b', role: 'admin' }]);
    // The first committee's members are read from its own list: no index item.
    expect(await index.committeesOf(ROOT_ADMIN, 10)).toStrictEqual([]);
  });

  it('leaves the index as it was when a change is refused (the last admin, a member already)', async () => {
    // Act
    await expect(removeMember(committees['dus-b']!.members, ONLY_B)).resolves.toMatchObject({
      email: ONLY_B,
    });
    await expect(removeMember(committees['dus-b']!.members, BOTH)).rejects.toThrow(LastAdminError);
    await expect(invite('dus-b', BOTH, 'viewer')).rejects.toMatchObject({ code: 'CONFLICT' });
    // Assess
    expect(await index.committeesOf(BOTH, 10)).toStrictEqual([{ committeeId: 'dus-b', role: 'admin' }]);
    expect(await index.committeesOf(ONLY_B, 10)).toStrictEqual([]);
  });

  it('finds the first committee first, then the others by id, each checked against its own list', async () => {
    // Arrange: a stale entry (a write that failed halfway) and an entry of a committee that is gone
    await index.put(BOTH, { committeeId: 'dus-c', role: 'admin' });
    await index.put(BOTH, { committeeId: 'da-xoa', role: 'admin' });
    // Act
    const found = await committeesOf(membership, BOTH);
    // Assess
    expect(found).toStrictEqual([
      { committeeId: 'main', committeeName: 'Đảng ủy Sở', role: 'viewer' },
      { committeeId: 'dus-b', committeeName: 'Đảng ủy Sở B', role: 'admin' },
    ]);
    expect(await committeesOf(membership, NOBODY)).toStrictEqual([]);
  });

  it('binds a session to the only committee, or to the first of several (and says there are several)', async () => {
    // Act
    const onlyB = await signIn(ONLY_B);
    const both = await signIn(BOTH);
    const root = await signIn(ROOT_ADMIN);
    // Assess
    expect(onlyB.session).toMatchObject({ email: ONLY_B, role: 'admin', committeeId: 'dus-b' });
    expect(onlyB.session.multiCommittee).toBeUndefined();
    expect(both.session).toMatchObject({
      email: BOTH,
      role: 'viewer',
      committeeId: 'main',
      multiCommittee: true,
    });
    expect(both.committees.map((c) => c.committeeId)).toEqual(['main', 'dus-b']);
    expect(root.session).toMatchObject({ committeeId: 'main', role: 'admin' });
    // What is stored is what the next request reads.
    expect(await readSession(auth, onlyB.cookieValue)).toStrictEqual(onlyB.session);
  });

  it('signs no one in whose only committee entry is stale', async () => {
    // Arrange
    await index.put(NOBODY, { committeeId: 'dus-c', role: 'admin' });
    // Act & Assess
    await expect(signIn(NOBODY)).rejects.toThrow(UnauthorizedError);
  });

  it('switches to another of the person’s committees with a new session, the old one ended', async () => {
    // Arrange
    const { session, cookieValue } = await signIn(BOTH);
    // Act
    const switched = await switchCommittee(auth, session, 'dus-b');
    // Assess
    expect(switched.session).toMatchObject({
      email: BOTH,
      role: 'admin',
      committeeId: 'dus-b',
      multiCommittee: true,
      expiresAt: session.expiresAt,
    });
    expect(switched.session.id).not.toBe(session.id);
    await expect(readSession(auth, cookieValue)).rejects.toThrow(UnauthorizedError);
    expect(await readSession(auth, switched.cookieValue)).toStrictEqual(switched.session);
  });

  it.each([
    ['a committee the person is not a member of', 'dus-c'],
    ['a committee that does not exist', 'khong-co'],
    ['a forged id with a key prefix', 'C#dus-c#'],
    ['an oversized id', 'x'.repeat(5000)],
    ['not a string', { committeeId: 'dus-b' }],
    ['nothing', undefined],
  ])('refuses to switch to %s alike, changing nothing', async (_, target) => {
    // Arrange
    const { session, cookieValue } = await signIn(ONLY_B);
    const before = deployment.items().length;
    // Act
    const refused = switchCommittee(auth, session, target);
    // Assess
    await expect(refused).rejects.toThrow(NotFoundError);
    await expect(refused).rejects.toMatchObject({
      userMessage: 'Không tìm thấy cấp ủy này trong các cấp ủy của đồng chí.',
    });
    expect(deployment.items().length).toBe(before);
    expect(await readSession(auth, cookieValue)).toMatchObject({ committeeId: 'dus-b' });
  });

  it('checks the session’s address against its own committee’s list on every request', async () => {
    // Arrange
    const { cookieValue } = await signIn(ONLY_B);
    const session: Session = await readSession(auth, cookieValue);
    // Act & Assess: a member of B, not of the first committee
    await expect(memberSession(committees['dus-b']!.members, session)).resolves.toMatchObject({
      role: 'admin',
    });
    await expect(memberSession(committees.main!.members, session)).rejects.toThrow(ForbiddenError);
    await invite('dus-b', 'khac@so.example.vn', 'admin');
    await changeMemberRole(committees['dus-b']!.members, ONLY_B, 'viewer');
    await expect(memberSession(committees['dus-b']!.members, session)).resolves.toMatchObject({
      role: 'viewer',
    });
  });

  it('sends a sign-in link to members of any committee, and to no one else', async () => {
    // Arrange
    const recipient = (email: string) =>
      isSignInRecipient(
        { members: committees.main!.members.members, memberships: index, committeeEmails: [ROOT_ADMIN] },
        email,
      );
    // Act & Assess
    expect(await recipient(ONLY_B)).toBe(true);
    expect(await recipient(BOTH)).toBe(true);
    expect(await recipient(ROOT_ADMIN)).toBe(true);
    expect(await recipient(NOBODY)).toBe(false);
    await removeMember(committees['dus-b']!.members, ONLY_B);
    expect(await recipient(ONLY_B)).toBe(false);
  });

  it('names in the sign-in e-mail the committees the person belongs to, and none of the others', async () => {
    // Arrange
    const names = (email: string) =>
      signInCommitteeNames(
        {
          members: committees.main!.members.members,
          committeeEmails: [ROOT_ADMIN],
          committeeName: 'Đảng ủy Sở',
          committees: membership,
        },
        email,
      );
    // A stale index entry (its member list no longer has the person) names nothing.
    await index.put(ONLY_B, { committeeId: 'dus-c', role: 'admin' });
    const before = JSON.stringify([deployment.items(), await committees['dus-c']!.members.members.list()]);
    // Act & Assess: the first committee first, then the others by id
    expect(await names(ONLY_B)).toEqual(['Đảng ủy Sở B']);
    expect(await names(BOTH)).toEqual(['Đảng ủy Sở', 'Đảng ủy Sở B']);
    expect(await names(ROOT_ADMIN)).toEqual(['Đảng ủy Sở']);
    expect(await names(NOBODY)).toEqual([]);
    // Read only.
    expect(JSON.stringify([deployment.items(), await committees['dus-c']!.members.members.list()])).toBe(
      before,
    );
  });
});
