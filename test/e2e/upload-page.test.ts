/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '#shared/adapters/aws-clients.ts';
import { createUploadDeps } from '#shared/adapters/create-upload-deps.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/services/periods.ts';
import { importPlan } from '#shared/services/plans.ts';
import { importUnits } from '#shared/services/units.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { launchBrowser } from '#test/support/browser.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { eventually } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PDF_BYTES = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The upload page in Chromium against the local stack. The handlers run on the real clock, so
 * the period is opened around today: deadline in 30 days.
 */
describe('the upload page in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let url: string;
  let year: number;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchBrowser();
    const deps = createUploadDeps(stack.config);
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    year = Number(today.slice(0, 4));
    await importUnits(deps, 'id,name,email\ncb-a,Chi bộ A,a@example.org\n');
    const { plan } = await importPlan(deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod({ ...stack.deps, ...deps }, { planId: plan.id, year, deadline: addDays(today, 30) });
    url = (await linkFor(deps, plan.id, year, 'cb-a')).url;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url);
    return { page, problems };
  }

  it('shows the unit, the deadline and a labelled note per task group, with no CSP violation', async () => {
    const { page, problems } = await openPage();
    await expect(page.locator('h1').textContent()).resolves.toBe(`Nộp báo cáo năm ${year}`);
    await expect(page.locator('[data-unit-id="cb-a"]').textContent()).resolves.toBe('Chi bộ A');
    await expect(page.locator('.facts').textContent()).resolves.toContain('còn 30 ngày');
    await expect(page.getByLabel(/^1\. Số hóa hồ sơ/).count()).resolves.toBe(1);
    await expect(page.getByLabel(/Chọn tệp báo cáo/).getAttribute('accept')).resolves.toContain('.pdf');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses a disallowed file before asking the server', async () => {
    const { page, problems } = await openPage();
    await page.getByLabel(/Chọn tệp báo cáo/).setInputFiles({
      name: 'trang.html',
      mimeType: 'text/html',
      buffer: Buffer.from('<html></html>'),
    });
    await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await expect(page.locator('#status').textContent()).resolves.toContain(
      'trang.html (không nhận loại tệp này)',
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('uploads a file straight to storage with a progress bar, under the server’s key', async () => {
    // Prepare
    const { page, problems } = await openPage();
    await page.getByLabel(/^1\. Số hóa hồ sơ/).fill('Đã số hóa toàn bộ sổ sách.');
    await page.getByLabel(/Chọn tệp báo cáo/).setInputFiles({
      name: 'Báo cáo năm.pdf',
      mimeType: 'application/pdf',
      buffer: PDF_BYTES,
    });
    // Act
    await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
    // Assess
    await page.waitForFunction(() =>
      document.querySelector('#status')?.textContent?.includes('Đã tải lên 1 tệp'),
    );
    await expect(
      page.locator('#file-list progress').evaluate((p) => (p as HTMLProgressElement).value),
    ).resolves.toBe(100);
    // The browser posted to the server's landing key; the recorder kept a copy under reports/
    // named by its SHA-256 and, last, deleted the landing object.
    const list = async (prefix: string) =>
      (
        await createS3Client(stack.config).send(
          new ListObjectsV2Command({ Bucket: stack.config.REPORTS_BUCKET, Prefix: prefix }),
        )
      ).Contents?.map((o) => o.Key) ?? [];
    const kept = await eventually(async () =>
      (await list('reports/')).length > 0 ? list('reports/') : undefined,
    );
    expect(kept).toEqual([
      expect.stringMatching(
        new RegExp(`^reports/12-kh-dus-2025/${year}/cb-a/1-[0-9a-f]{32}/${sha256Hex(PDF_BYTES)}$`),
      ),
    ]);
    await eventually(async () => ((await list('uploads/')).length === 0 ? true : undefined));
    expect(problems).toEqual([]);
    await page.close();
  });
});
