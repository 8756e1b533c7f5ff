/**
 * Ownership leases with fencing tokens, in Redis. A room exists once in the cluster: the process
 * holding `<prefix>lease:<roomId>` owns it and renews it; when the owner dies the lease expires and
 * another process acquires it with a strictly greater fencing token. Every journal append carries
 * the owner's token and the store refuses a token lower than one it has seen, so a paused or
 * partitioned old owner can never write after a new owner took over (docs/OPERATIONS.md).
 *
 * Tokens are max(previous + 1, now in ms), `now` being the later of Redis' clock and the caller's:
 * they stay monotonic even if Redis restarts empty and forgets the counter (Redis is never the
 * only copy of anything that matters). The store keeps the highest token per room; a token that is
 * not higher is refused there, so a skewed clock costs availability, never correctness.
 *
 * Redis generation: `<prefix>generation` holds `<random>|<Redis time it was created>`. When Redis
 * restarts empty the key is gone; the first process to look creates it again, and every process
 * sees from its creation time that Redis has forgotten every lease recently (see ownership.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const REDIS_NOW = `
local t = redis.call('TIME')
local redisNow = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const ACQUIRE = `${REDIS_NOW}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local f = tonumber(redis.call('GET', KEYS[2]) or '0') + 1
local now = math.max(tonumber(ARGV[3]), redisNow)
if now > f then f = now end
redis.call('SET', KEYS[2], f)
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. f, 'PX', ARGV[2])
return f`;

// 1: renewed; 2: the key was gone (expired unseen, or Redis restarted) and nobody else holds it: re-asserted; 0: lost.
const RENEW = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
return 0`;

// The generation value and Redis' clock; creates the generation when Redis has none.
const GENERATION = `${REDIS_NOW}
local v = redis.call('GET', KEYS[1])
if not v then
  v = ARGV[1] .. '|' .. redisNow
  redis.call('SET', KEYS[1], v)
end
return { v, tostring(redisNow) }`;

// Releases the lease if still ours, leaving a short-lived "released on purpose" marker (KEYS[2]).
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  return redis.call('DEL', KEYS[1])
end
return 0`;

export type RenewResult = 'renewed' | 'reasserted' | 'lost' | 'unreachable';

export interface Generation {
  /** Random id of this Redis data set: changes when Redis restarts empty. */
  id: string;
  /** Redis time (ms) when it was created. */
  createdAt: number;
  /** Redis time (ms) now. */
  now: number;
}

export class LeaseManager {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly ownerId: string,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private leaseKey(roomId: string): string {
    return `${this.prefix}lease:${roomId}`;
  }

  /** The fencing token of a newly acquired lease, or null when someone holds it. */
  async acquire(roomId: string): Promise<number | null> {
    const f = Number(await this.redis.eval(ACQUIRE, 2, this.leaseKey(roomId), `${this.prefix}fence:${roomId}`, this.ownerId, this.ttlMs, this.now()));
    return f > 0 ? f : null;
  }

  async renew(roomId: string, fence: number): Promise<RenewResult> {
    try {
      const r = Number(await this.redis.eval(RENEW, 1, this.leaseKey(roomId), `${this.ownerId}|${fence}`, this.ttlMs));
      return r === 1 ? 'renewed' : r === 2 ? 'reasserted' : 'lost';
    } catch {
      return 'unreachable';
    }
  }

  /**
   * Gives a lease back (hand-over, a room that closed). The marker it leaves for two lease periods
   * tells the others that the room was released on purpose, not orphaned by a dead owner.
   */
  async release(roomId: string, fence: number): Promise<void> {
    await this.redis.eval(RELEASE, 2, this.leaseKey(roomId), `${this.prefix}released:${roomId}`, `${this.ownerId}|${fence}`, 2 * this.ttlMs);
  }

  /** Who holds the lease (`owner|fence`, or null), and whether it was released on purpose lately. */
  async state(roomId: string): Promise<{ holder: string | null; released: boolean }> {
    const [holder, released] = await this.redis.mget(this.leaseKey(roomId), `${this.prefix}released:${roomId}`);
    return { holder: holder ?? null, released: released !== null && released !== undefined };
  }

  /** The current Redis generation (created if Redis has none). */
  async generation(): Promise<Generation> {
    const [value, now] = (await this.redis.eval(GENERATION, 1, `${this.prefix}generation`, randomBytes(8).toString('hex'))) as [string, string];
    const [id, createdAt] = value.split('|');
    return { id: id!, createdAt: Number(createdAt), now: Number(now) };
  }
}
