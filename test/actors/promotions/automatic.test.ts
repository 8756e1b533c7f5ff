import { expect } from 'chai';
import fc from 'fast-check';
import {
  DEFAULT_CONTRIBUTION, automaticDepositMatches, cashBackPeriod, cashBackPeriodCount, cashBackPeriodKey, checkTargeting, decidePeriodCashBack,
  nextDueCashBackPeriod, validateCampaign, type Campaign, type CampaignTerms, type PlayerFacts,
} from '../../../actors/promotions/index.ts';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const match: CampaignTerms = {
  kind: 'deposit_match', matchPct: 100, maxBonusMinor: 10_000, minDepositMinor: 1_000, wageringMultiplier: 10,
  contribution: DEFAULT_CONTRIBUTION, maxBetMinor: 500, conversionCapMinor: 50_000, validForMs: 30 * DAY,
};
const cb = (over: Partial<Extract<CampaignTerms, { kind: 'cash_back' }>> = {}): CampaignTerms => ({
  kind: 'cash_back', sharePct: 10, periodMs: DAY, maxMinor: 1_000, paidAs: 'cash', wageringMultiplier: 0, validForMs: DAY, ...over,
});

function campaign(terms: CampaignTerms, over: Partial<Campaign> = {}): Campaign {
  return { id: 'auto', name: 'Auto', status: 'active', startsAt: NOW - DAY, endsAt: NOW + DAY, optIn: false, budgetMinor: 1_000_000, eligibility: {}, terms, ...over };
}

const player = (over: Partial<PlayerFacts> = {}): PlayerFacts => ({
  userId: 'u1', registeredAt: NOW - HOUR, lastActiveAt: NOW, country: 'GB', vipTier: 'gold', depositCount: 0, block: null, alreadyClaimed: false, ...over,
});

