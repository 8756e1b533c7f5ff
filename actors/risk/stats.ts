/** Small statistics for the detectors: binomial tail, mean/t of a running sample. */

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** Lanczos approximation of ln Γ(x), x > 0 (accurate to ~1e-13 for the integer arguments used here). */
export function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≥ k) for X ~ Binomial(n, p), as −log10 (0 when k is not above what chance gives). */
export function binomialTailLog10(k: number, n: number, p: number): number {
  if (k <= 0 || n <= 0) return 0;
  if (p <= 0) return k > 0 ? 16 : 0;
  if (p >= 1) return 0;
  // Sum the pmf from k to n in log space (log-sum-exp).
  const terms: number[] = [];
  let top = -Infinity;
  for (let i = k; i <= n; i++) {
    const t = logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p);
    terms.push(t);
    top = Math.max(top, t);
    // Past the mode the terms only shrink: stop once they no longer matter (bounded work for large n).
    if (i > n * p && t < top - 40) break;
  }
  const m = Math.max(...terms);
  const lse = m + Math.log(terms.reduce((s, t) => s + Math.exp(t - m), 0));
  return Math.min(16, Math.max(0, -lse / Math.LN10));
}

/** A running sample: count, sum and sum of squares (mean and the one-sample t statistic against 0). */
export interface Running {
  n: number;
  sum: number;
  sumSq: number;
}

export const emptyRunning = (): Running => ({ n: 0, sum: 0, sumSq: 0 });

export function addSample(r: Running, x: number): void {
  r.n += 1;
  r.sum += x;
  r.sumSq += x * x;
}

export function mean(r: Running): number {
  return r.n === 0 ? 0 : r.sum / r.n;
}

/** t = mean / (sd / √n); 0 with fewer than 2 samples or no spread. */
export function tStat(r: Running): number {
  if (r.n < 2) return 0;
  const m = r.sum / r.n;
  const variance = (r.sumSq - r.n * m * m) / (r.n - 1);
  if (variance <= 1e-12) return m > 0 ? 50 : m < 0 ? -50 : 0;
  return m / Math.sqrt(variance / r.n);
}
