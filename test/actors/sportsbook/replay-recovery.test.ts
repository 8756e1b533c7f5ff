import { expect } from 'chai';
import fc from 'fast-check';
import { allBets, decide, evolve, getBet, recoveryCommand, replay, type EventState, type SportsEvent } from '../../../actors/sportsbook/index.ts';
import { EventDriver, ofType, types } from './helpers.ts';
import { MatchRun, RUN_KICK_OFF } from './match-run.ts';

describe('sportsbook replay, recovery and reconciliation', () => {
  it('rebuilds the exact state from the journal of a whole match with bets and cash-outs', () => {
    const run = new MatchRun('replay-1');
    run.runUntil(RUN_KICK_OFF + 40_000);
    expect(replay(run.journal)).to.deep.equal(run.state);
    run.runUntil();
    expect(run.finished).to.equal(true);
    expect(allBets(run.s).length).to.be.greaterThan(50);
    expect(replay(run.journal)).to.deep.equal(run.state);
    // Journals survive serialisation (the store keeps JSON).
    expect(replay(JSON.parse(JSON.stringify(run.journal)) as SportsEvent[])).to.deep.equal(run.state);
  });

  it('replays any prefix of any random match to the state it was decided on (property over feeds, bettors and cut points)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 300, max: 3_000 }), (seed, cut, betEveryMs) => {
        const run = new MatchRun(`prop:${seed}`, {}, betEveryMs, seed.length % 5 === 0 ? 1 : 0);
        run.runUntil(RUN_KICK_OFF + Math.floor(cut * 120_000));
        // As stored: the journal is JSON in the store.
        expect(replay(JSON.parse(JSON.stringify(run.journal)) as SportsEvent[])).to.deep.equal(run.state);
      }),
      { numRuns: 12, seed: 1203 },
    );
  });

  it('decides the same events from the same commands (deterministic)', () => {
    const a = new MatchRun('determinism');
    const b = new MatchRun('determinism');
    a.runUntil();
    b.runUntil();
    expect(b.journal).to.deep.equal(a.journal);
  });

  it('reconciles the books over many simulated matches: every hold resolved, money conserved, totals explain the house result', () => {
    let bets = 0;
    const outcomes = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const run = new MatchRun(`reconcile-${i}`, {}, 800, i % 4 === 3 ? 1 : 0);
      run.runUntil();
      expect(run.finished).to.equal(true);
      run.wallet.expectReconciled();
      const all = allBets(run.s);
      bets += all.length;
      for (const bet of all) {
        expect(['rejected', 'settled'], `${bet.betId} left ${bet.status}`).to.include(bet.status);
        outcomes.add(bet.status === 'settled' ? bet.outcome! : bet.rejectionCode!);
      }
      expect(run.s.pending).to.deep.equal([]);
      expect(run.s.liabilityMinor).to.deep.equal({});
    }
    expect(bets).to.be.greaterThan(1_000);
    expect([...outcomes]).to.include.members(['won', 'lost', 'cashed_out', 'void', 'bet/market_suspended']);
  });

  it('reconciles operator voids and re-settlements as new transfers', () => {
    const run = new MatchRun('resettle');
    run.runUntil();
    const settled = run.s.markets.find((m) => m.marketId === '1x2')!;
    const other = settled.selections.find((s) => settled.result?.kind === 'winner' && s.selectionId !== settled.result.selectionId)!;
    expect(run.send({ type: 'resettle', marketId: '1x2', result: { winner: other.selectionId }, reason: 'review', by: 'op', now: run.now })).to.equal(true);
    expect(run.send({ type: 'voidMarket', marketId: 'btts', reason: 'data', by: 'op', now: run.now })).to.equal(true);
    run.wallet.expectReconciled();
    expect(replay(run.journal)).to.deep.equal(run.state);
  });

  it('on recovery rejects every bet and cash-out still in its delay and suspends until a clock confirms the state', () => {
    const run = new MatchRun('recovery', { betDelayMs: 5_000 }, 300);
    // Run into the first half until some bets are in their delay.
    let crashAt = RUN_KICK_OFF + 20_000;
    run.runUntil(crashAt);
    while (!allBets(run.s).some((b) => b.status === 'pending')) {
      crashAt += 200;
      run.runUntil(crashAt);
    }
    const pending = allBets(run.s).filter((b) => b.status === 'pending').map((b) => b.betId);
    // "Crash": keep only the journal, rebuild, recover two seconds later.
    const rebuilt = replay(run.journal) as EventState;
    expect(rebuilt).to.deep.equal(run.state);
    const restartAt = crashAt + 2_000;
    const decision = decide(rebuilt, recoveryCommand(restartAt));
    if (!decision.ok) expect.fail(decision.rejection.message);
    const rejected = ofType(decision.events, 'BetRejected');
    expect(rejected.map((e) => e.betId).sort()).to.deep.equal([...pending].sort());
    expect(rejected.every((e) => e.code === 'bet/interrupted')).to.equal(true);
    expect(ofType(decision.events, 'MarketsSuspended')[0]).to.include({ reason: 'recovery', resumeAt: null });
    for (const event of decision.events) {
      run.journal.push(event);
      run.wallet.apply(event);
      run.state = evolve(run.state, event);
    }
    expect(run.s.pending).to.deep.equal([]);
    // Recovering twice changes nothing more.
    const again = decide(run.state, recoveryCommand(restartAt));
    expect(again.ok && again.events).to.deep.equal([]);
    // The feed resumes; the next clock message confirms the state and trading goes on to full time.
    run.now = restartAt;
    run.skipFeedThrough(run.s.feed.lastSeq);
    run.runUntil();
    expect(run.finished).to.equal(true);
    expect(run.journal.some((e) => e.type === 'MarketsResumed' && e.at > restartAt)).to.equal(true);
    run.wallet.expectReconciled();
  });

  it('rejects a pending cash-out on recovery and keeps the bet open', () => {
    const d = new EventDriver({ betDelayMs: 5_000 });
    d.ok(d.bet('b1', '1x2', 'home', 10_000));
    d.kickOff();
    d.ok({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: 1, now: d.now });
    const rebuilt = replay(d.journal);
    const decision = decide(rebuilt, recoveryCommand(d.now + 1_000));
    if (!decision.ok) expect.fail(decision.rejection.message);
    expect(types(decision.events)).to.deep.equal(['CashOutRejected', 'MarketsSuspended']);
    expect(ofType(decision.events, 'CashOutRejected')[0]).to.include({ code: 'cashout/interrupted' });
    const after = decision.events.reduce<EventState>((s, e) => evolve(s, e), rebuilt as EventState);
    expect(getBet(after, 'b1')).to.include({ status: 'accepted', cashOut: null });
  });

  it('has nothing to do on recovery before kick-off with no bet in delay', () => {
    const d = new EventDriver();
    d.ok(d.bet('b1', '1x2', 'home', 1_000));
    const decision = decide(replay(d.journal), recoveryCommand(d.now + 1_000));
    expect(decision.ok && decision.events).to.deep.equal([]);
  });
});
