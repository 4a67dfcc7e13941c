/// <reference lib="dom" />
/**
 * The chooser "Chọn cấp ủy" on a phone, in headless Chromium against the local stack with two
 * committees (docs/tenancy.md): a person of both signs in as a person does, lands on the chooser
 * (bound to the first committee), switches to the other with its button, and the header then
 * names that committee and links back to the chooser. Each state has no serious axe-core
 * violation, no horizontal scroll at 390 px, and touch targets of at least 44 px. Screenshots go
 * to BAOCAO_SHOTS when it is set.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { scopeRuntime } from '#functions/wiring/runtime.ts';
import { inviteMember } from '#shared/committee/members.ts';
import { addCommittee } from '#shared/tenancy/registry.ts';
import { seriousViolations } from '#test/support/axe.ts';
import { launchBrowser, screenshots } from '#test/support/browser.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';

const PHONE = { width: 390, height: 844 };
const BOTH = 'bithu@so.example.vn';
const B = { id: 'dus-xd', name: 'Đảng ủy Sở Xây dựng tỉnh Hải Dương' };

describe('the committee chooser on a phone (headless Chromium, local stack)', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack();
    const committee = await addCommittee(createRegistryDeps(stack.runtime), {
      id: B.id,
      name: B.name,
      by: 'cli',
    });
    const notify = { notify: false };
    await inviteMember(createMemberDeps(stack.runtime), { email: BOTH, role: 'viewer' }, 'cli', notify);
    await inviteMember(
      createMemberDeps(scopeRuntime(stack.runtime, committee)),
      { email: BOTH, role: 'admin' },
      'cli',
      notify,
    );
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
    page = await context.newPage();
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
      Array.from(document.querySelectorAll('header a, main button, main a.button'))
        .filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(small, name).toEqual([]);
    await screenshots(page, `committees-${name}`);
  }

  it('signs in to the first committee, offers the other, and switches to it', async () => {
    // Arrange: signing in as a person does
    await page.goto(`${stack.appUrl}/admin/sign-in`);
    await page.getByLabel('Địa chỉ e-mail').fill(BOTH);
    await page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click();
    await page.getByRole('status').waitFor();
    await stack.mailQueue.drain();
    const mail = (await storedEmails(stack.mailUrl)).find((m) => m.destination.to.includes(BOTH));
    await page.goto(mail!.body.text!.match(/http\S+\/admin\/sign-in\/\S+/)![0]);
    // Act
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/admin\/committees\?signed-in=1$/);
    // Assess: the chooser, bound to the first committee
    await expect(page.getByRole('heading', { name: 'Chọn cấp ủy' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('header').textContent()).toContain(stack.config.COMMITTEE_NAME);
    expect(await page.locator(`tr[data-committee="${B.id}"]`).textContent()).toContain('quản trị');
    await checkPage('chooser');
    // Act: the other committee's button
    await page.getByRole('button', { name: `Chuyển sang cấp ủy này: ${B.name}` }).click();
    await page.waitForURL(/\/admin$/);
    // Assess: the header names it and links back to the chooser
    const header = await page.locator('header').textContent();
    expect(header).toContain(B.name);
    expect(header).not.toContain(stack.config.COMMITTEE_NAME);
    await checkPage('header');
    await page.getByRole('link', { name: 'Đổi cấp ủy' }).click();
    await page.waitForURL(/\/admin\/committees$/);
    expect(await page.locator(`tr[data-committee="${B.id}"]`).textContent()).toContain('đang làm việc');
    await checkPage('chooser-after');
  });
});
