/**
 * The multiples bet slip in real headless Chromium against a real server: selections of two events
 * collected into a slip (two markets of one event become a bet builder leg priced by the server),
 * placed as an accumulator, accepted with the stake held; the operator console's risk view of the
 * event shows the open builder leg and its exposure.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { bootTestServer, http, type TestServer } from '../support/server.ts';
import { launchChromium, phonePage, screenshot, signUp } from './browser.ts';

const ADMIN = { username: 'multi_admin', password: 'multi-pass-1' };

describe('web client: multiples slip and the console view of multiples (headless Chromium)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let browser: Browser;
  let admin: string;
  const errors: string[] = [];

  before(async () => {
    await buildWeb({ minify: false });
    [srv, browser] = await Promise.all([bootTestServer({ ROULETTE_TABLES: '1', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }), launchChromium()]);
    admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
    for (const [eventId, home, away] of [['web-multi-1', 'Arsenal', 'Everton'], ['web-multi-2', 'Chelsea', 'Fulham']]) {
      const res = await http(srv.url, 'POST', '/admin/events', { eventId, league: 'E0', home, away, startsAt: Date.now() + 3_600_000 }, admin);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });
  afterEach(() => expect(errors.splice(0), 'errors thrown in the page').to.deep.equal([]));

  it('builds an accumulator with a bet builder leg, places it, the console shows the leg, and the player cashes it out from the list', async () => {
    const page = await phonePage(browser, errors);
    await signUp(page, srv.url, 'multiplayer1');
    await page.click('[data-testid=event-web-multi-1]');
    await page.click('[data-testid=sel-1x2-home]:not([disabled])');
    await page.click('[data-testid=add-multiple]');
    await page.click('[data-testid=sel-ou_2\\.5-over]');
    await page.click('[data-testid=add-multiple]');
    await page.waitForFunction(() => /bet builder/.test(document.querySelector('[data-testid=multi-leg-web-multi-1]')?.textContent ?? '') && /\d\.\d\d/.test(document.querySelector('[data-testid=multi-leg-web-multi-1]')?.textContent ?? ''));
    await page.goto(`${srv.url}/#/event/web-multi-2`);
    await page.click('[data-testid=sel-1x2-away]:not([disabled])');
    await page.click('[data-testid=add-multiple]');
    await page.waitForSelector('[data-testid=multi-leg-web-multi-2]');
    await page.fill('[data-testid=multi-stake]', '2');
    await page.waitForSelector('[data-testid=multi-summary]');
    expect(await page.textContent('[data-testid=multi-summary]')).to.match(/1 line · total stake €2\.00 · odds \d/);
    await page.click('[data-testid=place-multiple]');
    await page.waitForSelector('[data-testid=multi-status][data-outcome=accepted]', { timeout: 10_000 });
    await screenshot(page, 'web-multiples-placed');
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('casino.session')!).token);
    expect((await http(srv.url, 'GET', '/slips', undefined, token)).body.items.map((x: any) => x.status)).to.deep.equal(['accepted']);
    expect((await http(srv.url, 'GET', '/wallet', undefined, token)).body.heldMinor).to.equal(200);

    const ops = await phonePage(browser, errors);
    await ops.setViewportSize({ width: 1280, height: 900 });
    await ops.goto(`${srv.url}/admin`);
    await ops.fill('[data-testid=auth-username]', ADMIN.username);
    await ops.fill('[data-testid=auth-password]', ADMIN.password);
    await ops.click('[data-testid=login]');
    await ops.goto(`${srv.url}/admin#/risk/web-multi-1`);
    await ops.waitForSelector('[data-testid=multiples-summary]');
    expect(await ops.textContent('[data-testid=multiples-summary]')).to.match(/1 open legs \(1 bet builders\)/);
    expect(await ops.textContent('[data-testid=risk-market-1x2]')).to.include('multiples');
    await screenshot(ops, 'web-console-multiples');

    // The slip is listed under "My multiples", with a cash-out offer the player can take; cashing out releases the legs.
    await page.waitForSelector('[data-testid^=my-slip-][data-status=accepted]');
    await page.click('[data-testid^=slip-quote-]');
    await page.click('[data-testid^=slip-cashout-]');
    await page.waitForSelector('[data-testid^=my-slip-][data-status=cashed_out]');
    expect((await http(srv.url, 'GET', '/wallet', undefined, token)).body.heldMinor).to.equal(0);
    await ops.reload();
    await ops.waitForFunction(() => /No open legs/.test(document.querySelector('[data-testid=risk-multiples]')?.textContent ?? ''));
  });
});
