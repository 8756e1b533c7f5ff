/**
 * The single entry point the market actor calls on every clock tick or incident:
 *   fair probabilities (goal model) → margin (power by default) → liability shading → ladder.
 * Pure: everything, including the minute, is an input. Invalid numbers are programmer errors and
 * throw a RangeError (the actor validates feed data before it gets here).
 */

import {
  DEFAULT_MAX_EXTRA_GOALS,
  DEFAULT_RHO,
  remainingRates,
  remainingScoreMatrix,
  type RedCardEffect,
} from './goal-model.ts';
import { PRICE_NOT_OFFERED, probabilityToPriceMilli, roundDownToLadder } from './ladder.ts';
import { applyMargin, floorOutcomes, uncertaintyOverround, type MarginMethod } from './margin.ts';
import { fairMarkets, type FairMarket } from './markets.ts';
import { shadeRawPriceMilli, DEFAULT_SHADING, type ShadingConfig } from './shading.ts';

export const DEFAULT_OVERROUND = 1.05;

export interface PriceMatchInput {
  /** Pre-match expected goals over 90 minutes (e.g. from team strengths). */
  lambdaHome: number;
  lambdaAway: number;
  /** Elapsed minutes of play (fractional allowed); clamped to [0, 90]. */
  minute: number;
  homeGoals: number;
  awayGoals: number;
  homeReds?: number;
  awayReds?: number;
  /** Dixon–Coles rho for the remaining-time distribution (default DEFAULT_RHO). */
  rho?: number;
  /** Target booksum Σ 1/price for every market (default 1.05). */
  overround?: number;
  /** Per-market override, keyed by exact marketId ('ou_2.5') or family ('ou', 'next_goal', 'correct_score'). */
  overroundByMarket?: Readonly<Record<string, number>>;
  marginMethod?: MarginMethod;
  /**
   * Logit standard deviation σ of the fair probabilities against the market's closing price (how
   * uncertain the rates are: a stale market input, or the model alone). Every market's overround is
   * widened by z·σ·(1 − Σ p²) (margin.ts uncertaintyOverround). Default 0: no widening.
   */
  priceSigma?: number;
  /** z of the widening, in standard deviations (default 1). */
  uncertaintyZ?: number;
  /**
   * Margin-free probabilities of an outside market by marketId ('1x2', 'ou_2.5'), in the engine's
   * selection order: no selection of those markets is quoted above the market's fair price, and each
   * keeps at least minOutcomeMargin over it (margin.ts floorOutcomes).
   */
  marketFair?: Readonly<Record<string, readonly number[]>>;
  /** Least margin of every outcome over its fair probability, and over the market's where given (default 0). */
  minOutcomeMargin?: number;
  /** House liability (integer minor units) keyed by selectionKey(marketId, selectionId). */
  liabilityBySelection?: Readonly<Record<string, number>>;
  shading?: ShadingConfig;
  intensitySlope?: number;
  redCardEffect?: RedCardEffect;
  maxExtraGoals?: number;
}

export interface PricedSelection {
  selectionId: string;
  name: string;
  /** Margin-free model probability. */
  fairProb: number;
  /** Quoted decimal odds × 1000 on the ladder; PRICE_NOT_OFFERED (0) when decided. */
  priceMilli: number;
  decided?: boolean;
  /** True when liability shading shortened this price. */
  shaded?: boolean;
}

export interface PricedMarket {
  marketId: string;
  name: string;
  decided?: boolean;
  /** The booksum target used for this market. */
  overround: number;
  selections: PricedSelection[];
}

export interface PricedMatch {
  markets: PricedMarket[];
  /** Expected further goals after red-card and time adjustments. */
  muHome: number;
  muAway: number;
  /** Share of the 90-minute scoring intensity still to come. */
  remainingFraction: number;
}

export function selectionKey(marketId: string, selectionId: string): string {
  return `${marketId}:${selectionId}`;
}

/** 'ou_2.5' → 'ou', 'next_goal_3' → 'next_goal'; other ids are their own family. */
export function marketFamily(marketId: string): string {
  if (marketId.startsWith('ou_')) return 'ou';
  if (marketId.startsWith('next_goal_')) return 'next_goal';
  return marketId;
}

function assertNonNegative(name: string, value: number, integer: boolean): void {
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`priceMatch: ${name} must be a non-negative ${integer ? 'integer' : 'number'}, got ${value}`);
  }
}

