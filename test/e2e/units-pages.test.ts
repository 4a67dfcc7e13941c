/// <reference lib="dom" />
/**
 * The office keeps its units and chooses who reports on a plan from a phone, in headless
 * Chromium against the local stack: adds a unit by hand, imports an .xlsx through its preview,
 * narrows the plan to three units through a preview (only those three get links), retires one
 * (its link is refused). Every page on the way — the previews and the refusals included, which the
 * route-table accessibility test cannot reach — has no serious axe-core violation, no horizontal
 * scroll at 390 px, and touch targets of at least 44 px.
 */

import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { announcePeriod } from '#shared/periods/run-planner.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { seriousViolations } from '#test/support/axe.ts';
import { launchBrowser } from '#test/support/browser.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';

const PHONE = { width: 390, height: 844 };
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);

describe('units and recipients on a phone (headless Chromium, local stack)', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack({ clock: fixedClock('2026-11-29T02:00:00Z') });
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\n',
    );
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    browser = await launchBrowser();
    // axe is injected as a script: the pages' CSP would refuse it (test/support/axe.ts).
    context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
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

  /** The page as people meet it: no serious axe violation, nothing wider than the phone. */
  async function checkPage(name: string): Promise<void> {
    expect(await seriousViolations(page), name).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, name).toBeLessThanOrEqual(0);
    const small = await page.evaluate(() =>
      // A checkbox or radio is 24 px: its label (class checkbox, 44 px high) is the target.
      Array.from(
        document.querySelectorAll(
          'main button, main input:not([type=hidden]), main select, main label.checkbox',
        ),
      )
        .filter((e) => !e.closest('label.checkbox') || e.matches('label.checkbox'))
        .filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(small, name).toEqual([]);
  }

  it('adds a unit by hand and imports an .xlsx through its preview', async () => {
    // The units page, from the header.
    await page.getByRole('link', { name: 'Đơn vị', exact: true }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Đơn vị');
    await checkPage('units');
    // Add one unit.
    await page.getByLabel('Mã đơn vị').fill('cb-c');
    await page.getByLabel('Tên đơn vị').fill('Chi bộ C');
    await page.getByLabel('E-mail nhận liên kết').fill('c@example.org');
    await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
    await page.waitForURL(/\/admin\/units\/cb-c\?done=added$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Đã thêm đơn vị.');
    await checkPage('unit');
    // Import a workbook: a preview first, nothing written.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Đơn vị');
    sheet.addRows([
      ['Mã đơn vị', 'Tên đơn vị', 'Email'],
      ['cb-d', 'Chi bộ D', 'd@example.org'],
      ['cd', 'Công đoàn cơ sở', 'cd@example.org'],
    ]);
    await page.goto(`${stack.appUrl}/admin/units`);
    await page.getByLabel('Tệp danh sách đơn vị (.xlsx hoặc .csv)').setInputFiles({
      name: 'don-vi.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Xem trước: don-vi.xlsx');
    await checkPage('import preview');
    expect(await stack.deps.plans.getUnit('cd')).toBeUndefined();
    await page.getByRole('button', { name: 'Xác nhận nhập 2 đơn vị' }).click();
    await page.waitForURL(/\/admin\/units\?done=imported/);
    expect((await stack.deps.plans.listUnits()).map((u) => u.id).sort()).toEqual([
      'cb-a',
      'cb-b',
      'cb-c',
      'cb-d',
      'cd',
    ]);
  });

  it('shows a refused file’s errors with their rows, and a way back', async () => {
    await page.goto(`${stack.appUrl}/admin/units`);
    await page.getByLabel('Tệp danh sách đơn vị (.xlsx hoặc .csv)').setInputFiles({
      name: 'sai.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('id,name,email\ncb-x,=1+1,x@example.org\ncb-x,Trùng,y@\n'),
    });
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Chưa nhập được sai.csv');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Tệp có 3 lỗi.');
    await checkPage('import errors');
    await page.getByRole('link', { name: 'Chọn tệp khác' }).click();
    await page.waitForURL(/\/admin\/units#nhap$/);
  });

  it('narrows the plan to three units through a preview: only those three get links', async () => {
    // The period opens for every active unit; then the office narrows the plan.
    await openPeriod(stack.deps, { planId: PLAN, year: YEAR });
    await announcePeriod(createPlannerDeps(stack.runtime), PLAN, YEAR, new Date('2026-11-29T02:00:00Z'));
    await stack.mailQueue.drain();
    await page.goto(`${stack.appUrl}/admin/plans/${PLAN}/recipients`);
    await checkPage('recipients');
    await page.getByLabel('Chỉ các đơn vị được chọn dưới đây').check();
    for (const name of ['Chi bộ A', 'Chi bộ C', 'Công đoàn cơ sở']) await page.getByLabel(name).check();
    await page.getByRole('button', { name: 'Xem trước thay đổi' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Xem trước: đơn vị nhận kế hoạch số 12-KH/ĐUS',
    );
    await checkPage('recipients preview');
    expect((await stack.deps.plans.getPlan(PLAN))?.recipientUnitIds).toBeNull();
    await clearEmails(stack.mailUrl);
    await page.getByRole('button', { name: 'Xác nhận thay đổi' }).click();
    await page.waitForURL(/recipients\?done=saved/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('2 đơn vị thôi báo cáo');
    const status = (await (
      await page.request.get(`${stack.appUrl}/api/plans/${PLAN}/periods/${YEAR}`)
    ).json()) as {
      expected: number;
      rows: { unitId: string }[];
    };
    expect(status.rows.map((r) => r.unitId)).toEqual(['cb-a', 'cb-c', 'cd']);
    expect(status.expected).toBe(3);
  });

  it('retires a unit from its page: the period expects one less', async () => {
    await page.goto(`${stack.appUrl}/admin/units/cd`);
    await page.getByLabel('Lý do', { exact: true }).selectOption('dissolved');
    await page.getByRole('button', { name: 'Cho Công đoàn cơ sở thôi báo cáo' }).click();
    await page.waitForURL(/\/admin\/units\/cd\?done=retired$/);
    await expect(page.locator('[data-unit-status]').textContent()).resolves.toBe(
      'Thôi báo cáo từ 29/11/2026 — giải thể',
    );
    await checkPage('retired unit');
    const status = (await (
      await page.request.get(`${stack.appUrl}/api/plans/${PLAN}/periods/${YEAR}`)
    ).json()) as {
      expected: number;
    };
    expect(status.expected).toBe(2);
  });
});
