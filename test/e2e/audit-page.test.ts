/// <reference lib="dom" />
/**
 * The "Nhật ký" page on a phone, in headless Chromium against the local stack: reached from the
 * header, it lists what the committee just did (a unit added through its page), filters by unit,
 * refuses a date that does not exist in Vietnamese with a way onward, and downloads the .xlsx.
 * Each state has no serious axe-core violation, no horizontal scroll at 390 px, and touch targets
 * of at least 44 px. Screenshots go to BAOCAO_SHOTS when it is set.
 */
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importUnits } from '#shared/units/units.ts';
import { seriousViolations } from '#test/support/axe.ts';
import { launchBrowser, screenshots } from '#test/support/browser.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';

const PHONE = { width: 390, height: 844 };

describe('the audit log page on a phone (headless Chromium, local stack)', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack();
    await importUnits(stack.deps, 'id,name,email\ncb-a,Chi bộ A,a@example.org\n');
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: PHONE, bypassCSP: true, acceptDownloads: true });
    page = await context.newPage();
    await page.goto(`${stack.appUrl}/admin/sign-in`);
    await page.getByLabel('Địa chỉ e-mail').fill('vanphong@demo.baocao.example');
    await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await page.getByRole('status').waitFor();
    await stack.mailQueue.drain();
    const mail = (await storedEmails(stack.mailUrl)).find((m) => m.subject.includes('Liên kết đăng nhập'));
    await page.goto(mail!.body.text!.match(/http\S+\/admin\/sign-in\/\S+/)![0]);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/admin$/);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function checkPage(name: string): Promise<void> {
    expect(await seriousViolations(page), name).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, name).toBeLessThanOrEqual(0);
    const small = await page.evaluate(() =>
      Array.from(
        document.querySelectorAll('main button, main input:not([type=hidden]), main select, main a.button'),
      )
        .filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(small, name).toEqual([]);
    await screenshots(page, `audit-${name}`);
  }

  it('lists, filters, refuses a bad date and downloads the workbook', async () => {
    // A unit added through its page is recorded.
    await page.goto(`${stack.appUrl}/admin/units`);
    await page.getByLabel('Mã đơn vị').fill('cb-moi');
    await page.getByLabel('Tên đơn vị').fill('Chi bộ Mới');
    await page.getByLabel('E-mail nhận liên kết').fill('moi@example.org');
    await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
    await page.waitForURL(/\/admin\/units\/cb-moi\?done=added$/);
    // The log, from the header.
    await page.getByRole('link', { name: 'Nhật ký', exact: true }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Nhật ký');
    await expect(
      page.locator('tr[data-kind="unit.changed"] td[data-label="Đối tượng"]').textContent(),
    ).resolves.toBe('cb-moi');
    await checkPage('list');
    // Filter by another unit: nothing.
    await page.getByLabel('Mã đơn vị').fill('cb-a');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect(page.getByText('Không có bản ghi nào').textContent()).resolves.toContain('khớp bộ lọc');
    // A date that does not exist.
    await page.getByLabel('Mã đơn vị').fill('');
    await page.getByLabel('Từ ngày').fill('31/02/2026');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Ngày bắt đầu không hợp lệ: "31/02/2026" (cần ngày có thật, dạng ngày/tháng/năm, ví dụ 15/12/2026).',
    );
    await expect(page.getByLabel('Từ ngày').inputValue()).resolves.toBe('31/02/2026');
    await checkPage('error');
    // The workbook of the default filter.
    await page.getByRole('link', { name: 'Xem 30 ngày gần nhất' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải xuống .xlsx' }).click(),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    const sheet = book.getWorksheet('Nhật ký')!;
    expect(sheet.getRow(1).getCell(3).value).toBe('Sự kiện');
    expect(sheet.getRow(2).getCell(3).value).toBe('Thay đổi đơn vị');
    expect(sheet.getRow(2).getCell(6).value).toBe('cb-moi');
  });
});
