/**
 * Price ladder and integer price representation.
 *
 * Prices travel in state and messages as `priceMilli`: decimal odds × 1000 as an integer
 * (2.50 → 2500), so no float ever reaches money arithmetic. Every quoted price sits on a
 * betting-exchange style ladder:
 *   1.01–2 by 0.01, 2–3 by 0.02, 3–4 by 0.05, 4–6 by 0.1, 6–10 by 0.2, 10–20 by 0.5,
 *   20–30 by 1, 30–50 by 2, 50–100 by 5, 100–1000 by 10,
 * clamped to [1.01, 1000]. Raw prices are rounded DOWN to the nearest ladder price ≤ the raw
 * price: rounding always favours the house, never the bettor.
 */

export const MIN_PRICE_MILLI = 1010;
export const MAX_PRICE_MILLI = 1_000_000;
/** priceMilli of a decided selection: not offered for betting (the market is settled, not priced). */
export const PRICE_NOT_OFFERED = 0;

/** [from, to, step] in milli; each band includes `from` and stops before `to` (the last includes it). */
const LADDER_BANDS: ReadonlyArray<readonly [number, number, number]> = [
  [1010, 2000, 10],
  [2000, 3000, 20],
  [3000, 4000, 50],
  [4000, 6000, 100],
  [6000, 10_000, 200],
  [10_000, 20_000, 500],
  [20_000, 30_000, 1000],
  [30_000, 50_000, 2000],
  [50_000, 100_000, 5000],
  [100_000, 1_000_000, 10_000],
];

/** Every ladder price in ascending order (350 entries), built once. */
export const PRICE_LADDER_MILLI: readonly number[] = (() => {
  const ladder: number[] = [];
  for (const [from, to, step] of LADDER_BANDS) for (let p = from; p < to; p += step) ladder.push(p);
  ladder.push(MAX_PRICE_MILLI);
  return Object.freeze(ladder);
})();

const LADDER_SET: ReadonlySet<number> = new Set(PRICE_LADDER_MILLI);

export function isOnLadder(priceMilli: number): boolean {
  return LADDER_SET.has(priceMilli);
}

/**
 * Largest ladder price ≤ rawPriceMilli (clamped into [1.01, 1000]). A tolerance of 1e-6 milli
 * absorbs floating-point noise, so a raw 2.4999999999 (really 2.50) is not pushed down to 2.48.
 */
export function roundDownToLadder(rawPriceMilli: number): number {
  if (!(rawPriceMilli > MIN_PRICE_MILLI)) return MIN_PRICE_MILLI; // also catches NaN
  if (rawPriceMilli >= MAX_PRICE_MILLI) return MAX_PRICE_MILLI;
  const target = rawPriceMilli + 1e-6;
  let lo = 0;
  let hi = PRICE_LADDER_MILLI.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (PRICE_LADDER_MILLI[mid] <= target) lo = mid;
    else hi = mid - 1;
  }
  return PRICE_LADDER_MILLI[lo];
}

/** Next ladder price strictly above / below (for stepping prices by ticks); clamped at the ends. */
export function ladderTickUp(priceMilli: number): number {
  for (const p of PRICE_LADDER_MILLI) if (p > priceMilli) return p;
  return MAX_PRICE_MILLI;
}

export function ladderTickDown(priceMilli: number): number {
  return priceMilli <= MIN_PRICE_MILLI ? MIN_PRICE_MILLI : roundDownToLadder(priceMilli - 1);
}

/** Decimal odds (float) → unrounded milli value; use roundDownToLadder or toPriceMilli to quote. */
export function decimalToRawMilli(decimalOdds: number): number {
  return decimalOdds * 1000;
}

/** Exact integer milli for a decimal with at most three decimals (e.g. parsed odds 2.375 → 2375). */
export function decimalToPriceMilli(decimalOdds: number): number {
  return Math.round(decimalOdds * 1000);
}

export function priceMilliToDecimal(priceMilli: number): number {
  return priceMilli / 1000;
}

/** Probability implied by a quoted price (1/decimal). */
export function impliedProbability(priceMilli: number): number {
  return 1000 / priceMilli;
}

/** Quoted ladder price for a (margined) probability: 1/q rounded down onto the ladder. */
export function probabilityToPriceMilli(probability: number): number {
  if (!(probability > 0)) return MAX_PRICE_MILLI;
  return roundDownToLadder(1000 / probability);
}
