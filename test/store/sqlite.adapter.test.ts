/** What the SQLite adapter promises beyond the shared contract: durability, group commit, bounds, migrations. */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { ThreadWriter, writerThreadsBusyMs } from '../../server/store/sqlite/writer.ts';
import { registry } from '../../server/metrics.ts';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../server/store/types.ts';
import { expectStoreError } from './contract/helpers.ts';
import { makeTempDir } from './tmpdir.ts';

const temp = makeTempDir('sqlite-adapter');
after(() => temp.cleanup());

const deposit = (key: string, amountMinor = 10): WalletOp => ({
  type: 'transfer', key, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor, kind: 'funding',
});

function pragma(dbPath: string, name: string): unknown {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return Object.values(db.prepare(`PRAGMA ${name}`).get()!)[0];
  } finally {
    db.close();
  }
}

for (const writerThread of [true, false]) describe(`sqlite store adapter (writes on ${writerThread ? 'a worker thread' : 'the calling thread'})`, () => {
  it('uses WAL and records the schema version once across reopenings', async () => {
    const path = temp.file('migrations');
    await (await openSqliteStore({ writerThread, path })).close();
    await (await openSqliteStore({ writerThread, path })).close();
    expect(pragma(path, 'journal_mode')).to.equal('wal');
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      expect(db.prepare('SELECT version FROM schema_migrations').all().map((r) => r.version)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      db.close();
    }
  });

  it('creates the system accounts in the configured currency and refuses to reopen in another', async () => {
    const path = temp.file('currency');
    const store = await openSqliteStore({ writerThread, path, currency: 'USD' });
    expect((await store.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.currency).to.equal('USD');
    await store.close();
    await expectStoreError(openSqliteStore({ writerThread, path, currency: 'EUR' }), 'store/currency_mismatch');
  });

  it('makes an acknowledged write visible to another connection on the same file', async () => {
    const path = temp.file('visible');
    const writer = await openSqliteStore({ writerThread, path });
    const reader = await openSqliteStore({ writerThread, path });
    try {
      const [outcome] = await writer.wallet.apply([deposit('v1', 123)]);
      expect(outcome).to.include({ ok: true });
      expect((await reader.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.balanceMinor).to.equal(123);
      expect((await reader.wallet.reconcile()).ok).to.equal(true);
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('writes the calls of one tick in a single transaction', async () => {
    const path = temp.file('group');
    const store = await openSqliteStore({ writerThread, path });
    const probe = new DatabaseSync(path);
    try {
      // data_version moves once per commit made by another connection.
      const version = () => Number(probe.prepare('PRAGMA data_version').get()!.data_version);
      const before = version();
      await Promise.all(Array.from({ length: 500 }, (_, i) => store.wallet.apply([deposit(`g${i}`, 1)])));
      expect(version() - before).to.equal(1);
      expect((await store.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.balanceMinor).to.equal(500);
    } finally {
      probe.close();
      await store.close();
    }
  });

  it('writes a call someone waits on ahead of a bulk backlog queued before it, and still writes the backlog', async () => {
    const store = await openSqliteStore({ writerThread, path: temp.file('lanes'), maxBatchOps: 100 });
    try {
      const order: string[] = [];
      const bulk = Array.from({ length: 1000 }, (_, i) => store.wallet.apply([deposit(`bulk${i}`, 1)], { bulk: true }).then(() => order.push(`bulk${i}`)));
      const urgent = store.wallet.apply([deposit('urgent', 1)]).then(() => order.push('urgent'));
      await Promise.all([...bulk, urgent]);
      // Batches of 100 ops: the urgent call goes in the first batch (75 urgent ops + 25 bulk at most), not the eleventh.
      expect(order.indexOf('urgent')).to.be.below(100);
      expect(order.filter((k) => k.startsWith('bulk'))).to.deep.equal(Array.from({ length: 1000 }, (_, i) => `bulk${i}`));
      expect((await store.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.balanceMinor).to.equal(1001);
    } finally {
      await store.close();
    }
  });

  it('keeps the books exact when one batch reserves, captures, replays and rolls back ops on the same accounts', async () => {
    const path = temp.file('same-batch');
    const store = await openSqliteStore({ writerThread, path });
    try {
      await store.wallet.ensureAccount('player:sb', 'player', 'EUR');
      await store.wallet.apply([{ type: 'transfer', key: 'fund-sb', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: 'player:sb', amountMinor: 1_000, kind: 'deposit' }]);
      // All in one tick, so in one transaction: later calls see the earlier ones' unwritten effects.
      const [reserve, capture, reserveAgain, tooMuch, atomic, captureAgain, release] = await Promise.all([
        store.wallet.apply([{ type: 'reserve', key: 'h1', accountId: 'player:sb', amountMinor: 600 }]),
        store.wallet.apply([{ type: 'capture', key: 'h1:cap', holdId: 'h1', toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 250 }]),
        store.wallet.apply([{ type: 'reserve', key: 'h1', accountId: 'player:sb', amountMinor: 600 }]),
        store.wallet.apply([{ type: 'reserve', key: 'h2', accountId: 'player:sb', amountMinor: 800 }]),
        store.wallet.apply([
          { type: 'transfer', key: 'a1', fromAccountId: 'player:sb', toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 100, kind: 'adjustment' },
          { type: 'transfer', key: 'a2', fromAccountId: 'player:sb', toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 5_000, kind: 'adjustment' },
        ], { atomic: true }),
        store.wallet.apply([{ type: 'capture', key: 'h1:cap', holdId: 'h1', toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 250 }]),
        store.wallet.apply([{ type: 'release', key: 'h1:rel', holdId: 'h1' }]),
      ]);
      expect(reserve[0]).to.include({ ok: true, replayed: false });
      expect(capture[0]).to.include({ ok: true, replayed: false });
      expect(capture[0]!.ok && capture[0]!.transfers.map((t) => t.amountMinor)).to.deep.equal([250, 350]);
      expect(reserveAgain[0]).to.include({ ok: true, replayed: true });
      expect(reserveAgain[0]!.ok && reserveAgain[0]!.hold).to.include({ status: 'captured', capturedMinor: 250 });
      // 1,000 − 600 reserved + 350 back from the capture = 750 available: 800 is too much.
      expect(tooMuch[0]).to.include({ ok: false, code: 'wallet/insufficient_funds' });
      expect(atomic.map((o) => (o.ok ? 'ok' : o.code))).to.deep.equal(['wallet/aborted', 'wallet/insufficient_funds']);
      expect(captureAgain[0]).to.include({ ok: true, replayed: true });
      expect(captureAgain[0]!.ok && captureAgain[0]!.transfers.map((t) => t.seq)).to.deep.equal(capture[0]!.ok && capture[0]!.transfers.map((t) => t.seq));
      expect(release[0]).to.include({ ok: false, code: 'wallet/hold_resolved' });

      const player = (await store.wallet.getAccount('player:sb'))!;
      expect(player).to.include({ balanceMinor: 750, heldMinor: 0 });
      expect((await store.wallet.getHold('h1'))).to.include({ status: 'captured', capturedMinor: 250 });
      const ledger = await store.wallet.listTransfers('player:sb', { limit: 10 });
      expect(ledger.items.map((t) => [t.key, t.amountMinor])).to.deep.equal([['h1:cap:rest', 350], ['h1', 600], ['fund-sb', 1_000]]);
      const books = await store.wallet.reconcile();
      expect(books.ok, JSON.stringify(books)).to.equal(true);
    } finally {
      await store.close();
    }
    // What was written is what was answered: replays from the file give the same transfers.
    const reopened = await openSqliteStore({ writerThread, path });
    try {
      const [again] = await reopened.wallet.apply([{ type: 'capture', key: 'h1:cap', holdId: 'h1', toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 250 }]);
      expect(again).to.include({ ok: true, replayed: true });
      expect(again!.ok && again!.transfers.map((t) => [t.key, t.amountMinor])).to.deep.equal([['h1:cap', 250], ['h1:cap:rest', 350]]);
      const [conflict] = await reopened.wallet.apply([{ type: 'reserve', key: 'h1:cap:rest', accountId: 'player:sb', amountMinor: 1 }]);
      expect(conflict).to.include({ ok: false, code: 'wallet/idempotency_conflict' });
    } finally {
      await reopened.close();
    }
  });

  it('rejects writes beyond the queue bound with store/overloaded and still writes the rest', async () => {
    const store = await openSqliteStore({ writerThread, path: temp.file('overload'), maxPendingOps: 10 });
    try {
      const calls = Array.from({ length: 12 }, (_, i) => store.wallet.apply([deposit(`o${i}`)]));
      const results = await Promise.allSettled(calls);
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(10);
      for (const r of results.slice(10)) {
        expect(r.status).to.equal('rejected');
        expect((r as PromiseRejectedResult).reason).to.include({ code: 'store/overloaded' });
      }
      expect((await store.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.balanceMinor).to.equal(100);
    } finally {
      await store.close();
    }
  });

  it('rejects every call of a batch that cannot commit, writes none of it, and lets a retry succeed', async () => {
    const path = temp.file('busy');
    const store = await openSqliteStore({ writerThread, path, busyTimeoutMs: 50 });
    const blocker = new DatabaseSync(path);
    try {
      blocker.exec('BEGIN IMMEDIATE');
      const calls = [store.wallet.apply([deposit('b1')]), store.journal.append('room', 1, [{ type: 'x', data: 1 }])];
      for (const result of await Promise.allSettled(calls)) {
        expect(result.status).to.equal('rejected');
        expect((result as PromiseRejectedResult).reason).to.include({ code: 'store/write_failed' });
      }
      blocker.exec('ROLLBACK');
      expect((await store.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.balanceMinor).to.equal(0);
      expect(await store.journal.lastSeq('room')).to.equal(0);
      const [retry] = await store.wallet.apply([deposit('b1')]);
      expect(retry).to.include({ ok: true, replayed: false });
    } finally {
      if (blocker.isTransaction) blocker.exec('ROLLBACK');
      blocker.close();
      await store.close();
    }
  });

  it('flushes queued writes on close and refuses writes afterwards', async () => {
    const path = temp.file('close');
    const store = await openSqliteStore({ writerThread, path });
    const pending = store.wallet.apply([deposit('c1', 77)]);
    await store.close();
    expect((await pending)[0]).to.include({ ok: true });
    await expectStoreError(store.wallet.apply([deposit('c2')]), 'store/closed');
    await expectStoreError(store.ping(), 'store/closed');
    const reopened = await openSqliteStore({ writerThread, path });
    try {
      expect((await reopened.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.balanceMinor).to.equal(77);
    } finally {
      await reopened.close();
    }
  });

  it('answers a repeated key from an outcome recorded before schema v5 (in idempotency, not on the transfer row)', async () => {
    const path = temp.file('legacy-key');
    const store = await openSqliteStore({ writerThread, path });
    try {
      const [first] = await store.wallet.apply([deposit('legacy', 40)]);
      const probe = new DatabaseSync(path);
      try {
        // What the v4 code wrote for the same op: no fingerprint on the row, an idempotency row instead.
        const row = probe.prepare('SELECT seq, fingerprint FROM transfers WHERE key = ?').get('legacy')!;
        probe.prepare('UPDATE transfers SET fingerprint = NULL WHERE seq = ?').run(row.seq);
        probe.prepare('INSERT INTO idempotency (key, fingerprint, transfer_seqs, hold_id, created_at) VALUES (?, ?, ?, NULL, 0)').run('legacy', row.fingerprint, String(row.seq));
      } finally {
        probe.close();
      }
      const [again] = await store.wallet.apply([deposit('legacy', 40)]);
      expect(again).to.deep.include({ ok: true, replayed: true });
      expect(again.ok && first.ok && again.transfers[0]!.seq).to.equal(first.ok && first.transfers[0]!.seq);
      const [conflict] = await store.wallet.apply([deposit('legacy', 41)]);
      expect(conflict).to.include({ ok: false, code: 'wallet/idempotency_conflict' });
      expect((await store.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.balanceMinor).to.equal(40);
    } finally {
      await store.close();
    }
  });

  it('sees balances another store on the file moved between its own batches', async () => {
    const path = temp.file('two-caches');
    const a = await openSqliteStore({ writerThread, path });
    const b = await openSqliteStore({ writerThread, path });
    const spend = (key: string, amountMinor: number): WalletOp => ({ type: 'transfer', key, fromAccountId: 'player:shared', toAccountId: SYSTEM_ACCOUNTS.house, amountMinor, kind: 'adjustment' });
    try {
      await a.wallet.ensureAccount('player:shared', 'player', 'EUR');
      await a.wallet.apply([{ type: 'transfer', key: 'fund', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: 'player:shared', amountMinor: 10, kind: 'deposit' }]);
      expect((await a.wallet.apply([spend('a1', 6)]))[0]).to.include({ ok: true });
      expect((await b.wallet.apply([spend('b1', 3)]))[0]).to.include({ ok: true });
      // a's last batch left the balance at 4; b has taken 3 since.
      expect((await a.wallet.apply([spend('a2', 3)]))[0]).to.include({ ok: false, code: 'wallet/insufficient_funds' });
      expect((await a.wallet.apply([spend('a3', 1)]))[0]).to.include({ ok: true });
      expect((await b.wallet.getAccount('player:shared'))!.balanceMinor).to.equal(0);
      expect((await a.wallet.reconcile()).ok).to.equal(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses to create another world or escrow account', async () => {
    const store = await openSqliteStore({ writerThread, path: temp.file('kinds') });
    try {
      await expectStoreError(store.wallet.ensureAccount('my-world', 'world', 'EUR'), 'store/invalid_argument');
      await expectStoreError(store.wallet.ensureAccount(SYSTEM_ACCOUNTS.house, 'player', 'EUR'), 'store/account_conflict');
      expect(await store.wallet.ensureAccount(SYSTEM_ACCOUNTS.world, 'world', 'EUR')).to.include({ id: SYSTEM_ACCOUNTS.world });
    } finally {
      await store.close();
    }
  });
});

describe('sqlite store adapter: the writer thread', () => {
  it('refuses a write whose arguments are not plain data, and writes the others of its tick', async () => {
    const store = await openSqliteStore({ path: temp.file('clone') });
    try {
      const bad = { ...deposit('x1'), memo: (() => 'not data') as unknown as string };
      const results = await Promise.allSettled([store.wallet.apply([deposit('ok1', 5)]), store.wallet.apply([bad]), store.wallet.apply([deposit('ok2', 6)])]);
      expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).to.include({ code: 'store/invalid_argument' });
      expect((await store.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.balanceMinor).to.equal(11);
    } finally {
      await store.close();
    }
  });

  it('answers many writers from one tick with one commit each batch and keeps their order within a room', async () => {
    const store = await openSqliteStore({ path: temp.file('order') });
    try {
      const appends = Array.from({ length: 200 }, (_, i) => store.journal.append('r', i + 1, [{ type: 'n', data: i }]));
      const records = (await Promise.all(appends)).flat();
      expect(records.map((r) => r.seq)).to.deep.equal(Array.from({ length: 200 }, (_, i) => i + 1));
      expect((await store.journal.read('r')).map((r) => r.data)).to.deep.equal(Array.from({ length: 200 }, (_, i) => i));
    } finally {
      await store.close();
    }
  });

  it('shows the time its thread was busy on /metrics while the store is open, and drops it once closed', async () => {
    const busy = async () => (await registry.getSingleMetric('casino_store_writer_busy_seconds')!.get()).values[0]!.value;
    const before = writerThreadsBusyMs();
    const store = await openSqliteStore({ path: temp.file('busy') });
    try {
      await Promise.all(Array.from({ length: 2000 }, (_, i) => store.wallet.apply([deposit(`busy${i}`, 1)])));
      expect(writerThreadsBusyMs()).to.be.greaterThan(before);
      expect(await busy()).to.be.closeTo(writerThreadsBusyMs() / 1000, 0.5);
    } finally {
      await store.close();
    }
    expect(writerThreadsBusyMs()).to.equal(before);
  });

  it('fails every outstanding write, refuses new ones and says so once when the writer thread dies', async () => {
    const lost: Error[] = [];
    const writer = await ThreadWriter.start({ path: temp.file('dying'), queue: {} }, {
      workerUrl: new URL('./fixtures/dying-writer.ts', import.meta.url),
      onLost: (error) => lost.push(error),
    });
    const results = await Promise.allSettled([writer.call('wallet.apply', 1, 'now', [deposit('d1')], false, 0), writer.call('wallet.apply', 1, 'now', [deposit('d2')], false, 0)]);
    for (const r of results) expect((r as PromiseRejectedResult).reason).to.include({ code: 'store/write_failed' });
    await expectStoreError(writer.call('wallet.apply', 1, 'now', [deposit('d3')], false, 0), 'store/write_failed');
    expect(() => writer.check()).to.throw(/writer thread exited/);
    expect(lost).to.have.length(1);
    await writer.close();
  });

  it('does not keep a process alive once its writes are done, even if the store is never closed', async () => {
    const path = temp.file('exit');
    const script = [
      `import { openSqliteStore } from ${JSON.stringify(fileURLToPath(new URL('../../server/store/sqlite/index.ts', import.meta.url)))};`,
      `const store = await openSqliteStore({ path: ${JSON.stringify(path)} });`,
      "const [o] = await store.wallet.apply([{ type: 'transfer', key: 'k', fromAccountId: 'sys:world', toAccountId: 'sys:house', amountMinor: 9, kind: 'funding' }]);",
      'console.log(o.ok);',
    ].join('\n');
    const file = `${path}.script.mts`;
    fs.writeFileSync(file, script);
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).to.equal(0);
    expect(out.trim()).to.equal('true');
    const reopened = await openSqliteStore({ path });
    try {
      expect((await reopened.wallet.getAccount(SYSTEM_ACCOUNTS.house))!.balanceMinor).to.equal(9);
    } finally {
      await reopened.close();
    }
  });
});
