/**
 * Sign-in against the member list, as use cases over in-memory ports: who gets a link, the role a
 * session carries, and a member removed or given another role treated so at their next request.
 * The same flow runs over the emulators in test/integration/admin-auth.test.ts and
 * test/integration/admin-members.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { changeMemberRole, inviteMember, removeMember } from '#shared/committee/members.ts';
import {
  type AuthDeps,
  authenticate,
  confirmSignIn,
  ForbiddenError,
  isSignInRecipient,
  requestSignIn,
  UnauthorizedError,
} from '#shared/committee/sign-in.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { MemoryAuthStore } from '#test/support/memory/auth-store.ts';
import { ManualClock } from '#test/support/memory/clock.ts';
import { MemoryMemberStore } from '#test/support/memory/member-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

const OFFICE = 'vanphong@so.example.vn';
const WATCHER = 'bithu@so.example.vn';

describe('sign-in against the member list', () => {
  let deps: AuthDeps;
  let mails: MailMessage[];
  let queued: MailMessage[];

  /** Asks for a link for `email` and returns its secret (undefined when no e-mail was queued). */
  async function linkFor(email: string): Promise<string | undefined> {
    const before = mails.length;
    await requestSignIn(deps, email, '203.0.113.7');
    const mail = mails.slice(before).find((m) => m.template === 'sign-in');
    return mail?.template === 'sign-in' ? mail.data.signInUrl.split('/').at(-1) : undefined;
  }

  async function signIn(email: string) {
    const secret = await linkFor(email);
    if (!secret) throw new Error(`no link for ${email}`);
    return confirmSignIn(deps, secret);
  }

  beforeEach(() => {
    const tables = new MemoryTables();
    mails = [];
    queued = [];
    deps = {
      auth: new MemoryAuthStore(tables.plans),
      members: new MemoryMemberStore(tables.plans),
      // The queue and its consumer: every request is queued; the mailer sends members' links only.
      mail: {
        enqueue: async (messages) => {
          queued.push(...messages);
          for (const m of messages) {
            if (m.template !== 'sign-in' || (await isSignInRecipient(deps, m.to[0]!))) mails.push(m);
          }
        },
      },
      clock: new ManualClock('2026-11-29T02:00:00Z'),
      committeeEmails: [OFFICE],
      committeeName: 'Đảng ủy Sở',
      appUrl: 'https://baocao.example.vn',
      sessionKey: async () => new Uint8Array(32).fill(9),
    };
  });

  it('mails a link to the configured address on the very first request, as the first admin', async () => {
    // Act
    const { session, cookieValue } = await signIn(OFFICE);
    // Assess
    expect(session).toMatchObject({ email: OFFICE, role: 'admin' });
    expect(await authenticate(deps, cookieValue)).toMatchObject({ email: OFFICE, role: 'admin' });
  });

  it('mails a link to an invited viewer, whose session is a viewer’s', async () => {
    // Prepare
    await inviteMember(deps, { email: WATCHER, role: 'viewer' }, OFFICE);
    // Act
    const { session, cookieValue } = await signIn(WATCHER.toUpperCase());
    // Assess
    expect(session).toMatchObject({ email: WATCHER, role: 'viewer' });
    expect((await authenticate(deps, cookieValue)).role).toBe('viewer');
  });

  it('mails nothing to an address that is not a member’s, and answers the same', async () => {
    // Act
    const results = await Promise.all(
      ['ke.la@example.org', 'không phải e-mail', '', `${'a'.repeat(300)}@x.vn`].map((e) =>
        requestSignIn(deps, e, '203.0.113.7'),
      ),
    );
    // Assess
    expect(results).toEqual([undefined, undefined, undefined, undefined]);
    expect(mails).toEqual([]);
    // A well-formed address is queued like a member's (the same work); the consumer drops it.
    expect(queued.map((m) => m.to)).toEqual([['ke.la@example.org']]);
  });

  it('uses the role a member has now, not the one the session began with', async () => {
    // Prepare
    await inviteMember(deps, { email: WATCHER, role: 'admin' }, OFFICE);
    const { cookieValue } = await signIn(WATCHER);
    // Act
    await changeMemberRole(deps, WATCHER, 'viewer');
    // Assess
    expect((await authenticate(deps, cookieValue)).role).toBe('viewer');
  });

  it('refuses a removed member’s session at once, and the link they asked for before', async () => {
    // Prepare
    await inviteMember(deps, { email: WATCHER, role: 'viewer' }, OFFICE);
    const { cookieValue } = await signIn(WATCHER);
    const pending = await linkFor(WATCHER);
    // Act
    await removeMember(deps, WATCHER);
    // Assess
    await expect(authenticate(deps, cookieValue)).rejects.toThrow(ForbiddenError);
    await expect(authenticate(deps, cookieValue)).rejects.toMatchObject({
      userMessage: 'Địa chỉ này không còn quyền truy cập trang của văn phòng Đảng ủy.',
    });
    await expect(confirmSignIn(deps, pending!)).rejects.toThrow(UnauthorizedError);
    expect(await linkFor(WATCHER)).toBeUndefined();
  });
});
