import type { BlackjackConfig } from './types.ts';

/**
 * Defaults: 6 decks, cut card after 234 of 312 cards (75%), 7 seats, S17, 3:2, double any two,
 * DAS, split to 4 hands, split aces one card each (no resplit), insurance, late surrender, peek.
 * Minor units are cents: bets 1.00..500.00 per seat.
 */
export const DEFAULT_BLACKJACK_CONFIG: Readonly<BlackjackConfig> = Object.freeze({
  decks: 6,
  cutCardPosition: 234,
  seats: 7,
  maxSeatsPerPlayer: 3,
  minBetMinor: 100,
  maxBetMinor: 50_000,
  dealerHitsSoft17: false,
  doubleAfterSplit: true,
  maxHands: 4,
  resplitAces: false,
  lateSurrender: true,
  insurance: true,
  dealerPeek: true,
  bettingWindowMs: 15_000,
  decisionMs: 15_000,
  pauseMs: 4_000,
  recoveryGraceMs: 10_000,
  maxClientSeedsPerShoe: 1_000,
  betIdRetentionRounds: 50,
});

/** Largest gross multiple of the initial bet one seat can be paid (4 doubled hands, each winning 2×2) plus insurance. */
export const MAX_PAYOUT_MULTIPLE = 18;

/** Cards the shoe keeps behind the cut card at least: enough for the worst realistic round. */
export const MIN_CARDS_BEHIND_CUT = 60;

type Bound = [key: keyof BlackjackConfig, min: number, max: number];

const BOUNDS: Bound[] = [
  ['decks', 1, 8],
  ['cutCardPosition', 1, 8 * 52],
  ['seats', 1, 7],
  ['maxSeatsPerPlayer', 1, 7],
  ['minBetMinor', 2, Number.MAX_SAFE_INTEGER],
  ['maxBetMinor', 2, Math.floor(Number.MAX_SAFE_INTEGER / (7 * MAX_PAYOUT_MULTIPLE))],
  ['maxHands', 1, 4],
  ['bettingWindowMs', 1_000, 3_600_000],
  ['decisionMs', 1_000, 600_000],
  ['pauseMs', 0, 600_000],
  ['recoveryGraceMs', 0, 600_000],
  ['maxClientSeedsPerShoe', 1, 100_000],
  ['betIdRetentionRounds', 0, 10_000],
];
const FLAGS: Array<keyof BlackjackConfig> = ['dealerHitsSoft17', 'doubleAfterSplit', 'resplitAces', 'lateSurrender', 'insurance', 'dealerPeek'];

/** Problems with a config, as readable strings; empty when valid. */
export function validateBlackjackConfig(config: BlackjackConfig): string[] {
  const problems: string[] = [];
  for (const [key, min, max] of BOUNDS) {
    const value = config[key];
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) problems.push(`${key} must be an integer in ${min}..${max} (got ${String(value)})`);
  }
  for (const key of FLAGS) if (typeof config[key] !== 'boolean') problems.push(`${key} must be true or false`);
  if (problems.length > 0) return problems;
  if (config.minBetMinor > config.maxBetMinor) problems.push('minBetMinor must not exceed maxBetMinor');
  if (config.minBetMinor % 2 !== 0 || config.maxBetMinor % 2 !== 0) problems.push('minBetMinor and maxBetMinor must be even (3:2, surrender and insurance stay exact)');
  if (config.cutCardPosition > config.decks * 52 - MIN_CARDS_BEHIND_CUT) problems.push(`cutCardPosition must leave at least ${MIN_CARDS_BEHIND_CUT} cards behind the cut card`);
  if (config.maxSeatsPerPlayer > config.seats) problems.push('maxSeatsPerPlayer must not exceed seats');
  if (config.lateSurrender && !config.dealerPeek) problems.push('lateSurrender needs dealerPeek (surrender is offered after the dealer checked for blackjack)');
  return problems;
}

/** Defaults overlaid with `overrides`; throws listing every problem when the result is invalid. */
export function blackjackConfig(overrides: Partial<BlackjackConfig> = {}): BlackjackConfig {
  const config = { ...DEFAULT_BLACKJACK_CONFIG, ...overrides };
  const problems = validateBlackjackConfig(config);
  if (problems.length > 0) throw new Error(`invalid blackjack table config: ${problems.join('; ')}`);
  return config;
}
