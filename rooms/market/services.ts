/** The feed source the market rooms read, installed by the composition root (like room services). */
import type { FeedSource } from '../../server/feed/types.ts';

/** What the server knows about an event before its room exists (from the schedule or an operator). */
export interface EventListing {
  eventId: string;
  league: string;
  home: string;
  away: string;
  lambdaHome: number;
  lambdaAway: number;
  startsAt: number;
}

let current: FeedSource | null = null;

export function installFeedSource(feed: FeedSource | null): void {
  current = feed;
}

export function feedSource(): FeedSource {
  if (!current) throw new Error('no feed source installed; boot the server through server/app.ts');
  return current;
}
