import { expect } from 'chai';
import fc from 'fast-check';
import { MAX_PRICE_MILLI, PRICE_LADDER_MILLI, isOnLadder } from '../../../actors/odds/index.ts';
import { combinedPriceMilli, combinations, legExposuresMinor, potentialPayoutMinor, settleLine, settleSlip, systemLines, VOID_PRICE_MILLI, type LegResult } from '../../../actors/multiples/index.ts';
import { payoutOf } from '../../../actors/sportsbook/index.ts';

const ladderPrice = fc.constantFrom(...PRICE_LADDER_MILLI.filter((p) => p <= 20_000));
const won = (version = 1): LegResult => ({ outcome: 'won', version });
const lost: LegResult = { outcome: 'lost', version: 1 };
const voided: LegResult = { outcome: 'void', version: 1 };

describe('multiples: combined price', () => {
  it('is the product of the leg prices rounded down to the ladder', () => {
    expect(combinedPriceMilli([2000, 2000])).to.equal(4000);
    expect(combinedPriceMilli([1500, 1500])).to.equal(2240); // 2.25 → 2.24 (2–3 by 0.02)
    expect(combinedPriceMilli([1910, 1830, 2100])).to.equal(7200); // 7.340… → 7.2 (6–10 by 0.2)
  });

  it('is capped at the top of the ladder and returns a single price as it is; no legs is even money', () => {
    expect(combinedPriceMilli(Array(20).fill(2000))).to.equal(MAX_PRICE_MILLI);
    expect(combinedPriceMilli([3050])).to.equal(3050);
    expect(combinedPriceMilli([])).to.equal(VOID_PRICE_MILLI);
  });

  it('property: on the ladder, never above the exact product, and no ladder price fits between', () => {
    fc.assert(fc.property(fc.array(ladderPrice, { minLength: 2, maxLength: 8 }), (prices) => {
      const c = combinedPriceMilli(prices);
      expect(isOnLadder(c)).to.equal(true);
      const exact = prices.reduce((x, p) => x * (p / 1000), 1) * 1000;
      if (exact < MAX_PRICE_MILLI) {
        expect(c).to.be.at.most(exact + 1e-6);
        const next = PRICE_LADDER_MILLI.find((p) => p > c);
        if (next !== undefined) expect(next).to.be.greaterThan(exact - 1e-6);
      }
    }), { numRuns: 300 });
  });

  it('property: monotone — a longer leg price never lowers the combined price, an extra leg never lowers it', () => {
    fc.assert(fc.property(fc.array(ladderPrice, { minLength: 2, maxLength: 6 }), fc.nat(5), ladderPrice, (prices, k, extra) => {
      const i = k % prices.length;
      const longer = prices.map((p, j) => (j === i ? Math.max(p, extra) : p));
      expect(combinedPriceMilli(longer)).to.be.at.least(combinedPriceMilli(prices));
      expect(combinedPriceMilli([...prices, extra])).to.be.at.least(combinedPriceMilli(prices));
    }), { numRuns: 300 });
  });
});

describe('multiples: system bets', () => {
  it('lists the lines of each type', () => {
    expect(systemLines('accumulator', 5)).to.deep.equal([[0, 1, 2, 3, 4]]);
    expect(systemLines('doubles', 4)).to.have.length(6);
    expect(systemLines('trebles', 4)).to.have.length(4);
    expect(systemLines('trixie', 3)).to.deep.equal([[0, 1], [0, 2], [1, 2], [0, 1, 2]]);
    expect(systemLines('yankee', 4)).to.have.length(11);
    expect(systemLines('lucky15', 4)).to.have.length(15);
    expect(systemLines('lucky15', 4)!.filter((l) => l.length === 1)).to.have.length(4);
  });

  it('refuses leg counts the type does not take', () => {
    expect(systemLines('accumulator', 1)).to.equal(null);
    expect(systemLines('accumulator', 21)).to.equal(null);
    expect(systemLines('trixie', 4)).to.equal(null);
    expect(systemLines('yankee', 3)).to.equal(null);
    expect(systemLines('trebles', 2)).to.equal(null);
  });

  it('property: doubles and trebles over n legs have C(n,2) and C(n,3) distinct sorted lines', () => {
    const choose = (n: number, k: number) => { let r = 1; for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1); return r; };
    fc.assert(fc.property(fc.integer({ min: 3, max: 8 }), (n) => {
      for (const [type, k] of [['doubles', 2], ['trebles', 3]] as const) {
        const lines = systemLines(type, n)!;
        expect(lines).to.have.length(choose(n, k));
        expect(new Set(lines.map((l) => l.join(','))).size).to.equal(lines.length);
        for (const l of lines) expect(l).to.deep.equal([...l].sort((a, b) => a - b)).and.to.have.length(k);
      }
    }));
    expect(combinations(4, 0)).to.deep.equal([[]]);
  });
});

