/**
 * Argument checks with the same limits and codes as the SQLite adapter, made before any I/O so
 * a malformed call is refused loudly (store/invalid_argument) and an oversized append is
 * journal/too_large. Pure.
 */
import { StoreError, SYSTEM_ACCOUNTS, type AccountKind, type EventRecord, type Role, type User } from '../types.ts';
import { MAX_ID_LENGTH } from '../wallet-input.ts';
import { MAX_READ_LIMIT, checkNonNegativeInteger } from '../journal-input.ts';

export {
  MAX_EVENTS_PER_APPEND, MAX_EVENT_DATA_BYTES, MAX_READ_LIMIT, checkNonNegativeInteger, checkRoomId, encodeEvents, type EncodedEvent,
} from '../journal-input.ts';

export const MAX_PAGE_SIZE = 200;
export const MAX_OPEN_HOLDS_PAGE = 1_000;
export const MAX_RECENT_ROUNDS = 100;
export const MAX_PLAYER_ROUNDS_PER_CALL = 10_000;
export const MAX_EVENTS_PAGE = 1_000;
const MAX_FIELD_LENGTH = 200;

const ACCOUNT_KINDS: ReadonlySet<string> = new Set<AccountKind>(['player', 'house', 'promotions', 'world', 'escrow']);
const SYSTEM_IDS: ReadonlySet<string> = new Set(Object.values(SYSTEM_ACCOUNTS));
const CURRENCY = /^[A-Za-z0-9_]{1,16}$/;
const ROLES: ReadonlySet<string> = new Set<Role>(['player', 'operator', 'admin', 'bot']);
const STATUSES: ReadonlySet<string> = new Set<User['status']>(['active', 'locked']);

export function invalid(message: string): never {
  throw new StoreError('store/invalid_argument', message);
}

export function checkAccount(id: string, kind: AccountKind, currency: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) invalid('invalid account id');
  if (!ACCOUNT_KINDS.has(kind)) invalid(`unknown account kind ${String(kind)}`);
  // Only start-up creates world and escrow: their balances carry ledger-wide meaning.
  if ((kind === 'world' || kind === 'escrow') && !SYSTEM_IDS.has(id)) invalid(`${kind} is a system account kind`);
  checkCurrency(currency);
}

export function checkCurrency(currency: string): void {
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) invalid('invalid currency');
}

/** The seq below which a transfer page starts (exclusive). */
export function pageStart(limit: number, before: string | null | undefined): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) invalid(`limit must be 1..${MAX_PAGE_SIZE}`);
  if (before != null && (typeof before !== 'string' || !/^[1-9][0-9]{0,15}$/.test(before))) invalid('invalid cursor');
  return before == null ? Number.MAX_SAFE_INTEGER : Number(before);
}

export function checkOpenHoldsQuery(prefix: string, limit: number, after?: string): void {
  if (typeof prefix !== 'string' || prefix.length > MAX_ID_LENGTH) invalid('invalid hold id prefix');
  if (after !== undefined && (typeof after !== 'string' || after.length > MAX_ID_LENGTH)) invalid('invalid hold id cursor');
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_OPEN_HOLDS_PAGE) invalid(`limit must be 1..${MAX_OPEN_HOLDS_PAGE}`);
}

export function checkAppend(firstSeq: number, opts: { fence?: number; at?: number } | undefined): void {
  if (typeof firstSeq !== 'number' || !Number.isSafeInteger(firstSeq) || firstSeq < 1) invalid('firstSeq must be a positive integer');
  if (opts?.fence !== undefined) checkNonNegativeInteger(opts.fence, 'fence');
  if (opts?.at !== undefined) checkNonNegativeInteger(opts.at, 'at');
}

export function checkReadQuery(opts: { afterSeq?: number; limit?: number } | undefined): { afterSeq: number; limit: number } {
  const afterSeq = opts?.afterSeq ?? 0;
  const limit = opts?.limit ?? MAX_READ_LIMIT;
  checkNonNegativeInteger(afterSeq, 'afterSeq');
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_READ_LIMIT) invalid(`limit must be 1..${MAX_READ_LIMIT}`);
  return { afterSeq, limit };
}

function checkString(value: unknown, name: string, max = MAX_FIELD_LENGTH): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) invalid(`${name} must be a string of 1..${max} characters`);
}

export function checkUser(user: User): void {
  checkString(user.id, 'id');
  checkString(user.username, 'username');
  checkString(user.passwordHash, 'passwordHash', 1_000);
  if (!ROLES.has(user.role)) invalid(`unknown role ${String(user.role)}`);
  if (!STATUSES.has(user.status)) invalid(`unknown status ${String(user.status)}`);
  if (!Number.isSafeInteger(user.createdAt)) invalid('createdAt must be an integer');
}

export function checkUserStatus(status: User['status']): void {
  if (!STATUSES.has(status)) invalid(`unknown status ${String(status)}`);
}

export function checkRecentLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_RECENT_ROUNDS) invalid(`limit must be 1..${MAX_RECENT_ROUNDS}`);
}

export function checkRoundId(roundId: unknown): void {
  checkString(roundId, 'roundId');
}

export function checkEventsQuery(statuses: EventRecord['status'][], limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_EVENTS_PAGE) invalid(`limit must be 1..${MAX_EVENTS_PAGE}`);
  if (!Array.isArray(statuses)) invalid('statuses must be an array');
}

export const MAX_USER_SEARCH = 100;

export function checkUserSearch(prefix: unknown, limit: unknown): void {
  if (typeof prefix !== 'string' || prefix.length > MAX_FIELD_LENGTH) invalid(`prefix must be a string of at most ${MAX_FIELD_LENGTH} characters`);
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_USER_SEARCH) invalid(`limit must be 1..${MAX_USER_SEARCH}`);
}
