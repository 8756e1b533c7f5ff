import type { DatabaseSync } from 'node:sqlite';
import { SYSTEM_ACCOUNTS, type Reconciliation } from '../types.ts';
import { toHold } from './rows.ts';

const MAX_LISTED = 100;

/**
 * Checks the books from the database itself (not from this process's memory), so it is right
 * with several processes writing. The reads share one transaction, i.e. one WAL snapshot, so
 * a commit landing in between cannot make balanced books look unbalanced.
 */
export function createReconciler(db: DatabaseSync): () => Reconciliation {
  const sql = {
    begin: db.prepare('BEGIN'),
    commit: db.prepare('COMMIT'),
    accounts: db.prepare('SELECT COALESCE(SUM(balance_minor), 0) AS total, COUNT(*) AS count FROM accounts'),
    escrow: db.prepare('SELECT balance_minor FROM accounts WHERE id = ?'),
    openHoldTotals: db.prepare(
      `SELECT COALESCE(SUM(amount_minor), 0) AS total, COUNT(*) AS count FROM holds WHERE status = 'open'`,
    ),
    openHolds: db.prepare(`SELECT * FROM holds WHERE status = 'open' ORDER BY created_at, rowid LIMIT ${MAX_LISTED}`),
    negative: db.prepare(
      `SELECT id, balance_minor FROM accounts WHERE balance_minor < 0 AND id <> ? ORDER BY id LIMIT ${MAX_LISTED}`,
    ),
    transferCount: db.prepare('SELECT COUNT(*) AS count FROM transfers'),
    // Receivable ids sort between these bounds ('receivable:' then anything).
    receivableTotals: db.prepare(
      `SELECT COALESCE(SUM(balance_minor), 0) AS total, COUNT(*) AS count FROM accounts WHERE id >= 'receivable:' AND id < 'receivable;' AND balance_minor > 0`,
    ),
    receivables: db.prepare(
      `SELECT id, balance_minor FROM accounts WHERE id >= 'receivable:' AND id < 'receivable;' AND balance_minor > 0 ORDER BY balance_minor DESC, id LIMIT ${MAX_LISTED}`,
    ),
  };

  return () => {
    sql.begin.run();
    try {
      const accounts = sql.accounts.get()!;
      const holds = sql.openHoldTotals.get()!;
      const result: Reconciliation = {
        ok: false,
        sumOfBalancesMinor: Number(accounts.total),
        escrowBalanceMinor: Number(sql.escrow.get(SYSTEM_ACCOUNTS.escrow)?.balance_minor ?? 0),
        openHoldsMinor: Number(holds.total),
        openHoldCount: Number(holds.count),
        openHolds: sql.openHolds.all().map(toHold),
        negativeAccounts: sql.negative
          .all(SYSTEM_ACCOUNTS.world)
          .map((row) => ({ id: String(row.id), balanceMinor: Number(row.balance_minor) })),
        accountCount: Number(accounts.count),
        transferCount: Number(sql.transferCount.get()!.count),
        receivablesMinor: 0,
        receivableCount: 0,
        receivables: sql.receivables.all().map((row) => ({ id: String(row.id), balanceMinor: Number(row.balance_minor) })),
      };
      const owed = sql.receivableTotals.get()!;
      result.receivablesMinor = Number(owed.total);
      result.receivableCount = Number(owed.count);
      result.ok =
        result.sumOfBalancesMinor === 0 &&
        result.escrowBalanceMinor === result.openHoldsMinor &&
        result.negativeAccounts.length === 0;
      return result;
    } finally {
      sql.commit.run();
    }
  };
}
