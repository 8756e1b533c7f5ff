/**
 * System bets as sets of accumulators ("lines") over the slip's legs, with the stake per line:
 *
 * | type | legs | lines |
 * |---|---|---|
 * | accumulator | 2–20 | 1: every leg |
 * | doubles | 2–8 | every pair: C(n,2) |
 * | trebles | 3–8 | every triple: C(n,3) |
 * | trixie | 3 | 3 doubles + 1 treble = 4 |
 * | yankee | 4 | 6 doubles + 4 trebles + 1 four-fold = 11 |
 * | lucky15 | 4 | 4 singles + 6 doubles + 4 trebles + 1 four-fold = 15 |
 *
 * Lines are lists of leg indices in ascending order, listed by size then lexicographically.
 */
import type { SlipType } from './types.ts';

export const MIN_ACCUMULATOR_LEGS = 2;
export const MAX_ACCUMULATOR_LEGS = 20;
/** Doubles and trebles over more legs explode combinatorially (C(8,3) = 56 lines): capped. */
export const MAX_PERM_LEGS = 8;

export const SLIP_TYPES: readonly SlipType[] = ['accumulator', 'doubles', 'trebles', 'trixie', 'yankee', 'lucky15'];

/** Allowed leg counts per type, [min, max]. */
export const LEG_COUNTS: Readonly<Record<SlipType, readonly [number, number]>> = {
  accumulator: [MIN_ACCUMULATOR_LEGS, MAX_ACCUMULATOR_LEGS],
  doubles: [2, MAX_PERM_LEGS],
  trebles: [3, MAX_PERM_LEGS],
  trixie: [3, 3],
  yankee: [4, 4],
  lucky15: [4, 4],
};

/** Every k-subset of 0..n−1, lexicographic. */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (from: number) => {
    if (pick.length === k) {
      out.push(pick.slice());
      return;
    }
    for (let i = from; i <= n - (k - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  if (k >= 0 && k <= n) walk(0);
  return out;
}

function sizes(n: number, from: number, to: number): number[][] {
  const out: number[][] = [];
  for (let k = from; k <= to; k++) out.push(...combinations(n, k));
  return out;
}

/** The lines of a slip type over n legs, or null when the type does not take n legs. */
export function systemLines(type: SlipType, n: number): number[][] | null {
  const [min, max] = LEG_COUNTS[type];
  if (!Number.isInteger(n) || n < min || n > max) return null;
  switch (type) {
    case 'accumulator':
      return [Array.from({ length: n }, (_, i) => i)];
    case 'doubles':
      return combinations(n, 2);
    case 'trebles':
      return combinations(n, 3);
    case 'trixie':
    case 'yankee':
      return sizes(n, 2, n);
    case 'lucky15':
      return sizes(n, 1, n);
  }
}
