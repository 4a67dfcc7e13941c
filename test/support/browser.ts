import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core. The networking flags stop Chromium from calling
 * hosts this machine cannot reach.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
