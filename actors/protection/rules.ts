/**
 * The rules for changing a player's protection controls (pure: the clock arrives in the command).
 *
 * - A new or lower limit takes effect at once (UKGC RTS 12; MGA PPD art. 4).
 * - A higher limit, or removing one, waits out a cooling-off period (default 24 h) and then needs
 *   the player's confirmation; until then the old limit stands.
 * - Time-outs run 24 h .. 6 weeks, self-exclusions 6 months .. 5 years or permanently (LCCP SR
 *   3.5.3, RTS 14); a new block may lengthen a running one, never shorten it, and nothing lifts one
 *   early (operators included: there is no command for it).
 */
import { MAX_PROTECTION_EVENTS, type BlockKind, type LimitMetric, type LimitPeriod, type PendingLimit, type ProtectionEvent, type ProtectionRecord } from './types.ts';
import type { Rejection } from '../decision.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const PERMANENT_BLOCK = Number.MAX_SAFE_INTEGER;
export const TIME_OUT_MIN_MS = DAY_MS;
export const TIME_OUT_MAX_MS = 42 * DAY_MS;
export const SELF_EXCLUSION_MIN_MONTHS = 6;
export const SELF_EXCLUSION_MAX_MONTHS = 60;
export const REALITY_CHECK_MINUTES = { min: 5, max: 480 } as const;

export type ProtectionCommand =
  | { type: 'setLimit'; metric: LimitMetric; period: LimitPeriod; valueMinor: number | null; at: number; coolingOffMs: number }
  | { type: 'setSessionLimit'; limitMs: number | null; at: number; coolingOffMs: number }
  | { type: 'confirmLimit'; metric: LimitMetric | 'session'; period: LimitPeriod | null; at: number }
  | { type: 'cancelLimitChange'; metric: LimitMetric | 'session'; period: LimitPeriod | null; at: number }
  | { type: 'timeOut'; durationMs: number; at: number }
  | { type: 'selfExclude'; months: number | 'permanent'; at: number }
  /** A new account of a person who self-excluded on another (matched on verified identity): the same end. */
  | { type: 'inheritExclusion'; until: number; at: number }
  | { type: 'startSession'; at: number }
  | { type: 'setRealityCheck'; minutes: number | null; at: number }
  /** The check due at `dueAt` (nextRealityCheckAt); a no-op when it was already shown (by another process). */
  | { type: 'realityCheckDue'; dueAt: number; pauseBetting: boolean; at: number }
  | { type: 'acknowledgeRealityCheck'; at: number };

export type ProtectionDecision = { ok: true; record: ProtectionRecord; event: ProtectionEvent | null } | { ok: false; rejection: Rejection };

const reject = (code: string, message: string, details?: Record<string, unknown>): ProtectionDecision => ({ ok: false, rejection: { code, message, ...(details ? { details } : {}) } });

function next(r: ProtectionRecord, at: number, change: Partial<ProtectionRecord>, event: Omit<ProtectionEvent, 'at'> | null): ProtectionDecision {
  const history = event ? [...r.history, { at, ...event }].slice(-MAX_PROTECTION_EVENTS) : r.history;
  return { ok: true, record: { ...r, ...change, history, version: r.version + 1, updatedAt: at }, event: event ? { at, ...event } : null };
}

const samePending = (p: PendingLimit, metric: string, period: LimitPeriod | null) => p.metric === metric && p.period === period;

