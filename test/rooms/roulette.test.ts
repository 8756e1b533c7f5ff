import { expect } from 'chai';
import { createHash, createHmac } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { waitForMessage, waitForState } from '../support/wait.ts';

/** Independent re-implementation of the documented derivation (docs/FAIRNESS.md). */
function pocketOf(serverSeed: string, clientSeed: string, nonce: number): number {
  const limit = 2 ** 32 - (2 ** 32 % 37);
  for (let i = 0; ; i++) {
    const mac = createHmac('sha256', serverSeed).update(`${clientSeed}:${nonce}:${i}`).digest();
    for (let w = 0; w < 8; w++) {
      const word = mac.readUInt32BE(w * 4);
      if (word < limit) return word % 37;
    }
  }
}

const RED = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
/** Gross return (stake + winnings) of a bet, from the payout table, written out independently. */
function grossReturn(spot: { kind: string; numbers?: number[]; index?: number }, stake: number, pocket: number): number {
  const covers = (): boolean => {
    switch (spot.kind) {
      case 'red': return RED.has(pocket);
      case 'black': return pocket !== 0 && !RED.has(pocket);
      case 'even': return pocket !== 0 && pocket % 2 === 0;
      case 'odd': return pocket % 2 === 1;
      case 'low': return pocket >= 1 && pocket <= 18;
      case 'high': return pocket >= 19;
      case 'dozen': return pocket !== 0 && Math.ceil(pocket / 12) === spot.index;
      case 'column': return pocket !== 0 && ((pocket - 1) % 3) + 1 === spot.index;
      default: return spot.numbers!.includes(pocket);
    }
  };
  const multiple: Record<string, number> = { straight: 36, split: 18, street: 12, corner: 9, line: 6, dozen: 3, column: 3, red: 2, black: 2, odd: 2, even: 2, low: 2, high: 2 };
  return covers() ? stake * multiple[spot.kind]! : 0;
}

