/**
 * The ledger of one write transaction (one group-committed batch of the write queue). Reads go
 * through a working set: each account, hold and key is read from SQLite at most once per batch,
 * so the house and escrow rows every op touches are read once, not once per op. Writes are
 * buffered and written just before COMMIT with one set-based statement per table (`flush`):
 * every account row is updated once per batch whatever the number of ops that moved it, and the
 * transfers, holds and keys go in as one INSERT … SELECT FROM jsonb_each each.
 *
 * Everything happens inside the batch's BEGIN IMMEDIATE, so the working set is exactly what
 * SQLite holds for every process. Account rows (and missing ids) stay cached from one batch to
 * the next as long as no other connection has committed in between (`PRAGMA data_version`
 * unchanged): then the cached rows are what this connection last wrote. An undo log takes back
 * a failed job's in-memory effects (an atomic call that hit a rejection), as its savepoint does
 * for its SQL. After the transfers, the batch writes the history postings when their chunk is
 * due (history.ts).
 */
import type { DatabaseSync } from 'node:sqlite';
import { StoreError, SYSTEM_ACCOUNTS, type Account, type BonusGrant, type Hold, type HoldStatus, type Transfer } from '../types.ts';
import type { AppliedKey, LedgerPort, NewTransfer } from '../wallet-ops.ts';
import type { LimitsPort } from '../limits.ts';
import { createHistoryIndexer, type LedgerOptions } from './history.ts';
import { toAccount, toHold, toTransfer } from './rows.ts';
import type { TransactionHooks } from './write-queue.ts';

/** Beyond this many cached account rows the cache starts again empty (memory bound). */
const MAX_CACHED_ACCOUNTS = 100_000;

type BufferedTransfer = Transfer & { fingerprint: string | null };

export class BatchLedger implements LedgerPort, TransactionHooks {
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly indexHistory: (lastSeq: number) => void;
  private accounts = new Map<string, Account>();
  /** data_version seen at this batch's BEGIN, and after the last batch whose writes were flushed. */
  private batchVersion: number | null = null;
  private committedVersion: number | null = null;
  /**
   * Account ids read and found missing (a credit to a player looks for their receivable, which
   * rarely exists), kept like `accounts`; `accountCreated` takes an id out when it is created.
   */
  private missingAccounts = new Set<string>();
  private dirtyAccounts = new Set<string>();
  private holds = new Map<string, Hold>();
  /** Hold ids read and found missing in this batch (a stake's bonus part is looked for at every settlement). */
  private missingHolds = new Set<string>();
  /** Holds created in this batch (inserted at flush with their final state). */
  private newHolds = new Set<string>();
  /** Holds that existed before this batch and were resolved in it. */
  private resolvedHolds = new Set<string>();
  private transfers: BufferedTransfer[] = [];
  private transferIndexByKey = new Map<string, number>();
  /** Outcomes of ops that wrote more than one transfer (a capture with a remainder), by key. */
  private keys = new Map<string, AppliedKey & { at: number }>();
  private firstSeq: number | null = null;
  /** Bonus grants read (null: none) or changed in this batch, and which were changed. */
  private grants = new Map<string, BonusGrant | null>();
  private dirtyGrants = new Set<string>();
  private undoLog: Array<() => void> = [];
  /** Player protection's limits check (set by writes.ts; its rows are undone by the job's savepoint). */
  limits?: LimitsPort;

  constructor(db: DatabaseSync, opts: LedgerOptions = {}) {
    this.sql = prepareStatements(db);
    this.indexHistory = createHistoryIndexer(db, opts);
  }

  // ------------------------------------------------------------ transaction hooks

  begin(): void {
    const version = Number(this.sql.dataVersion.get()!.data_version);
    if (version !== this.committedVersion || this.accounts.size + this.missingAccounts.size > MAX_CACHED_ACCOUNTS) {
      this.accounts.clear();
      this.missingAccounts.clear();
    }
    this.clearBatch();
    // Set only once this batch's writes are flushed; an abort (reset) clears it.
    this.committedVersion = null;
    this.batchVersion = version;
  }

  mark(): number {
    return this.undoLog.length;
  }

  undo(mark: number): void {
    while (this.undoLog.length > mark) this.undoLog.pop()!();
  }