function validate(input: PriceMatchInput): void {
  assertNonNegative('lambdaHome', input.lambdaHome, false);
  assertNonNegative('lambdaAway', input.lambdaAway, false);
  if (!Number.isFinite(input.minute)) throw new RangeError(`priceMatch: minute must be finite, got ${input.minute}`);
  assertNonNegative('homeGoals', input.homeGoals, true);
  assertNonNegative('awayGoals', input.awayGoals, true);
  assertNonNegative('homeReds', input.homeReds ?? 0, true);
  assertNonNegative('awayReds', input.awayReds ?? 0, true);
  const rho = input.rho ?? DEFAULT_RHO;
  if (!Number.isFinite(rho)) throw new RangeError(`priceMatch: rho must be finite, got ${rho}`);
  for (const [name, value] of [['priceSigma', input.priceSigma ?? 0], ['uncertaintyZ', input.uncertaintyZ ?? 1], ['minOutcomeMargin', input.minOutcomeMargin ?? 0]] as const) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`priceMatch: ${name} must be a finite number ≥ 0, got ${value}`);
  }
  const maxExtra = input.maxExtraGoals ?? DEFAULT_MAX_EXTRA_GOALS;
  if (!Number.isInteger(maxExtra) || maxExtra < 1 || maxExtra > 30) {
    throw new RangeError(`priceMatch: maxExtraGoals must be an integer in [1, 30], got ${maxExtra}`);
  }
}

function overroundFor(input: PriceMatchInput, marketId: string): number {
  const byMarket = input.overroundByMarket;
  const value = byMarket?.[marketId] ?? byMarket?.[marketFamily(marketId)] ?? input.overround ?? DEFAULT_OVERROUND;
  if (!Number.isFinite(value) || value < 1) throw new RangeError(`priceMatch: overround for ${marketId} must be ≥ 1, got ${value}`);
  return value;
}

function priceMarket(input: PriceMatchInput, market: FairMarket): PricedMarket {
  const fair = market.selections.map((s) => s.fairProb);
  const overround = uncertaintyOverround(overroundFor(input, market.marketId), fair, input.priceSigma ?? 0, input.uncertaintyZ ?? 1);
  if (market.decided) {
    return {
      marketId: market.marketId,
      name: market.name,
      decided: true,
      overround,
      selections: market.selections.map((s) => ({ ...s, priceMilli: PRICE_NOT_OFFERED, decided: true })),
    };
  }
  const margined = floorOutcomes(applyMargin(fair, overround, input.marginMethod ?? 'power'), fair, input.marketFair?.[market.marketId], input.minOutcomeMargin ?? 0);
  const liabilities = input.liabilityBySelection;
  const shading = input.shading ?? DEFAULT_SHADING;
  const selections = market.selections.map((s, i): PricedSelection => {
    const liability = liabilities?.[selectionKey(market.marketId, s.selectionId)] ?? 0;
    if (liability <= 0) return { ...s, priceMilli: probabilityToPriceMilli(margined[i]) };
    const raw = margined[i] > 0 ? 1000 / margined[i] : Infinity;
    const priceMilli = roundDownToLadder(shadeRawPriceMilli(raw, liability, shading));
    const unshaded = probabilityToPriceMilli(margined[i]);
    return priceMilli < unshaded ? { ...s, priceMilli, shaded: true } : { ...s, priceMilli };
  });
  return { marketId: market.marketId, name: market.name, overround, selections };
}

export function priceMatch(input: PriceMatchInput): PricedMatch {
  validate(input);
  const rates = remainingRates(input);
  const matrix = remainingScoreMatrix(
    rates.muHome,
    rates.muAway,
    input.rho ?? DEFAULT_RHO,
    input.maxExtraGoals ?? DEFAULT_MAX_EXTRA_GOALS,
  );
  const fair = fairMarkets(
    { homeGoals: input.homeGoals, awayGoals: input.awayGoals, muHome: rates.muHome, muAway: rates.muAway },
    matrix,
  );
  return {
    markets: fair.map((market) => priceMarket(input, market)),
    muHome: rates.muHome,
    muAway: rates.muAway,
    remainingFraction: rates.fraction,
  };
}

/** Fair 1X2 probabilities [home, draw, away] for a match not yet started (used by the fit). */
export function preMatchResultProbs(lambdaHome: number, lambdaAway: number, rho: number): [number, number, number] {
  const matrix = remainingScoreMatrix(lambdaHome, lambdaAway, rho);
  const size = DEFAULT_MAX_EXTRA_GOALS + 1;
  let home = 0;
  let draw = 0;
  let away = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const p = matrix[i * size + j];
      if (i > j) home += p;
      else if (i < j) away += p;
      else draw += p;
    }
  }
  return [home, draw, away];
}
