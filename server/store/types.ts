/**
 * The storage port. Every adapter (embedded SQLite, MongoDB) implements `Store` and runs the
 * shared contract suite in test/store/contract.ts. Money is integer minor units everywhere.
 *
 * Error model: expected outcomes that callers act on (insufficient funds, idempotency conflict,
 * hold already resolved) are returned as values (`WalletOutcome`). Conditions that mean a caller
 * or the cluster is broken (journal sequence conflict, stale fence, unique username) throw
 * `StoreError` with a namespaced code.
 */

import type { SettledWager } from '../../actors/promotions/contribution.ts';
import type { ContributionRules } from '../../actors/promotions/types.ts';
import type { LimitRefusalCode, ProtectionStore } from './protection-types.ts';
import type { FundedAppendResult, FundedEntry } from './funded.ts';

export type AccountKind = 'player' | 'house' | 'promotions' | 'world' | 'escrow';

/** System accounts, created by the adapter's migrations. */
export const SYSTEM_ACCOUNTS = {
  /** Money entering/leaving the platform (deposits, withdrawals). The only account allowed below zero. */
  world: 'sys:world',
  /** The operator's bankroll: receives losing stakes, pays winnings. */
  house: 'sys:house',
  /** Funds demo balances and bonuses. */
  promotions: 'sys:promotions',
  /** Holds money reserved by open holds; its balance always equals the sum of open holds. */
  escrow: 'sys:escrow',
} as const;

export interface Account {
  id: string;
  kind: AccountKind;
  currency: string;
  /** Posted balance of the account (for players: the available balance; held money sits in escrow). */
  balanceMinor: number;
  /** Sum of this account's open holds (money reserved from it, now in escrow). */
  heldMinor: number;
  createdAt: number;
}

export type TransferKind =
  | 'deposit'
  | 'withdrawal'
  | 'promotion'
  | 'reserve'
  | 'capture'
  | 'release'
  | 'payout'
  | 'adjustment'
  | 'funding'
  /** A clawback's unpaid rest recorded as the player's debt (world → the player's receivable). */
  | 'debt'
  /** A credit paying down a debt: player → house, and the receivable back to world. */
  | 'repayment'
  /** Bonus money granted or adjusted (a campaign's budget → the player's bonus account; docs/PROMOTIONS.md). */
  | 'bonus'
  /** Bonus money turned into cash once its wagering is met (bonus account → cash account). */
  | 'conversion'
  /** Bonus money taken back (expiry, withdrawal, above the conversion cap): bonus account → the campaign. */
  | 'forfeit';

export interface Transfer {
  id: string;
  /** Caller-supplied idempotency key, unique across the ledger. */
  key: string;
  fromAccountId: string;
  toAccountId: string;
  amountMinor: number;
  kind: TransferKind;
  /** The hold this transfer belongs to (reserve, capture, release), if any. */
  holdId: string | null;
  memo: string | null;
  createdAt: number;
  /** Monotonic ledger position, used as paging cursor (newest first). */
  seq: number;
  /**
   * The account this transfer is about for its owner (`transferOwner` in wallet-ops.ts): a
   * hold's owner for reserve, capture and release, else the player side. null on transfers
   * written before schema v6.
   */
  ownerAccountId: string | null;
  /**
   * The owner's balance (posted + held, what GET /wallet calls `balanceMinor`) right after this
   * transfer, as the ledger wrote it: a record quotes it instead of reading a live balance.
   */
  ownerBalanceAfterMinor: number | null;
}

export type HoldStatus = 'open' | 'captured' | 'released';

export interface Hold {
  /** The hold id is the idempotency key of the reserve that created it (e.g. `bet:<betId>:reserve`). */
  id: string;
  accountId: string;
  amountMinor: number;
  status: HoldStatus;
  /** Amount captured to a destination when resolved by capture (rest is released). */
  capturedMinor: number;
  createdAt: number;
  resolvedAt: number | null;
}

