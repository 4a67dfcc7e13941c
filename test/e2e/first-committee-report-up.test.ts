/// <reference lib="dom" />
/**
 * The deployment's first committee moved under another (`baocao committee move main --parent
 * khoi --from …`, docs/tenancy.md), on a phone in headless Chromium against the local stack: its
 * period page now offers "Gửi báo cáo lên cấp trên" (its parent on the period's open date), and the
 * link leads to the page naming the parent and its plan. No serious axe-core violation, no
 * horizontal scroll at 390 px, touch targets of at least 44 px. Screenshots go to BAOCAO_SHOTS
 * when it is set.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { scopeRuntime } from '#functions/wiring/runtime.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { addCommittee, moveCommittee } from '#shared/tenancy/registry.ts';
import { importUnits } from '#shared/units/units.ts';
import { launchBrowser } from '#test/support/browser.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { expectUsablePage } from '#test/support/phone-page.ts';
import { signIn } from '#test/support/sign-in.ts';

const PHONE = { width: 390, height: 844 };
const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const BLOC_PLAN = '41-kh-duk-2025';
const LINK = 'Gửi báo cáo lên cấp trên';

describe('the first committee’s report up, once it is moved under another (headless Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;
  let year: number;

  beforeAll(async () => {
    stack = await startTestStack();
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    year = Number(today.slice(0, 4));
    const root = stack.config.COMMITTEE_ID;
    const demo = (await readFile(DEMO_PLAN, 'utf8')).normalize('NFC');
    // The first committee's own year: the demo plan (it carries out 41-KH/ĐUK), a branch, a period.
    await importPlan(stack.deps, Buffer.from(demo), 'ke-hoach.txt');
    await importUnits(stack.deps, 'id,name,email\ncb-1,Chi bộ Văn phòng,cb1@so.example.vn\n');
    await openPeriod(stack.deps, { planId: PLAN, year, deadline: addDays(today, 20) });
    // The bloc, whose plan is 41-KH/ĐUK and whose units include the first committee.
    const registry = createRegistryDeps(stack.runtime);
    const khoi = await addCommittee(registry, {
      id: 'khoi',
      name: 'Đảng ủy Khối các cơ quan tỉnh',
      by: 'cli',
    });
    const khoiDeps = createPlannerDeps(scopeRuntime(stack.runtime, khoi));
    await importPlan(
      khoiDeps,
      Buffer.from(
        demo
          .replace('Số: 12-KH/ĐUS', 'Số: 41-KH/ĐUK')
          .replace('ĐẢNG ỦY SỞ THÔNG TIN VÀ TRUYỀN THÔNG', 'ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH')
          .replace(/Thực hiện Kế hoạch số 41-KH\/ĐUK[^\n]*\n/, ''),
      ),
      'khoi.txt',
    );
    await importUnits(
      khoiDeps,
      `id,name,email,committee\nso-tt,${stack.config.COMMITTEE_NAME},vp@so.example.vn,${root}\n`,
    );
    await openPeriod(khoiDeps, { planId: BLOC_PLAN, year, deadline: addDays(today, 30) });
    // `baocao committee move main --parent khoi --from <the period's open date>`.
    await moveCommittee(registry, { id: root, parentId: 'khoi', from: today });
    await stack.mailQueue.drain();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const checkPage = (page: Page, name: string) => expectUsablePage(page, name, `first-committee-${name}`);

  it('offers the link on its period page and leads to the page naming its parent', async () => {
    // Arrange
    const { cookie } = await signIn(stack, 'vanphong@demo.baocao.example');
    const [name, value] = cookie.split('=') as [string, string];
    const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
    await context.addCookies([{ name, value, url: stack.appUrl }]);
    const page = await context.newPage();
    // Act
    await page.goto(`${stack.appUrl}/admin/plans/${PLAN}/${year}`);
    await checkPage(page, 'period');
    await page.getByRole('link', { name: LINK }).click();
    await page.getByRole('heading', { name: LINK }).waitFor();
    // Assess
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Đảng ủy Khối các cơ quan tỉnh');
    expect(text).toContain('Kế hoạch số 41-KH/ĐUK');
    await checkPage(page, 'report-up');
  });
});
