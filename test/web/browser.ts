/** Headless Chromium (Debian's `chromium`) for the browser tests, driven with playwright-core. */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Playwright gives every launch a fresh temporary profile (its own --user-data-dir), removed on close. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (what .ci/run does), or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
}

/** A phone-sized page (375 px wide) whose page errors fail the test that reads them. */
export async function phonePage(browser: Browser, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  // Navigations cross processes (the sandbox PSP's pages, the redirect back): a loaded CI machine gets longer.
  page.setDefaultNavigationTimeout(30_000);
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
}

/** Signs up through the page's form; resolves once the lobby shows. */
export async function signUp(page: Page, url: string, username: string, password = 'browser-pass-1'): Promise<void> {
  await page.goto(url);
  await page.fill('[data-testid=auth-username]', username);
  await page.fill('[data-testid=auth-password]', password);
  await page.click('[data-testid=signup]');
  await page.waitForSelector('[data-testid=tables]');
}

export async function attr(page: Page, selector: string, name: string): Promise<string | null> {
  return page.getAttribute(selector, name);
}