  /** Writes the batch's buffered changes; throws (and the batch is rolled back) on any failure. */
  flush(): void {
    if (this.dirtyAccounts.size > 0) {
      const rows = [...this.dirtyAccounts].map((id) => {
        const a = this.accounts.get(id)!;
        return [id, a.balanceMinor, a.heldMinor];
      });
      this.sql.updateAccounts.run(JSON.stringify(rows));
    }
    if (this.newHolds.size > 0) {
      const rows = [...this.newHolds].map((id) => {
        const h = this.holds.get(id)!;
        return [h.id, h.accountId, h.amountMinor, h.status, h.capturedMinor, h.createdAt, h.resolvedAt];
      });
      this.sql.insertHolds.run(JSON.stringify(rows));
    }
    if (this.resolvedHolds.size > 0) {
      const rows = [...this.resolvedHolds].map((id) => {
        const h = this.holds.get(id)!;
        return [h.id, h.status, h.capturedMinor, h.resolvedAt];
      });
      this.sql.resolveHolds.run(JSON.stringify(rows));
    }
    if (this.transfers.length > 0) {
      const rows = this.transfers.map((t) => [t.seq, t.key, t.fromAccountId, t.toAccountId, t.amountMinor, t.kind, t.holdId, t.memo, t.createdAt, t.fingerprint, t.ownerAccountId, t.ownerBalanceAfterMinor]);
      this.sql.insertTransfers.run(JSON.stringify(rows));
      this.indexHistory(this.transfers[this.transfers.length - 1]!.seq);
    }
    if (this.keys.size > 0) {
      const rows = [...this.keys].map(([key, k]) => [key, k.fingerprint, k.transferSeqs.join(','), k.holdId, k.at]);
      this.sql.insertKeys.run(JSON.stringify(rows));
    }
    for (const id of this.dirtyGrants) {
      const g = this.grants.get(id)!;
      this.sql.upsertGrant.run(g.accountId, g.ownerAccountId, g.status, g.expiresAt, JSON.stringify(g));
    }
    // The cached accounts now hold what the COMMIT that follows writes; if it fails, the write
    // queue calls reset().
    this.clearBatch();
    this.committedVersion = this.batchVersion;
  }

  /** The batch is rolled back: nothing cached survives it. */
  reset(): void {
    this.accounts.clear();
    this.missingAccounts.clear();
    this.committedVersion = null;
    this.clearBatch();
  }

  private clearBatch(): void {
    this.dirtyAccounts.clear();
    this.holds.clear();
    this.missingHolds.clear();
    this.newHolds.clear();
    this.resolvedHolds.clear();
    this.transfers = [];
    this.transferIndexByKey.clear();
    this.keys.clear();
    this.firstSeq = null;
    this.grants.clear();
    this.dirtyGrants.clear();
    this.undoLog = [];
  }

  bonusGrant(accountId: string): BonusGrant | null {
    if (this.grants.has(accountId)) return this.grants.get(accountId)!;
    const row = this.sql.grant.get(accountId);
    const grant = row ? (JSON.parse(String(row.data)) as BonusGrant) : null;
    this.grants.set(accountId, grant);
    return grant;
  }

  putBonusGrant(grant: BonusGrant): void {
    const before = this.bonusGrant(grant.accountId);
    const wasDirty = this.dirtyGrants.has(grant.accountId);
    this.grants.set(grant.accountId, grant);
    this.dirtyGrants.add(grant.accountId);
    this.undoLog.push(() => {
      this.grants.set(grant.accountId, before);
      if (!wasDirty) this.dirtyGrants.delete(grant.accountId);
    });
  }

  // ------------------------------------------------------------ reads

  account(id: string): Account | null {
    const cached = this.accounts.get(id);
    if (cached) return cached;
    if (this.missingAccounts.has(id)) return null;
    const row = this.sql.account.get(id);
    if (!row) {
      this.missingAccounts.add(id);
      return null;
    }
    const account = toAccount(row);
    this.accounts.set(id, account);
    return account;
  }

  /** Accounts are created only by wallet.ensureAccount (wallet.ts), which reports them here. */
  accountCreated(id: string): void {
    this.missingAccounts.delete(id);
  }

  /** Created by the first migration; its absence means a corrupt file, not a caller error. */
  escrow(): Account {
    const escrow = this.account(SYSTEM_ACCOUNTS.escrow);
    if (!escrow) throw new StoreError('store/corrupt', `system account ${SYSTEM_ACCOUNTS.escrow} is missing`);
    return escrow;
  }

