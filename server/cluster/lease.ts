/**
 * Ownership leases with fencing tokens, in Redis. A room exists once in the cluster: the process
 * holding `<prefix>lease:<roomId>` owns it and renews it; when the owner dies the lease expires and
 * another process acquires it with a strictly greater fencing token. Every journal append carries
 * the owner's token and the store refuses a token lower than one it has seen, so a paused or
 * partitioned old owner can never write after a new owner took over (docs/OPERATIONS.md).
 *
 * Tokens are max(previous + 1, now in ms): they stay monotonic even if Redis restarts empty and
 * forgets the counter (Redis is never the only copy of anything that matters).
 */
import type { Redis } from 'ioredis';

const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local f = tonumber(redis.call('GET', KEYS[2]) or '0') + 1
local now = tonumber(ARGV[3])
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

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export type RenewResult = 'renewed' | 'reasserted' | 'lost' | 'unreachable';

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

  async release(roomId: string, fence: number): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.leaseKey(roomId), `${this.ownerId}|${fence}`);
  }

  /** Who holds the lease (`owner|fence`), or null. */
  async holder(roomId: string): Promise<string | null> {
    return this.redis.get(this.leaseKey(roomId));
  }
}