export type WalletOp =
  | {
      type: 'transfer'; key: string; fromAccountId: string; toAccountId: string; amountMinor: number; kind: TransferKind; memo?: string;
      /**
       * A payout of the bet staked under this hold: the share staked with bonus money goes to the
       * player's bonus account (bonus-ops.ts). Absent: all of it goes to `toAccountId`.
       */
      stakeHoldId?: string;
    }
  /**
   * Moves `amountMinor` from the account to escrow under a new hold whose id is `key`. With
   * `bonus: true` the stake spends cash first, then the player's active bonus (a second hold
   * `<key>#bonus` on the bonus account; bonus-ops.ts).
   */
  | { type: 'reserve'; key: string; accountId: string; amountMinor: number; memo?: string; bonus?: boolean }
  /**
   * Resolves an open hold: `amountMinor` (default: all of it) goes from escrow to `toAccountId`, any rest back to the owner.
   * A stake's bonus hold (`<holdId>#bonus`) is captured with it; `wager` says what was settled, and
   * the owner's active bonus counts its contribution (by the grant's rules) towards wagering (bonus-ops.ts).
   */
  | { type: 'capture'; key: string; holdId: string; toAccountId: string; amountMinor?: number; memo?: string; wager?: SettledWager }
  /** Resolves an open hold by returning all of it to the owner. */
  | { type: 'release'; key: string; holdId: string; memo?: string }
  /**
   * Takes up to `amountMinor` from the account's available balance to `toAccountId` in the same
   * transaction (a balancing debit: never `wallet/insufficient_funds`); any rest is recorded as
   * the account's debt in its receivable account (`receivableAccountId`, which must exist when
   * there is a rest). Later credits to the account pay the debt down first. `clawbackSplit`
   * reads what was taken and what became debt from the outcome.
   */
  | { type: 'clawback'; key: string; accountId: string; toAccountId: string; amountMinor: number; memo?: string }
  | BonusOp;

/**
 * Bonus money ops (docs/PROMOTIONS.md, server/store/bonus-ops.ts). `accountId` is always the
 * player's cash account; the bonus account is `bonusAccountId(accountId)`.
 */
export type BonusOp =
  /** Grants a bonus: `amountMinor` from `fromAccountId` (a campaign's budget) to the bonus account, with its terms. */
  | {
      type: 'bonusGrant'; key: string; accountId: string; fromAccountId: string; amountMinor: number;
      wageringRequiredMinor: number; maxBetMinor: number; conversionCapMinor: number; expiresAt: number;
      /** How much of each settled stake counts towards wagering, by game. */
      contribution: ContributionRules; memo?: string;
    }
  /** Ends the grant `grantId` (if still active): its available bonus balance goes back to where it came from. */
  | { type: 'bonusClose'; key: string; accountId: string; grantId: string; reason: 'expired' | 'forfeited'; memo?: string }
  /** An operator's correction of the active grant's balance (+ from its funding account, − back to it). */
  | { type: 'bonusAdjust'; key: string; accountId: string; deltaMinor: number; memo?: string };

export type BonusStatus = 'active' | 'converted' | 'expired' | 'forfeited';

/** The state of a player's current (or last) bonus, stored beside its account and changed only inside wallet ops. */
export interface BonusGrant {
  /** The bonus account (`bonus:<cash account id>`); one grant at a time per bonus account. */
  accountId: string;
  /** The player's cash account. */
  ownerAccountId: string;
  /** The key of the bonusGrant op that opened it. */
  grantId: string;
  /** Where the money came from and where forfeited money goes back (a campaign's budget account). */
  fundingAccountId: string;
  status: BonusStatus;
  /** Granted plus operator credits minus operator debits. */
  grantedMinor: number;
  wageringRequiredMinor: number;
  /** Weighted sum of qualifying stakes settled while the grant was active. */
  wageredMinor: number;
  /** The weights (actors/promotions/contribution.ts). */
  contribution: ContributionRules;
  /** Largest stake that may use bonus money (0: no limit). */
  maxBetMinor: number;
  conversionCapMinor: number;
  convertedMinor: number;
  forfeitedMinor: number;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
}

