import { expect } from 'chai';
import fc from 'fast-check';
import {
  applyMarginPower,
  logLinearPool,
  marketImpliedRates,
  poolRates,
  preMatchProbabilities,
  priceMatch,
  ratesFromQuote,
  removeMargin,
} from '../../../actors/odds/index.ts';
import { fair, poisson } from './helpers.ts';

// Deterministic property runs: a fixed seed, so a failure reproduces.
const PROPS = { seed: 21, numRuns: 200 } as const;
const lambda = fc.double({ min: 0.3, max: 3.5, noNaN: true });
const rho = fc.double({ min: -0.12, max: 0.06, noNaN: true });

function fairOf(lambdaHome: number, lambdaAway: number, r: number, state: Partial<{ minute: number; homeGoals: number; awayGoals: number; homeReds: number; awayReds: number }> = {}) {
  const priced = priceMatch({ lambdaHome, lambdaAway, rho: r, minute: 0, homeGoals: 0, awayGoals: 0, ...state });
  return {
    result: [fair(priced, '1x2', 'home'), fair(priced, '1x2', 'draw'), fair(priced, '1x2', 'away')] as [number, number, number],
    over: fair(priced, 'ou_2.5', 'over'),
  };
}

describe('market-implied rates (inverse fit)', () => {
  it('recovers known rates from 1X2 and over/under prices made by the model', () => {
    for (const [lh, la, r] of [[1.5, 1.1, -0.05], [2.8, 0.5, 0], [0.6, 2.4, 0.05], [1.2, 1.2, -0.1], [3.6, 0.35, -0.03]]) {
      const target = fairOf(lh, la, r);
      const fit = marketImpliedRates({ ...target, rho: r });
      expect(fit.converged).to.equal(true);
      expect(fit.lambdaHome).to.be.closeTo(lh, 1e-6);
      expect(fit.lambdaAway).to.be.closeTo(la, 1e-6);
      expect(fit.divergence).to.be.below(1e-12);
    }
  });

  it('recovers the rates from the 1X2 alone (two free probabilities, two rates)', () => {
    const target = fairOf(1.9, 0.8, -0.06);
    const fit = marketImpliedRates({ result: target.result, rho: -0.06 });
    expect(fit.lambdaHome).to.be.closeTo(1.9, 1e-5);
    expect(fit.lambdaAway).to.be.closeTo(0.8, 1e-5);
  });

  it('recovers the pre-match-equivalent rates from in-play prices (minute, score, red cards)', () => {
    const state = { minute: 63, homeGoals: 1, awayGoals: 0, homeReds: 0, awayReds: 1 };
    const target = fairOf(1.7, 1.25, -0.05, state);
    const fit = marketImpliedRates({ ...target, rho: -0.05, ...state });
    expect(fit.lambdaHome).to.be.closeTo(1.7, 1e-5);
    expect(fit.lambdaAway).to.be.closeTo(1.25, 1e-5);
  });

  it('ignores an over/under line that the score has already passed', () => {
    const state = { minute: 50, homeGoals: 2, awayGoals: 1 };
    const target = fairOf(1.4, 1.0, -0.05, state);
    const fit = marketImpliedRates({ result: target.result, over: 0.3 /* nonsense, must be ignored */, rho: -0.05, ...state });
    expect(fit.lambdaHome).to.be.closeTo(1.4, 1e-4);
    expect(fit.lambdaAway).to.be.closeTo(1.0, 1e-4);
  });

  it('finds the best compromise, not a crash, when the markets disagree', () => {
    // A 1X2 of a tight match with a very high total: no single pair of rates reproduces both.
    const fit = marketImpliedRates({ result: [0.5, 0.3, 0.2], over: 0.9, rho: -0.05 });
    expect(fit.converged).to.equal(true);
    expect(fit.divergence).to.be.above(0);
    const both = preMatchProbabilities(fit, -0.05);
    expect(both[3]).to.be.above(0.6); // pulled towards the high total
    expect(both[0]).to.be.above(both[2]); // and still a home favourite
  });

  it('works from bookmaker odds with the margin still in them', () => {
    const truth = preMatchProbabilities({ lambdaHome: 1.6, lambdaAway: 1.05 }, -0.04);
    const oneXTwo = applyMarginPower(truth.slice(0, 3), 1.03).map((q) => 1 / q) as [number, number, number];
    const overUnder = applyMarginPower(truth.slice(3), 1.025).map((q) => 1 / q) as [number, number];
    const fit = ratesFromQuote({ oneXTwo, overUnder }, { rho: -0.04 });
    expect(fit.lambdaHome).to.be.closeTo(1.6, 1e-6);
    expect(fit.lambdaAway).to.be.closeTo(1.05, 1e-6);
  });

  it('rejects probabilities outside [0, 1] as programmer errors', () => {
    expect(() => marketImpliedRates({ result: [0.5, -0.1, 0.6], rho: 0 })).to.throw(RangeError);
    expect(() => marketImpliedRates({ result: [0.5, 0.3, 0.2], over: 1.2, rho: 0 })).to.throw(RangeError);
    expect(() => removeMargin([2, 0.9, 3])).to.throw(RangeError);
  });

  it('property: prices made by the model round-trip to the same rates', () => {
    fc.assert(
      fc.property(lambda, lambda, rho, (lh, la, r) => {
        const target = fairOf(lh, la, r);
        const fit = marketImpliedRates({ ...target, rho: r });
        const back = preMatchProbabilities(fit, r);
        // The prices are reproduced to 1e-7 and the rates recovered to 1e-4 relative.
        for (let k = 0; k < 3; k++) expect(back[k]).to.be.closeTo(target.result[k], 1e-7);
        expect(back[3]).to.be.closeTo(target.over, 1e-7);
        expect(Math.abs(fit.lambdaHome / lh - 1)).to.be.below(1e-4);
        expect(Math.abs(fit.lambdaAway / la - 1)).to.be.below(1e-4);
      }),
      PROPS,
    );
  });
});

