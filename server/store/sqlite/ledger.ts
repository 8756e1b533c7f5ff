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

  appliedKey(key: string): AppliedKey | null {
    const row = this.sql.idempotency.get(key);
    if (!row) return null;
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
    const row = this.sql.insertTransfer.get(
      t.key, t.fromAccountId, t.toAccountId, t.amountMinor, t.kind, t.holdId, t.memo, t.createdAt,
    );
    const seq = Number(row!.seq);
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
    this.sql.insertIdempotency.run(key, fingerprint, transfers.map((t) => t.seq).join(','), holdId, at);
  }
}

function prepareLedgerStatements(db: DatabaseSync) {
  return {
    account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
    hold: db.prepare('SELECT * FROM holds WHERE id = ?'),
    idempotency: db.prepare('SELECT fingerprint, transfer_seqs, hold_id FROM idempotency WHERE key = ?'),
    transferBySeq: db.prepare('SELECT * FROM transfers WHERE seq = ?'),
    addBalance: db.prepare('UPDATE accounts SET balance_minor = balance_minor + ? WHERE id = ?'),
    addHeld: db.prepare('UPDATE accounts SET held_minor = held_minor + ? WHERE id = ?'),
    insertTransfer: db.prepare(
      `INSERT INTO transfers (key, from_account, to_account, amount_minor, kind, hold_id, memo, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
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
