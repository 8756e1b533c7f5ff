import { expect } from 'chai';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../../server/store/types.ts';
import { clawbackSplit, receivableAccountId } from '../../../server/store/wallet-input.ts';
import { applyOne, balanceOf, deposit, expectFail, expectOk, newPlayer, uid, type ContractContext } from './helpers.ts';

const clawback = (accountId: string, amountMinor: number, key = uid('claw')): WalletOp => ({
  type: 'clawback', key, accountId, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor, memo: 're-settlement',
});

/** The receivable a clawback may leave a debt in (the caller creates it, as the market room does). */
async function withReceivable(ctx: ContractContext, playerId: string): Promise<string> {
  const id = receivableAccountId(playerId);
  await ctx.store.wallet.ensureAccount(id, 'house', ctx.currency);
  return id;
}

export function clawbackContract(ctx: ContractContext): void {
  describe('clawback (balancing debit) and receivables', () => {
    it('takes the whole amount when the player has it, and writes no debt', async () => {
      const player = await newPlayer(ctx, 1_000);
      await withReceivable(ctx, player);
      const out = expectOk(await applyOne(ctx, clawback(player, 400)));
      expect(clawbackSplit(out)).to.deep.equal({ takenMinor: 400, debtMinor: 0 });
      expect(out.transfers[0]).to.include({ fromAccountId: player, toAccountId: SYSTEM_ACCOUNTS.house, kind: 'adjustment', ownerAccountId: player, ownerBalanceAfterMinor: 600 });
      expect(await balanceOf(ctx, player)).to.equal(600);
    });

    it('takes what is available in the same transaction and records the rest as the player\'s debt', async () => {
      const player = await newPlayer(ctx, 1_000);
      const receivable = await withReceivable(ctx, player);
      const bet = uid('bet');
      // A bet placed just before: the clawback meets 300 available, never insufficient funds.
      const [reserved, clawed] = await ctx.store.wallet.apply([
        { type: 'reserve', key: bet, accountId: player, amountMinor: 700 },
        clawback(player, 500),
      ]);
      expectOk(reserved);
      expect(clawbackSplit(expectOk(clawed))).to.deep.equal({ takenMinor: 300, debtMinor: 200 });
      expect(await balanceOf(ctx, player)).to.equal(0);
      expect(await balanceOf(ctx, receivable)).to.equal(200);
      const books = await ctx.store.wallet.reconcile();
      expect(books.ok).to.equal(true);
      expect(books.receivablesMinor).to.be.at.least(200);
      expect(books.receivables.find((r) => r.id === receivable)).to.deep.equal({ id: receivable, balanceMinor: 200 });
      expectOk(await applyOne(ctx, { type: 'release', key: `${bet}:release`, holdId: bet }));
    });

    it('answers a repeat with the first outcome, whatever the balance is now', async () => {
      const player = await newPlayer(ctx, 100);
      await withReceivable(ctx, player);
      const op = clawback(player, 250);
      const first = expectOk(await applyOne(ctx, op));
      await deposit(ctx, player, 10_000);
      const again = expectOk(await applyOne(ctx, op));
      expect(again.replayed).to.equal(true);
      expect(again.transfers).to.deep.equal(first.transfers);
      expect(clawbackSplit(again)).to.deep.equal({ takenMinor: 100, debtMinor: 150 });
      expectFail(await applyOne(ctx, { ...op, amountMinor: 251 } as WalletOp), 'wallet/idempotency_conflict');
    });

    it('records the whole amount as debt when nothing is available', async () => {
      const player = await newPlayer(ctx, 0);
      const receivable = await withReceivable(ctx, player);
      const out = expectOk(await applyOne(ctx, clawback(player, 80)));
      expect(out.transfers).to.have.length(1);
      expect(out.transfers[0]).to.include({ fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: receivable, kind: 'debt', amountMinor: 80 });
      expect(await balanceOf(ctx, receivable)).to.equal(80);
      await deposit(ctx, player, 80); // clears the debt, so the books end as they began
    });

    it('finds a transfer by its idempotency key, a side effect\'s key included', async () => {
      const player = await newPlayer(ctx, 10);
      await withReceivable(ctx, player);
      const key = uid('claw');
      const out = expectOk(await applyOne(ctx, clawback(player, 30, key)));
      expect(await ctx.store.wallet.transferByKey(key)).to.deep.equal(out.transfers[0]);
      expect(await ctx.store.wallet.transferByKey(`${key}:debt`)).to.deep.equal(out.transfers[1]);
      expect(await ctx.store.wallet.transferByKey(uid('nothing'))).to.equal(null);
      await deposit(ctx, player, 20);
    });

    it('refuses a rest without a receivable account, writing nothing', async () => {
      const player = await newPlayer(ctx, 50);
      expectFail(await applyOne(ctx, clawback(player, 80)), 'wallet/unknown_account');
      expect(await balanceOf(ctx, player)).to.equal(50);
    });

    it('pays a debt down first from later credits', async () => {
      const player = await newPlayer(ctx, 0);
      const receivable = await withReceivable(ctx, player);
      expectOk(await applyOne(ctx, clawback(player, 500)));
      const houseBefore = await balanceOf(ctx, SYSTEM_ACCOUNTS.house);
      const key = uid('credit');
      const credit = expectOk(await applyOne(ctx, { type: 'transfer', key, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: player, amountMinor: 300, kind: 'deposit' }));
      expect(credit.transfers.map((t) => [t.kind, t.amountMinor, t.ownerBalanceAfterMinor])).to.deep.equal([['deposit', 300, 300], ['repayment', 300, 0], ['repayment', 300, 0]]);
      expect(await balanceOf(ctx, player)).to.equal(0);
      expect(await balanceOf(ctx, receivable)).to.equal(200);
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.house)).to.equal(houseBefore + 300);
      const replay = expectOk(await applyOne(ctx, { type: 'transfer', key, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: player, amountMinor: 300, kind: 'deposit' }));
      expect(replay.replayed).to.equal(true);
      expect(replay.transfers).to.deep.equal(credit.transfers);
      await deposit(ctx, player, 450);
      expect(await balanceOf(ctx, player)).to.equal(250);
      expect(await balanceOf(ctx, receivable)).to.equal(0);
    });

    it('writes each transfer with its owner\'s balance (posted + held) right after it', async () => {
      const player = await newPlayer(ctx, 1_000);
      const hold = uid('hold');
      const [reserve] = await ctx.store.wallet.apply([{ type: 'reserve', key: hold, accountId: player, amountMinor: 300 }]);
      expect(expectOk(reserve).transfers[0]).to.include({ ownerAccountId: player, ownerBalanceAfterMinor: 1_000 });
      await deposit(ctx, SYSTEM_ACCOUNTS.house, 10_000);
      const settled = await ctx.store.wallet.apply([
        { type: 'capture', key: `${hold}:capture`, holdId: hold, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 200 },
        { type: 'transfer', key: `${hold}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: player, amountMinor: 700, kind: 'payout' },
      ], { atomic: true });
      const transfers = settled.flatMap((o) => expectOk(o).transfers);
      expect(transfers.map((t) => [t.kind, t.ownerAccountId, t.ownerBalanceAfterMinor])).to.deep.equal([
        ['capture', player, 800], ['release', player, 800], ['payout', player, 1_500],
      ]);
      const page = await ctx.store.wallet.listTransfers(player, { limit: 10 });
      expect(page.items.find((t) => t.kind === 'payout')).to.include({ ownerBalanceAfterMinor: 1_500 });
    });
  });
}
