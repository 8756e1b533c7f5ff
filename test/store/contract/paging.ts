import { expect } from 'chai';
import { SYSTEM_ACCOUNTS, type Transfer } from '../../../server/store/types.ts';
import { applyOne, expectOk, expectStoreError, newPlayer, uid, type ContractContext } from './helpers.ts';

export function pagingContract(ctx: ContractContext): void {
  describe('transfer history', () => {
    it('lists both sides of an account newest first and pages with the cursor', async () => {
      const alice = await newPlayer(ctx, 1_000);
      const bob = await newPlayer(ctx, 1_000);
      const keys: string[] = [];
      for (let i = 0; i < 7; i++) {
        const [from, to] = i % 2 === 0 ? [alice, bob] : [bob, alice];
        const key = uid(`p${i}`);
        keys.push(key);
        expectOk(await applyOne(ctx, { type: 'transfer', key, fromAccountId: from, toAccountId: to, amountMinor: 10 + i, kind: 'adjustment' }));
      }
      const seen: Transfer[] = [];
      let before: string | null = null;
      for (let page = 0; page < 10; page++) {
        const result = await ctx.store.wallet.listTransfers(alice, { limit: 3, before });
        seen.push(...result.items);
        before = result.nextCursor;
        if (before === null) break;
      }
      // 7 moves plus the opening deposit, each once, strictly newest first.
      expect(seen.map((t) => t.key)).to.deep.equal([...keys].reverse().concat(seen[7]!.key));
      expect(seen[7]).to.include({ fromAccountId: SYSTEM_ACCOUNTS.world, kind: 'deposit' });
      const seqs = seen.map((t) => t.seq);
      expect(seqs).to.deep.equal([...seqs].sort((a, b) => b - a));
      expect(new Set(seqs).size).to.equal(seqs.length);
    });

    it('returns an empty last page with no cursor for an account without transfers', async () => {
      const carol = await newPlayer(ctx);
      expect(await ctx.store.wallet.listTransfers(carol, { limit: 10 })).to.deep.equal({ items: [], nextCursor: null });
    });

    it('rejects a page size outside 1..200 and a malformed cursor', async () => {
      const alice = await newPlayer(ctx);
      for (const limit of [0, 201, 1.5, -1]) {
        await expectStoreError(ctx.store.wallet.listTransfers(alice, { limit }), 'store/invalid_argument');
      }
      await expectStoreError(ctx.store.wallet.listTransfers(alice, { limit: 10, before: 'abc' }), 'store/invalid_argument');
    });
  });
}
