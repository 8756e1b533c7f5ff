/**
 * Display formats for an integer `priceMilli`. Display only: settlement always uses priceMilli.
 *  - decimal:    "2.50" (two decimals; a third only when the price has one, e.g. "1.333")
 *  - fractional: "6/4" — the traditional UK fraction when the price equals one exactly, otherwise
 *                the exact reduced fraction when its denominator is ≤ 100 (every ladder price),
 *                otherwise the closest fraction with denominator ≤ 100 that does not exceed the
 *                price (a display never promises more than the bettor gets).
 *  - American:   "+150" for prices ≥ 2.00 (profit on 100 staked), "-200" below (stake to win 100),
 *                rounded to the nearest integer.
 */

const MAX_FRACTION_DENOMINATOR = 100;
/** Shown for a priceMilli ≤ 1000 (e.g. PRICE_NOT_OFFERED), which has no fractional or American form. */
export const NOT_A_PRICE = 'n/a';

/** Traditional fractions as bookmakers print them (unreduced forms such as 6/4, 4/6, 85/40 kept). */
const TRADITIONAL_FRACTIONS: ReadonlyArray<readonly [number, number]> = [
  [1, 100], [1, 50], [1, 33], [1, 25], [1, 20], [1, 16], [1, 14], [1, 12], [1, 10], [1, 9], [1, 8],
  [2, 15], [1, 7], [2, 13], [1, 6], [2, 11], [1, 5], [2, 9], [1, 4], [2, 7], [3, 10], [1, 3],
  [4, 11], [2, 5], [4, 9], [1, 2], [8, 15], [4, 7], [8, 13], [4, 6], [8, 11], [4, 5], [5, 6],
  [10, 11], [1, 1], [21, 20], [11, 10], [6, 5], [5, 4], [11, 8], [6, 4], [13, 8], [7, 4], [15, 8],
  [2, 1], [85, 40], [9, 4], [5, 2], [11, 4], [3, 1], [10, 3], [7, 2], [4, 1], [9, 2], [5, 1],
  [11, 2], [6, 1], [13, 2], [7, 1], [15, 2], [8, 1], [17, 2], [9, 1], [10, 1], [11, 1], [12, 1],
  [14, 1], [16, 1], [18, 1], [20, 1], [25, 1], [33, 1], [40, 1], [50, 1], [66, 1], [80, 1],
  [100, 1], [150, 1], [200, 1], [250, 1], [500, 1], [999, 1],
];

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export function formatDecimal(priceMilli: number): string {
  const whole = Math.floor(priceMilli / 1000);
  const thousandths = priceMilli % 1000;
  if (thousandths % 10 === 0) return `${whole}.${String(thousandths / 10).padStart(2, '0')}`;
  return `${whole}.${String(thousandths).padStart(3, '0')}`;
}

export function formatFractional(priceMilli: number): string {
  const profit = priceMilli - 1000; // fraction = profit / 1000
  if (profit <= 0) return NOT_A_PRICE;
  for (const [num, den] of TRADITIONAL_FRACTIONS) if (num * 1000 === profit * den) return `${num}/${den}`;
  const g = gcd(profit, 1000);
  if (1000 / g <= MAX_FRACTION_DENOMINATOR) return `${profit / g}/${1000 / g}`;
  let bestNum = Math.floor(profit / 1000);
  let bestDen = 1;
  for (let den = 2; den <= MAX_FRACTION_DENOMINATOR; den++) {
    const num = Math.floor((profit * den) / 1000);
    // num/den > bestNum/bestDen ⇔ num·bestDen > bestNum·den (all ≤ the price by construction)
    if (num * bestDen > bestNum * den) {
      bestNum = num;
      bestDen = den;
    }
  }
  const r = gcd(bestNum, bestDen) || 1;
  return `${bestNum / r}/${bestDen / r}`;
}

export function formatAmerican(priceMilli: number): string {
  const profit = priceMilli - 1000;
  if (profit <= 0) return NOT_A_PRICE;
  if (priceMilli >= 2000) return `+${Math.round(profit / 10)}`;
  return `-${Math.round(100_000 / profit)}`;
}

export interface PriceDisplay {
  decimal: string;
  fractional: string;
  american: string;
}

export function formatPrice(priceMilli: number): PriceDisplay {
  return {
    decimal: formatDecimal(priceMilli),
    fractional: formatFractional(priceMilli),
    american: formatAmerican(priceMilli),
  };
}
