import { expect } from 'chai';
import { payoutOf, publicView, type BetOutcome, type MarketResult, type SportsEvent } from '../../../actors/sportsbook/index.ts';
import { EventDriver, ofType } from './helpers.ts';

function resultsOf(events: readonly SportsEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) {
    if (e.type === 'MarketSettled') out[e.marketId] = e.result.kind === 'winner' ? e.result.selectionId : 'void';
    if (e.type === 'MarketVoided') out[e.marketId] = 'void';
  }
  return out;
}

function outcomesOf(events: readonly SportsEvent[]): Record<string, BetOutcome> {
  const out: Record<string, BetOutcome> = {};
  for (const e of events) {
    if (e.type === 'MarketSettled' || e.type === 'MarketVoided') for (const o of e.outcomes) out[o.betId] = o;
    if (e.type === 'CashOutExecuted') out[e.betId] = e.outcome;
  }
  return out;
}

function winner(selectionId: string): MarketResult {
  return { kind: 'winner', selectionId };
}

describe('sportsbook settlement', () => {
  it('settles every market type from the final score (2-1)', () => {
    const d = new EventDriver();
    const stake = 1_000;
    const bets: Array<[string, string, string]> = [
      ['w-1x2', '1x2', 'home'],
      ['l-1x2', '1x2', 'draw'],
      ['w-ou05', 'ou_0.5', 'over'],
      ['w-ou25', 'ou_2.5', 'over'],
      ['l-ou25', 'ou_2.5', 'under'],
      ['w-ou35', 'ou_3.5', 'under'],
      ['w-btts', 'btts', 'yes'],
      ['l-btts', 'btts', 'no'],
      ['w-ng1', 'next_goal_1', 'home'],
      ['l-ng1', 'next_goal_1', 'none'],
      ['w-cs', 'correct_score', 'cs_2_1'],
      ['l-cs', 'correct_score', 'cs_1_1'],
      ['l-cso', 'correct_score', 'cs_other'],
    ];
    const prices: Record<string, number> = {};
    for (const [id, market, selection] of bets) {
      d.ok(d.bet(id, market, selection, stake));
      prices[id] = d.betOf(id).priceMilli;
    }
    d.kickOff();
    const all: SportsEvent[] = [];
    all.push(...d.advance(60_000).feed({ type: 'goal', team: 'home' }));
    d.tick(d.now + 10_000);
    d.ok(d.bet('w-ng2', 'next_goal_2', 'away', stake));
    all.push(...d.tick(d.now + 10_000));
    prices['w-ng2'] = d.betOf('w-ng2').priceMilli;
    all.push(...d.advance(60_000).feed({ type: 'goal', team: 'away' }));
    all.push(...d.advance(60_000).feed({ type: 'goal', team: 'home' }));
    all.push(...d.advance(60_000).feed({ type: 'full_time' }));

    expect(resultsOf(all)).to.deep.equal({
      next_goal_1: 'home',
      'ou_0.5': 'over',
      next_goal_2: 'away',
      'ou_1.5': 'over',
      btts: 'yes',
      next_goal_3: 'home',
      'ou_2.5': 'over',
      '1x2': 'home',
      'ou_3.5': 'under',
      'ou_4.5': 'under',
      correct_score: 'cs_2_1',
      next_goal_4: 'none',
    });
    const outcomes = outcomesOf(all);
    for (const [id] of [...bets, ['w-ng2']]) {
      const o = outcomes[id];
      expect(o, id).to.not.equal(undefined);
      if (id.startsWith('w-')) expect(o, id).to.include({ outcome: 'won', payoutMinor: payoutOf(stake, prices[id]) });
      else expect(o, id).to.include({ outcome: 'lost', payoutMinor: 0 });
    }
    expect(publicView(d.s).markets.every((m) => m.status === 'settled')).to.equal(true);
  });

  it('settles decided markets early: over 2.5 when the third goal goes in', () => {
    const d = new EventDriver();
    d.kickOff();
    d.feed({ type: 'goal', team: 'home' });
    d.feed({ type: 'goal', team: 'home' });
    expect(d.market('ou_2.5').result).to.equal(null);
    const events = d.feed({ type: 'goal', team: 'away' });
    expect(resultsOf(events)).to.deep.include({ 'ou_2.5': 'over', btts: 'yes', next_goal_3: 'away' });
    expect(d.market('ou_3.5').result).to.equal(null);
  });

  it('settles correct score as "any other score" once a side passes four goals', () => {
    const d = new EventDriver();
    d.ok(d.bet('other', 'correct_score', 'cs_other', 1_000));
    d.kickOff();
    for (let i = 0; i < 4; i++) d.feed({ type: 'goal', team: 'away' });
    expect(d.market('correct_score').result).to.equal(null);
    const events = d.feed({ type: 'goal', team: 'away' });
    expect(resultsOf(events).correct_score).to.equal('cs_other');
    expect(outcomesOf(events).other.outcome).to.equal('won');
  });

  it('voids every unsettled market on abandonment; markets already settled stand', () => {
    const d = new EventDriver();
    d.ok(d.bet('b-1x2', '1x2', 'home', 1_000));
    d.ok(d.bet('b-ng1', 'next_goal_1', 'home', 1_000));
    d.kickOff();
    d.feed({ type: 'goal', team: 'home' });
    d.tick(d.now + 10_000);
    d.ok(d.bet('b-pending', 'btts', 'yes', 1_000));
    const events = d.feed({ type: 'abandoned', reason: 'waterlogged pitch' });
    expect(ofType(events, 'BetRejected')[0]).to.include({ betId: 'b-pending', code: 'bet/market_closed' });
    expect(ofType(events, 'MarketSettled')).to.deep.equal([]);
    const voided = ofType(events, 'MarketVoided');
    expect(voided.map((e) => e.marketId).sort()).to.deep.equal(['1x2', 'btts', 'correct_score', 'next_goal_2', 'ou_1.5', 'ou_2.5', 'ou_3.5', 'ou_4.5']);
    expect(voided[0].reason).to.equal('abandoned: waterlogged pitch');
    expect(outcomesOf(events)['b-1x2']).to.deep.equal({ betId: 'b-1x2', playerId: 'p1', stakeMinor: 1_000, payoutMinor: 1_000, outcome: 'void', priceMilli: d.betOf('b-1x2').priceMilli });
    expect(d.betOf('b-ng1').outcome).to.equal('won');
    expect(publicView(d.s)).to.include({ status: 'abandoned' });
  });

  it('lets an operator void an open market, refunding its bets and rejecting those in delay', () => {
    const d = new EventDriver();
    d.ok(d.bet('b1', 'btts', 'yes', 1_000));
    d.kickOff();
    d.ok(d.bet('b2', 'btts', 'no', 1_000));
    const events = d.ok({ type: 'voidMarket', marketId: 'btts', reason: 'data error', by: 'op-7', now: d.now });
    expect(ofType(events, 'BetRejected')[0]).to.include({ betId: 'b2', code: 'bet/market_closed' });
    expect(ofType(events, 'MarketVoided')[0]).to.deep.include({ marketId: 'btts', by: 'op-7', reason: 'data error' });
    expect(outcomesOf(events).b1).to.include({ outcome: 'void', payoutMinor: 1_000 });
    expect(publicView(d.s).markets.find((m) => m.marketId === 'btts')!.status).to.equal('void');
    d.rejected(d.bet('b3', 'btts', 'yes', 1_000, { priceMilli: 2_000 }), 'bet/market_closed');
    d.rejected({ type: 'voidMarket', marketId: 'btts', reason: 'again', by: 'op-7', now: d.now }, 'market/no_change');
    d.rejected({ type: 'voidMarket', marketId: 'corners', reason: 'x', by: 'op-7', now: d.now }, 'market/not_found');
  });

  it('takes operator market suspension and resume', () => {
    const d = new EventDriver();
    d.ok({ type: 'suspendMarket', marketId: '1x2', reason: 'news', by: 'op', now: d.now });
    d.rejected({ type: 'suspendMarket', marketId: '1x2', reason: 'news', by: 'op', now: d.now }, 'market/no_change');
    expect(publicView(d.s).markets.find((m) => m.marketId === '1x2')!.status).to.equal('suspended');
    d.rejected(d.bet('b1', '1x2', 'home', 1_000), 'bet/market_suspended');
    d.ok(d.bet('b2', 'btts', 'yes', 1_000));
    d.ok({ type: 'resumeMarket', marketId: '1x2', reason: 'ok', by: 'op', now: d.now });
    d.rejected({ type: 'resumeMarket', marketId: '1x2', reason: 'ok', by: 'op', now: d.now }, 'market/no_change');
    d.ok(d.bet('b1', '1x2', 'home', 1_000));
  });

  it('re-settles with correction deltas relative to what was paid; cashed-out bets stand', () => {
    const d = new EventDriver();
    d.ok(d.bet('home', '1x2', 'home', 1_000));
    d.ok(d.bet('draw', '1x2', 'draw', 1_000));
    d.ok(d.bet('away', '1x2', 'away', 1_000));
    d.ok(d.bet('cashed', '1x2', 'home', 1_000, { playerId: 'p2' }));
    const drawPrice = d.betOf('draw').priceMilli;
    const homePrice = d.betOf('home').priceMilli;
    d.kickOff();
    d.feed({ type: 'goal', team: 'home' });
    d.tick(d.now + 10_000);
    d.ok({ type: 'cashOut', betId: 'cashed', playerId: 'p2', offerMinor: 1, now: d.now });
    d.tick(d.now + 10_000);
    expect(d.betOf('cashed').outcome).to.equal('cashed_out');
    d.feed({ type: 'full_time' });
    expect(d.market('1x2').result).to.deep.equal(winner('home'));

    d.rejected({ type: 'resettle', marketId: '1x2', result: { winner: 'home' }, reason: 'same', by: 'op', now: d.now }, 'market/no_change');
    d.rejected({ type: 'resettle', marketId: '1x2', result: { winner: 'nobody' }, reason: 'x', by: 'op', now: d.now }, 'command/invalid');
    const events = d.ok({ type: 'resettle', marketId: '1x2', result: { winner: 'draw' }, reason: 'goal disallowed after review', by: 'op', now: d.now });
    const resettled = ofType(events, 'MarketResettled')[0];
    expect(resettled).to.deep.include({ previous: winner('home'), result: winner('draw'), by: 'op' });
    expect(resettled.corrections.map((c) => [c.betId, c.previousOutcome, c.outcome, c.deltaMinor])).to.deep.equal([
      ['home', 'won', 'lost', -payoutOf(1_000, homePrice)],
      ['draw', 'lost', 'won', payoutOf(1_000, drawPrice)],
    ]);
    expect(d.betOf('draw')).to.include({ outcome: 'won', payoutMinor: payoutOf(1_000, drawPrice) });
    expect(d.market('1x2').resettlements).to.equal(1);

    // Voiding a settled market is a re-settlement to void: everyone gets the stake back, net of what was paid.
    const voided = ofType(d.ok({ type: 'voidMarket', marketId: '1x2', reason: 'match fixed', by: 'op', now: d.now }), 'MarketResettled')[0];
    expect(voided.corrections.map((c) => [c.betId, c.outcome, c.deltaMinor])).to.deep.equal([
      ['home', 'void', 1_000],
      ['draw', 'void', 1_000 - payoutOf(1_000, drawPrice)],
      ['away', 'void', 1_000],
    ]);
  });

  it('only re-settles settled or void markets', () => {
    const d = new EventDriver();
    d.rejected({ type: 'resettle', marketId: '1x2', result: { winner: 'home' }, reason: 'x', by: 'op', now: d.now }, 'market/not_settled');
    d.rejected({ type: 'resettle', marketId: 'nope', result: { void: true }, reason: 'x', by: 'op', now: d.now }, 'market/not_found');
    d.rejected({ type: 'resettle', marketId: '1x2', result: {} as never, reason: 'x', by: 'op', now: d.now }, 'command/invalid');
  });

  it('settles an event an operator results by hand: added goals decide next-goal markets, the rest settles as at full time', () => {
    const d = new EventDriver();
    d.ok(d.bet('w-1x2', '1x2', 'away', 1_000));
    d.kickOff();
    d.feed({ type: 'goal', team: 'home' });
    d.tick(d.now + 10_000);
    d.ok(d.bet('w-ng2', 'next_goal_2', 'away', 1_000));
    d.tick(d.now + 10_000);
    d.ok(d.bet('pending', 'ou_2.5', 'over', 1_000));
    const priceOf = d.betOf('w-1x2').priceMilli;

    d.rejected({ type: 'settleEvent', score: { home: 0, away: 2 }, reason: 'feed lost', by: 'op', now: d.now }, 'event/score_conflict');
    d.rejected({ type: 'settleEvent', score: { home: 1, away: -1 }, reason: 'feed lost', by: 'op', now: d.now }, 'command/invalid');
    d.rejected({ type: 'settleEvent', score: { home: 1, away: 2 }, reason: '', by: 'op', now: d.now }, 'command/invalid');
    const events = d.ok({ type: 'settleEvent', score: { home: 1, away: 2 }, reason: 'feed lost after 70 minutes', by: 'op', now: d.now });

    expect(ofType(events, 'EventSettledByOperator')[0]).to.deep.include({ score: { home: 1, away: 2 }, reason: 'feed lost after 70 minutes', by: 'op' });
    expect(ofType(events, 'BetRejected').map((e) => [e.betId, e.code])).to.deep.equal([['pending', 'bet/market_closed']]);
    // Only next_goal_2 was open (the feed opens the next one after each goal): the first added goal decides it.
    expect(resultsOf(events)).to.deep.include({ next_goal_2: 'away', '1x2': 'away', btts: 'yes', 'ou_2.5': 'over', correct_score: 'cs_1_2' });
    expect(outcomesOf(events)['w-ng2']).to.include({ outcome: 'won' });
    expect(d.state!.phase).to.equal('finished');
    expect(d.state!.markets.every((m) => m.result !== null)).to.equal(true);
    expect(outcomesOf(events)['w-1x2']).to.include({ outcome: 'won', payoutMinor: payoutOf(1_000, priceOf) });
    d.rejected({ type: 'settleEvent', score: { home: 1, away: 2 }, reason: 'again', by: 'op', now: d.now }, 'event/closed');
  });

  it('voids the next-goal markets whose scorer order an operator result cannot tell', () => {
    const d = new EventDriver();
    d.kickOff();
    const events = d.ok({ type: 'settleEvent', score: { home: 1, away: 1 }, reason: 'feed lost', by: 'op', now: d.now });
    expect(resultsOf(events)).to.deep.include({ next_goal_1: 'void', '1x2': 'draw', btts: 'yes' });
  });
});