describe('multiples: settlement', () => {
  const prices = [2000, 3000, 1500];
  it('a losing leg settles the line as lost at once, even with legs still open', () => {
    expect(settleLine([0, 1, 2], 100, prices, [lost, null, null])).to.include({ outcome: 'lost', payoutMinor: 0 });
    expect(settleSlip([[0, 1, 2]], 100, prices, [null, lost, null], 1e9)).to.include({ status: 'settled', payoutMinor: 0 });
  });

  it('all legs won pays stake × combined price; open legs keep it open', () => {
    expect(settleSlip([[0, 1, 2]], 100, prices, [won(), won(), null], 1e9).status).to.equal('open');
    const s = settleSlip([[0, 1, 2]], 100, prices, [won(), won(), won()], 1e9);
    expect(s).to.include({ status: 'settled', payoutMinor: 900 });
  });

  it('void legs drop out and the price is recomputed; all void returns the stake', () => {
    expect(settleSlip([[0, 1, 2]], 100, prices, [won(), voided, won()], 1e9).payoutMinor).to.equal(payoutOf(100, combinedPriceMilli([2000, 1500])));
    expect(settleSlip([[0, 1, 2]], 100, prices, [voided, voided, voided], 1e9).payoutMinor).to.equal(100);
  });

  it('caps a slip at its maximum payout', () => {
    expect(settleSlip([[0, 1, 2]], 100, prices, [won(), won(), won()], 500).payoutMinor).to.equal(500);
  });

  it('a Trixie with one losing leg pays the one double that avoids it', () => {
    const s = settleSlip(systemLines('trixie', 3)!, 100, prices, [won(), lost, won()], 1e9);
    expect(s.payoutMinor).to.equal(payoutOf(100, combinedPriceMilli([2000, 1500])));
  });

  it('property: a settled slip pays Σ its lines, each line between 0 and its full-win payout, void lines their stake', () => {
    const result = fc.constantFrom<LegResult>(won(), lost, voided);
    fc.assert(fc.property(fc.constantFrom('accumulator', 'doubles', 'trebles', 'trixie', 'yankee', 'lucky15' as const), fc.array(ladderPrice, { minLength: 4, maxLength: 4 }), fc.array(result, { minLength: 4, maxLength: 4 }), fc.integer({ min: 1, max: 10_000 }), (type, p4, r4, stake) => {
      const n = type === 'trixie' ? 3 : 4;
      const lines = systemLines(type, n)!;
      const ps = p4.slice(0, n);
      const s = settleSlip(lines, stake, ps, r4.slice(0, n), Number.MAX_SAFE_INTEGER);
      expect(s.status).to.equal('settled');
      expect(s.payoutMinor).to.equal(s.lines.reduce((x, l) => x + l.payoutMinor, 0));
      expect(s.payoutMinor).to.be.at.most(potentialPayoutMinor(stake, lines, ps));
      for (const l of s.lines) if (l.outcome === 'void') expect(l.payoutMinor).to.equal(stake);
    }), { numRuns: 400 });
  });
});

describe('multiples: liability weighting', () => {
  it('counts each leg the net payout times the implied probability of the other legs', () => {
    // 100 at 2.0 × 4.0 = 8.0: net 700; leg 0 carries 700 × 1/4, leg 1 carries 700 × 1/2.
    expect(legExposuresMinor(100, [[0, 1]], [2000, 4000])).to.deep.equal([175, 350]);
  });

  it('a single line carries its full net payout', () => {
    expect(legExposuresMinor(100, [[0]], [2500])).to.deep.equal([150]);
  });
});
