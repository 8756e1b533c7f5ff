import { createHash, createHmac } from 'node:crypto';
import { expect } from 'chai';
import { cardCode, evolve, initialTableState, recover, shuffleShoe, type BlackjackEvent, type TableState } from '../../../actors/blackjack/index.ts';
import { Table, testConfig, testSeed } from './helpers.ts';

/** An independent implementation of docs/FAIRNESS.md §Blackjack (createHmac, array of words). */
function referenceShoe(serverSeed: string, clientSeed: string, nonce: number, decks: number): number[] {
  const order = Array.from({ length: decks * 52 }, (_, p) => p % 52);
  let words: number[] = [];
  let k = 0;
  const word = () => {
    if (words.length === 0) {
      const d = createHmac('sha256', serverSeed).update(`${clientSeed}:${nonce}:${k++}`).digest();
      words = Array.from({ length: 8 }, (_, i) => d.readUInt32BE(i * 4));
    }
    return words.shift()!;
  };
  for (let i = order.length - 1; i >= 1; i--) {
    const n = i + 1;
    const limit = 2 ** 32 - (2 ** 32 % n);
    let w = word();
    while (w >= limit) w = word();
    const j = w % n;
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('blackjack provably fair shoe', () => {
  it('matches the documented test vectors (docs/FAIRNESS.md)', () => {
    const a = shuffleShoe('0'.repeat(64), 'blackjack-1:shoe-1', 1, 6).map(cardCode);
    expect(a.slice(0, 12).join(' ')).to.equal('7D KD 6S 7S 4D 3S 8C 4H 7D 9S 9H 6S');
    expect(a.slice(-3).join(' ')).to.equal('KH 3C 6S');
    const seeded = sha256('my lucky seed\nhello world');
    expect(seeded).to.equal('5f116c121716a179685af3edb06255c97c4e8a2abfafa134683a813b091cf84e');
    const b = shuffleShoe('cfec95caed42a30fbd4b33f0dba1a80bbefc90ae270c4d87289a27b713eec6b3', seeded, 7, 6).map(cardCode);
    expect(b.slice(0, 12).join(' ')).to.equal('9D JD 4C 5H 6C 6C 4H TH 3C JD 8S 9D');
    expect(shuffleShoe('0'.repeat(64), 'x', 1, 1).slice(0, 4).map(cardCode)).to.deep.equal(['JD', 'AS', '8H', 'QC']);
  });

  it('equals an independent implementation for many seeds, and is a permutation of the decks', () => {
    for (let n = 1; n <= 20; n++) {
      const decks = 1 + (n % 8);
      const order = shuffleShoe(testSeed(n), `client ${n}`, n, decks);
      expect(order).to.deep.equal(referenceShoe(testSeed(n), `client ${n}`, n, decks));
      const counts = new Array<number>(52).fill(0);
      for (const c of order) counts[c]!++;
      expect(counts.every((c) => c === decks)).to.equal(true);
    }
  });

  it('puts each card at each position with equal frequency (chi-square over 20,000 one-deck shuffles)', () => {
    // Position 0 of a one-deck shoe: 52 cells, expected 20000/52 each; df = 51, 99.9% critical value 87.97.
    const counts = new Array<number>(52).fill(0);
    const N = 20_000;
    for (let n = 0; n < N; n++) counts[shuffleShoe(testSeed(n), 'chi', n, 1)[0]!]!++;
    const e = N / 52;
    const chi = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(chi).to.be.below(87.97);
  });

  it('commits before the first hand, fixes the client seed at the first deal and reveals after the cut card', () => {
    const t = new Table(testConfig({ cutCardPosition: 200, decks: 6 }));
    t.open();
    const opened = t.journal.find((e) => e.type === 'ShoeOpened')!;
    expect(opened).to.deep.include({ shoeId: 'blackjack-1:shoe-1', number: 1, serverSeedHash: sha256(t.state.shoe!.serverSeed) });
    t.ok({ type: 'submitClientSeed', playerId: 'bob', seed: 'hello world', now: t.now });
    t.ok({ type: 'submitClientSeed', playerId: 'alice', seed: 'my lucky seed', now: t.now });
    t.bet('alice', 0);
    t.deal();
    const shuffled = t.journal.find((e) => e.type === 'ShoeShuffled')!;
    expect(shuffled).to.deep.include({ clientSeed: sha256('my lucky seed\nhello world'), clientSeeds: ['my lucky seed', 'hello world'] });
    expect(t.state.shoe!.order).to.deep.equal(shuffleShoe(t.state.shoe!.serverSeed, sha256('my lucky seed\nhello world'), 1, 6));
    t.refused({ type: 'submitClientSeed', playerId: 'carol', seed: 'late', now: t.now }, 'seed/shoe_started');
    // play rounds (standing) until the cut card ends the shoe
    let finished: BlackjackEvent | undefined;
    for (let round = 0; round < 200 && !finished; round++) {
      while (t.state.phase === 'playing' || t.state.phase === 'insurance') {
        if (t.state.phase === 'insurance') t.tick(t.state.round!.insuranceDeadline!);
        else t.act('alice', 0, t.state.round!.turn!.hand, 'stand');
      }
      finished = t.journal.find((e) => e.type === 'ShoeFinished');
      if (!finished) {
        t.open();
        t.bet('alice', 0);
        t.deal();
      }
    }
    expect(finished).to.deep.include({ reason: 'cut_card', serverSeed: t.state.shoe!.serverSeed });
    const settled = t.lastSettlement();
    expect(settled.lastPosition).to.be.at.least(200);
    t.open();
    expect(t.state.shoe!.number).to.equal(2);
    expect(t.state.shoe!.serverSeedHash).to.not.equal(opened.type === 'ShoeOpened' && opened.serverSeedHash);
  });

  it('deals every card in shoe order: the journal of a shoe re-derives card by card', () => {
    const t = new Table();
    t.open();
    t.bet('alice', 0);
    t.bet('bob', 2);
    for (let r = 0; r < 30; r++) {
      t.deal();
      while (t.state.phase === 'playing' || t.state.phase === 'insurance') {
        if (t.state.phase === 'insurance') t.tick(t.state.round!.insuranceDeadline!);
        else {
          const turn = t.state.round!.turn!;
          const owner = t.seat(turn.seat).playerId;
          t.act(owner, turn.seat, turn.hand, t.seat(turn.seat).hands[turn.hand]!.cards.length < 3 ? 'hit' : 'stand');
        }
      }
      if (t.state.shoe!.finished) break;
      t.open();
      t.bet('alice', 0);
      t.bet('bob', 2);
    }
    const order = shuffleShoe(t.state.shoe!.serverSeed, t.state.shoe!.clientSeed!, t.state.shoe!.number, 6);
    const positions: number[] = [];
    for (const e of t.journal) {
      const dealt = e.type === 'InitialDeal' ? [...e.seatCards.flatMap((s) => s.cards), e.upCard, e.holeCard]
        : e.type === 'CardDrawn' || e.type === 'HandDoubled' || e.type === 'DealerDrew' ? [e.card]
        : e.type === 'HandSplit' ? e.cards : [];
      for (const c of dealt) {
        expect(c.card).to.equal(order[c.position]);
        positions.push(c.position);
      }
    }
    expect([...positions].sort((a, b) => a - b)).to.deep.equal(positions.map((_, i) => i));
  });

  it('reveals the seed when the table closes (goes idle) mid-shoe', () => {
    const t = new Table();
    t.open();
    t.bet('alice', 0);
    t.stack('TS', '9C', '9D', '8C');
    t.deal();
    t.act('alice', 0, 0, 'stand');
    const events = t.tick(t.state.nextOpenAt!, false);
    expect(events.map((e) => e.type)).to.deep.equal(['ShoeFinished', 'TableIdled']);
    expect(events[0]).to.deep.include({ reason: 'table_idle', serverSeed: t.state.shoe!.serverSeed });
  });

  it('rebuilt from its journal mid-hand, the hand continues: nothing dealt again, the turn gets the recovery grace', () => {
    const t = new Table();
    // Natural shoe (no stacking: the rebuild must derive the same cards): deal until seat 0 can hit.
    for (;;) {
      t.open();
      t.bet('alice', 0);
      t.bet('bob', 1);
      t.deal();
      if (t.state.phase === 'insurance') t.tick(t.state.round!.insuranceDeadline!);
      const turn = t.state.round!.turn;
      if (t.state.phase === 'playing' && turn?.seat === 0 && t.seat(0).hands[0]!.cards.length === 2) break;
      while (t.state.phase === 'playing') t.act(t.seat(t.state.round!.turn!.seat).playerId, t.state.round!.turn!.seat, t.state.round!.turn!.hand, 'stand');
    }
    const cardsBefore = t.seat(0).hands[0]!.cards.length;
    t.act('alice', 0, 0, 'hit');
    if (t.state.round!.turn?.seat !== 0) return void expect.fail('seat 0 bust or reached 21: pick another seed');
    let rebuilt: TableState = initialTableState('blackjack-1', t.state.config);
    for (const e of t.journal) rebuilt = evolve(rebuilt, e);
    expect(rebuilt).to.deep.equal(t.state);
    const later = t.state.round!.turn!.deadline + 60_000;
    const events = recover(rebuilt, later);
    expect(events).to.deep.equal([{ type: 'RoundResumed', roundId: t.state.round!.roundId, deadline: later + t.state.config.recoveryGraceMs, at: later }]);
    for (const e of events) rebuilt = evolve(rebuilt, e);
    expect(rebuilt.round!.seats.map((s) => s.hands[0]!.cards.length)).to.deep.equal([cardsBefore + 1, 2]);
    expect(rebuilt.shoe!.position).to.equal(t.state.shoe!.position);
    expect(rebuilt.round!.turn).to.deep.include({ seat: 0, hand: 0, deadline: later + t.state.config.recoveryGraceMs });
    expect(recover(t.state, t.now)).to.deep.equal([]); // a turn with more time left than the grace keeps it
  });
});
