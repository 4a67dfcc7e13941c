/// <reference lib="dom" />
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '#test/support/browser.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';

describe('committee pages in headless Chromium (local stack with demo data)', () => {
  let stack: TestStack;
  let browser: Browser;
  /** One browser context: the session cookie of the first test carries over to the others. */
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

  it('signs in through the e-mailed link, then goes from the plan list to the plan and its period', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
    });

    // Sign in as a person does: ask for a link, open it from the mail viewer's store, confirm.
    await page.goto(`${stack.appUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await page.getByLabel('Địa chỉ e-mail').fill('vanphong@demo.baocao.example');
    await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'một liên kết đăng nhập vừa được gửi',
    );
    await stack.mailQueue.drain();
    const mail = (await storedEmails(stack.mailUrl)).find((m) => m.subject.includes('Liên kết đăng nhập'));
    const link = mail?.body.text?.match(/http\S+\/admin\/sign-in\/\S+/)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    expect(new URL(page.url()).pathname).toBe('/admin');
    await expect(page.title()).resolves.toContain('Các kế hoạch');

    await page.getByRole('link', { name: 'Kế hoạch số 12-KH/ĐUS' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Kế hoạch số 12-KH/ĐUS');
    await expect(page.locator('ol.tasks li').count()).resolves.toBe(4);
    await expect(page.locator('ol.tasks li').first().textContent()).resolves.toContain(
      'Số hóa hồ sơ, văn bản và sổ sách của chi bộ',
    );

    await page.getByRole('link', { name: 'Năm 2026' }).click();
    await expect(page.locator('tbody tr[data-unit-id]').count()).resolves.toBe(10);
    await expect(page.locator('tr[data-unit-id="cong-doan"] td').nth(2).textContent()).resolves.toBe(
      'Chưa nộp',
    );
    await expect(page.locator('[data-rate="completeness"]').textContent()).resolves.toBe('0,0%');
    expect(errors).toEqual([]);
  });

  it('fits a phone screen without horizontal scrolling', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${stack.appUrl}/admin/plans/12-kh-dus-2025/2026`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/period-phone.png`, fullPage: true });
  });

  it('applies the page style under the strict CSP (no violation)', async () => {
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${stack.appUrl}/admin`);
    const headerColor = await page.evaluate(
      () => getComputedStyle(document.querySelector('header')!).backgroundColor,
    );
    expect(headerColor).toBe('rgb(165, 14, 14)');
    expect(violations).toEqual([]);
  });
});
