/**
 * Every write of the SQLite store, by name. Each runs inside the write queue's transaction, on
 * whichever thread owns the write connection (writer.ts), so arguments and results are plain
 * data; clocks are read by the caller and passed in.
 */
import type { DatabaseSync } from 'node:sqlite';
import { auditWrites } from './audit.ts';
import { gameWrites } from './games.ts';
import { journalAppender, journalWrites } from './journal.ts';
import { fundedWrites } from './funded.ts';
import { userWrites } from './users.ts';
import { walletWrites } from './wallet.ts';
import { BatchLedger } from './batch-ledger.ts';
import type { LedgerOptions } from './history.ts';
import { protectionWrites, sqliteLimits } from './protection.ts';
import type { TransactionHooks } from './write-queue.ts';

function handlers(db: DatabaseSync, ledger: BatchLedger) {
  const appender = journalAppender(db);
  return {
    ...walletWrites(db, ledger), ...journalWrites(appender), ...fundedWrites(db, ledger, appender),
    ...userWrites(db), ...auditWrites(db), ...gameWrites(db), ...protectionWrites(db),
  };
}

/** The handlers, and the hooks the write queue runs around each transaction (the wallet's batch). */
export function createWriteHandlers(db: DatabaseSync, opts: LedgerOptions = {}): { handlers: WriteHandlers; hooks: TransactionHooks } {
  const ledger = new BatchLedger(db, opts);
  // Player protection: the wallet's limits check runs in the same job and transaction as the op.
  ledger.limits = sqliteLimits(db);
  return { handlers: handlers(db, ledger), hooks: ledger };
}

export type WriteHandlers = ReturnType<typeof handlers>;
export type WriteKind = keyof WriteHandlers;
export type WriteArgs<K extends WriteKind> = Parameters<WriteHandlers[K]>;
export type WriteResult<K extends WriteKind> = ReturnType<WriteHandlers[K]>;
