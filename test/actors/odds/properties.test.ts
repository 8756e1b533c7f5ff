import { expect } from 'chai';
import fc from 'fast-check';
import {
  MAX_PRICE_MILLI,
  MIN_PRICE_MILLI,
  PRICE_LADDER_MILLI,
  applyMargin,
  formatAmerican,
  formatDecimal,
  formatFractional,
  isOnLadder,
  priceMatch,
  probabilityToPriceMilli,
  removeMargin,
  roundDownToLadder,
} from '../../../actors/odds/index.ts';

const PROPS = { seed: 2_021, numRuns: 300 } as const;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** A fair book of 2..6 outcomes, every probability at least 1%. */
const fairBook = fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 2, maxLength: 6 }).map((xs) => {
  const t = sum(xs);
  return xs.map((x) => x / t);
}).filter((p) => p.every((x) => x >= 0.01));

describe('odds properties (fast-check)', () => {
  it('rounding onto the ladder never lengthens a price, lands on the ladder and is monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: 1000, max: 2_000_000, noNaN: true }), fc.double({ min: 1000, max: 2_000_000, noNaN: true }), (a, b) => {
        const ra = roundDownToLadder(a);
        expect(isOnLadder(ra)).to.equal(true);
        if (a >= MIN_PRICE_MILLI) expect(ra).to.be.at.most(a + 1e-6);
        if (a <= b) expect(ra).to.be.at.most(roundDownToLadder(b));
      }),
      PROPS,
    );
  });

  it('a ladder price is its own rounding and its formats agree with it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PRICE_LADDER_MILLI), (p) => {
        expect(roundDownToLadder(p)).to.equal(p);
        expect(Number(formatDecimal(p))).to.be.closeTo(p / 1000, 1e-9);
        const [num, den] = formatFractional(p).split('/').map(Number);
        expect(1 + num / den).to.be.closeTo(p / 1000, 1e-9); // every ladder price has an exact fraction
        const us = Number(formatAmerican(p));
        const back = us > 0 ? 1 + us / 100 : 1 + 100 / -us;
        expect(Math.abs(back - p / 1000)).to.be.below(p >= 2000 ? 0.006 : 0.0001 * (p / 1000) ** 2 * 100);
      }),
      PROPS,
    );
  });

  it('a quoted price implies at least the margined probability (house-favourable rounding)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.99, noNaN: true }), (q) => {
        const price = probabilityToPriceMilli(q);
        expect(price).to.be.within(MIN_PRICE_MILLI, MAX_PRICE_MILLI);
        if (q >= 0.001 && q <= 1000 / MIN_PRICE_MILLI) expect(1000 / price).to.be.at.least(q - 1e-12);
      }),
      PROPS,
    );
  });

  it('margin: applying then removing (power) returns the fair book; the booksum hits its target', () => {
    fc.assert(
      fc.property(fairBook, fc.double({ min: 1, max: 1.25, noNaN: true }), (p, o) => {
        const q = applyMargin(p, o, 'power');
        expect(sum(q)).to.be.closeTo(Math.max(o, 1), 1e-9);
        const back = removeMargin(q.map((x) => 1 / x), 'power');
        back.forEach((x, i) => expect(x).to.be.closeTo(p[i], 1e-7));
        for (const method of ['shin', 'proportional'] as const) expect(sum(removeMargin(q.map((x) => 1 / x), method))).to.be.closeTo(1, 1e-9);
      }),
      PROPS,
    );
  });

  it('every market of every match state sums to 1 and every quoted book is ≥ its overround', () => {
    fc.assert(
      fc.property(
        fc.record({
          lambdaHome: fc.double({ min: 0.05, max: 4.5, noNaN: true }),
          lambdaAway: fc.double({ min: 0.05, max: 4.5, noNaN: true }),
          minute: fc.double({ min: 0, max: 95, noNaN: true }),
          homeGoals: fc.integer({ min: 0, max: 6 }),
          awayGoals: fc.integer({ min: 0, max: 6 }),
          homeReds: fc.integer({ min: 0, max: 2 }),
          awayReds: fc.integer({ min: 0, max: 2 }),
          rho: fc.double({ min: -0.15, max: 0.1, noNaN: true }),
        }),
        (input) => {
          const priced = priceMatch(input);
          for (const m of priced.markets) {
            expect(sum(m.selections.map((s) => s.fairProb)), m.marketId).to.be.closeTo(1, 1e-9);
            for (const s of m.selections) expect(s.fairProb).to.be.within(-1e-12, 1 + 1e-12);
            if (m.decided) continue;
            const offered = m.selections.filter((s) => s.fairProb > 0);
            const booksum = sum(offered.map((s) => 1000 / s.priceMilli));
            // Rounding down only adds margin, except where the ladder's 1.01 floor caps a near-certainty.
            if (offered.every((s) => s.priceMilli > MIN_PRICE_MILLI && s.priceMilli < MAX_PRICE_MILLI)) expect(booksum).to.be.at.least(m.overround - 1e-9);
          }
        },
      ),
      { seed: 2_021, numRuns: 150 },
    );
  });
});
