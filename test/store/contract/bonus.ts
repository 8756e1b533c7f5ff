import { expect } from 'chai';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../../server/store/types.ts';
import type { ContributionRules, SettledWager } from '../../../actors/promotions/index.ts';
import { bonusAccountId } from '../../../server/store/wallet-input.ts';
import { applyOne, balanceOf, expectFail, expectOk, newPlayer, uid, type ContractContext } from './helpers.ts';

const DAY = 24 * 3600 * 1000;

/** The test campaign's weights: roulette 10%, sportsbook singles at ≥ 1.50 100%, accumulators 50%, cash-outs 0%. */
export const TEST_CONTRIBUTION: ContributionRules = { sportsbookSinglePct: 100, sportsbookAccaPct: 50, minPriceMilli: 1_500, roulettePct: 10, cashOutPct: 0 };

/** A settled wager that counts `pct` percent under TEST_CONTRIBUTION. */
export function wagerFor(pct: 0 | 10 | 50 | 100): SettledWager {
  if (pct === 10) return { game: 'roulette' };
  if (pct === 100) return { game: 'sportsbook', legPricesMilli: [2_000], cashedOut: false };
  if (pct === 50) return { game: 'sportsbook', legPricesMilli: [2_000, 1_800], cashedOut: false };
  return { game: 'sportsbook', legPricesMilli: [1_200], cashedOut: false };
}

interface Terms {
  amountMinor?: number;
  wageringRequiredMinor?: number;
  maxBetMinor?: number;
  conversionCapMinor?: number;
  expiresAt?: number;
}

/** A player with `cashMinor` cash, a bonus account, and a campaign budget account funded with 1,000,000. */
async function setup(ctx: ContractContext, cashMinor: number): Promise<{ player: string; bonus: string; budget: string }> {
  const player = await newPlayer(ctx, cashMinor);
  const bonus = bonusAccountId(player);
  await ctx.store.wallet.ensureAccount(bonus, 'player', ctx.currency);
  const budget = uid('promo:campaign');
  await ctx.store.wallet.ensureAccount(budget, 'promotions', ctx.currency);
  expectOk(await applyOne(ctx, { type: 'transfer', key: uid('fund'), fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: budget, amountMinor: 1_000_000, kind: 'funding' }));
  expectOk(await applyOne(ctx, { type: 'transfer', key: uid('fund'), fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 1_000_000, kind: 'funding' }));
  return { player, bonus, budget };
}

function grantOp(player: string, budget: string, t: Terms = {}, key = uid('grant')): WalletOp {
  return {
    type: 'bonusGrant', key, accountId: player, fromAccountId: budget, amountMinor: t.amountMinor ?? 1_000,
    wageringRequiredMinor: t.wageringRequiredMinor ?? 5_000, maxBetMinor: t.maxBetMinor ?? 0,
    conversionCapMinor: t.conversionCapMinor ?? 100_000, expiresAt: t.expiresAt ?? Date.now() + DAY, contribution: TEST_CONTRIBUTION,
  };
}

const stake = (player: string, amountMinor: number, key = uid('bet')): WalletOp => ({ type: 'reserve', key, accountId: player, amountMinor, bonus: true });

