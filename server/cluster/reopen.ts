/**
 * Cluster: a finished event's room closes after its linger time, and no process re-creates it
 * (only scheduled and in-play events are wanted). An operator who re-settles or voids one of its
 * markets later asks for it here: the event is wanted again for one linger time, some process
 * takes its lease and rebuilds the room from its journal, and the command reaches it.
 */
import type { Redis } from 'ioredis';
import type { EventRecord, GameStore } from '../store/types.ts';

/** At most this many closed events are re-opened at a time. */
export const MAX_REOPENED = 100;

export class ReopenRequests {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {
    this.key = `${prefix}events:reopen`;
  }

  /** Wants the event's room again until now + ttl (a sorted set scored by expiry). */
  async request(eventId: string): Promise<void> {
    await this.redis.zadd(this.key, this.now() + this.ttlMs, eventId);
  }

  /** Listings of the finished or abandoned events wanted again now. */
  async listings(games: GameStore): Promise<EventRecord[]> {
    const now = this.now();
    await this.redis.zremrangebyscore(this.key, '-inf', now);
    const ids = await this.redis.zrange(this.key, 0, MAX_REOPENED - 1);
    const found = await Promise.all(ids.map((id) => games.getEvent(id)));
    return found.filter((e): e is EventRecord => e !== null && (e.status === 'finished' || e.status === 'abandoned'));
  }
}
