/**
 * Pure mapping between MongoDB documents and the port's types. No I/O: everything here is
 * unit-tested without a server (test/store/mongodb/documents.test.ts).
 */
import { Long, type UpdateFilter } from 'mongodb';
import {
  StoreError,
  type Account,
  type EventRecord,
  type GameRound,
  type Hold,
  type JournalRecord,
  type PlayerRoundRecord,
  type Transfer,
  type User,
} from '../types.ts';
import type {
  AccountDoc,
  EventDoc,
  GameRoundDoc,
  HoldDoc,
  JournalDoc,
  PlayerRoundDoc,
  TransferDoc,
  UserDoc,
  WalletKeyDoc,
} from './schema.ts';

function corrupt(message: string): never {
  throw new StoreError('store/corrupt', message);
}

function invalid(message: string): never {
  throw new StoreError('store/invalid_argument', message);
}

/** A stored integer (Int64, Int32, double or bigint) as a safe JS integer; anything else is corruption. */
export function toInt(value: unknown, field: string): number {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (Long.isLong(value)) n = value.toNumber();
  else if (typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'number') {
    n = (value as { value: number }).value; // Int32 / Double wrappers when values are not promoted
  }
  if (n === undefined || !Number.isSafeInteger(n)) corrupt(`${field} is not a safe integer (${String(value)})`);
  if (typeof value === 'bigint' && BigInt(n) !== value) corrupt(`${field} is beyond the safe integers`);
  return n;
}

export function toIntOrNull(value: unknown, field: string): number | null {
  return value === null || value === undefined ? null : toInt(value, field);
}

/** A JS integer as BSON Int64. Not a safe integer is a caller error. */
export function long(value: number, field = 'value'): Long {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid(`${field} must be a safe integer`);
  return Long.fromNumber(value);
}

export function longOrNull(value: number | null | undefined, field = 'value'): Long | null {
  return value === null || value === undefined ? null : long(value, field);
}

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export function toAccount(doc: AccountDoc): Account {
  return {
    id: String(doc._id),
    kind: doc.kind,
    currency: String(doc.currency),
    balanceMinor: toInt(doc.balanceMinor, 'accounts.balanceMinor'),
    heldMinor: toInt(doc.heldMinor, 'accounts.heldMinor'),
    createdAt: toInt(doc.createdAt, 'accounts.createdAt'),
  };
}

export function accountDoc(account: Account): AccountDoc {
  return {
    _id: account.id,
    kind: account.kind,
    currency: account.currency,
    balanceMinor: long(account.balanceMinor, 'balanceMinor'),
    heldMinor: long(account.heldMinor, 'heldMinor'),
    createdAt: long(account.createdAt, 'createdAt'),
  };
}

export function toTransfer(doc: TransferDoc): Transfer {
  const seq = toInt(doc._id, 'transfers._id');
  return {
    id: String(seq),
    key: String(doc.key),
    fromAccountId: String(doc.fromAccountId),
    toAccountId: String(doc.toAccountId),
    amountMinor: toInt(doc.amountMinor, 'transfers.amountMinor'),
    kind: doc.kind,
    holdId: str(doc.holdId),
    memo: str(doc.memo),
    createdAt: toInt(doc.createdAt, 'transfers.createdAt'),
    seq,
    ownerAccountId: str(doc.ownerAccountId ?? null),
    ownerBalanceAfterMinor: doc.ownerBalanceAfterMinor == null ? null : toInt(doc.ownerBalanceAfterMinor, 'transfers.ownerBalanceAfterMinor'),
  };
}

export function transferDoc(t: Transfer): TransferDoc {
  return {
    _id: long(t.seq, 'seq'),
    key: t.key,
    fromAccountId: t.fromAccountId,
    toAccountId: t.toAccountId,
    amountMinor: long(t.amountMinor, 'amountMinor'),
    kind: t.kind,
    holdId: t.holdId,
    memo: t.memo,
    createdAt: long(t.createdAt, 'createdAt'),
    ownerAccountId: t.ownerAccountId,
    ownerBalanceAfterMinor: t.ownerBalanceAfterMinor === null ? null : long(t.ownerBalanceAfterMinor, 'ownerBalanceAfterMinor'),
  };
}

/** A hold with the seq of the reserve transfer that opened it (its ledger position). */
export interface HoldRecord {
  hold: Hold;
  reserveSeq: number;
}

