/**
 * One durable write per bet (rooms/host/optimistic.ts, server/store/funded.ts) through a real
 * server and the SDK: a burst of bets sent without waiting, more than the balance covers, with a
 * removal and a client seed in the middle. Accepted bets are exactly the ones the wallet funded in
 * message order, the refused ones leave nothing behind (journal, holds, table totals), the removal
 * sees its bet, and the round settles with the books balanced.
 */
import { expect } from 'chai';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';
import { holdId } from '../../rooms/roulette/money.ts';

describe('roulette: one durable write per bet (integration)', function () {
  this.timeout(60_000);
  let srv: TestServer;

  before(async () => {
    srv = await bootTestServer({ DEMO_BALANCE_MINOR: '100000', ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '4000', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '60000' });
  });
  after(async () => srv?.stop());

  it('funds a burst of bets in message order, refuses what the balance cannot cover without a trace, and lets a removal in the burst see its bet', async () => {
    const p = await registerPlayer(srv, 'burst');
    const other = await registerPlayer(srv, 'calm');
    const room = await p.client.join('roulette', { tableId: 'roulette-1' });
    const watcher = await other.client.join('roulette', { tableId: 'roulette-1' });
    await waitForState(room, (s: any) => s.phase === 'betting', 5000, 'betting to open');
    const bet = (i: number) => room.request('bet', { betId: `b${i}`, spot: { kind: 'red' }, stakeMinor: 15_000 });
    // b1..b3 in flight; the removal of b2 waits for them; b4..b8 wait behind the removal.
    const replies: any[] = await Promise.all([
      bet(1), bet(2), bet(3),
      room.request('bet', { betId: 'b1', spot: { kind: 'red' }, stakeMinor: 15_000 }), // a retry while b1 is in flight
      room.request('removeBet', { betId: 'b2' }),
      room.request('clientSeed', { seed: 'burst-seed' }),
      bet(4), bet(5), bet(6), bet(7), bet(8),
    ]);
    const [r1, r2, r3, retry, removed, seeded, ...rest] = replies;
    expect(retry.error?.code, 'not acknowledged before it is durable').to.equal('bet/duplicate');
    for (const r of [r1, r2, r3, ...rest.slice(0, 4)]) expect(r, JSON.stringify(r)).to.include({ ok: true, replayed: false });
    expect(removed).to.deep.include({ ok: true, removed: ['b2'] });
    expect(seeded).to.include({ ok: true });
    expect(rest[4].error?.code, JSON.stringify(rest[4])).to.equal('wallet/insufficient_funds');
    expect(r2.ok).to.equal(true);

    const accepted = ['b1', 'b3', 'b4', 'b5', 'b6', 'b7'];
    expect((await http(srv.url, 'GET', '/wallet', undefined, p.token)).body).to.deep.include({ heldMinor: 90_000, availableMinor: 10_000 });
    const state = await waitForState(watcher, (s: any) => s.totals?.get('red') === 90_000, 5000, 'the totals of the funded bets');
    expect(state.betCount).to.equal(accepted.length);
    const records = await srv.app.services.store.journal.read('roulette-1');
    const placed = records.filter((r) => r.type === 'BetPlaced').map((r) => (r.data as { betId: string }).betId);
    expect(placed).to.deep.equal(['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']);
    expect(records.filter((r) => r.type === 'BetRemoved').map((r) => (r.data as { betId: string }).betId)).to.deep.equal(['b2']);
    expect(await srv.app.services.store.wallet.getHold(holdId('roulette-1', 'b8'))).to.equal(null);
    expect(records.map((r) => r.seq), 'no gap in the journal').to.deep.equal(records.map((_, i) => i + 1));

    // The round plays out: every accepted stake settles, nothing stays held.
    await waitForState(watcher, (s: any) => s.phase === 'settled' || s.phase === 'idle' || s.pocket >= 0, 10_000, 'the round to settle');
    await until(async () => (await http(srv.url, 'GET', '/wallet', undefined, p.token)).body.heldMinor === 0, 10_000, 'every stake settled');
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    await Promise.all([room.leave(), watcher.leave()]);
  });
});
