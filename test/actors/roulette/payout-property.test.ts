/**
 * Properties of a settled round over random bets (any spot of the layout, any stake in the
 * table's limits, several players): each bet is paid stake × (odds + 1) exactly when the drawn
 * pocket is one it covers and 0 otherwise, the totals are the sums of the settlements, and over
 * the 37 pockets every bet returns 36/37 of its stake (the single-zero house edge).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { ALL_INSIDE_BETS, ALL_OUTSIDE_BETS, PAYOUT_ODDS, POCKET_COUNT, coveredPockets, payoutFor, type RouletteEvent, type Spot } from '../../../actors/roulette/index.ts';
import { TableDriver, testConfig } from './helpers.ts';

const SPOTS: readonly Spot[] = [...ALL_INSIDE_BETS, ...ALL_OUTSIDE_BETS];
const bet = fc.record({ spot: fc.constantFrom(...SPOTS), stakeMinor: fc.integer({ min: 10, max: 100_000 }), player: fc.constantFrom('p1', 'p2', 'p3') });

describe('roulette settlement (property)', () => {
  it('pays each bet exactly by the payout table for the drawn pocket, and the totals add up', () => {
    fc.assert(
      fc.property(fc.array(bet, { minLength: 1, maxLength: 30 }), (bets) => {
        const table = new TableDriver(testConfig({ maxStakePerPlayerPerRoundMinor: 10_000_000, maxPayoutPerRoundMinor: 1_000_000_000 }));
        table.tick(1_700_000_000_000);
        bets.forEach((b, i) => {
          table.ok(table.bet(`b${i}`, b.player, b.spot, b.stakeMinor));
        });
        const events: RouletteEvent[] = [];
        while (!events.some((e) => e.type === 'RoundSettled')) events.push(...table.advance());
        const settled = events.find((e) => e.type === 'RoundSettled') as Extract<RouletteEvent, { type: 'RoundSettled' }>;
        expect(settled.settlements).to.have.length(bets.length);
        for (const s of settled.settlements) {
          const won = coveredPockets(s.spot).includes(settled.pocket);
          expect(s.payoutMinor, s.betId).to.equal(won ? s.stakeMinor * (PAYOUT_ODDS[s.spot.kind] + 1) : 0);
        }
        expect(settled.totals).to.deep.equal({
          betCount: bets.length,
          stakeMinor: bets.reduce((sum, b) => sum + b.stakeMinor, 0),
          payoutMinor: settled.settlements.reduce((sum, s) => sum + s.payoutMinor, 0),
        });
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('returns 36/37 of any stake over the 37 pockets, for every spot', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPOTS), fc.integer({ min: 1, max: 1_000_000 }), (spot, stake) => {
        let returned = 0;
        for (let pocket = 0; pocket < POCKET_COUNT; pocket++) returned += payoutFor(spot, stake, pocket);
        expect(returned).to.equal(36 * stake);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
