import { expect } from 'chai';
import fc from 'fast-check';
import { applyMarginPower, floorOutcomes, preMatchProbabilities, priceMatch, uncertaintyOverround } from '../../../actors/odds/index.ts';

const booksum = (prices: readonly number[]) => prices.reduce((s, p) => s + 1000 / p, 0);
const market = (priced: ReturnType<typeof priceMatch>, id: string) => priced.markets.find((m) => m.marketId === id)!;

describe('odds: margin against uncertain prices', () => {
  it('widens the overround by z·σ·(1 − Σp²), and not at all without uncertainty', () => {
    const fair = [0.5, 0.3, 0.2];
    expect(uncertaintyOverround(1.05, fair, 0, 1)).to.equal(1.05);
    expect(uncertaintyOverround(1.05, fair, 0.2, 0)).to.equal(1.05);
    expect(uncertaintyOverround(1.05, fair, 0.2, 1)).to.be.closeTo(1.05 + 0.2 * (1 - 0.38), 1e-12);
    expect(uncertaintyOverround(1.05, fair, 0.1, 2)).to.be.closeTo(uncertaintyOverround(1.05, fair, 0.2, 1), 1e-12);
  });

  it('prices every market with the widened overround, long shots loaded most', () => {
    const base = priceMatch({ lambdaHome: 1.8, lambdaAway: 0.9, minute: 0, homeGoals: 0, awayGoals: 0 });
    const wide = priceMatch({ lambdaHome: 1.8, lambdaAway: 0.9, minute: 0, homeGoals: 0, awayGoals: 0, priceSigma: 0.15 });
    for (const m of wide.markets) {
      const before = market(base, m.marketId);
      expect(m.overround).to.be.above(before.overround);
      m.selections.forEach((s, i) => expect(s.priceMilli).to.be.at.most(before.selections[i].priceMilli));
    }
    const oneXTwo = market(wide, '1x2');
    expect(booksum(oneXTwo.selections.map((s) => s.priceMilli))).to.be.at.least(oneXTwo.overround - 1e-9);
    const load = oneXTwo.selections.map((s) => 1000 / s.priceMilli / s.fairProb);
    expect(load[2]).to.be.above(load[0]); // away (the long shot) carries more than home (the favourite)
  });

  it('never quotes a selection above the market fair price less the least margin, and only ever shortens prices', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 3.5, noNaN: true }),
        fc.double({ min: 0.3, max: 3.5, noNaN: true }),
        fc.double({ min: 0.3, max: 3.5, noNaN: true }),
        fc.double({ min: 0.3, max: 3.5, noNaN: true }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        (mh, ma, kh, ka, minMargin) => {
          const fair = preMatchProbabilities({ lambdaHome: kh, lambdaAway: ka }, -0.05);
          const marketFair = { '1x2': fair.slice(0, 3), 'ou_2.5': fair.slice(3) };
          const input = { lambdaHome: mh, lambdaAway: ma, minute: 0, homeGoals: 0, awayGoals: 0, rho: -0.05 };
          const free = priceMatch(input);
          const floored = priceMatch({ ...input, marketFair, minOutcomeMargin: minMargin });
          for (const id of ['1x2', 'ou_2.5'] as const) {
            market(floored, id).selections.forEach((s, i) => {
              // (the ladder's lowest price, 1.01, is the one exception: nothing is quoted shorter)
              expect(s.priceMilli / 1000).to.be.at.most(Math.max(1.01, 1 / (marketFair[id][i] * (1 + minMargin)) + 1e-9));
              expect(s.priceMilli).to.be.at.most(market(free, id).selections[i].priceMilli);
            });
          }
          // Markets the outside book did not quote get only the least margin over their own fair price.
          expect(market(floored, 'btts')).to.deep.equal(market(priceMatch({ ...input, minOutcomeMargin: minMargin }), 'btts'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('leaves a price alone when it is already below the market fair price, and keeps the least margin on every outcome', () => {
    const fair = [0.5, 0.3, 0.2];
    const q = applyMarginPower(fair, 1.05);
    expect(floorOutcomes(q, fair, [0.45, 0.3, 0.25], 0)).to.deep.equal([q[0], q[1], 0.25]);
    expect(floorOutcomes(q, fair, undefined, 0)).to.deep.equal(q);
    // A heavy favourite gets almost none of a power margin; the floor gives it at least 1%.
    const heavy = [0.9, 0.07, 0.03];
    const power = applyMarginPower(heavy, 1.03);
    expect(power[0] / heavy[0]).to.be.below(1.01);
    const floored = floorOutcomes(power, heavy, undefined, 0.01);
    expect(floored[0]).to.be.closeTo(0.909, 1e-12);
    expect(floored.slice(1)).to.deep.equal(power.slice(1));
    expect(floorOutcomes([0.99, 0, 0.02], [0.98, 0, 0.02], undefined, 0.05)).to.deep.equal([1, 0, 0.021]);
  });

  it('refuses a negative or non-finite uncertainty', () => {
    const input = { lambdaHome: 1.5, lambdaAway: 1.1, minute: 0, homeGoals: 0, awayGoals: 0 };
    expect(() => priceMatch({ ...input, priceSigma: -0.1 })).to.throw(RangeError);
    expect(() => priceMatch({ ...input, minOutcomeMargin: Number.NaN })).to.throw(RangeError);
  });
});
