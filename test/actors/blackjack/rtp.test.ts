/**
 * The CI version of `npm run sim:blackjack`: a basic-strategy bot plays 200,000 hands through the
 * actor (about 10 s here) and the published house edge for the table's rules must lie inside the
 * measured 99% interval (±0.66% at this size; the 10,000,000-hand run is in docs/FAIRNESS.md).
 */
import { expect } from 'chai';
import { estimate, simulate } from '../../../scripts/lib/blackjack-sim.ts';
import { PUBLISHED_HOUSE_EDGE } from '../../../scripts/lib/blackjack-sim.ts';

describe('blackjack return to player (basic strategy, 200,000 hands)', function () {
  this.timeout(120_000);

  it('contains the published house edge for 6D S17 DAS LS peek 3:2 in its 99% interval', () => {
    const result = simulate({ hands: 200_000, seed: 'ci-rtp' });
    const e = estimate(result, 1000, 1);
    expect(result.hands).to.equal(200_000);
    expect(e.ci99[1] - e.ci99[0]).to.be.below(0.015);
    expect(1 - PUBLISHED_HOUSE_EDGE.value).to.be.within(e.ci99[0], e.ci99[1]);
    // outcome frequencies a basic-strategy player sees in a six-deck game
    expect(result.outcomes.blackjack! / result.hands).to.be.within(0.040, 0.050);
  });
});
