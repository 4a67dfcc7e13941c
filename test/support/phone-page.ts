import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousViolations } from './axe.ts';
import { screenshots } from './browser.ts';

/**
 * The checks every page of the office's app must pass at the width it is shown (e2e): no serious
 * axe-core violation, no horizontal scroll, every visible button and button-styled link in
 * `main` at least 44 px tall; then its screenshots as `<shot>` (test/support/browser.ts).
 */
export async function expectUsablePage(page: Page, name: string, shot: string): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, name).toBeLessThanOrEqual(0);
  const small = await page.evaluate(() =>
    Array.from(document.querySelectorAll('main button, main a.button'))
      .filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().height < 44)
      .map((e) => e.outerHTML.slice(0, 80)),
  );
  expect(small, name).toEqual([]);
  await screenshots(page, shot);
}