export function toHold(doc: HoldDoc): Hold {
  return {
    id: String(doc._id),
    accountId: String(doc.accountId),
    amountMinor: toInt(doc.amountMinor, 'holds.amountMinor'),
    status: doc.status,
    capturedMinor: toInt(doc.capturedMinor, 'holds.capturedMinor'),
    createdAt: toInt(doc.createdAt, 'holds.createdAt'),
    resolvedAt: toIntOrNull(doc.resolvedAt, 'holds.resolvedAt'),
  };
}

export function toHoldRecord(doc: HoldDoc): HoldRecord {
  return { hold: toHold(doc), reserveSeq: toInt(doc.reserveSeq, 'holds.reserveSeq') };
}

export function holdDoc({ hold, reserveSeq }: HoldRecord): HoldDoc {
  return {
    _id: hold.id,
    accountId: hold.accountId,
    amountMinor: long(hold.amountMinor, 'amountMinor'),
    status: hold.status,
    capturedMinor: long(hold.capturedMinor, 'capturedMinor'),
    createdAt: long(hold.createdAt, 'createdAt'),
    resolvedAt: longOrNull(hold.resolvedAt, 'resolvedAt'),
    reserveSeq: long(reserveSeq, 'reserveSeq'),
  };
}

/** What an applied idempotency key recorded. */
export interface AppliedKey {
  key: string;
  fingerprint: string;
  transferSeqs: number[];
  holdId: string | null;
  callId: string;
  createdAt: number;
}

export function toAppliedKey(doc: WalletKeyDoc): AppliedKey {
  if (!Array.isArray(doc.transferSeqs)) corrupt(`wallet_keys ${doc._id} has no transferSeqs`);
  return {
    key: String(doc._id),
    fingerprint: String(doc.fingerprint),
    transferSeqs: doc.transferSeqs.map((seq) => toInt(seq, 'wallet_keys.transferSeqs')),
    holdId: str(doc.holdId),
    callId: String(doc.callId),
    createdAt: toInt(doc.createdAt, 'wallet_keys.createdAt'),
  };
}

export function walletKeyDoc(k: AppliedKey): WalletKeyDoc {
  return {
    _id: k.key,
    fingerprint: k.fingerprint,
    transferSeqs: k.transferSeqs.map((seq) => long(seq, 'transferSeqs')),
    holdId: k.holdId,
    callId: k.callId,
    createdAt: long(k.createdAt, 'createdAt'),
  };
}

/** Usernames are unique regardless of case; JS lower-casing covers all of Unicode (as in SQLite). */
export const usernameKey = (username: string): string => username.toLowerCase();

export function toUser(doc: UserDoc): User {
  return {
    id: String(doc._id),
    username: String(doc.username),
    passwordHash: String(doc.passwordHash),
    role: doc.role,
    status: doc.status,
    createdAt: toInt(doc.createdAt, 'users.createdAt'),
  };
}

export function userDoc(user: User): UserDoc {
  return {
    _id: user.id,
    username: user.username,
    usernameKey: usernameKey(user.username),
    passwordHash: user.passwordHash,
    role: user.role,
    status: user.status,
    createdAt: long(user.createdAt, 'createdAt'),
  };
}

export function journalDoc(roomId: string, seq: number, type: string, json: string, at: number): JournalDoc {
  return { roomId, seq: long(seq, 'seq'), type, data: json, at: long(at, 'at') };
}

export function toJournalRecord(doc: JournalDoc): JournalRecord {
  let data: unknown;
  try {
    data = JSON.parse(String(doc.data));
  } catch {
    corrupt(`journal ${doc.roomId}#${String(doc.seq)} holds data that is not JSON`);
  }
  return { roomId: String(doc.roomId), seq: toInt(doc.seq, 'journal.seq'), type: String(doc.type), data, at: toInt(doc.at, 'journal.at') };
}

export function toRound(doc: GameRoundDoc): GameRound {
  return {
    roundId: String(doc._id),
    tableId: String(doc.tableId),
    game: String(doc.game),
    nonce: toInt(doc.nonce, 'game_rounds.nonce'),
    serverSeedHash: str(doc.serverSeedHash),
    serverSeed: str(doc.serverSeed),
    clientSeed: str(doc.clientSeed),
    clientSeeds: Array.isArray(doc.clientSeeds) ? doc.clientSeeds.map(String) : null,
    result: toIntOrNull(doc.result, 'game_rounds.result'),
    status: doc.status,
    openedAt: toIntOrNull(doc.openedAt, 'game_rounds.openedAt'),
    finishedAt: toIntOrNull(doc.finishedAt, 'game_rounds.finishedAt'),
  };
}

