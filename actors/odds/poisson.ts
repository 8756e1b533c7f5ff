/**
 * Poisson helpers shared by the in-play engine and the offline fit.
 * The engine fills probability mass functions by the recurrence p(k) = p(k-1)·μ/k, which needs
 * no factorials at all; the log-factorial table is memoised once for log-likelihoods.
 */

const LOG_FACTORIAL_SIZE = 64;

/** ln(k!) for k < 64, computed once at module load. */
const LOG_FACTORIAL: Float64Array = (() => {
  const table = new Float64Array(LOG_FACTORIAL_SIZE);
  for (let k = 2; k < LOG_FACTORIAL_SIZE; k++) table[k] = table[k - 1] + Math.log(k);
  return table;
})();

/** ln(k!) for a non-negative integer k (table look-up below 64, exact summation above). */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_SIZE) return LOG_FACTORIAL[k];
  let acc = LOG_FACTORIAL[LOG_FACTORIAL_SIZE - 1];
  for (let i = LOG_FACTORIAL_SIZE; i <= k; i++) acc += Math.log(i);
  return acc;
}

/** ln P(X = k) for X ~ Poisson(mu). mu = 0 gives 0 for k = 0 and -Infinity otherwise. */
export function poissonLogPmf(k: number, mu: number): number {
  if (mu === 0) return k === 0 ? 0 : -Infinity;
  return k * Math.log(mu) - mu - logFactorial(k);
}

/**
 * Writes P(X = k) for k = 0..out.length-1 into `out` (X ~ Poisson(mu)) and returns `out`.
 * Uses the multiplicative recurrence, so it is exact to rounding and allocation-free.
 */
export function poissonPmfInto(mu: number, out: Float64Array): Float64Array {
  let p = Math.exp(-mu);
  out[0] = p;
  for (let k = 1; k < out.length; k++) {
    p = (p * mu) / k;
    out[k] = p;
  }
  return out;
}
