/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '#test/support/browser.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';

const UNIT_EMAIL = 'cb.vanphong@demo.baocao.example';
/** A small but real PDF (the on-upload function checks the magic bytes). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/**
 * The whole path of a branch secretary, in Chromium against the local stack with the demo data
 * (whose period is opened on the real clock, and whose "opened" e-mails carry the links):
 * link from the e-mail → upload page → upload → receipt on the page → receipt e-mail.
 */
describe('a unit reports through the link in its e-mail', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack({ demo: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('uploads a PDF, sees the receipt, and gets the receipt e-mail with the right SHA-256', async () => {
    // Prepare: the link, as the unit finds it in the "period opened" e-mail.
    await stack.mailQueue.drain();
    const opened = (await storedEmails(stack.mailUrl)).find((m) => m.destination.to.includes(UNIT_EMAIL));
    expect(opened?.subject).toMatch(/^\[12-KH\/ĐUS\] Mở kỳ báo cáo năm \d{4} — hạn nộp \d\d\/\d\d\/\d{4}$/);
    const link = opened?.body.text?.match(/http\S+\/u\/[A-Za-z0-9._-]+/)?.[0];
    expect(link).toBeDefined();
    const sha256 = createHash('sha256').update(PDF).digest('hex');

    // Act
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(link!);
    await expect(page.locator('#unit-status').textContent()).resolves.toBe('Chưa nộp');
    await page.getByLabel(/^1\. Số hóa hồ sơ/).fill('Chi bộ đã số hóa sổ biên bản sinh hoạt năm nay.');
    await page.getByLabel(/Chọn tệp báo cáo/).setInputFiles({
      name: 'Báo cáo kết quả năm.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await page.getByRole('button', { name: 'Nộp báo cáo' }).click();

    // Assess: the receipt appears on the page once the upload is recorded…
    const receipt = page.locator('#receipt');
    await receipt.getByText(`SHA-256: ${sha256}`).waitFor({ timeout: 30_000 });
    await expect(receipt.locator('h2').textContent()).resolves.toBe('Biên nhận lần nộp số 1');
    await expect(receipt.textContent()).resolves.toContain('Báo cáo kết quả năm.pdf');
    await expect(receipt.locator('.on_time').textContent()).resolves.toBe('Đúng hạn');
    // The status line (aria-live) says so, the focus moves to the receipt's heading, the status at
    // the top says reported, the receipt is shown once (not again in the list of submissions) and
    // the chosen files are cleared, all without a reload, a CSP violation or an error.
    await expect(page.locator('#status').textContent()).resolves.toBe(
      'Đã nhận báo cáo. Biên nhận ở bên dưới.',
    );
    await expect(page.locator('#status').getAttribute('class')).resolves.toBe('status ok');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Biên nhận lần nộp số 1',
    );
    await expect(page.locator('#unit-status').textContent()).resolves.toBe('Đã nộp lần số 1 (đúng hạn)');
    await expect(page.locator('#receipt [data-version="1"]').textContent()).resolves.toContain(
      `SHA-256: ${sha256}`,
    );
    await expect(page.getByText(`SHA-256: ${sha256}`).count()).resolves.toBe(1);
    await expect(page.locator('#history-list [data-version]').count()).resolves.toBe(0);
    await expect(page.locator('#file-list li').count()).resolves.toBe(0);
    await expect(
      page.getByLabel(/Chọn tệp báo cáo/).evaluate((i) => (i as HTMLInputElement).files?.length),
    ).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Nộp báo cáo' }).isEnabled()).resolves.toBe(true);
    expect(problems).toEqual([]);

    // …and the receipt e-mail carries the same checksum.
    await stack.mailQueue.drain();
    const receiptMail = (await storedEmails(stack.mailUrl)).find(
      (m) => m.destination.to.includes(UNIT_EMAIL) && m.subject.includes('Biên nhận'),
    );
    expect(receiptMail?.subject).toMatch(/^\[12-KH\/ĐUS\] Biên nhận báo cáo năm \d{4} — Chi bộ Văn phòng$/);
    expect(receiptMail?.body.text).toContain(`SHA-256: ${sha256}`);
    expect(receiptMail?.body.text).toContain('Đúng hạn');

    // The committee sees the unit as reported on time.
    const [period] = await stack.deps.plans.listPeriods('12-kh-dus-2025');
    const status = await stack.deps.submissions.getAssignment('12-kh-dus-2025', period!.year, 'cb-van-phong');
    expect(status).toMatchObject({ status: 'on_time', latestVersion: 1 });
    expect(status?.files.map((f) => f.sha256)).toEqual([sha256]);
  });
});
