/**
 * The backtest's quotes and what feeds their margin: prices exactly as the server quotes them
 * (actors/sportsbook quoteInput → priceMatch), and the uncertainty terms (quote-policy.ts) fitted on
 * earlier seasons: how far Pinnacle's price moved from the pre-closing snapshot to the close, by the
 * snapshot's age, and how far the model alone is from the close.
 */
import { priceMatch, type Rates } from '../../actors/odds/index.ts';
import { DEFAULT_SPORTSBOOK_CONFIG, quoteInput, type MarketFair, type PriceUncertaintyConfig } from '../../actors/sportsbook/index.ts';
import type { PricingConfig } from '../../actors/sportsbook/types.ts';
import type { Fair } from './backtest-data.ts';

const DAY_MS = 86_400_000;

/**
 * For the first season, which has nothing earlier to fit on: round a-priori values (a logit s.d. of
 * 0.2 for a model against the market; a market's move of 0.1 logit before kick-off, half of it
 * growing over about two days).
 */
export const APRIORI_UNCERTAINTY: PriceUncertaintyConfig = Object.freeze({
  ...DEFAULT_SPORTSBOOK_CONFIG.pricing.uncertainty,
  engineOnlySigma: 0.2,
  marketJumpVariance: 0.005,
  marketDriftVariancePerDay: 0.0025,
});

const logit = (p: number) => Math.log(p / (1 - p));

export interface MoveSample {
  /** Age of the quote moved from, in days before kick-off (0 for the model). */
  ageDays: number;
  from: readonly number[];
  to: readonly number[];
}

/** Mean squared logit difference per outcome, and its regression on the age: E[Δ²] = jump + drift·age (each ≥ 0). */
export function fitMoves(samples: readonly MoveSample[]): { jump: number; drift: number; meanSquare: number; n: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const s of samples) {
    for (let k = 0; k < s.from.length; k++) {
      const y = (logit(s.to[k]) - logit(s.from[k])) ** 2;
      if (!Number.isFinite(y)) continue;
      n++;
      sx += s.ageDays;
      sy += y;
      sxx += s.ageDays ** 2;
      sxy += s.ageDays * y;
    }
  }
  if (n === 0) return { jump: 0, drift: 0, meanSquare: 0, n };
  const den = n * sxx - sx * sx;
  let drift = den > 0 ? (n * sxy - sx * sy) / den : 0;
  let jump = (sy - drift * sx) / n;
  if (drift < 0) [drift, jump] = [0, sy / n];
  if (jump < 0) [jump, drift] = [0, sxx > 0 ? sxy / sxx : 0];
  return { jump, drift, meanSquare: sy / n, n };
}

export interface BacktestQuote {
  /** Quoted decimal prices, home/draw/away, and over/under 2.5 (null when not quoted). */
  oneXTwo: number[];
  ou: number[] | null;
  /** Σ 1/price of the quoted 1X2. */
  booksum: number;
}

/**
 * The prices the server would quote before kick-off for rates `rates` under `pricing` (its ρ, margin,
 * uncertainty terms), with `market` the margin-free market prices in force, taken `ageDays` before
 * kick-off (null: the engine alone).
 */
export function quoteMatch(pricing: PricingConfig, rates: Rates, market: { fair: Fair; ageDays: number } | null): BacktestQuote {
  const startsAt = market ? Math.round(market.ageDays * DAY_MS) : 0;
  const fair: MarketFair | null = market
    ? { quotedAt: 0, oneXTwo: market.fair.result, ...(market.fair.over != null ? { overUnder: { line: 2.5, probs: [market.fair.over, 1 - market.fair.over] } } : {}) }
    : null;
  const priced = priceMatch(quoteInput(pricing, { ...rates, minute: 0, homeGoals: 0, awayGoals: 0, preMatch: { market: fair, startsAt } }));
  const byId = (id: string) => priced.markets.find((x) => x.marketId === id)?.selections.map((s) => s.priceMilli / 1000) ?? null;
  const oneXTwo = byId('1x2')!;
  return { oneXTwo, ou: byId('ou_2.5'), booksum: oneXTwo.reduce((a, p) => a + 1 / p, 0) };
}