describe('automatic promotions (pure rules)', () => {
  describe('which automatic deposit match a deposit gets', () => {
    it('tries the running automatic deposit matches earliest start first, then by id; opt-in, other kinds and closed ones are left out', () => {
      const list = [
        campaign(match, { id: 'b', startsAt: NOW - HOUR }),
        campaign(match, { id: 'a', startsAt: NOW - HOUR }),
        campaign(match, { id: 'early', startsAt: NOW - 2 * HOUR }),
        campaign(match, { id: 'claimed', optIn: true }),
        campaign(match, { id: 'paused', status: 'paused' }),
        campaign(match, { id: 'later', startsAt: NOW + HOUR }),
        campaign(match, { id: 'over', endsAt: NOW }),
        campaign(cb(), { id: 'cash' }),
      ];
      expect(automaticDepositMatches(list, NOW).map((c) => c.id)).to.deep.equal(['early', 'a', 'b']);
    });
  });

  describe('targeting', () => {
    it('judges countries and VIP tiers from the profile; a player with no profile is not targeted', () => {
      const c = campaign(match, { eligibility: { countries: ['GB'], vipTiers: ['gold'] } });
      expect(checkTargeting(c, player(), NOW)).to.equal(null);
      expect(checkTargeting(c, player({ country: 'IE' }), NOW)?.code).to.equal('promo/not_eligible');
      expect(checkTargeting(c, player({ vipTier: 'silver' }), NOW)?.code).to.equal('promo/not_eligible');
      expect(checkTargeting(c, player({ country: null, vipTier: null }), NOW)?.code).to.equal('promo/not_eligible');
      expect(checkTargeting(campaign(match), player({ country: null, vipTier: null }), NOW)).to.equal(null);
    });
  });

  describe('cash-back periods', () => {
    it('cuts the campaign into periods, the last one at its end, and pays each once it has ended, in order, while active', () => {
      const c = campaign(cb({ periodMs: 10 * HOUR }), { startsAt: NOW, endsAt: NOW + DAY });
      expect(cashBackPeriodCount(c)).to.equal(3);
      expect(cashBackPeriod(c, 2)).to.deep.equal({ index: 2, from: NOW + 20 * HOUR, to: NOW + DAY });
      expect(nextDueCashBackPeriod(c, NOW + 10 * HOUR - 1, -1)).to.equal(null);
      expect(nextDueCashBackPeriod(c, NOW + 10 * HOUR, -1)).to.deep.equal({ index: 0, from: NOW, to: NOW + 10 * HOUR });
      expect(nextDueCashBackPeriod(c, NOW + 30 * HOUR, 0)?.index).to.equal(1);
      expect(nextDueCashBackPeriod(c, NOW + 30 * HOUR, 2)).to.equal(null);
      expect(nextDueCashBackPeriod({ ...c, status: 'paused' }, NOW + 30 * HOUR, -1)).to.equal(null);
      expect(nextDueCashBackPeriod({ ...c, status: 'ended' }, NOW + 30 * HOUR, -1)).to.equal(null);
      expect(nextDueCashBackPeriod({ ...c, optIn: true }, NOW + 30 * HOUR, -1)).to.equal(null);
    });

    it('periods cover the campaign exactly, without gaps or overlaps (any span and period)', () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 60_000, max: 40 * DAY }), (hours, periodMs) => {
        const c = campaign(cb({ periodMs }), { startsAt: NOW, endsAt: NOW + hours * HOUR });
        let at = c.startsAt;
        for (let i = 0; i < cashBackPeriodCount(c); i++) {
          const p = cashBackPeriod(c, i);
          expect(p.from).to.equal(at);
          expect(p.to).to.be.greaterThan(p.from);
          at = p.to;
        }
        expect(at).to.equal(c.endsAt);
      }), { numRuns: 50 });
    });

    it('keys one payment per player per period', () => {
      expect(cashBackPeriodKey('c', 0, 'u')).to.not.equal(cashBackPeriodKey('c', 1, 'u'));
      expect(cashBackPeriodKey('c', 3, 'u')).to.equal('promo:c:cashback:p3:u');
    });
  });

  describe('a period\'s cash-back', () => {
    const c = campaign(cb({ maxMinor: 500 }), { eligibility: { countries: ['GB'] }, budgetMinor: 1_000 });
    const ctx = { periodEnd: NOW, netLossMinor: 2_000, spentMinor: 0, now: NOW + 5 };
    const code = (d: ReturnType<typeof decidePeriodCashBack>) => (d.ok ? 'ok' : d.rejection.code);
    it('pays a share of the net loss, capped, as cash or as a bonus with wagering', () => {
      expect(decidePeriodCashBack(c, player(), ctx)).to.deep.equal({ ok: true, award: { type: 'cash', amountMinor: 200 } });
      expect(decidePeriodCashBack(c, player(), { ...ctx, netLossMinor: 90_000 })).to.deep.equal({ ok: true, award: { type: 'cash', amountMinor: 500 } });
      const bonus = campaign(cb({ paidAs: 'bonus', wageringMultiplier: 3, validForMs: HOUR }));
      expect(decidePeriodCashBack(bonus, player(), ctx)).to.deep.equal({
        ok: true, award: { type: 'bonus', amountMinor: 200, wageringRequiredMinor: 600, maxBetMinor: 0, conversionCapMinor: 200, expiresAt: NOW + 5 + HOUR },
      });
    });
    it('never pays more than the share, the cap or the budget left (any loss, spend and terms)', () => {
      fc.assert(fc.property(
        fc.integer({ min: -1_000_000, max: 100_000_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 2_000_000 }),
        (netLossMinor, sharePct, maxMinor, budgetMinor, spentMinor) => {
          const d = decidePeriodCashBack(campaign(cb({ sharePct, maxMinor }), { budgetMinor }), player(), { ...ctx, netLossMinor, spentMinor });
          if (!d.ok) return;
          const paid = d.award.type === 'cash' ? d.award.amountMinor : -1;
          expect(paid).to.be.greaterThan(0);
          expect(paid).to.be.at.most(maxMinor);
          expect(paid * 100).to.be.at.most(netLossMinor * sharePct);
          expect(spentMinor + paid).to.be.at.most(budgetMinor);
          expect(Number.isSafeInteger(paid)).to.equal(true);
        },
      ));
    });
    it('gives nothing to a blocked or untargeted player, on a net win, or beyond the budget', () => {
      for (const block of ['time_out', 'self_excluded', 'fraud', 'account_locked'] as const) expect(code(decidePeriodCashBack(c, player({ block }), ctx))).to.equal('promo/blocked');
      expect(code(decidePeriodCashBack(c, player({ country: 'FR' }), ctx))).to.equal('promo/not_eligible');
      expect(code(decidePeriodCashBack(c, player(), { ...ctx, netLossMinor: 0 }))).to.equal('promo/nothing_due');
      expect(code(decidePeriodCashBack(c, player(), { ...ctx, spentMinor: 900 }))).to.equal('promo/budget_spent');
      expect(code(decidePeriodCashBack(campaign(match), player(), ctx))).to.equal('promo/invalid_campaign');
    });
  });

  describe('campaign definitions', () => {
    const problem = (c: Campaign) => validateCampaign(c)?.message ?? null;
    it('admits VIP tiers from the bounded list only', () => {
      expect(problem(campaign(match, { eligibility: { vipTiers: ['gold', 'diamond'] } }))).to.equal(null);
      expect(problem(campaign(match, { eligibility: { vipTiers: ['emerald'] } }))).to.match(/vipTiers/);
    });
    it('awards automatically only deposit matches and cash-back, the latter with a period of at least a minute', () => {
      expect(problem(campaign(match))).to.equal(null);
      expect(problem(campaign(cb({ periodMs: HOUR })))).to.equal(null);
      expect(problem(campaign(cb({ periodMs: 59_999 })))).to.match(/periodMs/);
      expect(problem(campaign(cb({ periodMs: 59_999 }), { optIn: true }))).to.equal(null);
      expect(problem(campaign({ kind: 'free_bet', stakeMinor: 100, minPriceMilli: 1500, validForMs: DAY }))).to.match(/automatically/);
    });
  });
});
