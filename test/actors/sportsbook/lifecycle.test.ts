import { expect } from 'chai';
import { decide, nextDeadline, publicView } from '../../../actors/sportsbook/index.ts';
import { EVENT_ID, EventDriver, KICK_OFF, T0, ofType, types } from './helpers.ts';

describe('sportsbook event lifecycle', () => {
  it('creates a scheduled event with every market open and priced', () => {
    const d = new EventDriver();
    const view = publicView(d.s);
    expect(view).to.include({ eventId: EVENT_ID, status: 'scheduled', phase: 'scheduled', suspended: false, minute: 0 });
    expect(view.markets.map((m) => m.marketId)).to.deep.equal(['1x2', 'ou_0.5', 'ou_1.5', 'ou_2.5', 'ou_3.5', 'ou_4.5', 'btts', 'next_goal_1', 'correct_score']);
    for (const market of view.markets) {
      expect(market.status).to.equal('open');
      for (const s of market.selections) expect(s.priceMilli, `${market.marketId}:${s.selectionId}`).to.be.greaterThan(1000);
    }
    expect(view.markets.find((m) => m.marketId === 'correct_score')!.selections).to.have.length(26);
    expect(nextDeadline(d.s)).to.equal(null);
  });

  it('rejects a second create, bad inputs, and commands before create', () => {
    const d = new EventDriver();
    d.rejected({ type: 'create', eventId: 'x', league: 'E0', home: 'a', away: 'b', lambdaHome: 1, lambdaAway: 1, startsAt: KICK_OFF, now: T0 }, 'event/exists');
    const bad = (patch: object) => decide(null, { type: 'create', eventId: 'x', league: 'E0', home: 'a', away: 'b', lambdaHome: 1, lambdaAway: 1, startsAt: KICK_OFF, now: T0, ...patch } as never);
    for (const patch of [{ lambdaHome: 0 }, { lambdaAway: Number.NaN }, { eventId: '' }, { startsAt: -1 }, { now: 1.5 }, { config: { betDelayMs: -1 } }, { config: { minStakeMinor: 100, maxStakeMinor: 10 } }]) {
      const decision = bad(patch);
      expect(!decision.ok && decision.rejection.code, JSON.stringify(patch)).to.equal('command/invalid');
    }
    const early = decide(null, { type: 'tick', now: T0 });
    expect(!early.ok && early.rejection.code).to.equal('event/not_found');
  });

  it('runs scheduled → first half → half time → second half → finished', () => {
    const d = new EventDriver();
    d.kickOff();
    expect(publicView(d.s)).to.include({ status: 'in_play', phase: 'first_half' });
    d.advance(60_000).feed({ type: 'clock', minute: 30 });
    expect(d.s.minute).to.equal(30);
    d.advance(60_000).feed({ type: 'half_time' });
    expect(d.s.phase).to.equal('half_time');
    d.advance(60_000).feed({ type: 'second_half_kick_off' });
    expect(d.s).to.include({ phase: 'second_half', minute: 45 });
    d.advance(60_000).feed({ type: 'full_time' });
    expect(publicView(d.s)).to.include({ status: 'finished', phase: 'finished' });
    expect(d.s.markets.every((m) => m.result !== null)).to.equal(true);
    expect(nextDeadline(d.s)).to.equal(null);
    d.rejected({ type: 'feed', message: d.message({ type: 'clock', minute: 95 }), now: d.now }, 'feed/event_closed');
  });

  it('ignores (but sequences past) incidents that do not fit the phase', () => {
    const d = new EventDriver();
    const events = d.feed({ type: 'goal', team: 'home' });
    expect(types(events)).to.deep.equal(['FeedIgnored']);
    expect(d.s.score).to.deep.equal({ home: 0, away: 0 });
    expect(d.s.feed.lastSeq).to.equal(1);
    d.kickOff();
    expect(types(d.feed({ type: 'second_half_kick_off' }))).to.deep.equal(['FeedApplied', 'PricesUpdated']); // a lost half_time is tolerated
    expect(types(d.feed({ type: 'half_time' }))).to.deep.equal(['FeedIgnored']);
  });

  it('rejects feed messages for another event, duplicates and malformed ones without changing anything', () => {
    const d = new EventDriver();
    d.kickOff();
    d.rejected({ type: 'feed', message: { ...d.message({ type: 'clock', minute: 3 }), eventId: 'other' }, now: d.now }, 'feed/wrong_event');
    d.rejected({ type: 'feed', message: d.message({ type: 'clock', minute: 3 }, 1), now: d.now }, 'feed/duplicate');
    d.rejected({ type: 'feed', message: { ...d.message({ type: 'goal', team: 'home' }), team: 'both' } as never, now: d.now }, 'feed/malformed');
  });

  it('applies out-of-order messages in seq order once the missing one arrives', () => {
    const d = new EventDriver();
    d.kickOff(); // seq 1
    const later = d.message({ type: 'clock', minute: 2 }, 3);
    const earlier = d.message({ type: 'goal', team: 'away' }, 2);
    expect(types(d.ok({ type: 'feed', message: later, now: d.now }))).to.deep.equal(['FeedBuffered']);
    expect(d.s.score.away).to.equal(0);
    d.rejected({ type: 'feed', message: later, now: d.now }, 'feed/duplicate');
    const events = d.ok({ type: 'feed', message: earlier, now: d.now });
    expect(ofType(events, 'FeedApplied').map((e) => e.message.seq)).to.deep.equal([2, 3]);
    expect(d.s).to.deep.include({ minute: 2, score: { home: 0, away: 1 } });
    expect(d.s.feed).to.deep.equal({ lastSeq: 3, buffer: [] });
  });

  it('skips a feed gap after the reorder window, suspends, and resumes when a clock snapshot confirms the state', () => {
    const d = new EventDriver({ reorderWindowMs: 4_000 });
    d.kickOff();
    d.seq = 2; // seq 2 is lost
    d.feed({ type: 'red_card', team: 'home' }); // seq 3: buffered
    expect(d.s.feed.buffer).to.have.length(1);
    expect(nextDeadline(d.s)).to.equal(d.now + 4_000);
    d.tick(d.now + 3_999);
    expect(d.s.feed.buffer).to.have.length(1);
    const events = d.tick(d.now + 1);
    expect(types(events).slice(0, 3)).to.deep.equal(['FeedGapSkipped', 'MarketsSuspended', 'FeedApplied']);
    expect(ofType(events, 'FeedGapSkipped')[0]).to.include({ fromSeq: 2, toSeq: 2 });
    expect(d.s.autoSuspension).to.include({ reason: 'feed_gap', resumeAt: null });
    expect(d.s.reds.home).to.equal(1);
    d.advance(60_000).tick(); // time alone does not resume a gap suspension
    expect(d.s.autoSuspension?.reason).to.equal('feed_gap');
    d.feed({ type: 'clock', minute: 5, period: 'first_half', score: { home: 0, away: 0 }, reds: { home: 1, away: 0 } });
    expect(d.s.autoSuspension).to.equal(null);
    expect(publicView(d.s).markets.every((m) => m.status === 'open')).to.equal(true);
  });

  it('catches up on goals lost in a gap from the clock snapshot', () => {
    const d = new EventDriver();
    d.kickOff();
    d.seq = 3; // seq 2 and 3 (two home goals) are lost; seq 4 overflows nothing but waits
    d.feed({ type: 'clock', minute: 20, period: 'first_half', score: { home: 2, away: 0 }, reds: { home: 0, away: 0 } });
    const events = d.tick(d.now + d.s.config.reorderWindowMs);
    expect(d.s.score).to.deep.equal({ home: 2, away: 0 });
    const settled = ofType(events, 'MarketSettled').map((e) => [e.marketId, e.result.kind === 'winner' ? e.result.selectionId : 'void']);
    expect(settled).to.deep.include.members([
      ['next_goal_1', 'home'],
      ['ou_0.5', 'over'],
      ['ou_1.5', 'over'],
    ]);
    // next_goal_2 was never offered (goal 2 came before anyone could back it); goal 3 is open.
    expect(d.s.markets.map((m) => m.marketId)).to.not.include('next_goal_2');
    expect(d.market('next_goal_3').result).to.equal(null);
    expect(d.s.autoSuspension).to.include({ reason: 'goal' }); // re-priced after a catch-up like after a goal
  });

  it('voids the next-goal markets whose scorer order is unknown after a gap', () => {
    const d = new EventDriver();
    d.kickOff();
    d.seq = 3;
    d.feed({ type: 'clock', minute: 20, period: 'first_half', score: { home: 1, away: 1 }, reds: { home: 0, away: 0 } });
    const events = d.tick(d.now + d.s.config.reorderWindowMs);
    expect(ofType(events, 'MarketVoided').map((e) => [e.marketId, e.reason])).to.deep.equal([['next_goal_1', 'scorer_unknown']]);
    expect(d.market('btts').result).to.deep.equal({ kind: 'winner', selectionId: 'yes' });
  });

  it('stays suspended after a gap when the snapshot contradicts the state', () => {
    const d = new EventDriver();
    d.kickOff();
    d.feed({ type: 'goal', team: 'home' }); // seq 2
    d.seq = 3;
    d.feed({ type: 'clock', minute: 20, period: 'first_half', score: { home: 0, away: 0 }, reds: { home: 0, away: 0 } });
    d.tick(d.now + d.s.config.reorderWindowMs);
    expect(d.s.score.home).to.equal(1);
    expect(d.s.autoSuspension?.reason).to.equal('feed_gap');
    // An operator can lift it.
    d.ok({ type: 'resumeEvent', reason: 'score checked by trader', by: 'op-1', now: d.now });
    expect(d.s.autoSuspension).to.equal(null);
  });

  it('takes an operator event suspension and resume', () => {
    const d = new EventDriver();
    d.ok({ type: 'suspendEvent', reason: 'integrity alert', by: 'op-1', now: d.now });
    expect(publicView(d.s)).to.include({ suspended: true, suspendReason: 'operator' });
    d.rejected({ type: 'suspendEvent', reason: 'again', by: 'op-1', now: d.now }, 'event/no_change');
    d.rejected(d.bet('b1', '1x2', 'home', 1_000), 'bet/market_suspended');
    d.ok({ type: 'resumeEvent', reason: 'cleared', by: 'op-1', now: d.now });
    d.rejected({ type: 'resumeEvent', reason: 'again', by: 'op-1', now: d.now }, 'event/no_change');
    d.ok(d.bet('b1', '1x2', 'home', 1_000));
  });
});

