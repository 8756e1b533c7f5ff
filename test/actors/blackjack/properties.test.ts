/**
 * Invariants over random tables: random players, seats, stakes and any action (legal or not) at
 * any time. Every card dealt comes from the shoe in order, once; every stake a decision puts up
 * (newStakes: what the room reserves) is settled or refunded exactly once; each seat's payout is
 * the sum of its hands and insurance, within the rules' bounds.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { newStakes, type BlackjackCommand, type BlackjackEvent, type DealtCard } from '../../../actors/blackjack/index.ts';
import { Table, testConfig } from './helpers.ts';

const ACTIONS = ['hit', 'stand', 'double', 'split', 'surrender'] as const;
const PLAYERS = ['p1', 'p2', 'p3'];

const step = fc.record({
  kind: fc.constantFrom('act', 'act', 'act', 'act', 'insurance', 'wait', 'leave'),
  player: fc.constantFrom(...PLAYERS),
  seat: fc.integer({ min: 0, max: 6 }),
  hand: fc.integer({ min: 0, max: 3 }),
  action: fc.constantFrom(...ACTIONS),
  take: fc.boolean(),
});

function dealtCards(e: BlackjackEvent): DealtCard[] {
  switch (e.type) {
    case 'InitialDeal': return [...e.seatCards.flatMap((s) => s.cards), e.upCard, e.holeCard];
    case 'CardDrawn': case 'HandDoubled': case 'DealerDrew': return [e.card];
    case 'HandSplit': return e.cards;
    default: return [];
  }
}

describe('blackjack properties', () => {
  it('conserves cards and money over random play', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ player: fc.constantFrom(...PLAYERS), seat: fc.integer({ min: 0, max: 6 }), stake: fc.integer({ min: 5, max: 500 }).map((n) => n * 2) }), { minLength: 1, maxLength: 7 }),
        fc.array(step, { maxLength: 60 }),
        fc.boolean(),
        (bets, steps, h17) => {
          const t = new Table(testConfig({ dealerHitsSoft17: h17, resplitAces: h17, maxSeatsPerPlayer: 7 }));
          const put = new Map<string, number>(); // stakeId → amount (from accepted decisions)
          const record = (events: BlackjackEvent[]) => {
            for (const s of newStakes(events)) {
              expect(put.has(s.stakeId), `stake ${s.stakeId} put up twice`).to.equal(false);
              put.set(s.stakeId, s.amountMinor);
            }
            for (const e of events) if (e.type === 'BetRemoved') put.delete(e.betId);
          };
          const run = (cmd: BlackjackCommand) => {
            const d = t.run(cmd);
            if (d.ok) record(d.events);
          };
          t.open();
          for (const b of bets) run({ type: 'placeBet', playerId: b.player, seat: b.seat, betId: `b${b.seat}`, stakeMinor: b.stake, now: t.now });
          run({ type: 'tick', now: t.state.round!.closesAt, playersPresent: true, serverSeed: 'a'.repeat(64) });
          t.now = t.state.round!.closesAt;
          for (const s of steps) {
            if (t.state.phase !== 'playing' && t.state.phase !== 'insurance') break;
            const turn = t.state.round!.turn;
            if (s.kind === 'wait') {
              const due = t.state.phase === 'insurance' ? t.state.round!.insuranceDeadline! : turn!.deadline;
              t.now = due;
              run({ type: 'tick', now: due, playersPresent: true, serverSeed: 'a'.repeat(64) });
            } else if (s.kind === 'insurance') {
              run({ type: 'insurance', playerId: s.player, seat: s.seat, take: s.take, now: t.now });
            } else if (s.kind === 'leave') {
              run({ type: 'leaveTable', playerId: s.player, now: t.now });
            } else {
              // half the time aim at the turn's hand with its owner, so hands get played deep
              const aimed = turn && s.take ? { seat: turn.seat, hand: turn.hand, player: t.seat(turn.seat).playerId } : s;
              run({ type: 'act', playerId: aimed.player, seat: aimed.seat, hand: aimed.hand, action: s.action, now: t.now });
            }
          }
          // finish the round by timeouts
          for (let i = 0; i < 100 && (t.state.phase === 'playing' || t.state.phase === 'insurance'); i++) {
            const due = t.state.phase === 'insurance' ? t.state.round!.insuranceDeadline! : t.state.round!.turn!.deadline;
            t.now = due;
            run({ type: 'tick', now: due, playersPresent: true, serverSeed: 'a'.repeat(64) });
          }
          expect(t.state.phase).to.be.oneOf(['settled', 'voided']);

          // cards: the round's positions are contiguous from its first, each the shoe's card there
          const order = t.state.shoe!.order!;
          const positions = t.journal.flatMap(dealtCards).map((c) => {
            expect(c.card).to.equal(order[c.position]);
            return c.position;
          });
          expect(positions.slice().sort((a, b) => a - b)).to.deep.equal(positions.map((_, i) => i));

          // money: every stake put up is in exactly one settlement (or refund), with its amount
          const end = t.journal.at(-1)!.type === 'ShoeFinished' ? t.journal.at(-2)! : t.journal.at(-1)!;
          const resolved = new Map<string, number>();
          const seats = end.type === 'RoundSettled' ? end.settlements : end.type === 'RoundVoided' ? end.refunds : [];
          for (const s of seats) for (const k of s.stakes) {
            expect(resolved.has(k.stakeId)).to.equal(false);
            resolved.set(k.stakeId, k.amountMinor);
          }
          expect(resolved).to.deep.equal(put);
          if (end.type === 'RoundSettled') {
            for (const s of end.settlements) {
              const hands = s.hands.reduce((a, h) => a + h.payoutMinor, 0);
              expect(s.payoutMinor).to.equal(hands + s.insurancePayoutMinor);
              expect(s.stakeMinor).to.equal(s.stakes.reduce((a, k) => a + k.amountMinor, 0));
              expect(s.stakeMinor).to.equal(s.hands.reduce((a, h) => a + h.stakeMinor, 0) + s.insuranceMinor);
              for (const h of s.hands) {
                expect(Number.isSafeInteger(h.payoutMinor)).to.equal(true);
                expect(h.payoutMinor).to.be.within(0, (h.stakeMinor * 5) / 2);
              }
            }
            expect(end.totals.payoutMinor).to.equal(end.settlements.reduce((a, s) => a + s.payoutMinor, 0));
            // the round's card list: every position first..last once, in order, each the shoe's card
            expect(end.cards.map((c) => c.position)).to.deep.equal(Array.from({ length: end.lastPosition - end.firstPosition + 1 }, (_, i) => end.firstPosition + i));
            for (const c of end.cards) expect(c.card).to.equal(order[c.position]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
