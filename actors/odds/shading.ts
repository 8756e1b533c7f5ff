/**
 * Liability shading: shorten a selection's price as the house's exposure on it grows.
 *
 * `liabilityMinor` is what the house loses, net, if this selection wins (integer minor units;
 * zero or negative means no exposure). Each threshold passed applies its shortening fraction f to
 * the price's excess over 1, i.e. the profit per unit staked (price − 1):
 *     shaded = 1 + (price − 1)·(1 − f)
 * where f is the fraction of the highest threshold reached, capped at `maxShortenFraction`
 * (default 0.15). So shading is monotone (more liability never lengthens a price), bounded (a
 * price keeps at least 85% of its excess by default) and never goes below 1.01. The shaded raw
 * price is then rounded down onto the ladder like any other price.
 */

import { MIN_PRICE_MILLI } from './ladder.ts';

export interface ShadingConfig {
  /** Ascending liability thresholds in minor units. */
  thresholdsMinor: readonly number[];
  /** Shortening fraction applied once liability ≥ the threshold at the same index (ascending). */
  shortenFractions: readonly number[];
  /** Hard cap on the fraction of (price − 1) removed. */
  maxShortenFraction: number;
}

/** Example policy for a currency with 100 minor units: 1k / 5k / 20k of exposure → 3% / 7% / 12%. */
export const DEFAULT_SHADING: ShadingConfig = {
  thresholdsMinor: [100_000, 500_000, 2_000_000],
  shortenFractions: [0.03, 0.07, 0.12],
  maxShortenFraction: 0.15,
};

/** Fraction of (price − 1) to remove for this liability; non-decreasing in liability, ≤ the cap. */
export function shadingFraction(liabilityMinor: number, config: ShadingConfig = DEFAULT_SHADING): number {
  let fraction = 0;
  const n = Math.min(config.thresholdsMinor.length, config.shortenFractions.length);
  for (let i = 0; i < n; i++) {
    // max() keeps the result monotone even if a config lists a smaller fraction after a larger one.
    if (liabilityMinor >= config.thresholdsMinor[i]) fraction = Math.max(fraction, config.shortenFractions[i]);
  }
  return Math.min(Math.max(0, fraction), Math.max(0, config.maxShortenFraction));
}

/** Shaded raw (unrounded) price in milli; never above the input, never below 1.01. */
export function shadeRawPriceMilli(
  rawPriceMilli: number,
  liabilityMinor: number,
  config: ShadingConfig = DEFAULT_SHADING,
): number {
  const fraction = shadingFraction(liabilityMinor, config);
  if (fraction === 0 || rawPriceMilli <= MIN_PRICE_MILLI) return rawPriceMilli;
  const shaded = 1000 + (rawPriceMilli - 1000) * (1 - fraction);
  return Math.max(MIN_PRICE_MILLI, shaded);
}
