/**
 * Promotions in real headless Chromium against a real server: the player's Promotions page shows
 * the running offer's terms and the player's bonus apart from cash with its wagering progress;
 * an operator pauses the campaign and forfeits the player's bonus in the console, with reasons.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { DEFAULT_CONTRIBUTION } from '../../actors/promotions/index.ts';
import { formatDecimal } from '../../actors/odds/formats.ts';
import { bootTestServer, http, type TestServer } from '../support/server.ts';
import { attr, launchChromium, phonePage, screenshot, signUp } from './browser.ts';

const ADMIN = { username: 'promo_console', password: 'console-pass-1' };

describe('promotions pages (headless Chromium)', function () {
  this.timeout(90_000);
  let srv: TestServer;
  let browser: Browser;
  let admin: string;
  const errors: string[] = [];

  before(async () => {
    await buildWeb({ minify: false });
    [srv, browser] = await Promise.all([bootTestServer({ ROULETTE_TABLES: '1', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }), launchChromium()]);
    admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('shows the offer and the bonus with its wagering bar to the player; the operator pauses the campaign and forfeits the bonus', async () => {
    const created = await http(srv.url, 'POST', '/admin/promotions', {
      id: 'web-welcome', name: 'Web welcome', status: 'active', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      budgetMinor: 100_000, reason: 'browser test',
      terms: { kind: 'deposit_match', matchPct: 100, maxBonusMinor: 5_000, minDepositMinor: 1_000, wageringMultiplier: 10, contribution: DEFAULT_CONTRIBUTION, maxBetMinor: 500, conversionCapMinor: 20_000, validForMs: 86_400_000 },
    }, admin);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);

    const page = await phonePage(browser, errors);
    await signUp(page, srv.url, 'promoweb1');
    const userId = await page.evaluate(() => JSON.parse(localStorage.getItem('casino.session')!).userId as string);
    // A bonus as a claim makes it (the claim itself needs a deposit through the PSP: deposit-match.test.ts).
    const w = srv.app.services.store.wallet;
    await w.ensureAccount(`bonus:player:${userId}`, 'player', srv.app.services.wallet.currency);
    const [g] = await w.apply([{
      type: 'bonusGrant', key: `promo:web-welcome:claim:${userId}`, accountId: `player:${userId}`, fromAccountId: 'promo:campaign:web-welcome', amountMinor: 2_000,
      wageringRequiredMinor: 20_000, maxBetMinor: 500, conversionCapMinor: 20_000, expiresAt: Date.now() + 86_400_000, contribution: DEFAULT_CONTRIBUTION,
    }]);
    expect(g!.ok).to.equal(true);

    await page.click('[data-testid=nav-promotions]');
    await page.waitForSelector('[data-testid=offer-web-welcome]');
    expect(await page.textContent('[data-testid=offer-web-welcome]')).to.include('Wager 10× the bonus');
    expect(await attr(page, '[data-testid=bonus-balance]', 'data-minor')).to.equal('2000');
    expect(await attr(page, '[data-testid=wagering-progress]', 'data-pct')).to.equal('0');
    expect(await page.getAttribute('[data-testid=claim-web-welcome]', 'disabled')).to.not.equal(null); // no deposit yet
    await screenshot(page, 'web-promotions-player');

    const ops = await phonePage(browser, errors);
    await ops.setViewportSize({ width: 1280, height: 900 });
    await ops.goto(`${srv.url}/admin#/promotions`);
    await ops.fill('[data-testid=auth-username]', ADMIN.username);
    await ops.fill('[data-testid=auth-password]', ADMIN.password);
    await ops.click('[data-testid=login]');
    await ops.click('[data-testid=tab-promotions]');
    await ops.waitForSelector('[data-testid=campaign-web-welcome][data-status=active]');
    await ops.fill('[data-testid=reason-web-welcome]', 'budget review');
    await ops.click('[data-testid=pause-web-welcome]');
    await ops.waitForSelector('[data-testid=campaign-web-welcome][data-status=paused]');
    await ops.fill('[data-testid=bonus-player]', userId);
    await ops.click('[data-testid=bonus-lookup]');
    await ops.waitForSelector('[data-testid=player-bonus-summary][data-status=active]');
    await ops.fill('[data-testid=bonus-reason]', 'bonus abuse');
    await ops.click('[data-testid=bonus-forfeit]');
    await ops.waitForSelector('[data-testid=player-bonus-summary][data-status=forfeited]');
    await screenshot(ops, 'web-promotions-console');

    await page.reload();
    await page.waitForSelector('[data-testid=bonus-status]');
    expect(await page.textContent('[data-testid=bonus-status]')).to.equal('forfeited');
    expect(await page.$('[data-testid=offer-web-welcome]')).to.equal(null); // paused: not offered
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=3', undefined, admin)).body.items.map((e: any) => [e.action, e.reason]);
    expect(audit.slice(0, 2)).to.deep.equal([['player.bonus_forfeit', 'bonus abuse'], ['promotion.pause', 'budget review']]);
    expect(errors).to.deep.equal([]);
  });

  it('offers a free bet and an odds boost in the bet slip and places both', async () => {
    const eventId = 'web-promo-ev';
    expect((await http(srv.url, 'POST', '/admin/events', { eventId, league: 'E0', home: 'Bristol', away: 'Derby', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
    const page = await phonePage(browser, errors);
    await signUp(page, srv.url, 'promoweb2');
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('casino.session')!).token as string);
    await page.goto(`${srv.url}/#/event/${eventId}`);
    await page.waitForSelector('[data-testid=market-1x2][data-status=open]');
    const risk = (await http(srv.url, 'GET', `/admin/risk/events/${eventId}`, undefined, admin)).body;
    const draw = risk.markets.find((m: any) => m.marketId === '1x2').selections.find((s: any) => s.selectionId === 'draw').priceMilli as number;
    const window = { startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString(), status: 'active', budgetMinor: 10_000, reason: 'slip test' };
    expect((await http(srv.url, 'POST', '/admin/promotions', { id: 'slip-fb', name: 'Slip free bet', ...window, terms: { kind: 'free_bet', stakeMinor: 300, minPriceMilli: 1_500, validForMs: 86_400_000 } }, admin)).status).to.equal(201);
    expect((await http(srv.url, 'POST', '/admin/promotions', { id: 'slip-boost', name: 'Draw boost', ...window, terms: { kind: 'odds_boost', eventId, marketId: '1x2', selectionId: 'draw', boostedPriceMilli: draw + 500, maxStakePerPlayerMinor: 2_000 } }, admin)).status).to.equal(201);
    expect((await http(srv.url, 'POST', '/promotions/slip-fb/claim', {}, token)).status).to.equal(201);

    await page.reload();
    await page.waitForSelector('[data-testid=market-1x2][data-status=open]');
    await page.click('[data-testid=sel-1x2-draw]');
    await page.waitForSelector('[data-testid=slip-boost]');
    await page.selectOption('[data-testid=slip-free-bet]', { index: 1 });
    await page.click('[data-testid=place-bet]');
    await page.waitForSelector('[data-testid=slip-status][data-outcome=accepted]');
    expect((await http(srv.url, 'GET', '/promotions/tokens', undefined, token)).body.items).to.deep.equal([]);
    expect((await http(srv.url, 'GET', '/wallet', undefined, token)).body.heldMinor).to.equal(0);
    await screenshot(page, 'web-promotions-slip');

    await page.click('[data-testid=sel-1x2-draw]');
    await page.waitForSelector('[data-testid=slip-boost]');
    expect(await page.$('[data-testid=slip-free-bet]')).to.equal(null); // the token is used
    await page.fill('[data-testid=stake]', '10.00');
    await page.click('[data-testid=place-bet]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=slip-status]')?.textContent ?? '').includes('Accepted: €10.00'));
    expect((await http(srv.url, 'GET', '/wallet', undefined, token)).body.heldMinor).to.equal(1_000);
    expect(await page.textContent('[data-testid=slip-status]')).to.include(`@ ${formatDecimal(draw + 500)}`);
    expect(errors).to.deep.equal([]);
  });
  it('shows a player\'s country and VIP tier in the console and sets the tier with a reason (audited)', async () => {
    const player = (await http(srv.url, 'POST', '/auth/register', { username: `vipweb${process.pid}`, password: 'correct-horse-1' })).body;
    const ops = await phonePage(browser, errors);
    await ops.setViewportSize({ width: 1280, height: 900 });
    await ops.goto(`${srv.url}/admin#/players/${player.userId}`);
    await ops.fill('[data-testid=auth-username]', ADMIN.username);
    await ops.fill('[data-testid=auth-password]', ADMIN.password);
    await ops.click('[data-testid=login]');
    await ops.waitForSelector('[data-testid=player-vip][data-tier=""]');
    expect(await ops.textContent('[data-testid=player-profile]')).to.include('Country unknown');
    await ops.selectOption('[data-testid=player-vip-tier]', 'gold');
    await ops.click('[data-testid=player-set-vip-tier]');
    await ops.waitForFunction(() => Array.from(document.querySelectorAll('[role=alert]')).some((e) => (e.textContent ?? '').includes('A reason is required')));
    await ops.fill('[data-testid=player-reason]', 'loyal player');
    await ops.selectOption('[data-testid=player-vip-tier]', 'gold');
    await ops.click('[data-testid=player-set-vip-tier]');
    await ops.waitForSelector('[data-testid=player-vip][data-tier=gold]');
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=1', undefined, admin)).body.items[0];
    expect([audit.action, audit.reason, audit.details]).to.deep.equal(['player.vip_tier', 'loyal player', { before: null, after: 'gold' }]);
    expect(errors).to.deep.equal([]);
  });

  it('offers a profit boost in the bet slip and places a bet with it', async () => {
    const eventId = 'web-promo-pb';
    expect((await http(srv.url, 'POST', '/admin/events', { eventId, league: 'E0', home: 'Luton', away: 'Wigan', startsAt: Date.now() + 3_600_000 }, admin)).status).to.equal(201);
    const page = await phonePage(browser, errors);
    await signUp(page, srv.url, 'promoweb3');
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('casino.session')!).token as string);
    const window = { startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString(), status: 'active', budgetMinor: 10_000, reason: 'slip test' };
    expect((await http(srv.url, 'POST', '/admin/promotions', { id: 'slip-pb', name: 'Slip boost', ...window, terms: { kind: 'profit_boost', boostPct: 25, maxExtraMinor: 500, minPriceMilli: 1_100, validForMs: 86_400_000 } }, admin)).status).to.equal(201);
    expect((await http(srv.url, 'POST', '/promotions/slip-pb/claim', {}, token)).status).to.equal(201);

    await page.goto(`${srv.url}/#/event/${eventId}`);
    await page.waitForSelector('[data-testid=market-1x2][data-status=open]');
    await page.click('[data-testid=sel-1x2-home]');
    await page.waitForSelector('[data-testid=slip-profit-boost]');
    expect(await page.textContent('[data-testid=slip-profit-boost]')).to.include('+25% of winnings, up to €5.00');
    await page.selectOption('[data-testid=slip-profit-boost]', { index: 1 });
    await page.fill('[data-testid=stake]', '5.00');
    await page.click('[data-testid=place-bet]');
    await page.waitForSelector('[data-testid=slip-status][data-outcome=accepted]');
    // The token is consumed with the player's own stake.
    expect((await http(srv.url, 'GET', '/promotions/tokens', undefined, token)).body.items).to.deep.equal([]);
    expect((await http(srv.url, 'GET', '/wallet', undefined, token)).body.heldMinor).to.equal(500);
    expect(await page.textContent('[data-testid^=boost-]')).to.include('Profit boost +25%');
    await page.click('[data-testid=sel-1x2-home]');
    expect(await page.$('[data-testid=slip-profit-boost]')).to.equal(null);
    expect(errors).to.deep.equal([]);
  });
});