describe('roulette room (integration)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  const seeds: string[] = [];
  let seedCounter = 0;

  before(async () => {
    srv = await bootTestServer(
      { DEMO_BALANCE_MINOR: '100000', ROULETTE_TABLES: '2', ROULETTE_BETTING_WINDOW_MS: '1500', ROULETTE_SPIN_MS: '100', ROULETTE_PAUSE_MS: '60000' },
      {
        randomSeed: () => {
          const seed = createHash('sha256').update(`test-seed-${seedCounter++}`).digest('hex');
          seeds.push(seed);
          return seed;
        },
      },
    );
  });
  after(async () => srv?.stop());

  it('plays a round for three players: stakes reserved, winners paid per the payout table, books balanced', async () => {
    const bets = [
      [{ kind: 'straight', numbers: [17] }, { kind: 'red' }, { kind: 'dozen', index: 2 }],
      [{ kind: 'split', numbers: [17, 20] }, { kind: 'black' }, { kind: 'corner', numbers: [1, 2, 4, 5] }],
      [{ kind: 'street', numbers: [1, 2, 3] }, { kind: 'line', numbers: [1, 2, 3, 4, 5, 6] }, { kind: 'column', index: 1 }, { kind: 'even' }],
    ];
    const players = await Promise.all([0, 1, 2].map(() => registerPlayer(srv, 'rp')));
    const rooms: Room[] = [];
    for (const p of players) rooms.push(await p.client.join('roulette', { tableId: 'roulette-1' }));
    const state = await waitForState(rooms[0]!, (s: any) => s.phase === 'betting', 5000, 'betting to open');
    const roundId: string = state.roundId;
    const commitment: string = state.serverSeedHash;
    expect(rooms.every((r) => r.roomId === 'roulette-1')).to.equal(true);

    const stakes = [100, 250, 40];
    for (const [i, room] of rooms.entries()) {
      for (const [j, spot] of bets[i]!.entries()) {
        const reply = await room.request('bet', { betId: `r1-p${i}-b${j}`, spot, stakeMinor: stakes[i] });
        expect(reply, JSON.stringify(reply)).to.include({ ok: true });
      }
    }
    // A retried message is not a second bet.
    const retry = await rooms[0]!.request('bet', { betId: 'r1-p0-b0', spot: bets[0]![0], stakeMinor: 100 });
    expect(retry).to.include({ ok: true, replayed: true });

    const totals = await waitForState(rooms[1]!, (s: any) => s.betCount === 10, 3000, 'aggregated totals');
    expect(totals.totals.get('straight:17')).to.equal(100);

    const settledMe = rooms.map((room) => waitForMessage(room, 'me', (m: any) => m.phase === 'settled' && m.roundId === roundId && m.wallet.heldMinor === 0, 15_000));
    const settled = await waitForState(rooms[0]!, (s: any) => s.phase === 'settled' && s.roundId === roundId, 10_000, 'settlement');
    const pocket = pocketOf(settled.serverSeed, settled.clientSeed, 1);
    expect(settled.pocket).to.equal(pocket);
    expect(createHash('sha256').update(settled.serverSeed).digest('hex')).to.equal(commitment);
    expect(settled.clientSeed).to.equal(roundId);
    await Promise.all(settledMe);

    for (const [i, p] of players.entries()) {
      const stake = stakes[i]! * bets[i]!.length;
      const gross = bets[i]!.reduce((sum, spot) => sum + grossReturn(spot, stakes[i]!, pocket), 0);
      const wallet = await http(srv.url, 'GET', '/wallet', undefined, p.token);
      expect(wallet.body, `player ${i}`).to.deep.include({ balanceMinor: 100000 - stake + gross, heldMinor: 0 });
      const ledger = await http(srv.url, 'GET', '/wallet/ledger?limit=50', undefined, p.token);
      const reserves = ledger.body.items.filter((t: any) => t.kind === 'reserve');
      const payouts = ledger.body.items.filter((t: any) => t.kind === 'payout');
      expect(reserves.map((t: any) => t.amountMinor)).to.deep.equal(bets[i]!.map(() => -stakes[i]!));
      expect(payouts.reduce((s: number, t: any) => s + t.amountMinor, 0)).to.equal(gross);

      const recall = await http(srv.url, 'GET', '/games/recent', undefined, p.token);
      expect(recall.body.items[0]).to.deep.include({ roundId, result: pocket, stakeMinor: stake, winningsMinor: gross, balanceBeforeMinor: 100000, balanceAfterMinor: 100000 - stake + gross });
      expect(recall.body.items[0].proof.serverSeed).to.equal(settled.serverSeed);
    }

    const proof = await http(srv.url, 'GET', `/fairness/rounds/${encodeURIComponent(roundId)}`);
    expect(proof.body).to.deep.include({ tableId: 'roulette-1', roundId, nonce: 1, serverSeedHash: commitment, serverSeed: settled.serverSeed, clientSeed: roundId, result: pocket });

    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    expect(books.sumOfBalancesMinor).to.equal(0);
    expect(books.openHoldCount).to.equal(0);
    await Promise.all(rooms.map((r) => r.leave()));
  });

  it('rejects invalid bets with typed errors and moves no money', async () => {
    const p = await registerPlayer(srv, 'rbad');
    const room = await p.client.join('roulette', { tableId: 'roulette-2' });
    await waitForState(room, (s: any) => s.phase === 'betting', 5000, 'betting to open');
    const cases: Array<[unknown, string]> = [
      [{ betId: 'x1', spot: { kind: 'split', numbers: [3, 4] }, stakeMinor: 100 }, 'bet/invalid_selection'],
      [{ betId: 'x2', spot: { kind: 'corner', numbers: [1, 2, 3, 4] }, stakeMinor: 100 }, 'bet/invalid_selection'],
      [{ betId: 'x3', spot: { kind: 'red' }, stakeMinor: 1 }, 'bet/below_min'],
      [{ betId: 'x4', spot: { kind: 'red' }, stakeMinor: 10_000_000 }, 'bet/above_max'],
      // The table's stake rule answers every stake that is not a positive integer (one code).
      [{ betId: 'x5', spot: { kind: 'red' }, stakeMinor: 12.5 }, 'bet/invalid_stake'],
      [{ betId: 'x5b', spot: { kind: 'red' }, stakeMinor: 0 }, 'bet/invalid_stake'],
      [{ betId: 'x5c', spot: { kind: 'red' }, stakeMinor: -100 }, 'bet/invalid_stake'],
      [{ betId: 'x5d', spot: { kind: 'red' }, stakeMinor: '100' }, 'msg/invalid'],
      [{ betId: 'x6', spot: { kind: 'purple' }, stakeMinor: 100 }, 'msg/invalid'],
      [{ betId: 'bad id!', spot: { kind: 'red' }, stakeMinor: 100 }, 'msg/invalid'],
      ['not an object', 'msg/invalid'],
      [{ betId: 'x7', spot: { kind: 'red' }, stakeMinor: 100_000 }, 'wallet/insufficient_funds'],
    ];
    // x7: the maximum bet is within limits but more than this player's 100000 demo balance after x8
    const ok = await room.request('bet', { betId: 'x8', spot: { kind: 'odd' }, stakeMinor: 50_000 });
    expect(ok).to.include({ ok: true });
    for (const [msg, code] of cases) {
      const reply: any = await room.request('bet', msg);
      expect(reply.ok, JSON.stringify(msg)).to.equal(false);
      expect(reply.error.code, JSON.stringify(msg)).to.equal(code);
    }
    const poor: any = await room.request('bet', { betId: 'x9', spot: { kind: 'red' }, stakeMinor: 100_000 });
    expect(poor.error.code).to.equal('wallet/insufficient_funds');
    expect(poor.error.message, 'no internal account id').to.not.match(/player:|sys:/);
    // One rule, one code for client seeds: empty, too long and non-printable alike.
    for (const seed of ['', 'x'.repeat(65), 'tab\there', 'é']) {
      const refused: any = await room.request('clientSeed', { seed });
      expect(refused.error?.code, JSON.stringify(seed)).to.equal('seed/invalid');
    }
    expect((await room.request('clientSeed', { seed: 42 }) as any).error.code).to.equal('msg/invalid');
    const unknown = waitForMessage(room, 'error');
    room.send('teleport', {});
    expect((await unknown).error.code).to.equal('msg/unknown_type');

    const wallet = await http(srv.url, 'GET', '/wallet', undefined, p.token);
    expect(wallet.body).to.deep.include({ balanceMinor: 100000, heldMinor: 50_000, availableMinor: 50_000 });
    const removed: any = await room.request('removeBet', { betId: 'x8' });
    expect(removed).to.deep.include({ ok: true, removed: ['x8'] });
    expect((await http(srv.url, 'GET', '/wallet', undefined, p.token)).body).to.deep.include({ heldMinor: 0, availableMinor: 100000 });
    await room.leave();
  });

  it('rate limits a flooding client without affecting another player', async () => {
    const [flood, calm] = await Promise.all([registerPlayer(srv, 'rflood'), registerPlayer(srv, 'rcalm')]);
    const fr = await flood.client.join('roulette', { tableId: 'roulette-2' });
    const cr = await calm.client.join('roulette', { tableId: 'roulette-2' });
    await waitForState(cr, (s: any) => s.phase === 'betting', 5000, 'betting');
    const replies: any[] = await Promise.all(Array.from({ length: 120 }, () => fr.request('clientSeed', { seed: 'spam' })));
    const limited = replies.filter((r) => !r.ok && r.error.code === 'msg/rate_limited').length;
    expect(limited, 'most of the flood is refused').to.be.greaterThan(50);
    expect(replies.filter((r) => r.ok).length, 'the allowance still passes').to.be.greaterThan(0);
    for (let i = 0; i < 5; i++) expect(await cr.request('bet', { betId: `calm-${i}`, spot: { kind: 'high' }, stakeMinor: 20 })).to.include({ ok: true });
    await Promise.all([fr.leave(), cr.leave()]);
  });

  it('lists the configured tables and their player counts in the lobby', async () => {
    const p = await registerPlayer(srv, 'rlobby');
    const lobby = await p.client.joinOrCreate('lobby');
    const rooms: any[] = await waitForMessage(lobby, 'rooms');
    const tables = rooms.filter((r) => r.name === 'roulette').map((r) => [r.roomId, r.metadata.tableId, typeof r.clients]);
    expect(tables).to.have.deep.members([['roulette-1', 'roulette-1', 'number'], ['roulette-2', 'roulette-2', 'number']]);
    // The per-round limits are part of the table's listing (docs/PROTOCOL.md).
    expect(rooms.find((r) => r.roomId === 'roulette-1').metadata).to.deep.include({
      maxStakePerPlayerPerRoundMinor: 500_000, maxBetsPerPlayerPerRound: 50, maxPayoutPerRoundMinor: 20_000_000,
    });
    await lobby.leave();
  });

  it('refuses clients creating tables of their own and joins without a token', async () => {
    const p = await registerPlayer(srv, 'rcreate');
    let err: any = null;
    await p.client.create('roulette', { tableId: 'my-own-table' }).catch((e) => (err = e));
    expect(String(err?.message)).to.include('matchmake/create_forbidden');
    err = null;
    await p.client.create('roulette', { tableId: 'roulette-1' }).catch((e) => (err = e));
    expect(String(err?.message)).to.include('matchmake/create_forbidden');
    err = null;
    await p.client.joinOrCreate('roulette', { tableId: 'my-own-table' }).catch((e) => (err = e));
    expect(String(err?.message), 'joinOrCreate only joins').to.include('table/not_found');
    expect(err?.code).to.equal(404);
  });
});

