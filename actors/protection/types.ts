/**
 * A player's protection state: the limits and blocks they (or the rules) set on their account.
 * The wallet enforces `controls` inside its own transaction (server/store/limits.ts); the rules
 * for changing them are in rules.ts. Money is integer minor units; times are epoch milliseconds.
 */

export type LimitMetric = 'deposit' | 'loss' | 'wager';
export type LimitPeriod = 'day' | 'week' | 'month';
export const LIMIT_METRICS: readonly LimitMetric[] = ['deposit', 'loss', 'wager'];
export const LIMIT_PERIODS: readonly LimitPeriod[] = ['day', 'week', 'month'];

/** Per metric and period, the most allowed (absent: no limit). */
export type MoneyLimits = { [M in LimitMetric]?: { [P in LimitPeriod]?: number } };

export type BlockKind = 'time_out' | 'self_exclusion';

/** What the store enforces for one account, in the same transaction as the money. */
export interface AccountControls {
  limits: MoneyLimits;
  /** Longest session (since `sessionStartedAt`) during which stakes are accepted; null: none. */
  sessionLimitMs: number | null;
  /** When the current session began (login); null: no session recorded. */
  sessionStartedAt: number | null;
  /** A time-out or self-exclusion: no stakes or deposits before this instant (MAX_SAFE_INTEGER: permanent). */
  blockedUntil: number | null;
  blockKind: BlockKind | null;
  /** When the block was taken; tokens issued before it are revoked. */
  blockedAt: number | null;
  /** A reality check is waiting for the player's acknowledgement and the jurisdiction pauses play meanwhile. */
  bettingPaused: boolean;
}

/** A limit raise or removal waiting out its cooling-off period, then the player's confirmation. */
export interface PendingLimit {
  /** `session`: the session time limit (period null). */
  metric: LimitMetric | 'session';
  period: LimitPeriod | null;
  /** null: remove the limit. Minor units, or milliseconds for the session limit. */
  value: number | null;
  requestedAt: number;
  /** From this instant the player may confirm it. */
  confirmableAt: number;
}

export interface ProtectionEvent {
  at: number;
  /** e.g. `limit.decreased`, `limit.increase_requested`, `limit.increase_confirmed`, `block.time_out`. */
  type: string;
  details: Record<string, unknown>;
}

/** One account's protection state. `version` makes updates compare-and-set. */
export interface ProtectionRecord {
  accountId: string;
  version: number;
  controls: AccountControls;
  pending: PendingLimit[];
  /** Minutes between reality checks the player chose; null: off. */
  realityCheckMinutes: number | null;
  /** When the last reality check was due (and shown); null: none yet. */
  lastRealityCheckAt?: number | null;
  /** The newest events, newest last (bounded: MAX_PROTECTION_EVENTS). */
  history: ProtectionEvent[];
  updatedAt: number;
}

export const MAX_PROTECTION_EVENTS = 200;

/** A new account's record: nothing limited, nothing blocked. */
export function newProtectionRecord(accountId: string, at: number): ProtectionRecord {
  return {
    accountId,
    version: 1,
    controls: { limits: {}, sessionLimitMs: null, sessionStartedAt: null, blockedUntil: null, blockKind: null, blockedAt: null, bettingPaused: false },
    pending: [],
    realityCheckMinutes: null,
    lastRealityCheckAt: null,
    history: [],
    updatedAt: at,
  };
}
