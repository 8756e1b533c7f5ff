import { expect } from 'chai';
import { SYSTEM_ACCOUNTS } from '../../../server/store/types.ts';
import { applyOne, expectOk, newPlayer, uid, type ContractContext } from './helpers.ts';

export function reconcileContract(ctx: ContractContext): void {
  describe('reconcile', () => {
    it('balances on an empty ledger', async () => {
      const books = await ctx.store.wallet.reconcile();
      expect(books).to.include({ ok: true, sumOfBalancesMinor: 0, escrowBalanceMinor: 0, openHoldsMinor: 0, openHoldCount: 0 });
      expect(books.accountCount).to.be.at.least(4);
    });

    it('balances to zero after mixed activity and lists open holds oldest first', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bob = await newPlayer(ctx, 500);
      // Ids sort opposite to age, so the order checked below is by age.
      const holds = [uid('bet-c'), uid('bet-b'), uid('bet-a')];
      expectOk(await applyOne(ctx, { type: 'reserve', key: holds[0]!, accountId: alice, amountMinor: 100 }));
      expectOk(await applyOne(ctx, { type: 'reserve', key: holds[1]!, accountId: bob, amountMinor: 50 }));
      expectOk(await applyOne(ctx, { type: 'reserve', key: holds[2]!, accountId: alice, amountMinor: 70 }));
      expectOk(await applyOne(ctx, { type: 'capture', key: uid('settle'), holdId: holds[0]!, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 60 }));
      expectOk(await applyOne(ctx, { type: 'transfer', key: uid('tip'), fromAccountId: bob, toAccountId: alice, amountMinor: 25, kind: 'adjustment' }));

      const books = await ctx.store.wallet.reconcile();
      expect(books).to.include({ ok: true, sumOfBalancesMinor: 0, escrowBalanceMinor: 120, openHoldsMinor: 120, openHoldCount: 2 });
      expect(books.negativeAccounts).to.deep.equal([]);
      expect(books.openHolds.map((h) => h.id)).to.deep.equal([holds[1], holds[2]]);
      // 2 deposits, 3 reserves, a partial capture (2 transfers), 1 tip.
      expect(books.transferCount).to.equal(8);
      expect(books.accountCount).to.equal(6);
    });
  });
}
