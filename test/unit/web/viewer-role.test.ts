/**
 * The one place roles are enforced on the server (handleCommitteeRequest, through which both
 * committee functions answer: handleAdminRequest, handleSetupRequest and handleUnitsRequest): a viewer's (theo dõi)
 * state-changing request to ANY signed-in route of the table, of either function, is refused with
 * 403 before its handler runs, and changes nothing. The routes are walked from ROUTES itself, so a route another
 * feature adds later is covered without touching this test. In-memory sign-in and members; every
 * other dependency is a tripwire that fails the request if a handler so much as reads it.
 */

import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpRequest } from '#functions/http/request.ts';
import { PARAMS, ROUTES, type RouteName } from '#functions/http/routes.ts';
import {
  type AdminDeps,
  handleAdminRequest,
  requiresAdmin,
  VIEWER_ACTIONS,
} from '#functions/web/admin-app.ts';
import type { Result } from '#functions/web/admin-context.ts';
import { handleSetupRequest, type SetupDeps } from '#functions/web/setup-app.ts';
import { handleUnitsRequest } from '#functions/web/units-app.ts';
import { NO_AUDIT_LOG } from '#shared/audit/append.ts';
import { type AuthDeps, confirmSignIn, csrfToken } from '#shared/committee/sign-in.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { MemberRole } from '#shared/domain/member-role.ts';
import { MemoryAuthStore } from '#test/support/memory/auth-store.ts';
import { ManualClock } from '#test/support/memory/clock.ts';
import { MemoryMemberStore } from '#test/support/memory/member-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

const ORIGIN = 'https://baocao.example.vn';
const ADMIN = 'vanphong@so.example.vn';
const VIEWER = 'theodoi@so.example.vn';
const REFUSAL = 'Tài khoản theo dõi chỉ xem và tải xuống; không thể thay đổi.';

/** Every route of the committee's functions (admin-api, setup-api and units-api). */
const COMMITTEE_ROUTES = (Object.keys(ROUTES) as RouteName[]).filter(
  (name) => ROUTES[name].fn === 'admin' || ROUTES[name].fn === 'setup' || ROUTES[name].fn === 'units',
);
const examplePath = (name: RouteName) =>
  ROUTES[name].path.replace(/\{([^}]+)\}/g, (_, p: keyof typeof PARAMS) => PARAMS[p].example);

/** A dependency no handler may touch in these tests: reading anything of it throws. */
function tripwire(name: string): never {
  return new Proxy(
    {},
    {
      get: (_, prop) => {
        throw new Error(`a refused request reached deps.${name}.${String(prop)}`);
      },
    },
  ) as never;
}

