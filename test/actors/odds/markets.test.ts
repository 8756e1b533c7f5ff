import { expect } from 'chai';
import { priceMatch, PRICE_NOT_OFFERED, type PriceMatchInput } from '../../../actors/odds/index.ts';
import { fair, market, price, selection } from './helpers.ts';

const base: PriceMatchInput = { lambdaHome: 1.5, lambdaAway: 1.1, minute: 0, homeGoals: 0, awayGoals: 0, rho: -0.05 };

const states: PriceMatchInput[] = [
  base,
  { ...base, minute: 23, homeGoals: 1 },
  { ...base, minute: 55.5, homeGoals: 2, awayGoals: 2, awayReds: 1 },
  { ...base, minute: 80, homeGoals: 0, awayGoals: 3, homeReds: 2 },
  { ...base, minute: 89, homeGoals: 5, awayGoals: 1 },
  { ...base, lambdaHome: 3.2, lambdaAway: 0.3, minute: 10 },
];

describe('odds markets', () => {
  it('makes every market’s fair probabilities sum to 1 within 1e-9', () => {
    for (const state of states) {
      for (const m of priceMatch(state).markets) {
        const total = m.selections.reduce((s, x) => s + x.fairProb, 0);
        expect(total, `${m.marketId} at ${JSON.stringify(state)}`).to.be.closeTo(1, 1e-9);
        for (const s of m.selections) expect(s.fairProb).to.be.within(0, 1 + 1e-12);
      }
    }
  });

  it('lists stable, human-readable market and selection ids', () => {
    const priced = priceMatch({ ...base, homeGoals: 1, awayGoals: 0, minute: 30 });
    expect(priced.markets.map((m) => m.marketId)).to.deep.equal([
      '1x2', 'ou_0.5', 'ou_1.5', 'ou_2.5', 'ou_3.5', 'ou_4.5', 'btts', 'next_goal_2', 'correct_score',
    ]);
    expect(market(priced, '1x2').selections.map((s) => s.selectionId)).to.deep.equal(['home', 'draw', 'away']);
    expect(market(priced, 'btts').selections.map((s) => s.selectionId)).to.deep.equal(['yes', 'no']);
    expect(market(priced, 'next_goal_2').selections.map((s) => s.selectionId)).to.deep.equal(['home', 'none', 'away']);
    const cs = market(priced, 'correct_score').selections.map((s) => s.selectionId);
    expect(cs[0]).to.equal('cs_1_0');
    expect(cs).to.include('cs_5_4');
    expect(cs).not.to.include('cs_0_0'); // already impossible
    expect(cs.at(-1)).to.equal('cs_other');
    expect(cs).to.have.length(26);
  });

  it('marks an over/under line already passed as decided, over certain, and does not offer it', () => {
    const priced = priceMatch({ ...base, minute: 40, homeGoals: 1, awayGoals: 1 });
    for (const id of ['ou_0.5', 'ou_1.5']) {
      const m = market(priced, id);
      expect(m.decided).to.equal(true);
      expect(fair(priced, id, 'over')).to.equal(1);
      expect(fair(priced, id, 'under')).to.equal(0);
      for (const s of m.selections) {
        expect(s.decided).to.equal(true);
        expect(s.priceMilli).to.equal(PRICE_NOT_OFFERED);
      }
    }
    expect(market(priced, 'ou_2.5').decided).to.equal(undefined);
    expect(market(priced, 'btts').decided).to.equal(true);
    expect(fair(priced, 'btts', 'yes')).to.equal(1);
  });

  it('derives next goal from the remaining rates: P(none) = exp(−(μh+μa)), the rest split μh : μa', () => {
    const priced = priceMatch({ ...base, minute: 70, homeGoals: 1, awayGoals: 1 });
    const { muHome, muAway } = priced;
    const none = Math.exp(-(muHome + muAway));
    expect(fair(priced, 'next_goal_3', 'none')).to.be.closeTo(none, 1e-15);
    expect(fair(priced, 'next_goal_3', 'home')).to.be.closeTo(((1 - none) * muHome) / (muHome + muAway), 1e-15);
  });

  it('shortens the scoring side and the overs when a goal goes in', () => {
    const before = priceMatch({ ...base, minute: 30 });
    const after = priceMatch({ ...base, minute: 30, homeGoals: 1 });
    expect(fair(after, '1x2', 'home')).to.be.above(fair(before, '1x2', 'home'));
    expect(price(after, '1x2', 'home')).to.be.below(price(before, '1x2', 'home'));
    expect(price(after, '1x2', 'away')).to.be.above(price(before, '1x2', 'away'));
    for (const id of ['ou_1.5', 'ou_2.5', 'ou_3.5', 'ou_4.5']) {
      expect(price(after, id, 'over'), id).to.be.below(price(before, id, 'over'));
      expect(price(after, id, 'under'), id).to.be.above(price(before, id, 'under'));
    }
    const awayGoal = priceMatch({ ...base, minute: 30, awayGoals: 1 });
    expect(price(awayGoal, '1x2', 'away')).to.be.below(price(before, '1x2', 'away'));
  });

  it('shortens the draw and lengthens over 2.5 as time runs out at 0-0', () => {
    let previous = priceMatch(base);
    for (let minute = 10; minute <= 85; minute += 15) {
      const now = priceMatch({ ...base, minute });
      expect(fair(now, '1x2', 'draw')).to.be.above(fair(previous, '1x2', 'draw'));
      expect(price(now, '1x2', 'draw')).to.be.at.most(price(previous, '1x2', 'draw'));
      expect(fair(now, 'ou_2.5', 'over')).to.be.below(fair(previous, 'ou_2.5', 'over'));
      expect(price(now, 'ou_2.5', 'over')).to.be.at.least(price(previous, 'ou_2.5', 'over'));
      previous = now;
    }
    expect(price(previous, '1x2', 'draw')).to.be.below(price(priceMatch(base), '1x2', 'draw'));
  });

  it('moves prices against the side that receives a red card', () => {
    const even = priceMatch({ ...base, minute: 20 });
    const homeRed = priceMatch({ ...base, minute: 20, homeReds: 1 });
    expect(fair(homeRed, '1x2', 'home')).to.be.below(fair(even, '1x2', 'home'));
    expect(fair(homeRed, '1x2', 'away')).to.be.above(fair(even, '1x2', 'away'));
    expect(price(homeRed, '1x2', 'home')).to.be.above(price(even, '1x2', 'home'));
    expect(fair(homeRed, 'next_goal_1', 'away')).to.be.above(fair(even, 'next_goal_1', 'away'));
    const twoReds = priceMatch({ ...base, minute: 20, homeReds: 2 });
    expect(fair(twoReds, '1x2', 'home')).to.be.below(fair(homeRed, '1x2', 'home'));
  });

  it('prices every offered selection on the ladder with the configured overround', () => {
    const priced = priceMatch({ ...base, minute: 12, overround: 1.08, overroundByMarket: { correct_score: 1.2, 'ou_2.5': 1.04 } });
    expect(market(priced, '1x2').overround).to.equal(1.08);
    expect(market(priced, 'ou_2.5').overround).to.equal(1.04);
    expect(market(priced, 'correct_score').overround).to.equal(1.2);
    const booksum = market(priced, '1x2').selections.reduce((s, x) => s + 1000 / x.priceMilli, 0);
    expect(booksum).to.be.at.least(1.08 - 1e-12); // rounding down only ever adds margin
    expect(booksum).to.be.below(1.08 + 0.03);
    for (const m of priced.markets) {
      for (const s of m.selections) {
        expect(s.priceMilli).to.be.within(1010, 1_000_000);
        expect(Number.isInteger(s.priceMilli)).to.equal(true);
      }
    }
  });

  it('rejects impossible inputs loudly', () => {
    expect(() => priceMatch({ ...base, lambdaHome: -1 })).to.throw(RangeError);
    expect(() => priceMatch({ ...base, homeGoals: 1.5 })).to.throw(RangeError);
    expect(() => priceMatch({ ...base, minute: Number.NaN })).to.throw(RangeError);
    expect(() => priceMatch({ ...base, overround: 0.9 })).to.throw(RangeError);
  });

  it('flags a shaded selection and shortens only that one', () => {
    const plain = priceMatch({ ...base, minute: 5 });
    const exposed = priceMatch({ ...base, minute: 5, liabilityBySelection: { '1x2:away': 3_000_000 } });
    expect(selection(exposed, '1x2', 'away').shaded).to.equal(true);
    expect(price(exposed, '1x2', 'away')).to.be.below(price(plain, '1x2', 'away'));
    expect(price(exposed, '1x2', 'home')).to.equal(price(plain, '1x2', 'home'));
    expect(selection(exposed, '1x2', 'home').shaded).to.equal(undefined);
  });
});
