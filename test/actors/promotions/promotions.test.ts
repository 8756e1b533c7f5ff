import { expect } from 'chai';
import fc from 'fast-check';
import {
  DEFAULT_CONTRIBUTION, cashBackMinor, contributionPct, decideClaim, detectHedging, edit, freeBetReturn, oddsBoostStake, profitBoostExtra,
  transition, validateCampaign, type Campaign, type CampaignTerms, type PlayerFacts,
} from '../../../actors/promotions/index.ts';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;

function campaign(terms: CampaignTerms, over: Partial<Campaign> = {}): Campaign {
  return { id: 'welcome', name: 'Welcome', status: 'active', startsAt: NOW - DAY, endsAt: NOW + DAY, optIn: true, budgetMinor: 1_000_000, eligibility: {}, terms, ...over };
}

const match: CampaignTerms = {
  kind: 'deposit_match', matchPct: 100, maxBonusMinor: 10_000, minDepositMinor: 1_000, wageringMultiplier: 10,
  contribution: DEFAULT_CONTRIBUTION, maxBetMinor: 500, conversionCapMinor: 50_000, validForMs: 30 * DAY,
};

const player = (over: Partial<PlayerFacts> = {}): PlayerFacts => ({
  userId: 'u1', registeredAt: NOW - 3_600_000, lastActiveAt: NOW, country: 'GB', vipTier: 'bronze', depositCount: 0, block: null, alreadyClaimed: false, ...over,
});

