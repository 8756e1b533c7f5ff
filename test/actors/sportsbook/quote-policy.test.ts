import { expect } from 'chai';
import { applyMarginPower, preMatchProbabilities, removeMargin } from '../../../actors/odds/index.ts';
import { DEFAULT_PRICE_UNCERTAINTY, marketInputSigma, replay, type PriceMessage } from '../../../actors/sportsbook/index.ts';
import { EVENT_ID, EventDriver, KICK_OFF } from './helpers.ts';

const HOUR = 3_600_000;

/** A bookmaker's quote (power margin 1.03) for the given rates, taken at `at`. */
function quote(seq: number, at: number, lambdaHome = 1.6, lambdaAway = 1.0): PriceMessage {
  const p = preMatchProbabilities({ lambdaHome, lambdaAway }, -0.05);
  const oneXTwo = applyMarginPower(p.slice(0, 3), 1.03).map((q) => Math.round(1000 / q) / 1000) as [number, number, number];
  const [over, under] = applyMarginPower(p.slice(3), 1.03).map((q) => Math.round(1000 / q) / 1000);
  return { eventId: EVENT_ID, seq, at, source: 'test-book', oneXTwo, overUnder: { line: 2.5, over, under } };
}

const booksum = (d: EventDriver, marketId = '1x2') => d.market(marketId).selections.reduce((s, x) => s + 1000 / x.priceMilli, 0);

describe('sportsbook quotes against the uncertainty of the prices quoted from', () => {
  it('the closing price moves further from an older quote; within the line-up lead only the drift counts', () => {
    const u = DEFAULT_PRICE_UNCERTAINTY;
    expect(marketInputSigma(u, 30 * 60_000)).to.be.closeTo(Math.sqrt(u.marketDriftVariancePerDay / 48), 1e-12);
    expect(marketInputSigma(u, 24 * HOUR)).to.be.closeTo(Math.sqrt(u.marketJumpVariance + u.marketDriftVariancePerDay), 1e-12);
    expect(marketInputSigma(u, 72 * HOUR)).to.be.above(marketInputSigma(u, 24 * HOUR));
    expect(marketInputSigma(u, -HOUR)).to.equal(0);
  });

  it('quotes a wider margin from a market quote taken days before kick-off than from one taken minutes before', () => {
    const early = new EventDriver({ pricing: { marketWeight: 1, rho: -0.05 } });
    early.ok({ type: 'marketPrices', message: quote(1, KICK_OFF - 48 * HOUR), now: early.now });
    const late = new EventDriver({ pricing: { marketWeight: 1, rho: -0.05 } });
    late.ok({ type: 'marketPrices', message: quote(1, KICK_OFF - 20 * 60_000), now: late.now });
    const flat = new EventDriver({ pricing: { marketWeight: 1, rho: -0.05, uncertainty: { ...DEFAULT_PRICE_UNCERTAINTY, z: 0 } } });
    flat.ok({ type: 'marketPrices', message: quote(1, KICK_OFF - 48 * HOUR), now: flat.now });
    expect(booksum(early)).to.be.above(booksum(late) + 0.05);
    expect(booksum(late)).to.be.below(1.08);
    expect(booksum(flat)).to.be.closeTo(1.05, 0.02);
    expect(booksum(early, 'ou_2.5')).to.be.above(booksum(late, 'ou_2.5'));
    expect(booksum(early, 'btts')).to.be.above(booksum(late, 'btts'));
  });

  it('takes a quote dated after it was applied as applied at that moment', () => {
    // (a 1 ms line-up lead: any quote taken before kick-off counts the team-news jump)
    const pricing = { marketWeight: 1, rho: -0.05, uncertainty: { ...DEFAULT_PRICE_UNCERTAINTY, lineupLeadMs: 1 } };
    const honest = new EventDriver({ pricing });
    honest.ok({ type: 'marketPrices', message: quote(1, honest.now), now: honest.now });
    const future = new EventDriver({ pricing });
    future.ok({ type: 'marketPrices', message: quote(1, KICK_OFF + HOUR), now: future.now });
    expect(booksum(future)).to.equal(booksum(honest));
    expect(booksum(honest)).to.be.above(1.1);
  });

  it("never quotes a 1X2 or over/under selection above the market's own fair price", () => {
    // The model disagrees with the market, and the pool keeps half of the model.
    const d = new EventDriver({ pricing: { marketWeight: 0.5, rho: -0.05 } }, { lambdaHome: 0.9, lambdaAway: 1.8 });
    const message = quote(1, KICK_OFF - 20 * 60_000, 2.2, 0.7);
    d.ok({ type: 'marketPrices', message, now: d.now });
    const fair = removeMargin(message.oneXTwo, 'power');
    const margin = DEFAULT_PRICE_UNCERTAINTY.minOutcomeMargin;
    d.market('1x2').selections.forEach((s, k) => expect(s.priceMilli / 1000).to.be.at.most(1 / (fair[k] * (1 + margin)) + 1e-9));
    const ou = removeMargin([message.overUnder!.over, message.overUnder!.under], 'power');
    d.market('ou_2.5').selections.forEach((s, k) => expect(s.priceMilli / 1000).to.be.at.most(1 / (ou[k] * (1 + margin)) + 1e-9));
  });

  it('widens engine-only pre-match prices by the model’s own uncertainty, and drops the widening in play', () => {
    const d = new EventDriver({ pricing: { rho: -0.05 } });
    const fair = d.market('1x2').selections.map((s) => s.fairProb);
    const expected = 1.05 + DEFAULT_PRICE_UNCERTAINTY.z * DEFAULT_PRICE_UNCERTAINTY.engineOnlySigma * (1 - fair.reduce((a, p) => a + p * p, 0));
    expect(booksum(d)).to.be.at.least(expected - 1e-9);
    expect(booksum(d)).to.be.below(expected + 0.03); // the ladder rounds prices down, never far
    d.kickOff();
    expect(booksum(d)).to.be.below(1.08);
  });

  it('keeps the market fair prices through a replay of the journal', () => {
    const d = new EventDriver({ pricing: { marketWeight: 1, rho: -0.05 } });
    d.ok({ type: 'marketPrices', message: quote(1, KICK_OFF - 48 * HOUR), now: d.now });
    expect(d.s.market!.fairOneXTwo).to.have.length(3);
    expect(replay(d.journal)).to.deep.equal(d.s);
  });
});
