/**
 * Wallet transfers per second through the store (batched by its group-commit write queue,
 * durable: WAL + synchronous=FULL, one fsync per batch) against the same machine's raw batched
 * SQLite inserts with the same connection settings and batch size: how much of the disk's and
 * SQLite's speed the double-entry ledger keeps.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/store/sqlite/connection.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { DEFAULT_MAX_BATCH_OPS } from '../../server/store/sqlite/write-queue.ts';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../server/store/types.ts';

export interface WalletBenchResult {
  batchOps: number;
  seconds: number;
  rawInsertsPerSecond: number;
  walletTransfersPerSecond: number;
  ratio: number;
}

/** Raw: one INSERT per row (a transfer-sized row with a unique key), `batch` rows per transaction. */
async function rawInserts(file: string, seconds: number, batch: number): Promise<number> {
  const db = await openDatabase(file);
  db.exec(`CREATE TABLE rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, from_account TEXT NOT NULL,
    to_account TEXT NOT NULL, amount_minor INTEGER NOT NULL, kind TEXT NOT NULL, memo TEXT, created_at INTEGER NOT NULL) STRICT`);
  const insert = db.prepare('INSERT INTO rows (key, from_account, to_account, amount_minor, kind, memo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  let n = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = performance.now();
  while (Date.now() < end) {
    begin.run();
    for (let i = 0; i < batch; i++, n++) insert.run(`raw:${n}`, `player:p${n % 1000}`, `player:p${(n + 1) % 1000}`, 1 + (n % 100), 'adjustment', null, Date.now());
    commit.run();
    await new Promise((r) => setImmediate(r)); // the write queue also yields between batches
  }
  const rate = n / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

/** Ours: idempotent double-entry transfers between 1,000 funded players, enough in flight to fill every batch. */
async function walletTransfers(file: string, seconds: number): Promise<number> {
  const store = await openSqliteStore({ path: file });
  const players = Array.from({ length: 1000 }, (_, i) => `player:p${i}`);
  for (const id of players) await store.wallet.ensureAccount(id, 'player', 'EUR');
  await store.wallet.apply(players.map((id, i): WalletOp => ({ type: 'transfer', key: `fund:${i}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: id, amountMinor: 1_000_000_000, kind: 'deposit' })));
  let n = 0;
  let done = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = performance.now();
  const worker = async () => {
    while (Date.now() < end) {
      const i = n++;
      const [o] = await store.wallet.apply([{ type: 'transfer', key: `t:${i}`, fromAccountId: players[i % 1000]!, toAccountId: players[(i * 7 + 1) % 1000]!, amountMinor: 1 + (i % 100), kind: 'adjustment' }]);
      if (!o!.ok) throw new Error(`transfer failed: ${o!.code}`);
      done++;
    }
  };
  await Promise.all(Array.from({ length: DEFAULT_MAX_BATCH_OPS * 4 }, worker));
  const rate = done / ((performance.now() - t0) / 1000);
  const rec = await store.wallet.reconcile();
  await store.close();
  if (!rec.ok) throw new Error('wallet benchmark: the ledger does not reconcile');
  return rate;
}

export async function benchWallet(seconds: number): Promise<WalletBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-wallet-bench-'));
  try {
    const raw = await rawInserts(path.join(dir, 'raw.sqlite'), seconds, DEFAULT_MAX_BATCH_OPS);
    const ours = await walletTransfers(path.join(dir, 'wallet.sqlite'), seconds);
    return { batchOps: DEFAULT_MAX_BATCH_OPS, seconds, rawInsertsPerSecond: Math.round(raw), walletTransfersPerSecond: Math.round(ours), ratio: Math.round((ours / raw) * 1000) / 1000 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