describe('promotions decider', () => {
  describe('deposit match', () => {
    it('matches the deposit by percent up to the maximum, with wagering ×N of the bonus and the campaign\'s max bet and cap', () => {
      const d = decideClaim(campaign(match), player(), { now: NOW, spentMinor: 0, amountMinor: 4_000 });
      expect(d).to.deep.equal({ ok: true, award: { type: 'bonus', amountMinor: 4_000, wageringRequiredMinor: 40_000, maxBetMinor: 500, conversionCapMinor: 50_000, expiresAt: NOW + 30 * DAY } });
      const big = decideClaim(campaign(match), player(), { now: NOW, spentMinor: 0, amountMinor: 50_000 });
      expect(big.ok && big.award.type === 'bonus' && big.award.amountMinor).to.equal(10_000);
    });

    it('refuses a deposit below the minimum and a claim the budget cannot cover', () => {
      expect(decideClaim(campaign(match), player(), { now: NOW, spentMinor: 0, amountMinor: 999 })).to.deep.include({ ok: false });
      const d = decideClaim(campaign(match, { budgetMinor: 5_000 }), player(), { now: NOW, spentMinor: 2_000, amountMinor: 4_000 });
      expect(!d.ok && d.rejection.code).to.equal('promo/budget_spent');
    });
  });

  describe('eligibility', () => {
    const code = (c: Campaign, p: PlayerFacts, now = NOW) => {
      const d = decideClaim(c, p, { now, spentMinor: 0, amountMinor: 2_000 });
      return d.ok ? 'ok' : d.rejection.code;
    };
    it('gives blocked players nothing: time-out, self-exclusion, responsible-gambling and fraud blocks', () => {
      for (const block of ['self_excluded', 'time_out', 'responsible_gambling', 'fraud', 'duplicate_identity'] as const) {
        expect(code(campaign(match), player({ block }))).to.equal('promo/blocked');
      }
    });
    it('allows one claim per player', () => {
      expect(code(campaign(match), player({ alreadyClaimed: true }))).to.equal('promo/already_claimed');
    });
    it('targets new players, countries, deposit counts, VIP tiers and recent activity', () => {
      const c = campaign(match, { eligibility: { newPlayersWithinMs: DAY, countries: ['GB', 'IE'], maxDeposits: 0, vipTiers: ['bronze'], activeWithinMs: DAY } });
      expect(code(c, player())).to.equal('ok');
      expect(code(c, player({ registeredAt: NOW - 2 * DAY }))).to.equal('promo/not_eligible');
      expect(code(c, player({ country: 'DE' }))).to.equal('promo/not_eligible');
      expect(code(c, player({ country: null }))).to.equal('promo/not_eligible');
      expect(code(c, player({ depositCount: 1 }))).to.equal('promo/not_eligible');
      expect(code(c, player({ vipTier: 'gold' }))).to.equal('promo/not_eligible');
      expect(code(c, player({ lastActiveAt: NOW - 2 * DAY }))).to.equal('promo/not_eligible');
    });
    it('runs only while active, between start and end', () => {
      expect(code(campaign(match, { status: 'paused' }), player())).to.equal('promo/not_active');
      expect(code(campaign(match), player(), NOW - 2 * DAY)).to.equal('promo/not_started');
      expect(code(campaign(match), player(), NOW + DAY)).to.equal('promo/ended');
    });
  });

  describe('tokens and boosts', () => {
    it('pays a winning free bet its winnings only (the stake is not returned)', () => {
      expect(freeBetReturn(1_000, 2_500, true)).to.equal(1_500);
      expect(freeBetReturn(1_000, 2_500, false)).to.equal(0);
    });
    it('adds a profit boost\'s percent of the winnings, capped', () => {
      expect(profitBoostExtra(1_000, 3_000, true, 25, 10_000)).to.equal(500);
      expect(profitBoostExtra(1_000, 3_000, true, 25, 300)).to.equal(300);
      expect(profitBoostExtra(1_000, 3_000, false, 25, 300)).to.equal(0);
    });
    it('limits an odds boost to the player\'s remaining max stake and counts liability at the boosted price', () => {
      expect(oddsBoostStake(2_000, 500, 1_000, 4_000)).to.deep.equal({ stakeMinor: 500, liabilityMinor: 1_500 });
      expect(oddsBoostStake(2_000, 1_000, 1_000, 4_000)).to.deep.equal({ stakeMinor: 0, liabilityMinor: 0 });
    });
    it('pays cash-back as a floored share of net losses, capped, and nothing on a net win', () => {
      expect(cashBackMinor(10_001, 10, 5_000)).to.equal(1_000);
      expect(cashBackMinor(100_000, 10, 5_000)).to.equal(5_000);
      expect(cashBackMinor(-500, 10, 5_000)).to.equal(0);
      const c = campaign({ kind: 'cash_back', sharePct: 10, periodMs: 7 * DAY, maxMinor: 5_000, paidAs: 'bonus', wageringMultiplier: 1, validForMs: DAY });
      const d = decideClaim(c, player(), { now: NOW, spentMinor: 0, amountMinor: 20_000 });
      expect(d.ok && d.award).to.deep.include({ type: 'bonus', amountMinor: 2_000, wageringRequiredMinor: 2_000 });
    });
  });

  describe('wagering contribution', () => {
    it('counts sportsbook singles at or above the minimum price 100%, roulette 10%, short prices and cash-outs 0%', () => {
      expect(contributionPct(DEFAULT_CONTRIBUTION, { game: 'sportsbook', legPricesMilli: [1_500], cashedOut: false })).to.equal(100);
      expect(contributionPct(DEFAULT_CONTRIBUTION, { game: 'sportsbook', legPricesMilli: [1_490], cashedOut: false })).to.equal(0);
      expect(contributionPct(DEFAULT_CONTRIBUTION, { game: 'sportsbook', legPricesMilli: [2_000], cashedOut: true })).to.equal(0);
      expect(contributionPct(DEFAULT_CONTRIBUTION, { game: 'roulette' })).to.equal(10);
    });
  });

  describe('hedging', () => {
    it('flags a player whose bonus-funded bets back two selections of one market, and nobody else', () => {
      const hedged = detectHedging([
        { betId: 'a', playerId: 'p1', marketKey: 'e1/1x2', selectionId: 'home', usedBonus: true },
        { betId: 'b', playerId: 'p1', marketKey: 'e1/1x2', selectionId: 'away', usedBonus: true },
        { betId: 'c', playerId: 'p2', marketKey: 'e1/1x2', selectionId: 'home', usedBonus: true },
        { betId: 'd', playerId: 'p2', marketKey: 'e1/1x2', selectionId: 'away', usedBonus: false },
        { betId: 'e', playerId: 'p3', marketKey: 'e1/1x2', selectionId: 'home', usedBonus: true },
        { betId: 'f', playerId: 'p3', marketKey: 'e1/1x2', selectionId: 'home', usedBonus: true },
      ]);
      expect([...hedged]).to.deep.equal([['p1', ['e1/1x2']]]);
    });
  });

  describe('operator commands', () => {
    it('validates definitions and moves draft → active ⇄ paused → ended', () => {
      expect(validateCampaign(campaign(match))).to.equal(null);
      expect(validateCampaign(campaign({ ...match, matchPct: -1 }))!.code).to.equal('promo/invalid_campaign');
      expect(validateCampaign(campaign(match, { endsAt: NOW - 2 * DAY }))!.code).to.equal('promo/invalid_campaign');
      // Operators' paths refuse reserved ids (server/admin/schemas.ts), so a campaign may not take one.
      for (const id of ['constructor', 'prototype']) expect(validateCampaign(campaign(match, { id }))!.message, id).to.match(/reserved/);
      // A profit boost's token reserves its cap: a boost of nothing is refused.
      const boost = { kind: 'profit_boost', boostPct: 50, maxExtraMinor: 400, minPriceMilli: 1_500, validForMs: DAY } as const;
      expect(validateCampaign(campaign(boost))).to.equal(null);
      expect(validateCampaign(campaign({ ...boost, maxExtraMinor: 0 }))!.message).to.match(/must be positive/);
      expect(validateCampaign(campaign({ ...boost, boostPct: 0 }))!.message).to.match(/must be positive/);
      const draft = campaign(match, { status: 'draft' });
      const active = transition(draft, 'activate') as Campaign;
      const paused = transition(active, 'pause') as Campaign;
      expect([active.status, paused.status, (transition(paused, 'resume') as Campaign).status]).to.deep.equal(['active', 'paused', 'active']);
      const ended = transition(paused, 'end') as Campaign;
      expect(transition(ended, 'resume')).to.have.property('code', 'promo/invalid_campaign');
      expect(edit(ended, ended)).to.have.property('code', 'promo/invalid_campaign');
      expect((edit(active, { ...active, name: 'Renamed', status: 'draft' }) as Campaign)).to.include({ name: 'Renamed', status: 'active' });
    });
  });

  it('never awards more than the advertised maximum or the budget (any deposit, any spend)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (deposit, spent) => {
      const d = decideClaim(campaign(match), player(), { now: NOW, spentMinor: spent, amountMinor: deposit });
      if (!d.ok || d.award.type !== 'bonus') return;
      expect(d.award.amountMinor).to.be.at.most(Math.min(match.maxBonusMinor, deposit));
      expect(spent + d.award.amountMinor).to.be.at.most(1_000_000);
    }));
  });
});
