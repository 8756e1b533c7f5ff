import { expect } from 'chai';
import { msToReach, multiplierCentsAt, payoutAt, type CashedOut, type RoundCrashed } from '../../../actors/crash/index.ts';
import { CrashDriver, T0, seedWithFirstCrashAtLeast, seedWithInstantFirstCrash, testConfig } from './helpers.ts';

const W = 8_000; // betting window of testConfig

function cashOuts(events: readonly { type: string }[]): CashedOut[] {
  return events.filter((e): e is CashedOut => e.type === 'CashedOut');
}

describe('crash rounds (actor)', () => {
  describe('phases', () => {
    it('opens a round from the chain, takes bets until the start, runs, crashes at the crash point and pauses', () => {
      const d = new CrashDriver(testConfig(), seedWithFirstCrashAtLeast(300));
      const [opened] = d.open(T0);
      expect(opened).to.include({ type: 'RoundOpened', roundId: 'crash-1:1', number: 1, chainIndex: 1, opensAt: T0, startsAt: T0 + W });
      expect(d.state.phase).to.equal('betting');
      expect(d.deadline()).to.equal(T0 + W);
      d.must({ type: 'placeBet', betId: 'b1', playerId: 'alice', stakeMinor: 1000, autoCashOutCents: null, now: T0 + 10 });
      expect(d.tick(T0 + W)).to.deep.equal([{ type: 'RoundStarted', roundId: 'crash-1:1', startsAt: T0 + W }]);
      expect(d.state.phase).to.equal('running');
      const crashAt = T0 + W + d.round.crashElapsedMs;
      expect(d.deadline()).to.equal(crashAt);
      expect(d.tick(crashAt - 1)).to.deep.equal([]);
      const [crashed] = d.tick(crashAt) as RoundCrashed[];
      expect(crashed).to.include({ type: 'RoundCrashed', crashCents: d.round.crashCents, at: crashAt, nextOpenAt: crashAt + 3_000 });
      expect(crashed.lost).to.deep.equal([{ betId: 'b1', playerId: 'alice', stakeMinor: 1000 }]);
      expect(d.state.history[0]).to.deep.equal({ roundId: 'crash-1:1', number: 1, crashCents: d.round.crashCents });
      expect(d.state.phase).to.equal('crashed');
      // Next round only when due, with the chain's next element.
      expect(d.open(crashAt + 2_999)).to.deep.equal([]);
      const [next] = d.open(crashAt + 3_000);
      expect(next).to.include({ type: 'RoundOpened', number: 2, chainIndex: 2 });
    });

    it('idles when nobody is present at the next round, and a late tick catches up every scheduled step at its own instant', () => {
      const d = new CrashDriver(testConfig(), seedWithFirstCrashAtLeast(200));
      d.open(T0);
      d.must({ type: 'placeBet', betId: 'b1', playerId: 'alice', stakeMinor: 1000, autoCashOutCents: 150, now: T0 });
      const late = d.must({ type: 'tick', now: T0 + 10 * 60_000, playersPresent: false, roundHash: null });
      expect(late.map((e) => e.type)).to.deep.equal(['RoundStarted', 'CashedOut', 'RoundCrashed', 'TableIdled']);
      const out = late[1] as CashedOut;
      expect(out).to.include({ multiplierCents: 150, reason: 'auto', at: T0 + W + msToReach(150) });
      expect(d.state.phase).to.equal('idle');
    });

    it('refuses a tick whose round hash is not the next chain element', () => {
      const d = new CrashDriver();
      const wrong = d.run({ type: 'tick', now: T0, playersPresent: true, roundHash: d.chain.roundHash(2) });
      expect(wrong.ok).to.equal(false);
      expect(!wrong.ok && wrong.rejection.code).to.equal('round/invalid_hash');
      expect(d.state.round).to.equal(null);
    });

    it('opens no round when the chain is used up, until a new chain is started', () => {
      const d = new CrashDriver(testConfig({ pauseMs: 0 }), seedWithFirstCrashAtLeast(101), 1);
      d.open(T0);
      d.tick(T0 + W + d.round.crashElapsedMs);
      expect(d.open(T0 + 60_000)).to.deep.equal([]);
      expect(d.state.phase).to.equal('crashed');
      const again = d.run({ type: 'startChain', terminalHash: d.chain.terminalHash, length: 0, salt: 's', now: T0 });
      expect(!again.ok && again.rejection.code).to.equal('chain/invalid');
    });
  });

  describe('bets', () => {
    const d0 = () => {
      const d = new CrashDriver(testConfig({ minBetMinor: 10, maxBetMinor: 10_000, maxStakePerPlayerPerRoundMinor: 5_000, maxPayoutPerBetMinor: 100_000, liabilityCapMinor: 1_000_000 }));
      d.open(T0);
      return d;
    };
    const code = (d: CrashDriver, over: Partial<{ betId: string; playerId: string; stakeMinor: number; autoCashOutCents: number | null; now: number }>) => {
      const r = d.run({ type: 'placeBet', betId: 'b', playerId: 'p', stakeMinor: 100, autoCashOutCents: null, now: T0 + 1, ...over });
      return r.ok ? 'ok' : r.rejection.code;
    };

    it('takes one bet per player per round, within the limits, with an optional auto cash-out of at least 1.01×', () => {
      const d = d0();
      expect(code(d, { stakeMinor: 0 })).to.equal('bet/invalid_stake');
      expect(code(d, { stakeMinor: 12.5 })).to.equal('bet/invalid_stake');
      expect(code(d, { stakeMinor: 9 })).to.equal('bet/below_min');
      expect(code(d, { stakeMinor: 10_001 })).to.equal('bet/above_max');
      expect(code(d, { stakeMinor: 5_001 })).to.equal('bet/player_limit');
      expect(code(d, { autoCashOutCents: 100 })).to.equal('bet/invalid_auto_cashout');
      expect(code(d, { autoCashOutCents: 150.5 })).to.equal('bet/invalid_auto_cashout');
      expect(code(d, { stakeMinor: 5_000, autoCashOutCents: 2001 })).to.equal('bet/payout_limit'); // pays 100,050 > 100,000
      expect(code(d, { stakeMinor: 5_000, autoCashOutCents: 2000 })).to.equal('ok');
      expect(code(d, { betId: 'b2' })).to.equal('bet/one_per_round');
      expect(code(d, { playerId: 'q' })).to.equal('bet/duplicate');
      expect(code(d, { betId: 'late', playerId: 'r', now: T0 + W })).to.equal('bet/betting_closed');
      expect(d.round.bets).to.have.length(1);
      expect(d.round.bets[0]).to.include({ betId: 'b', stakeMinor: 5_000, autoCashOutCents: 2000, capCents: 2000 });
    });

    it("refuses a bet that would put the round's stakes at the liability cap by 1.01×", () => {
      const d = new CrashDriver(testConfig({ liabilityCapMinor: 10_100, maxBetMinor: 100_000, maxStakePerPlayerPerRoundMinor: 100_000 }));
      d.open(T0);
      d.must({ type: 'placeBet', betId: 'a', playerId: 'a', stakeMinor: 9_000, autoCashOutCents: null, now: T0 });
      expect(code(d, { stakeMinor: 1_001 })).to.equal('bet/table_limit');
      expect(code(d, { stakeMinor: 1_000 })).to.equal('ok');
    });
  });

  describe('cash-out against the crash instant', () => {
    let d: CrashDriver;
    let startsAt: number;
    let crashAt: number;
    beforeEach(() => {
      d = new CrashDriver(testConfig(), seedWithFirstCrashAtLeast(250));
      d.open(T0);
      for (const p of ['before', 'at', 'after']) d.must({ type: 'placeBet', betId: `b-${p}`, playerId: p, stakeMinor: 1_000, autoCashOutCents: null, now: T0 });
      startsAt = T0 + W;
      crashAt = startsAt + d.round.crashElapsedMs;
    });

    it('pays a cash-out one millisecond before the crash at the floored multiplier of that instant', () => {
      const events = d.must({ type: 'cashOut', playerId: 'before', now: crashAt - 1 });
      const [out] = cashOuts(events);
      const m = multiplierCentsAt(crashAt - 1 - startsAt);
      expect(m).to.be.at.most(d.round.crashCents);
      expect(out).to.include({ reason: 'manual', multiplierCents: m, elapsedMs: crashAt - 1 - startsAt, at: crashAt - 1 });
      expect(out.cashOuts).to.deep.equal([{ betId: 'b-before', playerId: 'before', stakeMinor: 1_000, payoutMinor: payoutAt(1_000, m) }]);
    });

    it('refuses a cash-out at the crash instant and after it (cashout/crashed)', () => {
      for (const [who, now] of [['at', crashAt], ['after', crashAt + 5_000]] as const) {
        const r = d.run({ type: 'cashOut', playerId: who, now });
        expect(!r.ok && r.rejection.code).to.equal('cashout/crashed');
      }
      expect(d.state.phase).to.equal('betting'); // a refusal changes nothing; the tick runs and crashes it
      const crashed = d.tick(crashAt).at(-1) as RoundCrashed;
      expect(crashed.lost.map((l) => l.playerId)).to.have.members(['before', 'at', 'after']);
    });

    it('refuses a cash-out before the start, a second one, and one without a bet', () => {
      const early = d.run({ type: 'cashOut', playerId: 'before', now: startsAt - 1 });
      expect(!early.ok && early.rejection.code).to.equal('cashout/not_running');
      d.must({ type: 'cashOut', playerId: 'before', now: startsAt + 1000 });
      const twice = d.run({ type: 'cashOut', playerId: 'before', now: startsAt + 2000 });
      expect(!twice.ok && twice.rejection.code).to.equal('cashout/already');
      const none = d.run({ type: 'cashOut', playerId: 'nobody', now: startsAt + 2000 });
      expect(!none.ok && none.rejection.code).to.equal('cashout/no_bet');
    });

    it('a cash-out in the first 166 ms returns the stake (1.00×)', () => {
      const [out] = cashOuts(d.must({ type: 'cashOut', playerId: 'before', now: startsAt + 100 }));
      expect(out.multiplierCents).to.equal(100);
      expect(out.cashOuts[0]!.payoutMinor).to.equal(1_000);
    });
  });

  describe('auto cash-out', () => {
    it('fires exactly at its target when the target is at or below the crash point, and never above it', () => {
      const d = new CrashDriver(testConfig(), seedWithFirstCrashAtLeast(300, 10, 100_000));
      d.open(T0);
      const crashCents = d.round.crashCents;
      d.must({ type: 'placeBet', betId: 'low', playerId: 'low', stakeMinor: 777, autoCashOutCents: 123, now: T0 });
      d.must({ type: 'placeBet', betId: 'exact', playerId: 'exact', stakeMinor: 1_000, autoCashOutCents: crashCents, now: T0 });
      d.must({ type: 'placeBet', betId: 'above', playerId: 'above', stakeMinor: 1_000, autoCashOutCents: crashCents + 1, now: T0 });
      const startsAt = T0 + W;
      expect(d.tick(startsAt).map((e) => e.type)).to.deep.equal(['RoundStarted']);
      expect(d.deadline()).to.equal(startsAt + msToReach(123));
      const [low] = cashOuts(d.tick(startsAt + msToReach(123)));
      expect(low).to.include({ reason: 'auto', multiplierCents: 123, at: startsAt + msToReach(123) });
      expect(low.cashOuts[0]!.payoutMinor).to.equal(955); // floor(777 × 1.23 = 955.71)
      const rest = d.tick(startsAt + d.round.crashElapsedMs);
      const [exact] = cashOuts(rest);
      expect(exact).to.include({ multiplierCents: crashCents, reason: 'auto' });
      expect(exact.cashOuts[0]!.payoutMinor).to.equal(payoutAt(1_000, crashCents));
      const crashed = rest.at(-1) as RoundCrashed;
      expect(crashed.lost.map((l) => l.playerId)).to.deep.equal(['above']);
      expect(crashed.totals).to.deep.equal({ betCount: 3, stakeMinor: 2_777, payoutMinor: 955 + payoutAt(1_000, crashCents) });
    });

    it('an instant crash pays nobody, even at 1.01×', () => {
      const d = new CrashDriver(testConfig(), seedWithInstantFirstCrash());
      d.open(T0);
      expect(d.round.instant).to.equal(true);
      d.must({ type: 'placeBet', betId: 'b', playerId: 'p', stakeMinor: 1_000, autoCashOutCents: 101, now: T0 });
      const events = d.tick(T0 + W);
      expect(events.map((e) => e.type)).to.deep.equal(['RoundStarted', 'RoundCrashed']);
      expect(events[1]).to.include({ crashCents: 100, instant: true, elapsedMs: 0, at: T0 + W });
      const r = d.run({ type: 'cashOut', playerId: 'p', now: T0 + W });
      expect(!r.ok && r.rejection.code).to.equal('cashout/crashed');
    });
  });

  describe('limits on the run', () => {
    it('cashes a bet out at its max-payout multiplier', () => {
      const d = new CrashDriver(testConfig({ maxPayoutPerBetMinor: 3_000 }), seedWithFirstCrashAtLeast(400));
      d.open(T0);
      d.must({ type: 'placeBet', betId: 'b', playerId: 'p', stakeMinor: 1_000, autoCashOutCents: null, now: T0 });
      const [out] = cashOuts(d.tick(T0 + W + msToReach(300)));
      expect(out).to.include({ reason: 'max_payout', multiplierCents: 300 });
      expect(out.cashOuts[0]!.payoutMinor).to.equal(3_000);
    });

    it('cashes out everyone still in when stake × multiplier over them reaches the liability cap', () => {
      const d = new CrashDriver(testConfig({ liabilityCapMinor: 10_000, maxBetMinor: 5_000, maxStakePerPlayerPerRoundMinor: 5_000 }), seedWithFirstCrashAtLeast(500));
      d.open(T0);
      // In: 2,000 + 1,000 + 1,000 (auto 1.50×) + 500 (manual at 1.60×). After the auto and the manual
      // cash-out 3,000 is in, so the cap is reached at ⌈10,000 × 100 / 3,000⌉ = 334 (3.34×).
      d.must({ type: 'placeBet', betId: 'a', playerId: 'a', stakeMinor: 2_000, autoCashOutCents: null, now: T0 });
      d.must({ type: 'placeBet', betId: 'b', playerId: 'b', stakeMinor: 1_000, autoCashOutCents: 400, now: T0 });
      d.must({ type: 'placeBet', betId: 'c', playerId: 'c', stakeMinor: 1_000, autoCashOutCents: 150, now: T0 });
      d.must({ type: 'placeBet', betId: 'm', playerId: 'm', stakeMinor: 500, autoCashOutCents: null, now: T0 });
      const startsAt = T0 + W;
      d.tick(startsAt);
      // With 4,500 in the cap would come at ⌈1,000,000 / 4,500⌉ = 223 (2.23×).
      expect(d.deadline()).to.equal(startsAt + msToReach(150));
      d.tick(startsAt + msToReach(150));
      d.must({ type: 'cashOut', playerId: 'm', now: startsAt + msToReach(160) });
      expect(d.round.stakeInMinor).to.equal(3_000);
      expect(d.deadline()).to.equal(startsAt + msToReach(334));
      const [cap] = cashOuts(d.tick(startsAt + msToReach(334)));
      expect(cap).to.include({ reason: 'liability_cap', multiplierCents: 334 });
      expect(cap.cashOuts.map((c) => [c.playerId, c.payoutMinor])).to.deep.equal([['a', 6_680], ['b', 3_340]]);
      expect(cap.cashOuts.reduce((s, c) => s + c.payoutMinor, 0)).to.be.at.least(10_000);
      const crashed = d.tick(startsAt + d.round.crashElapsedMs).at(-1) as RoundCrashed;
      expect(crashed.lost).to.deep.equal([]);
    });

    it('a manual cash-out after the cap instant gets the cap, decided at its own time', () => {
      const d = new CrashDriver(testConfig({ liabilityCapMinor: 2_000 }), seedWithFirstCrashAtLeast(300));
      d.open(T0);
      d.must({ type: 'placeBet', betId: 'a', playerId: 'a', stakeMinor: 1_000, autoCashOutCents: null, now: T0 });
      const startsAt = T0 + W;
      // No tick since the start: the cash-out at 2.5× is late for the cap at 2.00×.
      const events = d.must({ type: 'cashOut', playerId: 'a', now: startsAt + msToReach(250) });
      expect(events.map((e) => e.type)).to.deep.equal(['RoundStarted', 'CashedOut']);
      expect(events[1]).to.include({ reason: 'liability_cap', multiplierCents: 200 });
    });
  });
});