describe('roles on the server: a viewer changes nothing', () => {
  let tables: MemoryTables;
  let auth: AuthDeps;
  let deps: AdminDeps & SetupDeps;
  let mails: MailMessage[];

  /** The request, answered by the function of its route (as the gateway sends it). */
  function handle(name: RouteName, req: HttpRequest): Promise<Result> {
    const fn = ROUTES[name].fn;
    if (fn === 'setup') return handleSetupRequest(req, deps);
    return fn === 'units' ? handleUnitsRequest(req, deps) : handleAdminRequest(req, deps);
  }

  /** A session of `email` (a member with `role`), through a sign-in link used once. */
  async function sessionOf(email: string, role: MemberRole) {
    await auth.members.put({ email, role, addedBy: ADMIN, addedAt: '2026-11-29T02:00:00.000Z' }, 'absent');
    const secret = `${email.replace(/[^a-z]/g, '').padEnd(43, 'x')}`.slice(0, 43);
    const hash = createHash('sha256').update(secret).digest('hex');
    await auth.auth.putSignInToken(hash, email, new Date('2026-11-29T02:10:00.000Z'));
    const { session, cookieValue } = await confirmSignIn(auth, secret);
    return { session, cookie: cookieValue, csrf: await csrfToken(auth, session) };
  }

  function post(name: RouteName, s: { cookie: string; csrf: string }): HttpRequest {
    const json = ROUTES[name].path.startsWith('/api/');
    return {
      method: 'POST',
      path: examplePath(name),
      headers: json
        ? { origin: ORIGIN, 'content-type': 'application/json', 'x-csrf-token': s.csrf }
        : { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { '__Host-baocao-session': s.cookie },
      query: '',
      body: json
        ? JSON.stringify({ email: 'moi@so.example.vn', role: 'admin' })
        : `csrf=${encodeURIComponent(s.csrf)}&email=moi%40so.example.vn&role=admin`,
      sourceIp: '203.0.113.7',
    };
  }

  beforeEach(() => {
    tables = new MemoryTables();
    mails = [];
    const clock = new ManualClock('2026-11-29T02:00:00Z');
    auth = {
      auth: new MemoryAuthStore(tables.plans),
      members: new MemoryMemberStore(tables.plans),
      mail: { enqueue: async (messages) => void mails.push(...messages) },
      clock,
      committeeEmails: [ADMIN],
      committeeName: 'Đảng ủy Sở',
      appUrl: ORIGIN,
      sessionKey: async () => new Uint8Array(32).fill(7),
    };
    const known: Record<string, unknown> = {
      auth,
      committeeName: 'Đảng ủy Sở',
      timeZone: 'Asia/Ho_Chi_Minh',
      appOrigin: ORIGIN,
      secureCookies: true,
      // An admin's action is recorded (functions/web/audit-events.ts); a refused one never reaches it.
      audit: NO_AUDIT_LOG,
      // One committee: every session is bound to these deps (committee-app.ts asks once per request).
      forCommittee: async () => deps,
    };
    deps = new Proxy({} as AdminDeps & SetupDeps, {
      get: (_, prop) => (typeof prop === 'string' && prop in known ? known[prop] : tripwire(String(prop))),
    });
  });

  it('derives the actions an admin alone may take from the table: every signed-in POST but sign-out and switching committee', () => {
    // Prepare
    const posts = COMMITTEE_ROUTES.filter((n) => ROUTES[n].auth === 'session' && ROUTES[n].method === 'POST');
    // Assess
    expect([...VIEWER_ACTIONS]).toEqual(['signOut', 'selectCommittee', 'apiSelectCommittee']);
    expect(COMMITTEE_ROUTES.filter(requiresAdmin).sort()).toEqual(
      posts.filter((n) => !VIEWER_ACTIONS.has(n as never)).sort(),
    );
    expect(COMMITTEE_ROUTES.filter(requiresAdmin)).toEqual(
      expect.arrayContaining(['resend', 'apiResend', 'inviteMember', 'apiRemoveMember']),
    );
    // setup-api's actions too: the same flow, the same check.
    expect(COMMITTEE_ROUTES.filter(requiresAdmin)).toEqual(
      expect.arrayContaining(['planImportPreview', 'apiImportUnits', 'retireUnit', 'apiOpenPeriod']),
    );
    expect(COMMITTEE_ROUTES.filter((n) => ROUTES[n].method === 'GET').some(requiresAdmin)).toBe(false);
    expect(COMMITTEE_ROUTES.filter((n) => ROUTES[n].auth === 'none').some(requiresAdmin)).toBe(false);
  });

  it.each(COMMITTEE_ROUTES.filter(requiresAdmin))(
    "refuses a viewer's %s with 403 before its handler runs, and changes nothing",
    async (name) => {
      // Prepare
      await sessionOf(ADMIN, 'admin');
      const viewer = await sessionOf(VIEWER, 'viewer');
      const before = [tables.plans.items(), tables.submissions.items()];
      // Act
      const res = await handle(name, post(name, viewer));
      // Assess
      expect(res.statusCode).toBe(403);
      expect(String(res.body)).toContain(REFUSAL);
      expect([tables.plans.items(), tables.submissions.items()]).toEqual(before);
      expect(mails).toEqual([]);
    },
  );

  it('refuses a viewer the current role, not the one the session began with', async () => {
    // Prepare: signed in as an admin, then made a viewer by another admin.
    await sessionOf('pho.vanphong@so.example.vn', 'admin');
    const demoted = await sessionOf(ADMIN, 'admin');
    await auth.members.put(
      {
        email: ADMIN,
        role: 'viewer',
        addedBy: 'pho.vanphong@so.example.vn',
        addedAt: '2026-11-29T02:00:00.000Z',
      },
      'admin',
    );
    // Act
    const res = await handleAdminRequest(post('apiInviteMember', demoted), deps);
    // Assess
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(String(res.body))).toEqual({ error: { code: 'FORBIDDEN', message: REFUSAL } });
    expect(await auth.members.get('moi@so.example.vn')).toBeUndefined();
  });

  it('reads a form with a file in setup-api only: admin-api never reads one, so its csrf field does not count', async () => {
    // Prepare: an admin's invitation, sent as multipart/form-data with the right csrf field.
    const admin = await sessionOf(ADMIN, 'admin');
    const form = [
      '--b',
      'Content-Disposition: form-data; name="csrf"',
      '',
      admin.csrf,
      '--b',
      'Content-Disposition: form-data; name="email"',
      '',
      'moi@so.example.vn',
      '--b--',
      '',
    ].join('\r\n');
    const request: HttpRequest = {
      ...post('inviteMember', admin),
      headers: { origin: ORIGIN, 'content-type': 'multipart/form-data; boundary=b' },
      body: '',
      bodyBytes: new TextEncoder().encode(form),
    };
    // Act
    const res = await handleAdminRequest(request, deps);
    // Assess
    expect(res.statusCode).toBe(403);
    expect(String(res.body)).toContain('Yêu cầu không hợp lệ');
    expect(await auth.members.get('moi@so.example.vn')).toBeUndefined();
    expect(mails).toEqual([]);
  });

  it('lets an admin through to the handler, and a viewer sign out', async () => {
    // Prepare
    const admin = await sessionOf(ADMIN, 'admin');
    const viewer = await sessionOf(VIEWER, 'viewer');
    // Act
    const invited = await handleAdminRequest(post('apiInviteMember', admin), deps);
    const out = await handleAdminRequest(post('signOut', viewer), deps);
    // Assess
    expect(invited.statusCode).toBe(201);
    expect(await auth.members.get('moi@so.example.vn')).toMatchObject({ role: 'admin', addedBy: ADMIN });
    expect(mails.map((m) => [m.template, m.to])).toEqual([['member-invite', ['moi@so.example.vn']]]);
    expect(out.statusCode).toBe(303);
    expect(await auth.auth.getSession(viewer.cookie.split('.')[0]!)).toBeUndefined();
  });
});
