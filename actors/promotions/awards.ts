/**
 * What a claim awards and what the tokens pay (docs/PROMOTIONS.md §3). Pure integer arithmetic:
 * every amount is floored, so the operator never pays a fraction more than the terms say.
 */
import { checkEligibility } from './eligibility.ts';
import type { Award, Campaign, ClaimDecision, PlayerFacts, PromoRejection } from './types.ts';

const rejected = (code: PromoRejection['code'], message: string): ClaimDecision => ({ ok: false, rejection: { code, message } });

/** Decimal odds × 1000 times a stake, floored (the gross return of a winning single). */
export function grossReturn(stakeMinor: number, priceMilli: number): number {
  return Number((BigInt(stakeMinor) * BigInt(priceMilli)) / 1000n);
}

export interface ClaimContext {
  now: number;
  /** What the campaign has awarded so far. */
  spentMinor: number;
  /** The deposit being matched (deposit match), or the player's net loss over the period (cash-back). */
  amountMinor?: number;
}

/**
 * Decides a claim: eligibility, then the award by campaign type, within the budget left (an award
 * the budget cannot cover in full is refused, never cut, so players see the advertised terms).
 */
export function decideClaim(c: Campaign, p: PlayerFacts, ctx: ClaimContext): ClaimDecision {
  const why = checkEligibility(c, p, ctx.now);
  if (why) return { ok: false, rejection: why };
  const decision = award(c, ctx);
  if (!decision.ok) return decision;
  const cost = awardCostMinor(decision.award);
  if (ctx.spentMinor + cost > c.budgetMinor) return rejected('promo/budget_spent', `campaign ${c.id} has spent its budget`);
  return decision;
}

function award(c: Campaign, ctx: ClaimContext): ClaimDecision {
  const t = c.terms;
  const now = ctx.now;
  switch (t.kind) {
    case 'deposit_match': {
      const deposit = ctx.amountMinor ?? 0;
      if (deposit < t.minDepositMinor) return rejected('promo/deposit_too_small', `deposit at least ${t.minDepositMinor}`);
      const amountMinor = Math.min(Math.floor((deposit * t.matchPct) / 100), t.maxBonusMinor);
      if (amountMinor <= 0) return rejected('promo/nothing_due', 'the match comes to nothing');
      return {
        ok: true,
        award: {
          type: 'bonus', amountMinor, wageringRequiredMinor: amountMinor * t.wageringMultiplier, maxBetMinor: t.maxBetMinor,
          conversionCapMinor: t.conversionCapMinor, expiresAt: now + t.validForMs,
        },
      };
    }
    case 'free_bet':
      return { ok: true, award: { type: 'free_bet', stakeMinor: t.stakeMinor, minPriceMilli: t.minPriceMilli, expiresAt: now + t.validForMs } };
    case 'profit_boost':
      return { ok: true, award: { type: 'profit_boost', boostPct: t.boostPct, maxExtraMinor: t.maxExtraMinor, minPriceMilli: t.minPriceMilli, expiresAt: now + t.validForMs } };
    case 'odds_boost':
      return {
        ok: true,
        award: {
          type: 'odds_boost', eventId: t.eventId, marketId: t.marketId, selectionId: t.selectionId, boostedPriceMilli: t.boostedPriceMilli,
          maxStakeMinor: t.maxStakePerPlayerMinor, expiresAt: c.endsAt,
        },
      };
    case 'cash_back': {
      const amountMinor = cashBackMinor(ctx.amountMinor ?? 0, t.sharePct, t.maxMinor);
      if (amountMinor <= 0) return rejected('promo/nothing_due', 'no net loss over the period');
      if (t.paidAs === 'cash') return { ok: true, award: { type: 'cash', amountMinor } };
      return {
        ok: true,
        award: {
          type: 'bonus', amountMinor, wageringRequiredMinor: amountMinor * t.wageringMultiplier, maxBetMinor: 0,
          conversionCapMinor: amountMinor, expiresAt: now + t.validForMs,
        },
      };
    }
  }
}

/**
 * What an award costs the campaign's budget when claimed: bonus and cash at face value, a free
 * bet at its stake, an odds boost at the most its boost can pay (the extra price on the max stake),
 * a profit boost at its cap.
 */
export function awardCostMinor(a: Award): number {
  switch (a.type) {
    case 'bonus':
    case 'cash':
      return a.amountMinor;
    case 'free_bet':
      return a.stakeMinor;
    case 'profit_boost':
      return a.maxExtraMinor;
    case 'odds_boost':
      return 0;
  }
}

/** A share of net losses (stakes − returns over the period), floored and capped; nothing on a net win. */
export function cashBackMinor(netLossMinor: number, sharePct: number, maxMinor: number): number {
  if (netLossMinor <= 0) return 0;
  return Math.min(Math.floor((netLossMinor * sharePct) / 100), maxMinor);
}

/**
 * A free bet's stake is the operator's: a winner is paid the winnings only (gross return − stake),
 * a loser nothing. Refused below the token's minimum price.
 */
export function freeBetReturn(stakeMinor: number, priceMilli: number, won: boolean): number {
  return won ? grossReturn(stakeMinor, priceMilli) - stakeMinor : 0;
}

/** The extra a profit boost pays on a winning bet: boostPct% of its winnings, at most the cap. */
export function profitBoostExtra(stakeMinor: number, priceMilli: number, won: boolean, boostPct: number, maxExtraMinor: number): number {
  if (!won) return 0;
  return boostOfWinnings(grossReturn(stakeMinor, priceMilli) - stakeMinor, boostPct, maxExtraMinor);
}

/**
 * The extra a profit boost pays on a settled bet, from what the settlement paid: boostPct% of the
 * winnings (payout − stake) of a won bet, floored, at most the cap; nothing on a loss, a void or a
 * cash-out (the boost is lost when the bet is cashed out).
 */
export function boostOfWinnings(winningsMinor: number, boostPct: number, maxExtraMinor: number): number {
  if (winningsMinor <= 0) return 0;
  // BigInt: winnings × pct can pass 2^53.
  return Math.min(Number((BigInt(winningsMinor) * BigInt(boostPct)) / 100n), maxExtraMinor);
}

export function profitBoostExtraOf(o: { outcome: string; stakeMinor: number; payoutMinor: number }, boostPct: number, maxExtraMinor: number): number {
  return o.outcome === 'won' ? boostOfWinnings(o.payoutMinor - o.stakeMinor, boostPct, maxExtraMinor) : 0;
}

/**
 * An odds-boosted bet: the stake a player may still place at the boosted price (the rest of the
 * stake is refused, never silently priced at the market), and the liability it adds, counted at
 * the boosted price.
 */
export function oddsBoostStake(requestedMinor: number, stakedSoFarMinor: number, maxStakeMinor: number, boostedPriceMilli: number): { stakeMinor: number; liabilityMinor: number } {
  const stakeMinor = Math.max(0, Math.min(requestedMinor, maxStakeMinor - stakedSoFarMinor));
  return { stakeMinor, liabilityMinor: grossReturn(stakeMinor, boostedPriceMilli) - stakeMinor };
}
