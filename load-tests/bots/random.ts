/** Seeded randomness for bots, so a scenario's choices repeat from run to run. */

import { mulberry32, type Rng } from '../../actors/sportsbook/rng.ts';

export type { Rng };

/** The simulator's mulberry32: small, fast, good enough for load shapes (not for anything secret). */
export function seededRng(seed: number): Rng {
  return mulberry32(seed);
}

export function normal(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Waiting time of a Poisson process with `ratePerSecond`, in ms. */
export function exponentialMs(rng: Rng, ratePerSecond: number): number {
  return (-Math.log(1 - rng()) / ratePerSecond) * 1000;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

export function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng() * (hi - lo);
}
