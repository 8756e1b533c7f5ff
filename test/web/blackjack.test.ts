/**
 * The blackjack table in the player web client, in headless Chromium at 375 px against a real
 * server: a player sits and bets from the page, sees the dealer's up card with the hole card face
 * down, plays with the action buttons, sees the round settle and their balance change, and the
 * table fits the phone's width.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { handTotal, rankOf, shuffleShoe } from '../../actors/blackjack/index.ts';
import { buildWeb } from '../../scripts/build-web.ts';
import { bootTestServer, type TestServer } from '../support/server.ts';
import { attr, launchChromium, phonePage, screenshot, signUp } from './browser.ts';

/** A seed whose first shoe gives seat 0 a hard 5–11 (a hit cannot bust), no dealer ace up and no dealer blackjack. */
function seedForAHit(): string {
  for (let n = 0; ; n++) {
    const seed = createHash('sha256').update(`bj-web-${n}`).digest('hex');
    const o = shuffleShoe(seed, 'blackjack-1:shoe-1', 1, 6);
    const player = handTotal([o[0]!, o[2]!]);
    if (player.soft || player.total < 5 || player.total > 11 || rankOf(o[1]!) === 0 || handTotal([o[1]!, o[3]!]).total === 21) continue;
    return seed;
  }
}

describe('blackjack in the web client (headless Chromium, 375 px)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    await buildWeb({ minify: false });
    const seed = seedForAHit();
    [srv, browser] = await Promise.all([
      bootTestServer({ ROULETTE_TABLES: '0', BLACKJACK_TABLES: '1', BLACKJACK_BETTING_WINDOW_MS: '4000', BLACKJACK_DECISION_MS: '20000', BLACKJACK_PAUSE_MS: '60000' }, { randomSeed: () => seed }),
      launchChromium(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('a player sits, bets, hits and stands with the buttons, and sees the round settle', async () => {
    const page = await phonePage(browser, errors);
    await signUp(page, srv.url, 'bjweb1');
    await page.click('[data-testid=table-blackjack-1]');
    await page.waitForSelector('[data-testid=bj-phase][data-phase=betting]');
    expect(await page.textContent('[data-testid=bj-commitment]')).to.match(/^[0-9a-f]{64}$/);
    await page.click('[data-testid=bj-chip-1000]');
    await page.click('[data-testid=bj-seat-0]');
    await page.waitForFunction(() => document.querySelector('[data-testid=bj-seat-0]')?.textContent?.includes('you'));
    // The deal: two cards for the seat, the up card and a face-down hole card.
    await page.waitForSelector('[data-testid=bj-phase][data-phase=playing]', { timeout: 10_000 });
    await page.waitForSelector('[data-testid=bj-hit]:not([disabled])');
    expect(await page.$$eval('[data-testid=bj-hand-0-0] .pcard', (els) => els.length)).to.equal(2);
    expect(await page.$$eval('[data-testid=bj-dealer-cards] .pcard:not(.back)', (els) => els.length)).to.equal(1);
    expect(await page.isVisible('[data-testid=bj-hole]')).to.equal(true);
    expect(await page.isDisabled('[data-testid=bj-split]')).to.equal(true);
    await screenshot(page, 'blackjack-375-playing');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, 'no horizontal scrolling at 375 px').to.be.at.most(375);

    await page.click('[data-testid=bj-hit]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=bj-hand-0-0] .pcard').length === 3);
    await page.waitForSelector('[data-testid=bj-stand]:not([disabled])');
    await page.click('[data-testid=bj-stand]');
    await page.waitForSelector('[data-testid=bj-phase][data-phase=settled]');
    expect(await page.isVisible('[data-testid=bj-hole]')).to.equal(false);
    expect(await page.$$eval('[data-testid=bj-dealer-cards] .pcard', (els) => els.length)).to.be.at.least(2);
    const outcome = await page.textContent('[data-testid=bj-hand-0-0]');
    expect(outcome).to.match(/→ (win|lose|push)/);
    const paid = /→ win/.test(outcome!) ? 2000 : /→ push/.test(outcome!) ? 1000 : 0;
    await page.waitForFunction((minor) => document.querySelector('[data-testid=balance]')?.getAttribute('data-minor') === String(minor), 100_000 - 1000 + paid);
    expect(Number(await attr(page, '[data-testid=balance]', 'data-minor'))).to.equal(100_000 - 1000 + paid);
    await screenshot(page, 'blackjack-375-settled');
    // The shoe is still being dealt: verifying says so rather than verifying nothing.
    await page.waitForSelector('[data-testid=bj-verify]:not([disabled])');
    await page.click('[data-testid=bj-verify]');
    await page.waitForSelector('[data-testid=bj-verify-pending]');
    // The wallet's recent rounds name the game and the dealer's total.
    const dealerCards = await page.$$eval('[data-testid=bj-dealer-cards] .pcard', (els) => els.map((e) => e.getAttribute('data-card') ?? ''));
    const points = dealerCards.map((c) => ('TJQK'.includes(c[0]!) ? 10 : c[0] === 'A' ? 1 : Number(c[0])));
    const hard = points.reduce((a, b) => a + b, 0);
    const dealerTotal = points.includes(1) && hard + 10 <= 21 ? hard + 10 : hard;
    await page.click('[data-testid=nav-wallet]');
    const item = await page.waitForSelector('[data-testid=recent-round][data-game=blackjack]');
    expect(await item.getAttribute('data-round')).to.equal('blackjack-1:1');
    expect(await page.textContent('[data-testid=recent-result]')).to.equal(dealerTotal > 21 ? `dealer bust (${dealerTotal})` : `dealer ${dealerTotal}`);
    expect(await item.textContent()).to.match(/^Blackjack blackjack-1:1 → /);
    expect(errors.splice(0), 'errors thrown in the page').to.deep.equal([]);
  });
});
