import { expect } from 'chai';
import {
  dixonColesTau,
  priceMatch,
  remainingFraction,
  remainingRates,
  remainingScoreMatrix,
  poissonPmfInto,
  logFactorial,
} from '../../../actors/odds/index.ts';
import { fair, poisson } from './helpers.ts';

describe('odds goal model', () => {
  it('matches a direct independent-Poisson computation at kick-off with rho = 0 (λ 1.5 / 1.1)', () => {
    let home = 0;
    let draw = 0;
    let over25 = 0;
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 40; j++) {
        const p = poisson(i, 1.5) * poisson(j, 1.1);
        if (i > j) home += p;
        else if (i === j) draw += p;
        if (i + j > 2.5) over25 += p;
      }
    }
    const base = { lambdaHome: 1.5, lambdaAway: 1.1, minute: 0, homeGoals: 0, awayGoals: 0, rho: 0 };
    const wide = priceMatch({ ...base, maxExtraGoals: 25 });
    expect(fair(wide, '1x2', 'home')).to.be.closeTo(home, 1e-12);
    expect(fair(wide, '1x2', 'draw')).to.be.closeTo(draw, 1e-12);
    expect(fair(wide, 'ou_2.5', 'over')).to.be.closeTo(over25, 1e-12);
    // The default bound (10 more goals a side, renormalised) is within 1e-6 of the exact values.
    const standard = priceMatch(base);
    expect(fair(standard, '1x2', 'home')).to.be.closeTo(home, 1e-6);
    expect(fair(standard, '1x2', 'draw')).to.be.closeTo(draw, 1e-6);
    expect(fair(standard, 'ou_2.5', 'over')).to.be.closeTo(over25, 1e-6);
    // Anchors for a reader: P(home) ≈ 0.4642, P(draw) ≈ 0.2577, P(over 2.5) ≈ 0.4816; the total
    // of two independent Poissons is Poisson(2.6), which gives over 2.5 a second, closed-form check.
    expect(home).to.be.closeTo(0.4642, 1e-4);
    expect(draw).to.be.closeTo(0.2577, 1e-4);
    expect(over25).to.be.closeTo(1 - poisson(0, 2.6) - poisson(1, 2.6) - poisson(2, 2.6), 1e-12);
  });

  it('gives a certain draw when neither side can score (λh = λa = 0)', () => {
    const priced = priceMatch({ lambdaHome: 0, lambdaAway: 0, minute: 0, homeGoals: 0, awayGoals: 0 });
    expect(fair(priced, '1x2', 'draw')).to.equal(1);
    expect(fair(priced, '1x2', 'home')).to.equal(0);
    expect(fair(priced, 'ou_0.5', 'under')).to.equal(1);
    expect(fair(priced, 'correct_score', 'cs_0_0')).to.equal(1);
    expect(fair(priced, `next_goal_1`, 'none')).to.equal(1);
  });

  it('fixes the result once no time remains, including in stoppage time', () => {
    for (const minute of [90, 94.5, 120]) {
      const priced = priceMatch({ lambdaHome: 2, lambdaAway: 1, minute, homeGoals: 1, awayGoals: 2 });
      expect(priced.remainingFraction).to.equal(0);
      expect(fair(priced, '1x2', 'away')).to.equal(1);
    }
  });

  it('puts the measured share of goals in the first half and none after minute 90', () => {
    expect(remainingFraction(0)).to.equal(1);
    expect(remainingFraction(90)).to.equal(0);
    expect(remainingFraction(-5)).to.equal(1);
    expect(1 - remainingFraction(45)).to.be.closeTo(0.45, 1e-12); // β = 0.4 → ½ − β/8
    expect(remainingFraction(45, 0)).to.equal(0.5);
    let previous = 1;
    for (let m = 1; m <= 90; m++) {
      const f = remainingFraction(m);
      expect(f).to.be.below(previous);
      previous = f;
    }
  });

  it('scales each remaining rate by red cards: ×0.75 for the penalised side, ×1.15 for its opponent', () => {
    const none = remainingRates({ lambdaHome: 1.4, lambdaAway: 1.2, minute: 30 });
    const oneHome = remainingRates({ lambdaHome: 1.4, lambdaAway: 1.2, minute: 30, homeReds: 1 });
    const twoAway = remainingRates({ lambdaHome: 1.4, lambdaAway: 1.2, minute: 30, awayReds: 2 });
    expect(oneHome.muHome / none.muHome).to.be.closeTo(0.75, 1e-12);
    expect(oneHome.muAway / none.muAway).to.be.closeTo(1.15, 1e-12);
    expect(twoAway.muAway / none.muAway).to.be.closeTo(0.75 ** 2, 1e-12);
    expect(twoAway.muHome / none.muHome).to.be.closeTo(1.15 ** 2, 1e-12);
  });

  it('keeps the score matrix summing to one, and rho moves mass towards 0-0 and 1-1 when negative', () => {
    const plain = remainingScoreMatrix(1.3, 1.0, 0);
    const dc = remainingScoreMatrix(1.3, 1.0, -0.1);
    const sum = (m: Float64Array) => m.reduce((a, b) => a + b, 0);
    expect(sum(plain)).to.be.closeTo(1, 1e-12);
    expect(sum(dc)).to.be.closeTo(1, 1e-12);
    const size = 11;
    expect(dc[0]).to.be.above(plain[0]); // 0-0
    expect(dc[size + 1]).to.be.above(plain[size + 1]); // 1-1
    expect(dc[1]).to.be.below(plain[1]); // 0-1
    expect(dc[size]).to.be.below(plain[size]); // 1-0
    expect(dixonColesTau(2, 0, 1.3, 1.0, -0.1)).to.equal(1);
    expect(dixonColesTau(0, 0, 1.3, 1.0, -0.1)).to.be.closeTo(1 + 0.13, 1e-12);
  });

  it('never produces negative probabilities for an extreme rho', () => {
    const m = remainingScoreMatrix(3, 3, 0.9);
    for (const p of m) expect(p).to.be.at.least(0);
    expect(m.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
  });

  it('fills Poisson pmfs by recurrence consistent with the memoised log-factorials', () => {
    const out = poissonPmfInto(2.3, new Float64Array(15));
    for (let k = 0; k < 15; k++) expect(out[k]).to.be.closeTo(Math.exp(k * Math.log(2.3) - 2.3 - logFactorial(k)), 1e-15);
    expect(logFactorial(70)).to.be.closeTo(logFactorial(69) + Math.log(70), 1e-9);
  });
});
