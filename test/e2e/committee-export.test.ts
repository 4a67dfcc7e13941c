/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { grantExtension } from '#shared/periods/reporting-calendar.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { launchBrowser } from '#test/support/browser.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';
import { eventually, uploadAsUnit } from '#test/support/uploads.ts';
import { zipEntries } from '#test/support/zip.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const pdf = (text: string) =>
  Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The committee's side in Chromium: sign in through the e-mailed link, see a period where one
 * unit reported on time (it has an extension), one late and one not at all, start the export,
 * download the ZIP. The handlers run on the real clock: the deadline is three days ago.
 */
describe('the committee watches a period and downloads the consolidated results', () => {
  let stack: TestStack;
  let browser: Browser;
  let year: number;
  const files = { onTime: pdf('Chi bộ Văn phòng'), late: pdf('Chi bộ Thanh tra') };

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchBrowser();
    const deps = stack.deps;
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    const deadline = addDays(today, -3);
    year = Number(deadline.slice(0, 4));
    await importUnits(
      deps,
      'id,name,email\ncb-van-phong,Chi bộ Văn phòng,vp@example.org\ncb-thanh-tra,"Chi bộ Thanh tra, Pháp chế",tt@example.org\ncb-khac,Chi bộ Khác,khac@example.org\n',
    );
    const { plan } = await importPlan(deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod(deps, { planId: plan.id, year, deadline, openDate: addDays(deadline, -30) });
    await grantExtension(deps, plan.id, year, 'cb-van-phong', addDays(today, 5));
    await uploadAsUnit(
      stack.runtime,
      plan.id,
      year,
      'cb-van-phong',
      { name: 'Báo cáo năm.pdf', type: 'application/pdf', bytes: files.onTime },
      { '1': 'Đã số hóa sổ sách.' },
    );
    await uploadAsUnit(stack.runtime, plan.id, year, 'cb-thanh-tra', {
      name: 'bao-cao.pdf',
      type: 'application/pdf',
      bytes: files.late,
    });
    await eventually(async () => {
      const a = await deps.submissions.getAssignment(plan.id, year, 'cb-thanh-tra');
      const b = await deps.submissions.getAssignment(plan.id, year, 'cb-van-phong');
      return a?.latestVersion && b?.latestVersion ? true : undefined;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs in, sees on time / late / missing, starts the export and downloads the ZIP', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    // Sign in through the link in the mail viewer's store.
    await page.goto(`${stack.appUrl}/admin`);
    await page.getByLabel('Địa chỉ e-mail').fill('vanphong@demo.baocao.example');
    await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await stack.mailQueue.drain();
    const mail = (await storedEmails(stack.mailUrl)).find((m) => m.subject.includes('Liên kết đăng nhập'));
    await page.goto(mail!.body.text!.match(/http\S+\/admin\/sign-in\/\S+/)![0]);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();

    // The period, as the committee sees it.
    await page.goto(`${stack.appUrl}/admin/plans/12-kh-dus-2025/${year}`);
    const statusOf = (unitId: string) => page.locator(`tr[data-unit-id="${unitId}"] td`).nth(2).textContent();
    await expect(statusOf('cb-van-phong')).resolves.toMatch(/^Đúng hạn/);
    await expect(statusOf('cb-thanh-tra')).resolves.toMatch(/^Trễ hạn \(3 ngày\)/);
    await expect(statusOf('cb-khac')).resolves.toMatch(/^Chưa nộp/);
    await expect(page.locator('[data-rate="completeness"]').textContent()).resolves.toBe('66,7%');
    await expect(page.locator('[data-rate="timeliness"]').textContent()).resolves.toBe('33,3%');

    // Start the export; it runs asynchronously, then the page offers the ZIP.
    await page.getByRole('button', { name: 'Tổng hợp kết quả' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đang tổng hợp');
    await stack.exportRunner.drain();
    await page.reload();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải tệp ZIP' }).click(),
    ]);
    const zipPath = await download.path();
    const entries = await zipEntries(zipPath);

    // The ZIP holds the contract's layout, and every file matches its receipt.
    expect(Object.keys(entries).sort()).toEqual([
      'bao-cao-tong-hop.docx',
      'don-vi/cb-thanh-tra - Chi bộ Thanh tra, Pháp chế/bao-cao.pdf',
      'don-vi/cb-van-phong - Chi bộ Văn phòng/Báo cáo năm.pdf',
      'summary.csv',
      'tong-hop.xlsx',
    ]);
    expect(sha(entries['don-vi/cb-van-phong - Chi bộ Văn phòng/Báo cáo năm.pdf']!)).toBe(sha(files.onTime));
    expect(sha(entries['don-vi/cb-thanh-tra - Chi bộ Thanh tra, Pháp chế/bao-cao.pdf']!)).toBe(
      sha(files.late),
    );
    const summary = entries['summary.csv']!.toString('utf8');
    expect(summary).toContain(`cb-van-phong,Chi bộ Văn phòng,on_time,`);
    expect(summary).toContain(`,late,`);
    expect(summary).toMatch(/cb-khac,Chi bộ Khác,missing,/);
    await context.close();
  });
});
