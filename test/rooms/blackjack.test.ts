/**
 * The blackjack room with real SDK clients against a real server: a round with a split, a double,
 * a double refused for lack of funds (the hand goes on) and a hand standing by timeout; the books
 * reconcile; and everything the server sends one client (every WebSocket frame) is checked: no card
 * reaches a client before it is dealt face up (the hole card, the next card of the shoe).
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { cardCode, rankOf, shuffleShoe, type Card } from '../../actors/blackjack/index.ts';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { handTotal as total, untilMidHand } from '../support/blackjack.ts';
import { until, waitForState } from '../support/wait.ts';

const SHOE = 'blackjack-1:shoe-1';
const points = (c: Card) => (rankOf(c) === 0 ? 1 : Math.min(10, rankOf(c) + 1));
const hardTotal = (cards: Card[]) => cards.reduce((a, c) => a + points(c), 0);


/** Gross payout of a hand against the dealer, written out from the rules (docs/BLACKJACK.md). */
function grossPayout(hand: { cards: string[]; stakeMinor: number; status: string }, dealer: string[], fromSplit: boolean): number {
  const mine = total(hand.cards);
  const theirs = total(dealer);
  const dealerBj = dealer.length === 2 && theirs === 21;
  if (hand.status === 'surrendered') return hand.stakeMinor / 2;
  if (mine > 21) return 0;
  if (hand.cards.length === 2 && mine === 21 && !fromSplit) return dealerBj ? hand.stakeMinor : (hand.stakeMinor * 5) / 2;
  if (dealerBj) return 0;
  if (theirs > 21 || mine > theirs) return hand.stakeMinor * 2;
  return mine === theirs ? hand.stakeMinor : 0;
}

/**
 * A server seed whose first shoe (no client seeds: client seed = shoe id) deals, to seats 0..3:
 * a pair (not aces) to seat 0, hard 9–11 to seats 1 and 2, no blackjack to seat 3, a dealer up
 * card that is not an ace and no dealer blackjack; and a hole card whose code no other card shown
 * before the reveal has (so finding it in a frame would be a leak, not a coincidence).
 */
function findSeed(): { seed: string; order: Card[] } {
  for (let n = 0; n < 100_000; n++) {
    const seed = createHash('sha256').update(`bj-room-${n}`).digest('hex');
    const o = shuffleShoe(seed, SHOE, 1, 6);
    const seat = (s: number) => [o[s]!, o[5 + s]!];
    const up = o[4]!;
    const hole = o[9]!;
    const [a, b] = seat(0);
    if (rankOf(a!) !== rankOf(b!) || rankOf(a!) === 0) continue;
    if (![1, 2].every((s) => seat(s).every((c) => rankOf(c) !== 0) && hardTotal(seat(s)) >= 9 && hardTotal(seat(s)) <= 11)) continue;
    if (total(seat(3).map(cardCode)) === 21 || rankOf(up) === 0 || total([up, hole].map(cardCode)) === 21) continue;
    const shown = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12].map((i) => cardCode(o[i]!));
    if (shown.includes(cardCode(hole))) continue;
    return { seed, order: o };
  }
  throw new Error('no seed found');
}

const CARD_STRING = /^[A2-9TJQK][CDHS]$/;

/** Every 2-character card code in a frame, as msgpack encodes a short string (0xa2, then the two bytes). */
function codesIn(frame: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i + 2 < frame.length; i++) {
    if (frame[i] !== 0xa2) continue;
    const s = String.fromCharCode(frame[i + 1]!, frame[i + 2]!);
    if (CARD_STRING.test(s)) out.push(s);
  }
  return out;
}

/** Card codes the synced state shows now (players' hands and the dealer's shown cards). */
function visibleCodes(state: any): Set<string> {
  const codes = new Set<string>();
  for (const seat of state.seats ?? []) for (const hand of seat.hands ?? []) for (const c of hand.cards ?? []) codes.add(c);
  for (const c of state.dealer?.cards ?? []) codes.add(c);
  return codes;
}