  hold(id: string): Hold | null {
    const cached = this.holds.get(id);
    if (cached) return cached;
    // A miss can be remembered: holds are created only by openHold, which finds it in `holds` first.
    if (this.missingHolds.has(id)) return null;
    const row = this.sql.hold.get(id);
    if (!row) {
      this.missingHolds.add(id);
      return null;
    }
    const hold = toHold(row);
    this.holds.set(id, hold);
    return hold;
  }

  /**
   * A key's first outcome: on its transfer row when the op wrote one transfer under its own key
   * (schema v5), else in idempotency. Every op writes a transfer under its key, so no such
   * transfer means the key is unused.
   */
  appliedKey(key: string): AppliedKey | null {
    const index = this.transferIndexByKey.get(key);
    if (index !== undefined) {
      const t = this.transfers[index]!;
      if (t.fingerprint !== null) return { fingerprint: t.fingerprint, transferSeqs: [t.seq], holdId: t.holdId };
      const recorded = this.keys.get(key) ?? this.storedKey(key);
      if (!recorded) throw new StoreError('store/corrupt', `transfer ${t.seq} under key ${key} has no recorded outcome`);
      return recorded;
    }
    const own = this.sql.transferByKey.get(key);
    if (!own) return null;
    if (own.fingerprint !== null) {
      return { fingerprint: String(own.fingerprint), transferSeqs: [Number(own.seq)], holdId: own.hold_id === null ? null : String(own.hold_id) };
    }
    const recorded = this.storedKey(key);
    if (!recorded) throw new StoreError('store/corrupt', `transfer ${String(own.seq)} under key ${key} has no recorded outcome`);
    return recorded;
  }

  /** A repeat is always a replay here: a commit either happened or did not. */
  isReplayFor(): boolean {
    return true;
  }

  transfer(seq: number): Transfer | null {
    if (this.firstSeq !== null && seq >= this.firstSeq) {
      const t = this.transfers[seq - this.firstSeq];
      return t ? publicTransfer(t) : null;
    }
    const row = this.sql.transferBySeq.get(seq);
    return row ? toTransfer(row) : null;
  }

  // ------------------------------------------------------------ writes (buffered)

  /** Moves the money and records the transfer; the caller has checked funds and accounts. */
  post(t: NewTransfer): Transfer {
    if (this.firstSeq === null) {
      // Inside BEGIN IMMEDIATE: no other connection can take seqs until this batch commits.
      this.firstSeq = Number(this.sql.lastSeq.get()?.seq ?? 0) + 1;
    }
    const seq = this.firstSeq + this.transfers.length;
    const written: BufferedTransfer = { ...t, id: String(seq), seq, fingerprint: null };
    this.transfers.push(written);
    this.transferIndexByKey.set(t.key, this.transfers.length - 1);
    this.undoLog.push(() => {
      this.transfers.pop();
      this.transferIndexByKey.delete(t.key);
    });
    this.change(t.fromAccountId, (a) => ({ ...a, balanceMinor: a.balanceMinor - t.amountMinor }));
    this.change(t.toAccountId, (a) => ({ ...a, balanceMinor: a.balanceMinor + t.amountMinor }));
    return publicTransfer(written);
  }

  addHeld(accountId: string, deltaMinor: number): void {
    this.change(accountId, (a) => ({ ...a, heldMinor: a.heldMinor + deltaMinor }));
  }

  openHold(id: string, accountId: string, amountMinor: number, at: number): Hold {
    const hold: Hold = { id, accountId, amountMinor, status: 'open', capturedMinor: 0, createdAt: at, resolvedAt: null };
    this.holds.set(id, hold);
    this.newHolds.add(id);
    this.undoLog.push(() => {
      this.holds.delete(id);
      this.newHolds.delete(id);
    });
    return hold;
  }

  resolveHold(hold: Hold, status: Exclude<HoldStatus, 'open'>, capturedMinor: number, at: number): Hold {
    const resolved: Hold = { ...hold, status, capturedMinor, resolvedAt: at };
    const wasResolved = this.resolvedHolds.has(hold.id);
    this.holds.set(hold.id, resolved);
    if (!this.newHolds.has(hold.id)) this.resolvedHolds.add(hold.id);
    this.undoLog.push(() => {
      this.holds.set(hold.id, hold);
      if (!wasResolved) this.resolvedHolds.delete(hold.id);
    });
    return resolved;
  }

