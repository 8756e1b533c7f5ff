/**
 * The embedded storage adapter on Node's built-in `node:sqlite`. Several processes may share
 * one file: every write runs in BEGIN IMMEDIATE (one writer at a time, others wait up to
 * busy_timeout) and checks balances, sequences and fences inside that transaction.
 *
 * Funding: only `sys:world` may go below zero. House and promotions start at zero; fund them
 * with `fundingOp` (server/store/funding.ts), an idempotent `funding` transfer from world.
 */
import { StoreError, type Store } from '../types.ts';
import { createSqliteAudit } from './audit.ts';
import { openDatabase } from './connection.ts';
import { createSqliteGames } from './games.ts';
import { createSqliteJournal } from './journal.ts';
import { assertSystemCurrency, migrate } from './migrations.ts';
import { createSqliteUsers } from './users.ts';
import { createSqliteProtection } from './protection.ts';
import { createSqliteWallet } from './wallet.ts';
import type { LedgerOptions } from './history.ts';
import type { WriteQueueOptions } from './write-queue.ts';
import { InlineWriter, ThreadWriter, type Writer } from './writer.ts';

export interface SqliteStoreOptions extends WriteQueueOptions, LedgerOptions {
  /** Database file; created (with its schema) when missing. */
  path: string;
  /** How long a write waits for another process's write lock. Default 5,000. */
  busyTimeoutMs?: number;
  /** Clock for createdAt / at fields. Default Date.now. */
  now?: () => number;
  /** Currency of the system accounts, fixed when the file is created. Default 'EUR'. */
  currency?: string;
  /**
   * Run writes (and their commits' fsync) on a worker thread with its own connection, off the
   * caller's event loop (writer.ts). Default true.
   */
  writerThread?: boolean;
  /**
   * Called once if the writer thread dies while the store is open: every write fails from then
   * on (`store/write_failed`), so a server should stop (server/app.ts exits for its supervisor).
   */
  onWriterLost?: (error: Error) => void;
}

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  const now = opts.now ?? Date.now;
  const currency = opts.currency ?? 'EUR';
  const db = await openDatabase(opts.path, opts.busyTimeoutMs);
  try {
    migrate(db, { currency, now: now() });
    assertSystemCurrency(db, currency);
  } catch (error) {
    db.close();
    throw error;
  }
  const queueOpts: WriteQueueOptions = { lockWaitMs: opts.lockWaitMs ?? opts.busyTimeoutMs, maxBatchOps: opts.maxBatchOps, maxPendingOps: opts.maxPendingOps };
  const ledgerOpts: LedgerOptions = { historyChunk: opts.historyChunk };
  let writer: Writer;
  try {
    if (opts.writerThread === false) {
      // Writes wait for another process's lock asynchronously (WriteQueue); statements themselves
      // only wait briefly, so the event loop never blocks for long on the lock.
      db.exec('PRAGMA busy_timeout = 20');
      writer = new InlineWriter(db, queueOpts, ledgerOpts);
    } else {
      writer = await ThreadWriter.start({ path: opts.path, busyTimeoutMs: opts.busyTimeoutMs, queue: stripUndefined(queueOpts), ledger: stripUndefined(ledgerOpts) }, { onLost: opts.onWriterLost });
    }
  } catch (error) {
    db.close();
    throw error;
  }
  const ping = db.prepare('SELECT 1');
  let closed = false;

  return {
    kind: 'sqlite',
    users: createSqliteUsers(db, writer),
    audit: createSqliteAudit(db, writer),
    wallet: createSqliteWallet(db, writer, now),
    journal: createSqliteJournal(db, writer, now),
    games: createSqliteGames(db, writer),
    protection: createSqliteProtection(db, writer),
    async ping() {
      if (closed) throw new StoreError('store/closed', 'the store is closed');
      writer.check();
      ping.get();
    },
    async close() {
      if (closed) return;
      closed = true;
      await writer.close();
      db.close();
    },
  };
}

/** workerData is structured-cloned: leave unset options out rather than sending undefined. */
function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
