import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { removeMember } from '#shared/committee/members.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';
import { requestSignInLink, signIn } from '#test/support/sign-in.ts';

const OFFICE = 'vanphong@demo.baocao.example';
const DEPUTY = 'pho.vanphong@demo.baocao.example';
/** More committee addresses, so that the per-address sign-in limit (5 an hour) is not what a test meets. */
const CLERKS = [
  'van.thu.1@demo.baocao.example',
  'van.thu.2@demo.baocao.example',
  'van.thu.3@demo.baocao.example',
  'van.thu.4@demo.baocao.example',
];
const clock = fixedClock('2026-11-29T02:00:00Z');

describe('committee sign-in by e-mailed link, sessions and CSRF', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      demo: true,
      clock,
      env: { COMMITTEE_EMAILS: [OFFICE, DEPUTY, ...CLERKS].join(',') },
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const get = (path: string, cookie?: string) =>
    fetch(`${stack.appUrl}${path}`, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });

  it('sends a committee address a single-use link and signs it in with a strict cookie', async () => {
    // Act
    const link = await requestSignInLink(stack, OFFICE);
    const confirmPage = await get(new URL(link).pathname);
    const confirmed = await fetch(link, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: stack.appUrl },
    });
    // Assess
    expect(await confirmPage.text()).toContain('Xác nhận đăng nhập');
    expect(confirmed.status).toBe(303);
    const cookie = confirmed.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^baocao-session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const dashboard = await get('/admin', cookie.split(';')[0]);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('Kế hoạch số 12-KH/ĐUS');
  });

  it('answers an unknown address exactly as a known one, and e-mails nothing', async () => {
    const before = (await storedEmails(stack.mailUrl)).length;
    const ask = (email: string) =>
      fetch(`${stack.appUrl}/admin/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.appUrl },
        body: new URLSearchParams({ email }),
      });
    const unknown = await ask('ke.la@example.org');
    const malformed = await ask('không-phải-email');
    await stack.mailQueue.drain();
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toContain('Nếu địa chỉ này thuộc văn phòng Đảng ủy');
    expect(await malformed.text()).toContain('Nếu địa chỉ này thuộc văn phòng Đảng ủy');
    expect((await storedEmails(stack.mailUrl)).length).toBe(before);
  });

  it('refuses a sign-in link used twice', async () => {
    const link = await requestSignInLink(stack, OFFICE);
    const first = await fetch(link, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: stack.appUrl },
    });
    const second = await fetch(link, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: stack.appUrl },
    });
    expect(first.status).toBe(303);
    expect(second.status).toBe(401);
    expect(second.headers.getSetCookie()).toEqual([]);
    expect(await second.text()).toContain('đã được dùng hoặc đã hết hạn');
  });

  it('refuses a sign-in link older than 15 minutes', async () => {
    const link = await requestSignInLink(stack, OFFICE);
    clock.set('2026-11-29T02:15:01Z');
    try {
      const late = await fetch(link, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: stack.appUrl },
      });
      expect(late.status).toBe(401);
    } finally {
      clock.set('2026-11-29T02:00:00Z');
    }
  });

  it.each([
    ['no cookie', undefined],
    ['a forged cookie', 'baocao-session=abc.def'],
    ['a cookie whose signature was changed', 'TAMPER'],
  ])('sends a visitor with %s to the sign-in page and answers the API with 401', async (_name, cookie) => {
    let header = cookie;
    if (cookie === 'TAMPER') {
      const { cookie: real } = await signIn(stack, CLERKS[0]!);
      // Change one character of the MAC (the second-to-last: the last carries padding bits).
      const flipped = real.at(-2) === 'A' ? 'B' : 'A';
      header = `${real.slice(0, -2)}${flipped}${real.slice(-1)}`;
      expect(header).not.toBe(real);
    }
    const page = await get('/admin/plans/12-kh-dus-2025/2026', header);
    const api = await get('/api/plans', header);
    expect(page.status).toBe(303);
    // Back to the page asked for once signed in again (shared/committee/return-path.ts).
    expect(page.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Fplans%2F12-kh-dus-2025%2F2026');
    expect(api.status).toBe(401);
    expect(JSON.stringify(await api.json())).not.toContain('12-KH');
  });

  it('ends the session on sign-out', async () => {
    const { cookie, csrf } = await signIn(stack, CLERKS[1]!);
    const out = await fetch(`${stack.appUrl}/admin/sign-out`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookie, Origin: stack.appUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf }),
    });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
    expect((await get('/api/plans', cookie)).status).toBe(401);
  });

  it('refuses a cross-site POST and one without the CSRF token, and changes nothing', async () => {
    const { cookie, csrf } = await signIn(stack, CLERKS[2]!);
    const post = (headers: Record<string, string>, body: Record<string, string>) =>
      fetch(`${stack.appUrl}/admin/sign-out`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body),
      });
    const crossSite = await post({ Origin: 'https://ke-xau.example' }, { csrf });
    const crossSiteFetch = await post({ 'Sec-Fetch-Site': 'cross-site' }, { csrf });
    const noToken = await post({ Origin: stack.appUrl }, {});
    const wrongToken = await post({ Origin: stack.appUrl }, { csrf: `${csrf}x` });
    expect([crossSite.status, crossSiteFetch.status, noToken.status, wrongToken.status]).toEqual([
      403, 403, 403, 403,
    ]);
    expect((await get('/api/plans', cookie)).status).toBe(200);
  });

  it('refuses the session of a member removed since, at their next request', async () => {
    // Prepare
    const { cookie } = await signIn(stack, CLERKS[3]!);
    expect((await get('/api/plans', cookie)).status).toBe(200);
    // Act
    await removeMember(createMemberDeps({ ...stack.runtime, clock }), CLERKS[3]);
    // Assess
    const api = await get('/api/plans', cookie);
    const page = await get('/admin', cookie);
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({
      error: {
        code: 'FORBIDDEN',
        message: 'Địa chỉ này không còn quyền truy cập trang của văn phòng Đảng ủy.',
      },
    });
    expect(page.status).toBe(403);
  });

  it('limits sign-in requests per address', async () => {
    const before = (await storedEmails(stack.mailUrl)).filter((m) =>
      m.destination.to.includes(DEPUTY),
    ).length;
    for (let i = 0; i < 7; i++) {
      await fetch(`${stack.appUrl}/admin/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.appUrl },
        body: new URLSearchParams({ email: DEPUTY }),
      });
    }
    await stack.mailQueue.drain();
    const after = (await storedEmails(stack.mailUrl)).filter((m) => m.destination.to.includes(DEPUTY)).length;
    // No earlier test asked for this address: 5 of the 7 requests get a link.
    expect(after - before).toBe(5);
  });
});
