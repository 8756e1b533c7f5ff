/**
 * Per-account history in the SQLite store (schema v10, sqlite/history.ts): postings written in
 * chunks after the transfers, the tail above the mark read from transfers itself. Whatever the
 * chunk, whichever writer indexed it, and across the conversion of a v9 file, paging an
 * account's history returns exactly its transfers, newest first, each once.
 */
import { expect } from 'chai';
import { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../server/store/sqlite/connection.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { migrate } from '../../server/store/sqlite/migrations.ts';
import { toTransfer } from '../../server/store/sqlite/rows.ts';
import { SYSTEM_ACCOUNTS, type Store, type Transfer, type WalletOp } from '../../server/store/types.ts';
import { makeTempDir } from './tmpdir.ts';

const temp = makeTempDir('sqlite-history');
after(() => temp.cleanup());

const PLAYERS = ['player:h0', 'player:h1', 'player:h2', 'player:h3'];
const ACCOUNTS = [...PLAYERS, SYSTEM_ACCOUNTS.house, SYSTEM_ACCOUNTS.world];

/** Deterministic pseudo-random moves between the players (and the house), each funded. */
function moves(prefix: string, count: number, seed: number): WalletOp[] {
  let x = seed;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  return Array.from({ length: count }, (_, i) => {
    const from = PLAYERS[next(PLAYERS.length)]!;
    const others = [...PLAYERS.filter((p) => p !== from), SYSTEM_ACCOUNTS.house];
    return { type: 'transfer', key: `${prefix}:${i}`, fromAccountId: from, toAccountId: others[next(others.length)]!, amountMinor: 1 + next(9), kind: 'adjustment' };
  });
}

/** Everything the file holds for an account, newest first, read without the history tables. */
function fullHistory(path: string, account: string): Transfer[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare('SELECT * FROM transfers WHERE from_account = ?1 OR to_account = ?1 ORDER BY seq DESC').all(account).map(toTransfer);
  } finally {
    db.close();
  }
}

async function pageAll(store: Store, account: string, limit: number): Promise<Transfer[]> {
  const seen: Transfer[] = [];
  let before: string | null = null;
  do {
    const page = await store.wallet.listTransfers(account, { limit, before });
    expect(page.items.length).to.be.at.most(limit);
    if (page.nextCursor !== null) expect(page.items).to.have.length(limit);
    seen.push(...page.items);
    before = page.nextCursor;
  } while (before !== null);
  return seen;
}

async function expectHistoriesMatch(store: Store, path: string): Promise<void> {
  for (const account of ACCOUNTS) {
    const expected = fullHistory(path, account);
    for (const limit of [1, 3, 200]) expect(await pageAll(store, account, limit), `${account} in pages of ${limit}`).to.deep.equal(expected);
  }
}