export type WalletErrorCode =
  | 'wallet/insufficient_funds'
  | 'wallet/idempotency_conflict'
  | 'wallet/unknown_account'
  | 'wallet/hold_not_found'
  | 'wallet/hold_resolved'
  | 'wallet/invalid_amount'
  | 'wallet/same_account'
  | 'wallet/currency_mismatch'
  | 'wallet/aborted'
  /** A stake using bonus money above the bonus's max bet. */
  | 'wallet/bonus_max_bet'
  /** A new grant while the player's bonus is still active or has stakes open. */
  | 'wallet/bonus_active'
  /** An op that needs an active bonus found none. */
  | 'wallet/bonus_inactive'
  /** Expiry asked before the bonus's expiry time. */
  | 'wallet/bonus_not_expired'
  /** A player-protection control refused a stake (server/store/limits.ts). */
  | LimitRefusalCode;


/** A room's ownership token, carried by every wallet call the room makes (cluster mode). */
export interface RoomFence {
  roomId: string;
  fence: number;
}

export type WalletOutcome =
  | {
      ok: true;
      /** True when the key had already been applied and this is the first outcome, returned again. */
      replayed: boolean;
      /** The transfers the op wrote (capture with a remainder writes two: capture then release). */
      transfers: Transfer[];
      hold: Hold | null;
    }
  | { ok: false; code: WalletErrorCode; message: string };

export interface Page<T> {
  items: T[];
  /** Pass as `before` to get the next (older) page; null when there is none. */
  nextCursor: string | null;
}

export interface Reconciliation {
  /** True when the books balance: sum is zero, escrow equals open holds, nobody but world is negative. */
  ok: boolean;
  sumOfBalancesMinor: number;
  escrowBalanceMinor: number;
  openHoldsMinor: number;
  openHoldCount: number;
  /** Up to 100 open holds, oldest first. */
  openHolds: Hold[];
  /** Accounts other than world whose balance is below zero (must be empty). */
  negativeAccounts: Array<{ id: string; balanceMinor: number }>;
  accountCount: number;
  transferCount: number;
  /** What players owe (sum of receivable balances, `receivable:<accountId>` accounts). */
  receivablesMinor: number;
  /** Receivable accounts with a debt. */
  receivableCount: number;
  /** Up to 100 of them, largest debt first. */
  receivables: Array<{ id: string; balanceMinor: number }>;
  /** Bonus money players hold (bonus accounts' balances plus their held stakes): the operator's outstanding bonus liability. */
  bonusLiabilityMinor: number;
  /** Bonus money ever turned into cash (conversion transfers): the bonus cost that became real money. */
  bonusConvertedMinor: number;
  /** Bonus money ever granted (bonus transfers into bonus accounts, net of operator debits). */
  bonusGrantedMinor: number;
  /** Bonus money taken back (forfeit transfers). */
  bonusForfeitedMinor: number;
}

export interface WalletStore {
  /** Creates the account if missing (idempotent); returns it. */
  ensureAccount(id: string, kind: AccountKind, currency: string): Promise<Account>;
  getAccount(id: string): Promise<Account | null>;
  getHold(id: string): Promise<Hold | null>;
  /**
   * Applies the ops in order. Each op is idempotent by its key: a repeat with identical
   * parameters returns the first outcome with `replayed: true`; the same key with different
   * parameters is `wallet/idempotency_conflict`. With `atomic: true` the ops succeed or fail
   * together (on failure every outcome after the failing one is `wallet/aborted` and nothing
   * is written; the ops before it are reported `wallet/aborted` too, since their writes were
   * undone). Outcomes resolve only once durable. With `fence`, a stale caller is refused as a
   * whole (see WalletApplyOptions.fence).
   */
  apply(ops: WalletOp[], opts?: WalletApplyOptions): Promise<WalletOutcome[]>;
  /** The transfer written under this idempotency key (an op's own or a side effect's, e.g. `:rest`), or null. */
  transferByKey(key: string): Promise<Transfer | null>;
  /** The account's transfers (either side), newest first. `limit` is 1..200. */
  listTransfers(accountId: string, opts: { limit: number; before?: string | null }): Promise<Page<Transfer>>;
  reconcile(): Promise<Reconciliation>;
  /**
   * Open holds whose id starts with `prefix` (a room's holds), in id order, after the id `after`
   * when given (paging); `limit` is 1..1000.
   */
  listOpenHolds(opts: { prefix: string; limit: number; after?: string }): Promise<Hold[]>;
  /** The player's current (or last) bonus grant by their cash account id, or null. */
  bonusGrant(ownerAccountId: string): Promise<BonusGrant | null>;
  /** Active grants whose expiry is at or before `at`, oldest expiry first; `limit` 1..1000 (the expiry sweep). */
  expiredBonusGrants(at: number, limit: number): Promise<BonusGrant[]>;
}

