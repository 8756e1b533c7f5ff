/**
 * Player-protection limits as the wallet enforces them: pure decisions over an account's controls
 * and usage counters, shared by every adapter. The adapter supplies `LimitsStorage` (its reads and
 * writes inside the wallet transaction), so a stake and the counters it moves commit together and
 * parallel bets on several processes can never pass a limit between them.
 *
 * Counting (UTC calendar periods; weeks start on Monday):
 * - wager: + every stake reserved; − a stake released (void, removed bet) in a period that counted it;
 * - loss (net): + every stake reserved; − a released stake as above; − every payout credited;
 * - deposit: + every deposit claimed at its start (ProtectionStore.claimDeposit); − a failed one.
 * A stake is refused when the counter plus the stake would pass a limit, so a limit also covers
 * the worst case of the bets still open.
 */
import {
  LIMIT_METRICS,
  LIMIT_PERIODS,
  type AccountControls,
  type LimitMetric,
  type LimitPeriod,
  type LimitRefusalCode,
  type LimitUsage,
} from './protection-types.ts';

export const PERMANENT = Number.MAX_SAFE_INTEGER;

const DAY_MS = 86_400_000;

export function periodStart(period: LimitPeriod, at: number): number {
  const d = new Date(at);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'day') return day;
  if (period === 'week') return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

const zeros = (): Record<LimitPeriod, number> => ({ day: 0, week: 0, month: 0 });

export function emptyUsage(at: number): LimitUsage {
  return {
    periodStarts: { day: periodStart('day', at), week: periodStart('week', at), month: periodStart('month', at) },
    counters: { deposit: zeros(), loss: zeros(), wager: zeros() },
  };
}

/** The counters as of `at`: a period that has ended starts again from zero. */
export function currentUsage(stored: LimitUsage | null, at: number): LimitUsage {
  const now = emptyUsage(at);
  if (!stored) return now;
  for (const p of LIMIT_PERIODS) {
    if (stored.periodStarts[p] !== now.periodStarts[p]) continue;
    for (const m of LIMIT_METRICS) now.counters[m][p] = stored.counters[m]?.[p] ?? 0;
  }
  return now;
}

/**
 * Adds `deltaMinor` to the metric in every current period that contains `countedAt` (a stake
 * returned is uncounted only from the periods that counted it).
 */
export function addUsage(usage: LimitUsage, metric: LimitMetric, deltaMinor: number, countedAt: number): LimitUsage {
  const next: LimitUsage = { periodStarts: { ...usage.periodStarts }, counters: { deposit: { ...usage.counters.deposit }, loss: { ...usage.counters.loss }, wager: { ...usage.counters.wager } } };
  for (const p of LIMIT_PERIODS) {
    if (countedAt >= next.periodStarts[p]) next.counters[metric][p] += deltaMinor;
  }
  return next;
}

export interface Refusal {
  code: LimitRefusalCode;
  message: string;
}

export function blockRefusal(c: AccountControls, at: number): Refusal | null {
  if (c.blockedUntil === null || at >= c.blockedUntil) return null;
  const until = c.blockedUntil >= PERMANENT ? 'permanently' : `until ${new Date(c.blockedUntil).toISOString()}`;
  const what = c.blockKind === 'self_exclusion' ? 'self-excluded' : 'on a time-out';
  return { code: 'protection/excluded', message: `this account is ${what} ${until}` };
}

function limitRefusal(c: AccountControls, usage: LimitUsage, metric: LimitMetric, amountMinor: number): Refusal | null {
  for (const p of LIMIT_PERIODS) {
    const limit = c.limits[metric]?.[p];
    if (limit === undefined) continue;
    const used = usage.counters[metric][p];
    if (used + amountMinor > limit) {
      return { code: `protection/${metric}_limit`, message: `your ${metric} limit per ${p} is ${limit}; ${Math.max(0, used)} is used, so ${amountMinor} more would pass it` };
    }
  }
  return null;
}

