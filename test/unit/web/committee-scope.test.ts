/**
 * The one place a request is bound to a committee (functions/web/committee-app.ts,
 * handleCommitteeRequest): the session is read from the deployment's store, the deps of its
 * committee are asked for once, the address is checked in that committee's member list, and the
 * handler gets those deps and no other. A session of a committee the deployment no longer holds
 * is ended. In-memory sessions and member lists; the rest of the deps are only what a page reads.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpRequest } from '#functions/http/request.ts';
import { type AdminDeps, handleAdminRequest } from '#functions/web/admin-app.ts';
import { NO_AUDIT_LOG } from '#shared/audit/append.ts';
import { type AuthDeps, confirmSignIn } from '#shared/committee/sign-in.ts';
import { MemoryAuthStore } from '#test/support/memory/auth-store.ts';
import { ManualClock } from '#test/support/memory/clock.ts';
import { MemoryMemberStore } from '#test/support/memory/member-store.ts';
import { MemoryMembershipIndex } from '#test/support/memory/membership-index.ts';
import { MemoryTable } from '#test/support/memory/table.ts';

const ORIGIN = 'https://baocao.example.vn';
const PERSON = 'vanphong@xaydung.example.vn';

describe('binding each request to the session’s committee', () => {
  let deployment: MemoryTable;
  let asked: (string | undefined)[];
  let committees: Record<string, AdminDeps>;
  let root: AdminDeps;

  function depsOf(name: string, table: MemoryTable, auth: MemoryAuthStore, index: MemoryMembershipIndex) {
    const clock = new ManualClock('2026-12-06T02:00:00Z');
    const authDeps: AuthDeps = {
      auth,
      members: new MemoryMemberStore(table),
      mail: { enqueue: async () => {} },
      clock,
      committeeEmails: [],
      committeeName: name,
      appUrl: ORIGIN,
      sessionKey: async () => new Uint8Array(32).fill(9),
      committees: {
        index,
        rootCommitteeId: 'main',
        committee: async (c) =>
          committees[c] && { name: committees[c].committeeName, members: committees[c].auth },
      },
    };
    return {
      auth: authDeps,
      committeeName: name,
      timeZone: 'Asia/Ho_Chi_Minh',
      appOrigin: ORIGIN,
      secureCookies: true,
      audit: NO_AUDIT_LOG,
      core: { clock },
      forCommittee: async (c: string | undefined) => {
        asked.push(c);
        return committees[c ?? 'main'];
      },
    } as unknown as AdminDeps;
  }

  async function sessionIn(id: string): Promise<string> {
    const c = committees[id]!;
    await c.auth.members.put(
      { email: PERSON, role: 'admin', addedBy: 'cli', addedAt: '2026-12-01T00:00:00Z' },
      'absent',
    );
    await c.auth.committees!.index.put(PERSON, { committeeId: id, role: 'admin' });
    const secret = 'a'.repeat(43);
    await root.auth.auth.putSignInToken(
      createHash('sha256').update(secret).digest('hex'),
      PERSON,
      new Date('2026-12-06T03:00:00Z'),
    );
    return (await confirmSignIn(root.auth, secret)).cookieValue;
  }

  const get = (path: string, cookie: string): HttpRequest => ({
    method: 'GET',
    path,
    headers: {},
    cookies: { '__Host-baocao-session': cookie },
    query: '',
    body: '',
    sourceIp: '203.0.113.7',
  });

  beforeEach(() => {
    deployment = new MemoryTable('plans');
    asked = [];
    const auth = new MemoryAuthStore(deployment);
    const index = new MemoryMembershipIndex(deployment);
    committees = {};
    committees.main = depsOf('Đảng ủy Sở', deployment, auth, index);
    committees['dus-b'] = depsOf('Đảng ủy Sở Xây dựng', new MemoryTable('plans-b'), auth, index);
    root = committees.main;
  });

  it('answers with the deps of the session’s committee, asked for once', async () => {
    // Arrange
    const cookie = await sessionIn('dus-b');
    asked = [];
    // Act
    const res = await handleAdminRequest(get('/api/committees', cookie), root);
    // Assess
    expect(res.statusCode).toBe(200);
    expect(asked).toEqual(['dus-b']);
    expect(JSON.parse(String(res.body))).toEqual({
      current: 'dus-b',
      committees: [{ committeeId: 'dus-b', committeeName: 'Đảng ủy Sở Xây dựng', role: 'admin' }],
    });
  });

  it('refuses the session once its address is gone from that committee’s list', async () => {
    // Arrange
    const cookie = await sessionIn('dus-b');
    await committees['dus-b']!.auth.members.remove(PERSON, 'admin');
    // Act
    const res = await handleAdminRequest(get('/api/committees', cookie), root);
    // Assess
    expect(res.statusCode).toBe(403);
  });

  it('ends a session of a committee the deployment no longer holds: to the sign-in page', async () => {
    // Arrange
    const cookie = await sessionIn('dus-b');
    delete committees['dus-b'];
    // Act
    const page = await handleAdminRequest(get('/admin/committees', cookie), root);
    const again = await handleAdminRequest(get('/api/committees', cookie), root);
    // Assess
    expect(page.statusCode).toBe(303);
    expect(String(page.headers?.Location)).toMatch(/^\/admin\/sign-in/);
    expect(again.statusCode).toBe(401);
    expect(deployment.items().filter((i) => String(i.pk).startsWith('SESSION#'))).toEqual([]);
  });
});
