import { expect } from 'chai';
import {
  RHO_GRID,
  fitRatings,
  marketImpliedRates,
  marketImpliedRho,
  preMatchProbabilities,
  ratingRates,
  weakestTeamsPrior,
  type RatingHyper,
  type RatingMatch,
} from '../../../actors/odds/index.ts';

const HYPER: RatingHyper = { decayPerDay: 0, ridge: 0.01, marketShare: 1, marketWeight: 3, levelDecayPerDay: 0, ghostSplit: false };
const ATTACK = [0.3, 0.1, -0.1, -0.3];
const DEFENCE = [0.2, 0, 0.05, -0.25];
const C = 0.2;
const H = 0.25;
const truth = (home: number, away: number): [number, number] => [Math.exp(C + H + ATTACK[home] - DEFENCE[away]), Math.exp(C + ATTACK[away] - DEFENCE[home])];

/** A double round robin repeated `rounds` times, every match priced at its true rates. */
function pricedSeason(rounds: number, firstDay = 100): RatingMatch[] {
  const out: RatingMatch[] = [];
  let day = firstDay;
  for (let r = 0; r < rounds; r++) {
    for (let h = 0; h < 4; h++) {
      for (let a = 0; a < 4; a++) {
        if (h === a) continue;
        const [mh, ma] = truth(h, a);
        out.push({ home: h, away: a, homeGoals: Math.round(mh), awayGoals: Math.round(ma), day: day++, marketHome: mh, marketAway: ma });
      }
    }
  }
  return out;
}

describe('rating fit', () => {
  it('recovers the ratings behind market-implied expected goals', () => {
    const model = fitRatings(pricedSeason(3), 4, { ...HYPER, referenceDay: 1_000, rho: -0.05 });
    for (let h = 0; h < 4; h++) {
      for (let a = 0; a < 4; a++) {
        if (h === a) continue;
        const [lh, la] = ratingRates(model, h, a);
        const [th, ta] = truth(h, a);
        expect(lh).to.be.closeTo(th, 0.01 * th);
        expect(la).to.be.closeTo(ta, 0.01 * ta);
      }
    }
    expect(model.rho).to.equal(-0.05);
  });

  it('uses only matches before the reference day, weighting recent ones more under time decay', () => {
    const early = pricedSeason(1, 0).map((m) => ({ ...m, marketHome: m.marketHome! * 2, marketAway: m.marketAway! * 2 }));
    const late = pricedSeason(1, 500);
    const all = [...early, ...late];
    const before = fitRatings(all, 4, { ...HYPER, referenceDay: 400 });
    const decayed = fitRatings(all, 4, { ...HYPER, decayPerDay: 0.02, referenceDay: 600 });
    const flat = fitRatings(all, 4, { ...HYPER, referenceDay: 600 });
    // Before day 400 only the doubled season exists: about twice the goals.
    expect(ratingRates(before, 0, 1)[0]).to.be.closeTo(2 * truth(0, 1)[0], 0.05 * truth(0, 1)[0]);
    // Decay pulls the estimate towards the recent season, unweighted it sits in between.
    expect(Math.abs(ratingRates(decayed, 0, 1)[0] - truth(0, 1)[0])).to.be.below(Math.abs(ratingRates(flat, 0, 1)[0] - truth(0, 1)[0]));
  });

  it('fits a sensible prior model with no data at all', () => {
    const model = fitRatings([], 3, { ...HYPER, ridge: 3, referenceDay: 10 });
    const [lh, la] = ratingRates(model, 0, 1);
    expect(lh).to.be.within(1.3, 1.8);
    expect(la).to.be.within(1.0, 1.5);
    expect(model.weightSum).to.equal(0);
  });

  it('takes the promoted-team prior from the weakest teams', () => {
    const model = fitRatings(pricedSeason(2), 4, { ...HYPER, referenceDay: 1_000 });
    const prior = weakestTeamsPrior(model, [0, 1, 2, 3], 1);
    expect(prior.attack).to.be.closeTo(model.attack[3], 1e-12);
    expect(prior.defence).to.be.closeTo(model.defence[3], 1e-12);
    expect(weakestTeamsPrior(model, [], 2)).to.deep.equal({ attack: 0, defence: 0 });
  });

  it('rejects out-of-range hyper-parameters', () => {
    expect(() => fitRatings([], 2, { ...HYPER, marketShare: 2, referenceDay: 0 })).to.throw(RangeError);
  });
});

describe('market-implied rho', () => {
  it('finds the ρ that made the prices, from the divergence the inverse fit leaves at each candidate', () => {
    const rhoTrue = -0.08;
    const fixtures = [[1.5, 1.1], [2.2, 0.7], [0.9, 1.6], [1.3, 1.3], [1.8, 0.9]];
    const prices = fixtures.map(([lh, la]) => preMatchProbabilities({ lambdaHome: lh, lambdaAway: la }, rhoTrue));
    const div = (i: number, rho: number) => marketImpliedRates({ result: [prices[i][0], prices[i][1], prices[i][2]], over: prices[i][3], rho }).divergence;
    expect(marketImpliedRho(fixtures.map(() => 1), div)).to.equal(rhoTrue);
    expect(marketImpliedRho([0, 0], div)).to.equal(null);
    expect(RHO_GRID[0]).to.equal(-0.2);
    expect(RHO_GRID.at(-1)).to.equal(0.1);
  });
});
