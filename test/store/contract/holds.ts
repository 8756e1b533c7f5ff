import { expect } from 'chai';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../../server/store/types.ts';
import { applyOne, balanceOf, expectFail, expectOk, newPlayer, uid, type ContractContext } from './helpers.ts';

const reserve = (accountId: string, amountMinor: number, key = uid('bet')): Extract<WalletOp, { type: 'reserve' }> => ({
  type: 'reserve', key, accountId, amountMinor,
});

export function holdsContract(ctx: ContractContext): void {
  async function fundHouse(amountMinor: number): Promise<void> {
    expectOk(await applyOne(ctx, {
      type: 'transfer', key: uid('funding'), fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor, kind: 'funding',
    }));
  }

  describe('holds', () => {
    it('reserves money into escrow under an open hold named by the key', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const op = reserve(alice, 300);
      const outcome = expectOk(await applyOne(ctx, op));
      expect(outcome.hold).to.include({ id: op.key, accountId: alice, amountMinor: 300, status: 'open', capturedMinor: 0, resolvedAt: null });
      expect(outcome.transfers[0]).to.include({ kind: 'reserve', fromAccountId: alice, toAccountId: SYSTEM_ACCOUNTS.escrow, holdId: op.key });
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 700, heldMinor: 300 });
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.escrow)).to.equal(300);
      expect(await ctx.store.wallet.getHold(op.key)).to.deep.equal(outcome.hold);
    });

    it('rejects a reserve beyond the balance without creating a hold', async () => {
      const alice = await newPlayer(ctx, 100);
      const op = reserve(alice, 101);
      expectFail(await applyOne(ctx, op), 'wallet/insufficient_funds');
      expect(await ctx.store.wallet.getHold(op.key)).to.equal(null);
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 100, heldMinor: 0 });
    });

    it('captures a whole hold to the destination', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 300);
      expectOk(await applyOne(ctx, bet));
      const outcome = expectOk(await applyOne(ctx, { type: 'capture', key: uid('settle'), holdId: bet.key, toAccountId: SYSTEM_ACCOUNTS.house }));
      expect(outcome.transfers).to.have.length(1);
      expect(outcome.transfers[0]).to.include({ kind: 'capture', fromAccountId: SYSTEM_ACCOUNTS.escrow, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 300 });
      expect(outcome.hold).to.include({ status: 'captured', capturedMinor: 300 });
      expect(outcome.hold!.resolvedAt).to.be.a('number');
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 700, heldMinor: 0 });
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.house)).to.equal(300);
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.escrow)).to.equal(0);
    });

    it('captures part of a hold and releases the rest to the owner under key:rest', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 300);
      expectOk(await applyOne(ctx, bet));
      const key = uid('settle');
      const outcome = expectOk(await applyOne(ctx, { type: 'capture', key, holdId: bet.key, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 120 }));
      expect(outcome.transfers.map((t) => [t.key, t.kind, t.toAccountId, t.amountMinor])).to.deep.equal([
        [key, 'capture', SYSTEM_ACCOUNTS.house, 120],
        [`${key}:rest`, 'release', alice, 180],
      ]);
      expect(outcome.hold).to.include({ status: 'captured', capturedMinor: 120 });
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 880, heldMinor: 0 });
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.escrow)).to.equal(0);
    });

    it('releases a hold back to the owner', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 300);
      expectOk(await applyOne(ctx, bet));
      const outcome = expectOk(await applyOne(ctx, { type: 'release', key: uid('void'), holdId: bet.key }));
      expect(outcome.transfers[0]).to.include({ kind: 'release', toAccountId: alice, amountMinor: 300 });
      expect(outcome.hold).to.include({ status: 'released', capturedMinor: 0 });
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 1_000, heldMinor: 0 });
    });

    it('resolves a hold exactly once: a new key on a resolved hold is wallet/hold_resolved', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 300);
      expectOk(await applyOne(ctx, bet));
      expectOk(await applyOne(ctx, { type: 'release', key: uid('void'), holdId: bet.key }));
      expectFail(await applyOne(ctx, { type: 'capture', key: uid('settle'), holdId: bet.key, toAccountId: SYSTEM_ACCOUNTS.house }), 'wallet/hold_resolved');
      expectFail(await applyOne(ctx, { type: 'release', key: uid('void'), holdId: bet.key }), 'wallet/hold_resolved');
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 1_000, heldMinor: 0 });
    });

    it('returns the first outcome when a capture key is repeated', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 300);
      expectOk(await applyOne(ctx, bet));
      const capture: WalletOp = { type: 'capture', key: uid('settle'), holdId: bet.key, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 100 };
      const first = expectOk(await applyOne(ctx, capture));
      const again = expectOk(await applyOne(ctx, capture));
      expect(again.replayed).to.equal(true);
      expect(again.transfers).to.deep.equal(first.transfers);
      expect(again.hold).to.deep.equal(first.hold);
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.house)).to.equal(100);
    });

    it('returns the current hold when a reserve key is repeated after settlement', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 300);
      expectOk(await applyOne(ctx, bet));
      expectOk(await applyOne(ctx, { type: 'release', key: uid('void'), holdId: bet.key }));
      const again = expectOk(await applyOne(ctx, bet));
      expect(again.replayed).to.equal(true);
      expect(again.hold).to.include({ status: 'released' });
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 1_000, heldMinor: 0 });
    });

    it('rejects capture or release of an unknown hold', async () => {
      expectFail(await applyOne(ctx, { type: 'capture', key: uid('settle'), holdId: uid('nohold'), toAccountId: SYSTEM_ACCOUNTS.house }), 'wallet/hold_not_found');
      expectFail(await applyOne(ctx, { type: 'release', key: uid('void'), holdId: uid('nohold') }), 'wallet/hold_not_found');
    });

    it('rejects a capture larger than the hold or not positive', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 300);
      expectOk(await applyOne(ctx, bet));
      for (const amountMinor of [301, 0, -1, 2.5]) {
        expectFail(await applyOne(ctx, { type: 'capture', key: uid('settle'), holdId: bet.key, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor }), 'wallet/invalid_amount');
      }
      expect(await ctx.store.wallet.getHold(bet.key)).to.include({ status: 'open' });
    });

    it('rejects a capture to an unknown account and leaves the hold open', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 300);
      expectOk(await applyOne(ctx, bet));
      expectFail(await applyOne(ctx, { type: 'capture', key: uid('settle'), holdId: bet.key, toAccountId: uid('ghost') }), 'wallet/unknown_account');
      expect(await ctx.store.wallet.getHold(bet.key)).to.include({ status: 'open' });
    });

    it('settles a winning bet atomically: capture to house, payout from house', async () => {
      await fundHouse(10_000);
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 100);
      expectOk(await applyOne(ctx, bet));
      const outcomes = await ctx.store.wallet.apply([
        { type: 'capture', key: `${bet.key}:capture`, holdId: bet.key, toAccountId: SYSTEM_ACCOUNTS.house },
        { type: 'transfer', key: `${bet.key}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: alice, amountMinor: 250, kind: 'payout' },
      ], { atomic: true });
      outcomes.forEach((o) => expectOk(o));
      expect(await balanceOf(ctx, alice)).to.equal(1_150);
      expect(await balanceOf(ctx, SYSTEM_ACCOUNTS.house)).to.equal(9_850);
    });

    it('leaves the hold open when an atomic settlement fails on the payout', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bet = reserve(alice, 100);
      expectOk(await applyOne(ctx, bet));
      const outcomes = await ctx.store.wallet.apply([
        { type: 'capture', key: `${bet.key}:capture`, holdId: bet.key, toAccountId: SYSTEM_ACCOUNTS.house },
        { type: 'transfer', key: `${bet.key}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: alice, amountMinor: 1_000_000, kind: 'payout' },
      ], { atomic: true });
      expectFail(outcomes[0], 'wallet/aborted');
      expectFail(outcomes[1], 'wallet/insufficient_funds');
      expect(await ctx.store.wallet.getHold(bet.key)).to.include({ status: 'open' });
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 900, heldMinor: 100 });
    });
  });
}
