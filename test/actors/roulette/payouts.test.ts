import { expect } from 'chai';
import {
  ALL_INSIDE_BETS,
  ALL_OUTSIDE_BETS,
  PAYOUT_ODDS,
  RED_NUMBERS,
  coveredPockets,
  payoutFor,
  pocketColor,
  spotKey,
  stakeBySpot,
} from '../../../actors/roulette/index.ts';
import type { PlacedBet, Spot } from '../../../actors/roulette/index.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('roulette payouts', () => {
  const cases: Array<[string, Spot, number, number]> = [
    // name, spot, a winning pocket, gross payout on 100
    ['straight 35:1', { kind: 'straight', numbers: [17] }, 17, 3600],
    ['straight on zero 35:1', { kind: 'straight', numbers: [0] }, 0, 3600],
    ['split 17:1', { kind: 'split', numbers: [1, 2] }, 2, 1800],
    ['zero split 17:1', { kind: 'split', numbers: [0, 3] }, 0, 1800],
    ['street 11:1', { kind: 'street', numbers: [31, 32, 33] }, 32, 1200],
    ['zero trio 11:1', { kind: 'street', numbers: [0, 2, 3] }, 0, 1200],
    ['corner 8:1', { kind: 'corner', numbers: [1, 2, 4, 5] }, 5, 900],
    ['first four 8:1', { kind: 'corner', numbers: [0, 1, 2, 3] }, 0, 900],
    ['line 5:1', { kind: 'line', numbers: [31, 32, 33, 34, 35, 36] }, 36, 600],
    ['dozen 2:1', { kind: 'dozen', index: 3 }, 25, 300],
    ['column 2:1', { kind: 'column', index: 2 }, 35, 300],
    ['red 1:1', { kind: 'red' }, 36, 200],
    ['black 1:1', { kind: 'black' }, 35, 200],
    ['odd 1:1', { kind: 'odd' }, 35, 200],
    ['even 1:1', { kind: 'even' }, 36, 200],
    ['low 1:1', { kind: 'low' }, 18, 200],
    ['high 1:1', { kind: 'high' }, 19, 200],
  ];
  for (const [name, spot, pocket, gross] of cases) {
    it(`pays ${name}: stake plus winnings when it wins, 0 when it loses`, () => {
      expect(payoutFor(spot, 100, pocket)).to.equal(gross);
      const losing = Array.from({ length: 37 }, (_, p) => p).find((p) => !coveredPockets(spot).includes(p))!;
      expect(payoutFor(spot, 100, losing)).to.equal(0);
    });
  }

  it('loses every outside bet on 0', () => {
    for (const spot of ALL_OUTSIDE_BETS) expect(payoutFor(spot, 100, 0), spotKey(spot)).to.equal(0);
  });

  it('covers exactly the right pockets with each outside bet', () => {
    const black = range(1, 36).filter((n) => !RED_NUMBERS.includes(n));
    const expected: Record<string, number[]> = {
      'dozen:1': range(1, 12),
      'dozen:2': range(13, 24),
      'dozen:3': range(25, 36),
      'column:1': range(0, 11).map((r) => 3 * r + 1),
      'column:2': range(0, 11).map((r) => 3 * r + 2),
      'column:3': range(0, 11).map((r) => 3 * r + 3),
      red: [1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36],
      black,
      odd: range(1, 36).filter((n) => n % 2 === 1),
      even: range(1, 36).filter((n) => n % 2 === 0),
      low: range(1, 18),
      high: range(19, 36),
    };
    for (const spot of ALL_OUTSIDE_BETS) expect(coveredPockets(spot), spotKey(spot)).to.deep.equal(expected[spotKey(spot)]);
    expect(black).to.have.length(18);
    expect(pocketColor(0)).to.equal('green');
    expect(pocketColor(2)).to.equal('black');
    expect(pocketColor(19)).to.equal('red');
  });

  it('returns 36 units over the 37 pockets for every bet (return to player 36/37)', () => {
    for (const spot of [...ALL_INSIDE_BETS, ...ALL_OUTSIDE_BETS]) {
      const total = range(0, 36).reduce((sum, pocket) => sum + payoutFor(spot, 1, pocket), 0);
      expect(total, spotKey(spot)).to.equal(36);
      expect(coveredPockets(spot).length * (PAYOUT_ODDS[spot.kind] + 1), spotKey(spot)).to.equal(36);
    }
  });

  it('keys spots for aggregation independently of number order', () => {
    expect(spotKey({ kind: 'split', numbers: [2, 1] })).to.equal('split:1-2');
    expect(spotKey({ kind: 'corner', numbers: [5, 4, 2, 1] })).to.equal('corner:1-2-4-5');
    expect(spotKey({ kind: 'straight', numbers: [0] })).to.equal('straight:0');
    expect(spotKey({ kind: 'dozen', index: 2 })).to.equal('dozen:2');
    expect(spotKey({ kind: 'red' })).to.equal('red');
  });

  it('totals stakes per spot for the table view', () => {
    const bet = (betId: string, spot: Spot, stakeMinor: number): PlacedBet => ({ betId, playerId: 'p', spot, stakeMinor, placedAt: 0 });
    expect(
      stakeBySpot([bet('a', { kind: 'split', numbers: [1, 2] }, 100), bet('b', { kind: 'split', numbers: [1, 2] }, 50), bet('c', { kind: 'red' }, 10)]),
    ).to.deep.equal({ 'split:1-2': 150, red: 10 });
  });
});