/**
 * The upsert that gives the port's merge semantics (same as SQLite's ON CONFLICT): table, game
 * and nonce are written only on insert, status always, and every other field only when the
 * update carries a value; a null leaves the stored value as it is (null on insert).
 */
export function roundUpsert(round: GameRound): UpdateFilter<GameRoundDoc> {
  const set: Partial<GameRoundDoc> = { status: round.status };
  const setOnInsert: Partial<GameRoundDoc> = { tableId: round.tableId, game: round.game, nonce: long(round.nonce, 'nonce') };
  const merged = {
    serverSeedHash: round.serverSeedHash ?? null,
    serverSeed: round.serverSeed ?? null,
    clientSeed: round.clientSeed ?? null,
    result: longOrNull(round.result, 'result'),
    openedAt: longOrNull(round.openedAt, 'openedAt'),
    finishedAt: longOrNull(round.finishedAt, 'finishedAt'),
  };
  for (const [field, value] of Object.entries(merged) as Array<[keyof typeof merged, string | Long | null]>) {
    if (value === null) (setOnInsert as Record<string, unknown>)[field] = null;
    else (set as Record<string, unknown>)[field] = value;
  }
  if (round.clientSeeds) set.clientSeeds = [...round.clientSeeds];
  else setOnInsert.clientSeeds = null;
  return { $set: set, $setOnInsert: setOnInsert };
}

export const playerRoundId = (userId: string, roundId: string): string => JSON.stringify([userId, roundId]);

export function playerRoundDoc(r: PlayerRoundRecord): PlayerRoundDoc {
  const bets = JSON.stringify(r.bets ?? null);
  if (bets === undefined) invalid('bets must be JSON-serialisable');
  return {
    _id: playerRoundId(r.userId, r.roundId),
    userId: r.userId,
    roundId: r.roundId,
    tableId: r.tableId,
    game: r.game,
    result: longOrNull(r.result, 'result'),
    bets,
    stakeMinor: long(r.stakeMinor, 'stakeMinor'),
    payoutMinor: long(r.payoutMinor, 'payoutMinor'),
    balanceBeforeMinor: long(r.balanceBeforeMinor, 'balanceBeforeMinor'),
    balanceAfterMinor: long(r.balanceAfterMinor, 'balanceAfterMinor'),
    settledAt: long(r.settledAt, 'settledAt'),
  };
}

export function toPlayerRound(doc: PlayerRoundDoc): PlayerRoundRecord {
  return {
    userId: String(doc.userId),
    roundId: String(doc.roundId),
    tableId: String(doc.tableId),
    game: String(doc.game),
    result: toIntOrNull(doc.result, 'player_rounds.result'),
    bets: JSON.parse(String(doc.bets)) as unknown[],
    stakeMinor: toInt(doc.stakeMinor, 'player_rounds.stakeMinor'),
    payoutMinor: toInt(doc.payoutMinor, 'player_rounds.payoutMinor'),
    balanceBeforeMinor: toInt(doc.balanceBeforeMinor, 'player_rounds.balanceBeforeMinor'),
    balanceAfterMinor: toInt(doc.balanceAfterMinor, 'player_rounds.balanceAfterMinor'),
    settledAt: toInt(doc.settledAt, 'player_rounds.settledAt'),
  };
}

export function eventDoc(event: EventRecord): EventDoc {
  if (typeof event.eventId !== 'string' || event.eventId.length === 0) invalid('eventId must be a non-empty string');
  return {
    _id: event.eventId,
    status: event.status,
    startsAt: long(event.startsAt, 'startsAt'),
    data: JSON.stringify(event),
    updatedAt: long(event.updatedAt, 'updatedAt'),
  };
}

export function toEvent(doc: EventDoc): EventRecord {
  try {
    return JSON.parse(String(doc.data)) as EventRecord;
  } catch {
    corrupt(`event ${doc._id} holds data that is not JSON`);
  }
}

/**
 * A regular expression source matching strings that start with `prefix` literally. Anchored and
 * case-sensitive, so MongoDB turns it into a tight index range. Every ASCII character that is not
 * a letter or digit is escaped (PCRE treats an escaped non-alphanumeric as a literal; control
 * characters, including NUL which a BSON regex cannot hold, become \xhh); non-ASCII characters
 * are literals in PCRE's UTF mode and are left as they are.
 */
export function prefixPattern(prefix: string): string {
  let out = '^';
  for (const ch of prefix) {
    const code = ch.codePointAt(0)!;
    if (/[A-Za-z0-9]/.test(ch) || code > 0x7f) out += ch;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += `\\${ch}`;
  }
  return out;
}