/** A bet's settlement as the rooms write it: capture to the house, then the gross payout. */
function settle(player: string, holdId: string, payoutMinor: number, pct: 0 | 10 | 50 | 100): WalletOp[] {
  const ops: WalletOp[] = [{ type: 'capture', key: `${holdId}:capture`, holdId, toAccountId: SYSTEM_ACCOUNTS.house, wager: wagerFor(pct) }];
  if (payoutMinor > 0) {
    ops.push({ type: 'transfer', key: `${holdId}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: player, amountMinor: payoutMinor, kind: 'payout', stakeHoldId: holdId });
  }
  return ops;
}

export function bonusContract(ctx: ContractContext): void {
  describe('bonus money (docs/PROMOTIONS.md)', () => {
    it('grants bonus money from a campaign budget into the bonus account, one active grant at a time', async () => {
      const { player, bonus, budget } = await setup(ctx, 0);
      const op = grantOp(player, budget, { amountMinor: 1_000 });
      const out = expectOk(await applyOne(ctx, op));
      expect(out.transfers[0]).to.include({ fromAccountId: budget, toAccountId: bonus, amountMinor: 1_000, kind: 'bonus' });
      expect(await balanceOf(ctx, bonus)).to.equal(1_000);
      expect(await ctx.store.wallet.bonusGrant(player)).to.include({ grantId: op.key, status: 'active', grantedMinor: 1_000, wageredMinor: 0 });
      expect(expectOk(await applyOne(ctx, op)).replayed).to.equal(true);
      expectFail(await applyOne(ctx, grantOp(player, budget)), 'wallet/bonus_active');
    });

    it('spends cash first, then bonus money, in two holds', async () => {
      const { player, bonus, budget } = await setup(ctx, 300);
      expectOk(await applyOne(ctx, grantOp(player, budget, { amountMinor: 1_000 })));
      const bet = uid('bet');
      const out = expectOk(await applyOne(ctx, stake(player, 500, bet)));
      expect(out.transfers.map((t) => [t.fromAccountId, t.amountMinor, t.holdId])).to.deep.equal([[player, 300, bet], [bonus, 200, `${bet}#bonus`]]);
      expect(await balanceOf(ctx, player)).to.equal(0);
      expect(await balanceOf(ctx, bonus)).to.equal(800);
      expect((await ctx.store.wallet.getHold(`${bet}#bonus`))!.amountMinor).to.equal(200);
      // A stake that cash covers is a plain reserve.
      const { player: rich } = await setup(ctx, 1_000);
      expect(expectOk(await applyOne(ctx, stake(rich, 400))).transfers).to.have.length(1);
      expectOk(await applyOne(ctx, { type: 'release', key: `${bet}:release`, holdId: bet }));
      expect(await balanceOf(ctx, player)).to.equal(300);
      expect(await balanceOf(ctx, bonus)).to.equal(1_000);
    });

    it('refuses a stake above cash plus bonus, and one above the max bet when it uses bonus money', async () => {
      const { player, budget } = await setup(ctx, 100);
      expectOk(await applyOne(ctx, grantOp(player, budget, { amountMinor: 1_000, maxBetMinor: 500 })));
      expectFail(await applyOne(ctx, stake(player, 1_101)), 'wallet/insufficient_funds');
      expectFail(await applyOne(ctx, stake(player, 501)), 'wallet/bonus_max_bet');
      expectOk(await applyOne(ctx, stake(player, 500)));
      // Without bonus: true the bonus is never touched.
      expectFail(await applyOne(ctx, { type: 'reserve', key: uid('bet'), accountId: player, amountMinor: 200 }), 'wallet/insufficient_funds');
    });

    it('pays the bonus-funded share of winnings to the bonus, counts weighted wagering, and converts once up to the cap', async () => {
      const { player, bonus, budget } = await setup(ctx, 0);
      const grant = grantOp(player, budget, { amountMinor: 1_000, wageringRequiredMinor: 1_000, conversionCapMinor: 1_500 });
      expectOk(await applyOne(ctx, grant));
      // Bet 1: 400 of bonus at a 10% game, loses: wagering 40.
      const b1 = uid('bet');
      expectOk(await applyOne(ctx, stake(player, 400, b1)));
      for (const o of await ctx.store.wallet.apply(settle(player, b1, 0, 10), { atomic: true })) expectOk(o);
      expect(await ctx.store.wallet.bonusGrant(player)).to.include({ wageredMinor: 40, status: 'active' });
      // Bet 2: 600 of bonus at 100%, wins 3x = 1,800, all to the bonus: wagering 640 < 1,000.
      const b2 = uid('bet');
      expectOk(await applyOne(ctx, stake(player, 600, b2)));
      for (const o of await ctx.store.wallet.apply(settle(player, b2, 1_800, 100), { atomic: true })) expectOk(o);
      expect(await balanceOf(ctx, bonus)).to.equal(1_800);
      expect(await balanceOf(ctx, player)).to.equal(0);
      // Bet 3: 500 of bonus at 100%, wins 2x: wagering 1,140 met, nothing open: converts 1,500 of 2,300, forfeits 800.
      const b3 = uid('bet');
      expectOk(await applyOne(ctx, stake(player, 500, b3)));
      const settled = await ctx.store.wallet.apply(settle(player, b3, 1_000, 100), { atomic: true });
      for (const o of settled) expectOk(o);
      expect(await balanceOf(ctx, player)).to.equal(1_500);
      expect(await balanceOf(ctx, bonus)).to.equal(0);
      expect(await balanceOf(ctx, budget)).to.equal(1_000_000 - 1_000 + 800);
      expect(await ctx.store.wallet.bonusGrant(player)).to.include({ status: 'converted', wageredMinor: 1_140, convertedMinor: 1_500, forfeitedMinor: 800 });
      const conversion = await ctx.store.wallet.transferByKey(`${grant.key}:convert`);
      expect(conversion).to.include({ fromAccountId: bonus, toAccountId: player, amountMinor: 1_500, kind: 'conversion' });
      // A repeat of the settlement is a replay: nothing converts twice.
      for (const o of await ctx.store.wallet.apply(settle(player, b3, 1_000, 100), { atomic: true })) expect(expectOk(o).replayed).to.equal(true);
      expect(await balanceOf(ctx, player)).to.equal(1_500);
      const books = await ctx.store.wallet.reconcile();
      expect(books.bonusConvertedMinor).to.equal(1_500);
      expect(books.bonusForfeitedMinor).to.equal(800);
      expect(books.bonusGrantedMinor).to.equal(1_000);
      expect(books.bonusLiabilityMinor).to.equal(0);
    });

    it('splits the winnings of a stake paid partly in cash by the share each part staked', async () => {
      const { player, bonus, budget } = await setup(ctx, 300);
      expectOk(await applyOne(ctx, grantOp(player, budget, { amountMinor: 1_000, wageringRequiredMinor: 100_000 })));
      const bet = uid('bet');
      expectOk(await applyOne(ctx, stake(player, 400, bet))); // 300 cash + 100 bonus
      const [captured, paid] = await ctx.store.wallet.apply(settle(player, bet, 1_001, 100), { atomic: true });
      expectOk(captured);
      // Bonus share floor(1,001 × 100 / 400) = 250; the cash part gets the rest, 751.
      expect(expectOk(paid).transfers.map((t) => [t.toAccountId, t.amountMinor])).to.deep.equal([[player, 751], [bonus, 250]]);
      expect(await balanceOf(ctx, player)).to.equal(751);
      expect(await balanceOf(ctx, bonus)).to.equal(900 + 250);
      expect(await ctx.store.wallet.bonusGrant(player)).to.include({ wageredMinor: 400 });
    });

    it('keeps the grant as it was when an atomic settlement group fails', async () => {
      const { player, budget } = await setup(ctx, 0);
      expectOk(await applyOne(ctx, grantOp(player, budget, { wageringRequiredMinor: 100 })));
      const bet = uid('bet');
      expectOk(await applyOne(ctx, stake(player, 500, bet)));
      const outcomes = await ctx.store.wallet.apply([
        ...settle(player, bet, 0, 100),
        { type: 'release', key: uid('rel'), holdId: uid('missing') },
      ], { atomic: true });
      expectFail(outcomes[0], 'wallet/aborted');
      expect(await ctx.store.wallet.bonusGrant(player)).to.include({ wageredMinor: 0, status: 'active' });
      expect((await ctx.store.wallet.getHold(`${bet}#bonus`))!.status).to.equal('open');
      expectOk(await applyOne(ctx, { type: 'release', key: `${bet}:release`, holdId: bet }));
    });

    it('expires a bonus only at its expiry, and forfeits what its open stakes return afterwards', async () => {
      const { player, bonus, budget } = await setup(ctx, 0);
      const soon = Date.now() + 400;
      const grant = grantOp(player, budget, { amountMinor: 1_000, expiresAt: soon });
      expectOk(await applyOne(ctx, grant));
      const bet = uid('bet');
      expectOk(await applyOne(ctx, stake(player, 300, bet)));
      const close: WalletOp = { type: 'bonusClose', key: `${grant.key}:expire`, accountId: player, grantId: grant.key, reason: 'expired' };
      expectFail(await applyOne(ctx, close), 'wallet/bonus_not_expired');
      while (Date.now() <= soon) await new Promise((r) => setTimeout(r, soon - Date.now() + 1));
      expect((await ctx.store.wallet.expiredBonusGrants(Date.now(), 10)).map((g) => g.grantId)).to.include(grant.key);
      expectOk(await applyOne(ctx, close));
      expect(await balanceOf(ctx, bonus)).to.equal(0);
      expectFail(await applyOne(ctx, stake(player, 100)), 'wallet/insufficient_funds');
      // The open stake comes back after expiry: forfeited in the same step.
      expectOk(await applyOne(ctx, { type: 'release', key: `${bet}:release`, holdId: bet }));
      expect(await balanceOf(ctx, bonus)).to.equal(0);
      expect(await balanceOf(ctx, budget)).to.equal(1_000_000);
      expect(await ctx.store.wallet.bonusGrant(player)).to.include({ status: 'expired', forfeitedMinor: 1_000 });
      // Closing again is a replay, and a new grant may follow.
      expect(expectOk(await applyOne(ctx, close)).replayed).to.equal(true);
      expectOk(await applyOne(ctx, grantOp(player, budget)));
    });

    it('forfeits on request (withdrawal) and lets an operator adjust an active bonus', async () => {
      const { player, bonus, budget } = await setup(ctx, 0);
      const grant = grantOp(player, budget, { amountMinor: 1_000 });
      expectOk(await applyOne(ctx, grant));
      expectOk(await applyOne(ctx, { type: 'bonusAdjust', key: uid('adj'), accountId: player, deltaMinor: 250, memo: 'goodwill' }));
      expectOk(await applyOne(ctx, { type: 'bonusAdjust', key: uid('adj'), accountId: player, deltaMinor: -50 }));
      expectFail(await applyOne(ctx, { type: 'bonusAdjust', key: uid('adj'), accountId: player, deltaMinor: -5_000 }), 'wallet/insufficient_funds');
      expect(await balanceOf(ctx, bonus)).to.equal(1_200);
      expect(await ctx.store.wallet.bonusGrant(player)).to.include({ grantedMinor: 1_200 });
      expectOk(await applyOne(ctx, { type: 'bonusClose', key: uid('wd'), accountId: player, grantId: grant.key, reason: 'forfeited' }));
      expect(await balanceOf(ctx, bonus)).to.equal(0);
      expect(await ctx.store.wallet.bonusGrant(player)).to.include({ status: 'forfeited', forfeitedMinor: 1_200 });
      expectFail(await applyOne(ctx, { type: 'bonusAdjust', key: uid('adj'), accountId: player, deltaMinor: 10 }), 'wallet/bonus_inactive');
    });

    it('converts at once a bonus with no wagering, and never more than the cap', async () => {
      const { player, bonus, budget } = await setup(ctx, 0);
      expectOk(await applyOne(ctx, grantOp(player, budget, { amountMinor: 1_000, wageringRequiredMinor: 0, conversionCapMinor: 600 })));
      expect(await balanceOf(ctx, player)).to.equal(600);
      expect(await balanceOf(ctx, bonus)).to.equal(0);
      expect(await ctx.store.wallet.bonusGrant(player)).to.include({ status: 'converted', convertedMinor: 600, forfeitedMinor: 400 });
    });

    it('never spends one bonus twice under parallel stakes', async () => {
      const { player, bonus, budget } = await setup(ctx, 0);
      expectOk(await applyOne(ctx, grantOp(player, budget, { amountMinor: 1_000 })));
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => applyOne(ctx, stake(player, 100))));
      expect(outcomes.filter((o) => o.ok)).to.have.length(10);
      expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.code === 'wallet/insufficient_funds')).to.equal(true);
      expect(await balanceOf(ctx, bonus)).to.equal(0);
    });

    it('pays a free bet (a stake held from a promotions account) its winnings only (the stake is not returned)', async () => {
      const { player, budget } = await setup(ctx, 0);
      const token = uid('token');
      expectOk(await applyOne(ctx, { type: 'reserve', key: token, accountId: budget, amountMinor: 500 }));
      const bet = uid('bet');
      const staked = await ctx.store.wallet.apply([
        { type: 'release', key: `${token}:used`, holdId: token },
        { type: 'reserve', key: bet, accountId: budget, amountMinor: 500 },
      ], { atomic: true });
      for (const o of staked) expectOk(o);
      const [captured, paid] = await ctx.store.wallet.apply(settle(player, bet, 1_250, 100), { atomic: true });
      expectOk(captured);
      expect(expectOk(paid).transfers.map((t) => [t.toAccountId, t.amountMinor])).to.deep.equal([[player, 750]]);
      expect(expectOk(await applyOne(ctx, settle(player, bet, 1_250, 100)[1]!)).replayed).to.equal(true);
      expect(await balanceOf(ctx, player)).to.equal(750);
      expect(await balanceOf(ctx, budget)).to.equal(1_000_000 - 500);
    });

    it('refuses plain transfers into or out of a bonus account', async () => {
      const { player, bonus } = await setup(ctx, 100);
      let caught: unknown;
      try {
        await applyOne(ctx, { type: 'transfer', key: uid('t'), fromAccountId: player, toAccountId: bonus, amountMinor: 10, kind: 'adjustment' });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.have.property('code', 'store/invalid_argument');
    });
  });
}
