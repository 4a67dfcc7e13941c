/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { launchBrowser, screenshots } from '#test/support/browser.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';

const OFFICE = 'vanphong@demo.baocao.example';

/**
 * Every error page says what happened in Vietnamese and has a way on, and each link on it is
 * followed here to a page that works: unknown paths (outside every mount, under the committee's
 * pages, under a unit's link), a link that is not valid, a used sign-in link; an ended session
 * comes back to the page it was on after signing in again. Local stack with the demo data.
 */
describe('error pages and the way on, in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    stack = await startTestStack({ demo: true, clock: fixedClock('2026-11-29T02:00:00Z') });
    browser = await launchBrowser();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** Opens `path` and returns the page with its HTTP status. */
  async function open(
    path: string,
    on?: BrowserContext,
  ): Promise<{ page: Page; status: number | undefined }> {
    const page = await (on ?? context).newPage();
    const response = await page.goto(`${stack.appUrl}${path}`);
    return { page, status: response?.status() };
  }

  /** The sign-in link that arrived last for the office. */
  async function lastSignInLink(): Promise<string> {
    await stack.mailQueue.drain();
    const mail = (await storedEmails(stack.mailUrl))
      .filter((m) => m.destination.to.includes(OFFICE) && m.subject.includes('Liên kết đăng nhập'))
      .at(-1);
    const link = mail?.body.text?.match(/http\S+\/admin\/sign-in\/\S+/)?.[0];
    expect(link).toBeDefined();
    return link!;
  }

  it('answers a path outside every mount with a Vietnamese 404 page whose links lead on', async () => {
    // Act
    const { page, status } = await open('/khong-co-trang-nay');
    // Assess
    expect(status).toBe(404);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('vi');
    await expect(page.locator('h1').textContent()).resolves.toBe('Không tìm thấy');
    await expect(page.locator('main').textContent()).resolves.toContain('Không tìm thấy trang này.');
    await screenshots(page, 'error-404-outside');
    // Both links work: the plans (which asks to sign in first) and the sign-in page.
    await page.getByRole('link', { name: 'Về trang các kế hoạch' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Đăng nhập');
    await page.goBack();
    await page.getByRole('link', { name: 'Đăng nhập' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Đăng nhập');
    await page.close();
  });

  it('keeps JSON errors under /api', async () => {
    const res = await fetch(`${stack.appUrl}/api/khong-co`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const outside = await fetch(`${stack.appUrl}/khong-co`);
    expect(outside.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('returns to the page that asked for a session after signing in through the e-mailed link', async () => {
    // Prepare: no session; the member opens a page deep in the app.
    const { page } = await open('/admin/units?done=x');
    // The sign-in page says why, and keeps where to return.
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/units?done=x');
    await expect(page.locator('main').textContent()).resolves.toContain('Phiên đăng nhập đã hết hạn');
    await screenshots(page, 'error-session-expired');
    await page.getByLabel('Địa chỉ e-mail').fill(OFFICE);
    await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Hãy mở thư mới nhất');
    // "Send again" leads back to the form, the return path still there.
    await page.getByRole('link', { name: /Gửi lại liên kết/ }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Đăng nhập');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/units?done=x');
    // Act: the link in the e-mail, then its button.
    const link = await lastSignInLink();
    expect(new URL(link).searchParams.get('next')).toBe('/admin/units?done=x');
    await page.goto(link);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    // Assess
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/admin/units?done=x');
    await expect(page.getByRole('link', { name: 'Thành viên' }).count()).resolves.toBe(1);

    // Signed in: an unknown committee page is a 404 page whose link leads to the plans.
    const missing = await open('/admin/khong-co-trang-nay');
    expect(missing.status).toBe(404);
    await screenshots(missing.page, 'error-404-admin');
    await missing.page.getByRole('link', { name: 'Về trang các kế hoạch' }).click();
    expect(new URL(missing.page.url()).pathname).toBe('/admin');
    await expect(missing.page.title()).resolves.toContain('Các kế hoạch');
    await missing.page.close();

    // The used link cannot sign in again: its page leads to a new link.
    const other = await browser.newContext();
    const { page: used } = await open(new URL(link).pathname + new URL(link).search, other);
    await used.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(used.locator('main').textContent()).resolves.toMatch(/liên kết|Liên kết/);
    await screenshots(used, 'error-sign-in-link-used');
    await used.getByRole('link', { name: 'Đăng nhập' }).click();
    await expect(used.locator('h1').textContent()).resolves.toBe('Đăng nhập');
    await other.close();
    await page.close();
  });

  it('never sends a member to another site after signing in (hostile next)', async () => {
    for (const next of [
      '//evil.example/admin',
      'https://evil.example',
      '/\\evil.example',
      '/%2F%2Fevil.example',
    ]) {
      const res = await fetch(`${stack.appUrl}/admin/sign-in?next=${encodeURIComponent(next)}`);
      const body = await res.text();
      expect(body).toContain('action="/admin/sign-in"');
      expect(body).not.toContain('evil.example');
    }
    // The form keeps only a page of the app, and the e-mailed link with it.
    await fetch(`${stack.appUrl}/admin/sign-in?next=${encodeURIComponent('//evil.example')}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.appUrl },
      body: new URLSearchParams({ email: OFFICE }),
    });
    const link = await lastSignInLink();
    expect(link).not.toContain('evil');
    // A return path added to the link by hand is checked again when it is used.
    const confirm = new URL(link);
    confirm.searchParams.set('next', '//evil.example/');
    const res = await fetch(confirm, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: stack.appUrl },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
  });

  it('answers a unit’s bad link and a mistyped address under a link with pages that lead on', async () => {
    // An invalid link: the page says to use the newest e-mail and offers the office's address.
    const bad = await open('/u/khong-phai-lien-ket');
    expect(bad.status).toBe(404);
    await expect(bad.page.locator('h1').textContent()).resolves.toBe('Liên kết không hợp lệ');
    await expect(bad.page.locator('main').textContent()).resolves.toContain('thư mới nhất');
    await expect(
      bad.page.getByRole('link', { name: 'Gửi thư cho văn phòng Đảng ủy' }).getAttribute('href'),
    ).resolves.toBe(`mailto:${OFFICE}`);
    await screenshots(bad.page, 'error-link-invalid');
    await bad.page.close();

    // A path under a real link: back to that link's upload page.
    const [period] = await stack.deps.plans.listPeriods('12-kh-dus-2025');
    const { url } = await linkFor(
      createUploadDeps(stack.runtime),
      '12-kh-dus-2025',
      period!.year,
      'cb-van-phong',
    );
    const typo = await open(`${new URL(url).pathname}/khong-co`);
    expect(typo.status).toBe(404);
    await expect(typo.page.locator('h1').textContent()).resolves.toBe('Không tìm thấy trang');
    await screenshots(typo.page, 'error-404-unit');
    await typo.page.getByRole('link', { name: 'Về trang nộp báo cáo' }).click();
    await expect(typo.page.locator('h1').textContent()).resolves.toMatch(/^Nộp báo cáo năm \d{4}$/);
    await typo.page.close();
    // The JSON routes keep JSON.
    const json = await fetch(`${new URL(url).origin}${new URL(url).pathname}/uploads`);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
