import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BROWSER_PAIRS, browserLaunch, SYSTEM_CHROMIUM } from '#test/support/browser.ts';

const packageJson = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
};

describe('the browser of the e2e tests (test/support/browser.ts)', () => {
  it('pins @sparticuz/chromium and playwright-core exactly, as a pair known to work together', () => {
    const chromium = packageJson.devDependencies['@sparticuz/chromium'];
    const playwright = packageJson.devDependencies['playwright-core'];
    expect(chromium).toMatch(/^\d+\.\d+\.\d+$/);
    expect(playwright).toMatch(/^\d+\.\d+\.\d+$/);
    expect(BROWSER_PAIRS).toContainEqual({ chromium, playwright });
  });

  it('takes CHROMIUM_PATH when it is set', async () => {
    await expect(browserLaunch({ CHROMIUM_PATH: '/opt/chrome/chrome' })).resolves.toEqual({
      source: 'CHROMIUM_PATH',
      executablePath: '/opt/chrome/chrome',
    });
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'otherwise unpacks the packaged Chromium, with its own libraries and fonts',
    async () => {
      const launch = await browserLaunch({});
      expect(launch.source).toBe('packaged');
      expect(existsSync(launch.executablePath)).toBe(true);
      expect(launch.env?.LD_LIBRARY_PATH?.split(':')[0]).toMatch(/baocao-chromium\/[\d.]+\/al2023\/lib$/);
      expect(existsSync(`${launch.env?.LD_LIBRARY_PATH?.split(':')[0]}/libnss3.so`)).toBe(true);
      expect(existsSync(launch.env!.FONTCONFIG_FILE!)).toBe(true);
    },
  );

  it('refuses an unknown BAOCAO_BROWSER, and says what is missing when forced to the system one', async () => {
    await expect(browserLaunch({ BAOCAO_BROWSER: 'firefox' })).rejects.toThrow(/"packaged" or "system"/);
    if (!existsSync(SYSTEM_CHROMIUM)) {
      await expect(browserLaunch({ BAOCAO_BROWSER: 'system' })).rejects.toThrow(/CHROMIUM_PATH/);
    } else {
      await expect(browserLaunch({ BAOCAO_BROWSER: 'system' })).resolves.toMatchObject({ source: 'system' });
    }
  });
});
