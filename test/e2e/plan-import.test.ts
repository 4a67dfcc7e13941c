/// <reference lib="dom" />
/**
 * The committee's office imports the seed plan from a phone, in headless Chromium: uploads the
 * .docx in the page, corrects one task-group title in the preview and saves. With SCREENSHOT_DIR
 * set, each plan page is also photographed at 390 and 1280 px.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importUnits } from '#shared/units/units.ts';
import { launchBrowser } from '#test/support/browser.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';
import { SEED_PLAN_TEXT, textToDocx } from '#test/support/plan-docx.ts';

const PHONE = { width: 390, height: 844 };
const CORRECTED = 'Nâng cao chất lượng đội ngũ cán bộ làm công tác tư tưởng';
const SHOTS = process.env.SCREENSHOT_DIR;

describe('importing a plan in the committee app on a phone (headless Chromium, local stack)', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    stack = await startTestStack({ clock: fixedClock('2026-11-29T02:00:00Z') });
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\n',
    );
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: PHONE });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${stack.appUrl}/admin/sign-in`);
    await page.getByLabel('Địa chỉ e-mail').fill('vanphong@demo.baocao.example');
    await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await page.getByRole('status').waitFor();
    await stack.mailQueue.drain();
    const mail = (await storedEmails(stack.mailUrl)).find((m) => m.subject.includes('Liên kết đăng nhập'));
    const link = mail?.body.text?.match(/http\S+\/admin\/sign-in\/\S+/)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/admin$/);
  }

  async function noHorizontalScroll(page: Page): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  async function shoot(page: Page, name: string): Promise<void> {
    if (!SHOTS) return;
    const size = page.viewportSize();
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
    }
    if (size) await page.setViewportSize(size);
  }

  it('uploads the seed .docx, corrects one task-group title in the preview and saves it', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await signIn(page);
    await shoot(page, 'plans-empty');

    // The list of plans → the upload form
    await page.getByRole('link', { name: 'Nhập kế hoạch' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Nhập kế hoạch');
    await shoot(page, 'plan-import-form');
    await page.getByLabel('Tài liệu kế hoạch (.docx, .pdf có lớp chữ, .txt)').setInputFiles({
      name: 'ke-hoach-30-KH-DUK.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from(await textToDocx(SEED_PLAN_TEXT)),
    });
    await page.getByRole('button', { name: 'Đọc tài liệu' }).click();

    // The preview: every field read, nothing stored yet
    await expect(page.locator('h1').textContent()).resolves.toBe('Xem trước kế hoạch');
    await expect(page.getByLabel('Số kế hoạch').inputValue()).resolves.toBe('30-KH/ĐUK');
    await expect(page.getByLabel('Số văn bản cấp trên').inputValue()).resolves.toBe('59-KH/ĐUK');
    await expect(page.locator('fieldset.group[data-group-row]').count()).resolves.toBe(9);
    expect(await stack.deps.plans.listPlans()).toEqual([]);
    await noHorizontalScroll(page);
    await shoot(page, 'plan-preview');

    // One title corrected, then saved
    const third = page.locator('#g2-title');
    await expect(third.inputValue()).resolves.toBe('Nâng cao chất lượng cán bộ làm công tác tư tưởng');
    await third.fill(CORRECTED);
    await page.getByRole('button', { name: 'Lưu kế hoạch' }).click();

    // The plan's page, and the plan as stored
    await page.waitForURL(/\/admin\/plans\/30-kh-duk\?done=created$/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã lưu kế hoạch mới.');
    await expect(page.locator('ol.tasks li').nth(2).textContent()).resolves.toContain(CORRECTED);
    const plan = await stack.deps.plans.getPlan('30-kh-duk');
    expect(plan?.taskGroups.map((g) => g.title)[2]).toBe(CORRECTED);
    expect(plan?.taskGroups).toHaveLength(6);
    await noHorizontalScroll(page);
    await shoot(page, 'plan-page');
    expect(errors).toEqual([]);
  });

  it('shows each page built for plans without horizontal scrolling on a phone', async () => {
    const page = await context.newPage();
    // The calendar form open, as after a refused change
    await page.goto(`${stack.appUrl}/admin/plans/30-kh-duk`);
    await page.getByText('Sửa lịch báo cáo').click();
    await page.getByLabel('Các ngày nhắc').fill('-40, 1');
    await page.getByRole('button', { name: 'Lưu lịch báo cáo' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'ngày nhắc -40 rơi vào trước khi mở kỳ',
    );
    await noHorizontalScroll(page);
    await shoot(page, 'plan-calendar-error');

    // A document with parts missing: the preview marks them
    await page.goto(`${stack.appUrl}/admin/plans/import`);
    await page.getByLabel('Tài liệu kế hoạch (.docx, .pdf có lớp chữ, .txt)').setInputFiles({
      name: 'thieu.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        SEED_PLAN_TEXT.replace('Số 30-KH/ĐUK', '').replace('Đảng ủy Sở xây dựng', 'Chúng tôi xây dựng'),
      ),
    });
    await page.getByRole('button', { name: 'Đọc tài liệu' }).click();
    await expect(page.getByText('Chưa đọc được — hãy điền.').first().isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Số kế hoạch').getAttribute('aria-invalid')).resolves.toBe('true');
    await noHorizontalScroll(page);
    await shoot(page, 'plan-preview-missing');

    // Opening the period: the confirmation, then the period
    await page.goto(`${stack.appUrl}/admin/plans/30-kh-duk`);
    await page.getByRole('link', { name: 'Mở kỳ báo cáo năm 2026 ngay' }).click();
    await expect(page.locator('[data-count]').textContent()).resolves.toBe('2');
    await noHorizontalScroll(page);
    await shoot(page, 'plan-open-confirm');
    await page.getByRole('button', { name: 'Mở kỳ và gửi 2 e-mail' }).click();
    await page.waitForURL(/\/admin\/plans\/30-kh-duk\/2026\?done=opened$/);
    await page.goto(`${stack.appUrl}/admin`);
    await expect(page.locator('[data-progress]').textContent()).resolves.toBe('0/2 đã nộp');
    await noHorizontalScroll(page);
    await shoot(page, 'plans-list');
  });
});
