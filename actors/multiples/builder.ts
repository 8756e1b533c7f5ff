/**
 * Bet builder (same-game multi): several selections of one event priced together from the model's
 * joint distribution of the final score, not as a product of independent prices. The remaining-time
 * score matrix is the one the event prices from (actors/odds goal model with the event's rates,
 * minute, red cards and Dixon–Coles ρ); a final score is the current score plus the remaining
 * goals. The joint probability p is the mass of the final scores on which every selection wins;
 *
 *   price = 1 / min(1, p × builderOverround), rounded down to the ladder
 *
 * with builderOverround the margin multiplier for builders (default 1.10: a builder's margin is a
 * single-outcome margin, larger than a market's because there is no balancing book). Selections in
 * markets no final score decides (next goal) are not offered; a combination whose joint probability
 * is below MIN_BUILDER_PROBABILITY (an impossible one like under 1.5 with both teams to score) is
 * refused, as is one whose price would be below the ladder's minimum (a certainty).
 *
 * Selections: `1x2`, `ou_<line>`, `btts`, `correct_score` of the event, and the builder's own team
 * goal markets `home_scores` / `away_scores` (yes/no: the team scores at least once).
 */
import { DEFAULT_MAX_EXTRA_GOALS, MIN_PRICE_MILLI, remainingRates, remainingScoreMatrix, roundDownToLadder } from '../odds/index.ts';
import { finalResult, findMarket, pricingMinute } from '../sportsbook/markets.ts';
import type { EventState, ScorePair } from '../sportsbook/types.ts';
import type { LegSelection } from './types.ts';

export const MAX_BUILDER_SELECTIONS = 6;
export const DEFAULT_BUILDER_OVERROUND = 1.1;
/** Below this the combination is treated as impossible. */
export const MIN_BUILDER_PROBABILITY = 1e-6;

/** Builder-only markets, decided by the final score: the team scores at least once. */
export const TEAM_SCORES_MARKETS = ['home_scores', 'away_scores'] as const;
const BUILDER_FAMILIES = /^(1x2|btts|correct_score|ou_\d+\.5)$/;

export type BuilderRefusal = { code: 'builder/invalid_selection' | 'builder/impossible' | 'builder/no_price' | 'builder/same_market'; message: string };

/** Whether `selectionId` of `marketId` wins on this final score (team-scores markets included). */
export function selectionWinsOn(marketId: string, selectionId: string, final: ScorePair): boolean {
  if (marketId === 'home_scores') return (final.home > 0) === (selectionId === 'yes');
  if (marketId === 'away_scores') return (final.away > 0) === (selectionId === 'yes');
  const r = finalResult(marketId, final);
  return r.kind === 'winner' && r.selectionId === selectionId;
}

/** Checks the selections are builder-eligible on this event, or says why not. */
export function builderSelectionsRefusal(ev: EventState, selections: readonly LegSelection[]): BuilderRefusal | null {
  if (selections.length < 2 || selections.length > MAX_BUILDER_SELECTIONS) {
    return { code: 'builder/invalid_selection', message: `a bet builder combines 2..${MAX_BUILDER_SELECTIONS} selections` };
  }
  const markets = new Set<string>();
  for (const s of selections) {
    if (markets.has(s.marketId)) return { code: 'builder/same_market', message: `two selections of market ${s.marketId}: a builder takes one selection per market` };
    markets.add(s.marketId);
    if ((TEAM_SCORES_MARKETS as readonly string[]).includes(s.marketId)) {
      if (s.selectionId !== 'yes' && s.selectionId !== 'no') return { code: 'builder/invalid_selection', message: `${s.marketId} has selections yes and no` };
      continue;
    }
    const market = BUILDER_FAMILIES.test(s.marketId) ? findMarket(ev, s.marketId) : undefined;
    if (!market) return { code: 'builder/invalid_selection', message: `market ${s.marketId} cannot be part of a bet builder` };
    if (!market.selections.some((x) => x.selectionId === s.selectionId)) return { code: 'builder/invalid_selection', message: `no selection ${s.selectionId} in ${s.marketId}` };
  }
  return null;
}

/** The event's remaining-time score matrix (the one its prices come from). */
function matrixOf(ev: EventState): { matrix: Float64Array; size: number } {
  const rates = remainingRates({ lambdaHome: ev.lambdaHome, lambdaAway: ev.lambdaAway, minute: pricingMinute(ev), homeReds: ev.reds.home, awayReds: ev.reds.away });
  const matrix = remainingScoreMatrix(rates.muHome, rates.muAway, ev.config.pricing.rho, DEFAULT_MAX_EXTRA_GOALS);
  return { matrix, size: DEFAULT_MAX_EXTRA_GOALS + 1 };
}

/** P(every selection wins) under the model, from the current score and minute. */
export function jointProbability(ev: EventState, selections: readonly LegSelection[]): number {
  const { matrix, size } = matrixOf(ev);
  let p = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const final = { home: ev.score.home + i, away: ev.score.away + j };
      if (selections.every((s) => selectionWinsOn(s.marketId, s.selectionId, final))) p += matrix[i * size + j]!;
    }
  }
  return p;
}

/** P(the selection wins) alone, from the same matrix (for comparisons with the joint). */
export function marginalProbability(ev: EventState, selection: LegSelection): number {
  return jointProbability(ev, [selection]);
}

export type BuilderQuote = { ok: true; priceMilli: number; probability: number } | { ok: false; refusal: BuilderRefusal };

/** The builder's price: the joint probability with the builder margin, rounded down to the ladder. */
export function builderQuote(ev: EventState, selections: readonly LegSelection[], overround = DEFAULT_BUILDER_OVERROUND): BuilderQuote {
  const invalid = builderSelectionsRefusal(ev, selections);
  if (invalid) return { ok: false, refusal: invalid };
  const probability = jointProbability(ev, selections);
  if (!(probability >= MIN_BUILDER_PROBABILITY)) return { ok: false, refusal: { code: 'builder/impossible', message: 'these selections cannot all win together' } };
  const q = Math.min(1, probability * overround);
  const raw = 1000 / q;
  if (raw < MIN_PRICE_MILLI) return { ok: false, refusal: { code: 'builder/no_price', message: 'this combination is (nearly) certain: no price is offered' } };
  return { ok: true, priceMilli: roundDownToLadder(raw), probability };
}
