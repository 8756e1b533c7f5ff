import type { CrashConfig } from './types.ts';

/** Minor units are cents: bets 0.10..1,000.00, one bet pays at most 100,000.00, the round's liability 500,000.00. */
export const DEFAULT_CRASH_CONFIG: Readonly<CrashConfig> = Object.freeze({
  bettingWindowMs: 8_000,
  pauseMs: 4_000,
  minBetMinor: 10,
  maxBetMinor: 100_000,
  maxStakePerPlayerPerRoundMinor: 100_000,
  maxPayoutPerBetMinor: 10_000_000,
  liabilityCapMinor: 50_000_000,
  maxBetsPerRound: 20_000,
  maxAutoCashOutCents: 100_000_000,
  historySize: 20,
});

type Bound = [key: keyof CrashConfig, min: number, max: number];

// Products stake × hundredths stay safe integers: maxBetMinor × maxAutoCashOutCents ≤ 2^53.
const BOUNDS: Bound[] = [
  ['bettingWindowMs', 1, 3_600_000],
  ['pauseMs', 0, 600_000],
  ['minBetMinor', 1, 1_000_000_000],
  ['maxBetMinor', 1, 1_000_000_000],
  ['maxStakePerPlayerPerRoundMinor', 1, 1_000_000_000],
  ['maxPayoutPerBetMinor', 1, 1_000_000_000_000],
  ['liabilityCapMinor', 1, 1_000_000_000_000],
  ['maxBetsPerRound', 1, 100_000],
  ['maxAutoCashOutCents', 101, 1_000_000_000],
  ['historySize', 0, 1_000],
];

/** Problems with a config, as readable strings; empty when valid. */
export function validateCrashConfig(config: CrashConfig): string[] {
  const problems: string[] = [];
  for (const [key, min, max] of BOUNDS) {
    const value = config[key];
    if (!Number.isSafeInteger(value) || value < min || value > max) problems.push(`${key} must be an integer in ${min}..${max} (got ${String(value)})`);
  }
  if (problems.length > 0) return problems;
  if (config.minBetMinor > config.maxBetMinor) problems.push('minBetMinor must not exceed maxBetMinor');
  if (config.maxStakePerPlayerPerRoundMinor < config.minBetMinor) problems.push('maxStakePerPlayerPerRoundMinor must allow a minimum bet');
  if (config.maxPayoutPerBetMinor * 100 < config.minBetMinor * 101) problems.push('maxPayoutPerBetMinor must allow a minimum bet to reach 1.01×');
  if (config.liabilityCapMinor * 100 < config.minBetMinor * 101) problems.push('liabilityCapMinor must allow a minimum bet to reach 1.01×');
  return problems;
}

/** Defaults overlaid with `overrides`; throws listing every problem when the result is invalid. */
export function crashConfig(overrides: Partial<CrashConfig> = {}): CrashConfig {
  const config = { ...DEFAULT_CRASH_CONFIG, ...overrides };
  const problems = validateCrashConfig(config);
  if (problems.length > 0) throw new Error(`invalid crash table config: ${problems.join('; ')}`);
  return config;
}
