/**
 * Rows for several store instances (as several server processes would) sharing one MongoDB
 * database: transactions must keep the books exact under contention. Run against a real
 * replica set (mongodb.concurrency.test.ts, with MONGODB_URL) and against the in-memory model
 * (fake-concurrency.test.ts).
 */
import { expect } from 'chai';
import { SYSTEM_ACCOUNTS, type Store, type WalletOp } from '../../../server/store/types.ts';

export interface SharedStores {
  /** Three instances on one fresh database, opened at the same moment. */
  stores: Store[];
  close(): Promise<void>;
}

export function sharedStoreRows(open: () => Promise<SharedStores>): void {
  let shared: SharedStores;
  let stores: Store[] = [];

  beforeEach(async () => {
    shared = await open();
    stores = shared.stores;
  });

  afterEach(async () => {
    await shared?.close();
  });

  async function funded(id: string, amountMinor: number): Promise<void> {
    await stores[0]!.wallet.ensureAccount(id, 'player', 'EUR');
    const [o] = await stores[0]!.wallet.apply([{ type: 'transfer', key: `deposit:${id}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: id, amountMinor, kind: 'deposit' }]);
    expect(o).to.include({ ok: true });
  }

  it('lets exactly K of N concurrent reserves through across instances', async () => {
    const K = 40;
    await funded('target', K * 5);
    const calls = Array.from({ length: 3 * K }, (_, i) =>
      stores[i % stores.length]!.wallet.apply([{ type: 'reserve', key: `bet:${i}`, accountId: 'target', amountMinor: 5 }]),
    );
    const outcomes = (await Promise.all(calls)).map(([o]) => o!);
    expect(outcomes.filter((o) => o.ok)).to.have.length(K);
    expect(outcomes.every((o) => o.ok || o.code === 'wallet/insufficient_funds')).to.equal(true);
    const books = await stores[1]!.wallet.reconcile();
    expect(books).to.include({ ok: true, openHoldCount: K, escrowBalanceMinor: K * 5, transferCount: 1 + K });
    expect(await stores[2]!.wallet.getAccount('target')).to.include({ balanceMinor: 0, heldMinor: K * 5 });
  });

  it('keeps balances exact and seqs unique under transfers in both directions from every instance', async () => {
    await funded('a', 100);
    await funded('b', 100);
    const ops = Array.from({ length: 300 }, (_, i): WalletOp => ({
      type: 'transfer', key: `m:${i}`, fromAccountId: i % 2 ? 'a' : 'b', toAccountId: i % 2 ? 'b' : 'a', amountMinor: 1 + (i % 7), kind: 'adjustment',
    }));
    const outcomes = (await Promise.all(ops.map((op, i) => stores[i % stores.length]!.wallet.apply([op])))).map(([o]) => o!);
    expect(outcomes.every((o) => o.ok || o.code === 'wallet/insufficient_funds')).to.equal(true);
    const a = (await stores[0]!.wallet.getAccount('a'))!.balanceMinor;
    const b = (await stores[0]!.wallet.getAccount('b'))!.balanceMinor;
    expect(a + b).to.equal(200);
    const seqs = outcomes.flatMap((o) => (o.ok ? o.transfers.map((t) => t.seq) : []));
    expect(new Set(seqs).size).to.equal(seqs.length);
    const books = await stores[0]!.wallet.reconcile();
    expect(books).to.include({ ok: true, transferCount: 2 + seqs.length });
  });

  it('answers a key applied by one instance as a replay on another', async () => {
    await funded('a', 100);
    const op: WalletOp = { type: 'transfer', key: 'once', fromAccountId: 'a', toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 10, kind: 'adjustment' };
    const results = (await Promise.all(stores.map((s) => s.wallet.apply([op])))).map(([o]) => o!);
    expect(results.filter((o) => o.ok && !o.replayed)).to.have.length(1);
    expect(results.filter((o) => o.ok && o.replayed)).to.have.length(2);
    expect((await stores[0]!.wallet.getAccount('a'))!.balanceMinor).to.equal(90);
  });

  it('lets exactly one instance append at a sequence', async () => {
    const results = await Promise.allSettled(stores.map((s, i) => s.journal.append('room:1', 1, [{ type: 'e', data: { by: i } }])));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).to.have.property('code', 'journal/seq_conflict');
    expect(await stores[0]!.journal.read('room:1')).to.have.length(1);
  });

  it('creates a username once across instances', async () => {
    const results = await Promise.allSettled(stores.map((s, i) => s.users.create({ id: `u${i}`, username: i % 2 ? 'Alice' : 'alice', passwordHash: 'h', role: 'player', status: 'active', createdAt: 1 })));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).to.have.property('code', 'store/username_taken');
  });
}