describe('sportsbook automatic suspension and re-pricing', () => {
  function inPlay(config = {}) {
    const d = new EventDriver(config);
    d.kickOff();
    d.advance(600_000).feed({ type: 'clock', minute: 10 });
    return d;
  }

  for (const incident of [{ type: 'goal', team: 'home' }, { type: 'red_card', team: 'away' }] as const) {
    it(`suspends every market on a ${incident.type} and resumes them re-priced after resumeAfterMs`, () => {
      const d = inPlay({ resumeAfterMs: 8_000 });
      d.advance(1_000).feed(incident);
      expect(d.s.autoSuspension).to.deep.equal({ reason: incident.type, since: d.now, resumeAt: d.now + 8_000 });
      const open = publicView(d.s).markets.filter((m) => m.status !== 'settled');
      expect(open.every((m) => m.status === 'suspended')).to.equal(true);
      expect(nextDeadline(d.s)).to.equal(d.now + 8_000);
      d.tick(d.now + 7_999);
      expect(d.s.autoSuspension).to.not.equal(null);
      const events = d.tick(d.now + 1);
      expect(types(events)[0]).to.equal('MarketsResumed');
      expect(publicView(d.s).markets.filter((m) => m.status !== 'settled').every((m) => m.status === 'open')).to.equal(true);
    });
  }

  it('holds a penalty suspension until the kick is taken (or the cap), then re-prices', () => {
    const d = inPlay({ resumeAfterMs: 8_000, penaltyResumeAfterMs: 60_000 });
    d.feed({ type: 'penalty_awarded', team: 'home' });
    expect(d.s.autoSuspension).to.include({ reason: 'penalty', resumeAt: d.now + 60_000 });
    d.advance(20_000).feed({ type: 'goal', team: 'home' });
    expect(d.s.autoSuspension).to.include({ reason: 'goal', resumeAt: d.now + 8_000 }); // the goal ends the penalty wait
    d.tick(d.now + 8_000);
    expect(d.s.autoSuspension).to.equal(null);
    d.feed({ type: 'penalty_awarded', team: 'away' });
    d.advance(30_000).feed({ type: 'penalty_missed', team: 'away' });
    expect(d.s.autoSuspension).to.include({ reason: 'penalty_missed', resumeAt: d.now + 8_000 });
    d.feed({ type: 'penalty_awarded', team: 'away' });
    d.tick(d.now + 60_000);
    expect(d.s.autoSuspension).to.equal(null); // nothing reported: the cap ends it
  });

  it('never shortens a running suspension when a second incident follows', () => {
    const d = inPlay({ resumeAfterMs: 8_000 });
    d.feed({ type: 'red_card', team: 'home' });
    const first = d.s.autoSuspension!.resumeAt!;
    d.advance(3_000).feed({ type: 'goal', team: 'away' });
    expect(d.s.autoSuspension!.resumeAt).to.equal(Math.max(first, d.now + 8_000));
  });

  it('shortens the scorer’s 1X2 price and lengthens the opponent’s on a goal', () => {
    const d = inPlay();
    const before = { home: d.price('1x2', 'home'), away: d.price('1x2', 'away') };
    d.feed({ type: 'goal', team: 'home' });
    expect(d.price('1x2', 'home')).to.be.lessThan(before.home);
    expect(d.price('1x2', 'away')).to.be.greaterThan(before.away);
  });

  it('lengthens a side’s price when it gets a red card', () => {
    const d = inPlay();
    const before = d.price('1x2', 'home');
    d.feed({ type: 'red_card', team: 'home' });
    expect(d.price('1x2', 'home')).to.be.greaterThan(before);
  });

  it('shortens the draw and the under as time runs out at 0-0', () => {
    const d = inPlay();
    const draw = d.price('1x2', 'draw');
    const under = d.price('ou_2.5', 'under');
    d.advance(60_000).feed({ type: 'half_time' });
    d.feed({ type: 'second_half_kick_off' });
    d.advance(60_000).feed({ type: 'clock', minute: 80 });
    expect(d.price('1x2', 'draw')).to.be.lessThan(draw);
    expect(d.price('ou_2.5', 'under')).to.be.lessThan(under);
  });

  it('closes trading near the end of the match', () => {
    const d = inPlay({ tradingClosesAtMinute: 89 });
    d.feed({ type: 'half_time' });
    d.feed({ type: 'second_half_kick_off' });
    d.feed({ type: 'clock', minute: 88.9 });
    d.ok(d.bet('b1', '1x2', 'draw', 1_000));
    d.feed({ type: 'clock', minute: 89 });
    expect(publicView(d.s).markets.every((m) => m.status === 'suspended')).to.equal(true);
    d.rejected(d.bet('b2', '1x2', 'draw', 1_000), 'bet/market_closed');
    const events = d.tick(d.now + d.s.config.betDelayMs);
    expect(ofType(events, 'BetRejected')[0]).to.include({ betId: 'b1', code: 'bet/market_closed' });
  });
});
