/**
 * The cashier in real headless Chromium against a real server and the sandbox PSP as a real
 * process: a deposit through the PSP's hosted checkout with its 3-D Secure step, then a
 * withdrawal to the tokenised card, both followed to their final status in the history.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { bootTestServer, type TestServer } from '../support/server.ts';
import { freePort } from '../support/process.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, type PspProcess } from '../support/psp.ts';
import { attr, launchChromium, phonePage, screenshot, signUp } from './browser.ts';

describe('cashier page (headless Chromium, sandbox PSP process)', function () {
  this.timeout(90_000);
  let srv: TestServer;
  let psp: PspProcess;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    await buildWeb({ minify: false });
    const pspPort = await freePort();
    [srv, browser] = await Promise.all([
      bootTestServer({ PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PAYMENTS_POLL_MS: '0', ROULETTE_TABLES: '1', WITHDRAWAL_AUTO_APPROVE_MAX_MINOR: '5000', ADMIN_USERNAME: 'cashier_admin', ADMIN_PASSWORD: 'console-pass-1' }),
      launchChromium(),
    ]);
    psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook` });
  });
  after(async () => {
    await browser?.close();
    await psp?.stop();
    await srv?.stop();
  });

  it('deposits through the sandbox checkout with 3-D Secure, then withdraws to the same card', async () => {
    const page = await phonePage(browser, errors);
    await signUp(page, srv.url, 'cashier1');
    await page.click('[data-testid=nav-cashier]');
    await page.waitForSelector('[data-testid=cashier-balance]');
    expect(Number(await attr(page, '[data-testid=cashier-balance]', 'data-minor'))).to.equal(100_000);

    await page.fill('[data-testid=deposit-amount]', '25.00');
    await page.click('[data-testid=deposit-submit]');
    // The PSP's own page (another origin): the card number is typed there, never on ours.
    await page.waitForURL(/\/checkout\/pay_/);
    expect(await page.textContent('#amount')).to.include('25.00 EUR');
    await page.fill('#card', '4000 0000 0000 3220');
    await page.click('#pay');
    await page.waitForSelector('#otp');
    await page.fill('#otp', '123456');
    await page.click('#confirm');
    // Back on the cashier, following the payment until the webhook has credited it.
    await page.waitForURL(/#\/cashier/, { waitUntil: 'commit' }); // then wait on what the page shows, not its load event
    await page.waitForSelector('tr[data-kind=deposit][data-status=captured]', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=cashier-balance]')?.getAttribute('data-minor') === '102500');
    expect(await page.textContent('[data-testid=withdraw-instrument]')).to.include('3220');
    await screenshot(page, 'cashier-deposited');

    await page.fill('[data-testid=withdraw-amount]', '10.00');
    await page.click('[data-testid=withdraw-submit]');
    await page.waitForSelector('tr[data-kind=withdrawal][data-status=paid]', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=cashier-balance]')?.getAttribute('data-minor') === '101500');
    await screenshot(page, 'cashier-withdrawn');

    // Above the auto-approval threshold: it waits in the console's review queue.
    await page.fill('[data-testid=withdraw-amount]', '60.00');
    await page.click('[data-testid=withdraw-submit]');
    await page.waitForSelector('tr[data-kind=withdrawal][data-status=review]');
    const op = await phonePage(browser, errors);
    await op.goto(`${srv.url}/admin#/payments`);
    await op.fill('[data-testid=auth-username]', 'cashier_admin');
    await op.fill('[data-testid=auth-password]', 'console-pass-1');
    await op.click('[data-testid=login]');
    await op.click('[data-testid=tab-payments]');
    const row = await op.waitForSelector('[data-testid=review-rows] tr[data-status=review]');
    const id = (await row.getAttribute('data-testid'))!.slice('pay-'.length);
    await op.fill(`[data-testid=reason-${id}]`, 'documents checked');
    await op.click(`[data-testid=approve-${id}]`);
    await page.waitForSelector(`[data-testid=payment-${id}][data-status=paid]`, { timeout: 15_000 });
    await op.click('[data-testid=recon-run]');
    await op.waitForSelector('[data-testid=recon-summary][data-ok=true]');
    await screenshot(op, 'console-payments');
    expect(errors).to.deep.equal([]);
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok).to.equal(true);
  });
});
