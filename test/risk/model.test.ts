/**
 * The model and its evaluation, at CI size: training separates classes and respects its
 * false-positive bound; PR-AUC is right on known cases; a small persona mix runs end to end
 * through the service (the full run is `npm run fraud:eval`).
 */
import { expect } from 'chai';
import { FEATURE_NAMES, anomalyBaseline, anomalyScore, logisticScore } from '../../actors/risk/index.ts';
import { trainModel } from '../../server/risk/model.ts';
import { InProcessRiskStream } from '../../server/risk/stream.ts';
import { rngFromSeed } from '../../actors/sportsbook/rng.ts';
import { buildMix, isAbusive, type MixCounts } from '../../load-tests/personas/mix.ts';
import { prAuc, report, runMix } from '../../scripts/fraud/evaluate.ts';

describe('risk model and its evaluation', function () {
  this.timeout(60_000);

  it('PR-AUC is 1 for a perfect ranking, the positives\' share for a useless one, and in between otherwise', () => {
    expect(prAuc([0.9, 0.8], [0.1, 0.2, 0.3])).to.equal(1);
    expect(prAuc([0.5, 0.5], [0.5, 0.5, 0.5, 0.5])).to.be.closeTo(2 / 6, 1e-9);
    const mid = prAuc([0.9, 0.2], [0.5, 0.1]);
    expect(mid).to.be.above(0.5).and.below(1);
  });

  it('trains weights that separate the classes, with a threshold no more than maxFpr of honest players reach', () => {
    const rng = rngFromSeed('model-test');
    const row = (shift: number) => FEATURE_NAMES.map((_, j) => (j === 3 || j === 19 ? shift : 0) + rng() * 2);
    const rows = [...Array.from({ length: 400 }, () => row(0)), ...Array.from({ length: 40 }, () => row(2.5))];
    const labels = rows.map((_, i) => i >= 400);
    const { weights, baseline } = trainModel(rows, labels, { version: 't', numSteps: 300, maxFpr: 0.01 });
    const scores = rows.map((r) => logisticScore(r, weights));
    const honestOver = scores.slice(0, 400).filter((s) => s >= weights.threshold).length;
    const abusiveOver = scores.slice(400).filter((s) => s >= weights.threshold).length;
    expect(honestOver).to.be.at.most(4);
    expect(abusiveOver).to.be.at.least(36);
    expect(prAuc(scores.slice(400), scores.slice(0, 400))).to.be.above(0.95);
    // Unsupervised: the shifted rows are further from the bulk.
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const an = rows.map((r) => anomalyScore(r, anomalyBaseline(rows)));
    expect(mean(an.slice(400))).to.be.above(mean(an.slice(0, 400)));
    expect(baseline.medians).to.have.length(FEATURE_NAMES.length);
  });

  it('runs a small persona mix end to end: seeded mixes are reproducible, the held-out mix is scored and reported', async () => {
    const small: MixCounts = { casual: 60, in_play_fan: 30, high_roller: 8, bonus_player: 15, household: 8, winner_withdraws: 10, heavy_punter: 5, sharp: 4, bonus_ring: 1, multi_account_ring: 1, latency: 3, stolen_card: 4 };
    const a = buildMix('ci-train', small);
    expect(buildMix('ci-train', small).events.map((e) => e.id)).to.deep.equal(a.events.map((e) => e.id));
    expect(buildMix('ci-heldout', small).events.map((e) => e.id)).not.to.deep.equal(a.events.map((e) => e.id));
    const trained = await runMix(a, new InProcessRiskStream(), { weights: null, baseline: null }, { snapshotEveryMs: 2 * 86_400_000 });
    const { weights, baseline } = trainModel(trained.snapshots.map((s) => s.x), trained.snapshots.map((s) => isAbusive(a.labels.get(s.playerId)!)), { version: 'ci', numSteps: 200, players: trained.snapshots.map((s) => s.playerId) });
    const heldOut = buildMix('ci-heldout', small);
    const r = report(heldOut, await runMix(heldOut, new InProcessRiskStream(), { weights, baseline }));
    expect(r.personas.map((p) => p.persona)).to.deep.equal(['sharp', 'bonus_ring', 'multi_account_ring', 'latency', 'stolen_card']);
    for (const p of r.personas) expect(p.recall, p.persona).to.be.at.least(0.5);
    expect(r.honest.fpr).to.be.at.most(0.05);
    expect(r.flagLatencyMs.n).to.be.above(0);
    expect(r.flagLatencyMs.p99!).to.be.below(5_000);
  });
});
