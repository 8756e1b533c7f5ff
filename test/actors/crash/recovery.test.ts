import { expect } from 'chai';
import { decide, evolve, initialCrashState, msToReach, recoveryCommand, type CashedOut, type CrashEvent, type RoundCrashed, type RoundVoided } from '../../../actors/crash/index.ts';
import { CrashDriver, T0, TABLE_ID, seedWithFirstCrashAtLeast, testConfig } from './helpers.ts';

const W = 8_000;

function replay(d: CrashDriver) {
  return d.journal.reduce(evolve, initialCrashState(TABLE_ID, d.state.config));
}

function recoverAt(d: CrashDriver, now: number): CrashEvent[] {
  const state = replay(d);
  expect(state).to.deep.equal(d.state); // the journal rebuilds the table exactly
  const decision = decide(state, recoveryCommand(now));
  expect(decision.ok).to.equal(true);
  return decision.ok ? decision.events : [];
}

describe('crash recovery after a restart (actor rule, docs/FAIRNESS.md)', () => {
  let d: CrashDriver;
  beforeEach(() => {
    d = new CrashDriver(testConfig(), seedWithFirstCrashAtLeast(300, 10, 5_000));
    d.open(T0);
    d.must({ type: 'placeBet', betId: 'auto', playerId: 'auto', stakeMinor: 1_000, autoCashOutCents: 150, now: T0 });
    d.must({ type: 'placeBet', betId: 'high', playerId: 'high', stakeMinor: 2_000, autoCashOutCents: d.round.crashCents + 1, now: T0 });
    d.must({ type: 'placeBet', betId: 'manual', playerId: 'manual', stakeMinor: 500, autoCashOutCents: null, now: T0 });
  });

  it('betting was open: the round is voided, every stake refunded, and its hash revealed', () => {
    const [voided] = recoverAt(d, T0 + 3_000) as RoundVoided[];
    expect(voided).to.include({ type: 'RoundVoided', roundId: 'crash-1:1', reason: 'interrupted', roundHash: d.round.roundHash, at: T0 + 3_000, nextOpenAt: T0 + 6_000 });
    expect(voided.refunds).to.deep.equal([
      { betId: 'auto', playerId: 'auto', stakeMinor: 1_000 },
      { betId: 'high', playerId: 'high', stakeMinor: 2_000 },
      { betId: 'manual', playerId: 'manual', stakeMinor: 500 },
    ]);
    d.apply(voided);
    // The chain goes on from the revealed hash: the next round uses the next element.
    const [next] = d.open(T0 + 6_000);
    expect(next).to.include({ type: 'RoundOpened', number: 2, chainIndex: 2 });
  });

  it('running, died after the crash time: auto cash-outs below the crash point pay, everyone still in loses', () => {
    d.tick(T0 + W);
    const crashAt = T0 + W + d.round.crashElapsedMs;
    const events = recoverAt(d, crashAt + 60_000);
    expect(events.map((e) => e.type)).to.deep.equal(['CashedOut', 'RoundCrashed']);
    expect(events[0]).to.include({ reason: 'auto', multiplierCents: 150, at: T0 + W + msToReach(150) });
    const crashed = events[1] as RoundCrashed;
    expect(crashed).to.include({ at: crashAt, crashCents: d.round.crashCents });
    expect(crashed.lost.map((l) => l.playerId)).to.deep.equal(['high', 'manual']);
  });

  it('running, back before the crash time: due auto cash-outs pay and the round goes on', () => {
    d.tick(T0 + W);
    const back = T0 + W + msToReach(200);
    const events = recoverAt(d, back);
    expect(events.map((e) => e.type)).to.deep.equal(['CashedOut']);
    expect((events[0] as CashedOut).cashOuts[0]!.playerId).to.equal('auto');
    for (const e of events) d.apply(e);
    expect(d.state.phase).to.equal('running');
    const cashed = d.must({ type: 'cashOut', playerId: 'manual', now: back + 10 });
    expect(cashed.at(-1)).to.include({ reason: 'manual' });
  });

  it('a crashed (settled) round needs nothing', () => {
    d.tick(T0 + W + d.round.crashElapsedMs);
    expect(recoverAt(d, T0 + 100_000)).to.deep.equal([]);
  });
});