describe('blend of model and market (log-linear pool)', () => {
  it('is the model at weight 0 and the market at weight 1', () => {
    const model = { lambdaHome: 1.3, lambdaAway: 1.1 };
    const market = { lambdaHome: 1.8, lambdaAway: 0.9 };
    expect(poolRates(model, market, 0)).to.deep.equal(model);
    const at1 = poolRates(model, market, 1);
    expect(at1.lambdaHome).to.be.closeTo(1.8, 1e-12);
    expect(at1.lambdaAway).to.be.closeTo(0.9, 1e-12);
  });

  it('pools rates geometrically: λ = λ_model^(1−w) · λ_market^w', () => {
    const pooled = poolRates({ lambdaHome: 1, lambdaAway: 2 }, { lambdaHome: 4, lambdaAway: 0.5 }, 0.5);
    expect(pooled.lambdaHome).to.be.closeTo(2, 1e-12);
    expect(pooled.lambdaAway).to.be.closeTo(1, 1e-12);
  });

  it('equals the log-linear pool of the two Poisson goal distributions', () => {
    const w = 0.7;
    const ks = Array.from({ length: 40 }, (_, k) => k);
    const pooled = logLinearPool([ks.map((k) => poisson(k, 1.2)), ks.map((k) => poisson(k, 2.1))], [1 - w, w]);
    const rate = poolRates({ lambdaHome: 1.2, lambdaAway: 1 }, { lambdaHome: 2.1, lambdaAway: 1 }, w).lambdaHome;
    ks.slice(0, 12).forEach((k) => expect(pooled[k]).to.be.closeTo(poisson(k, rate), 1e-12));
  });

  it('log-linear pool: normalised, between its inputs on the log scale, zero stays zero', () => {
    const a = [0.6, 0.3, 0.1];
    const b = [0.2, 0.3, 0.5];
    const p = logLinearPool([a, b], [0.5, 0.5]);
    expect(p.reduce((s, x) => s + x, 0)).to.be.closeTo(1, 1e-15);
    expect(p[0]).to.be.below(a[0]).and.above(b[0]);
    expect(logLinearPool([[0, 0.5, 0.5], b], [0.5, 0.5])[0]).to.equal(0);
    expect(() => poolRates({ lambdaHome: 1, lambdaAway: 1 }, { lambdaHome: 1, lambdaAway: 1 }, 1.5)).to.throw(RangeError);
  });

  it('property: pooled rates lie between the model and the market and move monotonically with the weight', () => {
    fc.assert(
      fc.property(lambda, lambda, lambda, lambda, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, c, d, w1, w2) => {
        const lo = Math.min(w1, w2);
        const hi = Math.max(w1, w2);
        const p = poolRates({ lambdaHome: a, lambdaAway: b }, { lambdaHome: c, lambdaAway: d }, lo);
        const q = poolRates({ lambdaHome: a, lambdaAway: b }, { lambdaHome: c, lambdaAway: d }, hi);
        expect(p.lambdaHome).to.be.within(Math.min(a, c) * (1 - 1e-12), Math.max(a, c) * (1 + 1e-12));
        // Moving the weight towards the market moves the rate towards the market's.
        expect((q.lambdaHome - p.lambdaHome) * (c - a)).to.be.at.least(-1e-12);
      }),
      PROPS,
    );
  });
});
