import { expect } from 'chai';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';
import type { WalletOp } from '../../server/store/types.ts';
import { main as verifyMain } from '../../scripts/verify-roulette-round.ts';

const RED = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
const redGross = (stake: number, pocket: number) => (RED.has(pocket) ? 2 * stake : 0);
const blackGross = (stake: number, pocket: number) => (pocket !== 0 && !RED.has(pocket) ? 2 * stake : 0);

async function recordOf(srv: TestServer, token: string, roundId: string): Promise<any> {
  return until(async () => (await http(srv.url, 'GET', '/games/recent', undefined, token)).body.items.find((i: any) => i.roundId === roundId), 10_000, `record of ${roundId}`);
}

describe('roulette records players can trust', function () {
  this.timeout(60_000);
  let srv: TestServer;
  afterEach(async () => srv?.stop());

  it('quotes the balances the ledger wrote with the settlement, even when other money lands right after it', async () => {
    srv = await bootTestServer({ ROULETTE_TABLES: '2', ROULETTE_BETTING_WINDOW_MS: '1000', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '60000', DEMO_BALANCE_MINOR: '100000' });
    const p = await registerPlayer(srv, 'rrec');
    const account = `player:${p.userId}`;
    // Another table's settlement lands between this table's money and its round record (as when a
    // player's settlements at two tables land close together): the record must not see it.
    const store = srv.app.services.store.wallet;
    const apply = store.apply.bind(store);
    let injected = false;
    store.apply = async (ops: WalletOp[], opts) => {
      const out = await apply(ops, opts);
      if (!injected && ops.some((op) => op.type === 'capture' && op.key.startsWith('roulette:roulette-1:bet:'))) {
        injected = true;
        await apply([{ type: 'transfer', key: `other-table-win:${p.userId}`, fromAccountId: 'sys:house', toAccountId: account, amountMinor: 777, kind: 'payout' }]);
      }
      return out;
    };

    const t1 = await p.client.join('roulette', { tableId: 'roulette-1' });
    t1.onMessage('*', () => undefined);
    const open1 = await waitForState(t1, (s: any) => s.phase === 'betting', 5000, 'betting at table 1');
    expect(await t1.request('bet', { betId: 'one', spot: { kind: 'red' }, stakeMinor: 1000 })).to.include({ ok: true });
    const settled1 = await waitForState(t1, (s: any) => s.phase === 'settled' && s.roundId === open1.roundId, 10_000, 'table 1 settled');
    const r1 = await recordOf(srv, p.token, open1.roundId);
    const g1 = redGross(1000, settled1.pocket);
    expect(injected).to.equal(true);
    expect(r1).to.deep.include({ balanceBeforeMinor: 100_000, balanceAfterMinor: 100_000 - 1000 + g1 });

    const t2 = await p.client.join('roulette', { tableId: 'roulette-2' });
    t2.onMessage('*', () => undefined);
    const open2 = await waitForState(t2, (s: any) => s.phase === 'betting', 5000, 'betting at table 2');
    expect(await t2.request('bet', { betId: 'two', spot: { kind: 'black' }, stakeMinor: 2000 })).to.include({ ok: true });
    const settled2 = await waitForState(t2, (s: any) => s.phase === 'settled' && s.roundId === open2.roundId, 10_000, 'table 2 settled');
    const r2 = await recordOf(srv, p.token, open2.roundId);
    const g2 = blackGross(2000, settled2.pocket);
    // The chain links: the next round starts where the last ended, plus the money in between.
    expect(r2).to.deep.include({ balanceBeforeMinor: r1.balanceAfterMinor + 777, balanceAfterMinor: r1.balanceAfterMinor + 777 - 2000 + g2 });
    expect((await http(srv.url, 'GET', '/wallet', undefined, p.token)).body.balanceMinor).to.equal(r2.balanceAfterMinor);
    await t1.leave();
    await t2.leave();
  });

  it('serves the players\' client seeds and how they were combined, from the moment betting closes, and the verifier checks them', async () => {
    srv = await bootTestServer({ ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '1000', ROULETTE_SPIN_MS: '1500', ROULETTE_PAUSE_MS: '60000' });
    const p = await registerPlayer(srv, 'rseed');
    const room = await p.client.join('roulette', { tableId: 'roulette-1' });
    room.onMessage('*', () => undefined);
    const open = await waitForState(room, (s: any) => s.phase === 'betting', 5000, 'betting');
    expect(await room.request('clientSeed', { seed: 'my lucky seed' })).to.include({ ok: true });
    const closed = await waitForState(room, (s: any) => s.phase === 'closed' && s.clientSeed !== '', 5000, 'betting closed');
    const url = `${srv.url}/fairness/rounds/${encodeURIComponent(open.roundId)}`;
    // During the spin the record already shows what the table state publishes.
    const spinning = await until(async () => {
      const body = (await http(srv.url, 'GET', `/fairness/rounds/${encodeURIComponent(open.roundId)}`)).body;
      return body.clientSeed ? body : null;
    }, 5000, 'client seed in the record');
    expect(spinning).to.deep.include({ clientSeed: closed.clientSeed, clientSeeds: ['my lucky seed'], clientSeedRule: 'sha256-newline-joined', serverSeed: null, status: 'open' });
    await waitForState(room, (s: any) => s.phase === 'settled', 10_000, 'settled');
    const drawn = await until(async () => {
      const body = (await http(srv.url, 'GET', `/fairness/rounds/${encodeURIComponent(open.roundId)}`)).body;
      return body.status === 'drawn' ? body : null;
    }, 5000, 'drawn record');
    expect(drawn.clientSeeds).to.deep.equal(['my lucky seed']);
    const lines: string[] = [];
    expect(await verifyMain(['--url', url], (l) => lines.push(l))).to.equal(0);
    expect(lines.join('\n')).to.contain('client seed rule : from 1 player seed(s)').and.contain('VERDICT: VERIFIED');
    await room.leave();
  });

  it('sends a player who joined an idle table their view of the round that opens', async () => {
    srv = await bootTestServer({ ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '30000' });
    const p = await registerPlayer(srv, 'ridle');
    const room = await p.client.join('roulette', { tableId: 'roulette-1' });
    const views: any[] = [];
    room.onMessage('me', (m) => views.push(m));
    room.onMessage('*', () => undefined);
    const state = await waitForState(room, (s: any) => s.phase === 'betting', 5000, 'betting');
    const me = await until(async () => views.find((m) => m.phase === 'betting' && m.roundId === state.roundId), 5000, 'a me of the open round');
    expect(me.wallet).to.deep.include({ availableMinor: 100_000 });
    await room.leave();
  });

  it('keeps the spots of a voided round\'s bets in the player\'s record', async () => {
    const env = { ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '60000', DEMO_BALANCE_MINOR: '10000' };
    srv = await bootTestServer(env);
    const p = await registerPlayer(srv, 'rvoid');
    const room = await p.client.join('roulette', { tableId: 'roulette-1' });
    room.reconnection.enabled = false;
    room.onMessage('*', () => undefined);
    const open = await waitForState(room, (s: any) => s.phase === 'betting', 5000, 'betting');
    expect(await room.request('bet', { betId: 'v1', spot: { kind: 'red' }, stakeMinor: 1000 })).to.include({ ok: true });
    expect(await room.request('bet', { betId: 'v2', spot: { kind: 'straight', numbers: [7] }, stakeMinor: 500 })).to.include({ ok: true });
    // The table stops while betting is open; the rebuilt table voids the round (docs/FAIRNESS.md).
    const dataDir = srv.dataDir;
    await srv.app.close();
    srv = await bootTestServer(env, { dataDir });
    const record = await recordOf(srv, p.token, open.roundId);
    expect(record.bets.map((b: any) => [b.betId, b.spot])).to.deep.equal([['v1', { kind: 'red' }], ['v2', { kind: 'straight', numbers: [7] }]]);
    expect(record).to.deep.include({ stakeMinor: 1500, winningsMinor: 1500, balanceBeforeMinor: 10_000, balanceAfterMinor: 10_000 });
  });
});