/** Why a stake of `amountMinor` is refused, or null when it may be taken. */
export function stakeRefusal(c: AccountControls, usage: LimitUsage, amountMinor: number, at: number): Refusal | null {
  const blocked = blockRefusal(c, at);
  if (blocked) return blocked;
  if (c.bettingPaused) return { code: 'protection/reality_check_pending', message: 'acknowledge the reality check to continue playing' };
  if (c.sessionLimitMs !== null && c.sessionStartedAt !== null && at - c.sessionStartedAt >= c.sessionLimitMs) {
    return { code: 'protection/session_limit', message: `your session time limit (${Math.round(c.sessionLimitMs / 60_000)} min) is reached; log in again later` };
  }
  return limitRefusal(c, usage, 'wager', amountMinor) ?? limitRefusal(c, usage, 'loss', amountMinor);
}

export function depositRefusal(c: AccountControls, usage: LimitUsage, amountMinor: number, at: number): Refusal | null {
  return blockRefusal(c, at) ?? limitRefusal(c, usage, 'deposit', amountMinor);
}

/** An adapter's reads and writes of one account's controls and counters, inside its wallet transaction. */
export interface LimitsStorage {
  /** null: the account has no protection record (nothing is enforced or counted). */
  controls(accountId: string): AccountControls | null;
  usage(accountId: string): LimitUsage | null;
  setUsage(accountId: string, usage: LimitUsage): void;
}

/**
 * Whether a hold (or a key derived from one) is a stake: table and event bets are held under
 * `<domain>:<roomId>:bet:<betId>` (rooms/money-keys.ts), multiples under `slip:<slipId>:stake`
 * (server/slips/money.ts). Other holds (a withdrawal's `payment:<id>:hold`) are not play: they
 * are neither limited nor counted, so a blocked or limited player can still withdraw.
 */
export function isStakeHold(holdId: string): boolean {
  return /^[a-z]+:.+:bet:/.test(holdId) || /^slip:[^:]+:stake(?::|$)/.test(holdId);
}

/** The wallet's extension point (LedgerPort.limits): what the ops call, before and after they move money. */
export interface LimitsPort {
  /** A hold is about to be reserved: a stake is refused, or counted (the op writes right after). */
  stake(accountId: string, amountMinor: number, at: number, holdId: string): Refusal | null;
  /** Held money returned to its owner (release, a capture's rest). */
  returned(accountId: string, amountMinor: number, heldSince: number, at: number, holdId: string): void;
  /** Winnings credited to a player. */
  paidOut(accountId: string, amountMinor: number, at: number): void;
}

export function limitsPort(storage: LimitsStorage): LimitsPort {
  const update = (accountId: string, at: number, change: (u: LimitUsage) => LimitUsage): void => {
    if (!storage.controls(accountId)) return;
    storage.setUsage(accountId, change(currentUsage(storage.usage(accountId), at)));
  };
  return {
    stake(accountId, amountMinor, at, holdId) {
      if (!isStakeHold(holdId)) return null;
      const controls = storage.controls(accountId);
      if (!controls) return null;
      const usage = currentUsage(storage.usage(accountId), at);
      const refusal = stakeRefusal(controls, usage, amountMinor, at);
      if (refusal) return refusal;
      storage.setUsage(accountId, addUsage(addUsage(usage, 'wager', amountMinor, at), 'loss', amountMinor, at));
      return null;
    },
    returned(accountId, amountMinor, heldSince, at, holdId) {
      if (!isStakeHold(holdId)) return;
      update(accountId, at, (u) => addUsage(addUsage(u, 'wager', -amountMinor, heldSince), 'loss', -amountMinor, heldSince));
    },
    paidOut(accountId, amountMinor, at) {
      update(accountId, at, (u) => addUsage(u, 'loss', -amountMinor, at));
    },
  };
}

/** The deposit claim's decision: the counters after it, or why it is refused. */
export function claimDeposit(controls: AccountControls | null, stored: LimitUsage | null, amountMinor: number, at: number): { usage: LimitUsage } | Refusal {
  const usage = currentUsage(stored, at);
  if (controls) {
    const refusal = depositRefusal(controls, usage, amountMinor, at);
    if (refusal) return refusal;
  }
  return { usage: addUsage(usage, 'deposit', amountMinor, at) };
}
