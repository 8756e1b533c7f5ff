/**
 * In-play goal model: goals still to come are two independent Poisson counts over the remaining
 * time, with a Dixon–Coles correction on the low scores of that remaining-time distribution.
 *
 * Time-varying intensity. Goals are not spread evenly over a match: in the training seasons about
 * 45% of goals come in the first half (docs/PRICING.md). We use a linear intensity over the
 * normalised match clock s = minute/90:  w(s) = 1 + β(s − ½), which integrates to 1 over [0, 1].
 * The share of a team's 90-minute expectation still to come after s is therefore
 *   F(s) = ∫_s^1 w(u) du = (1 − s)(1 + βs/2),
 * and the first-half share is ½ − β/8. β = 0.4 matches the measured 45%; β = 0 is the uniform
 * model. |β| ≤ 2 keeps the intensity non-negative.
 *
 * Red cards. Each red card multiplies the penalised team's remaining scoring rate by
 * `ownFactor` (default 0.75) and the opponent's by `opponentFactor` (default 1.15); k cards
 * apply the factor k times. These are assumptions in line with published estimates, not fitted
 * here (the data carries red-card counts but not their minutes).
 */

import { poissonPmfInto } from './poisson.ts';

export const MATCH_MINUTES = 90;
/** Linear intensity slope β; 0.4 ≈ the 45% first-half goal share measured on the training data. */
export const DEFAULT_INTENSITY_SLOPE = 0.4;
/** Dixon–Coles rho default: close to the values fitted on E0/SP1 2019-22 (docs/PRICING.md). */
export const DEFAULT_RHO = -0.05;
/** Extra goals per side modelled in the remaining time; the matrix is renormalised after truncation. */
export const DEFAULT_MAX_EXTRA_GOALS = 10;

export interface RedCardEffect {
  /** Multiplier on a team's own remaining scoring rate per red card it has received. */
  ownFactor: number;
  /** Multiplier on the opponent's remaining scoring rate per red card a team has received. */
  opponentFactor: number;
}

export const DEFAULT_RED_CARD_EFFECT: RedCardEffect = { ownFactor: 0.75, opponentFactor: 1.15 };

export interface RemainingRatesInput {
  /** Pre-match expected goals over 90 minutes. */
  lambdaHome: number;
  lambdaAway: number;
  /** Elapsed match minutes, may be fractional; values outside [0, 90] are clamped (stoppage → 0 left). */
  minute: number;
  homeReds?: number;
  awayReds?: number;
  intensitySlope?: number;
  redCardEffect?: RedCardEffect;
}

export interface RemainingRates {
  /** Expected further goals by the home / away side from now to the end of normal time. */
  muHome: number;
  muAway: number;
  /** Share of a 90-minute expectation still to come (1 at kick-off, 0 at minute 90). */
  fraction: number;
}

/** F(s) above: the share of the match's scoring intensity still to come after `minute`. */
export function remainingFraction(minute: number, intensitySlope = DEFAULT_INTENSITY_SLOPE): number {
  const s = Math.min(1, Math.max(0, minute / MATCH_MINUTES));
  return Math.max(0, (1 - s) * (1 + (intensitySlope * s) / 2));
}

export function remainingRates(input: RemainingRatesInput): RemainingRates {
  const fraction = remainingFraction(input.minute, input.intensitySlope ?? DEFAULT_INTENSITY_SLOPE);
  const effect = input.redCardEffect ?? DEFAULT_RED_CARD_EFFECT;
  const homeReds = input.homeReds ?? 0;
  const awayReds = input.awayReds ?? 0;
  const homeFactor = effect.ownFactor ** homeReds * effect.opponentFactor ** awayReds;
  const awayFactor = effect.ownFactor ** awayReds * effect.opponentFactor ** homeReds;
  return {
    muHome: input.lambdaHome * fraction * homeFactor,
    muAway: input.lambdaAway * fraction * awayFactor,
    fraction,
  };
}

/**
 * Dixon–Coles τ for the remaining-time score (x home goals, y away goals) with means muH, muA.
 * Only 0-0, 1-0, 0-1 and 1-1 are adjusted; the adjustments cancel in total, so the distribution
 * still sums to one. Clamped at 0 so an extreme rho can never produce a negative probability.
 */
export function dixonColesTau(x: number, y: number, muH: number, muA: number, rho: number): number {
  if (x > 1 || y > 1) return 1;
  let tau: number;
  if (x === 0 && y === 0) tau = 1 - muH * muA * rho;
  else if (x === 0) tau = 1 + muH * rho; // 0-1
  else if (y === 0) tau = 1 + muA * rho; // 1-0
  else tau = 1 - rho; // 1-1
  return tau > 0 ? tau : 0;
}

/**
 * Remaining-time score distribution: cell [i·(n+1) + j] = P(i more home goals, j more away goals),
 * i, j = 0..maxExtra, with the Dixon–Coles correction applied, renormalised to sum to 1.
 */
export function remainingScoreMatrix(
  muHome: number,
  muAway: number,
  rho: number,
  maxExtra = DEFAULT_MAX_EXTRA_GOALS,
): Float64Array {
  const size = maxExtra + 1;
  const ph = poissonPmfInto(muHome, new Float64Array(size));
  const pa = poissonPmfInto(muAway, new Float64Array(size));
  const matrix = new Float64Array(size * size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    const base = i * size;
    for (let j = 0; j < size; j++) {
      const p = ph[i] * pa[j];
      matrix[base + j] = p;
      total += p;
    }
  }
  if (rho !== 0) {
    total -= matrix[0] + matrix[1] + matrix[size] + matrix[size + 1];
    matrix[0] *= dixonColesTau(0, 0, muHome, muAway, rho);
    matrix[1] *= dixonColesTau(0, 1, muHome, muAway, rho);
    matrix[size] *= dixonColesTau(1, 0, muHome, muAway, rho);
    matrix[size + 1] *= dixonColesTau(1, 1, muHome, muAway, rho);
    total += matrix[0] + matrix[1] + matrix[size] + matrix[size + 1];
  }
  const inv = 1 / total;
  for (let k = 0; k < matrix.length; k++) matrix[k] *= inv;
  return matrix;
}
