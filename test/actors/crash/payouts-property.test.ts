import { expect } from 'chai';
import fc from 'fast-check';
import { liabilityCapCents, payoutAt, type CashedOut, type CrashEvent, type RoundCrashed } from '../../../actors/crash/index.ts';
import { CrashDriver, T0, testConfig, testSeed } from './helpers.ts';

const W = 8_000;

interface Plan { stakeMinor: number; auto: number | null; manualAtMs: number | null }

const plan = fc.record({
  stakeMinor: fc.integer({ min: 10, max: 5_000 }),
  auto: fc.option(fc.integer({ min: 101, max: 2_000 }), { nil: null }),
  manualAtMs: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: null }),
});

describe('crash payouts (property)', () => {
  it('every bet ends exactly once, paid floor(stake × multiplier) at a multiplier the round reached, within the per-bet and table limits', () => {
    fc.assert(
      fc.property(fc.array(plan, { minLength: 1, maxLength: 25 }), fc.nat(400), fc.integer({ min: 2_000, max: 200_000 }), fc.integer({ min: 2_000, max: 100_000 }), (plans: Plan[], seedN, cap, maxPayout) => {
        const config = testConfig({ liabilityCapMinor: cap, maxPayoutPerBetMinor: maxPayout, maxBetMinor: 5_000, maxStakePerPlayerPerRoundMinor: 5_000 });
        const d = new CrashDriver(config, testSeed(seedN));
        d.open(T0);
        const placed = new Map<string, Plan>();
        plans.forEach((p, i) => {
          const r = d.run({ type: 'placeBet', betId: `b${i}`, playerId: `p${i}`, stakeMinor: p.stakeMinor, autoCashOutCents: p.auto, now: T0 + i });
          if (r.ok) placed.set(`p${i}`, p);
        });
        const startsAt = T0 + W;
        const events: CrashEvent[] = [...d.tick(startsAt)];
        const manual = [...placed].filter(([, p]) => p.manualAtMs !== null).sort((a, b) => a[1].manualAtMs! - b[1].manualAtMs!);
        for (const [playerId, p] of manual) {
          const r = d.run({ type: 'cashOut', playerId, now: startsAt + p.manualAtMs! });
          if (r.ok) events.push(...r.events);
        }
        events.push(...d.tick(startsAt + 10_000_000));
        const round = d.round;
        const crashed = events.find((e): e is RoundCrashed => e.type === 'RoundCrashed')!;
        expect(crashed, 'the round crashed').to.not.equal(undefined);

        const paid = new Map<string, number>();
        let stakeIn = [...placed.values()].reduce((s, p) => s + p.stakeMinor, 0);
        for (const e of events.filter((x): x is CashedOut => x.type === 'CashedOut')) {
          expect(round.instant).to.equal(false);
          expect(e.multiplierCents).to.be.at.most(round.crashCents);
          // Before the cap the liability over bets still in stays under it.
          if (e.reason !== 'liability_cap') expect(stakeIn * (e.multiplierCents - 1)).to.be.below(cap * 100);
          else expect(e.multiplierCents).to.equal(liabilityCapCents(config, stakeIn));
          for (const c of e.cashOuts) {
            expect(paid.has(c.playerId), 'cashed out once').to.equal(false);
            expect(c.payoutMinor).to.equal(payoutAt(c.stakeMinor, e.multiplierCents));
            expect(c.payoutMinor).to.be.at.most(maxPayout);
            const p = placed.get(c.playerId)!;
            if (p.auto !== null) expect(e.multiplierCents).to.be.at.most(p.auto);
            if (e.reason === 'auto') expect(e.multiplierCents).to.equal(p.auto);
            paid.set(c.playerId, c.payoutMinor);
            stakeIn -= c.stakeMinor;
          }
        }
        const lost = new Set(crashed.lost.map((l) => l.playerId));
        for (const playerId of placed.keys()) expect(paid.has(playerId) !== lost.has(playerId), `${playerId} ends exactly once`).to.equal(true);
        // An auto target at or below the crash point is never lost.
        for (const [playerId, p] of placed) if (p.auto !== null && p.auto <= round.crashCents && !round.instant) expect(lost.has(playerId)).to.equal(false);
        expect(crashed.totals.payoutMinor).to.equal([...paid.values()].reduce((s, v) => s + v, 0));
        expect(crashed.totals.stakeMinor).to.equal([...placed.values()].reduce((s, p) => s + p.stakeMinor, 0));
      }),
      { numRuns: 300 },
    );
  });
});
