import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * The browser of the e2e tests, driven by playwright-core, found without any set-up beyond
 * `npm ci`:
 * 1. `CHROMIUM_PATH`, when set: that executable (e.g. a developer's own Chromium);
 * 2. else the headless Chromium shipped inside the npm package `@sparticuz/chromium` (Linux
 *    x64), unpacked once into node_modules/.cache — with the NSS libraries it carries for Amazon
 *    Linux (`al2023.tar.br`) on the library path and its own fonts, so it needs nothing from the
 *    operating system's packages;
 * 3. else (another platform) Debian's Chromium at `/usr/bin/chromium`.
 * `BAOCAO_BROWSER=packaged` or `=system` forces 2 or 3 (and fails rather than fall back).
 *
 * The packaged Chromium's version must stay one that the pinned playwright-core drives: the two
 * are pinned together in package.json, as a pair in {@link BROWSER_PAIRS}
 * (test/unit/support/browser.test.ts checks it). @sparticuz/chromium 147.0.0 is the newest that
 * supports Node 20 (148 and later ask for Node 22.17).
 */
export function launchBrowser(): Promise<Browser> {
  return browserLaunch().then((launch) =>
    chromium.launch({
      executablePath: launch.executablePath,
      ...(launch.env ? { env: launch.env } : {}),
      args: BROWSER_FLAGS,
    }),
  );
}

/**
 * The networking flags stop Chromium from calling hosts this machine cannot reach; no sandbox
 * (containers and CI run as root).
 */
export const BROWSER_FLAGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * The versions of @sparticuz/chromium (its Chromium's major) and of playwright-core known to work
 * together (the e2e tests pass with them). Bump both, run the e2e tests, then add the pair here.
 */
export const BROWSER_PAIRS: readonly { chromium: string; playwright: string }[] = [
  { chromium: '147.0.0', playwright: '1.65.1' },
];

export interface BrowserLaunch {
  source: 'CHROMIUM_PATH' | 'packaged' | 'system';
  executablePath: string;
  /** The environment of the browser process, when it needs more than the tests' own. */
  env?: Record<string, string>;
}

/** Which browser the tests use, and how to start it (see {@link launchBrowser}). */
export async function browserLaunch(environment = process.env): Promise<BrowserLaunch> {
  const forced = environment.BAOCAO_BROWSER;
  if (environment.CHROMIUM_PATH && !forced) {
    return { source: 'CHROMIUM_PATH', executablePath: environment.CHROMIUM_PATH };
  }
  const packagedHere = process.platform === 'linux' && process.arch === 'x64';
  if (forced === 'packaged' || (forced === undefined && packagedHere)) return packagedChromium();
  if (forced === 'system' || forced === undefined) {
    if (!existsSync(SYSTEM_CHROMIUM)) {
      throw new Error(
        `No browser for the e2e tests: @sparticuz/chromium ships Linux x64 only and ${SYSTEM_CHROMIUM} is missing; set CHROMIUM_PATH`,
      );
    }
    return { source: 'system', executablePath: SYSTEM_CHROMIUM };
  }
  throw new Error(`BAOCAO_BROWSER must be "packaged" or "system", not "${forced}"`);
}

const require = createRequire(import.meta.url);

/**
 * Unpacks `@sparticuz/chromium` (Brotli-compressed binary, and tar files of NSS libraries, fonts
 * and SwiftShader) into node_modules/.cache/baocao-chromium/<version>, once: into a fresh folder
 * renamed into place, so that concurrent test processes never see half a browser.
 */
export async function packagedChromium(): Promise<BrowserLaunch> {
  // The package exports no package.json: climb from its entry point to its folder.
  let root = dirname(require.resolve('@sparticuz/chromium'));
  while (!existsSync(join(root, 'bin', 'chromium.br'))) root = dirname(root);
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
  const dir = join(projectRoot, 'node_modules', '.cache', 'baocao-chromium', version);
  if (!existsSync(join(dir, 'ready'))) {
    const temp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await mkdir(temp, { recursive: true });
    try {
      const bin = join(root, 'bin');
      await unbrotli(join(bin, 'chromium.br'), join(temp, 'chromium'));
      await chmod(join(temp, 'chromium'), 0o755);
      for (const name of ['al2023', 'fonts', 'swiftshader']) {
        const tar = join(temp, `${name}.tar`);
        await unbrotli(join(bin, `${name}.tar.br`), tar);
        const into = join(temp, name);
        await mkdir(into);
        execFileSync('tar', ['-xf', tar, '-C', into]);
        await rm(tar);
      }
      await writeFile(
        join(temp, 'fonts.conf'),
        `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${dir}/fonts/fonts</dir><cachedir>${dir}/fonts-cache</cachedir></fontconfig>\n`,
      );
      await writeFile(join(temp, 'ready'), `${version}\n`);
      await rename(temp, dir);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      // Another process put its copy in place first: use that one.
      if (!existsSync(join(dir, 'ready'))) throw error;
    }
  }
  const libraryPath = [join(dir, 'al2023', 'lib'), join(dir, 'swiftshader'), process.env.LD_LIBRARY_PATH]
    .filter(Boolean)
    .join(':');
  return {
    source: 'packaged',
    executablePath: join(dir, 'chromium'),
    env: {
      ...(process.env as Record<string, string>),
      LD_LIBRARY_PATH: libraryPath,
      FONTCONFIG_PATH: dir,
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
  };
}

async function unbrotli(from: string, to: string): Promise<void> {
  await pipeline(createReadStream(from), createBrotliDecompress(), createWriteStream(to));
}

/**
 * Full-page screenshots of `page` at 390 and 1280 px wide, into the folder `BAOCAO_SHOTS` names
 * (`<name>-390.png`, `<name>-1280.png`), for people to look at; nothing when it is not set.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = process.env.BAOCAO_SHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  const before = page.viewportSize();
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 844 });
    await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}
