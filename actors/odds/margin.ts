/**
 * Bookmaker margin: adding it to fair probabilities, and removing it from quoted odds.
 *
 * Adding (priced probability q_i, price = 1/q_i, Σ q_i = overround O):
 *  - proportional: q_i = O·p_i. Every price is cut by the same factor 1/O.
 *  - power (the house method): q_i = p_i^k with k ∈ (0, 1] solved by bisection so Σ p_i^k = O.
 *    Because q_i/p_i = p_i^(k−1) grows as p_i falls, long shots carry more of the margin than
 *    favourites, which matches the favourite–long-shot bias seen in real books and limits the
 *    value a sharp bettor can find on long shots.
 * Removing (for evaluation against a bookmaker): proportional normalisation, Shin's model
 * (insider-trading share z solved by bisection) and the power method (Σ (1/o_i)^k = 1).
 */

const BISECTION_ITERATIONS = 100;

export type MarginMethod = 'power' | 'proportional';

function countPositive(probs: readonly number[]): number {
  let n = 0;
  for (const p of probs) if (p > 0) n++;
  return n;
}

/** Σ p_i^k over the strictly positive p_i (Math.pow(0, 0) is 1, so zeros are skipped explicitly). */
function powerSum(probs: readonly number[], k: number): number {
  let sum = 0;
  for (const p of probs) if (p > 0) sum += p ** k;
  return sum;
}

/** q_i = O·p_i. */
export function applyMarginProportional(fair: readonly number[], overround: number): number[] {
  return fair.map((p) => p * overround);
}

/**
 * q_i = p_i^k with Σ q_i = overround. Σ p^k falls from (number of positive p) at k → 0 to Σ p at
 * k = 1, so a solution exists when 1 ≤ O < that count. When it does not (one live selection, or an
 * overround beyond reach) we fall back to proportional with each q capped at 1.
 */
export function applyMarginPower(fair: readonly number[], overround: number): number[] {
  const total = powerSum(fair, 1);
  if (overround <= total) return fair.slice();
  if (countPositive(fair) <= overround) return fair.map((p) => Math.min(1, p * overround));
  let lo = 0; // powerSum(lo) > overround
  let hi = 1; // powerSum(hi) ≤ overround
  for (let it = 0; it < BISECTION_ITERATIONS && hi - lo > 1e-15; it++) {
    const mid = (lo + hi) / 2;
    if (powerSum(fair, mid) > overround) lo = mid;
    else hi = mid;
  }
  const k = (lo + hi) / 2;
  return fair.map((p) => (p > 0 ? p ** k : 0));
}

export function applyMargin(fair: readonly number[], overround: number, method: MarginMethod = 'power'): number[] {
  return method === 'power' ? applyMarginPower(fair, overround) : applyMarginProportional(fair, overround);
}

/** Σ 1/o_i: the booksum (overround) implied by decimal odds. */
export function overroundOf(decimalOdds: readonly number[]): number {
  let sum = 0;
  for (const o of decimalOdds) sum += 1 / o;
  return sum;
}

/** Basic normalisation: p_i = (1/o_i) / Σ 1/o_j. */
export function removeMarginProportional(decimalOdds: readonly number[]): number[] {
  const booksum = overroundOf(decimalOdds);
  return decimalOdds.map((o) => 1 / o / booksum);
}

/**
 * Shin (1993) via the closed form of Jullien & Salanié: with q_i = 1/o_i and Q = Σ q_i,
 *   p_i(z) = (√(z² + 4(1 − z)·q_i²/Q) − z) / (2(1 − z)),
 * and z ∈ [0, 1) is chosen so Σ p_i = 1 (Σ p_i(z) decreases in z). Returns the probabilities; use
 * shinInsiderShare for z itself.
 */
export function removeMarginShin(decimalOdds: readonly number[]): number[] {
  return shinProbabilities(decimalOdds, shinInsiderShare(decimalOdds));
}

