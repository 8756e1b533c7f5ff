import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@colyseus/sdk';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { http } from '../support/server.ts';
import { waitForState } from '../support/wait.ts';

describe('market recovery after kill -9 (real processes)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let srv: ServerProcess | null = null;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-mrecovery-'))));
  afterEach(async () => {
    await srv?.kill('SIGKILL');
    srv = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('rejects bets caught in their delay by the crash, releasing their stakes, and keeps accepted bets standing', async () => {
    const env = { DATA_DIR: dataDir, ROULETTE_TABLES: '0', BET_DELAY_MS: '60000', ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'ops-pass-1', DEMO_BALANCE_MINOR: '10000' };
    srv = await startServerProcess(env);
    const admin = (await http(srv.url, 'POST', '/auth/login', { username: 'ops', password: 'ops-pass-1' })).body.token;
    expect((await http(srv.url, 'POST', '/admin/events', { eventId: 'kill9-1', league: 'E0', home: 'Arsenal', away: 'Chelsea', startsAt: Date.now() + 600_000 }, admin)).status).to.equal(201);
    const reg = await http(srv.url, 'POST', '/auth/register', { username: 'crashbettor', password: 'crash1234' });
    const client = new Client(srv.wsUrl);
    client.auth.token = reg.body.token;
    const room = await client.join('market', { eventId: 'kill9-1' });
    room.onMessage('*', () => undefined);
    room.reconnection.enabled = false;
    const price = (m: string, s: string) => (room.state as any).markets.get(m).selections.get(s).priceMilli;
    await waitForState(room, (s: any) => s.markets?.get('1x2')?.status === 'open', 5000);
    expect(await room.request('bet', { betId: 'pre', marketId: '1x2', selectionId: 'home', stakeMinor: 1000, priceMilli: price('1x2', 'home'), acceptance: 'exact' })).to.include({ status: 'accepted' });

    const feed = (seq: number, msg: object) => http(srv!.url, 'POST', '/admin/feed', { eventId: 'kill9-1', seq, at: Date.now(), ...msg }, admin);
    await feed(1, { type: 'kick_off', minute: 0 });
    await feed(2, { type: 'clock', minute: 5, period: 'first_half', score: { home: 0, away: 0 }, reds: { home: 0, away: 0 } });
    await waitForState(room, (s: any) => s.phase === 'first_half' && s.minute >= 5, 5000);
    expect(await room.request('bet', { betId: 'inplay', marketId: 'btts', selectionId: 'yes', stakeMinor: 2500, priceMilli: price('btts', 'yes'), acceptance: 'any' })).to.include({ status: 'pending' });
    expect((await http(srv.url, 'GET', '/wallet', undefined, reg.body.token)).body.heldMinor).to.equal(3500);

    await srv.kill('SIGKILL');
    srv = await startServerProcess(env);
    const deadline = Date.now() + 10_000;
    let wallet: any;
    do {
      wallet = (await http(srv.url, 'GET', '/wallet', undefined, reg.body.token)).body;
      if (wallet.heldMinor === 1000) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(wallet, 'the pending stake is released, the accepted one still held').to.deep.include({ balanceMinor: 10000, heldMinor: 1000, availableMinor: 9000 });

    const again = new Client(srv.wsUrl);
    again.auth.token = reg.body.token;
    const back = await again.join('market', { eventId: 'kill9-1' });
    const bets: any = await back.request('myBets', {});
    const byId = Object.fromEntries(bets.bets.map((b: any) => [b.betId, b]));
    expect(byId.pre).to.include({ status: 'accepted' });
    expect(byId.inplay).to.include({ status: 'rejected', rejectionCode: 'bet/interrupted' });
    expect((back.state as any).suspended, 'in-play event suspended until the feed confirms its state').to.equal(true);
    await back.leave();

    await srv.kill('SIGTERM');
    srv = null;
    const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
    const books = await store.wallet.reconcile();
    await store.close();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    expect(books.openHoldCount).to.equal(1);
  });
});
