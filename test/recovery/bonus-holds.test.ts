/**
 * A rebuilt room completes stakes that spent bonus money (docs/PROMOTIONS.md §2.1): the bonus part
 * of a stake is a companion hold (`<stake hold>#bonus`) resolved with the stake, so the rebuild
 * lists it as its stake: a live bet keeps both parts, a journaled settlement captures both and
 * splits its payout, a stake never journaled is released to cash and bonus, and a stake paid with
 * bonus money only (no cash hold at all) is found and completed too.
 */
import { expect } from 'chai';
import { DEFAULT_CONTRIBUTION } from '../../actors/promotions/index.ts';
import { HoldResolutions, completeOpenHolds, openHoldIds } from '../../rooms/holds.ts';
import { holdId, holdPrefix, reserveOp, settlementOps } from '../../rooms/roulette/money.ts';
import { createLogger } from '../../server/logger.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { SYSTEM_ACCOUNTS } from '../../server/store/types.ts';
import { bonusAccountId, bonusHoldId } from '../../server/store/wallet-input.ts';
import { makeTempDir } from '../store/tmpdir.ts';

const temp = makeTempDir('bonus-holds');
after(() => temp.cleanup());

describe('recovery: stakes with a bonus part are completed whole', () => {
  it('keeps a live split stake, completes a journaled bonus-only one, and releases a never-journaled one to both accounts', async () => {
    const store = await openSqliteStore({ path: temp.file('rebuild') });
    try {
      const w = store.wallet;
      const cash = 'player:p1';
      const bonus = bonusAccountId(cash);
      for (const id of [cash, bonus]) await w.ensureAccount(id, 'player', 'EUR');
      const ok = async (ops: Parameters<typeof w.apply>[0]) => { for (const o of await w.apply(ops, { atomic: true })) expect(o.ok, JSON.stringify(o)).to.equal(true); };
      await ok([
        { type: 'transfer', key: 'house', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 1_000_000, kind: 'funding' },
        { type: 'transfer', key: 'dep', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: cash, amountMinor: 100, kind: 'deposit' },
        { type: 'transfer', key: 'promo', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.promotions, amountMinor: 10_000, kind: 'funding' },
      ]);
      await ok([{
        type: 'bonusGrant', key: 'grant', accountId: cash, fromAccountId: SYSTEM_ACCOUNTS.promotions, amountMinor: 1_000, wageringRequiredMinor: 100_000,
        maxBetMinor: 0, conversionCapMinor: 1_000, expiresAt: Date.now() + 3_600_000, contribution: DEFAULT_CONTRIBUTION,
      }]);
      const T = 'roulette-1';
      await ok([reserveOp(T, { betId: 'live', playerId: 'p1', stakeMinor: 300 })]); // 100 cash + 200 bonus
      await ok([reserveOp(T, { betId: 'won', playerId: 'p1', stakeMinor: 200 })]); // bonus only
      await ok([reserveOp(T, { betId: 'orphan', playerId: 'p1', stakeMinor: 150 })]); // bonus only
      expect(await w.getHold(holdId(T, 'won'))).to.equal(null);
      expect((await w.getHold(bonusHoldId(holdId(T, 'won'))))!.status).to.equal('open');

      const ids = await openHoldIds(w, holdPrefix(T));
      expect(ids).to.deep.equal([holdId(T, 'live'), holdId(T, 'orphan'), holdId(T, 'won')]);
      const resolutions = new HoldResolutions(ids);
      resolutions.record(holdId(T, 'won'), () => settlementOps(T, { betId: 'won', playerId: 'p1', payoutMinor: 400 } as never, `${T}:1`));
      const done = await completeOpenHolds({
        wallet: w, prefix: holdPrefix(T), isLive: (id) => id === holdId(T, 'live'), resolutions, fence: undefined, log: createLogger('silent'), roomId: T,
      });
      expect(done).to.deep.equal({ completed: 1, released: 1 });

      expect((await w.getHold(holdId(T, 'live')))!.status).to.equal('open');
      expect((await w.getHold(bonusHoldId(holdId(T, 'live'))))!.status).to.equal('open');
      expect((await w.getHold(bonusHoldId(holdId(T, 'won'))))!.status).to.equal('captured');
      expect((await w.getHold(bonusHoldId(holdId(T, 'orphan'))))!.status).to.equal('released');
      // Bonus: 1,000 − 200 (live) − 200 (won, captured) + 400 (its payout, all bonus-funded); the orphan's 150 came back.
      expect(await w.getAccount(bonus)).to.deep.include({ balanceMinor: 1_000 - 200 - 200 - 150 + 400 + 150, heldMinor: 200 });
      expect(await w.getAccount(cash)).to.deep.include({ balanceMinor: 0, heldMinor: 100 });
      await ok(settlementOps(T, { betId: 'live', playerId: 'p1', payoutMinor: 0 } as never, `${T}:2`));
      const books = await w.reconcile();
      expect(books.ok, JSON.stringify(books)).to.equal(true);
      expect(books.openHoldCount).to.equal(0);
    } finally {
      await store.close();
    }
  });
});
