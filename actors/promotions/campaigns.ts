/**
 * Operator commands on a campaign (docs/PROMOTIONS.md §6): the checks a definition must pass and
 * the status machine draft → active ⇄ paused → ended. Edits are allowed until the campaign ends;
 * an edit never changes an award already made (awards carry their own terms).
 */
import { RESERVED_IDS } from '../decision.ts';
import { MIN_AUTO_CASH_BACK_PERIOD_MS, VIP_TIERS } from './automatic.ts';
import type { Campaign, CampaignStatus, PromoRejection } from './types.ts';

/** Bounds on every number a campaign may carry (limits on everything). */
export const CAMPAIGN_LIMITS = {
  maxAmountMinor: 100_000_000,
  maxPct: 1_000,
  maxWageringMultiplier: 100,
  maxPriceMilli: 1_000_000,
  maxDurationMs: 366 * 24 * 3600 * 1000,
  maxListEntries: 300,
} as const;

const invalid = (message: string): PromoRejection => ({ code: 'promo/invalid_campaign', message });

function amount(value: number, name: string, max: number = CAMPAIGN_LIMITS.maxAmountMinor): string | null {
  return Number.isSafeInteger(value) && value >= 0 && value <= max ? null : `${name} must be an integer 0..${max}`;
}

/** Null when the definition is well-formed, else what is wrong (the first problem found). */
export function validateCampaign(c: Campaign): PromoRejection | null {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(c.id)) return invalid('id must be 1..64 of a-z, 0-9, _ and -');
  if (RESERVED_IDS.has(c.id)) return invalid(`"${c.id}" is reserved; choose another id`);
  if (typeof c.name !== 'string' || c.name.length === 0 || c.name.length > 120) return invalid('name must be 1..120 characters');
  if (!Number.isSafeInteger(c.startsAt) || !Number.isSafeInteger(c.endsAt) || c.endsAt <= c.startsAt) return invalid('endsAt must be after startsAt');
  if (c.endsAt - c.startsAt > CAMPAIGN_LIMITS.maxDurationMs) return invalid('a campaign runs at most a year');
  const problems: Array<string | null> = [amount(c.budgetMinor, 'budgetMinor')];
  const e = c.eligibility;
  for (const list of [e.countries, e.vipTiers]) if (list && list.length > CAMPAIGN_LIMITS.maxListEntries) problems.push('eligibility lists are limited');
  if (e.countries?.some((x) => !/^[A-Z]{2}$/.test(x))) problems.push('countries are ISO 3166-1 alpha-2 codes');
  if (e.vipTiers?.some((x) => !(VIP_TIERS as readonly string[]).includes(x))) problems.push(`vipTiers are among ${VIP_TIERS.join(', ')}`);
  const t = c.terms;
  // Automatic awards (optIn false) have a trigger only for deposit matches and cash-back.
  if (c.optIn === false && t.kind !== 'deposit_match' && t.kind !== 'cash_back' && t.kind !== 'odds_boost') problems.push('only deposit matches and cash-back are awarded automatically (optIn false)');
  if (c.optIn === false && t.kind === 'cash_back' && t.periodMs < MIN_AUTO_CASH_BACK_PERIOD_MS) problems.push(`an automatic cash-back's periodMs is at least ${MIN_AUTO_CASH_BACK_PERIOD_MS}`);
  const ms = (v: number, n: string) => amount(v, n, CAMPAIGN_LIMITS.maxDurationMs);
  const pct = (v: number, n: string, max = 100) => amount(v, n, max);
  const price = (v: number, n: string) => (Number.isSafeInteger(v) && v >= 1000 && v <= CAMPAIGN_LIMITS.maxPriceMilli ? null : `${n} must be 1000..${CAMPAIGN_LIMITS.maxPriceMilli}`);
  switch (t.kind) {
    case 'deposit_match':
      problems.push(
        pct(t.matchPct, 'matchPct', CAMPAIGN_LIMITS.maxPct), amount(t.maxBonusMinor, 'maxBonusMinor'), amount(t.minDepositMinor, 'minDepositMinor'),
        amount(t.wageringMultiplier, 'wageringMultiplier', CAMPAIGN_LIMITS.maxWageringMultiplier), amount(t.maxBetMinor, 'maxBetMinor'),
        amount(t.conversionCapMinor, 'conversionCapMinor'), ms(t.validForMs, 'validForMs'),
        pct(t.contribution.sportsbookSinglePct, 'sportsbookSinglePct'), pct(t.contribution.sportsbookAccaPct, 'sportsbookAccaPct'),
        pct(t.contribution.roulettePct, 'roulettePct'), pct(t.contribution.cashOutPct, 'cashOutPct'), price(t.contribution.minPriceMilli, 'minPriceMilli'),
      );
      break;
    case 'free_bet':
      problems.push(amount(t.stakeMinor, 'stakeMinor'), price(t.minPriceMilli, 'minPriceMilli'), ms(t.validForMs, 'validForMs'));
      if (t.stakeMinor === 0) problems.push('stakeMinor must be positive');
      break;
    case 'profit_boost':
      problems.push(pct(t.boostPct, 'boostPct', CAMPAIGN_LIMITS.maxPct), amount(t.maxExtraMinor, 'maxExtraMinor'), price(t.minPriceMilli, 'minPriceMilli'), ms(t.validForMs, 'validForMs'));
      // The token reserves its cap from the budget: a boost of nothing is no award.
      if (t.boostPct === 0 || t.maxExtraMinor === 0) problems.push('boostPct and maxExtraMinor must be positive');
      break;
    case 'odds_boost':
      problems.push(price(t.boostedPriceMilli, 'boostedPriceMilli'), amount(t.maxStakePerPlayerMinor, 'maxStakePerPlayerMinor'));
      if (![t.eventId, t.marketId, t.selectionId].every((s) => typeof s === 'string' && s.length > 0 && s.length <= 100)) problems.push('eventId, marketId and selectionId are required');
      break;
    case 'cash_back':
      problems.push(
        pct(t.sharePct, 'sharePct'), ms(t.periodMs, 'periodMs'), amount(t.maxMinor, 'maxMinor'),
        amount(t.wageringMultiplier, 'wageringMultiplier', CAMPAIGN_LIMITS.maxWageringMultiplier), ms(t.validForMs, 'validForMs'),
      );
      if (t.paidAs !== 'cash' && t.paidAs !== 'bonus') problems.push('paidAs is cash or bonus');
      break;
    default:
      problems.push(`unknown campaign kind ${String((t as { kind?: unknown }).kind)}`);
  }
  const first = problems.find((p) => p !== null);
  return first ? invalid(first) : null;
}

export type CampaignAction = 'activate' | 'pause' | 'resume' | 'end';

const NEXT: Record<CampaignAction, Partial<Record<CampaignStatus, CampaignStatus>>> = {
  activate: { draft: 'active' },
  pause: { active: 'paused' },
  resume: { paused: 'active' },
  end: { draft: 'ended', active: 'ended', paused: 'ended' },
};

/** The campaign after an operator's action, or why the action does not apply. */
export function transition(c: Campaign, action: CampaignAction): Campaign | PromoRejection {
  const next = NEXT[action][c.status];
  if (!next) return invalid(`cannot ${action} a campaign that is ${c.status}`);
  return { ...c, status: next };
}

/** An edit keeps the id, the status and the kind; an ended campaign is not edited. */
export function edit(c: Campaign, changes: Campaign): Campaign | PromoRejection {
  if (c.status === 'ended') return invalid('an ended campaign is not edited');
  if (changes.id !== c.id || changes.terms.kind !== c.terms.kind) return invalid('an edit keeps the id and the kind');
  const next = { ...changes, status: c.status };
  return validateCampaign(next) ?? next;
}
