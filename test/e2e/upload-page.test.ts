/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { createS3Client } from '#shared/adapters/aws-clients.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { linkFor, revokeLink } from '#shared/uploads/links.ts';
import { launchBrowser, screenshots } from '#test/support/browser.ts';
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
  let planId: string;
  let deps: UploadDeps;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchBrowser();
    deps = createUploadDeps(stack.runtime);
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    year = Number(today.slice(0, 4));
    await importUnits(
      deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\ncb-c,Chi bộ C,c@example.org\n',
    );
    const { plan } = await importPlan(deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    planId = plan.id;
    await openPeriod({ ...stack.deps, ...deps }, { planId, year, deadline: addDays(today, 30) });
    url = (await linkFor(deps, planId, year, 'cb-a')).url;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function openPage(at = url): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(at);
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

  it('lists the chosen files with their sizes and refuses more than 10 at once', async () => {
    // Prepare
    const { page, problems } = await openPage();
    const files = Array.from({ length: 11 }, (_, i) => ({
      name: `bao-cao-${i + 1}.pdf`,
      mimeType: 'application/pdf',
      buffer: PDF_BYTES,
    }));
    // Act
    await page.getByLabel(/Chọn tệp báo cáo/).setInputFiles(files);
    // Assess: one line per file with its size and a labelled progress bar, and the count refused.
    await expect(page.locator('#file-list li').count()).resolves.toBe(11);
    await expect(page.locator('#file-list li').first().textContent()).resolves.toBe(
      `bao-cao-1.pdf (${PDF_BYTES.length} byte)`,
    );
    await expect(page.getByLabel('Tiến độ tải lên bao-cao-11.pdf').count()).resolves.toBe(1);
    await expect(page.locator('#status').textContent()).resolves.toBe(
      'Chỉ nộp tối đa 10 tệp mỗi lần; đơn vị đã chọn 11 tệp.',
    );
    await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await expect(page.locator('#status').textContent()).resolves.toBe('Chỉ nộp tối đa 10 tệp mỗi lần.');
    await expect(page.locator('#status').getAttribute('class')).resolves.toBe('status error');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('files');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the server’s message and keeps the form disabled when the link was replaced', async () => {
    // Prepare: the page is open, then the committee sends the unit a new link.
    const { page, problems } = await openPage((await linkFor(deps, planId, year, 'cb-b')).url);
    await revokeLink(deps, planId, year, 'cb-b');
    await page.getByLabel(/Chọn tệp báo cáo/).setInputFiles({
      name: 'bao-cao.pdf',
      mimeType: 'application/pdf',
      buffer: PDF_BYTES,
    });
    // Act
    await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
    // Assess
    await page.locator('#status.error').waitFor();
    await expect(page.locator('#status').textContent()).resolves.toMatch(
      /^Liên kết này đã được thay bằng liên kết mới\./,
    );
    await expect(page.getByRole('button', { name: 'Nộp báo cáo' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByLabel(/Chọn tệp báo cáo/).isDisabled()).resolves.toBe(true);
    // The refused request is the one console error; nothing else (no CSP violation, no exception).
    expect(problems).toEqual([expect.stringMatching(/status of 410/)]);
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
  it('updates the status at the top after the receipt, and never records the same file twice', async () => {
    // Prepare
    const { page, problems } = await openPage((await linkFor(deps, planId, year, 'cb-c')).url);
    await expect(page.locator('#unit-status').textContent()).resolves.toBe('Chưa nộp');
    const file = { name: 'Báo cáo Chi bộ C.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES };
    const button = page.getByRole('button', { name: 'Nộp báo cáo' });
    await page.getByLabel(/Chọn tệp báo cáo/).setInputFiles(file);
    await screenshots(page, 'upload-chosen');
    // Act: upload, then press the button again.
    await button.click();
    await page.locator('#receipt h2').getByText('Biên nhận lần nộp số 1').waitFor({ timeout: 30_000 });
    // Assess: the status at the top changed without a reload; the chosen file is cleared.
    await expect(page.locator('#unit-status').textContent()).resolves.toBe('Đã nộp lần số 1 (đúng hạn)');
    await expect(page.locator('#file-list li').count()).resolves.toBe(0);
    await screenshots(page, 'upload-receipt');
    await button.click();
    await expect(page.locator('#status').textContent()).resolves.toBe('Hãy chọn ít nhất một tệp báo cáo.');
    // The same file chosen again: the server recognises it, nothing is recorded, the receipt of
    // version 1 is shown (once).
    await page.getByLabel(/Chọn tệp báo cáo/).setInputFiles(file);
    await button.click();
    await page.waitForFunction(() =>
      document.querySelector('#status')?.textContent?.includes('đã được nhận ở lần nộp số 1'),
    );
    await expect(page.locator('#status').getAttribute('class')).resolves.toBe('status ok');
    await expect(page.locator('#receipt h2').textContent()).resolves.toBe('Biên nhận lần nộp số 1');
    await expect(page.getByText(`SHA-256: ${sha256Hex(PDF_BYTES)}`).count()).resolves.toBe(1);
    await expect(page.locator('#file-list li').count()).resolves.toBe(0);
    await screenshots(page, 'upload-already-received');
    const assignment = await deps.uploads.readLinkContext(planId, year, 'cb-c');
    expect(assignment.assignment).toMatchObject({ versionCounter: 1, latestVersion: 1 });
    expect((await deps.uploads.recentVersions(planId, year, 'cb-c', 10)).map((v) => v.version)).toEqual([1]);

    // A file the recorder refuses (not a real PDF): its block is not a receipt, the status at the
    // top still counts version 1.
    await page.getByLabel(/Chọn tệp báo cáo/).setInputFiles({
      name: 'gia-mao.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<html>không phải PDF</html>'),
    });
    await button.click();
    await page.locator('#receipt h2').getByText('Lần nộp số 2 không được nhận').waitFor({ timeout: 30_000 });
    await expect(page.locator('#receipt').textContent()).resolves.not.toContain('Biên nhận');
    await expect(page.locator('#receipt').textContent()).resolves.toContain('gia-mao.pdf');
    await expect(page.locator('#status').getAttribute('class')).resolves.toBe('status error');
    await expect(page.locator('#unit-status').textContent()).resolves.toBe('Đã nộp lần số 1 (đúng hạn)');
    await expect(page.locator('#history-list [data-version="1"]').count()).resolves.toBe(1);
    await screenshots(page, 'upload-refused');
    expect(problems).toEqual([expect.stringMatching(/status of 409/)]);
    await page.close();
  });
});
