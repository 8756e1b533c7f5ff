import { expect } from 'chai';
import { applyMarginPower, preMatchProbabilities, priceMatch } from '../../../actors/odds/index.ts';
import { replay, type PriceMessage } from '../../../actors/sportsbook/index.ts';
import { syntheticQuote } from '../../../server/feed/simulator/index.ts';
import { EVENT_ID, EventDriver, ofType, types } from './helpers.ts';

/** Bookmaker odds (power margin 1.03) for the given rates: what a source would quote. */
function quoteFor(lambdaHome: number, lambdaAway: number, rho: number, seq: number, extra: Partial<PriceMessage> = {}): PriceMessage {
  const p = preMatchProbabilities({ lambdaHome, lambdaAway }, rho);
  const oneXTwo = applyMarginPower(p.slice(0, 3), 1.03).map((q) => Math.round(1000 / q) / 1000) as [number, number, number];
  const [over, under] = applyMarginPower(p.slice(3), 1.03).map((q) => Math.round(1000 / q) / 1000);
  return { eventId: EVENT_ID, seq, at: 1, source: 'test-book', oneXTwo, overUnder: { line: 2.5, over, under }, ...extra };
}

const fair1x2 = (d: EventDriver) => d.market('1x2').selections.map((s) => s.fairProb);

