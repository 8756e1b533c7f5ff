/**
 * What a roulette bot bets: a spot mix that is mostly outside bets (as on real tables, where
 * even-money and dozen/column bets carry most of the stake) and a log-normal stake in minor
 * units, rounded to a chip and clamped to the table limits.
 */
import { INSIDE_BET_NUMBERS, type Spot } from '../../actors/roulette/index.ts';
import { normal, pick, type Rng } from './random.ts';

/** Share of bets per kind (sums to 1): ~70 % outside, ~30 % inside. */
export const SPOT_MIX: ReadonlyArray<[Spot['kind'], number]> = [
  ['red', 0.16], ['black', 0.14], ['odd', 0.05], ['even', 0.05], ['low', 0.05], ['high', 0.05],
  ['dozen', 0.12], ['column', 0.08],
  ['straight', 0.16], ['split', 0.06], ['street', 0.03], ['corner', 0.03], ['line', 0.02],
];

export function randomSpot(rng: Rng): Spot {
  let r = rng();
  let kind: Spot['kind'] = 'red';
  for (const [k, share] of SPOT_MIX) {
    kind = k;
    if ((r -= share) < 0) break;
  }
  switch (kind) {
    case 'straight': case 'split': case 'street': case 'corner': case 'line':
      return { kind, numbers: [...pick(rng, INSIDE_BET_NUMBERS[kind])] };
    case 'dozen': case 'column':
      return { kind, index: (1 + Math.floor(rng() * 3)) as 1 | 2 | 3 };
    default:
      return { kind };
  }
}

export interface StakeModel {
  /** Median stake in minor units. */
  medianMinor: number;
  /** Spread of log(stake); 1.0 puts the 90th percentile at ~3.6× the median. */
  sigma: number;
  /** Stakes are multiples of this (a chip). */
  chipMinor: number;
}

export const DEFAULT_STAKE: StakeModel = { medianMinor: 200, sigma: 1, chipMinor: 10 };

export function randomStake(rng: Rng, model: StakeModel, limits: { minBetMinor: number; maxBetMinor: number }): number {
  const raw = Math.exp(Math.log(model.medianMinor) + model.sigma * normal(rng));
  const chips = Math.max(1, Math.round(raw / model.chipMinor)) * model.chipMinor;
  return Math.min(limits.maxBetMinor, Math.max(limits.minBetMinor, chips));
}
