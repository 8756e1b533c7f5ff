import { expect } from 'chai';
import { decide, liabilityBySelection, nextDeadline, payoutOf } from '../../../actors/sportsbook/index.ts';
import { EventDriver, KICK_OFF, ofType, types } from './helpers.ts';

function inPlay(config = {}): EventDriver {
  const d = new EventDriver(config);
  d.kickOff();
  d.advance(600_000).feed({ type: 'clock', minute: 10 });
  return d;
}

describe('sportsbook bets: pre-match and in-play delay', () => {
  it('accepts a pre-match bet at once at the current price and books its liability', () => {
    const d = new EventDriver();
    const price = d.price('1x2', 'home');
    const events = d.ok(d.bet('b1', '1x2', 'home', 1_000));
    expect(types(events)).to.deep.equal(['BetRequested', 'BetAccepted']);
    expect(ofType(events, 'BetAccepted')[0]).to.include({ betId: 'b1', priceMilli: price, stakeMinor: 1_000 });
    expect(d.betOf('b1')).to.include({ status: 'accepted', priceMilli: price });
    expect(liabilityBySelection(d.s)).to.deep.equal({ '1x2:home': payoutOf(1_000, price) - 1_000 });
  });

  it('journals a profit boost\'s terms with the bet, and refuses malformed terms', () => {
    const d = new EventDriver();
    const profitBoost = { campaignId: 'pb', boostPct: 50, maxExtraMinor: 400 };
    const events = d.ok({ ...d.bet('b1', '1x2', 'home', 1_000), profitBoost });
    expect(ofType(events, 'BetRequested')[0]!.profitBoost).to.deep.equal(profitBoost);
    expect(d.betOf('b1').profitBoost).to.deep.equal(profitBoost);
    const bad = decide(d.s, { ...d.bet('b2', '1x2', 'home', 1_000), profitBoost: { ...profitBoost, boostPct: 0 } });
    expect(bad.ok ? null : bad.rejection.code).to.equal('command/invalid');
  });

  it('applies the delay once the scheduled start has passed, even before the kick-off message', () => {
    const d = new EventDriver({ betDelayMs: 5_000 });
    d.at(KICK_OFF + 1);
    const events = d.ok(d.bet('b1', '1x2', 'home', 1_000));
    expect(types(events)).to.deep.equal(['BetRequested']);
    expect(d.betOf('b1')).to.include({ status: 'pending', acceptAt: KICK_OFF + 5_001 });
  });

  it('accepts an in-play bet at the end of its delay when nothing changed', () => {
    const d = inPlay({ betDelayMs: 5_000 });
    const price = d.price('1x2', 'away');
    const events = d.ok(d.bet('b1', '1x2', 'away', 2_000));
    expect(types(events)).to.deep.equal(['BetRequested']);
    expect(ofType(events, 'BetRequested')[0]).to.include({ acceptAt: d.now + 5_000, priceMilli: price });
    expect(nextDeadline(d.s)).to.equal(d.now + 5_000);
    expect(d.tick(d.now + 4_999)).to.deep.equal([]);
    const accepted = d.tick(d.now + 1);
    expect(ofType(accepted, 'BetAccepted')[0]).to.include({ betId: 'b1', priceMilli: price });
    expect(nextDeadline(d.s)).to.equal(null);
  });

  it('rejects an in-play bet with bet/market_suspended when a goal falls inside its delay, even if markets reopened', () => {
    const d = inPlay({ betDelayMs: 5_000, resumeAfterMs: 1_000 });
    d.ok(d.bet('b1', '1x2', 'home', 2_000));
    const placedAt = d.now;
    d.advance(1_000).feed({ type: 'goal', team: 'away' });
    d.tick(d.now + 1_000); // markets resume before the delay ends
    expect(d.s.autoSuspension).to.equal(null);
    const events = d.tick(placedAt + 5_000);
    expect(ofType(events, 'BetRejected')[0]).to.include({ betId: 'b1', code: 'bet/market_suspended', stakeMinor: 2_000 });
    expect(d.betOf('b1').status).to.equal('rejected');
    expect(liabilityBySelection(d.s)).to.deep.equal({});
  });

  it('resolves a delay by the state when it ended, not when the room got round to it', () => {
    const d = inPlay({ betDelayMs: 5_000 });
    d.ok(d.bet('b1', '1x2', 'home', 2_000));
    d.advance(6_000); // the delay ended a second ago, then a goal arrives before any tick
    const events = d.feed({ type: 'goal', team: 'away' });
    expect(types(events).slice(0, 2)).to.deep.equal(['BetAccepted', 'FeedApplied']);
    expect(d.betOf('b1').status).to.equal('accepted');
  });

  describe('acceptance policy when the price moves during the delay', () => {
    // At 0-0 time passing lengthens "over 2.5" and shortens "under 2.5".
    function movedDuringDelay(selectionId: 'over' | 'under', acceptance: 'exact' | 'better' | 'any') {
      const d = inPlay({ betDelayMs: 5_000 });
      const seen = d.price('ou_2.5', selectionId);
      d.ok(d.bet('b1', 'ou_2.5', selectionId, 1_000, { acceptance }));
      d.advance(2_000).feed({ type: 'clock', minute: 25 });
      const now = d.price('ou_2.5', selectionId);
      const events = d.tick(d.now + 3_000);
      return { seen, now, events };
    }

    it('exact: rejects with bet/price_changed and the current price', () => {
      const { seen, now, events } = movedDuringDelay('over', 'exact');
      expect(now).to.be.greaterThan(seen);
      expect(ofType(events, 'BetRejected')[0]).to.deep.include({ code: 'bet/price_changed', details: { currentPriceMilli: now, requestedPriceMilli: seen } });
    });

    it('better: accepts at the longer price', () => {
      const { now, events } = movedDuringDelay('over', 'better');
      expect(ofType(events, 'BetAccepted')[0]).to.include({ priceMilli: now });
    });

    it('better: rejects a shorter price', () => {
      const { seen, now, events } = movedDuringDelay('under', 'better');
      expect(now).to.be.lessThan(seen);
      expect(ofType(events, 'BetRejected')[0]).to.include({ code: 'bet/price_changed' });
    });

    it('any: accepts at the current price, shorter or not', () => {
      const { now, events } = movedDuringDelay('under', 'any');
      expect(ofType(events, 'BetAccepted')[0]).to.include({ priceMilli: now });
    });
  });

  it('rejects every pending bet with bet/market_closed at full time', () => {
    const d = inPlay();
    d.ok(d.bet('b1', 'btts', 'yes', 1_000));
    const events = d.feed({ type: 'full_time' });
    expect(ofType(events, 'BetRejected')[0]).to.include({ betId: 'b1', code: 'bet/market_closed' });
    expect(ofType(events, 'MarketSettled').find((e) => e.marketId === 'btts')!.outcomes).to.deep.equal([]);
  });
});

