import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { crashCdf, crashStatistics, familyZ99, type CrashStatistics } from '../../../scripts/lib/crash-stats.ts';

/**
 * The CI-sized version of the crash statistics (scripts/crash-stats.ts runs 1,000,000 points; its
 * figures are in docs/FAIRNESS.md). Deterministic: a fixed chain seed.
 */
describe('crash point statistics (60,000 derived points, fixed chain)', function () {
  this.timeout(60_000);
  let stats: CrashStatistics;
  before(() => {
    stats = crashStatistics(createHash('sha256').update('crash ci statistics').digest('hex'), 60_000, 'casino-live-crash-v1', [101, 200, 500, 1000]);
  });

  it('the law: P(crash ≤ c) = 1 − 0.99/(c + 0.01), so P(crash ≥ x) = 0.99/x', () => {
    expect(crashCdf(99)).to.equal(0);
    expect(1 - crashCdf(199)).to.be.closeTo(0.99 / 2, 1e-15);
    expect(1 - crashCdf(100)).to.be.closeTo(0.99 / 1.01, 1e-15);
  });

  it('the survival function matches 0.99/x (Kolmogorov–Smirnov at 99%)', () => {
    expect(stats.ksD).to.be.below(stats.ksCritical99);
  });

  it('1% of rounds crash instantly and 1.98% publish 1.00×', () => {
    expect(stats.instantShare).to.be.closeTo(0.01, 4 * Math.sqrt(0.01 * 0.99 / 60_000));
    expect(stats.shareAt100).to.be.closeTo(1 - 0.99 / 1.01, 4 * Math.sqrt(0.0198 * 0.98 / 60_000));
  });

  it('Bonferroni: four targets together at 99% take 3.023 standard errors each', () => {
    expect(familyZ99(1)).to.be.closeTo(2.5758, 1e-3);
    expect(familyZ99(4)).to.be.closeTo(3.0233, 1e-3);
  });

  it('fixed-target strategies return 99% within their (family-wise) 99% confidence intervals', () => {
    for (const r of stats.returns) expect(r.withinCi99, `target ${r.targetCents}: rtp ${r.rtp} ± ${r.standardError}`).to.equal(true);
  });
});
