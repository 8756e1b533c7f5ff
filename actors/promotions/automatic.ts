/**
 * Automatic awards (docs/PROMOTIONS.md §4): a campaign with `optIn: false` is not claimed by the
 * player but awarded by its trigger: a deposit match when a qualifying deposit is captured, a
 * cash-back at the end of each of its periods. Pure rules here; the server gathers the facts.
 */
import { cashBackMinor } from './awards.ts';
import { checkTargeting } from './eligibility.ts';
import type { Award, Campaign, ClaimDecision, PlayerFacts } from './types.ts';

/** VIP tiers an operator may set on a player (bounded: campaigns target these names). */
export const VIP_TIERS = ['bronze', 'silver', 'gold', 'platinum', 'diamond'] as const;
export type VipTier = (typeof VIP_TIERS)[number];

/** The shortest period of an automatic cash-back (one job run per period per campaign at most). */
export const MIN_AUTO_CASH_BACK_PERIOD_MS = 60_000;

export const isAutomatic = (c: Campaign): boolean => !c.optIn;

/**
 * The automatic deposit-match campaigns that may match a deposit made at `at`, in the order they
 * are tried: running at `at`, earliest start first (then by id). The first one whose decision
 * awards wins; a player has one bonus at a time, so at most one deposit match is awarded per deposit.
 */
export function automaticDepositMatches(campaigns: Campaign[], at: number): Campaign[] {
  return campaigns
    .filter((c) => isAutomatic(c) && c.terms.kind === 'deposit_match' && c.status === 'active' && c.startsAt <= at && at < c.endsAt)
    .sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Cash-back period `index` of a campaign: [from, to), the last one cut at the campaign's end. */
export function cashBackPeriod(c: Campaign, index: number): { index: number; from: number; to: number } {
  if (c.terms.kind !== 'cash_back') throw new Error(`campaign ${c.id} is not a cash-back`);
  const from = c.startsAt + index * c.terms.periodMs;
  return { index, from, to: Math.min(from + c.terms.periodMs, c.endsAt) };
}

/** How many periods the campaign has (its span cut into periodMs, the last one possibly shorter). */
export function cashBackPeriodCount(c: Campaign): number {
  if (c.terms.kind !== 'cash_back' || c.terms.periodMs <= 0) return 0;
  return Math.ceil((c.endsAt - c.startsAt) / c.terms.periodMs);
}

/**
 * The first period of an automatic cash-back that has ended at `now` and is not paid yet
 * (`paidThrough`: the last period index fully paid, -1 for none), or null. Only an `active`
 * campaign pays: a paused one waits, an ended one pays nothing more.
 */
export function nextDueCashBackPeriod(c: Campaign, now: number, paidThrough: number): { index: number; from: number; to: number } | null {
  if (!isAutomatic(c) || c.terms.kind !== 'cash_back' || c.status !== 'active') return null;
  const index = paidThrough + 1;
  if (index >= cashBackPeriodCount(c)) return null;
  const period = cashBackPeriod(c, index);
  return now >= period.to ? period : null;
}

/** The ledger key of a player's automatic cash-back for one period: one payment per player per period. */
export const cashBackPeriodKey = (campaignId: string, index: number, userId: string): string => `promo:${campaignId}:cashback:p${index}:${userId}`;

/**
 * A player's automatic cash-back for an ended period: nothing for a blocked or untargeted player
 * (targeting judged at the period's end) or on a net win; the award within the budget left.
 */
export function decidePeriodCashBack(c: Campaign, p: PlayerFacts, ctx: { periodEnd: number; netLossMinor: number; spentMinor: number; now: number }): ClaimDecision {
  const t = c.terms;
  if (t.kind !== 'cash_back') return { ok: false, rejection: { code: 'promo/invalid_campaign', message: `campaign ${c.id} is not a cash-back` } };
  if (p.block) return { ok: false, rejection: { code: 'promo/blocked', message: `the player cannot receive promotions (${p.block})` } };
  const untargeted = checkTargeting(c, p, ctx.periodEnd - 1);
  if (untargeted) return { ok: false, rejection: untargeted };
  const amountMinor = cashBackMinor(ctx.netLossMinor, t.sharePct, t.maxMinor);
  if (amountMinor <= 0) return { ok: false, rejection: { code: 'promo/nothing_due', message: 'no net loss over the period' } };
  if (ctx.spentMinor + amountMinor > c.budgetMinor) return { ok: false, rejection: { code: 'promo/budget_spent', message: `campaign ${c.id} has spent its budget` } };
  const award: Award = t.paidAs === 'cash'
    ? { type: 'cash', amountMinor }
    : { type: 'bonus', amountMinor, wageringRequiredMinor: amountMinor * t.wageringMultiplier, maxBetMinor: 0, conversionCapMinor: amountMinor, expiresAt: ctx.now + t.validForMs };
  return { ok: true, award };
}
