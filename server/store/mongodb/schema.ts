/**
 * The MongoDB layout: collection names, document shapes and the indexes created at start.
 *
 * Integers (money, sequence numbers, timestamps) are written as BSON Int64 (`Long`), never as
 * doubles, so the server does integer arithmetic in `$inc` and `$sum`. The driver reads an
 * Int64 back as a JS number when it fits in 53 bits, hence the `Long | number` field types.
 * Journal event data and player-round bets are stored as JSON text, exactly as the SQLite
 * adapter stores them, so both adapters return the same values (JSON round-trip) and any
 * field name (`$`-prefixed, dotted) is accepted.
 */
import type { IndexDescription, Long } from 'mongodb';
import type { AccountKind, EventRecord, GameRound, HoldStatus, Role, TransferKind, User } from '../types.ts';

export type Int = Long | number;

export const COLLECTIONS = {
  meta: 'meta',
  counters: 'counters',
  accounts: 'accounts',
  transfers: 'transfers',
  holds: 'holds',
  walletKeys: 'wallet_keys',
  users: 'users',
  journal: 'journal',
  journalRooms: 'journal_rooms',
  roomFences: 'room_fences',
  gameRounds: 'game_rounds',
  playerRounds: 'player_rounds',
  events: 'events',
  auditLog: 'audit_log',
  bonusGrants: 'bonus_grants',
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** Bumped when the layout changes incompatibly; a database written by newer code is refused. */
export const SCHEMA_VERSION = 1;

/** The id of the counter document that numbers transfers. */
export const TRANSFER_COUNTER_ID = 'transfers';

export interface MetaDoc {
  _id: 'schema';
  version: number;
  createdAt: Int;
}

export interface CounterDoc {
  _id: string;
  /** The last transfer seq handed out; transfers are numbered seq+1, seq+2, … in the next transaction. */
  seq: Int;
}

export interface AccountDoc {
  _id: string;
  kind: AccountKind;
  currency: string;
  balanceMinor: Int;
  heldMinor: Int;
  createdAt: Int;
}

export interface TransferDoc {
  /** The transfer's seq: the ledger position and paging cursor. */
  _id: Int;
  key: string;
  fromAccountId: string;
  toAccountId: string;
  amountMinor: Int;
  kind: TransferKind;
  holdId: string | null;
  memo: string | null;
  createdAt: Int;
  /** Absent on transfers written before the owner's balance was recorded. */
  ownerAccountId?: string | null;
  ownerBalanceAfterMinor?: Int | null;
}

export interface HoldDoc {
  _id: string;
  accountId: string;
  amountMinor: Int;
  status: HoldStatus;
  capturedMinor: Int;
  createdAt: Int;
  resolvedAt: Int | null;
  /** Seq of the reserve transfer: breaks createdAt ties in ledger order (oldest first). */
  reserveSeq: Int;
}

/** One per applied idempotency key: what was asked (fingerprint) and what it wrote. */
export interface WalletKeyDoc {
  _id: string;
  fingerprint: string;
  transferSeqs: Int[];
  holdId: string | null;
  /** The apply call that wrote it, so a retry of that same call is not reported as a replay. */
  callId: string;
  createdAt: Int;
}

export interface UserDoc {
  _id: string;
  username: string;
  /** Lower-cased username (full Unicode, in JS): the case-insensitive unique key. */
  usernameKey: string;
  passwordHash: string;
  role: Role;
  status: User['status'];
  createdAt: Int;
}

export interface JournalDoc {
  roomId: string;
  seq: Int;
  type: string;
  /** JSON text of the event data. */
  data: string;
  at: Int;
}

export interface JournalRoomDoc {
  _id: string;
  lastSeq: Int;
  /** Token of the append that wrote lastSeq, so a retried append can tell its own commit. */
  lastAppendId: string;
}

export interface RoomFenceDoc {
  _id: string;
  fence: Int;
}

export interface GameRoundDoc {
  _id: string;
  tableId: string;
  game: string;
  nonce: Int;
  serverSeedHash: string | null;
  serverSeed: string | null;
  clientSeed: string | null;
  /** Absent on rounds written before the seeds were recorded. */
  clientSeeds?: string[] | null;
  result: Int | null;
  status: GameRound['status'];
  openedAt: Int | null;
  finishedAt: Int | null;
}

export interface PlayerRoundDoc {
  /** JSON of [userId, roundId]: one row per player and round. */
  _id: string;
  userId: string;
  roundId: string;
  tableId: string;
  game: string;
  result: Int | null;
  /** JSON text of the bets. */
  bets: string;
  stakeMinor: Int;
  payoutMinor: Int;
  balanceBeforeMinor: Int;
  balanceAfterMinor: Int;
  settledAt: Int;
}

/** The audit chain's end, kept in `counters` under the id `audit`. */
export interface AuditHeadDoc {
  _id: 'audit';
  seq: Int;
  hash: string;
}

/** One operator action; `_id` is its seq. `details` is canonical JSON text (hashed as stored). */
export interface AuditDoc {
  _id: Int;
  actorId: string;
  actorName: string;
  action: string;
  target: string;
  reason: string | null;
  details: string | null;
  at: Int;
  prevHash: string;
  hash: string;
}

/** A bonus account's current (or last) grant; the grant itself is JSON text, like the SQLite store. */
export interface BonusGrantDoc {
  /** The bonus account id. */
  _id: string;
  ownerAccountId: string;
  status: string;
  expiresAt: Int;
  /** JSON text of the whole BonusGrant. */
  data: string;
}

/** A live sports event's listing; the record itself is kept as JSON text, like the SQLite store. */
export interface EventDoc {
  _id: string;
  status: EventRecord['status'];
  startsAt: Int;
  /** JSON text of the whole EventRecord. */
  data: string;
  updatedAt: Int;
}

const OPEN = { status: 'open' } as const;

/**
 * Every secondary index, by collection. Names are fixed because error translation reads them
 * from duplicate-key messages. `_id` is unique in every collection (account, hold, key, user,
 * room and round ids; transfer seqs).
 */
export const INDEXES: Record<CollectionName, IndexDescription[]> = {
  meta: [],
  counters: [],
  accounts: [],
  transfers: [
    { name: 'transfers_key', key: { key: 1 }, unique: true },
    { name: 'transfers_from_seq', key: { fromAccountId: 1, _id: 1 } },
    { name: 'transfers_to_seq', key: { toAccountId: 1, _id: 1 } },
  ],
  holds: [
    { name: 'holds_open_by_id', key: { status: 1, _id: 1 }, partialFilterExpression: OPEN },
    { name: 'holds_open_by_age', key: { createdAt: 1, reserveSeq: 1 }, partialFilterExpression: OPEN },
  ],
  wallet_keys: [],
  users: [{ name: 'users_username_key', key: { usernameKey: 1 }, unique: true }],
  journal: [{ name: 'journal_room_seq', key: { roomId: 1, seq: 1 }, unique: true }],
  journal_rooms: [],
  room_fences: [],
  game_rounds: [],
  player_rounds: [{ name: 'player_rounds_recent', key: { userId: 1, settledAt: -1, roundId: -1 } }],
  events: [{ name: 'events_by_status', key: { status: 1, startsAt: 1, _id: 1 } }],
  audit_log: [],
  bonus_grants: [{ name: 'bonus_grants_active_by_expiry', key: { status: 1, expiresAt: 1, _id: 1 } }],
};
