/**
 * Synthetic market prices for the demo schedule: what an outside bookmaker might quote for a
 * simulated match. The simulator's own rates are the truth the match is played from; the synthetic
 * market sees them with a little noise (log-normal, s.d. `noise`), prices 1X2 and over/under 2.5
 * through the engine's model, adds a power margin and rounds the odds down to two decimals. Pure and
 * seeded: every process publishes the same quotes.
 */
import { applyMarginPower, preMatchProbabilities } from '../../../actors/odds/index.ts';
import type { PriceMessage } from '../../../actors/sportsbook/price-feed.ts';
import { rngFromSeed, type Rng } from '../../../actors/sportsbook/rng.ts';

export interface SyntheticQuoteOptions {
  /** s.d. of the log-normal noise on each rate (default 0.06). */
  noise?: number;
  /** The synthetic book's overround (default 1.03). */
  overround?: number;
  rho?: number;
  source?: string;
}

/** Standard normal by Box–Muller. */
function normal(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function odds(q: number): number {
  return Math.max(1.01, Math.floor((100 / q) + 1e-9) / 100);
}

export function syntheticQuote(
  match: { eventId: string; lambdaHome: number; lambdaAway: number; seed: string },
  seq: number,
  at: number,
  options: SyntheticQuoteOptions = {},
): PriceMessage {
  const rng = rngFromSeed(`${match.seed}:prices:${seq}`);
  const noise = options.noise ?? 0.06;
  const lambdaHome = match.lambdaHome * Math.exp(noise * normal(rng));
  const lambdaAway = match.lambdaAway * Math.exp(noise * normal(rng));
  const p = preMatchProbabilities({ lambdaHome, lambdaAway }, options.rho ?? -0.06);
  const overround = options.overround ?? 1.03;
  const [h, d, a] = applyMarginPower(p.slice(0, 3), overround).map(odds);
  const [over, under] = applyMarginPower(p.slice(3), overround).map(odds);
  return { eventId: match.eventId, seq, at, source: options.source ?? 'sim-market', oneXTwo: [h, d, a], overUnder: { line: 2.5, over, under } };
}
