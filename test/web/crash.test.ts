/**
 * The crash view in real headless Chromium at 375 px against a real server: a player joins from the
 * lobby, bets, watches the curve rise, cashes out by hand, sees the crash and verifies the round in
 * the browser; an auto cash-out fires by itself in the next round; the wallet's recent rounds list
 * both with their crash points. Screenshots go to test-results/.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { bootTestServer, type TestServer } from '../support/server.ts';
import { attr, launchChromium, phonePage, screenshot, signUp } from './browser.ts';

/** The chain seed whose rounds crash at 1.62×, 1.28×, 1.57× (chain of 50, default salt), as in test/rooms/crash.test.ts. */
const SEED = createHash('sha256').update('crash room test seed 494').digest('hex');

describe('crash view (headless Chromium, 375 px)', function () {
  this.timeout(90_000);
  let srv: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    await buildWeb({ minify: false });
    let n = 0;
    [srv, browser] = await Promise.all([
      bootTestServer(
        { ROULETTE_TABLES: '0', CRASH_ROOMS: '1', CRASH_CHAIN_LENGTH: '50', CRASH_BETTING_WINDOW_MS: '3000', CRASH_PAUSE_MS: '1500' },
        { randomSeed: () => (n++ === 0 ? SEED : createHash('sha256').update(`other ${n}`).digest('hex')) },
      ),
      launchChromium(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });
  afterEach(() => {
    expect(errors.splice(0), 'errors thrown in the page').to.deep.equal([]);
  });

  it('bets, cashes out by hand while the curve rises, sees the crash, verifies it; an auto cash-out fires in the next round', async () => {
    const page = await phonePage(browser, errors);
    await signUp(page, srv.url, 'crashweb1');
    await page.click('[data-testid=crash-crash-1]');
    await page.waitForSelector('[data-testid=crash-phase][data-phase=betting]', { timeout: 10_000 });
    await page.fill('[data-testid=crash-stake]', '10');
    await page.click('[data-testid=crash-bet]');
    await page.waitForFunction(() => document.querySelector('[data-testid=my-bet]')?.textContent?.includes('Your bet: €10.00'));
    await page.waitForSelector('[data-testid=multiplier][data-phase=running]', { timeout: 10_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=multiplier]')?.getAttribute('data-cents')) >= 105);
    await screenshot(page, 'crash-running');
    await page.click('[data-testid=crash-cashout]');
    const out = await page.waitForSelector('[data-testid=my-cashout]');
    const cents = Number(await out.getAttribute('data-cents'));
    expect(cents).to.be.within(105, 162);
    // Only the page's own view of the multiplier is local: the server decided the cash-out.
    await page.waitForSelector('[data-testid=crash-phase][data-phase=crashed]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid=crash-point]')).to.equal('1.62×');
    expect(Number(await attr(page, '[data-testid=balance]', 'data-minor'))).to.equal(100_000 - 1000 + Math.floor((1000 * cents) / 100));
    await page.click('[data-testid=verify]');
    await page.waitForSelector('[data-testid=verify-result][data-valid=true]');
    expect(await page.getAttribute('[data-testid=fairness-link]', 'href')).to.equal('/fairness/rounds/crash-1%3A1');
    // Fits a 375 px phone: nothing wider than the viewport.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(375);
    await screenshot(page, 'crash-crashed');

    // Round 2 crashes at 1.28×: an auto cash-out at 1.10× fires without the player doing anything.
    await page.waitForSelector('[data-testid=crash-phase][data-phase=betting]', { timeout: 10_000 });
    await page.fill('[data-testid=crash-stake]', '5');
    await page.fill('[data-testid=crash-auto]', '1.10');
    await page.click('[data-testid=crash-bet]');
    const auto = await page.waitForSelector('[data-testid=my-cashout]', { timeout: 15_000 });
    expect(await auto.getAttribute('data-cents')).to.equal('110');
    expect(await page.textContent('[data-testid=crash-players]')).to.include('1.10×');

    // The wallet's recent rounds name the game and the crash point of each round played.
    await page.waitForSelector('[data-testid=crash-phase][data-phase=crashed]', { timeout: 20_000 });
    await page.click('[data-testid=nav-wallet]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=recent-round][data-game=crash]').length === 2, undefined, { timeout: 10_000 });
    const recalled = await page.$$eval('[data-testid=recent-round]', (els) => els.map((e) => [e.getAttribute('data-round'), e.querySelector('[data-testid=recent-result]')?.textContent, e.textContent?.startsWith('Crash ')]));
    expect(recalled).to.deep.equal([['crash-1:2', 'crashed at 1.28×', true], ['crash-1:1', 'crashed at 1.62×', true]]);
    await page.close();
  });
});
