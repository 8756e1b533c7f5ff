/**
 * Game recall across the casino games with real SDK clients against a real server: a player plays
 * two crash rounds (an auto cash-out, a loss) and a blackjack hand on two seats, and
 * `GET /games/recent` lists each with its stake, return, result, the balances the ledger wrote
 * with its settlement (consecutive records chain) and the proof its game's verifier takes.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { cardCode, shuffleShoe } from '../../actors/blackjack/index.ts';
import type { WalletOp } from '../../server/store/types.ts';
import { handTotal } from '../support/blackjack.ts';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { until, waitForState } from '../support/wait.ts';

/** The chain seed whose rounds crash at 1.62×, 1.28× (chain of 50, default salt), as in crash.test.ts. */
const SEED = createHash('sha256').update('crash room test seed 494').digest('hex');
const SALT = 'casino-live-crash-v1';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A standing blackjack hand's gross return against the dealer's cards (docs/BLACKJACK.md). */
function standingGross(hand: { cards: string[]; stakeMinor: number }, dealer: string[]): number {
  const mine = handTotal(hand.cards);
  const theirs = handTotal(dealer);
  const natural = (cards: string[]) => cards.length === 2 && handTotal(cards) === 21;
  if (natural(hand.cards)) return natural(dealer) ? hand.stakeMinor : (5 * hand.stakeMinor) / 2;
  if (natural(dealer) || mine > 21) return 0;
  if (theirs > 21 || mine > theirs) return 2 * hand.stakeMinor;
  return mine === theirs ? hand.stakeMinor : 0;
}

async function recent(srv: TestServer, token: string, count: number): Promise<any[]> {
  return until(async () => {
    const items = (await http(srv.url, 'GET', '/games/recent', undefined, token)).body.items as any[];
    return items.length >= count ? items : null;
  }, 10_000, `${count} recalled rounds`);
}