function shinProbabilities(decimalOdds: readonly number[], z: number): number[] {
  const q = decimalOdds.map((o) => 1 / o);
  const booksum = q.reduce((a, b) => a + b, 0);
  return q.map((qi) => (Math.sqrt(z * z + (4 * (1 - z) * qi * qi) / booksum) - z) / (2 * (1 - z)));
}

export function shinInsiderShare(decimalOdds: readonly number[]): number {
  if (overroundOf(decimalOdds) <= 1) return 0;
  const sumAt = (z: number) => shinProbabilities(decimalOdds, z).reduce((a, b) => a + b, 0);
  let lo = 0; // sum > 1
  let hi = 0.999; // sum < 1 for any realistic book
  for (let it = 0; it < BISECTION_ITERATIONS && hi - lo > 1e-15; it++) {
    const mid = (lo + hi) / 2;
    if (sumAt(mid) > 1) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export type MarginRemovalMethod = 'power' | 'shin' | 'proportional';

/**
 * Fair probabilities from decimal odds by the named method. The engine's default for market input
 * is power: it is the exact inverse of the house's own (power) margin, behaves like Shin on low-margin
 * books (docs/PRICING.md measures them within 10⁻⁴ log-loss on Pinnacle), and works the same way on
 * two-way markets.
 */
export function removeMargin(decimalOdds: readonly number[], method: MarginRemovalMethod = 'power'): number[] {
  for (const o of decimalOdds) if (!(o > 1) || !Number.isFinite(o)) throw new RangeError(`removeMargin: decimal odds must be finite and > 1, got ${o}`);
  if (method === 'shin') return removeMarginShin(decimalOdds);
  if (method === 'proportional') return removeMarginProportional(decimalOdds);
  return removeMarginPower(decimalOdds);
}

/** Power removal: p_i = (1/o_i)^k with k ≥ 1 solved so Σ p_i = 1. */
export function removeMarginPower(decimalOdds: readonly number[]): number[] {
  const q = decimalOdds.map((o) => 1 / o);
  if (powerSum(q, 1) <= 1) return removeMarginProportional(decimalOdds);
  let lo = 1; // sum > 1
  let hi = 2;
  while (powerSum(q, hi) > 1) hi *= 2;
  for (let it = 0; it < BISECTION_ITERATIONS && hi - lo > 1e-13; it++) {
    const mid = (lo + hi) / 2;
    if (powerSum(q, mid) > 1) lo = mid;
    else hi = mid;
  }
  const k = (lo + hi) / 2;
  const p = q.map((qi) => qi ** k);
  const sum = p.reduce((a, b) => a + b, 0);
  return p.map((pi) => pi / sum);
}

/**
 * The overround for fair probabilities that are uncertain: when the price a market is made from
 * may be off the market's eventual (closing) price by a logit error of standard deviation σ, the
 * booksum is widened by what a shift of z·σ in every outcome's logit would add to it,
 *   O = base + z·σ·Σ p_i(1 − p_i) = base + z·σ·(1 − Σ p_i²),
 * (d/dx of the logistic at p is p(1 − p)); the power method then spreads it, long shots loaded most
 * (their relative moves are the largest). σ = 0 leaves the base overround.
 */
export function uncertaintyOverround(base: number, fair: readonly number[], sigma: number, z: number): number {
  if (!(sigma > 0) || !(z > 0)) return base;
  let sumSq = 0;
  for (const p of fair) sumSq += p * p;
  return base + z * sigma * Math.max(0, 1 - sumSq);
}

/**
 * The least margin per outcome, and never above the market's own margin-free price: each outcome's
 * priced probability is at least max(its own fair probability, the market's) × (1 + minOutcomeMargin).
 * Only raises q (shortens prices); q stays ≤ 1, and zero probabilities (not offered) stay zero.
 */
export function floorOutcomes(priced: readonly number[], fair: readonly number[], marketFair: readonly number[] | undefined, minOutcomeMargin: number): number[] {
  const market = marketFair && marketFair.length === priced.length ? marketFair : undefined;
  return priced.map((q, i) => (q > 0 ? Math.min(1, Math.max(q, Math.max(fair[i] ?? 0, market?.[i] ?? 0) * (1 + minOutcomeMargin))) : q));
}
