/**
 * How uncertain the prices an event quotes from are, and the margin that follows (docs/PRICING.md,
 * "Margin against a stale input"). One implementation for the server (pricing.ts currentQuotes) and
 * the backtest (scripts/backtest.ts), so the backtest scores exactly what the server quotes.
 *
 * A sharp bettor beats a quote when the market's price at kick-off (the closing price) has moved
 * past it. How far it may still move is measured as a logit standard deviation σ of the closing
 * price around the price quoted from:
 *  - market input: σ² = jump + drift·(days from the quote to kick-off), the jump (team news, line-
 *    ups) counted only if the quote was taken before the line-ups are out;
 *  - the engine alone (no market input): engineOnlySigma, the model's own distance from the close.
 * The pre-match overround of every market is widened by z·σ·(1 − Σ p²), spread by the power
 * method; every selection keeps at least minOutcomeMargin over its fair probability, and no 1X2 or
 * over/under selection is quoted above the market's own fair price less that margin. In play the quotes move with the score and the clock, not with a pre-match
 * quote's age: the widening and the floor are pre-match only. Pure.
 */
import { removeMargin, type MarginRemovalMethod, type PriceMatchInput } from '../odds/index.ts';
import type { MarketPricesApplied } from './events.ts';
import type { MarketInputState, PricingConfig } from './types.ts';

export interface PriceUncertaintyConfig {
  /** Widening, in standard deviations of the closing price's logit around the quoted-from price. */
  z: number;
  /** Logit s.d. of the engine's own probabilities around the closing price (no market input). */
  engineOnlySigma: number;
  /** Logit variance of a market price's move to kick-off that does not grow with its age (team news). */
  marketJumpVariance: number;
  /** Logit variance added per day between the market quote and kick-off. */
  marketDriftVariancePerDay: number;
  /** A quote taken less than this before kick-off has seen the line-ups: no jump variance. */
  lineupLeadMs: number;
  /** Least margin of every pre-match selection over its fair probability, and over the market's fair probability (1X2, over/under). */
  minOutcomeMargin: number;
}

/** The market's margin-free prices in force for an event, and when the source took them. */
export interface MarketFair {
  quotedAt: number;
  /** Home, draw, away. */
  oneXTwo: readonly number[];
  /** Over/under `line` goals, as [over, under], when quoted. */
  overUnder?: { line: number; probs: readonly number[] };
}

const DAY_MS = 86_400_000;

/** Logit s.d. of the closing price around a market quote taken `ageMs` before kick-off. */
export function marketInputSigma(u: PriceUncertaintyConfig, ageMs: number): number {
  const age = Math.max(0, ageMs);
  const jump = age >= u.lineupLeadMs ? u.marketJumpVariance : 0;
  return Math.sqrt(jump + u.marketDriftVariancePerDay * (age / DAY_MS));
}

export type QuoteTerms = Pick<PriceMatchInput, 'priceSigma' | 'uncertaintyZ' | 'marketFair' | 'minOutcomeMargin'>;

/** The uncertainty terms of priceMatch for a pre-match quote, from the market input in force (or none) and the kick-off time. */
export function preMatchQuoteTerms(u: PriceUncertaintyConfig, market: MarketFair | null, startsAt: number): QuoteTerms {
  if (!market) return { priceSigma: u.engineOnlySigma, uncertaintyZ: u.z, minOutcomeMargin: u.minOutcomeMargin };
  const marketFair: Record<string, readonly number[]> = { '1x2': market.oneXTwo };
  if (market.overUnder) marketFair[`ou_${market.overUnder.line}`] = market.overUnder.probs;
  return { priceSigma: marketInputSigma(u, startsAt - market.quotedAt), uncertaintyZ: u.z, marketFair, minOutcomeMargin: u.minOutcomeMargin };
}

/** Problems with an uncertainty config, empty when valid. */
export function validateUncertainty(u: PriceUncertaintyConfig | undefined): string[] {
  if (!u || typeof u !== 'object') return ['pricing.uncertainty is required'];
  const p: string[] = [];
  const num = (name: keyof PriceUncertaintyConfig, max: number) => {
    const v = u[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) p.push(`pricing.uncertainty.${name} must be a number in [0, ${max}]`);
  };
  num('z', 5);
  num('engineOnlySigma', 2);
  num('marketJumpVariance', 1);
  num('marketDriftVariancePerDay', 1);
  num('lineupLeadMs', DAY_MS);
  num('minOutcomeMargin', 0.5);
  return p;
}

/** The margin-free probabilities of an applied quote, kept in the event's market input. */
export function marketFairOf(event: MarketPricesApplied, removal: MarginRemovalMethod): Pick<MarketInputState, 'fairOneXTwo' | 'fairOverUnder'> {
  const fairOneXTwo = removeMargin(event.oneXTwo, removal);
  if (!event.overUnder) return { fairOneXTwo };
  return { fairOneXTwo, fairOverUnder: { line: event.overUnder.line, probs: removeMargin([event.overUnder.over, event.overUnder.under], removal) } };
}

/** The market input in force as MarketFair, or null (none, or one journaled before fair prices were kept). */
export function marketFairOfState(market: MarketInputState | null): MarketFair | null {
  if (!market?.fairOneXTwo) return null;
  // A source's clock cannot make its quote younger than the moment the event applied it.
  const quotedAt = Math.min(market.quotedAt, market.appliedAt);
  return { quotedAt, oneXTwo: market.fairOneXTwo, ...(market.fairOverUnder ? { overUnder: market.fairOverUnder } : {}) };
}

/** What an event is priced from at one moment: the rates, the match state and, before kick-off, the market input in force. */
export interface QuoteState {
  lambdaHome: number;
  lambdaAway: number;
  minute: number;
  homeGoals: number;
  awayGoals: number;
  homeReds?: number;
  awayReds?: number;
  liabilityBySelection?: Readonly<Record<string, number>>;
  /** Before kick-off: the market input in force (null: the engine alone) and the scheduled kick-off. Null in play. */
  preMatch: { market: MarketFair | null; startsAt: number } | null;
}

/**
 * The odds engine's input for an event's quotes: the pricing config's margin, ladder and shading,
 * and pre-match the margin against the uncertainty of the prices quoted from. The server
 * (pricing.ts currentQuotes) and the backtest both price through this, so the backtest's sharp
 * bettor meets exactly the server's quotes.
 */
export function quoteInput(pricing: PricingConfig, q: QuoteState): PriceMatchInput {
  return {
    ...(q.preMatch ? preMatchQuoteTerms(pricing.uncertainty, q.preMatch.market, q.preMatch.startsAt) : {}),
    lambdaHome: q.lambdaHome,
    lambdaAway: q.lambdaAway,
    minute: q.minute,
    homeGoals: q.homeGoals,
    awayGoals: q.awayGoals,
    homeReds: q.homeReds ?? 0,
    awayReds: q.awayReds ?? 0,
    rho: pricing.rho,
    overround: pricing.overround,
    overroundByMarket: pricing.overroundByMarket,
    marginMethod: pricing.marginMethod,
    ...(q.liabilityBySelection ? { liabilityBySelection: q.liabilityBySelection } : {}),
    shading: pricing.shading,
  };
}
