/**
 * The storage port's player-protection part: the controls a player (or the rules) set on their
 * account, which the wallet enforces inside its own transaction (server/store/limits.ts), and the
 * usage counters it keeps for them. Money is integer minor units; times are epoch milliseconds.
 */

export {
  LIMIT_METRICS, LIMIT_PERIODS, MAX_PROTECTION_EVENTS, newProtectionRecord,
  type AccountControls, type BlockKind, type LimitMetric, type LimitPeriod, type MoneyLimits, type PendingLimit, type ProtectionEvent, type ProtectionRecord,
} from '../../actors/protection/types.ts';
import type { LimitMetric, LimitPeriod, ProtectionRecord } from '../../actors/protection/types.ts';

/** Money counted in the current day, week and month (UTC calendar periods, weeks from Monday). */
export interface LimitUsage {
  /** Start of the day, week and month the counters are for. */
  periodStarts: Record<LimitPeriod, number>;
  counters: Record<LimitMetric, Record<LimitPeriod, number>>;
}

export type LimitRefusalCode =
  | 'protection/excluded'
  | 'protection/session_limit'
  | 'protection/reality_check_pending'
  | 'protection/deposit_limit'
  | 'protection/loss_limit'
  | 'protection/wager_limit';

export type ClaimOutcome = { ok: true; replayed: boolean } | { ok: false; code: LimitRefusalCode; message: string };

export interface ProtectionStore {
  get(accountId: string): Promise<ProtectionRecord | null>;
  /**
   * Writes `record` when the stored version is `record.version - 1` (0: absent), else returns
   * false and writes nothing (someone else updated it: read again and retry).
   */
  save(record: ProtectionRecord): Promise<boolean>;
  /** The account's counters as of `at` (periods that ended read as zero). */
  usage(accountId: string, at: number): Promise<LimitUsage>;
  /**
   * Counts a deposit of `amountMinor` against the account's deposit limits, refusing it when it
   * would exceed one or when the account is blocked, in one atomic step. Idempotent by `key`.
   */
  claimDeposit(accountId: string, key: string, amountMinor: number, at: number): Promise<ClaimOutcome>;
  /** Gives a claimed deposit back (it failed): uncounted from the periods that counted it. Idempotent. */
  releaseDeposit(key: string, at: number): Promise<void>;
}

