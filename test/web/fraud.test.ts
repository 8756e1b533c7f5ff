/**
 * Fraud in the browser: three accounts signed up from one browser carry its device id, the risk
 * service links and flags them, and an operator works the case in the console — review queue,
 * risk profile with reasons and links, resolution (audited), linking graph.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { bootTestServer, http, type TestServer } from '../support/server.ts';
import { launchChromium, phonePage, screenshot, signUp } from './browser.ts';

const ADMIN = { username: 'fraud_admin', password: 'console-pass-1' };

describe('fraud console (headless Chromium)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    await buildWeb({ minify: false });
    [srv, browser] = await Promise.all([bootTestServer({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });
  afterEach(() => {
    expect(errors.splice(0), 'errors thrown in the page').to.deep.equal([]);
  });

  it('links accounts signed up from one browser by its device id, and an operator reviews, resolves and sees the group', async () => {
    const player = await phonePage(browser, errors);
    const names = ['webring_a', 'webring_b', 'webring_c'];
    for (const name of names) {
      await signUp(player, srv.url, name);
      // Log out, keeping the browser's device id.
      await player.evaluate(() => Object.keys(localStorage).filter((k) => k !== 'casino.deviceId').forEach((k) => localStorage.removeItem(k)));
    }
    const deviceId = await player.evaluate(() => localStorage.getItem('casino.deviceId'));
    expect(deviceId).to.match(/^web-[0-9a-f]{32}$/);

    const ops = await phonePage(browser, errors);
    await ops.setViewportSize({ width: 1280, height: 900 });
    await ops.goto(`${srv.url}/admin`);
    await ops.fill('[data-testid=auth-username]', ADMIN.username);
    await ops.fill('[data-testid=auth-password]', ADMIN.password);
    await ops.click('[data-testid=login]');
    await ops.click('[data-testid=tab-fraud]');
    const admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
    const ids = await Promise.all(names.map(async (n) => (await http(srv.url, 'GET', `/admin/players?q=${n}`, undefined, admin)).body.items[0].userId as string));
    await ops.waitForSelector(`[data-testid=fraud-queue] [data-testid=fraud-player-${ids[2]}]`);
    await screenshot(ops, 'web-console-fraud-queue');

    await ops.click(`[data-testid=fraud-queue] [data-testid=fraud-player-${ids[2]}]`);
    await ops.waitForSelector('[data-testid=fraud-reasons] li');
    expect(await ops.textContent('[data-testid=fraud-reasons]')).to.include('linked_accounts');
    expect(await ops.textContent('[data-testid=fraud-links]')).to.include(`d:${deviceId}`);
    await ops.fill('[data-testid=fraud-note]', 'three accounts, one browser: asked for ID');
    await ops.click('[data-testid=fraud-resolve]');
    await ops.waitForFunction(() => document.body.textContent?.includes('resolved'));
    await screenshot(ops, 'web-console-fraud-profile');
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=20', undefined, admin)).body.items;
    expect(audit.find((a: any) => a.action === 'risk.resolve')?.reason).to.equal('three accounts, one browser: asked for ID');

    await ops.goto(`${srv.url}/admin#/fraud/graph`);
    await ops.waitForSelector('[data-testid=fraud-graph] .card');
    const graph = await ops.textContent('[data-testid=fraud-graph]');
    for (const n of names) expect(graph).to.include(n);
    await screenshot(ops, 'web-console-fraud-graph');
  });
});
