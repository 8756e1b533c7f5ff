/**
 * The player web client and operator console in real headless Chromium against a real server:
 * a roulette round played, settled and verified in the browser; an in-play bet through its delay
 * with a price change, a suspension, a rejection and the settlement; an operator suspending a
 * market in the console and the player's page showing it. Screenshots go to test-results/.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { bootTestServer, http, type TestServer } from '../support/server.ts';
import { attr, launchChromium, phonePage, screenshot, signUp } from './browser.ts';

const ADMIN = { username: 'console_admin', password: 'console-pass-1' };

describe('web client and operator console (headless Chromium)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let browser: Browser;
  let admin: string;
  const errors: string[] = [];
  const seqs = new Map<string, number>();
  const feed = async (eventId: string, msg: Record<string, unknown>) => {
    const seq = (seqs.get(eventId) ?? 0) + 1;
    seqs.set(eventId, seq);
    const res = await http(srv.url, 'POST', '/admin/feed', { eventId, seq, at: Date.now(), ...msg }, admin);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
  };
  const createEvent = async (eventId: string, home: string, away: string) => {
    const res = await http(srv.url, 'POST', '/admin/events', { eventId, league: 'E0', home, away, startsAt: Date.now() + 3_600_000 }, admin);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    await feed(eventId, { type: 'kick_off', minute: 0 });
    await feed(eventId, { type: 'clock', minute: 10, period: 'first_half', score: { home: 0, away: 0 }, reds: { home: 0, away: 0 } });
  };

  before(async () => {
    await buildWeb({ minify: false });
    [srv, browser] = await Promise.all([
      bootTestServer({
        ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '4000', ROULETTE_SPIN_MS: '300', ROULETTE_PAUSE_MS: '1500',
        BET_DELAY_MS: '1200', MARKET_RESUME_AFTER_MS: '300', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password,
      }),
      launchChromium(),
    ]);
    admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });
  afterEach(() => {
    expect(errors.splice(0), 'errors thrown in the page').to.deep.equal([]);
  });

  it('a player signs up, bets at a roulette table, sees the round settle and the balance change, verifies the round, and keeps a bet across a dropped connection', async () => {
    const page = await phonePage(browser, errors);
    await signUp(page, srv.url, 'webplayer1');
    expect(Number(await attr(page, '[data-testid=balance]', 'data-minor'))).to.equal(100_000);
    await page.click('[data-testid=table-roulette-1]');
    // Bet early in a betting window, whichever round that is.
    await page.waitForFunction(() => {
      const phase = document.querySelector('[data-testid=table-phase]')?.getAttribute('data-phase');
      const left = Number(document.querySelector('[data-testid=countdown]')?.getAttribute('data-ms-left'));
      return phase === 'betting' && left > 2500;
    });
    expect(await page.textContent('[data-testid=commitment]')).to.match(/^[0-9a-f]{64}$/);
    await page.click('[data-testid=chip-500]');
    await page.click('[data-testid="spot-red"]');
    await page.click('[data-testid="spot-straight:17"]');
    // Inside bets by combining numbers: 1 and 5 are not adjacent (refused on the page), 17 and 20 are a split.
    await page.click('[data-testid=combine-toggle]');
    await page.click('[data-testid="spot-straight:1"]');
    await page.click('[data-testid="spot-straight:5"]');
    await page.click('[data-testid=combine-place]');
    expect(await page.textContent('[data-testid=bet-error]')).to.include('not a split');
    await page.click('[data-testid=combine-cancel]');
    await page.click('[data-testid="spot-straight:17"]');
    await page.click('[data-testid="spot-straight:20"]');
    expect(await page.textContent('[data-testid=combine-place]')).to.equal('Place split');
    await page.click('[data-testid=combine-place]');
    await page.waitForSelector('[data-testid=my-total][data-minor="1500"]');
    expect(await page.textContent('[data-testid=combination-totals]')).to.include('split 17-20');
    expect(Number(await attr(page, '[data-testid=balance]', 'data-available'))).to.equal(98_500);

    // The round closes, spins and settles: the outcome shows and the balance moves by it.
    await page.waitForSelector('[data-testid=round-outcome] strong', { timeout: 15_000 });
    const net = Number(await attr(page, '[data-testid=round-outcome]', 'data-net'));
    const pocket = Number(await attr(page, '[data-testid=result-pocket]', 'data-pocket'));
    const red = [1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36].includes(pocket);
    expect(net).to.equal((red ? 500 : -500) + (pocket === 17 ? 17_500 : -500) + (pocket === 17 || pocket === 20 ? 8_500 : -500));
    await page.waitForFunction((expected) => document.querySelector('[data-testid=balance]')?.getAttribute('data-minor') === String(expected), 100_000 + net);
    const wallet = await http(srv.url, 'GET', '/wallet', undefined, await page.evaluate(() => JSON.parse(localStorage.getItem('casino.session')!).token));
    expect(wallet.body.balanceMinor).to.equal(100_000 + net);

    // Verify in the browser (WebCrypto), against the commitment shown before betting.
    expect(await page.textContent('[data-testid=revealed-seed]')).to.match(/^[0-9a-f]{64}$/);
    await page.click('[data-testid=verify]');
    await page.waitForSelector('[data-testid=verify-result][data-valid]');
    expect(await attr(page, '[data-testid=verify-result]', 'data-valid')).to.equal('true');
    expect(await page.textContent('[data-testid=verify-result]')).to.include(`gives pocket ${pocket}`);
    await screenshot(page, 'web-roulette-settled-verified');

    // A dropped connection (the browser goes offline): the SDK reconnects and the bet stands.
    await page.waitForFunction(() => {
      const phase = document.querySelector('[data-testid=table-phase]')?.getAttribute('data-phase');
      const left = Number(document.querySelector('[data-testid=countdown]')?.getAttribute('data-ms-left'));
      return phase === 'betting' && left > 2500;
    });
    await page.click('[data-testid="spot-black"]');
    await page.waitForSelector('[data-testid=my-total][data-minor="500"]');
    const roundBefore = await page.textContent('[data-testid=round]');
    await page.context().setOffline(true);
    await page.waitForSelector('[data-testid=conn-banner]:not(.hidden)');
    await page.context().setOffline(false);
    await page.waitForSelector('[data-testid=conn-banner].hidden', { state: 'attached', timeout: 8000 });
    if ((await page.textContent('[data-testid=round]')) === roundBefore && (await attr(page, '[data-testid=table-phase]', 'data-phase')) !== 'settled') {
      await page.waitForSelector('[data-testid=my-total][data-minor="500"]');
    }
    await page.waitForSelector('[data-testid=round-outcome] strong', { timeout: 15_000 }); // the bet was settled
    await page.context().close();
  });

  let bettor: Page;

  it('a second player bets in play: sees a price change, the bet delay, a suspension that rejects a bet, and the settled outcome', async () => {
    const EVENT = 'web-live-1';
    await createEvent(EVENT, 'Arsenal', 'Everton');
    bettor = await phonePage(browser, errors);
    await signUp(bettor, srv.url, 'webplayer2');
    await bettor.click(`[data-testid=event-${EVENT}]`);
    const home = '[data-testid=sel-1x2-home]';
    await bettor.waitForSelector(`${home}:not([disabled])`);
    const before = await attr(bettor, home, 'data-price');

    // A price change: time passes at 0-0, the home price drifts; the page shows it moving.
    await feed(EVENT, { type: 'clock', minute: 30, period: 'first_half', score: { home: 0, away: 0 }, reds: { home: 0, away: 0 } });
    await bettor.waitForFunction(([sel, old]) => document.querySelector(sel!)?.getAttribute('data-price') !== old, [home, before]);
    await bettor.waitForSelector('[data-testid^=sel-][data-moved]');
    expect(await bettor.textContent('[data-testid=clock]')).to.include("30'");

    // Odds format switch.
    await bettor.selectOption('[data-testid=odds-format]', 'fractional');
    expect(await bettor.textContent(`${home} .price`)).to.match(/^\d+\/\d+$/);
    await bettor.selectOption('[data-testid=odds-format]', 'decimal');

    // An in-play bet waits out its delay, then is accepted.
    await bettor.click(home);
    await bettor.fill('[data-testid=stake]', '10');
    await bettor.selectOption('[data-testid=acceptance]', 'any');
    await bettor.click('[data-testid=place-bet]');
    await bettor.waitForSelector('[data-testid=slip-status][data-outcome=pending] [data-testid=delay-countdown]');
    await bettor.waitForSelector('[data-testid=slip-status][data-outcome=accepted]', { timeout: 5000 });
    expect(await bettor.textContent('[data-testid=open-bets]')).to.include('€10.00');

    // A bet caught by a goal during its delay is rejected with the reason; the page shows the suspension.
    await bettor.click('[data-testid=sel-1x2-draw]');
    await bettor.fill('[data-testid=stake]', '5');
    await bettor.click('[data-testid=place-bet]');
    await bettor.waitForSelector('[data-testid=slip-status][data-outcome=pending]');
    await feed(EVENT, { type: 'goal', team: 'home', minute: 31 });
    await bettor.waitForSelector('[data-testid=event-suspended]:not(.hidden)');
    expect(await bettor.textContent('[data-testid=event-suspended]')).to.include('goal');
    await bettor.waitForSelector('[data-testid=market-1x2].off');
    expect(await bettor.isDisabled('[data-testid=sel-1x2-away]')).to.equal(true);
    await bettor.waitForSelector('[data-testid=slip-status][data-outcome=rejected]', { timeout: 5000 });
    expect(await bettor.textContent('[data-testid=slip-status]')).to.include('bet/market_suspended');
    await screenshot(bettor, 'web-live-suspended-rejected');

    // Markets reopen; the match ends 1-0: the home bet is settled as won and paid.
    await feed(EVENT, { type: 'clock', minute: 32, period: 'first_half', score: { home: 1, away: 0 }, reds: { home: 0, away: 0 } });
    await bettor.waitForSelector('[data-testid=event-suspended].hidden', { state: 'attached' });
    await feed(EVENT, { type: 'half_time', minute: 45 });
    await feed(EVENT, { type: 'second_half_kick_off', minute: 45 });
    await feed(EVENT, { type: 'clock', minute: 85, period: 'second_half', score: { home: 1, away: 0 }, reds: { home: 0, away: 0 } });
    await feed(EVENT, { type: 'full_time', minute: 90 });
    await bettor.waitForSelector('[data-testid=settled-bets] [data-outcome=won]', { timeout: 8000 });
    const won = await bettor.textContent('[data-testid=settled-bets] [data-outcome=won]');
    expect(won).to.match(/Won €\d+\.\d\d/);
    expect(await bettor.textContent('[data-testid=settled-bets]')).to.include('Rejected');
    const token = await bettor.evaluate(() => JSON.parse(localStorage.getItem('casino.session')!).token);
    const wallet = (await http(srv.url, 'GET', '/wallet', undefined, token)).body;
    await bettor.waitForFunction((m) => document.querySelector('[data-testid=balance]')?.getAttribute('data-minor') === String(m), wallet.balanceMinor);
    expect(wallet.balanceMinor).to.be.greaterThan(100_000);
    await screenshot(bettor, 'web-live-settled');
  });

  it('an operator suspends a market in the console; the player’s page shows it suspended; the action is in the audit log', async () => {
    const EVENT = 'web-live-2';
    await createEvent(EVENT, 'Chelsea', 'Fulham');
    await bettor.goto(`${srv.url}/#/event/${EVENT}`);
    await bettor.waitForSelector('[data-testid=market-correct_score][data-status=open]');

    const ops = await phonePage(browser, errors);
    await ops.setViewportSize({ width: 1280, height: 900 });
    await ops.goto(`${srv.url}/admin`);
    await ops.fill('[data-testid=auth-username]', ADMIN.username);
    await ops.fill('[data-testid=auth-password]', ADMIN.password);
    await ops.click('[data-testid=login]');
    await ops.waitForSelector('[data-testid=kpi-clients]');
    await ops.waitForSelector('[data-testid=chart-bets-per-second]');
    await screenshot(ops, 'web-console-monitoring');
    await ops.click('[data-testid=tab-risk]');
    await ops.click(`[data-testid=risk-${EVENT}]`);
    await ops.waitForSelector('[data-testid=suspend-correct_score]');
    await ops.fill('[data-testid=action-reason]', 'integrity alert on correct score');
    await ops.click('[data-testid=suspend-correct_score]');
    await ops.waitForSelector('[data-testid=risk-market-correct_score][data-status=suspended]');

    await bettor.waitForSelector('[data-testid=market-correct_score][data-status=suspended].off');
    expect(await bettor.isDisabled('[data-testid=market-correct_score] button.selection >> nth=0')).to.equal(true);
    expect(await attr(bettor, '[data-testid=market-1x2]', 'data-status')).to.equal('open');
    await screenshot(bettor, 'web-live-operator-suspended-player');
    await screenshot(ops, 'web-console-risk');

    await ops.click('[data-testid=tab-audit]');
    await ops.waitForSelector('[data-testid=audit-rows] tr[data-action="market.suspend"]');
    expect(await ops.textContent('[data-testid=audit-rows] tr[data-action="market.suspend"]')).to.include('integrity alert on correct score');
    await ops.waitForSelector('[data-testid=audit-chain][data-ok=true]');
    await screenshot(ops, 'web-console-audit');
  });
});
