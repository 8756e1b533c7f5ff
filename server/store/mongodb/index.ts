/**
 * The MongoDB storage adapter on the official driver. Needs a replica set (or a sharded cluster)
 * for multi-document transactions, MongoDB 5.0 or newer; see docs/OPERATIONS.md, "MongoDB".
 *
 * - Wallet: group commit, one transaction (snapshot reads, majority + journaled commit) per
 *   batch of concurrent apply calls, each call all-or-nothing on its own; conditional updates so
 *   no balance but world's goes below zero; transfer seqs from a counter document.
 * - Journal: one transaction per append with the sequence and fence checks.
 * - Users, games: single-document writes (the player-round batch in one transaction).
 *
 * Funding: only `sys:world` may go below zero. House and promotions start at zero; fund them
 * with `fundingOp` (server/store/funding.ts), an idempotent `funding` transfer from world.
 */
import { StoreError, type Store } from '../types.ts';
import { createMongoAudit } from './audit.ts';
import { checkDeployment, connect, prepareDatabase } from './connection.ts';
import { chooseDbName } from './deployment.ts';
import { createMongoGames } from './games.ts';
import type { GroupCommitOptions } from './group-commit.ts';
import { createMongoJournal } from './journal.ts';
import { retryPolicy, type RetryPolicy } from './retry.ts';
import { TransactionRunner, translated } from './transactions.ts';
import { createMongoUsers } from './users.ts';
import { createMongoProtection } from './protection.ts';
import { checkCurrency } from './validate.ts';
import { createMongoWallet } from './wallet.ts';

export interface MongoStoreOptions extends GroupCommitOptions {
  /** `mongodb://…` or `mongodb+srv://…`, naming a replica set (e.g. `mongodb://127.0.0.1:27017/casino?replicaSet=rs0`). */
  url: string;
  /** Database to use. Default: the URL's path, else `casino`. */
  dbName?: string;
  /** Currency of the system accounts, fixed when the database is first prepared. Default 'EUR'. */
  currency?: string;
  /** Clock for createdAt / at fields. Default Date.now. */
  now?: () => number;
  /** How long start-up (and any operation) waits for a usable server. Default 5,000. */
  serverSelectionTimeoutMS?: number;
  /** Bounds on retrying transient failures (attempts, backoff, total time). */
  retry?: Partial<RetryPolicy>;
}

export async function openMongoStore(opts: MongoStoreOptions): Promise<Store> {
  const now = opts.now ?? Date.now;
  const currency = opts.currency ?? 'EUR';
  checkCurrency(currency);
  const dbName = chooseDbName(opts.url, opts.dbName);
  const policy = retryPolicy(opts.retry);

  const client = await connect({ url: opts.url, serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS });
  const db = client.db(dbName);
  try {
    await translated('startup', async () => {
      await checkDeployment(client);
      await prepareDatabase(db, { currency, now: now() });
    });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }

  const txns = new TransactionRunner(client, { policy });
  const wallet = createMongoWallet(client, db, txns, now, opts);
  let closed = false;

  return {
    kind: 'mongodb',
    users: createMongoUsers(db),
    audit: createMongoAudit(db, txns),
    wallet,
    journal: createMongoJournal(db, txns, now),
    games: createMongoGames(db, txns),
    protection: createMongoProtection(db, txns),
    async ping() {
      if (closed) throw new StoreError('store/closed', 'the store is closed');
      await translated('read', () => db.command({ ping: 1 }));
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        // Queued wallet calls are written; journal appends and other writes in flight finish.
        await wallet.close();
        await txns.drain();
      } finally {
        await client.close();
      }
    },
  };
}
