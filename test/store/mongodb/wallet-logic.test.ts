/**
 * The MongoDB adapter's wallet logic (group commit, batch, working set, ops) without a server:
 * the shared contract's wallet rows run against it over an in-memory ledger, plus what only
 * this write path has (per-call all-or-nothing inside a batch, unconfirmed-commit retries, the
 * read plan, the guards it asks MongoDB to enforce).
 */
import { expect } from 'chai';
import { Long } from 'mongodb';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../../server/store/types.ts';
import { accountGuard } from '../../../server/store/mongodb/ledger-source.ts';
import { readPlan, type CallResult } from '../../../server/store/mongodb/wallet-batch.ts';
import type { ContractContext } from '../contract/helpers.ts';
import { holdsContract } from '../contract/holds.ts';
import { pagingContract } from '../contract/paging.ts';
import { reconcileContract } from '../contract/reconcile.ts';
import { transfersContract } from '../contract/transfers.ts';
import { memoryWallet, memoryWalletStore, type MemoryWallet } from './memory-ledger.ts';

describe('mongodb wallet logic (in memory, no server)', () => {
  describe('the shared contract\'s wallet rows', () => {
    const ctx = {} as ContractContext;
    beforeEach(() => {
      ctx.store = memoryWalletStore(memoryWallet());
      ctx.currency = 'EUR';
    });
    afterEach(async () => {
      const books = await ctx.store.wallet.reconcile();
      await ctx.store.close();
      if (!books.ok) throw new Error(`books do not balance after the test: ${JSON.stringify(books)}`);
    });
    transfersContract(ctx);
    holdsContract(ctx);
    pagingContract(ctx);
    reconcileContract(ctx);
  });

  async function funded(wallet: MemoryWallet, id: string, amountMinor: number): Promise<void> {
    await wallet.ensureAccount(id, 'player', 'EUR');
    const [o] = await wallet.apply([{ type: 'transfer', key: `deposit:${id}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: id, amountMinor, kind: 'deposit' }]);
    expect(o).to.include({ ok: true });
  }

  const move = (key: string, from: string, to: string, amountMinor: number): WalletOp => ({
    type: 'transfer', key, fromAccountId: from, toAccountId: to, amountMinor, kind: 'adjustment',
  });

  it('writes calls issued in one tick in one transaction, each call all-or-nothing on its own', async () => {
    const wallet = memoryWallet();
    await funded(wallet, 'a', 100);
    await wallet.ensureAccount('b', 'player', 'EUR');
    const before = wallet.db.batches;
    const [one, two, three] = await Promise.all([
      wallet.apply([move('m1', 'a', 'b', 30)]),
      wallet.apply([move('m2', 'a', 'b', 30), move('m3', 'a', 'b', 1_000)], { atomic: true }),
      wallet.apply([move('m4', 'a', 'b', 30), move('m1', 'a', 'b', 30)]),
    ]);
    expect(wallet.db.batches - before).to.equal(1);
    expect(one![0]).to.include({ ok: true, replayed: false });
    expect(two!.map((o) => !o.ok && o.code)).to.deep.equal(['wallet/aborted', 'wallet/insufficient_funds']);
    expect(three![0]).to.include({ ok: true, replayed: false });
    expect(three![1]).to.include({ ok: true, replayed: true });
    expect((await wallet.getAccount('a'))!.balanceMinor).to.equal(40);
    // The aborted call left no key, transfer or seq behind: seqs stay gapless.
    expect([...wallet.db.transfers.keys()]).to.deep.equal([1, 2, 3]);
    expect(wallet.db.keys.has('m2')).to.equal(false);
  });

  it('splits batches at maxBatchOps', async () => {
    const wallet = memoryWallet({ maxBatchOps: 3 });
    await funded(wallet, 'a', 100);
    await wallet.ensureAccount('b', 'player', 'EUR');
    const before = wallet.db.batches;
    await Promise.all(Array.from({ length: 7 }, (_, i) => wallet.apply([move(`k${i}`, 'a', 'b', 1)])));
    expect(wallet.db.batches - before).to.equal(3);
    expect((await wallet.getAccount('b'))!.balanceMinor).to.equal(7);
  });

  it('lets exactly K of N concurrent reserves through when funded for K stakes', async () => {
    const wallet = memoryWallet({ maxBatchOps: 7 });
    await funded(wallet, 'p', 25 * 40);
    const outcomes = (await Promise.all(Array.from({ length: 200 }, (_, i) =>
      wallet.apply([{ type: 'reserve', key: `bet:${i}`, accountId: 'p', amountMinor: 40 }]),
    ))).map(([o]) => o!);
    expect(outcomes.filter((o) => o.ok)).to.have.length(25);
    expect(outcomes.every((o) => o.ok || o.code === 'wallet/insufficient_funds')).to.equal(true);
    expect(await wallet.reconcile()).to.include({ ok: true, openHoldCount: 25, escrowBalanceMinor: 1_000 });
  });

  it('reports a call whose unconfirmed commit went through as applied, not replayed, on its retry', async () => {
    let attempts = 0;
    const wallet = memoryWallet({
      // The first attempt commits, then the commit reply is "lost": the runner retries the work.
      inTransaction: async (work, db) => {
        const first = await work(db.source());
        attempts++;
        if (attempts === 2) return work(db.source());
        return first;
      },
    });
    await funded(wallet, 'a', 100);
    await wallet.ensureAccount('b', 'player', 'EUR');
    const outcomes = await wallet.apply([move('x1', 'a', 'b', 10), move('x1', 'a', 'b', 10), { type: 'reserve', key: 'h1', accountId: 'a', amountMinor: 5 }]);
    expect(attempts).to.equal(2);
    expect(outcomes.map((o) => o.ok && o.replayed)).to.deep.equal([false, true, false]);
    expect((await wallet.getAccount('a'))).to.include({ balanceMinor: 85, heldMinor: 5 });
    // Another caller repeating the key is told it is a replay.
    expect((await wallet.apply([move('x1', 'a', 'b', 10)]))[0]).to.include({ ok: true, replayed: true });
    await wallet.apply([{ type: 'release', key: 'h1:void', holdId: 'h1' }]);
  });

  it('rejects only the call that throws; its neighbours in the batch are written', async () => {
    const wallet = memoryWallet();
    await funded(wallet, 'a', 100);
    await wallet.ensureAccount('b', 'player', 'EUR');
    // Passes the shape check (first read of memo), then throws while the batch decides it.
    let reads = 0;
    const poison = {
      type: 'transfer', key: 'p', fromAccountId: 'a', toAccountId: 'b', amountMinor: 1, kind: 'adjustment',
      get memo(): undefined {
        if (reads++ > 0) throw new Error('boom');
        return undefined;
      },
    } as unknown as WalletOp;
    const results = await Promise.allSettled([
      wallet.apply([move('ok1', 'a', 'b', 10)]),
      wallet.apply([move('ok2', 'a', 'b', 10), poison]),
      wallet.apply([move('ok3', 'a', 'b', 10)]),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).to.have.property('message', 'boom');
    expect(wallet.db.batches).to.equal(2); // the deposit, then one batch for all three calls
    expect((await wallet.getAccount('b'))!.balanceMinor).to.equal(20);
    expect(wallet.db.keys.has('ok2')).to.equal(false);
  });

  it('re-runs the calls of a batch one by one when the batch fails as a whole', async () => {
    let failNext = true;
    const wallet = memoryWallet({
      inTransaction: async (work, db): Promise<CallResult[]> => {
        if (failNext) {
          failNext = false;
          throw new Error('batch failed');
        }
        return work(db.source());
      },
    });
    await wallet.ensureAccount('b', 'player', 'EUR');
    const outcomes = await Promise.all([
      wallet.apply([move('w1', SYSTEM_ACCOUNTS.world, 'b', 10)]),
      wallet.apply([move('w2', SYSTEM_ACCOUNTS.world, 'b', 10)]),
    ]);
    expect(outcomes.map(([o]) => o!.ok)).to.deep.equal([true, true]);
    expect((await wallet.getAccount('b'))!.balanceMinor).to.equal(20);
  });

  it('reads every key, hold and account the ops name, and escrow', () => {
    const plan = readPlan([
      { callId: 'c', atomic: false, ops: [move('t', 'a', 'b', 1), { type: 'reserve', key: 'r', accountId: 'c', amountMinor: 1 }] },
      { callId: 'd', atomic: true, ops: [{ type: 'capture', key: 'k', holdId: 'h', toAccountId: 'house' }, { type: 'release', key: 'v', holdId: 'h2' }] },
    ]);
    // Stakes, captures and releases also read the bonus part of a stake (`#bonus`, bonus-ops.ts).
    expect(plan.keys.sort()).to.deep.equal(['k', 'k#bonus', 'k:rest', 'r', 'r#bonus', 't', 't:debt', 't:debt:settled', 'v', 'v#bonus']);
    expect(plan.holdIds.sort()).to.deep.equal(['h', 'h#bonus', 'h2', 'h2#bonus', 'r', 'r#bonus']);
    // A credit reads the receiver's receivable (a debt is paid down first), house and world.
    expect(plan.accountIds.sort()).to.deep.equal(['a', 'b', 'c', 'house', 'receivable:b', SYSTEM_ACCOUNTS.house, SYSTEM_ACCOUNTS.world, SYSTEM_ACCOUNTS.escrow].sort());
  });

  it('guards every debit of a non-world account and every decrease of held money in the update filter', () => {
    expect(accountGuard('p', -300, 0)).to.deep.equal({ _id: 'p', balanceMinor: { $gte: Long.fromNumber(300) } });
    expect(accountGuard('p', 50, -20)).to.deep.equal({ _id: 'p', heldMinor: { $gte: Long.fromNumber(20) } });
    expect(accountGuard(SYSTEM_ACCOUNTS.world, -300, 0)).to.deep.equal({ _id: SYSTEM_ACCOUNTS.world });
    expect(accountGuard(SYSTEM_ACCOUNTS.escrow, -1, 0)).to.deep.equal({ _id: SYSTEM_ACCOUNTS.escrow, balanceMinor: { $gte: Long.fromNumber(1) } });
  });
});
