/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import { addDays, formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { grantExtension } from '#shared/periods/reporting-calendar.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { launchBrowser } from '#test/support/browser.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';
import { eventually, uploadAsUnit } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
/** Screenshots for people to look at (outside the repository). */
const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/shots';
const PDF = Buffer.from('%PDF-1.4\n% Chi bộ Văn phòng\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** Twelve units; days from the deadline each reported (null: not yet). */
const UNITS: [id: string, name: string, day: number | null][] = [
  ['cb-01', 'Chi bộ Phòng Tổ chức cán bộ', -25],
  ['cb-02', 'Chi bộ Phòng Kế hoạch – Tài chính', -20],
  ['cb-03', 'Chi bộ Thanh tra, Pháp chế', -12],
  ['cb-04', 'Chi bộ Trung tâm Công nghệ thông tin', -8],
  ['cb-05', 'Chi bộ Bưu chính', -5],
  ['cb-06', 'Chi bộ Báo chí, Xuất bản', -1],
  ['cb-07', 'Chi bộ Phát thanh – Truyền hình', 0],
  ['cb-08', 'Chi bộ Trung tâm Giám sát an toàn không gian mạng', 1],
  ['cb-09', 'Chi bộ Trung tâm Thông tin cơ sở', 2],
  ['cb-10', 'Chi bộ Công đoàn cơ sở', null],
  ['cb-11', 'Chi bộ Đoàn Thanh niên', null],
  ['cb-van-phong', 'Chi bộ Văn phòng', null],
];

/**
 * The period page a secretary reads at a glance, in Chromium on a phone (390×844) and a desktop
 * (1280×800): the chart is drawn and readable, the filters narrow the list, the unit's name
 * leads to its page (notes, files), and the revocation asks first. The handlers run on the real
 * clock: the deadline was three days ago; the statuses are seeded straight into the table, one
 * unit uploads through its link.
 */
describe('the period page in Chromium, phone and desktop', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let year: number;
  let deadline: string;
  let period: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startTestStack();
    browser = await launchBrowser();
    const deps = stack.deps;
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    deadline = addDays(today, -3);
    year = Number(deadline.slice(0, 4));
    const csv = UNITS.map(([id, name]) => `${id},"${name}",${id}@example.org`).join('\n');
    await importUnits(deps, `id,name,email\n${csv}\n`);
    const { plan } = await importPlan(deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod(deps, { planId: plan.id, year, deadline, openDate: addDays(deadline, -30) });
    period = `/admin/plans/${plan.id}/${year}`;
    for (const [id, , day] of UNITS) {
      if (day === null) continue;
      await stack.runtime.dynamo.send(
        new UpdateCommand({
          TableName: stack.config.SUBMISSIONS_TABLE,
          Key: submissionKeys.assignment(plan.id, year, id),
          UpdateExpression: 'SET #status = :s, submittedAt = :t',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':s': day <= 0 ? 'on_time' : 'late',
            ':t': `${addDays(deadline, day)}T05:00:00.000Z`,
          },
        }),
      );
    }
    await stack.runtime.dynamo.send(
      new UpdateCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        Key: submissionKeys.assignment(plan.id, year, 'cb-11'),
        UpdateExpression: 'SET mailProblem = :p',
        ExpressionAttributeValues: {
          ':p': {
            at: new Date().toISOString(),
            problem: 'Thư bị trả lại (địa chỉ không tồn tại): cb-11@example.org',
          },
        },
      }),
    );
    await grantExtension(deps, plan.id, year, 'cb-van-phong', addDays(today, 5));
    await uploadAsUnit(
      stack.runtime,
      plan.id,
      year,
      'cb-van-phong',
      { name: 'Báo cáo năm.pdf', type: 'application/pdf', bytes: PDF },
      {
        '1': 'Đã số hóa 120 hồ sơ đảng viên.\nCòn 15 hồ sơ chờ bổ sung.',
        '3': 'Tổ chức 2 lớp bồi dưỡng kỹ năng số.',
      },
    );
    await eventually(async () =>
      (await deps.submissions.getAssignment(plan.id, year, 'cb-van-phong'))?.latestVersion ? true : undefined,
    );
    context = await browser.newContext();
    await signIn(await context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${stack.appUrl}/admin`);
    await page.getByLabel('Địa chỉ e-mail').fill('vanphong@demo.baocao.example');
    await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await stack.mailQueue.drain();
    const mail = (await storedEmails(stack.mailUrl)).find((m) => m.subject.includes('Liên kết đăng nhập'));
    await page.goto(mail!.body.text!.match(/http\S+\/admin\/sign-in\/\S+/)![0]);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/admin$/);
  }

  /** Controls in the page's main part smaller than 44 px in either direction (hidden ones aside). */
  const smallTargets = (page: Page) =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll('main a, main button, main input, main summary'))
        .map((el) => ({ el, box: el.getBoundingClientRect() }))
        .filter(
          ({ el, box }) =>
            box.width > 0 && !el.closest('p, li:not(.filters li), dd, figcaption, td[data-label="Tệp"]'),
        )
        .filter(({ box }) => box.height < 44 || box.width < 44)
        .map(
          ({ el, box }) =>
            `${el.tagName} "${el.textContent?.trim()}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        ),
    );

  describe.each([
    ['phone', 390, 844],
    ['desktop', 1280, 800],
  ])('on a %s (%i×%i)', (label, width, height) => {
    it('draws the chart, readable, and filters the units', async () => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${stack.appUrl}${period}`);

      // The chart: visible, as wide as the column allows, its text at least 12 px on screen.
      const chart = page.getByRole('img', { name: /Số đơn vị đã nộp báo cáo năm \d{4} theo ngày/ });
      await expect(chart.isVisible()).resolves.toBe(true);
      const box = (await chart.boundingBox())!;
      expect(box.width).toBeGreaterThan(300);
      const smallest = await page.evaluate(() =>
        Math.min(
          ...Array.from(document.querySelectorAll('figure.chart svg text')).map(
            (t) => (t as SVGTextElement).getBoundingClientRect().height,
          ),
        ),
      );
      expect(smallest).toBeGreaterThanOrEqual(12);
      await expect(page.locator('figure.chart figcaption').textContent()).resolves.toContain(
        '10/12 đơn vị đã nộp (8 đúng hạn, 2 trễ hạn), 2 đơn vị chưa nộp',
      );
      await expect(page.locator('figure.chart').textContent()).resolves.toContain(
        `Hạn nộp ${formatDateVi(deadline).slice(0, 5)}`,
      );
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await smallTargets(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/period-${width}.png`, fullPage: true });
      await page.locator('figure.chart').screenshot({ path: `${SHOTS}/chart-${width}.png` });

      // The filters: links, the current one marked.
      await page.getByRole('link', { name: 'Chưa nộp (2)' }).click();
      expect(new URL(page.url()).searchParams.get('loc')).toBe('missing');
      await expect(
        page
          .locator('tbody tr[data-unit-id]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit-id'))),
      ).resolves.toEqual(['cb-10', 'cb-11']);
      await expect(
        page.getByRole('link', { name: 'Chưa nộp (2)' }).getAttribute('aria-current'),
      ).resolves.toBe('page');
      await page.getByRole('link', { name: 'Có lỗi e-mail (1)' }).click();
      await expect(page.locator('tbody tr[data-unit-id]').count()).resolves.toBe(1);
      await expect(page.locator('[data-mail-problem]').textContent()).resolves.toContain('Thư bị trả lại');
      await page.getByRole('link', { name: 'Trễ hạn (2)' }).click();
      await expect(page.locator('tbody tr[data-unit-id]').count()).resolves.toBe(2);
      await page.getByRole('link', { name: 'Tất cả (12)' }).click();
      await expect(page.locator('tbody tr[data-unit-id]').count()).resolves.toBe(12);
      // Each unit's actions carry its name for screen readers.
      await expect(
        page.getByRole('button', { name: 'Gửi lại liên kết cho Chi bộ Bưu chính' }).count(),
      ).resolves.toBe(1);
      expect(violations).toEqual([]);
      await page.close();
    });

    it(`leads from a unit's name to its page: notes per task group, files, versions (${label})`, async () => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(`${stack.appUrl}${period}`);

      await page.getByRole('link', { name: 'Chi bộ Văn phòng', exact: true }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Chi bộ Văn phòng');
      await expect(page.locator('li[data-task-group="1"] .note').textContent()).resolves.toBe(
        'Đã số hóa 120 hồ sơ đảng viên.\nCòn 15 hồ sơ chờ bổ sung.',
      );
      await expect(page.locator('li[data-task-group="3"] .note').isVisible()).resolves.toBe(true);
      await expect(page.getByRole('link', { name: 'Báo cáo năm.pdf' }).isVisible()).resolves.toBe(true);
      await expect(page.getByLabel('Gia hạn đến ngày (ngày/tháng/năm)').getAttribute('type')).resolves.toBe(
        'text',
      );
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await smallTargets(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/unit-${width}.png`, fullPage: true });
      await page.close();
    });
  });

  it('asks before revoking a link, then extends a deadline typed dd/mm/yyyy', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.appUrl}${period}?loc=missing`);

    await page.getByRole('link', { name: 'Thu hồi liên kết của Chi bộ Công đoàn cơ sở' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Thu hồi liên kết của Chi bộ Công đoàn cơ sở?',
    );
    await page
      .getByRole('button', { name: 'Thu hồi và gửi liên kết mới cho Chi bộ Công đoàn cơ sở' })
      .click();
    expect(new URL(page.url()).searchParams.get('loc')).toBe('missing');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã thu hồi liên kết cũ');

    await page.getByRole('link', { name: 'Gia hạn cho Chi bộ Công đoàn cơ sở' }).click();
    const until = addDays(localDate(new Date(), stack.config.TIME_ZONE), 4);
    await page.getByLabel('Gia hạn đến ngày (ngày/tháng/năm)').fill(formatDateVi(until));
    await page.getByRole('button', { name: 'Gia hạn cho Chi bộ Công đoàn cơ sở' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã đổi hạn nộp');
    await expect(page.locator('.facts').textContent()).resolves.toContain(formatDateVi(until));
    await page.close();
  });
});
