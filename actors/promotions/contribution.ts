/**
 * How much of a settled stake counts towards a bonus's wagering (docs/PROMOTIONS.md §2.3): a
 * percentage by game, so low-risk play (roulette even-money bets, short prices) cannot clear a
 * bonus cheaply. The ledger applies floor(stake × pct / 100) when it settles the stake.
 */
import type { ContributionRules } from './types.ts';

export const DEFAULT_CONTRIBUTION: ContributionRules = {
  sportsbookSinglePct: 100,
  sportsbookAccaPct: 100,
  minPriceMilli: 1500,
  roulettePct: 10,
  cashOutPct: 0,
};

export type SettledWager =
  | { game: 'roulette' }
  | { game: 'sportsbook'; legPricesMilli: number[]; cashedOut: boolean };

export function contributionPct(rules: ContributionRules, w: SettledWager): number {
  if (w.game === 'roulette') return rules.roulettePct;
  if (w.cashedOut) return rules.cashOutPct;
  if (w.legPricesMilli.length === 0 || w.legPricesMilli.some((p) => p < rules.minPriceMilli)) return 0;
  return w.legPricesMilli.length === 1 ? rules.sportsbookSinglePct : rules.sportsbookAccaPct;
}