describe('sportsbook market input (price feed)', () => {
  it('prices from the market-implied rates pooled with the model, and records the input', () => {
    const d = new EventDriver({ pricing: { marketWeight: 1, rho: -0.05 } }, { lambdaHome: 1.2, lambdaAway: 1.2 });
    const events = d.ok({ type: 'marketPrices', message: quoteFor(2.1, 0.8, -0.05, 1), now: d.now });
    expect(types(events)).to.deep.equal(['MarketPricesApplied', 'PricesUpdated']);
    const applied = ofType(events, 'MarketPricesApplied')[0];
    // Odds rounded to 3 decimals: the implied rates are within a rounding error of the truth.
    expect(applied.marketLambdaHome).to.be.closeTo(2.1, 0.01);
    expect(applied.marketLambdaAway).to.be.closeTo(0.8, 0.01);
    expect(d.s.lambdaHome).to.equal(applied.marketLambdaHome);
    expect(d.s.modelLambda).to.deep.equal({ home: 1.2, away: 1.2 });
    expect(d.s.market).to.include({ source: 'test-book', seq: 1 });
    const truth = preMatchProbabilities({ lambdaHome: 2.1, lambdaAway: 0.8 }, -0.05);
    fair1x2(d).forEach((p, k) => expect(p).to.be.closeTo(truth[k], 0.002));
  });

  it('pools log-linearly by the configured weight: geometric-mean rates', () => {
    const d = new EventDriver({ pricing: { marketWeight: 0.5, rho: -0.05 } }, { lambdaHome: 1.0, lambdaAway: 1.6 });
    const applied = ofType(d.ok({ type: 'marketPrices', message: quoteFor(2.0, 0.9, -0.05, 1), now: d.now }), 'MarketPricesApplied')[0];
    expect(d.s.lambdaHome).to.be.closeTo(Math.sqrt(1.0 * applied.marketLambdaHome), 1e-12);
    expect(d.s.lambdaAway).to.be.closeTo(Math.sqrt(1.6 * applied.marketLambdaAway), 1e-12);
    // A second quote pools with the model again, not with the previous pooled rates.
    const second = ofType(d.ok({ type: 'marketPrices', message: quoteFor(2.0, 0.9, -0.05, 2), now: d.now }), 'MarketPricesApplied')[0];
    expect(second.lambdaHome).to.be.closeTo(applied.lambdaHome, 1e-9);
  });

  it('ignores a redelivered or older quote', () => {
    const d = new EventDriver();
    d.ok({ type: 'marketPrices', message: quoteFor(1.5, 1.1, -0.05, 5), now: d.now });
    expect(d.rejected({ type: 'marketPrices', message: quoteFor(1.7, 1.1, -0.05, 5), now: d.now }, 'prices/stale')).to.include({ lastSeq: 5 });
    d.rejected({ type: 'marketPrices', message: quoteFor(1.7, 1.1, -0.05, 4), now: d.now }, 'prices/stale');
  });

  it('refuses malformed, foreign, implausible and irreproducible quotes, changing nothing', () => {
    const d = new EventDriver();
    d.rejected({ type: 'marketPrices', message: { ...quoteFor(1.5, 1.1, -0.05, 1), oneXTwo: [0.9, 3, 4] } as unknown as PriceMessage, now: d.now }, 'prices/malformed');
    d.rejected({ type: 'marketPrices', message: quoteFor(1.5, 1.1, -0.05, 1, { eventId: 'other' }), now: d.now }, 'prices/wrong_event');
    d.rejected({ type: 'marketPrices', message: quoteFor(1.5, 1.1, -0.05, 1, { oneXTwo: [3, 3.5, 3.6] }), now: d.now }, 'prices/implausible'); // booksum 0.91
    d.rejected({ type: 'marketPrices', message: quoteFor(1.5, 1.1, -0.05, 1, { oneXTwo: [1.2, 3, 4] }), now: d.now }, 'prices/implausible'); // booksum 1.42
    // A tight 1X2 with a sure-fire over: no pair of rates reproduces both.
    const bad = quoteFor(1.5, 1.1, -0.05, 1, { oneXTwo: [2.6, 3.1, 3.0], overUnder: { line: 2.5, over: 1.04, under: 12 } });
    d.rejected({ type: 'marketPrices', message: bad, now: d.now }, 'prices/inconsistent');
    expect(d.s.market).to.equal(null);
  });

  it('in play starts from the market-implied rates and needs the current score on a quote', () => {
    const d = new EventDriver({ pricing: { marketWeight: 1, rho: -0.05 } });
    d.ok({ type: 'marketPrices', message: quoteFor(1.9, 0.9, -0.05, 1), now: d.now });
    const preMatch = { home: d.s.lambdaHome, away: d.s.lambdaAway };
    d.kickOff();
    d.advance(600_000).feed({ type: 'clock', minute: 10 });
    // The in-play prices come from the market-implied rates with the remaining time.
    const engine = priceMatch({ lambdaHome: preMatch.home, lambdaAway: preMatch.away, minute: 10, homeGoals: 0, awayGoals: 0, rho: -0.05 });
    expect(fair1x2(d)[0]).to.be.closeTo(engine.markets[0].selections[0].fairProb, 1e-9);
    d.rejected({ type: 'marketPrices', message: quoteFor(1.5, 1.1, -0.05, 2), now: d.now }, 'prices/score_mismatch');
    d.rejected({ type: 'marketPrices', message: quoteFor(1.5, 1.1, -0.05, 2, { score: { home: 1, away: 0 } }), now: d.now }, 'prices/score_mismatch');
    // An in-play quote at minute 10, 0-0, made by the engine from rates (1.4, 1.3): recovered as pre-match-equivalent rates.
    const inPlay = priceMatch({ lambdaHome: 1.4, lambdaAway: 1.3, minute: 10, homeGoals: 0, awayGoals: 0, rho: -0.05 });
    const odds = (id: string) => applyMarginPower(inPlay.markets.find((m) => m.marketId === id)!.selections.map((s) => s.fairProb), 1.03).map((q) => 1 / q);
    const message: PriceMessage = { eventId: EVENT_ID, seq: 2, at: d.now, source: 'test-book', oneXTwo: odds('1x2') as [number, number, number], overUnder: { line: 2.5, over: odds('ou_2.5')[0], under: odds('ou_2.5')[1] }, score: { home: 0, away: 0 } };
    const applied = ofType(d.ok({ type: 'marketPrices', message, now: d.now }), 'MarketPricesApplied')[0];
    expect(applied.marketLambdaHome).to.be.closeTo(1.4, 1e-4);
    expect(applied.marketLambdaAway).to.be.closeTo(1.3, 1e-4);
  });

  it('refuses quotes while markets are suspended after a goal, and after the event is over', () => {
    const d = new EventDriver();
    d.kickOff();
    d.advance(60_000).feed({ type: 'goal', team: 'home', minute: 1 });
    d.rejected({ type: 'marketPrices', message: quoteFor(1.5, 1.1, -0.05, 1, { score: { home: 1, away: 0 } }), now: d.now }, 'prices/suspended');
    d.advance(60_000).feed({ type: 'abandoned', reason: 'floodlights' });
    d.rejected({ type: 'marketPrices', message: quoteFor(1.5, 1.1, -0.05, 1, { score: { home: 1, away: 0 } }), now: d.now }, 'prices/event_closed');
  });

  it('replays from the journal to the same state', () => {
    const d = new EventDriver({}, { lambdaHome: 1.3, lambdaAway: 1.0 });
    d.ok({ type: 'marketPrices', message: quoteFor(1.8, 0.9, -0.05, 1), now: d.now });
    expect(replay(d.journal)).to.deep.equal(d.s);
  });

  it('records the pricing model version and prices with the configured (fitted) rho', () => {
    const d = new EventDriver({ pricing: { rho: -0.11 } });
    expect(d.s.modelVersion).to.equal(null);
    const e = new EventDriver();
    e.state = null;
    e.journal.length = 0;
    e.ok({ type: 'create', eventId: EVENT_ID, league: 'E0', home: 'A', away: 'B', lambdaHome: 1.5, lambdaAway: 1.1, startsAt: e.now + 1, config: { pricing: { rho: -0.11 } }, modelVersion: 'm-20240101-abc', now: e.now });
    expect(e.s.modelVersion).to.equal('m-20240101-abc');
    const engine = priceMatch({ lambdaHome: 1.5, lambdaAway: 1.1, minute: 0, homeGoals: 0, awayGoals: 0, rho: -0.11 });
    expect(fair1x2(d)[1]).to.be.closeTo(engine.markets[0].selections[1].fairProb, 1e-9);
    const other = priceMatch({ lambdaHome: 1.5, lambdaAway: 1.1, minute: 0, homeGoals: 0, awayGoals: 0, rho: 0 });
    expect(fair1x2(d)[1]).to.be.above(other.markets[0].selections[1].fairProb);
  });
});

