import { expect } from 'chai';
import { StoreError, SYSTEM_ACCOUNTS } from '../../../server/store/types.ts';
import { expectOk, newPlayer, uid, type ContractContext } from './helpers.ts';

/** A room's ownership fence guards its money as it guards its journal (docs/OPERATIONS.md#cluster). */
export function fencesContract(ctx: ContractContext): void {
  async function expectStale(p: Promise<unknown>): Promise<void> {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err, 'a stale fence must be refused').to.be.instanceOf(StoreError);
    expect((err as StoreError).code).to.equal('wallet/stale_fence');
  }

  describe('room fences on wallet calls', () => {
    it('refuses a wallet call whose fence is below one the room\'s journal recorded, writing nothing', async () => {
      const room = uid('room');
      const alice = await newPlayer(ctx, 1_000);
      await ctx.store.journal.append(room, 1, [{ type: 'OwnershipTaken', data: {} }], { fence: 20 });
      const key = uid('bet');
      await expectStale(ctx.store.wallet.apply([{ type: 'reserve', key, accountId: alice, amountMinor: 100 }], { fence: { roomId: room, fence: 19 } }));
      expect(await ctx.store.wallet.getHold(key)).to.equal(null);
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 1_000, heldMinor: 0 });
      const [ok] = await ctx.store.wallet.apply([{ type: 'reserve', key, accountId: alice, amountMinor: 100 }], { fence: { roomId: room, fence: 20 } });
      expectOk(ok);
    });

    it('records a higher fence from a wallet call, so the room\'s older owner can neither move money nor journal', async () => {
      const room = uid('room');
      const alice = await newPlayer(ctx, 1_000);
      const held = uid('bet');
      expectOk((await ctx.store.wallet.apply([{ type: 'reserve', key: held, accountId: alice, amountMinor: 300 }], { fence: { roomId: room, fence: 5 } }))[0]);
      // A newer owner's first money move (its sweep) records fence 6.
      expectOk((await ctx.store.wallet.apply([{ type: 'release', key: `${held}:release`, holdId: held }], { fence: { roomId: room, fence: 6 } }))[0]);
      await expectStale(ctx.store.wallet.apply([{ type: 'capture', key: `${held}:capture`, holdId: held, toAccountId: SYSTEM_ACCOUNTS.house }], { fence: { roomId: room, fence: 5 } }));
      const err = await ctx.store.journal.append(room, 1, [{ type: 'Late', data: {} }], { fence: 5 }).then(() => null, (e: StoreError) => e);
      expect(err?.code).to.equal('journal/stale_fence');
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 1_000, heldMinor: 0 });
    });

    it('keeps fences per room and leaves unfenced calls alone', async () => {
      const alice = await newPlayer(ctx, 1_000);
      await ctx.store.journal.append(uid('room'), 1, [{ type: 'OwnershipTaken', data: {} }], { fence: 1_000 });
      expectOk((await ctx.store.wallet.apply([{ type: 'reserve', key: uid('bet'), accountId: alice, amountMinor: 10 }], { fence: { roomId: uid('other'), fence: 1 } }))[0]);
      expectOk((await ctx.store.wallet.apply([{ type: 'reserve', key: uid('bet'), accountId: alice, amountMinor: 10 }]))[0]);
    });

    it('refuses a malformed fence as an invalid argument', async () => {
      const alice = await newPlayer(ctx, 1_000);
      for (const fence of [{ roomId: '', fence: 1 }, { roomId: 'r', fence: -1 }, { roomId: 'r', fence: 1.5 }, null]) {
        const err = await ctx.store.wallet.apply([{ type: 'reserve', key: uid('bet'), accountId: alice, amountMinor: 10 }], { fence: fence as never }).then(() => null, (e: StoreError) => e);
        expect(err?.code, JSON.stringify(fence)).to.equal('store/invalid_argument');
      }
    });
  });
}