describe('sportsbook bets: placement checks and limits', () => {
  it('rejects malformed commands with command/invalid', () => {
    const d = new EventDriver();
    d.rejected({ ...d.bet('b1', '1x2', 'home', 1_000), acceptance: 'whatever' } as never, 'command/invalid');
    d.rejected({ ...d.bet('b1', '1x2', 'home', 1_000), priceMilli: 1_000 }, 'command/invalid');
    d.rejected({ ...d.bet('b1', '1x2', 'home', 1_000), betId: '' }, 'command/invalid');
    d.rejected({ ...d.bet('b1', '1x2', 'home', 1_000), now: -5 }, 'command/invalid');
  });

  it('rejects invalid stakes, unknown markets and selections, and reused bet ids', () => {
    const d = new EventDriver();
    for (const stake of [0, -10, 12.5, Number.NaN]) d.rejected(d.bet('b1', '1x2', 'home', stake), 'bet/invalid_stake');
    d.rejected({ ...d.bet('b1', '1x2', 'home', 1_000), marketId: 'corners' }, 'bet/unknown_market');
    d.rejected({ ...d.bet('b1', '1x2', 'home', 1_000), selectionId: 'cs_9_9' }, 'bet/invalid_selection');
    d.ok(d.bet('b1', '1x2', 'home', 1_000));
    d.rejected(d.bet('b1', '1x2', 'away', 1_000), 'bet/duplicate');
  });

  it('keeps the id of a rejected bet used', () => {
    const d = inPlay();
    d.ok(d.bet('b1', '1x2', 'home', 1_000));
    d.feed({ type: 'goal', team: 'home' });
    d.tick(d.now + 10_000);
    expect(d.betOf('b1').status).to.equal('rejected');
    d.rejected(d.bet('b1', '1x2', 'home', 1_000), 'bet/duplicate');
  });

  it('rejects bets on suspended, settled and decided markets', () => {
    const d = inPlay();
    d.feed({ type: 'goal', team: 'home' });
    d.rejected(d.bet('b1', '1x2', 'home', 1_000, { priceMilli: 1_500 }), 'bet/market_suspended');
    d.rejected(d.bet('b2', 'next_goal_1', 'home', 1_000, { priceMilli: 2_000 }), 'bet/market_closed');
    d.rejected(d.bet('b3', 'ou_0.5', 'over', 1_000, { priceMilli: 1_100 }), 'bet/market_closed');
    d.tick(d.now + d.s.config.resumeAfterMs);
    d.rejected(d.bet('b4', 'correct_score', 'cs_0_0', 1_000, { priceMilli: 5_000 }), 'bet/selection_closed');
    d.ok(d.bet('b5', 'correct_score', 'cs_1_0', 1_000));
    d.ok({ type: 'suspendMarket', marketId: 'btts', reason: 'check', by: 'op', now: d.now });
    d.rejected(d.bet('b6', 'btts', 'yes', 1_000, { priceMilli: 2_000 }), 'bet/market_suspended');
  });

  it('rejects a price that no longer satisfies the policy at placement, with the current price', () => {
    const d = new EventDriver();
    const current = d.price('1x2', 'home');
    const details = d.rejected(d.bet('b1', '1x2', 'home', 1_000, { priceMilli: current + 10 }), 'bet/price_changed');
    expect(details).to.include({ currentPriceMilli: current });
    d.rejected(d.bet('b1', '1x2', 'home', 1_000, { priceMilli: current + 10, acceptance: 'better' }), 'bet/price_changed');
    const better = d.ok(d.bet('b1', '1x2', 'home', 1_000, { priceMilli: current - 50, acceptance: 'better' }));
    expect(ofType(better, 'BetAccepted')[0].priceMilli).to.equal(current);
    d.ok(d.bet('b2', '1x2', 'home', 1_000, { priceMilli: 50_000, acceptance: 'any' }));
  });

  it('enforces the minimum and maximum stake per bet', () => {
    const d = new EventDriver({ minStakeMinor: 100, maxStakeMinor: 5_000 });
    expect(d.rejected(d.bet('b1', '1x2', 'home', 99), 'bet/stake_limit')).to.deep.equal({ minStakeMinor: 100, maxStakeMinor: 5_000 });
    d.rejected(d.bet('b1', '1x2', 'home', 5_001), 'bet/stake_limit');
    d.ok(d.bet('b1', '1x2', 'home', 100));
    d.ok(d.bet('b2', '1x2', 'home', 5_000));
  });

  it('enforces the maximum payout per bet, naming the largest stake that fits', () => {
    const d = new EventDriver({ maxPayoutMinor: 10_000 });
    const price = d.price('1x2', 'home');
    const largest = Math.floor((10_001 * 1000 - 1) / price);
    const details = d.rejected(d.bet('b1', '1x2', 'home', largest + 1), 'bet/payout_limit');
    expect(details).to.include({ maxPayoutMinor: 10_000, maxStakeMinor: largest });
    d.ok(d.bet('b1', '1x2', 'home', largest));
    expect(payoutOf(largest, price)).to.be.at.most(10_000);
  });

  it('enforces the maximum liability per selection, naming the largest acceptable stake', () => {
    const d = new EventDriver({ maxLiabilityPerSelectionMinor: 50_000 });
    const price = d.price('1x2', 'home');
    d.ok(d.bet('b1', '1x2', 'home', 10_000));
    const booked = payoutOf(10_000, price) - 10_000;
    const details = d.rejected(d.bet('b2', '1x2', 'home', 60_000), 'bet/liability_limit');
    const largest = details!.maxStakeMinor as number;
    expect(payoutOf(largest, price) - largest).to.be.at.most(50_000 - booked);
    expect(payoutOf(largest + 1, price) - (largest + 1)).to.be.greaterThan(50_000 - booked);
    d.rejected(d.bet('b2', '1x2', 'home', largest + 1), 'bet/liability_limit');
    d.ok(d.bet('b2', '1x2', 'home', largest));
    d.ok(d.bet('b3', '1x2', 'away', 10_000)); // another selection has its own limit
  });

  it('counts pending in-play bets towards liability', () => {
    const d = inPlay({ maxLiabilityPerSelectionMinor: 20_000 });
    const price = d.price('1x2', 'draw');
    const stake = Math.floor((20_000 * 1000) / (price - 1000));
    d.ok(d.bet('b1', '1x2', 'draw', stake));
    expect(d.betOf('b1').status).to.equal('pending');
    d.rejected(d.bet('b2', '1x2', 'draw', 100), 'bet/liability_limit');
  });

  it('re-checks liability at acceptance when the price lengthened during the delay', () => {
    const probe = inPlay();
    const price = probe.price('ou_2.5', 'over');
    const stake = 10_000;
    const d = inPlay({ maxLiabilityPerSelectionMinor: payoutOf(stake, price) - stake });
    d.ok(d.bet('b1', 'ou_2.5', 'over', stake, { acceptance: 'better' }));
    d.advance(1_000).feed({ type: 'clock', minute: 30 });
    const events = d.tick(d.now + 5_000);
    expect(ofType(events, 'BetRejected')[0]).to.include({ code: 'bet/liability_limit' });
  });

  it('enforces the per-player stake limit per event; rejected bets give their stake back', () => {
    const d = inPlay({ maxStakePerPlayerMinor: 3_000 });
    d.ok(d.bet('b1', '1x2', 'home', 2_000));
    expect(d.rejected(d.bet('b2', 'btts', 'no', 1_500), 'bet/player_limit')).to.include({ maxStakeMinor: 1_000 });
    d.ok(d.bet('b3', 'btts', 'no', 1_500, { playerId: 'p2' }));
    d.feed({ type: 'red_card', team: 'away' });
    d.tick(d.now + 10_000); // b1 rejected: the red card fell in its delay
    expect(d.betOf('b1').status).to.equal('rejected');
    d.ok(d.bet('b4', 'btts', 'no', 3_000));
  });

  it('caps the number of bets per event', () => {
    const d = new EventDriver({ maxBetsPerEvent: 2 });
    d.ok(d.bet('b1', '1x2', 'home', 1_000));
    d.ok(d.bet('b2', '1x2', 'home', 1_000));
    d.rejected(d.bet('b3', '1x2', 'home', 1_000), 'bet/event_limit');
  });

  it('shades a selection’s price once its liability passes a threshold', () => {
    const d = new EventDriver({ pricing: { shading: { thresholdsMinor: [50_000], shortenFractions: [0.1], maxShortenFraction: 0.15 } } });
    const before = d.price('1x2', 'away');
    const events = d.ok(d.bet('b1', '1x2', 'away', 30_000));
    expect(types(events)).to.deep.equal(['BetRequested', 'BetAccepted', 'PricesUpdated']);
    expect(d.price('1x2', 'away')).to.be.lessThan(before);
    expect(d.price('1x2', 'home')).to.be.at.least(1010);
  });
});
