/**
 * The ledger's row-level reads and writes, with statements prepared once. Writes are only
 * valid inside the write queue's transaction; callers decide first, then write.
 */
import type { DatabaseSync } from 'node:sqlite';
import { StoreError, SYSTEM_ACCOUNTS, type Account, type Hold, type HoldStatus, type Transfer } from '../types.ts';
import type { AppliedKey, LedgerPort, NewTransfer } from '../wallet-ops.ts';
import { toAccount, toHold, toTransfer } from './rows.ts';

export type { AppliedKey, NewTransfer } from '../wallet-ops.ts';

export class Ledger implements LedgerPort {
  private readonly sql: ReturnType<typeof prepareLedgerStatements>;

  constructor(db: DatabaseSync) {
    this.sql = prepareLedgerStatements(db);
  }

  account(id: string): Account | null {
    const row = this.sql.account.get(id);
    return row ? toAccount(row) : null;
  }

  /** Created by the first migration; its absence means a corrupt file, not a caller error. */
  escrow(): Account {
    const escrow = this.account(SYSTEM_ACCOUNTS.escrow);
    if (!escrow) throw new StoreError('store/corrupt', `system account ${SYSTEM_ACCOUNTS.escrow} is missing`);
    return escrow;
  }

  hold(id: string): Hold | null {
    const row = this.sql.hold.get(id);
    return row ? toHold(row) : null;
  }

  /**
   * A key's first outcome: on its transfer row when the op wrote one transfer under its own key
   * (schema v5), else in idempotency. Every op writes a transfer under its key, so no row there
   * means the key is unused.
   */
  appliedKey(key: string): AppliedKey | null {
    const own = this.sql.transferByKey.get(key);
    if (!own) return null;
    if (own.fingerprint !== null) {
      return { fingerprint: String(own.fingerprint), transferSeqs: [Number(own.seq)], holdId: own.hold_id === null ? null : String(own.hold_id) };
    }
    const row = this.sql.idempotency.get(key);
    if (!row) throw new StoreError('store/corrupt', `transfer ${String(own.seq)} under key ${key} has no recorded outcome`);
    return {
      fingerprint: String(row.fingerprint),
      transferSeqs: String(row.transfer_seqs).split(',').map(Number),
      holdId: row.hold_id === null ? null : String(row.hold_id),
    };
  }

  /** A repeat is always a replay here: a commit either happened or did not. */
  isReplayFor(): boolean {
    return true;
  }

  transfer(seq: number): Transfer | null {
    const row = this.sql.transferBySeq.get(seq);
    return row ? toTransfer(row) : null;
  }

  /** Moves the money and records the transfer; the caller has checked funds and accounts. */
  post(t: NewTransfer): Transfer {
    this.sql.addBalance.run(-t.amountMinor, t.fromAccountId);
    this.sql.addBalance.run(t.amountMinor, t.toAccountId);
    const seq = Number(this.sql.insertTransfer.run(
      t.key, t.fromAccountId, t.toAccountId, t.amountMinor, t.kind, t.holdId, t.memo, t.createdAt,
    ).lastInsertRowid);
    return { ...t, id: String(seq), seq };
  }

  addHeld(accountId: string, deltaMinor: number): void {
    this.sql.addHeld.run(deltaMinor, accountId);
  }

  openHold(id: string, accountId: string, amountMinor: number, at: number, _reserveSeq?: number): Hold {
    this.sql.insertHold.run(id, accountId, amountMinor, at);
    return { id, accountId, amountMinor, status: 'open', capturedMinor: 0, createdAt: at, resolvedAt: null };
  }

  resolveHold(hold: Hold, status: Exclude<HoldStatus, 'open'>, capturedMinor: number, at: number): Hold {
    this.sql.resolveHold.run(status, capturedMinor, at, hold.id);
    return { ...hold, status, capturedMinor, resolvedAt: at };
  }

  rememberKey(key: string, fingerprint: string, transfers: Transfer[], holdId: string | null, at: number): void {
    const only = transfers.length === 1 ? transfers[0]! : null;
    if (only && only.key === key && only.holdId === holdId) {
      // The row was just written (the table's last page): no new page, no index touched.
      this.sql.setFingerprint.run(fingerprint, only.seq);
      return;
    }
    this.sql.insertIdempotency.run(key, fingerprint, transfers.map((t) => t.seq).join(','), holdId, at);
  }
}

function prepareLedgerStatements(db: DatabaseSync) {
  return {
    account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
    hold: db.prepare('SELECT * FROM holds WHERE id = ?'),
    transferByKey: db.prepare('SELECT seq, fingerprint, hold_id FROM transfers WHERE key = ?'),
    setFingerprint: db.prepare('UPDATE transfers SET fingerprint = ? WHERE seq = ?'),
    idempotency: db.prepare('SELECT fingerprint, transfer_seqs, hold_id FROM idempotency WHERE key = ?'),
    transferBySeq: db.prepare('SELECT * FROM transfers WHERE seq = ?'),
    addBalance: db.prepare('UPDATE accounts SET balance_minor = balance_minor + ? WHERE id = ?'),
    addHeld: db.prepare('UPDATE accounts SET held_minor = held_minor + ? WHERE id = ?'),
    insertTransfer: db.prepare(
      `INSERT INTO transfers (key, from_account, to_account, amount_minor, kind, hold_id, memo, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertHold: db.prepare(
      `INSERT INTO holds (id, account_id, amount_minor, status, created_at) VALUES (?, ?, ?, 'open', ?)`,
    ),
    resolveHold: db.prepare('UPDATE holds SET status = ?, captured_minor = ?, resolved_at = ? WHERE id = ?'),
    insertIdempotency: db.prepare(
      'INSERT INTO idempotency (key, fingerprint, transfer_seqs, hold_id, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
  };
}