export type Role = 'player' | 'operator' | 'admin' | 'bot';

export interface User {
  id: string;
  /** As registered (case preserved); uniqueness is case-insensitive. */
  username: string;
  passwordHash: string;
  role: Role;
  status: 'active' | 'locked';
  createdAt: number;
}

export interface UserStore {
  /** Throws StoreError('store/username_taken') when the username (case-insensitive) exists. */
  create(user: User): Promise<User>;
  findById(id: string): Promise<User | null>;
  findByUsername(username: string): Promise<User | null>;
  setStatus(id: string, status: User['status']): Promise<void>;
  /**
   * Users whose username starts with `prefix` regardless of case (empty: everyone), ordered by
   * lower-cased username; `limit` is 1..100.
   */
  search(prefix: string, limit: number): Promise<User[]>;
  /**
   * Every user after `afterKey` (a lower-cased username; null: from the first) in lower-cased
   * username order, at most `limit` (1..100): a cursor for jobs that visit every player.
   */
  listAfter(afterKey: string | null, limit: number): Promise<User[]>;
}

export interface JournalEvent {
  type: string;
  data: unknown;
}

export interface JournalRecord extends JournalEvent {
  roomId: string;
  /** 1-based, contiguous per room. */
  seq: number;
  at: number;
}

export type { FundedAppendResult, FundedEntry } from './funded.ts';

export interface JournalStore {
  /**
   * Appends events with sequence numbers `firstSeq`, `firstSeq+1`, … atomically and durably.
   * Throws StoreError('journal/seq_conflict') unless `firstSeq` is exactly lastSeq+1.
   * When `fence` is given it must be >= the highest fence ever used for this room, else
   * StoreError('journal/stale_fence'); the highest fence is recorded.
   */
  append(roomId: string, firstSeq: number, events: JournalEvent[], opts?: { fence?: number; at?: number }): Promise<JournalRecord[]>;
  /**
   * Appends entries in order from `firstSeq`, each funded one only with its wallet ops (same fence
   * rules for both): a bet's record and its stake's hold in one write (funded.ts).
   */
  appendFunded(roomId: string, firstSeq: number, entries: FundedEntry[], opts?: { fence?: number; at?: number }): Promise<FundedAppendResult>;
  /** Records after `afterSeq` in order, at most `limit` (default 10,000). */
  read(roomId: string, opts?: { afterSeq?: number; limit?: number }): Promise<JournalRecord[]>;
  lastSeq(roomId: string): Promise<number>;
  /** Room ids that have a journal, optionally filtered by prefix (e.g. `roulette:`). */
  listRooms(prefix?: string): Promise<string[]>;
}

/** A game round's public facts: the provably-fair proof (seed only once revealed) and result. */
export interface GameRound {
  roundId: string;
  tableId: string;
  game: string;
  nonce: number;
  /** null in an update leaves the stored value as it is (upserts merge non-null fields). */
  serverSeedHash: string | null;
  /** null until revealed; never stored before the result is drawn. */
  serverSeed: string | null;
  clientSeed: string | null;
  /** The players' submitted seeds the client seed was derived from, in rule order (absent or null in an update: unchanged). */
  clientSeeds?: string[] | null;
  result: number | null;
  status: 'open' | 'drawn' | 'voided';
  openedAt: number | null;
  finishedAt: number | null;
}

/** One player's part of a finished round, for game recall. */
export interface PlayerRoundRecord {
  userId: string;
  roundId: string;
  tableId: string;
  game: string;
  result: number | null;
  bets: unknown[];
  stakeMinor: number;
  payoutMinor: number;
  balanceBeforeMinor: number;
  balanceAfterMinor: number;
  settledAt: number;
}