async function fundPlayers(store: Store): Promise<void> {
  for (const id of PLAYERS) await store.wallet.ensureAccount(id, 'player', 'EUR');
  await store.wallet.apply(PLAYERS.map((id, i): WalletOp => ({ type: 'transfer', key: `fund:${i}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: id, amountMinor: 10_000, kind: 'deposit' })));
}

/** Calls of a few ops each, all sent in one tick (one or more batches). */
async function applyInCalls(store: Store, ops: WalletOp[], perCall: number): Promise<void> {
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < ops.length; i += perCall) calls.push(store.wallet.apply(ops.slice(i, i + perCall)));
  const outcomes = (await Promise.all(calls)) as Array<Array<{ ok: boolean }>>;
  expect(outcomes.flat().every((o) => o.ok)).to.equal(true);
}

function historyState(path: string): { mark: number; postings: number; lastSeq: number } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return {
      mark: Number(db.prepare('SELECT indexed_seq FROM history_mark').get()!.indexed_seq),
      postings: Number(db.prepare('SELECT COUNT(*) AS n FROM postings').get()!.n),
      lastSeq: Number(db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM transfers').get()!.seq),
    };
  } finally {
    db.close();
  }
}

describe('sqlite ledger history (postings indexed in chunks)', () => {
  for (const historyChunk of [1, 7, 1_000_000]) {
    it(`pages every account's history exactly when chunks are ${historyChunk} transfers`, async () => {
      const path = temp.file(`chunk-${historyChunk}`);
      const store = await openSqliteStore({ path, historyChunk, writerThread: historyChunk !== 7 });
      try {
        await fundPlayers(store);
        for (let round = 0; round < 4; round++) {
          await applyInCalls(store, moves(`r${round}`, 13 + round * 5, 17 + round), 1 + round);
          await expectHistoriesMatch(store, path);
        }
        const state = historyState(path);
        // Postings are complete up to the mark, none above it, and the tail is shorter than a chunk.
        expect(state.postings).to.equal(2 * state.mark);
        expect(state.lastSeq - state.mark).to.be.lessThan(historyChunk);
        expect((await store.wallet.reconcile()).ok).to.equal(true);
      } finally {
        await store.close();
      }
    });
  }

  it('keeps one history when two stores on one file index it', async () => {
    const path = temp.file('two-writers');
    const a = await openSqliteStore({ path, historyChunk: 3 });
    const b = await openSqliteStore({ path, historyChunk: 5 });
    try {
      await fundPlayers(a);
      await Promise.all([applyInCalls(a, moves('a', 40, 3), 2), applyInCalls(b, moves('b', 40, 5), 3)]);
      await expectHistoriesMatch(a, path);
      await expectHistoriesMatch(b, path);
      const state = historyState(path);
      expect(state.postings).to.equal(2 * state.mark);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('converts the history of a v9 file: the same pages before and after, and new transfers on top', async () => {
    const path = temp.file('v9');
    const db = await openDatabase(path);
    const v9Pages = new Map<string, Transfer[]>();
    try {
      migrate(db, { currency: 'EUR', now: 1 }, 9);
      const account = db.prepare("INSERT INTO accounts (id, kind, currency, created_at) VALUES (?, 'player', 'EUR', 1)");
      for (const id of PLAYERS) account.run(id);
      // v9 rows as its ledger wrote them (balances are not what this test is about).
      const insert = db.prepare(`INSERT INTO transfers (key, from_account, to_account, amount_minor, kind, created_at, fingerprint, owner_account, owner_balance_after)
        VALUES (?, ?, ?, ?, ?, 1, ?, ?, 0)`);
      for (const op of moves('old', 60, 11) as Array<Extract<WalletOp, { type: 'transfer' }>>) {
        insert.run(op.key, op.fromAccountId, op.toAccountId, op.amountMinor, op.kind, JSON.stringify(['old', op.key]), op.fromAccountId);
      }
      // The v9 read path: its two (account, seq) indexes.
      const v9 = db.prepare(`
        SELECT * FROM (SELECT * FROM transfers WHERE from_account = ?1 ORDER BY seq DESC)
        UNION ALL SELECT * FROM (SELECT * FROM transfers WHERE to_account = ?1 ORDER BY seq DESC) ORDER BY seq DESC`);
      for (const id of ACCOUNTS) v9Pages.set(id, v9.all(id).map(toTransfer));
    } finally {
      db.close();
    }

    const store = await openSqliteStore({ path, historyChunk: 4 });
    try {
      expect(historyState(path)).to.deep.equal({ mark: 60, postings: 120, lastSeq: 60 });
      for (const id of ACCOUNTS) expect(await pageAll(store, id, 7), id).to.deep.equal(v9Pages.get(id));
      // Funding the players again and moving money after the conversion: indexed in chunks on top.
      await store.wallet.apply(PLAYERS.map((id, i): WalletOp => ({ type: 'transfer', key: `refund:${i}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: id, amountMinor: 10_000, kind: 'deposit' })));
      await applyInCalls(store, moves('new', 30, 23), 1);
      await expectHistoriesMatch(store, path);
      for (const id of PLAYERS) {
        const all = await pageAll(store, id, 200);
        const old = v9Pages.get(id)!;
        expect(all.slice(all.length - old.length)).to.deep.equal(old);
        expect(all.length).to.be.greaterThan(old.length);
      }
    } finally {
      await store.close();
    }
  });
});
