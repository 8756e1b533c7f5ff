/**
 * Combined prices of multiples: the product of the legs' prices, rounded DOWN to the price ladder
 * (actors/odds/ladder.ts), computed exactly in integers (BigInt), never in floats. The ladder tops
 * out at 1000.0, so that is also the highest combined price (a bookmaker's odds cap).
 */
import { MAX_PRICE_MILLI, PRICE_LADDER_MILLI } from '../odds/index.ts';
import { payoutOf } from '../sportsbook/money.ts';

/** Even money stake back: the price of a line whose legs are all void. */
export const VOID_PRICE_MILLI = 1000;

/**
 * The largest ladder price L with L ≤ Π prices (all in milli): L·1000^(n−1) ≤ Π p_i. An empty list
 * (every leg void) is VOID_PRICE_MILLI. A single price is returned as it is.
 */
export function combinedPriceMilli(prices: readonly number[]): number {
  if (prices.length === 0) return VOID_PRICE_MILLI;
  if (prices.length === 1) return prices[0]!;
  let product = 1n;
  for (const p of prices) product *= BigInt(p);
  const scale = 1000n ** BigInt(prices.length - 1);
  if (BigInt(MAX_PRICE_MILLI) * scale <= product) return MAX_PRICE_MILLI;
  // Binary search over the ladder for the last price whose scaled value fits under the product.
  let lo = 0;
  let hi = PRICE_LADDER_MILLI.length - 1;
  if (BigInt(PRICE_LADDER_MILLI[0]!) * scale > product) return PRICE_LADDER_MILLI[0]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (BigInt(PRICE_LADDER_MILLI[mid]!) * scale <= product) lo = mid;
    else hi = mid - 1;
  }
  return PRICE_LADDER_MILLI[lo]!;
}

/** Gross payout of a line at its combined price: floor(stake × price / 1000). */
export function linePayoutMinor(stakeMinor: number, prices: readonly number[]): number {
  return payoutOf(stakeMinor, combinedPriceMilli(prices));
}

/** The most a slip can pay: every line won at the given leg prices. */
export function potentialPayoutMinor(stakePerLineMinor: number, lines: readonly number[][], legPrices: readonly number[]): number {
  let total = 0;
  for (const line of lines) total += linePayoutMinor(stakePerLineMinor, line.map((i) => legPrices[i]!));
  return total;
}