/** Adds `months` calendar months (UTC), clamped to the month's last day. */
export function addMonths(at: number, months: number): number {
  const d = new Date(at);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/** A limit change: lower or new at once; higher or removed after cooling-off and confirmation. */
function changeLimit(r: ProtectionRecord, metric: LimitMetric | 'session', period: LimitPeriod | null, value: number | null, current: number | null, at: number, coolingOffMs: number): ProtectionDecision {
  const pending = r.pending.filter((p) => !samePending(p, metric, period));
  const what = { metric, period, value, previous: current };
  if (value !== null && (current === null || value <= current)) {
    return next(r, at, { controls: setValue(r, metric, period, value), pending }, { type: current === null ? 'limit.set' : 'limit.decreased', details: what });
  }
  if (value === current) return { ok: true, record: r, event: null };
  const change: PendingLimit = { metric, period, value, requestedAt: at, confirmableAt: at + coolingOffMs };
  return next(r, at, { pending: [...pending, change] }, { type: value === null ? 'limit.removal_requested' : 'limit.increase_requested', details: { ...what, confirmableAt: change.confirmableAt } });
}

function setValue(r: ProtectionRecord, metric: LimitMetric | 'session', period: LimitPeriod | null, value: number | null): ProtectionRecord['controls'] {
  if (metric === 'session') return { ...r.controls, sessionLimitMs: value };
  const periods = { ...(r.controls.limits[metric] ?? {}) };
  if (value === null) delete periods[period!];
  else periods[period!] = value;
  return { ...r.controls, limits: { ...r.controls.limits, [metric]: periods } };
}

function currentValue(r: ProtectionRecord, metric: LimitMetric | 'session', period: LimitPeriod | null): number | null {
  if (metric === 'session') return r.controls.sessionLimitMs;
  return r.controls.limits[metric]?.[period!] ?? null;
}

function block(r: ProtectionRecord, kind: BlockKind, until: number, at: number): ProtectionDecision {
  const c = r.controls;
  const running = c.blockedUntil !== null && c.blockedUntil > at;
  if (running && c.blockedUntil! > until) {
    return reject('protection/cannot_shorten', `a ${c.blockKind === 'self_exclusion' ? 'self-exclusion' : 'time-out'} runs until ${c.blockedUntil! >= PERMANENT_BLOCK ? 'forever' : new Date(c.blockedUntil!).toISOString()}; it cannot be shortened`, { blockedUntil: c.blockedUntil });
  }
  // A self-exclusion stays one when a time-out lengthens it.
  const blockKind: BlockKind = running && c.blockKind === 'self_exclusion' ? 'self_exclusion' : kind;
  return next(r, at, { controls: { ...c, blockedUntil: until, blockKind, blockedAt: at, bettingPaused: false } }, { type: `block.${kind}`, details: { until, permanent: until >= PERMANENT_BLOCK } });
}

/**
 * When the next reality check is due: every `realityCheckMinutes` from the session's start (RTS
 * 13), counting from the last one shown in this session; null when off or no session.
 */
export function nextRealityCheckAt(r: ProtectionRecord): number | null {
  const start = r.controls.sessionStartedAt;
  if (r.realityCheckMinutes === null || start === null) return null;
  const last = r.lastRealityCheckAt ?? null;
  return (last !== null && last >= start ? last : start) + r.realityCheckMinutes * 60_000;
}

export function decideProtection(r: ProtectionRecord, cmd: ProtectionCommand): ProtectionDecision {
  const { at } = cmd;
  switch (cmd.type) {
    case 'setLimit':
      return changeLimit(r, cmd.metric, cmd.period, cmd.valueMinor, currentValue(r, cmd.metric, cmd.period), at, cmd.coolingOffMs);
    case 'setSessionLimit':
      return changeLimit(r, 'session', null, cmd.limitMs, r.controls.sessionLimitMs, at, cmd.coolingOffMs);
    case 'confirmLimit': {
      const p = r.pending.find((x) => samePending(x, cmd.metric, cmd.period));
      if (!p) return reject('protection/no_pending_change', 'there is no pending change of that limit to confirm');
      if (at < p.confirmableAt) {
        return reject('protection/cooling_off', `this change can be confirmed from ${new Date(p.confirmableAt).toISOString()} (cooling-off period)`, { confirmableAt: p.confirmableAt });
      }
      const pending = r.pending.filter((x) => x !== p);
      return next(r, at, { controls: setValue(r, p.metric, p.period, p.value), pending }, { type: 'limit.change_confirmed', details: { metric: p.metric, period: p.period, value: p.value } });
    }
    case 'cancelLimitChange': {
      const pending = r.pending.filter((x) => !samePending(x, cmd.metric, cmd.period));
      if (pending.length === r.pending.length) return reject('protection/no_pending_change', 'there is no pending change of that limit');
      return next(r, at, { pending }, { type: 'limit.change_cancelled', details: { metric: cmd.metric, period: cmd.period } });
    }
    case 'timeOut':
      if (!Number.isSafeInteger(cmd.durationMs) || cmd.durationMs < TIME_OUT_MIN_MS || cmd.durationMs > TIME_OUT_MAX_MS) {
        return reject('protection/invalid_duration', 'a time-out lasts from 24 hours to 6 weeks');
      }
      return block(r, 'time_out', at + cmd.durationMs, at);
    case 'selfExclude': {
      if (cmd.months !== 'permanent' && (!Number.isSafeInteger(cmd.months) || cmd.months < SELF_EXCLUSION_MIN_MONTHS || cmd.months > SELF_EXCLUSION_MAX_MONTHS)) {
        return reject('protection/invalid_duration', 'a self-exclusion lasts from 6 months to 5 years, or is permanent');
      }
      return block(r, 'self_exclusion', cmd.months === 'permanent' ? PERMANENT_BLOCK : addMonths(at, cmd.months), at);
    }
    case 'inheritExclusion':
      if (!Number.isSafeInteger(cmd.until) || cmd.until <= at) return reject('protection/invalid_duration', 'the exclusion has ended');
      return block(r, 'self_exclusion', cmd.until, at);
    case 'startSession':
      return next(r, at, { controls: { ...r.controls, sessionStartedAt: at } }, null);
    case 'setRealityCheck':
      if (cmd.minutes !== null && (!Number.isSafeInteger(cmd.minutes) || cmd.minutes < REALITY_CHECK_MINUTES.min || cmd.minutes > REALITY_CHECK_MINUTES.max)) {
        return reject('protection/invalid_interval', `a reality check interval is ${REALITY_CHECK_MINUTES.min}..${REALITY_CHECK_MINUTES.max} minutes, or off`);
      }
      return next(r, at, { realityCheckMinutes: cmd.minutes }, { type: 'reality_check.interval', details: { minutes: cmd.minutes } });
    case 'realityCheckDue': {
      const due = nextRealityCheckAt(r);
      if (due === null || cmd.dueAt < due || at < cmd.dueAt) return { ok: true, record: r, event: null };
      return next(r, at, { controls: { ...r.controls, bettingPaused: cmd.pauseBetting }, lastRealityCheckAt: cmd.dueAt }, { type: 'reality_check.shown', details: { paused: cmd.pauseBetting, dueAt: cmd.dueAt } });
    }
    case 'acknowledgeRealityCheck':
      if (!r.controls.bettingPaused) return { ok: true, record: r, event: null };
      return next(r, at, { controls: { ...r.controls, bettingPaused: false } }, { type: 'reality_check.acknowledged', details: {} });
  }
}
