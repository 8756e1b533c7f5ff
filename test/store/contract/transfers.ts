import { expect } from 'chai';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../../server/store/types.ts';
import { fundingOp } from '../../../server/store/funding.ts';
import {
  applyOne, balanceOf, deposit, expectFail, expectOk, expectStoreError, newPlayer, uid, type ContractContext,
} from './helpers.ts';

const move = (from: string, to: string, amountMinor: number, key = uid('t')): Extract<WalletOp, { type: 'transfer' }> => ({
  type: 'transfer', key, fromAccountId: from, toAccountId: to, amountMinor, kind: 'adjustment',
});

export function transfersContract(ctx: ContractContext): void {
  describe('accounts', () => {
    it('has the system accounts at zero in one currency', async () => {
      for (const id of Object.values(SYSTEM_ACCOUNTS)) {
        const account = await ctx.store.wallet.getAccount(id);
        expect(account, id).to.include({ id, balanceMinor: 0, heldMinor: 0, currency: ctx.currency });
      }
      expect((await ctx.store.wallet.getAccount(SYSTEM_ACCOUNTS.world))!.kind).to.equal('world');
    });

    it('creates an account once and returns the existing one on repeat', async () => {
      const id = uid('player');
      const first = await ctx.store.wallet.ensureAccount(id, 'player', ctx.currency);
      expect(first).to.include({ id, kind: 'player', currency: ctx.currency, balanceMinor: 0, heldMinor: 0 });
      await deposit(ctx, id, 500);
      const again = await ctx.store.wallet.ensureAccount(id, 'player', ctx.currency);
      expect(again).to.include({ id, balanceMinor: 500, createdAt: first.createdAt });
    });

    it('returns null for an unknown account', async () => {
      expect(await ctx.store.wallet.getAccount(uid('ghost'))).to.equal(null);
    });

    it('funds the house from world idempotently with fundingOp', async () => {
      const first = expectOk(await applyOne(ctx, fundingOp(SYSTEM_ACCOUNTS.house, 1_000_000)));
      expect(first.transfers[0]).to.include({ kind: 'funding', fromAccountId: SYSTEM_ACCOUNTS.world });
      const again = expectOk(await applyOne(ctx, fundingOp(SYSTEM_ACCOUNTS.house, 1_000_000)));
      expect(again.replayed).to.equal(true);
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.house)).to.equal(1_000_000);
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.world)).to.equal(-1_000_000);
    });
  });

  describe('transfers', () => {
    it('moves money and records one transfer with the caller key', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bob = await newPlayer(ctx);
      const key = uid('gift');
      const outcome = expectOk(await applyOne(ctx, { ...move(alice, bob, 300, key), memo: 'hello' }));
      expect(outcome.replayed).to.equal(false);
      expect(outcome.hold).to.equal(null);
      expect(outcome.transfers).to.have.length(1);
      expect(outcome.transfers[0]).to.include({
        key, fromAccountId: alice, toAccountId: bob, amountMinor: 300, kind: 'adjustment', holdId: null, memo: 'hello',
      });
      expect(await balanceOf(ctx, alice)).to.equal(700);
      expect(await balanceOf(ctx, bob)).to.equal(300);
    });

    it('lets world go below zero and nobody else', async () => {
      const alice = await newPlayer(ctx);
      expectOk(await applyOne(ctx, move(SYSTEM_ACCOUNTS.world, alice, 50)));
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.world)).to.equal(-50);
      expectFail(await applyOne(ctx, move(SYSTEM_ACCOUNTS.house, alice, 1)), 'wallet/insufficient_funds');
      expectFail(await applyOne(ctx, move(SYSTEM_ACCOUNTS.promotions, alice, 1)), 'wallet/insufficient_funds');
    });

    it('returns the first outcome for a repeated key without moving money again', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bob = await newPlayer(ctx);
      const op = move(alice, bob, 400);
      const first = expectOk(await applyOne(ctx, op));
      const again = expectOk(await applyOne(ctx, { ...op }));
      expect(again.replayed).to.equal(true);
      expect(again.transfers).to.deep.equal(first.transfers);
      expect(await balanceOf(ctx, alice)).to.equal(600);
      expect(await balanceOf(ctx, bob)).to.equal(400);
    });

    it('replays a key repeated within one call', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bob = await newPlayer(ctx);
      const op = move(alice, bob, 100);
      const [first, second] = await ctx.store.wallet.apply([op, op]);
      expect(expectOk(first).replayed).to.equal(false);
      expect(expectOk(second).replayed).to.equal(true);
      expect(await balanceOf(ctx, bob)).to.equal(100);
    });

    it('rejects a repeated key with different parameters as an idempotency conflict', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bob = await newPlayer(ctx);
      const op = move(alice, bob, 400);
      expectOk(await applyOne(ctx, op));
      expectFail(await applyOne(ctx, { ...op, amountMinor: 401 }), 'wallet/idempotency_conflict');
      expectFail(await applyOne(ctx, { ...op, memo: 'changed' }), 'wallet/idempotency_conflict');
      expectFail(await applyOne(ctx, { type: 'reserve', key: op.key, accountId: alice, amountMinor: 400 }), 'wallet/idempotency_conflict');
      expect(await balanceOf(ctx, alice)).to.equal(600);
    });

    it('rejects insufficient funds without changing anything, and a later retry of the key can succeed', async () => {
      const alice = await newPlayer(ctx, 100);
      const bob = await newPlayer(ctx);
      const op = move(alice, bob, 150);
      const before = await ctx.store.wallet.reconcile();
      expectFail(await applyOne(ctx, op), 'wallet/insufficient_funds');
      expect(await balanceOf(ctx, alice)).to.equal(100);
      expect(await balanceOf(ctx, bob)).to.equal(0);
      expect((await ctx.store.wallet.reconcile()).transferCount).to.equal(before.transferCount);
      await deposit(ctx, alice, 50);
      expect(expectOk(await applyOne(ctx, op)).replayed).to.equal(false);
      expect(await balanceOf(ctx, bob)).to.equal(150);
    });

    for (const [label, amount] of [
      ['zero', 0], ['negative', -5], ['fractional', 1.5], ['NaN', Number.NaN], ['infinite', Number.POSITIVE_INFINITY],
      ['beyond the safe integers', 2 ** 53], ['a string', '10'],
    ] as const) {
      it(`rejects an amount that is ${label} as wallet/invalid_amount`, async () => {
        const alice = await newPlayer(ctx, 1_000);
        const bob = await newPlayer(ctx);
        expectFail(await applyOne(ctx, move(alice, bob, amount as number)), 'wallet/invalid_amount');
        expectFail(await applyOne(ctx, { type: 'reserve', key: uid('r'), accountId: alice, amountMinor: amount as number }), 'wallet/invalid_amount');
        expect(await balanceOf(ctx, alice)).to.equal(1_000);
      });
    }

    it('rejects unknown accounts on either side', async () => {
      const alice = await newPlayer(ctx, 1_000);
      expectFail(await applyOne(ctx, move(alice, uid('ghost'), 1)), 'wallet/unknown_account');
      expectFail(await applyOne(ctx, move(uid('ghost'), alice, 1)), 'wallet/unknown_account');
      expectFail(await applyOne(ctx, { type: 'reserve', key: uid('r'), accountId: uid('ghost'), amountMinor: 1 }), 'wallet/unknown_account');
    });

    it('rejects a transfer to the same account', async () => {
      const alice = await newPlayer(ctx, 1_000);
      expectFail(await applyOne(ctx, move(alice, alice, 1)), 'wallet/same_account');
    });

    it('rejects a transfer between accounts of different currencies', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const other = uid('foreign');
      await ctx.store.wallet.ensureAccount(other, 'player', ctx.currency === 'XTS' ? 'XXX' : 'XTS');
      expectFail(await applyOne(ctx, move(alice, other, 1)), 'wallet/currency_mismatch');
      expect(await balanceOf(ctx, alice)).to.equal(1_000);
    });

    it('refuses a malformed op loudly with store/invalid_argument', async () => {
      const alice = await newPlayer(ctx, 1_000);
      await expectStoreError(ctx.store.wallet.apply([{ ...move(alice, SYSTEM_ACCOUNTS.house, 1), key: '' }]), 'store/invalid_argument');
      await expectStoreError(ctx.store.wallet.apply([]), 'store/invalid_argument');
      await expectStoreError(ctx.store.wallet.apply([move(alice, SYSTEM_ACCOUNTS.escrow, 1)]), 'store/invalid_argument');
    });

    it('applies a non-atomic call op by op', async () => {
      const alice = await newPlayer(ctx, 100);
      const bob = await newPlayer(ctx);
      const outcomes = await ctx.store.wallet.apply([move(alice, bob, 60), move(alice, bob, 60), move(alice, bob, 40)]);
      expectOk(outcomes[0]);
      expectFail(outcomes[1], 'wallet/insufficient_funds');
      expectOk(outcomes[2]);
      expect(await balanceOf(ctx, bob)).to.equal(100);
    });

    it('writes nothing of an atomic call when one op fails and reports the others as aborted', async () => {
      const alice = await newPlayer(ctx, 100);
      const bob = await newPlayer(ctx);
      const first = move(alice, bob, 60);
      const outcomes = await ctx.store.wallet.apply([first, move(alice, bob, 60), move(alice, bob, 10)], { atomic: true });
      expectFail(outcomes[0], 'wallet/aborted');
      expectFail(outcomes[1], 'wallet/insufficient_funds');
      expectFail(outcomes[2], 'wallet/aborted');
      expect(await balanceOf(ctx, alice)).to.equal(100);
      // The aborted op's key was not used, so it can run on its own later.
      expect(expectOk(await applyOne(ctx, first)).replayed).to.equal(false);
    });

    it('keeps concurrent calls independent: a failing atomic call does not undo its neighbours', async () => {
      const alice = await newPlayer(ctx, 100);
      const bob = await newPlayer(ctx);
      const [ok1, failed, ok2] = await Promise.all([
        ctx.store.wallet.apply([move(alice, bob, 10)]),
        ctx.store.wallet.apply([move(alice, bob, 10), move(alice, bob, 1_000)], { atomic: true }),
        ctx.store.wallet.apply([move(alice, bob, 20)], { atomic: true }),
      ]);
      expectOk(ok1![0]);
      expectFail(failed![1], 'wallet/insufficient_funds');
      expectOk(ok2![0]);
      expect(await balanceOf(ctx, bob)).to.equal(30);
    });
  });
}
