/**
 * Statistics of derived crash points (docs/FAIRNESS.md, crash): a Kolmogorov–Smirnov distance of
 * the published crash points from the documented law P(crash ≥ x) = 0.99 / x, and the return to
 * player of fixed-target strategies with their standard errors. Crash points are derived exactly as
 * the server does, from one hash chain walked forward (the set of round hashes of a chain does not
 * depend on the order rounds use them).
 */
import { chainNext, crashPointOf } from '../../actors/crash/index.ts';

/** Kolmogorov's asymptotic critical value at the 99% level: D_crit = 1.6276 / √n (conservative for a discrete law). */
export const KS_C_99 = 1.6276;
/** Two-sided 99% normal quantile (one target alone). */
export const Z_99 = 2.5758;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 for erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * The two-sided normal quantile that keeps a family of `k` intervals at 99% together
 * (Bonferroni: each at 1 − 0.01/k), so several targets tested at once do not fail by chance 1 − 0.99^k of the time.
 */
export function familyZ99(k: number): number {
  const want = 1 - 0.01 / (2 * k);
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < want) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** P(crash ≤ c) for a published crash point in hundredths: 1 − 0.99 / (c + 1)·100. */
export function crashCdf(cents: number): number {
  return cents < 100 ? 0 : 1 - 99 / (cents + 1);
}

export interface TargetReturn {
  targetCents: number;
  rtp: number;
  standardError: number;
  /** |rtp − 0.99| / standardError */
  z: number;
  /** Within the family-wise 99% interval (`zCritical` standard errors; Bonferroni over the targets). */
  withinCi99: boolean;
  zCritical: number;
}

export interface CrashStatistics {
  samples: number;
  ksD: number;
  ksCritical99: number;
  ksPasses: boolean;
  instantShare: number;
  /** Published 1.00× (instant crashes and points in [1.00, 1.01)). */
  shareAt100: number;
  median: number;
  max: number;
  returns: TargetReturn[];
}

export function crashStatistics(seed: string, samples: number, salt: string, targetsCents: readonly number[]): CrashStatistics {
  const points = new Float64Array(samples);
  let h = seed;
  let instants = 0;
  for (let i = 0; i < samples; i++) {
    const p = crashPointOf(h, salt);
    points[i] = p.crashCents;
    if (p.instant) instants++;
    h = chainNext(h);
  }
  points.sort();
  // KS over a lattice law: the largest gap is at an observed point or just below the next one.
  let d = 0;
  let i = 0;
  while (i < samples) {
    const x = points[i]!;
    const below = i / samples; // empirical F just below x
    d = Math.max(d, Math.abs(below - crashCdf(x - 1)));
    while (i < samples && points[i] === x) i++;
    d = Math.max(d, Math.abs(i / samples - crashCdf(x)));
  }
  const critical = KS_C_99 / Math.sqrt(samples);
  const zCritical = familyZ99(targetsCents.length);
  const returns = targetsCents.map((t) => {
    // The fixed-target bet pays t/100 per unit when the crash point is ≥ t (points are sorted).
    const wins = samples - lowerBound(points, t);
    const p = wins / samples;
    const x = t / 100;
    const rtp = x * p;
    const standardError = Math.sqrt((x * x * p - rtp * rtp) / samples);
    const z = Math.abs(rtp - 0.99) / standardError;
    return { targetCents: t, rtp, standardError, z, withinCi99: z <= zCritical, zCritical };
  });
  return {
    samples,
    ksD: d,
    ksCritical99: critical,
    ksPasses: d <= critical,
    instantShare: instants / samples,
    shareAt100: lowerBound(points, 101) / samples,
    median: points[Math.floor(samples / 2)]!,
    max: points[samples - 1]!,
    returns,
  };
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
