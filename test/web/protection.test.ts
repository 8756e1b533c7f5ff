/**
 * The safer-gambling page in real headless Chromium against a real server and the sandbox PSP
 * process: the player sets a daily deposit limit, deposits up to it through the PSP's checkout,
 * is refused the next deposit, verifies their identity on the cashier page, self-excludes, and is refused at the table at once (the session is
 * revoked) and again after logging back in; the operator sees it in the console, approves a referred KYC
 * submission and works an AML case to its close (reported, with the SAR reference).
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { freePort } from '../support/process.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, type PspProcess } from '../support/psp.ts';
import { launchChromium, phonePage, screenshot, signUp } from './browser.ts';

describe('safer gambling page (headless Chromium, sandbox PSP process)', function () {
  this.timeout(90_000);
  let srv: TestServer;
  let psp: PspProcess;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    await buildWeb({ minify: false });
    const pspPort = await freePort();
    [srv, browser] = await Promise.all([
      bootTestServer({ PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PAYMENTS_POLL_MS: '0', ROULETTE_TABLES: '1', ADMIN_USERNAME: 'safer_ops', ADMIN_PASSWORD: 'console-pass-1' }),
      launchChromium(),
    ]);
    psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook` });
  });
  after(async () => {
    await browser?.close();
    await psp?.stop();
    await srv?.stop();
  });

  it('sets a deposit limit, hits it, self-excludes and is refused at once', async () => {
    const page = await phonePage(browser, errors);
    await signUp(page, srv.url, 'safer1');
    await page.waitForSelector('[data-testid=session-clock]');

    await page.click('[data-testid=nav-safer]');
    await page.selectOption('[data-testid=limit-metric]', 'deposit');
    await page.selectOption('[data-testid=limit-period]', 'day');
    await page.fill('[data-testid=limit-amount]', '20.00');
    await page.click('[data-testid=limit-submit]');
    await page.waitForSelector('[data-testid=limit-deposit-day][data-minor="2000"]');

    await page.click('[data-testid=nav-cashier]');
    await page.fill('[data-testid=deposit-amount]', '20.00');
    await page.click('[data-testid=deposit-submit]');
    await page.waitForURL(/\/checkout\/pay_/);
    await page.click('#pay'); // the sandbox's default card approves
    await page.waitForURL(/#\/cashier/, { waitUntil: 'commit' }); // then wait on what the page shows, not its load event
    await page.waitForSelector('tr[data-kind=deposit][data-status=captured]', { timeout: 15_000 });

    await page.fill('[data-testid=deposit-amount]', '5.00');
    await page.click('[data-testid=deposit-submit]');
    await page.waitForSelector('.toast.show.error:has-text("protection/deposit_limit")');
    expect(page.url(), 'no checkout for a refused deposit').to.match(/#\/cashier/);
    await screenshot(page, 'safer-deposit-limit');

    // Identity verification from the cashier (withdrawals need it): a PNG of the document.
    await page.fill('[data-testid=kyc-name]', 'Safer Player');
    await page.fill('[data-testid=kyc-dob]', '1990-01-31');
    await page.fill('[data-testid=kyc-country]', 'GB');
    await page.fill('[data-testid=kyc-doc-number]', 'P1234567');
    await page.setInputFiles('[data-testid=kyc-file]', { name: 'id.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) });
    await page.click('[data-testid=kyc-submit]');
    await page.waitForSelector('[data-testid=kyc-status][data-status=verified]');

    await page.click('[data-testid=nav-safer]');
    await page.waitForSelector('[data-testid=limit-deposit-day]');
    expect(await page.textContent('[data-testid=limit-deposit-day]')).to.include('20.00');
    await page.selectOption('[data-testid=exclusion-months]', '6');
    await page.check('[data-testid=exclusion-confirm]');
    await page.click('[data-testid=exclusion-submit]');
    await page.waitForSelector('[data-testid=block][data-kind=self_exclusion]');
    await screenshot(page, 'safer-self-excluded');

    // At once: this session's token is revoked, so the table refuses it.
    await page.goto(`${srv.url}/#/table/roulette-1`);
    const refused = await page.waitForSelector('[data-testid=join-error], [data-testid=auth-username]');
    if (await refused.getAttribute('data-testid') === 'join-error') expect(await refused.textContent()).to.match(/auth\/token_revoked|protection\/excluded/);

    // And after logging in again: joins are refused for the self-exclusion itself.
    await page.evaluate(() => localStorage.clear());
    await page.goto(srv.url);
    await page.fill('[data-testid=auth-username]', 'safer1');
    await page.fill('[data-testid=auth-password]', 'browser-pass-1');
    await page.click('[data-testid=login]');
    await page.waitForSelector('[data-testid=tables]');
    await page.goto(`${srv.url}/#/table/roulette-1`);
    const error = await page.waitForSelector('[data-testid=join-error]');
    expect(await error.textContent()).to.include('protection/excluded');

    // The operator sees it in the console, read only, with the KYC status and the day's report.
    const userId = (await http(srv.url, 'POST', '/auth/login', { username: 'safer1', password: 'browser-pass-1' })).body.userId;
    // Work for the review queues: a KYC submission the provider referred, and an AML case (a deposit at the 24-hour threshold).
    const referred = await registerPlayer(srv, 'rev');
    const query = new URLSearchParams({ fullName: 'Rita Review', dateOfBirth: '1979-04-01', country: 'GB', documentNumber: 'REV-7' });
    await fetch(`${srv.url}/kyc/documents?${query}`, { method: 'POST', headers: { authorization: `Bearer ${referred.token}`, 'content-type': 'image/png' }, body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) });
    expect((await http(srv.url, 'POST', '/payments/deposits', { amountMinor: 200_000, method: 'card' }, referred.token)).status).to.equal(201);
    const opsToken = (await http(srv.url, 'POST', '/auth/login', { username: 'safer_ops', password: 'console-pass-1' })).body.token;
    const caseId = (await http(srv.url, 'GET', '/admin/aml/cases', undefined, opsToken)).body.items.find((c: any) => c.userId === referred.userId).caseId;
    const op = await phonePage(browser, errors);
    await op.goto(`${srv.url}/admin#/compliance`);
    await op.fill('[data-testid=auth-username]', 'safer_ops');
    await op.fill('[data-testid=auth-password]', 'console-pass-1');
    await op.click('[data-testid=login]');
    await op.click('[data-testid=tab-compliance]');
    await op.fill('[data-testid=compliance-player]', userId);
    await op.click('[data-testid=compliance-lookup]');
    await op.waitForSelector('[data-testid=compliance-block][data-kind=self_exclusion]');
    await op.waitForSelector('[data-testid=compliance-kyc][data-status=verified]');
    expect(await op.textContent('[data-testid=compliance-history]')).to.include('block.self_exclusion').and.include('limit.set');
    await op.click('[data-testid=report-load]');
    await op.waitForSelector('[data-testid=report-sha]');
    // The KYC review: approved with a reason, gone from the queue.
    await op.fill(`[data-testid=kyc-reason-${referred.userId}]`, 'passport checked by hand');
    await op.click(`[data-testid=kyc-approve-${referred.userId}]`);
    await op.waitForSelector(`[data-testid=kyc-review-${referred.userId}]`, { state: 'detached' });
    expect((await http(srv.url, 'GET', '/kyc', undefined, referred.token)).body.status).to.equal('verified');
    // The AML case: assigned to me, then closed as reported with its SAR reference.
    await op.click(`[data-testid=aml-assign-${caseId}]`);
    await op.waitForSelector(`[data-testid=aml-state-${caseId}]:has-text("assigned")`);
    await op.selectOption(`[data-testid=aml-outcome-${caseId}]`, 'reported');
    await op.fill(`[data-testid=aml-sar-${caseId}]`, 'NCA-2026-77');
    await op.fill(`[data-testid=aml-reason-${caseId}]`, 'unexplained funds');
    await op.click(`[data-testid=aml-close-${caseId}]`);
    await op.waitForSelector(`[data-testid=aml-case-${caseId}][data-status=closed]`);
    expect(await op.textContent(`[data-testid=aml-state-${caseId}]`)).to.include('SAR NCA-2026-77');
    await screenshot(op, 'console-compliance');
    expect(errors).to.deep.equal([]);
  });
});
