/// <reference lib="dom" />
/**
 * Issue 13's "done when", as the committee's office lives it, in headless Chromium against the
 * local stack: sign in; upload the plan .docx and correct one task-group title in the preview;
 * add a unit by hand and import an .xlsx of units; narrow the plan to three units; open the
 * period — only those three receive links in the mail viewer; retire one of them — the next tick
 * reminds only the other two and the period expects 2; a *theo dõi* member sees the pages but
 * every state-changing request of theirs is refused (403) and changes nothing. The first half
 * runs at a phone's width, the second at a desktop's.
 */
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { periodStatus } from '#shared/periods/periods.ts';
import { runPlanner } from '#shared/periods/run-planner.ts';
import { launchBrowser } from '#test/support/browser.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { SEED_PLAN_TEXT, textToDocx } from '#test/support/plan-docx.ts';

const OFFICE = 'vanphong@demo.baocao.example';
const VIEWER = 'theodoi@example.org';
const PLAN = '30-kh-duk';
const YEAR = 2026;
const CORRECTED = 'Nâng cao chất lượng đội ngũ cán bộ làm công tác tư tưởng';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('the office runs the year from the web app (issue 13, headless Chromium, local stack)', () => {
  let stack: TestStack;
  let browser: Browser;
  let office: BrowserContext;
  let page: Page;
  const clock = fixedClock('2026-11-29T02:00:00Z');
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    browser = await launchBrowser();
    office = await browser.newContext({ viewport: PHONE });
    page = await office.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** Signs in through the e-mailed link, as a person does. */
  async function signIn(on: Page, email: string): Promise<void> {
    await on.goto(`${stack.appUrl}/admin/sign-in`);
    await on.getByLabel('Địa chỉ e-mail').fill(email);
    await on.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await on.getByRole('status').waitFor();
    await stack.mailQueue.drain();
    const mail = (await storedEmails(stack.mailUrl))
      .filter((m) => m.destination.to.includes(email) && m.subject.includes('Liên kết đăng nhập'))
      .at(-1);
    const link = mail?.body.text?.match(/http\S+\/admin\/sign-in\/\S+/)?.[0];
    expect(link, `sign-in link for ${email}`).toBeDefined();
    await on.goto(link!);
    await on.getByRole('button', { name: 'Đăng nhập' }).click();
    await on.waitForURL(/\/admin$/);
  }

  /** Who received a mail whose subject matches, since the mail viewer was last cleared. */
  async function recipientsOf(subject: RegExp): Promise<string[]> {
    await stack.mailQueue.drain();
    return (await storedEmails(stack.mailUrl))
      .filter((m) => subject.test(m.subject))
      .flatMap((m) => m.destination.to)
      .sort();
  }

  async function expectedCount(): Promise<number> {
    const res = await page.request.get(`${stack.appUrl}/api/plans/${PLAN}/periods/${YEAR}`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { expected: number }).expected;
  }

  it('imports the plan .docx on a phone, with one task-group title corrected in the preview', async () => {
    await signIn(page, OFFICE);
    await page.getByRole('link', { name: 'Nhập kế hoạch' }).click();
    await page.getByLabel('Tài liệu kế hoạch (.docx, .pdf có lớp chữ, .txt)').setInputFiles({
      name: 'ke-hoach-30-KH-DUK.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from(await textToDocx(SEED_PLAN_TEXT)),
    });
    await page.getByRole('button', { name: 'Đọc tài liệu' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Xem trước kế hoạch');
    await page.locator('#g2-title').fill(CORRECTED);
    await page.getByRole('button', { name: 'Lưu kế hoạch' }).click();
    await page.waitForURL(new RegExp(`/admin/plans/${PLAN}\\?done=created$`));
    expect((await stack.deps.plans.getPlan(PLAN))?.taskGroups[2]?.title).toBe(CORRECTED);
  });

  it('adds a unit by hand and imports an .xlsx of units', async () => {
    await page.getByRole('link', { name: 'Đơn vị', exact: true }).click();
    await page.getByLabel('Mã đơn vị').fill('cb-c');
    await page.getByLabel('Tên đơn vị').fill('Chi bộ C');
    await page.getByLabel('E-mail nhận liên kết').fill('c@example.org');
    await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Đã thêm đơn vị.');

    const book = new ExcelJS.Workbook();
    book.addWorksheet('Đơn vị').addRows([
      ['Mã đơn vị', 'Tên đơn vị', 'Email'],
      ['cb-a', 'Chi bộ A', 'a@example.org'],
      ['cb-b', 'Chi bộ B', 'b@example.org'],
      ['cb-d', 'Chi bộ D', 'd@example.org'],
      ['cb-e', 'Chi bộ E', 'e@example.org'],
    ]);
    await page.goto(`${stack.appUrl}/admin/units`);
    await page.getByLabel('Tệp danh sách đơn vị (.xlsx hoặc .csv)').setInputFiles({
      name: 'don-vi.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByRole('button', { name: 'Xác nhận nhập 4 đơn vị' }).click();
    await page.waitForURL(/\/admin\/units\?done=imported/);
    expect((await stack.deps.plans.listUnits()).map((u) => u.id).sort()).toEqual([
      'cb-a',
      'cb-b',
      'cb-c',
      'cb-d',
      'cb-e',
    ]);
  });

  it('narrows the plan to three units and opens the period: only those three get links', async () => {
    await page.goto(`${stack.appUrl}/admin/plans/${PLAN}/recipients`);
    await page.getByLabel('Chỉ các đơn vị được chọn dưới đây').check();
    // Each checkbox is labelled with the unit's name and id: "Chi bộ A (cb-a)".
    for (const id of ['cb-a', 'cb-c', 'cb-d']) await page.getByLabel(`(${id})`).check();
    await page.getByRole('button', { name: 'Xem trước thay đổi' }).click();
    await page.getByRole('button', { name: 'Xác nhận thay đổi' }).click();
    await page.waitForURL(/recipients\?done=saved/);
    expect((await stack.deps.plans.getPlan(PLAN))?.recipientUnitIds?.sort()).toEqual([
      'cb-a',
      'cb-c',
      'cb-d',
    ]);

    await clearEmails(stack.mailUrl);
    await page.goto(`${stack.appUrl}/admin/plans/${PLAN}`);
    await page.getByRole('link', { name: `Mở kỳ báo cáo năm ${YEAR} ngay` }).click();
    await expect(page.locator('[data-count]').textContent()).resolves.toBe('3');
    await page.getByRole('button', { name: 'Mở kỳ và gửi 3 e-mail' }).click();
    await page.waitForURL(new RegExp(`/admin/plans/${PLAN}/${YEAR}\\?done=opened$`));
    // Every e-mail that left went to one of the three, and each of the three got its link.
    const all = await recipientsOf(/.*/);
    expect(all).toEqual(['a@example.org', 'c@example.org', 'd@example.org']);
    expect(await expectedCount()).toBe(3);
  });

  it('retires one of them at a desktop width: the next tick reminds only the other two, 2 expected', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${stack.appUrl}/admin/units/cb-d`);
    await page.getByLabel('Lý do', { exact: true }).selectOption('merged');
    await page.getByRole('button', { name: 'Cho Chi bộ D thôi báo cáo' }).click();
    await page.waitForURL(/\/admin\/units\/cb-d\?done=retired$/);
    expect(await expectedCount()).toBe(2);

    // 1 December, 08:00 in Hà Nội: the first reminder step (14 days before 15 December).
    await clearEmails(stack.mailUrl);
    const at = new Date('2026-12-01T08:00:00+07:00');
    clock.set(at.toISOString());
    const summary = await runPlanner(createPlannerDeps(stack.runtime, { clock }), at);
    expect(summary.failures).toEqual([]);
    expect(await recipientsOf(/.*/)).toEqual(['a@example.org', 'c@example.org']);
    // Two days on, the office's 8-hour session has ended: read the period as stored.
    expect((await periodStatus(stack.deps, PLAN, YEAR)).expected).toBe(2);
  });

  it('lets a theo dõi member see every page, and refuses each of their changes with 403', async () => {
    // A new working day: the office signs in again.
    await signIn(page, OFFICE);
    await page.goto(`${stack.appUrl}/admin/members`);
    await page.getByLabel('Địa chỉ e-mail').fill(VIEWER);
    await page.getByLabel('Vai trò', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Thêm và gửi thư mời' }).click();
    await expect(page.locator('td', { hasText: VIEWER }).count()).resolves.toBeGreaterThan(0);

    const viewerContext = await browser.newContext({ viewport: PHONE });
    const viewer = await viewerContext.newPage();
    await signIn(viewer, VIEWER);
    for (const path of [
      `/admin/plans/${PLAN}`,
      `/admin/plans/${PLAN}/${YEAR}`,
      '/admin/units',
      '/admin/members',
    ]) {
      const res = await viewer.goto(`${stack.appUrl}${path}`);
      expect(res?.status(), path).toBe(200);
      // No form that changes anything is offered to a viewer (sign-out aside).
      await expect(viewer.locator('form[method="post"]:not(.account)').count()).resolves.toBe(0);
    }

    const { csrf } = (await (await viewer.request.get(`${stack.appUrl}/api/session`)).json()) as {
      csrf: string;
    };
    const before = {
      plan: await stack.deps.plans.getPlan(PLAN),
      units: await stack.deps.plans.listUnits(),
      assignments: await stack.deps.submissions.listAssignments(PLAN, YEAR),
    };
    const headers = { 'x-csrf-token': csrf, origin: stack.appUrl, 'content-type': 'application/json' };
    const attempts: [string, unknown][] = [
      [`/api/plans/${PLAN}/recipients`, { unitIds: null, confirm: true }],
      [`/api/plans/${PLAN}/periods/${YEAR}/open`, {}],
      [`/api/plans/${PLAN}/calendar`, { deadline: '12-20' }],
      ['/api/units/cb-a/retire', { from: '2026-12-01', reason: 'other' }],
      ['/api/units', { id: 'cb-x', name: 'Chi bộ X', email: 'x@example.org' }],
      [`/api/plans/${PLAN}/periods/${YEAR}/units/cb-a/revoke`, {}],
      [`/api/plans/${PLAN}/periods/${YEAR}/units/cb-a/extension`, { until: '2026-12-30' }],
      [`/api/plans/${PLAN}/periods/${YEAR}/exports`, {}],
      ['/api/members', { email: 'ke-la@example.org', role: 'admin' }],
    ];
    for (const [path, body] of attempts) {
      const res = await viewer.request.post(`${stack.appUrl}${path}`, { headers, data: body });
      expect(res.status(), path).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('theo dõi');
    }
    // A page form posted by hand is refused the same way.
    const form = await viewer.request.post(`${stack.appUrl}/admin/units/cb-a/retire`, {
      headers: { origin: stack.appUrl },
      form: { csrf, from: '01/12/2026', reason: 'other' },
    });
    expect(form.status()).toBe(403);

    expect(await stack.deps.plans.getPlan(PLAN)).toEqual(before.plan);
    expect(await stack.deps.plans.listUnits()).toEqual(before.units);
    expect(await stack.deps.submissions.listAssignments(PLAN, YEAR)).toEqual(before.assignments);
    await viewerContext.close();
    expect(consoleErrors).toEqual([]);
  });
});
