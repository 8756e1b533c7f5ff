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
