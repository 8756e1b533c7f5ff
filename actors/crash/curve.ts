/**
 * The crash curve (docs/FAIRNESS.md, crash): m(t) = e^(k·t), t in ms since the round started,
 * k = 0.00006 per ms (2× after 11.55 s, 10× after 38.4 s, 100× after 76.8 s). The multiplier is
 * used and shown floored to two decimals, held as integer hundredths ("cents": 100 = 1.00×).
 * Clients compute the same function from the round's start time; the server sends no ticks.
 */

/** Growth rate k of m(t) = e^(k·t), per millisecond. */
export const CURVE_K_PER_MS = 0.00006;

/** Multiplier at `elapsedMs` after the start, floored to hundredths (100 at 0 ms and before). */
export function multiplierCentsAt(elapsedMs: number): number {
  if (elapsedMs <= 0) return 100;
  return Math.floor(100 * Math.exp(CURVE_K_PER_MS * elapsedMs));
}

/** The first whole millisecond at which the floored multiplier reaches `cents` (0 for ≤ 100). */
export function msToReach(cents: number): number {
  if (cents <= 100) return 0;
  let t = Math.max(0, Math.ceil(Math.log(cents / 100) / CURVE_K_PER_MS));
  // Math.log/exp rounding: step to the exact first millisecond of the floored curve.
  while (t > 0 && multiplierCentsAt(t - 1) >= cents) t--;
  while (multiplierCentsAt(t) < cents) t++;
  return t;
}

/** Gross payout of a stake cashed out at `cents`: floor(stake × multiplier), stake included. */
export function payoutAt(stakeMinor: number, cents: number): number {
  return Math.floor((stakeMinor * cents) / 100);
}

/** Two-decimal text of a multiplier in hundredths: 250 → "2.50". */
export function formatMultiplier(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