describe('sportsbook limits for engine-only prices and per-player stake factors', () => {
  it('lowers the pre-match stake and liability limits until a market quote arrives', () => {
    const d = new EventDriver({ maxStakeMinor: 10_000, maxLiabilityPerSelectionMinor: 1_000_000, engineOnlyLimitFactor: 0.2 });
    expect(d.rejected(d.bet('b1', '1x2', 'home', 2_001), 'bet/stake_limit')).to.deep.include({ maxStakeMinor: 2_000, engineOnlyPrices: true });
    d.ok(d.bet('b1', '1x2', 'home', 2_000));
    d.ok({ type: 'marketPrices', message: quoteFor(1.5, 1.1, -0.05, 1), now: d.now });
    d.ok(d.bet('b2', '1x2', 'home', 10_000));
  });

  it('applies the engine-only liability limit, and not in play', () => {
    const d = new EventDriver({ maxLiabilityPerSelectionMinor: 40_000, engineOnlyLimitFactor: 0.25 });
    const details = d.rejected(d.bet('b1', '1x2', 'draw', 8_000), 'bet/liability_limit');
    expect(details).to.include({ maxLiabilityMinor: 10_000 });
    d.kickOff();
    d.ok(d.bet('b1', '1x2', 'draw', 8_000));
  });

  it("scales a player's per-bet and per-event stake limits by the stake factor", () => {
    const d = new EventDriver({ maxStakeMinor: 10_000, maxStakePerPlayerMinor: 15_000 });
    const withFactor = (betId: string, stake: number, stakeFactor: number) => ({ ...d.bet(betId, '1x2', 'home', stake), stakeFactor });
    expect(d.rejected(withFactor('b1', 1_001, 0.1), 'bet/stake_limit')).to.include({ maxStakeMinor: 1_000 });
    d.ok(withFactor('b1', 1_000, 0.1));
    d.rejected(withFactor('b2', 1_000, 0.1), 'bet/player_limit'); // 0.1 × 15,000 = 1,500 per event
    d.ok(withFactor('b3', 20_000, 2)); // a trusted player: twice the limits
    d.rejected(withFactor('b4', 100, -1), 'command/invalid');
    d.rejected(withFactor('b4', 100, 11), 'command/invalid');
  });
});

describe('synthetic market prices of the demo schedule', () => {
  it('are deterministic per match and quote, priced like a book, and accepted by the event', () => {
    const match = { eventId: EVENT_ID, lambdaHome: 1.7, lambdaAway: 1.0, seed: 'demo:7' };
    const q1 = syntheticQuote(match, 1, 123);
    expect(syntheticQuote(match, 1, 123)).to.deep.equal(q1);
    expect(syntheticQuote(match, 2, 123).oneXTwo).to.not.deep.equal(q1.oneXTwo);
    const booksum = q1.oneXTwo.reduce((s, o) => s + 1 / o, 0);
    expect(booksum).to.be.within(1.03, 1.06);
    expect(q1.oneXTwo[0]).to.be.below(q1.oneXTwo[2]); // the stronger home side is the favourite
    const d = new EventDriver();
    d.ok({ type: 'marketPrices', message: q1, now: d.now });
    expect(d.s.market).to.include({ source: 'sim-market', seq: 1 });
  });
});
