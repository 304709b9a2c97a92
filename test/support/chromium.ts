import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (package `chromium`), or the browser named by CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run. CI installs Chromium (.ci/run) and must run them; on a machine
 * without it (a fresh `npm test`), they are skipped with this reason printed.
 */
export function chromiumMissing(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  if (process.env.CI === 'true') throw new Error(`CI needs Chromium at ${CHROMIUM_PATH} (.ci/run installs Debian's chromium)`);
  return `no Chromium at ${CHROMIUM_PATH}: install Debian's "chromium" package (or set CHROMIUM_PATH) to run the browser test`;
}

/** Starts headless Chromium with the flags a closed network needs (no background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
