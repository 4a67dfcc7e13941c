/**
 * Committee members with roles, over the emulators and real HTTP: the configured address is the
 * first admin, an admin invites (e-mail in the mail viewer), changes roles and removes (after a
 * confirmation page); a viewer (theo dõi) sees every page and is refused every state-changing
 * request of the route table with 403, changing nothing; a removed member is refused at once; the
 * last admin stays; CSRF, cross-site and hostile input change nothing.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARAMS, ROUTES, type RouteName } from '#functions/http/routes.ts';
import { requiresAdmin } from '#functions/web/admin-app.ts';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createScanResultDeps } from '#functions/wiring/create-scan-deps.ts';
import { DEMO_VIEWER } from '#local/demo.ts';
import { listMembers } from '#shared/committee/members.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';
import { signIn } from '#test/support/sign-in.ts';

const OFFICE = 'vanphong@demo.baocao.example';
const PLAN = '12-kh-dus-2025';
const REFUSAL = 'Tài khoản theo dõi chỉ xem và tải xuống; không thể thay đổi.';

type Session = { cookie: string; csrf: string };

describe('committee members and their roles (against the emulators)', () => {
  let stack: TestStack;
  let admin: Session;
  let viewer: Session;
  let year: number;

  const get = (path: string, s: Session) =>
    fetch(`${stack.appUrl}${path}`, { redirect: 'manual', headers: { Cookie: s.cookie } });
  /** A page's form POST (the CSRF token in the form, unless `csrf` is null). */
  const form = (path: string, s: Session, fields: Record<string, string>, csrf: string | null = s.csrf) =>
    fetch(`${stack.appUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Cookie: s.cookie,
        Origin: stack.appUrl,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ ...fields, ...(csrf === null ? {} : { csrf }) }),
    });
  /** A JSON action (the CSRF token in its header). */
  const api = (path: string, s: Session, body: unknown = {}, method = 'POST') =>
    fetch(`${stack.appUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        Cookie: s.cookie,
        Origin: stack.appUrl,
        'Content-Type': 'application/json',
        'X-CSRF-Token': s.csrf,
      },
      ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  /** Every item of both tables, to show that nothing changed. */
  const everything = async () => {
    const scan = async (TableName: string) =>
      ((await stack.runtime.dynamo.send(new ScanCommand({ TableName }))).Items ?? []).sort((a, b) =>
        `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`),
      );
    return [await scan(stack.config.PLANS_TABLE), await scan(stack.config.SUBMISSIONS_TABLE)];
  };
  const members = async () =>
    (await listMembers(createMemberDeps(stack.runtime))).map((m) => `${m.email} ${m.role}`);

  beforeAll(async () => {
    // The demo: its plan and units, this year's period open, the demo viewer invited.
    stack = await startTestStack({ demo: true });
    year = (await stack.deps.plans.listPeriods(PLAN))[0]!.year;
    admin = await signIn(stack, OFFICE);
    viewer = await signIn(stack, DEMO_VIEWER);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('makes the configured address the first admin, and shows the demo viewer invited by it', async () => {
    // Act
    const page = await get('/admin/members', admin);
    const json = await (await api('/api/members', admin, undefined, 'GET')).json();
    const invitation = (await storedEmails(stack.mailUrl)).find((m) =>
      m.destination.to.includes(DEMO_VIEWER),
    );
    // Assess
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Mời thành viên');
    expect(html).toMatch(/data-member="vanphong@demo\.baocao\.example" data-role="admin"/);
    expect(html).toContain('aria-label="Xóa thành viên theodoi@demo.baocao.example"');
    expect(json).toEqual({
      members: [
        { email: OFFICE, role: 'admin', addedBy: 'COMMITTEE_EMAILS', addedAt: expect.any(String) },
        { email: DEMO_VIEWER, role: 'viewer', addedBy: OFFICE, addedAt: expect.any(String) },
      ],
    });
    expect(invitation?.subject).toBe(
      '[baocao] Mời tham gia trang quản lý báo cáo của Đảng ủy Sở Thông tin và Truyền thông (demo)',
    );
    expect(invitation?.body.text).toContain(`Mở trang đăng nhập: ${stack.appUrl}/admin/sign-in`);
  });

  it('shows a viewer every page, the member list without its forms', async () => {
    // Act
    const pages = await Promise.all(
      ['/admin', `/admin/plans/${PLAN}`, `/admin/plans/${PLAN}/${year}`, '/admin/members'].map((p) =>
        get(p, viewer),
      ),
    );
    const session = await (await api('/api/session', viewer, undefined, 'GET')).json();
    // Assess
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200]);
    const list = await pages[3]!.text();
    expect(list).toContain('theodoi@demo.baocao.example');
    expect(list).not.toContain('name="role"');
    expect(list).not.toContain('action="/admin/members"');
    expect(list).not.toContain('/remove');
    expect(session).toMatchObject({ email: DEMO_VIEWER, role: 'viewer' });
  });

  it("refuses a viewer's every state-changing request of the route table with 403, and changes nothing", async () => {
    // Prepare: each signed-in POST with its parameters' examples (the demo plan's id among them).
    const names = (Object.keys(ROUTES) as RouteName[]).filter(requiresAdmin);
    const path = (name: RouteName) =>
      ROUTES[name].path.replace(/\{([^}]+)\}/g, (_, p: keyof typeof PARAMS) =>
        p === 'year' ? String(year) : PARAMS[p].example,
      );
    const before = await everything();
    const mailsBefore = (await storedEmails(stack.mailUrl)).length;
    // Act
    const answers: [RouteName, number, string][] = [];
    for (const name of names) {
      const res = ROUTES[name].path.startsWith('/api/')
        ? await api(path(name), viewer, { email: 'moi@example.org', role: 'admin', until: '2099-01-01' })
        : await form(path(name), viewer, { email: 'moi@example.org', role: 'admin', until: '31/12/2099' });
      answers.push([name, res.status, await res.text()]);
    }
    await stack.mailQueue.drain();
    // Assess
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const [name, status, body] of answers) {
      expect(status, name).toBe(403);
      expect(body, name).toContain(REFUSAL);
    }
    expect(await everything()).toEqual(before);
    expect((await storedEmails(stack.mailUrl)).length).toBe(mailsBefore);
  });

  it('invites a member from the page, who signs in with the link they ask for', async () => {
    // Act
    const res = await form('/admin/members', admin, {
      email: 'Pho.VanPhong@Demo.Baocao.Example',
      role: 'admin',
    });
    await stack.mailQueue.drain();
    // Assess
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/members?done=invited');
    expect(await (await get('/admin/members?done=invited', admin)).text()).toContain(
      'Đã thêm thành viên và gửi thư mời',
    );
    const mail = (await storedEmails(stack.mailUrl)).find((m) =>
      m.destination.to.includes('pho.vanphong@demo.baocao.example'),
    );
    expect(mail?.body.text).toContain('với vai trò quản trị');
    expect(mail?.body.text).toContain(`Người mời: ${OFFICE}`);
    const deputy = await signIn(stack, 'pho.vanphong@demo.baocao.example');
    expect((await api('/api/session', deputy, undefined, 'GET').then((r) => r.json())).role).toBe('admin');
  });

  it('changes a role over JSON, and the member acts with it from their next request', async () => {
    // Prepare
    const watcher = 'theo.doi.2@demo.baocao.example';
    expect((await api('/api/members', admin, { email: watcher, role: 'theo-doi' })).status).toBe(201);
    const session = await signIn(stack, watcher);
    expect((await api('/api/members', session, { email: 'x@example.org', role: 'viewer' })).status).toBe(403);
    // Act
    const promoted = await api(`/api/members/${encodeURIComponent(watcher)}/role`, admin, { role: 'admin' });
    const nowAllowed = await api('/api/members', session, { email: 'x@example.org', role: 'viewer' });
    // Assess
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ member: { email: watcher, role: 'admin' }, changed: true });
    expect(nowAllowed.status).toBe(201);
    expect(await members()).toContain('x@example.org viewer');
  });

  it('removes a member after a confirmation page; their session is refused at once', async () => {
    // Prepare
    const leaving = 'roi.di@demo.baocao.example';
    await form('/admin/members', admin, { email: leaving, role: 'viewer' });
    const session = await signIn(stack, leaving);
    const path = `/admin/members/${encodeURIComponent(leaving)}/remove`;
    // Act
    const confirm = await get(path, admin);
    const removed = await form(path, admin, {});
    // Assess
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    expect(confirmHtml).toContain(`Xóa thành viên ${leaving}`);
    expect(confirmHtml).toContain(`action="/admin/members/roi.di%40demo.baocao.example/remove"`);
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe('/admin/members?done=removed');
    expect((await get('/api/members', session)).status).toBe(403);
    expect(await members()).not.toContain(`${leaving} viewer`);
  });

  it('signs out an admin who removes themselves', async () => {
    // Prepare
    const self = 'tu.xoa@demo.baocao.example';
    await api('/api/members', admin, { email: self, role: 'admin' });
    const session = await signIn(stack, self);
    // Act
    const res = await form(`/admin/members/${encodeURIComponent(self)}/remove`, session, {});
    // Assess
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/sign-in');
    expect((await get('/api/members', session)).status).toBe(401);
    expect(await members()).not.toContain(`${self} admin`);
  });

  it('keeps the last admin: removing or demoting it is refused with the reason and a way back', async () => {
    // Prepare: the other admins go (demoted over JSON, removed over JSON), OFFICE stays alone.
    for (const m of (await listMembers(createMemberDeps(stack.runtime))).filter(
      (m) => m.role === 'admin' && m.email !== OFFICE,
    )) {
      expect((await api(`/api/members/${encodeURIComponent(m.email)}/remove`, admin)).status).toBe(200);
    }
    const before = await everything();
    // Act
    const removePage = await form(`/admin/members/${encodeURIComponent(OFFICE)}/remove`, admin, {});
    const demotePage = await form(`/admin/members/${encodeURIComponent(OFFICE)}/role`, admin, {
      role: 'viewer',
    });
    const demoteJson = await api(`/api/members/${encodeURIComponent(OFFICE)}/role`, admin, {
      role: 'viewer',
    });
    // Assess
    expect([removePage.status, demotePage.status, demoteJson.status]).toEqual([409, 409, 409]);
    const removeHtml = await removePage.text();
    expect(removeHtml).toContain('là quản trị cuối cùng');
    expect(removeHtml).toContain('href="/admin/members"');
    expect(await demotePage.text()).toContain('là quản trị cuối cùng');
    expect((await demoteJson.json()).error.code).toBe('CONFLICT');
    expect(await everything()).toEqual(before);
  });

  it('refuses a member action without the CSRF token or from another site, and changes nothing', async () => {
    // Prepare
    const before = await everything();
    // Act
    const noToken = await form('/admin/members', admin, { email: 'csrf@example.org', role: 'admin' }, null);
    const wrongToken = await form(
      '/admin/members',
      admin,
      { email: 'csrf@example.org', role: 'admin' },
      'sai',
    );
    const crossSite = await fetch(`${stack.appUrl}/api/members`, {
      method: 'POST',
      headers: {
        Cookie: admin.cookie,
        Origin: 'https://ke-xau.example',
        'Content-Type': 'application/json',
        'X-CSRF-Token': admin.csrf,
      },
      body: JSON.stringify({ email: 'csrf@example.org', role: 'admin' }),
    });
    // Assess
    expect([noToken.status, wrongToken.status, crossSite.status]).toEqual([403, 403, 403]);
    expect(await everything()).toEqual(before);
  });

  it.each([
    ['a name, not an address', { email: 'Văn phòng', role: 'viewer' }, 400, 'Địa chỉ e-mail không hợp lệ'],
    ['binary bytes', { email: '\u0000\u0001PNG', role: 'viewer' }, 400, 'Địa chỉ e-mail không hợp lệ'],
    ['a formula', { email: '=HYPERLINK("http://x")', role: 'viewer' }, 400, 'Địa chỉ e-mail không hợp lệ'],
    ['an unknown role', { email: 'moi.2@example.org', role: 'root' }, 400, 'Vai trò phải là'],
    ['a member already', { email: DEMO_VIEWER, role: 'admin' }, 409, 'đã là thành viên (theo dõi)'],
    [
      '300 KB in one field',
      { email: 'x'.repeat(300 * 1024), role: 'viewer' },
      413,
      'Dữ liệu gửi lên quá lớn',
    ],
  ])(
    'refuses %s on the invitation form with a Vietnamese message, and changes nothing',
    async (_n, fields, status, text) => {
      // Prepare
      const before = await everything();
      // Act
      const page = await form('/admin/members', admin, fields);
      const json = await api('/api/members', admin, fields);
      // Assess
      expect([page.status, json.status]).toEqual([status, status]);
      expect(await page.text()).toContain(text);
      expect((await json.json()).error.message).toContain(text);
      expect(await everything()).toEqual(before);
    },
  );

  it('refuses an address in the path that is not one, or not a member’s', async () => {
    const malformed = await api('/api/members/%E0%A4%A/remove', admin);
    const stranger = await api(`/api/members/${encodeURIComponent('ke.la@example.org')}/remove`, admin);
    const strangerPage = await get(`/admin/members/${encodeURIComponent('ke.la@example.org')}/remove`, admin);
    const notJson = await api(`/api/members/${encodeURIComponent(DEMO_VIEWER)}/role`, admin, '{"role":');
    expect([malformed.status, stranger.status, strangerPage.status, notJson.status]).toEqual([
      400, 404, 404, 400,
    ]);
    expect(await strangerPage.text()).toContain('href="/admin/members"');
  });

  it('sends the digests and export and quarantine notices to every member, viewers included', async () => {
    // Prepare: the deps each function builds (its recipients are read when a notice is due).
    const exporter = createExportDeps(stack.runtime);
    const scans = createScanResultDeps(stack.runtime);
    const planner = createPlannerDeps(stack.runtime);
    // Act
    const recipients = await Promise.all([
      exporter.committeeRecipients(),
      scans.committeeRecipients(),
      planner.planner.digestRecipients(),
    ]);
    // Assess
    const everyone = (await listMembers(createMemberDeps(stack.runtime))).map((m) => m.email).sort();
    expect(everyone).toContain(DEMO_VIEWER);
    expect(recipients.map((to) => [...to].sort())).toEqual([everyone, everyone, everyone]);
  });
});