describe('game recall of crash and blackjack rounds (integration, real SDK clients)', function () {
  this.timeout(90_000);
  let srv: TestServer;

  // One server at a time: Colyseus's matchmaker is one per process.
  afterEach(async () => srv?.stop());

  it('lists crash rounds and a blackjack hand with stake, return, result, chained ledger balances and their proofs', async () => {
    srv = await bootTestServer(
      {
        DEMO_BALANCE_MINOR: '100000', ROULETTE_TABLES: '0', CRASH_ROOMS: '1', CRASH_CHAIN_LENGTH: '50',
        CRASH_BETTING_WINDOW_MS: '2000', CRASH_PAUSE_MS: '1000', CRASH_PATCH_MS: '50',
        BLACKJACK_TABLES: '1', BLACKJACK_BETTING_WINDOW_MS: '1500', BLACKJACK_DECISION_MS: '5000', BLACKJACK_PAUSE_MS: '60000',
        ADMIN_USERNAME: 'recall_ops', ADMIN_PASSWORD: 'recall-ops-pass-1',
      },
      // Every seed is SEED: the crash chain (rounds 1.62×, 1.28×) and the first shoe are known.
      { randomSeed: () => SEED },
    );
    const p = await registerPlayer(srv, 'recall');
    // Other money lands right after round 1's cash-out (as a win elsewhere would): round 1's record
    // must quote the balance its cash-out left, not the balance when the round crashed.
    const store = srv.app.services.store.wallet;
    const apply = store.apply.bind(store);
    let injected = false;
    store.apply = async (ops: WalletOp[], opts) => {
      const out = await apply(ops, opts);
      if (!injected && ops.some((op) => op.type === 'capture' && op.key.startsWith('crash:crash-1:bet:1:'))) {
        injected = true;
        await apply([{ type: 'transfer', key: `elsewhere-win:${p.userId}`, fromAccountId: 'sys:house', toAccountId: `player:${p.userId}`, amountMinor: 777, kind: 'payout' }]);
      }
      return out;
    };

    // ---- crash: round 1 (crashes at 1.62×) auto cash-out at 1.10×; round 2 (1.28×) lost
    const crash = await p.client.join('crash', { tableId: 'crash-1' });
    crash.onMessage('*', () => undefined);
    const r1 = await waitForState(crash, (s: any) => s.phase === 'betting' && s.roundId === 'crash-1:1', 5000, 'round 1 betting');
    const terminalHash: string = r1.terminalHash;
    expect(await crash.request('bet', { betId: 'c1', stakeMinor: 1000, autoCashOut: 1.1 })).to.include({ ok: true });
    await waitForState(crash, (s: any) => s.phase === 'betting' && s.roundId === 'crash-1:2', 20_000, 'round 2 betting');
    expect(await crash.request('bet', { betId: 'c2', stakeMinor: 2000 })).to.include({ ok: true });
    await waitForState(crash, (s: any) => s.phase === 'crashed' && s.roundId === 'crash-1:2', 20_000, 'round 2 crash');
    await crash.leave();
    expect(injected).to.equal(true);

    // ---- blackjack: seats 0 and 1, both stand
    const bj: Room = await p.client.join('blackjack', { tableId: 'blackjack-1' });
    bj.onMessage('*', () => undefined);
    await waitForState(bj, (s: any) => s.phase === 'betting', 5000, 'blackjack betting');
    expect(await bj.request('bet', { betId: 'seat0', seat: 0, stakeMinor: 1000 })).to.include({ ok: true });
    expect(await bj.request('bet', { betId: 'seat1', seat: 1, stakeMinor: 3000 })).to.include({ ok: true });
    let turn: any = (await waitForState(bj, (s: any) => s.phase === 'settled' || (s.phase === 'playing' && s.turnSeat === 0), 10_000, 'deal')).phase === 'settled' ? null : { seat: 0, hand: 0 };
    while (turn) {
      const reply: any = await bj.request('act', { seat: turn.seat, hand: turn.hand, action: 'stand' });
      expect(reply.ok, JSON.stringify(reply)).to.equal(true);
      turn = reply.turn;
    }
    const settled = await waitForState(bj, (s: any) => s.phase === 'settled', 10_000, 'blackjack settled');
    const dealer: string[] = settled.dealer.cards.toArray();
    await bj.leave();

    const [hand, round2, round1] = await recent(srv, p.token, 3);

    // Crash round 1: paid at the auto target; the record quotes the balance the cash-out left.
    expect(round1).to.deep.include({
      roundId: 'crash-1:1', tableId: 'crash-1', game: 'crash', result: 162, stakeMinor: 1000, winningsMinor: 1100, netMinor: 100,
      balanceBeforeMinor: 100_000, balanceAfterMinor: 100_100,
    });
    expect(round1.bets).to.deep.equal([{ betId: 'c1', stakeMinor: 1000, autoCashOutCents: 110, cashedOutCents: 110, reason: 'auto', payoutMinor: 1100 }]);
    expect(round1.proof).to.deep.include({ chainIndex: 1, terminalHash, salt: SALT, crashCents: 162, crashPoint: '1.62', status: 'crashed' });
    expect(sha256(round1.proof.roundHash)).to.equal(terminalHash); // round 1 of the chain hashes to the terminal hash

    // Crash round 2: lost; it starts where round 1 ended plus the money in between.
    expect(round2).to.deep.include({
      roundId: 'crash-1:2', game: 'crash', result: 128, stakeMinor: 2000, winningsMinor: 0, netMinor: -2000,
      balanceBeforeMinor: 100_100 + 777, balanceAfterMinor: 100_877 - 2000,
    });
    expect(round2.bets).to.deep.equal([{ betId: 'c2', stakeMinor: 2000, autoCashOutCents: null, cashedOutCents: null, reason: null, payoutMinor: 0 }]);
    expect(round2.proof).to.deep.include({ chainIndex: 2, terminalHash, crashCents: 128, crashPoint: '1.28', status: 'crashed' });
    expect(sha256(round2.proof.roundHash)).to.equal(round1.proof.roundHash);

    // Blackjack: one record for the player's two seats, the dealer's total as the result, the
    // returns recomputed from the cards, and nothing moved since the crash round.
    const seats = hand.bets as any[];
    expect(seats.map((s) => s.seat)).to.deep.equal([0, 1]);
    expect(seats.map((s) => s.dealer.map((d: any) => d.card))[0]).to.deep.equal(dealer);
    const gross = seats.reduce((sum, s) => sum + s.hands.reduce((a: number, h: any) => a + standingGross(h, dealer), 0), 0);
    expect(hand).to.deep.include({
      roundId: 'blackjack-1:1', tableId: 'blackjack-1', game: 'blackjack', result: handTotal(dealer), stakeMinor: 4000, winningsMinor: gross,
      balanceBeforeMinor: round2.balanceAfterMinor, balanceAfterMinor: round2.balanceAfterMinor - 4000 + gross,
    });
    for (const s of seats) for (const h of s.hands) expect(h.payoutMinor, `seat ${s.seat}`).to.equal(standingGross(h, dealer));
    // Its proof is the shoe's record; the shoe is still being dealt, so its seed is not out yet.
    expect(hand.proof).to.deep.include({ shoeId: 'blackjack-1:shoe-1', nonce: 1, cards: 312, serverSeedHash: sha256(SEED), serverSeed: null, clientSeed: 'blackjack-1:shoe-1', status: 'open' });
    // With the seed (known here), every card of the round is the shoe's card at its position, as the verifier checks.
    const shoe = shuffleShoe(SEED, hand.proof.clientSeed, hand.proof.nonce, 6);
    for (const d of seats[0].deal) expect(d.card, `position ${d.position}`).to.equal(cardCode(shoe[d.position]!));

    expect((await http(srv.url, 'GET', '/wallet', undefined, p.token)).body).to.deep.include({ balanceMinor: hand.balanceAfterMinor, heldMinor: 0 });
    // The operators' game recall (a dispute) lists the same rounds, crash and blackjack alike.
    const admin = (await http(srv.url, 'POST', '/auth/login', { username: 'recall_ops', password: 'recall-ops-pass-1' })).body.token;
    const recalled = (await http(srv.url, 'GET', `/admin/players/${p.userId}/recall?limit=10`, undefined, admin)).body.items as any[];
    expect(recalled.map((r) => `${r.game}:${r.roundId}`)).to.include.members(['blackjack:blackjack-1:1', `crash:${round1.roundId}`, `crash:${round2.roundId}`]);
    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
  });

  it('writes a crash round\'s records a restart left unwritten, quoting the balances its settlements wrote', async () => {
    const env = { DEMO_BALANCE_MINOR: '100000', ROULETTE_TABLES: '0', CRASH_ROOMS: '1', CRASH_CHAIN_LENGTH: '50', CRASH_BETTING_WINDOW_MS: '2000', CRASH_PAUSE_MS: '60000', CRASH_PATCH_MS: '50' };
    srv = await bootTestServer(env, { randomSeed: () => SEED });
    const [a, b] = await Promise.all([registerPlayer(srv, 'rwin'), registerPlayer(srv, 'rlose')]);
    // Other money lands right after a's cash-out; the records, written after the restart, must not see it.
    const wallet = srv.app.services.store.wallet;
    const apply = wallet.apply.bind(wallet);
    wallet.apply = async (ops: WalletOp[], opts) => {
      const out = await apply(ops, opts);
      if (ops.some((op) => op.type === 'capture' && op.key === 'crash:crash-1:bet:1:w1:capture')) {
        await apply([{ type: 'transfer', key: `elsewhere-win:${a.userId}`, fromAccountId: 'sys:house', toAccountId: `player:${a.userId}`, amountMinor: 777, kind: 'payout' }]);
      }
      return out;
    };
    // The process stops between the round's money and its records (the room fails there).
    let refused = 0;
    srv.app.services.store.games.addPlayerRounds = async () => {
      refused++;
      throw new Error('stopped before the records');
    };
    const ra = await a.client.join('crash', { tableId: 'crash-1' });
    const rb = await b.client.join('crash', { tableId: 'crash-1' });
    for (const r of [ra, rb]) {
      r.reconnection.enabled = false;
      r.onMessage('*', () => undefined);
    }
    await waitForState(ra, (s: any) => s.phase === 'betting', 5000, 'betting');
    expect(await ra.request('bet', { betId: 'w1', stakeMinor: 1000, autoCashOut: 1.1 })).to.include({ ok: true });
    expect(await rb.request('bet', { betId: 'l1', stakeMinor: 1000 })).to.include({ ok: true });
    await until(async () => refused > 0, 20_000, 'the records refused at the crash');
    expect((await http(srv.url, 'GET', '/wallet', undefined, b.token)).body).to.deep.include({ balanceMinor: 99_000, heldMinor: 0 }); // the money moved
    expect((await http(srv.url, 'GET', '/games/recent', undefined, a.token)).body.items).to.deep.equal([]);
    const dataDir = srv.dataDir;
    await srv.app.close();
    srv = await bootTestServer(env, { dataDir, randomSeed: () => SEED });

    const [won] = await recent(srv, a.token, 1);
    expect(won).to.deep.include({ roundId: 'crash-1:1', result: 162, stakeMinor: 1000, winningsMinor: 1100, balanceBeforeMinor: 100_000, balanceAfterMinor: 100_100 });
    const [lost] = await recent(srv, b.token, 1);
    expect(lost).to.deep.include({ roundId: 'crash-1:1', result: 162, stakeMinor: 1000, winningsMinor: 0, balanceBeforeMinor: 100_000, balanceAfterMinor: 99_000 });
    expect((await http(srv.url, 'GET', '/wallet', undefined, a.token)).body.balanceMinor).to.equal(100_877);
  });
});
