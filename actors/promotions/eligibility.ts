/**
 * Who may receive a campaign's award, decided from facts the caller supplies (docs/PROMOTIONS.md §4).
 * Blocked players (time-out, self-exclusion, responsible-gambling or fraud rules, a duplicate
 * identity) receive nothing, whatever the campaign says.
 */
import type { Campaign, PlayerFacts, PromoRejection } from './types.ts';

const reject = (code: PromoRejection['code'], message: string): PromoRejection => ({ code, message });

/** Whether the campaign is running at `now`. */
export function campaignOpen(c: Campaign, now: number): PromoRejection | null {
  if (c.status !== 'active') return reject('promo/not_active', `campaign ${c.id} is ${c.status}`);
  if (now < c.startsAt) return reject('promo/not_started', `campaign ${c.id} starts at ${new Date(c.startsAt).toISOString()}`);
  if (now >= c.endsAt) return reject('promo/ended', `campaign ${c.id} ended`);
  return null;
}

/** Null when the player may claim the campaign now, else why not. */
export function checkEligibility(c: Campaign, p: PlayerFacts, now: number): PromoRejection | null {
  const closed = campaignOpen(c, now);
  if (closed) return closed;
  if (p.block) return reject('promo/blocked', `the player cannot receive promotions (${p.block})`);
  if (p.alreadyClaimed) return reject('promo/already_claimed', 'one claim per player');
  return checkTargeting(c, p, now);
}

/** The campaign's targeting (who it is for), without its running window, the block or the claim: null when the player is targeted. */
export function checkTargeting(c: Campaign, p: PlayerFacts, now: number): PromoRejection | null {
  const e = c.eligibility;
  if (e.newPlayersWithinMs !== undefined && now - p.registeredAt > e.newPlayersWithinMs) return reject('promo/not_eligible', 'for new players only');
  if (e.countries && (p.country === null || !e.countries.includes(p.country))) return reject('promo/not_eligible', 'not offered in the player\'s country');
  if (e.minDeposits !== undefined && p.depositCount < e.minDeposits) return reject('promo/not_eligible', `needs at least ${e.minDeposits} deposits`);
  if (e.maxDeposits !== undefined && p.depositCount > e.maxDeposits) return reject('promo/not_eligible', `for players with at most ${e.maxDeposits} deposits`);
  if (e.vipTiers && (p.vipTier === null || !e.vipTiers.includes(p.vipTier))) return reject('promo/not_eligible', 'not offered at the player\'s VIP tier');
  if (e.activeWithinMs !== undefined && now - p.lastActiveAt > e.activeWithinMs) return reject('promo/not_eligible', 'for recently active players only');
  return null;
}
