import { expect } from 'chai';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { SYSTEM_ACCOUNTS, type Store, type WalletOp } from '../../server/store/types.ts';
import { runTogether } from './fixtures/spawn-worker.ts';
import { makeTempDir } from './tmpdir.ts';

const temp = makeTempDir('wallet-concurrency');
after(() => temp.cleanup());

async function fundedPlayer(store: Store, id: string, amountMinor: number): Promise<void> {
  await store.wallet.ensureAccount(id, 'player', 'EUR');
  const [outcome] = await store.wallet.apply([
    { type: 'transfer', key: `deposit:${id}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: id, amountMinor, kind: 'deposit' },
  ]);
  expect(outcome).to.include({ ok: true });
}

describe('wallet concurrency (sqlite)', () => {
  describe('in one process', () => {
    for (const maxBatchOps of [2_000, 7]) {
      it(`lets exactly K of N concurrent reserves through when funded for K stakes (batches of ≤${maxBatchOps} ops)`, async () => {
        const K = 25;
        const N = 200;
        const stakeMinor = 40;
        const store = await openSqliteStore({ path: temp.file('in-process'), maxBatchOps });
        try {
          await fundedPlayer(store, 'p1', K * stakeMinor);
          const calls = Array.from({ length: N }, (_, i) =>
            store.wallet.apply([{ type: 'reserve', key: `bet:${i}`, accountId: 'p1', amountMinor: stakeMinor }]),
          );
          const outcomes = (await Promise.all(calls)).map(([o]) => o!);
          expect(outcomes.filter((o) => o.ok)).to.have.length(K);
          expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.code === 'wallet/insufficient_funds')).to.equal(true);

          expect(await store.wallet.getAccount('p1')).to.include({ balanceMinor: 0, heldMinor: K * stakeMinor });
          const books = await store.wallet.reconcile();
          expect(books).to.include({ ok: true, openHoldCount: K, openHoldsMinor: K * stakeMinor, escrowBalanceMinor: K * stakeMinor });
          expect(books.transferCount).to.equal(1 + K);
        } finally {
          await store.close();
        }
      });
    }

    it('keeps balances exact under concurrent transfers in both directions', async () => {
      const store = await openSqliteStore({ path: temp.file('in-process-transfers') });
      try {
        await fundedPlayer(store, 'a', 500);
        await fundedPlayer(store, 'b', 500);
        const calls = Array.from({ length: 1_000 }, (_, i): WalletOp => ({
          type: 'transfer', key: `m:${i}`, fromAccountId: i % 2 ? 'a' : 'b', toAccountId: i % 2 ? 'b' : 'a', amountMinor: 1 + (i % 13), kind: 'adjustment',
        })).map((op) => store.wallet.apply([op]));
        const outcomes = (await Promise.all(calls)).map(([o]) => o!);
        const a = (await store.wallet.getAccount('a'))!.balanceMinor;
        const b = (await store.wallet.getAccount('b'))!.balanceMinor;
        expect(a + b).to.equal(1_000);
        expect(a).to.be.at.least(0);
        expect(b).to.be.at.least(0);
        const books = await store.wallet.reconcile();
        expect(books.ok).to.equal(true);
        expect(books.transferCount).to.equal(2 + outcomes.filter((o) => o.ok).length);
      } finally {
        await store.close();
      }
    });
  });

  describe('across OS processes sharing one file', function () {
    this.timeout(120_000);

    it('creates the schema once when two processes open a fresh file at the same moment', async () => {
      const dbPath = temp.file('fresh');
      await runTogether(['w1', 'w2'].map((workerId) => ({ mode: 'open' as const, dbPath, workerId })));
      const db = new DatabaseSync(dbPath, { readOnly: true });
      try {
        expect(db.prepare('SELECT version FROM schema_migrations').all().map((r) => r.version)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(db.prepare('SELECT COUNT(*) AS n FROM accounts').get()!.n).to.equal(4);
      } finally {
        db.close();
      }
    });

    it('lets exactly K reserves through across two processes and keeps the books balanced', async () => {
      const K = 1_500;
      const stakeMinor = 7;
      const attempts = 3_000;
      const transfers = 3_000;
      const dbPath = temp.file('shared');
      const setup = await openSqliteStore({ path: dbPath });
      await fundedPlayer(setup, 'target', K * stakeMinor);
      await fundedPlayer(setup, 'left', 300);
      await fundedPlayer(setup, 'right', 300);
      await setup.close();

      const reports = await runTogether(
        ['w1', 'w2'].map((workerId) => ({
          mode: 'contend' as const, dbPath, workerId, accountId: 'target', stakeMinor, attempts, pair: ['left', 'right'] as [string, string], transfers,
        })),
      );

      const reservesOk = reports.reduce((sum, r) => sum + r.reservesOk, 0);
      const transfersOk = reports.reduce((sum, r) => sum + r.transfersOk, 0);
      expect(reservesOk).to.equal(K);
      // Both processes winning some of the contested stakes shows their writes really interleaved.
      for (const r of reports) expect(r.reservesOk, `reserves won by ${r.workerId}`).to.be.above(0);
      for (const r of reports) {
        const codes = Object.keys(r.codes).filter((c) => c !== 'ok' && c !== 'wallet/insufficient_funds');
        expect(codes, `unexpected outcomes from ${r.workerId}`).to.deep.equal([]);
        expect(r.codes.ok).to.equal(r.reservesOk + r.transfersOk);
      }

      const store = await openSqliteStore({ path: dbPath });
      try {
        expect(await store.wallet.getAccount('target')).to.include({ balanceMinor: 0, heldMinor: K * stakeMinor });
        const left = (await store.wallet.getAccount('left'))!.balanceMinor;
        const right = (await store.wallet.getAccount('right'))!.balanceMinor;
        expect(left + right).to.equal(600);
        const books = await store.wallet.reconcile();
        expect(books).to.include({ ok: true, sumOfBalancesMinor: 0, openHoldCount: K, escrowBalanceMinor: K * stakeMinor });
        expect(books.negativeAccounts).to.deep.equal([]);
        expect(books.transferCount).to.equal(3 + K + transfersOk);
      } finally {
        await store.close();
      }
    });
  });
});