/** A live sports event's listing: what GET /events shows and what a restart re-opens. */
export interface EventRecord {
  eventId: string;
  status: 'scheduled' | 'in_play' | 'finished' | 'abandoned';
  league: string;
  home: string;
  away: string;
  lambdaHome: number;
  lambdaAway: number;
  /** Dixon–Coles ρ and pricing model version the event is priced with (absent: engine defaults, given by hand). */
  rho?: number;
  modelVersion?: string;
  startsAt: number;
  minute: number;
  score: { home: number; away: number };
  updatedAt: number;
}

export interface GameStore {
  upsertEvent(event: EventRecord): Promise<void>;
  getEvent(eventId: string): Promise<EventRecord | null>;
  /** Events with one of `statuses`, by start time (soonest first); `limit` 1..1000. */
  listEvents(opts: { statuses: EventRecord['status'][]; limit: number }): Promise<EventRecord[]>;
  /** Inserts or merges (non-null fields of `round` overwrite). */
  upsertRound(round: GameRound): Promise<void>;
  getRound(roundId: string): Promise<GameRound | null>;
  /** Idempotent per (userId, roundId): a repeat replaces the row. */
  addPlayerRounds(rows: PlayerRoundRecord[]): Promise<void>;
  /** Newest first; `limit` 1..100. */
  recentPlayerRounds(userId: string, limit: number): Promise<PlayerRoundRecord[]>;
}

/** What an operator did, as the caller gives it to `AuditStore.append`. */
export interface AuditEntryInput {
  actorId: string;
  actorName: string;
  /** Namespaced verb, e.g. `player.lock`, `market.suspend`. */
  action: string;
  /** What it was done to, e.g. `user:<id>`, `event:<id>/market:<id>`. */
  target: string;
  reason: string | null;
  /** Any JSON object (at most 16 KiB as JSON); stored and hashed in canonical form. */
  details: Record<string, unknown> | null;
  at: number;
}

/** A stored audit entry: 1-based contiguous `seq`, and `hash = sha256(prevHash + canonical entry)`. */
export interface AuditEntry extends AuditEntryInput {
  seq: number;
  /** The previous entry's hash; 64 zeros for the first entry. */
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  /** True when every entry's hash is recomputed from its content and chains to its predecessor. */
  ok: boolean;
  entries: number;
  /** Hash of the last entry checked (64 zeros when the log is empty). */
  headHash: string;
  /** The first entry that fails, with what is wrong; null when ok. */
  firstBadSeq: number | null;
  problem: string | null;
}

/**
 * Append-only audit log of operator actions with a tamper-evident hash chain: no update or
 * delete exists in the port; an edit made behind its back is found by `verify()`.
 */
export interface AuditStore {
  /** Appends after the current head, atomically (concurrent appends form one chain). */
  append(entry: AuditEntryInput): Promise<AuditEntry>;
  /** Newest first; `limit` is 1..200; `before` is a previous page's `nextCursor`. */
  list(opts: { limit: number; before?: string | null }): Promise<Page<AuditEntry>>;
  /** Re-hashes the whole chain from the first entry. */
  verify(): Promise<AuditVerification>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  users: UserStore;
  audit: AuditStore;
  wallet: WalletStore;
  journal: JournalStore;
  games: GameStore;
  /** Player protection: limits, blocks, usage counters (protection-types.ts). */
  protection: ProtectionStore;
  /** Resolves when the store answers; rejects otherwise (used by /readyz). */
  ping(): Promise<void>;
  /** Flushes pending writes and closes. */
  close(): Promise<void>;
}

export interface WalletApplyOptions {
  /** All ops or none (see apply). */
  atomic?: boolean;
  /**
   * Throughput over latency (a round's settlement): an adapter may write it after latency-bound
   * calls made later. Callers that need an order await the earlier call.
   */
  bulk?: boolean;
  /**
   * The calling room's fencing token. Checked in the same transaction as the ops: when a higher
   * fence has been recorded for the room (by a journal append or a wallet call), the call throws
   * StoreError('wallet/stale_fence') and writes nothing; a higher fence than recorded is recorded.
   * Journal appends and wallet calls share one fence per room.
   */
  fence?: RoomFence;
}

export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
