/// <reference lib="dom" />
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARAMS, pathFor, ROUTES, type RouteName } from '#functions/http/routes.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { seriousViolations } from '#test/support/axe.ts';
import { launchBrowser } from '#test/support/browser.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { signIn } from '#test/support/sign-in.ts';

const PLAN_ID = '12-kh-dus-2025';
const YEAR = 2026;
const UNIT_ID = 'cb-van-phong';
const OFFICE = 'vanphong@demo.baocao.example';

/**
 * The value of each path parameter on the demo data. A page route with a parameter missing here
 * fails the test: a new page cannot escape the check.
 */
const DEMO_PARAMS: Partial<Record<keyof typeof PARAMS, string | number>> = {
  planId: PLAN_ID,
  year: YEAR,
  unitId: UNIT_ID,
  secret: PARAMS.secret.example,
  email: OFFICE,
};

/**
 * The HTML pages of the table: every GET of the committee app under /admin, and the sign-in
 * pages; not downloads (files, exports, spreadsheets: redirects or attachments).
 */
function pageRoutes(): RouteName[] {
  return (Object.keys(ROUTES) as RouteName[]).filter((name) => {
    const route = ROUTES[name];
    return (
      route.fn === 'admin' &&
      route.method === 'GET' &&
      route.path.startsWith('/admin') &&
      !/\{(uploadId|exportId)\}|\.xlsx$|\.csv$/.test(route.path)
    );
  });
}

function pathOf(name: RouteName): string {
  const values: Record<string, string | number> = {};
  for (const [, param] of ROUTES[name].path.matchAll(/\{([^}]+)\}/g)) {
    const value = DEMO_PARAMS[param as keyof typeof PARAMS];
    if (value === undefined) throw new Error(`route ${name}: no demo value for {${param}} in DEMO_PARAMS`);
    values[param!] = value;
  }
  return pathFor(name, values as never);
}

/**
 * axe-core on every page of the committee app and on the upload page, at a phone and a desktop
 * width, in Debian's Chromium: no serious or critical violation.
 */
describe('accessibility (axe-core, offline, headless Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let uploadPath: string;

  beforeAll(async () => {
    stack = await startTestStack({ demo: true, clock: fixedClock('2026-11-29T02:00:00Z') });
    browser = await launchBrowser();
    const { cookie } = await signIn(stack, OFFICE);
    const [name, value] = cookie.split('=') as [string, string];
    context = await browser.newContext({ bypassCSP: true });
    await context.addCookies([{ name, value, url: stack.appUrl }]);
    const { token } = await linkFor(createUploadDeps(stack.runtime), PLAN_ID, YEAR, UNIT_ID);
    uploadPath = `/u/${token}`;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const widths = [
    { name: 'phone', width: 390, height: 844 },
    { name: 'desktop', width: 1280, height: 800 },
  ];

  it.each(widths)('has no serious or critical violation on any page ($name)', async ({ width, height }) => {
    const paths = [...pageRoutes().map(pathOf), uploadPath];
    expect(paths.length).toBeGreaterThan(5);
    const found: Record<string, unknown> = {};
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    for (const path of paths) {
      const response = await page.goto(`${stack.appUrl}${path}`);
      expect(response?.status(), path).toBeLessThan(500);
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[path] = violations;
    }
    await page.close();
    expect(found).toEqual({});
  });

  it('checks a page that breaks a rule (the check itself works)', async () => {
    const page = await context.newPage();
    await page.setContent(
      '<html lang="vi"><body><main><input type="text"><img src="x.png"></main></body></html>',
    );
    const ids = (await seriousViolations(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['label', 'image-alt']));
    await page.close();
  });
});
