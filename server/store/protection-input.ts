/**
 * Checks on what callers hand the protection store, shared by the adapters: a bad record or
 * argument is `store/invalid_argument` and nothing is written.
 */
import { StoreError } from './types.ts';
import { LIMIT_METRICS, LIMIT_PERIODS, MAX_PROTECTION_EVENTS, type ProtectionRecord } from './protection-types.ts';
import { MAX_ID_LENGTH, MAX_KEY_LENGTH } from './wallet-input.ts';

/** A record's JSON is bounded so the wallet's per-stake read of it stays cheap. */
export const MAX_RECORD_BYTES = 64 * 1024;

function invalid(message: string): never {
  throw new StoreError('store/invalid_argument', message);
}

const isTime = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isTimeOrNull = (v: unknown): boolean => v === null || isTime(v);

export function checkAccountId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) invalid('invalid account id');
}

export function checkClaim(accountId: unknown, key: unknown, amountMinor: unknown, at: unknown): void {
  checkAccountId(accountId);
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) invalid('invalid claim key');
  if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor <= 0) invalid('amountMinor must be a positive safe integer');
  if (!isTime(at)) invalid('at must be a time');
}

/** Returns the record's JSON. */
export function checkProtectionRecord(r: ProtectionRecord): string {
  if (typeof r !== 'object' || r === null) invalid('record must be an object');
  checkAccountId(r.accountId);
  if (!Number.isSafeInteger(r.version) || r.version < 1) invalid('version must be a positive integer');
  const c = r.controls;
  if (typeof c !== 'object' || c === null || typeof c.limits !== 'object' || c.limits === null) invalid('controls.limits must be an object');
  for (const [metric, periods] of Object.entries(c.limits)) {
    if (!LIMIT_METRICS.includes(metric as never) || typeof periods !== 'object' || periods === null) invalid(`unknown limit ${metric}`);
    for (const [period, value] of Object.entries(periods)) {
      if (!LIMIT_PERIODS.includes(period as never)) invalid(`unknown period ${period}`);
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) invalid(`limit ${metric}/${period} must be a non-negative integer`);
    }
  }
  for (const k of ['sessionLimitMs', 'sessionStartedAt', 'blockedUntil', 'blockedAt'] as const) {
    if (!isTimeOrNull(c[k])) invalid(`controls.${k} must be a non-negative integer or null`);
  }
  if (c.blockKind !== null && c.blockKind !== 'time_out' && c.blockKind !== 'self_exclusion') invalid('unknown block kind');
  if (typeof c.bettingPaused !== 'boolean') invalid('controls.bettingPaused must be a boolean');
  if (!Array.isArray(r.pending) || r.pending.length > 9) invalid('pending must be an array of at most 9 changes');
  if (!Array.isArray(r.history) || r.history.length > MAX_PROTECTION_EVENTS) invalid(`history holds at most ${MAX_PROTECTION_EVENTS} events`);
  if (!isTimeOrNull(r.realityCheckMinutes)) invalid('realityCheckMinutes must be an integer or null');
  if (r.lastRealityCheckAt !== undefined && !isTimeOrNull(r.lastRealityCheckAt)) invalid('lastRealityCheckAt must be a time or null');
  if (!isTime(r.updatedAt)) invalid('updatedAt must be a time');
  const json = JSON.stringify(r);
  if (json.length > MAX_RECORD_BYTES) invalid(`a protection record is at most ${MAX_RECORD_BYTES} bytes`);
  return json;
}
