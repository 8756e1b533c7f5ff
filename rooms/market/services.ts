/** The feed source the market rooms read, installed by the composition root (like room services). */
import type { FeedSource } from '../../server/feed/types.ts';
import type { EventRecord } from '../../server/store/types.ts';

/** What the server knows about an event before its room exists (from the schedule or an operator). */
export type EventListing = Pick<EventRecord, 'eventId' | 'league' | 'home' | 'away' | 'lambdaHome' | 'lambdaAway' | 'startsAt' | 'rho' | 'modelVersion'>;

let current: FeedSource | null = null;
let prices: FeedSource | null = null;

export function installFeedSource(feed: FeedSource | null, priceFeed: FeedSource | null = null): void {
  current = feed;
  prices = priceFeed;
}

/** The price feed (market prices of events), when installed. */
export function priceSource(): FeedSource | null {
  return prices;
}

export function feedSource(): FeedSource {
  if (!current) throw new Error('no feed source installed; boot the server through server/app.ts');
  return current;
}

let stakeFactors: (playerId: string) => number = () => 1;

/** Where a player's stake factor comes from (server/admin/stake-factors.ts); 1 when none is installed. */
export function installStakeFactors(of: ((playerId: string) => number) | null): void {
  stakeFactors = of ?? (() => 1);
}

export function stakeFactorOf(playerId: string): number {
  return stakeFactors(playerId);
}

/** A leg of a slip got a result at an event: the bet-slip service records it (server/slips). */
export type SlipNotifier = (n: { slipId: string; legId: string; outcome: 'won' | 'lost' | 'void'; version: number }) => Promise<void>;

let slipNotifier: SlipNotifier | null = null;

/** Where event rooms report leg results (the process's bet-slip service); none: results wait for the slip's sweep. */
export function installSlipNotifier(fn: SlipNotifier | null): void {
  slipNotifier = fn;
}

export function notifySlip(): SlipNotifier | null {
  return slipNotifier;
}

/** A bet that uses a promotion (docs/PROMOTIONS.md §3): a free-bet token and/or an odds boost. */
export interface BetPromotionRequest {
  playerId: string;
  eventId: string;
  marketId: string;
  selectionId: string;
  stakeMinor: number;
  priceMilli: number;
  acceptance: 'exact' | 'better' | 'any';
  /** A free-bet token (its id, as GET /promotions/tokens lists it). */
  freeBetId?: string;
  /** An odds-boost campaign id. */
  boostId?: string;
  /** A profit-boost token (its id, as GET /promotions/tokens lists it). */
  profitBoostId?: string;
  /** What the player already staked at this boost's price on this selection (the room's own bets). */
  boostStakedMinor: number;
  now: number;
}

/** A profit-boost token approved for a bet: the token to consume and the terms the bet carries. */
export interface ProfitBoostGrant {
  tokenHoldId: string;
  fundingAccountId: string;
  campaignId: string;
  boostPct: number;
  /** What the token reserved from the campaign (the most the boost can pay). */
  maxExtraMinor: number;
}

/** How the promotion changes the bet: who funds the stake (a token's hold), at what price, or a profit boost. */
export type BetPromotion =
  | { ok: true; freeBet?: { tokenHoldId: string; fundingAccountId: string }; boostedPriceMilli?: number; profitBoost?: ProfitBoostGrant }
  | { ok: false; code: string; message: string };

let betPromotions: ((r: BetPromotionRequest) => Promise<BetPromotion>) | null = null;

/** The promotions service's check of a promoted bet (server/promotions/service.ts); none: promotions are refused. */
export function installBetPromotions(fn: ((r: BetPromotionRequest) => Promise<BetPromotion>) | null): void {
  betPromotions = fn;
}

export function betPromotion(r: BetPromotionRequest): Promise<BetPromotion> {
  if (!betPromotions) return Promise.resolve({ ok: false, code: 'promo/unavailable', message: 'promotions are not offered here' });
  return betPromotions(r);
}
