import type { TableConfig } from './types.ts';

/** Minor units are cents in these defaults: bets 0.10..1,000.00, worst-case round payout 200,000.00. */
export const DEFAULT_TABLE_CONFIG: Readonly<TableConfig> = Object.freeze({
  bettingWindowMs: 15_000,
  spinMs: 4_000,
  pauseMs: 6_000,
  minBetMinor: 10,
  maxBetMinor: 100_000,
  maxStakePerPlayerPerRoundMinor: 500_000,
  maxPayoutPerRoundMinor: 20_000_000,
  maxBetsPerPlayerPerRound: 50,
  maxBetsPerRound: 10_000,
  maxClientSeedsPerRound: 1_000,
  historySize: 20,
  betIdRetentionRounds: 50,
});

/** Largest gross multiple of the stake any bet can return (straight: 35:1 plus the stake). */
export const MAX_GROSS_MULTIPLE = 36;

type Bound = [key: keyof TableConfig, min: number, max: number];

const BOUNDS: Bound[] = [
  ['bettingWindowMs', 1, 3_600_000],
  ['spinMs', 0, 600_000],
  ['pauseMs', 0, 600_000],
  ['minBetMinor', 1, Number.MAX_SAFE_INTEGER],
  ['maxBetMinor', 1, Math.floor(Number.MAX_SAFE_INTEGER / MAX_GROSS_MULTIPLE)],
  ['maxStakePerPlayerPerRoundMinor', 1, Number.MAX_SAFE_INTEGER],
  ['maxPayoutPerRoundMinor', 1, Number.MAX_SAFE_INTEGER],
  ['maxBetsPerPlayerPerRound', 1, 1_000],
  ['maxBetsPerRound', 1, 100_000],
  ['maxClientSeedsPerRound', 1, 100_000],
  ['historySize', 0, 1_000],
  ['betIdRetentionRounds', 0, 10_000],
];

/** Problems with a config, as readable strings; empty when valid. */
export function validateTableConfig(config: TableConfig): string[] {
  const problems: string[] = [];
  for (const [key, min, max] of BOUNDS) {
    const value = config[key];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${key} must be an integer in ${min}..${max} (got ${String(value)})`);
    }
  }
  if (problems.length > 0) return problems;
  if (config.minBetMinor > config.maxBetMinor) problems.push('minBetMinor must not exceed maxBetMinor');
  if (config.maxStakePerPlayerPerRoundMinor < config.minBetMinor) {
    problems.push('maxStakePerPlayerPerRoundMinor must allow at least one minimum bet');
  }
  // Keeps every sum of stakes in a round a safe integer.
  if (config.maxBetsPerRound * config.maxBetMinor > Number.MAX_SAFE_INTEGER) {
    problems.push('maxBetsPerRound × maxBetMinor must be a safe integer');
  }
  return problems;
}

/** Defaults overlaid with `overrides`; throws listing every problem when the result is invalid. */
export function tableConfig(overrides: Partial<TableConfig> = {}): TableConfig {
  const config = { ...DEFAULT_TABLE_CONFIG, ...overrides };
  const problems = validateTableConfig(config);
  if (problems.length > 0) throw new Error(`invalid roulette table config: ${problems.join('; ')}`);
  return config;
}
