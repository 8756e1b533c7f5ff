import { expect } from 'chai';
import fc from 'fast-check';
import { CURVE_K_PER_MS, formatMultiplier, msToReach, multiplierCentsAt, payoutAt } from '../../../actors/crash/index.ts';

describe('crash curve m(t) = e^(k·t), floored to two decimals', () => {
  it('starts at 1.00× and follows e^(0.00006·t) with t in ms, rounded down to hundredths', () => {
    expect(CURVE_K_PER_MS).to.equal(0.00006);
    expect(multiplierCentsAt(0)).to.equal(100);
    expect(multiplierCentsAt(-50)).to.equal(100);
    // e^(0.00006·1000) = 1.0618365… → 1.06; e^(0.00006·11553) = 2.00007… → 2.00; one ms earlier 1.99995… → 1.99
    expect(multiplierCentsAt(1000)).to.equal(106);
    expect(multiplierCentsAt(11_553)).to.equal(200);
    expect(multiplierCentsAt(11_552)).to.equal(199);
    // e^(0.00006·38377) = 10.0003…; e^(0.00006·76753) = 100.00…
    expect(multiplierCentsAt(38_377)).to.equal(1000);
    expect(multiplierCentsAt(76_753)).to.equal(10_000);
  });

  it('msToReach gives the first millisecond at which the floored multiplier reaches a value', () => {
    expect(msToReach(100)).to.equal(0);
    expect(msToReach(101)).to.equal(166); // e^(0.00006·166) = 1.01001…; at 165 ms 1.00995…
    expect(multiplierCentsAt(165)).to.equal(100);
    expect(msToReach(200)).to.equal(11_553);
    fc.assert(
      fc.property(fc.integer({ min: 101, max: 100_000_000 }), (cents) => {
        const t = msToReach(cents);
        expect(multiplierCentsAt(t)).to.be.at.least(cents);
        expect(multiplierCentsAt(t - 1)).to.be.below(cents);
      }),
      { numRuns: 2000 },
    );
  });

  it('is non-decreasing in time', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 400_000 }), fc.integer({ min: 0, max: 5_000 }), (t, dt) => {
      expect(multiplierCentsAt(t + dt)).to.be.at.least(multiplierCentsAt(t));
    }));
  });

  it('pays floor(stake × multiplier): never more than the exact product, less by under one minor unit', () => {
    expect(payoutAt(1000, 250)).to.equal(2500);
    expect(payoutAt(333, 101)).to.equal(336); // 336.33 → 336
    expect(payoutAt(1, 199)).to.equal(1); // 1.99 → 1
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), fc.integer({ min: 100, max: 10_000_000 }), (stake, cents) => {
      const pay = payoutAt(stake, cents);
      expect(Number.isSafeInteger(pay)).to.equal(true);
      expect(pay * 100).to.be.at.most(stake * cents);
      expect(pay * 100).to.be.above(stake * cents - 100);
      expect(pay).to.be.at.least(stake); // never below the stake at ≥ 1.00×
    }));
  });

  it('formats hundredths as two-decimal text', () => {
    expect(formatMultiplier(100)).to.equal('1.00');
    expect(formatMultiplier(205)).to.equal('2.05');
    expect(formatMultiplier(123456)).to.equal('1234.56');
  });
});