/** Records every frame the server sends this client, with the codes the state shows once it is applied. */
function tapFrames(room: Room) {
  const leaks: string[] = [];
  let frames = 0;
  const conn = (room as any).connection.events;
  const original = conn.onmessage;
  conn.onmessage = (ev: MessageEvent) => {
    original(ev);
    frames++;
    const bytes = new Uint8Array(ev.data as ArrayBuffer);
    const visible = visibleCodes(room.state);
    for (const code of codesIn(bytes)) if (!visible.has(code)) leaks.push(`${code} in frame ${frames} (state shows ${[...visible].join(' ')})`);
  };
  return { leaks, frames: () => frames };
}

describe('blackjack room (integration)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  const { seed, order } = findSeed();

  before(async () => {
    srv = await bootTestServer(
      { DEMO_BALANCE_MINOR: '100000', BLACKJACK_TABLES: '2', ROULETTE_TABLES: '0', BLACKJACK_BETTING_WINDOW_MS: '3000', BLACKJACK_DECISION_MS: '1500', BLACKJACK_PAUSE_MS: '60000' },
      { randomSeed: () => seed },
    );
  });
  after(async () => srv?.stop());

  it('plays a round with a split, a double, a double refused for funds and a timeout; no card leaks; the books reconcile', async () => {
    const [a, b, c] = await Promise.all(['bja', 'bjb', 'bjc'].map((p) => registerPlayer(srv, p)));
    const ra = await a!.client.join('blackjack', { tableId: 'blackjack-1' });
    const rb = await b!.client.join('blackjack', { tableId: 'blackjack-1' });
    const rc = await c!.client.join('blackjack', { tableId: 'blackjack-1' });
    for (const r of [ra, rb, rc]) r.onMessage('*', () => undefined);
    const tap = tapFrames(rc);
    const holeStates: boolean[] = [];
    rc.onStateChange((s: any) => holeStates.push(s.dealer.cards.length === 1 && s.dealer.holeHidden));
    const open = await waitForState(ra, (s: any) => s.phase === 'betting', 5000, 'betting');
    expect(open.serverSeedHash).to.equal(createHash('sha256').update(seed).digest('hex'));
    expect(open.seats.length).to.equal(7);

    const bet = (room: Room, seat: number, stakeMinor: number, betId: string) => room.request('bet', { betId, seat, stakeMinor });
    expect(await bet(ra, 0, 1000, 'a0')).to.deep.include({ ok: true, replayed: false });
    expect(await bet(ra, 0, 1000, 'a0')).to.deep.include({ ok: true, replayed: true });
    expect(await bet(rb, 1, 50_000, 'b1')).to.deep.include({ ok: true });
    expect(await bet(rc, 2, 1000, 'c2')).to.deep.include({ ok: true });
    expect(await bet(rb, 3, 48_000, 'b3')).to.deep.include({ ok: true });
    expect((await rb.request('bet', { betId: 'b4', seat: 0, stakeMinor: 100 }) as any).error.code).to.equal('seat/taken');

    const dealt = await waitForState(ra, (s: any) => s.phase === 'playing' && s.turnSeat === 0, 6000, 'deal');
    expect(dealt.dealer.cards.toArray()).to.deep.equal([cardCode(order[4]!)]);
    expect(dealt.dealer.holeHidden).to.equal(true);
    expect(dealt.seats[0].hands[0].cards.toArray()).to.deep.equal([cardCode(order[0]!), cardCode(order[5]!)]);

    // seat 0: split, then stand every hand
    expect(await ra.request('act', { seat: 0, hand: 0, action: 'split' })).to.deep.include({ ok: true, stakeMinor: 1000 });
    expect((await rb.request('act', { seat: 1, hand: 0, action: 'stand' }) as any).error.code).to.equal('hand/not_your_turn');
    let turn: any = { seat: 0, hand: 0 };
    while (turn?.seat === 0) {
      const reply: any = await ra.request('act', { seat: 0, hand: turn.hand, action: 'stand' });
      expect(reply.ok, JSON.stringify(reply)).to.equal(true);
      turn = reply.turn;
    }
    expect(turn).to.deep.include({ seat: 1, hand: 0 });
    // seat 1: a double the player cannot cover is refused; the hand goes on
    const poor: any = await rb.request('act', { seat: 1, hand: 0, action: 'double' });
    expect(poor.error.code).to.equal('wallet/insufficient_funds');
    expect(rb.state.seats[1].hands[0].cards.length).to.equal(2);
    expect((await rb.request('act', { seat: 1, hand: 0, action: 'stand' }) as any).turn).to.deep.include({ seat: 2, hand: 0 });
    // seat 2: double
    expect((await rc.request('act', { seat: 2, hand: 0, action: 'split' }) as any).error.code).to.equal('hand/cannot_split');
    expect(await rc.request('act', { seat: 2, hand: 0, action: 'double' })).to.deep.include({ ok: true, stakeMinor: 1000 });
    expect((await rc.request('act', { seat: 2, hand: 0, action: 'hit' }) as any).error.code).to.equal('hand/not_your_turn');
    // seat 3: nobody acts; its decision time runs out and it stands
    const turn3 = await waitForState(rb, (s: any) => s.turnSeat === 3, 3000, 'seat 3 turn');
    const deadline = turn3.deadline;
    const settled = await waitForState(ra, (s: any) => s.phase === 'settled', 6000, 'settlement');
    expect(Date.now()).to.be.at.least(deadline - 5);
    expect(settled.seats[3].hands[0].status).to.equal('stood');
    expect(settled.seats[3].hands[0].cards.length).to.equal(2);
    expect(settled.dealer.holeHidden).to.equal(false);
    expect(settled.dealer.cards[1]).to.equal(cardCode(order[9]!));

    // Payouts, recomputed from the cards everybody saw.
    const dealer = settled.dealer.cards.toArray();
    const paid = (seat: number) => settled.seats[seat].hands.toArray().reduce((sum: number, h: any) => sum + grossPayout({ cards: h.cards.toArray(), stakeMinor: h.stakeMinor, status: h.status }, dealer, seat === 0), 0);
    const staked = (seat: number) => settled.seats[seat].hands.toArray().reduce((sum: number, h: any) => sum + h.stakeMinor, 0);
    expect(staked(0)).to.equal(2000);
    expect(staked(2)).to.equal(2000);
    const expected = { [a!.token]: 100_000 - 2000 + paid(0), [b!.token]: 100_000 - 98_000 + paid(1) + paid(3), [c!.token]: 100_000 - 2000 + paid(2) };
    for (const [token, balance] of Object.entries(expected)) {
      await waitForState(ra, () => true);
      let wallet: any;
      for (let i = 0; i < 50; i++) {
        wallet = (await http(srv.url, 'GET', '/wallet', undefined, token)).body;
        if (wallet.heldMinor === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(wallet).to.deep.include({ balanceMinor: balance, heldMinor: 0 });
    }
    const recall = (await http(srv.url, 'GET', '/games/recent', undefined, a!.token)).body.items[0];
    expect(recall).to.deep.include({ roundId: 'blackjack-1:1', game: 'blackjack', stakeMinor: 2000, winningsMinor: paid(0) });
    expect(recall.bets[0].hands).to.have.length(2);
    expect(recall.bets[0].dealer[0]).to.deep.equal({ position: 4, card: cardCode(order[4]!) });

    // The shoe's record: committed, seed still secret (the shoe is not finished).
    const shoe = (await http(srv.url, 'GET', `/fairness/shoes/${SHOE}`)).body;
    expect(shoe).to.deep.include({ shoeId: SHOE, nonce: 1, cards: 312, serverSeed: null, clientSeed: SHOE, status: 'open', serverSeedHash: open.serverSeedHash });
    expect((await http(srv.url, 'GET', '/fairness/shoes/blackjack-1:shoe-99')).status).to.equal(404);

    const books = await srv.app.services.store.wallet.reconcile();
    expect(books.ok, JSON.stringify(books)).to.equal(true);
    expect(books.openHoldCount).to.equal(0);

    // Nothing the server sent client C named a card before the state showed it.
    expect(tap.frames()).to.be.greaterThan(5);
    expect(tap.leaks).to.deep.equal([]);
    expect(holeStates.some((hidden) => hidden), 'the hole card was dealt face down').to.equal(true);
    await Promise.all([ra, rb, rc].map((r) => r.leave()));
  });

  it('answers bad messages with typed errors and changes nothing', async () => {
    const p = await registerPlayer(srv, 'bjbad');
    const room = await p.client.join('blackjack', { tableId: 'blackjack-2' });
    room.onMessage('*', () => undefined);
    await waitForState(room, (s: any) => s.phase === 'betting', 5000, 'betting');
    const cases: Array<[string, unknown, string]> = [
      ['bet', { betId: 'x1', seat: 0, stakeMinor: 101 }, 'bet/invalid_stake'],
      ['bet', { betId: 'x2', seat: 0, stakeMinor: 2 }, 'bet/below_min'],
      ['bet', { betId: 'x3', seat: 9, stakeMinor: 1000 }, 'seat/invalid'],
      ['bet', { betId: 'x 4', seat: 0, stakeMinor: 1000 }, 'msg/invalid'],
      ['act', { seat: 0, hand: 0, action: 'hit' }, 'hand/no_round'],
      ['act', { seat: 0, hand: 0, action: 'fold' }, 'msg/invalid'],
      ['insurance', { seat: 0, take: true }, 'insurance/not_offered'],
      ['leaveSeat', { seat: 0 }, 'seat/not_yours'],
      ['clientSeed', { seed: '' }, 'seed/invalid'],
    ];
    for (const [type, msg, code] of cases) {
      const reply: any = await room.request(type, msg);
      expect(reply.ok, `${type} ${JSON.stringify(msg)}`).to.equal(false);
      expect(reply.error.code, `${type} ${JSON.stringify(msg)}`).to.equal(code);
    }
    expect(await room.request('takeSeat', { seat: 4 })).to.deep.include({ ok: true, seat: 4 });
    await waitForState(room, (s: any) => s.seats[4].playerId === p.userId, 2000, 'seat taken');
    expect(await room.request('clientSeed', { seed: 'my seed' })).to.deep.include({ ok: true });
    const wallet = (await http(srv.url, 'GET', '/wallet', undefined, p.token)).body;
    expect(wallet).to.deep.include({ balanceMinor: 100_000, heldMinor: 0 });
    await room.leave();
  });
});

describe('blackjack room: players leaving', function () {
  this.timeout(60_000);
  let srv: TestServer;
  before(async () => {
    srv = await bootTestServer({ BLACKJACK_TABLES: '1', ROULETTE_TABLES: '0', BLACKJACK_BETTING_WINDOW_MS: '1500', BLACKJACK_DECISION_MS: '10000', BLACKJACK_PAUSE_MS: '300' });
  });
  after(async () => srv?.stop());

  it('stands the hands of a player who leaves mid-hand and frees their seat', async () => {
    const [a, b] = await Promise.all(['bjstay', 'bjgone'].map((p) => registerPlayer(srv, p)));
    const ra = await a!.client.join('blackjack', { tableId: 'blackjack-1' });
    const rb = await b!.client.join('blackjack', { tableId: 'blackjack-1' });
    for (const r of [ra, rb]) r.onMessage('*', () => undefined);
    const mid = await untilMidHand(ra, rb, 1000);
    const leftAt = Date.now();
    await rb.leave();
    if (mid.turn.seat === 0) expect(await ra.request('act', { seat: 0, hand: mid.turn.hand, action: 'stand' })).to.deep.include({ ok: true });
    const settled = await waitForState(ra, (s: any) => s.roundId === mid.roundId && s.phase === 'settled', 5000, 'settlement');
    // Seat 1 stood because its player left, not because its 10 s ran out.
    expect(Date.now() - leftAt).to.be.below(9000);
    expect(settled.seats[1].hands[0].status).to.be.oneOf(['stood', 'blackjack', 'bust']);
    expect(settled.seats[1].hands[0].cards.length).to.equal(2);
    const next = await waitForState(ra, (s: any) => s.phase === 'betting' && s.roundNumber > mid.roundNumber, 5000, 'the next round');
    expect(next.seats[1].playerId, 'the seat is free').to.equal('');
    await until(async () => (await http(srv.url, 'GET', '/wallet', undefined, b!.token)).body.heldMinor === 0, 5000, 'the leaver settled');
    await ra.leave();
  });
});
