import { expect } from 'chai';
import { cashOutQuote, liabilityBySelection, payoutOf } from '../../../actors/sportsbook/index.ts';
import { EventDriver, ofType, types } from './helpers.ts';

function offerOf(d: EventDriver, betId: string): number {
  const quote = cashOutQuote(d.s, d.betOf(betId));
  if (!quote.ok) expect.fail(`no offer: ${quote.reason}`);
  return quote.offerMinor;
}

describe('sportsbook cash-out', () => {
  it('offers floor(potential payout × current fair probability × (1 − margin))', () => {
    const d = new EventDriver({ cashOutMarginBps: 500 });
    d.ok(d.bet('b1', '1x2', 'home', 10_000));
    const bet = d.betOf('b1');
    const fair = d.market('1x2').selections.find((s) => s.selectionId === 'home')!.fairProb;
    expect(offerOf(d, 'b1')).to.equal(Math.floor((payoutOf(10_000, bet.priceMilli) * fair * 9_500) / 10_000));
    // Margin makes the offer worth less than the bet's fair value, never more.
    expect(offerOf(d, 'b1')).to.be.lessThan(payoutOf(10_000, bet.priceMilli) * fair);
  });

  it('executes a pre-match cash-out at once: the bet is closed, its liability released, and it is not settled again', () => {
    const d = new EventDriver();
    d.ok(d.bet('b1', '1x2', 'home', 10_000));
    const offer = offerOf(d, 'b1');
    const events = d.ok({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: offer, now: d.now });
    expect(types(events).slice(0, 2)).to.deep.equal(['CashOutRequested', 'CashOutExecuted']);
    expect(ofType(events, 'CashOutExecuted')[0].outcome).to.deep.equal({ betId: 'b1', playerId: 'p1', stakeMinor: 10_000, payoutMinor: offer, outcome: 'cashed_out', priceMilli: d.betOf('b1').priceMilli });
    expect(d.betOf('b1')).to.include({ status: 'settled', outcome: 'cashed_out', payoutMinor: offer });
    expect(liabilityBySelection(d.s)).to.deep.equal({});
    d.kickOff();
    const fullTime = d.feed({ type: 'full_time' });
    expect(ofType(fullTime, 'MarketSettled').flatMap((e) => e.outcomes)).to.deep.equal([]);
  });

  it('moves the offer with the match: up after the backed side scores', () => {
    const d = new EventDriver();
    d.ok(d.bet('b1', '1x2', 'home', 10_000));
    d.kickOff();
    const before = offerOf(d, 'b1');
    d.feed({ type: 'goal', team: 'home' });
    d.tick(d.now + d.s.config.resumeAfterMs);
    expect(offerOf(d, 'b1')).to.be.greaterThan(before);
  });

  it('waits out the bet delay in play, then pays the current offer', () => {
    const d = new EventDriver({ betDelayMs: 5_000 });
    d.ok(d.bet('b1', '1x2', 'draw', 10_000));
    d.kickOff();
    const offer = offerOf(d, 'b1');
    const requested = d.ok({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: offer, now: d.now });
    expect(types(requested)).to.deep.equal(['CashOutRequested']);
    d.rejected({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: offer, now: d.now }, 'cashout/pending');
    const events = d.tick(d.now + 5_000);
    expect(ofType(events, 'CashOutExecuted')[0].outcome.payoutMinor).to.equal(offer);
  });

  it('rejects an in-play cash-out when a goal falls inside its delay; the bet stays open', () => {
    const d = new EventDriver({ betDelayMs: 5_000 });
    d.ok(d.bet('b1', '1x2', 'home', 10_000));
    d.kickOff();
    d.ok({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: offerOf(d, 'b1'), now: d.now });
    d.advance(1_000).feed({ type: 'goal', team: 'away' });
    const events = d.tick(d.now + 4_000);
    expect(ofType(events, 'CashOutRejected')[0]).to.include({ betId: 'b1', code: 'cashout/unavailable' });
    expect(d.betOf('b1')).to.include({ status: 'accepted', cashOut: null });
  });

  it('rejects at execution with cashout/offer_changed when the offer fell beyond the tolerance', () => {
    const d = new EventDriver({ betDelayMs: 5_000, cashOutToleranceBps: 0 });
    d.ok(d.bet('b1', 'ou_2.5', 'over', 10_000));
    d.kickOff();
    const seen = offerOf(d, 'b1');
    d.ok({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: seen, now: d.now });
    d.advance(1_000).feed({ type: 'clock', minute: 30 }); // time passing at 0-0 hurts "over"
    const events = d.tick(d.now + 4_000);
    const rejected = ofType(events, 'CashOutRejected')[0];
    expect(rejected).to.include({ code: 'cashout/offer_changed' });
    expect(rejected.details!.currentOfferMinor).to.be.lessThan(seen);
    expect(d.betOf('b1')).to.include({ status: 'accepted', cashOut: null });
  });

  it('checks the seen offer at request time against the tolerance', () => {
    const d = new EventDriver({ cashOutToleranceBps: 100 });
    d.ok(d.bet('b1', '1x2', 'home', 10_000));
    const offer = offerOf(d, 'b1');
    const tooHigh = Math.floor((offer * 10_000) / 9_900) + 2;
    expect(d.rejected({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: tooHigh, now: d.now }, 'cashout/offer_changed')).to.deep.equal({ currentOfferMinor: offer });
    const withinTolerance = Math.floor((offer * 10_000) / 9_900);
    const events = d.ok({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: withinTolerance, now: d.now });
    expect(ofType(events, 'CashOutExecuted')[0].outcome.payoutMinor).to.equal(offer); // pays the current offer
  });

  it('is unavailable while suspended, for unknown or foreign bets, pending or settled bets, or when disabled', () => {
    const d = new EventDriver({ betDelayMs: 5_000 });
    d.ok(d.bet('b1', '1x2', 'home', 10_000));
    const offer = offerOf(d, 'b1');
    d.rejected({ type: 'cashOut', betId: 'nope', playerId: 'p1', offerMinor: offer, now: d.now }, 'cashout/not_found');
    d.rejected({ type: 'cashOut', betId: 'b1', playerId: 'p2', offerMinor: offer, now: d.now }, 'cashout/not_found');
    d.rejected({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: 0, now: d.now }, 'command/invalid');
    d.kickOff();
    d.feed({ type: 'red_card', team: 'home' });
    d.rejected({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: offer, now: d.now }, 'cashout/unavailable');
    d.tick(d.now + d.s.config.resumeAfterMs);
    d.ok(d.bet('b2', '1x2', 'home', 1_000));
    d.rejected({ type: 'cashOut', betId: 'b2', playerId: 'p1', offerMinor: 10, now: d.now }, 'cashout/unavailable');
    d.feed({ type: 'full_time' });
    d.rejected({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: offer, now: d.now }, 'cashout/unavailable');

    const off = new EventDriver({ cashOutEnabled: false });
    off.ok(off.bet('b1', '1x2', 'home', 10_000));
    off.rejected({ type: 'cashOut', betId: 'b1', playerId: 'p1', offerMinor: 100, now: off.now }, 'cashout/unavailable');
  });
});
