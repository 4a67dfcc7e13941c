/// <reference lib="dom" />
/**
 * The roll-up pages on a phone (docs/tenancy.md), in headless Chromium against the local stack:
 * a department's period page offers "Gửi báo cáo lên cấp trên", its page names the parent and
 * asks to confirm the matched plan once, its button opens the parent's upload page for the
 * department; the bloc's period page lists its child committees with their branches' rates.
 * Each page has no serious axe-core violation, no horizontal scroll at 390 px, and touch targets
 * of at least 44 px. Screenshots go to BAOCAO_SHOTS when it is set.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { type Runtime, scopeRuntime } from '#functions/wiring/runtime.ts';
import { inviteMember } from '#shared/committee/members.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { addCommittee } from '#shared/tenancy/registry.ts';
import { importUnits } from '#shared/units/units.ts';
import { launchBrowser } from '#test/support/browser.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { expectUsablePage } from '#test/support/phone-page.ts';
import { signIn } from '#test/support/sign-in.ts';

const PHONE = { width: 390, height: 844 };
const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const DEPT_PLAN = '12-kh-dus-2025';
const BLOC_PLAN = '41-kh-duk-2025';

describe('sending a committee’s report up, on a phone (headless Chromium, local stack)', () => {
  let stack: TestStack;
  let browser: Browser;
  let year: number;
  const runtimes = new Map<string, Runtime>();

  beforeAll(async () => {
    stack = await startTestStack();
    const today = localDate(new Date(), 'Asia/Ho_Chi_Minh');
    year = Number(today.slice(0, 4));
    const registry = createRegistryDeps(stack.runtime);
    const demo = (await readFile(DEMO_PLAN, 'utf8')).normalize('NFC');
    for (const [id, name, parentId] of [
      ['khoi', 'Đảng ủy Khối các cơ quan tỉnh', undefined],
      ['so-tt', 'Đảng ủy Sở Thông tin và Truyền thông', 'khoi'],
    ] as const) {
      const committee = await addCommittee(registry, { id, name, parentId, by: 'cli' });
      runtimes.set(id, scopeRuntime(stack.runtime, committee));
    }
    const khoi = createPlannerDeps(runtimes.get('khoi')!);
    const so = createPlannerDeps(runtimes.get('so-tt')!);
    await importPlan(
      khoi,
      Buffer.from(
        demo
          .replace('Số: 12-KH/ĐUS', 'Số: 41-KH/ĐUK')
          .replace(/Thực hiện Kế hoạch số 41-KH\/ĐUK[^\n]*\n/, ''),
      ),
      'khoi.txt',
    );
    await importUnits(
      khoi,
      'id,name,email,committee\nso-tt,Đảng ủy Sở Thông tin và Truyền thông,vp@so-tt.example.vn,so-tt\n',
    );
    await openPeriod(khoi, { planId: BLOC_PLAN, year, deadline: addDays(today, 30) });
    await importPlan(so, Buffer.from(demo), 'so.txt');
    await importUnits(
      so,
      'id,name,email\ncb-1,Chi bộ Văn phòng,cb1@so-tt.example.vn\ncb-2,Chi bộ Thanh tra,cb2@so-tt.example.vn\n',
    );
    await openPeriod(so, { planId: DEPT_PLAN, year, deadline: addDays(today, 20) });
    for (const [id, email] of [
      ['khoi', 'vanphong@khoi.example.vn'],
      ['so-tt', 'vanphong@so-tt.example.vn'],
    ] as const) {
      await inviteMember(createMemberDeps(runtimes.get(id)!), { email, role: 'admin' }, 'cli', {
        notify: false,
      });
    }
    await stack.mailQueue.drain();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function pageAs(email: string): Promise<Page> {
    const { cookie } = await signIn(stack, email);
    const [name, value] = cookie.split('=') as [string, string];
    const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
    await context.addCookies([{ name, value, url: stack.appUrl }]);
    return context.newPage();
  }

  const checkPage = (page: Page, name: string) => expectUsablePage(page, name, `roll-up-${name}`);

  it('goes from the department’s period page to the parent’s upload page, confirming the plan once', async () => {
    // Arrange
    const page = await pageAs('vanphong@so-tt.example.vn');
    await page.goto(`${stack.appUrl}/admin/plans/${DEPT_PLAN}/${year}`);
    await checkPage(page, 'department-period');
    // Act
    await page.getByRole('link', { name: 'Gửi báo cáo lên cấp trên' }).click();
    await page.getByRole('heading', { name: 'Gửi báo cáo lên cấp trên' }).waitFor();
    await checkPage(page, 'report-up');
    const text = await page.locator('main').textContent();
    await page.getByRole('button', { name: 'Xác nhận và mở trang nộp báo cáo' }).click();
    await page.waitForURL(/\/u\/[^/]+$/);
    // Assess
    expect(text).toContain('Đảng ủy Khối các cơ quan tỉnh');
    expect(text).toContain('Kế hoạch số 41-KH/ĐUK');
    expect(await page.locator('main').textContent()).toContain('Đảng ủy Sở Thông tin và Truyền thông');
    await checkPage(page, 'parent-upload-page');
  });

  it('shows the bloc its child committees and their branches’ rates', async () => {
    // Arrange
    const page = await pageAs('vanphong@khoi.example.vn');
    // Act
    await page.goto(`${stack.appUrl}/admin/plans/${BLOC_PLAN}/${year}`);
    // Assess
    const section = await page.locator('table[data-children]').textContent();
    expect(section).toContain('Đảng ủy Sở Thông tin và Truyền thông');
    expect(section).toContain('0/2');
    await checkPage(page, 'bloc-period');
  });
});
