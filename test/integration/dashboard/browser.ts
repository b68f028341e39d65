// Headless Chromium for the dashboard's end-to-end tests: Debian's chromium (scripts/test.mjs
// installs it and sets CAIRN_CHROMIUM), driven by playwright-core.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Teardown } from '../../helpers/env.js';

/** Where screenshots go: a gitignored directory, kept after the run as test artifacts. */
export const ARTIFACTS = join(process.cwd(), 'test', 'artifacts', 'dashboard');

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export async function launchBrowser(t: Teardown): Promise<Browser> {
  const executablePath = process.env['CAIRN_CHROMIUM'];
  if (executablePath === undefined || executablePath === '')
    throw new Error(
      'CAIRN_CHROMIUM is not set: run the browser tests with `npm test`, which installs chromium and sets it',
    );
  // --no-sandbox: the tests may run as root in a container, where Chromium's sandbox cannot start.
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  mkdirSync(ARTIFACTS, { recursive: true });
  return browser;
}

/** A key and secret, from the Authorization header the test helpers make. */
export function credentialOf(authorization: string): { key: string; secret: string } {
  const decoded = Buffer.from(authorization.slice('Basic '.length), 'base64').toString();
  const colon = decoded.indexOf(':');
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** A fresh browser profile (no cookies) whose console errors and CSP reports are collected. */
export async function newContext(
  browser: Browser,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport,
    acceptDownloads: true,
    hasTouch: viewport.width < 600,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The signed-out check answers 401 by design; anything else logged as an error is a problem.
    if (message.type() === 'error' && !message.text().includes('401'))
      problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Signs in through the form and waits for the first view. */
export async function signIn(
  page: Page,
  base: string,
  authorization: string,
  search = '?view=overview',
): Promise<void> {
  const { key, secret } = credentialOf(authorization);
  await page.goto(`${base}/dashboard/${search}`);
  await page.getByLabel('Key').fill(key);
  await page.getByLabel('Secret').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('main[data-ready]').waitFor({ timeout: 60_000 });
}

/** Waits until the view named in the URL is drawn (or has said why it cannot be). */
export async function viewReady(page: Page, view: string): Promise<void> {
  await page.locator(`main[data-ready="${view}"]`).waitFor({ timeout: 60_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
