import { expect } from 'chai';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../../server/store/types.ts';
import { newProtectionRecord, type AccountControls, type ProtectionRecord } from '../../../server/store/protection-types.ts';
import { applyOne, expectFail, expectOk, expectStoreError, newPlayer, uid, type ContractContext } from './helpers.ts';

/** A stake: held under a bet hold id (`<domain>:<roomId>:bet:<betId>`, rooms/money-keys.ts). */
const reserve = (accountId: string, amountMinor: number, key = `roulette:t1:bet:${uid('b')}`): WalletOp => ({ type: 'reserve', key, accountId, amountMinor });

export function protectionContract(ctx: ContractContext): void {
  /** Saves a record for the account with these controls (the next version after what is stored). */
  async function protect(accountId: string, controls: Partial<AccountControls>): Promise<ProtectionRecord> {
    const stored = await ctx.store.protection.get(accountId);
    const base = stored ?? { ...newProtectionRecord(accountId, Date.now()), version: 0 };
    const record = { ...base, version: base.version + 1, controls: { ...base.controls, ...controls } };
    expect(await ctx.store.protection.save(record)).to.equal(true);
    return record;
  }

  async function fundHouse(amountMinor: number): Promise<void> {
    expectOk(await applyOne(ctx, { type: 'transfer', key: uid('funding'), fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor, kind: 'funding' }));
  }

  describe('player protection', () => {
    it('saves records compare-and-set on their version', async () => {
      const alice = await newPlayer(ctx);
      const first = newProtectionRecord(alice, 1_000);
      expect(await ctx.store.protection.get(alice)).to.equal(null);
      expect(await ctx.store.protection.save(first)).to.equal(true);
      expect(await ctx.store.protection.save(first), 'a second first version').to.equal(false);
      const second = { ...first, version: 2, realityCheckMinutes: 30 };
      expect(await ctx.store.protection.save(second)).to.equal(true);
      expect(await ctx.store.protection.save({ ...first, version: 2 }), 'a stale update').to.equal(false);
      expect(await ctx.store.protection.get(alice)).to.deep.equal(second);
    });

    it('refuses a malformed record and writes nothing', async () => {
      const alice = await newPlayer(ctx);
      const bad = { ...newProtectionRecord(alice, 1), controls: { ...newProtectionRecord(alice, 1).controls, limits: { wager: { day: -5 } } } };
      await expectStoreError(ctx.store.protection.save(bad), 'store/invalid_argument');
      expect(await ctx.store.protection.get(alice)).to.equal(null);
    });

    it('refuses a stake that would pass a wager limit, in the reserve itself, and counts accepted stakes', async () => {
      const alice = await newPlayer(ctx, 1_000);
      await protect(alice, { limits: { wager: { day: 250 } } });
      expectOk(await applyOne(ctx, reserve(alice, 200)));
      const refused = reserve(alice, 60);
      expectFail(await applyOne(ctx, refused), 'protection/wager_limit');
      expect(await ctx.store.wallet.getHold((refused as { key: string }).key)).to.equal(null);
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 800, heldMinor: 200 });
      expectOk(await applyOne(ctx, reserve(alice, 50)));
      expect((await ctx.store.protection.usage(alice, Date.now())).counters.wager.day).to.equal(250);
    });

    it('gives a released stake back to the limits, and counts winnings against the net loss', async () => {
      const alice = await newPlayer(ctx, 1_000);
      await fundHouse(10_000);
      await protect(alice, { limits: { loss: { week: 100 } } });
      const bet = reserve(alice, 100);
      expectOk(await applyOne(ctx, bet));
      expectFail(await applyOne(ctx, reserve(alice, 1)), 'protection/loss_limit');
      expectOk(await applyOne(ctx, { type: 'release', key: uid('void'), holdId: (bet as { key: string }).key }));
      const won = reserve(alice, 100);
      expectOk(await applyOne(ctx, won));
      const key = (won as { key: string }).key;
      expectOk(await applyOne(ctx, { type: 'capture', key: `${key}:capture`, holdId: key, toAccountId: SYSTEM_ACCOUNTS.house }));
      expectOk(await applyOne(ctx, { type: 'transfer', key: `${key}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: alice, amountMinor: 300, kind: 'payout' }));
      const usage = await ctx.store.protection.usage(alice, Date.now());
      expect(usage.counters.loss.week, 'lost 100, won 300').to.equal(-200);
      expect(usage.counters.wager.week).to.equal(100);
      expectOk(await applyOne(ctx, reserve(alice, 300)));
    });

    it('refuses every new stake of a blocked account while its accepted bets still settle', async () => {
      const alice = await newPlayer(ctx, 1_000);
      await fundHouse(10_000);
      const open = reserve(alice, 100);
      expectOk(await applyOne(ctx, open));
      await protect(alice, { blockedUntil: Number.MAX_SAFE_INTEGER, blockKind: 'self_exclusion', blockedAt: Date.now() });
      expectFail(await applyOne(ctx, reserve(alice, 10)), 'protection/excluded');
      const key = (open as { key: string }).key;
      expectOk(await applyOne(ctx, { type: 'capture', key: `${key}:capture`, holdId: key, toAccountId: SYSTEM_ACCOUNTS.house }));
      expectOk(await applyOne(ctx, { type: 'transfer', key: `${key}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: alice, amountMinor: 200, kind: 'payout' }));
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ balanceMinor: 1_100, heldMinor: 0 });
    });

    it('neither limits nor counts holds that are not stakes (a withdrawal), so a blocked player can still withdraw', async () => {
      const alice = await newPlayer(ctx, 1_000);
      await protect(alice, { limits: { wager: { day: 100 } }, blockedUntil: Number.MAX_SAFE_INTEGER, blockKind: 'self_exclusion', blockedAt: Date.now() });
      const withdrawal: WalletOp = { type: 'reserve', key: `payment:${uid('wd')}:hold`, accountId: alice, amountMinor: 800 };
      expectOk(await applyOne(ctx, withdrawal));
      expectOk(await applyOne(ctx, { type: 'release', key: uid('cancel'), holdId: (withdrawal as { key: string }).key }));
      expect((await ctx.store.protection.usage(alice, Date.now())).counters.wager.day).to.equal(0);
      expectFail(await applyOne(ctx, reserve(alice, 10)), 'protection/excluded');
    });

    it('refuses stakes while a reality check waits and after the session limit', async () => {
      const alice = await newPlayer(ctx, 1_000);
      await protect(alice, { bettingPaused: true });
      expectFail(await applyOne(ctx, reserve(alice, 10)), 'protection/reality_check_pending');
      await protect(alice, { bettingPaused: false, sessionLimitMs: 60_000, sessionStartedAt: Date.now() - 61_000 });
      expectFail(await applyOne(ctx, reserve(alice, 10)), 'protection/session_limit');
      await protect(alice, { sessionStartedAt: Date.now() });
      expectOk(await applyOne(ctx, reserve(alice, 10)));
    });

    it('undoes a stake\'s counting when its atomic call fails', async () => {
      const alice = await newPlayer(ctx, 100);
      await protect(alice, { limits: { wager: { day: 1_000 } } });
      const outcomes = await ctx.store.wallet.apply([reserve(alice, 60), reserve(alice, 60)], { atomic: true });
      expect(outcomes.map((o) => o.ok)).to.deep.equal([false, false]);
      expect((await ctx.store.protection.usage(alice, Date.now())).counters.wager.day).to.equal(0);
    });

    it('counts parallel stakes one after another: never past the limit', async () => {
      const alice = await newPlayer(ctx, 10_000);
      await protect(alice, { limits: { wager: { day: 100 } } });
      const outcomes = await Promise.all(Array.from({ length: 25 }, () => applyOne(ctx, reserve(alice, 10))));
      expect(outcomes.filter((o) => o.ok)).to.have.length(10);
      for (const o of outcomes.filter((x) => !x.ok)) expectFail(o, 'protection/wager_limit');
      expect(await ctx.store.wallet.getAccount(alice)).to.include({ heldMinor: 100 });
    });

    it('claims deposits against the deposit limits atomically and idempotently, and gives failed ones back', async () => {
      const alice = await newPlayer(ctx);
      await protect(alice, { limits: { deposit: { day: 500, month: 800 } } });
      const at = Date.now();
      expect(await ctx.store.protection.claimDeposit(alice, 'dep-1', 300, at)).to.deep.equal({ ok: true, replayed: false });
      expect(await ctx.store.protection.claimDeposit(alice, 'dep-1', 300, at)).to.deep.equal({ ok: true, replayed: true });
      await expectStoreError(ctx.store.protection.claimDeposit(alice, 'dep-1', 301, at), 'store/idempotency_conflict');
      const parallel = await Promise.all([1, 2, 3].map((i) => ctx.store.protection.claimDeposit(alice, `dep-p${i}`, 150, at)));
      expect(parallel.filter((o) => o.ok)).to.have.length(1);
      expect(parallel.find((o) => !o.ok)).to.include({ code: 'protection/deposit_limit' });
      await ctx.store.protection.releaseDeposit('dep-1', at);
      await ctx.store.protection.releaseDeposit('dep-1', at);
      expect((await ctx.store.protection.usage(alice, at)).counters.deposit).to.include({ day: 150, month: 150 });
    });

    it('refuses a deposit claim of a blocked account', async () => {
      const alice = await newPlayer(ctx);
      await protect(alice, { blockedUntil: Date.now() + 3_600_000, blockKind: 'time_out', blockedAt: Date.now() });
      expect(await ctx.store.protection.claimDeposit(alice, uid('dep'), 10, Date.now())).to.include({ ok: false, code: 'protection/excluded' });
    });
  });
}
