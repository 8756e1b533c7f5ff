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
    // Bonus account ids sort between these bounds ('bonus:' then anything).
    bonusLiability: db.prepare(
      `SELECT COALESCE(SUM(balance_minor + held_minor), 0) AS total FROM accounts WHERE id >= 'bonus:' AND id < 'bonus;'`,
    ),
    bonusFlows: db.prepare(`
      SELECT
        COALESCE(SUM(CASE WHEN kind = 'conversion' THEN amount_minor END), 0) AS converted,
        COALESCE(SUM(CASE WHEN kind = 'forfeit' THEN amount_minor END), 0) AS forfeited,
        COALESCE(SUM(CASE WHEN kind = 'bonus' AND to_account >= 'bonus:' AND to_account < 'bonus;' THEN amount_minor END), 0)
          - COALESCE(SUM(CASE WHEN kind = 'bonus' AND from_account >= 'bonus:' AND from_account < 'bonus;' THEN amount_minor END), 0) AS granted
      FROM transfers WHERE kind IN ('conversion', 'forfeit', 'bonus')`),
    receivables: db.prepare(
      `SELECT id, balance_minor FROM accounts WHERE id >= 'receivable:' AND id < 'receivable;' AND balance_minor > 0 ORDER BY balance_minor DESC, id LIMIT ${MAX_LISTED}`,
    ),
  };

  const bonusFigures = () => {
    const flows = sql.bonusFlows.get()!;
    return {
      bonusLiabilityMinor: Number(sql.bonusLiability.get()!.total),
      bonusConvertedMinor: Number(flows.converted),
      bonusGrantedMinor: Number(flows.granted),
      bonusForfeitedMinor: Number(flows.forfeited),
    };
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
        ...bonusFigures(),
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