describe('roulette room: reconnection and orphaned stakes', function () {
  this.timeout(60_000);
  let srv: TestServer;
  afterEach(async () => srv?.stop());

  it('keeps a dropped player\'s bets and lets the SDK reconnect within the grace period', async () => {
    srv = await bootTestServer({ ROULETTE_TABLES: '1', ROULETTE_BETTING_WINDOW_MS: '30000', RECONNECT_GRACE_SECONDS: '20' });
    const p = await registerPlayer(srv, 'rdrop');
    const room = await p.client.join('roulette', { tableId: 'roulette-1' });
    room.reconnection.minUptime = 0;
    await waitForState(room, (s: any) => s.phase === 'betting', 5000);
    expect(await room.request('bet', { betId: 'keep-me', spot: { kind: 'high' }, stakeMinor: 300 })).to.include({ ok: true });
    const reconnected = new Promise<void>((resolve) => room.onReconnect(() => resolve()));
    const me = waitForMessage(room, 'me', (m: any) => m.bets.some((b: any) => b.betId === 'keep-me'), 15_000);
    (room.connection.transport as any).ws.close(); // the network drops, not a consented leave
    await reconnected;
    await me;
    expect((await room.request('removeBet', { betId: 'keep-me' }))).to.deep.include({ ok: true, removed: ['keep-me'] });
    await room.leave();
  });

  it('releases a stake whose bet never reached the journal when the table starts', async () => {
    srv = await bootTestServer({ ROULETTE_TABLES: '1' });
    const p = await registerPlayer(srv, 'rorphan');
    const dataDir = srv.dataDir;
    // A reserve that landed before a crash, with no BetPlaced in the journal.
    const [reserved] = await srv.app.services.wallet.apply([{ type: 'reserve', key: 'roulette:roulette-1:bet:lost', accountId: `player:${p.userId}`, amountMinor: 700 }]);
    expect(reserved).to.include({ ok: true });
    await srv.app.close();
    srv = await bootTestServer({ ROULETTE_TABLES: '1' }, { dataDir });
    const w = await http(srv.url, 'GET', '/wallet', undefined, p.token);
    expect(w.body).to.deep.include({ heldMinor: 0, availableMinor: 100000 });
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok).to.equal(true);
  });
});