  rememberKey(key: string, fingerprint: string, transfers: Transfer[], holdId: string | null, at: number): void {
    const only = transfers.length === 1 ? transfers[0]! : null;
    const index = this.transferIndexByKey.get(key);
    if (only && only.key === key && only.holdId === holdId && index !== undefined) {
      const row = this.transfers[index]!;
      row.fingerprint = fingerprint;
      this.undoLog.push(() => {
        row.fingerprint = null;
      });
      return;
    }
    this.keys.set(key, { fingerprint, transferSeqs: transfers.map((t) => t.seq), holdId, at });
    this.undoLog.push(() => this.keys.delete(key));
  }

  // ------------------------------------------------------------ helpers

  private change(accountId: string, next: (a: Account) => Account): void {
    const before = this.account(accountId);
    if (!before) throw new StoreError('store/corrupt', `account ${accountId} vanished inside a transaction`);
    const wasDirty = this.dirtyAccounts.has(accountId);
    this.accounts.set(accountId, next(before));
    this.dirtyAccounts.add(accountId);
    this.undoLog.push(() => {
      this.accounts.set(accountId, before);
      if (!wasDirty) this.dirtyAccounts.delete(accountId);
    });
  }

  private storedKey(key: string): AppliedKey | null {
    const row = this.sql.idempotency.get(key);
    if (!row) return null;
    return {
      fingerprint: String(row.fingerprint),
      transferSeqs: String(row.transfer_seqs).split(',').map(Number),
      holdId: row.hold_id === null ? null : String(row.hold_id),
    };
  }
}

function publicTransfer(t: BufferedTransfer): Transfer {
  const { fingerprint: _fingerprint, ...rest } = t;
  return rest;
}

/** Each bulk statement takes one JSON array of row arrays (jsonb_each), so a batch is one call per table. */
function prepareStatements(db: DatabaseSync) {
  return {
    account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
    hold: db.prepare('SELECT * FROM holds WHERE id = ?'),
    transferByKey: db.prepare('SELECT seq, fingerprint, hold_id FROM transfers WHERE key = ?'),
    transferBySeq: db.prepare('SELECT * FROM transfers WHERE seq = ?'),
    idempotency: db.prepare('SELECT fingerprint, transfer_seqs, hold_id FROM idempotency WHERE key = ?'),
    grant: db.prepare('SELECT data FROM bonus_grants WHERE account_id = ?'),
    upsertGrant: db.prepare(`
      INSERT INTO bonus_grants (account_id, owner_account, status, expires_at, data) VALUES (?1, ?2, ?3, ?4, ?5)
      ON CONFLICT (account_id) DO UPDATE SET owner_account = ?2, status = ?3, expires_at = ?4, data = ?5`),
    dataVersion: db.prepare('PRAGMA data_version'),
    lastSeq: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'transfers'"),
    updateAccounts: db.prepare(`
      UPDATE accounts SET balance_minor = j.balance, held_minor = j.held
      FROM (SELECT value ->> 0 AS id, value ->> 1 AS balance, value ->> 2 AS held FROM jsonb_each(?)) AS j
      WHERE accounts.id = j.id`),
    insertHolds: db.prepare(`
      INSERT INTO holds (id, account_id, amount_minor, status, captured_minor, created_at, resolved_at)
      SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6 FROM jsonb_each(?)`),
    resolveHolds: db.prepare(`
      UPDATE holds SET status = j.status, captured_minor = j.captured, resolved_at = j.at
      FROM (SELECT value ->> 0 AS id, value ->> 1 AS status, value ->> 2 AS captured, value ->> 3 AS at FROM jsonb_each(?)) AS j
      WHERE holds.id = j.id`),
    insertTransfers: db.prepare(`
      INSERT INTO transfers (seq, key, from_account, to_account, amount_minor, kind, hold_id, memo, created_at, fingerprint, owner_account, owner_balance_after)
      SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11
      FROM jsonb_each(?)`),
    insertKeys: db.prepare(`
      INSERT INTO idempotency (key, fingerprint, transfer_seqs, hold_id, created_at)
      SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM jsonb_each(?)`),
  };
}
