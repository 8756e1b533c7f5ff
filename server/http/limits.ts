/**
 * The edge's abuse limits (docs/OPERATIONS.md, "Abuse limits"): logins, registrations and
 * matchmaking, per account, per player and per client address. Fixed windows counted by
 * rate-limiter-flexible: in Redis when the server runs clustered (so every process shares one
 * count), in memory otherwise. If Redis stops answering, each process falls back to counting in
 * its own memory (the limits hold per process) until it answers again.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

export type LimitName = 'loginAccount' | 'loginIp' | 'register' | 'authIp' | 'matchmakePlayer' | 'matchmakeIp' | 'flood';

interface LimitSpec {
  points: number;
  durationS: number;
  /** The typed error when the limit is reached. */
  code: string;
  what: string;
  /** The refusal's message, when "too many <what>" does not say it. */
  message?: (retryAfterSeconds: number) => string;
}

function specs(a: Config['abuse']): Record<LimitName, LimitSpec> {
  return {
    loginAccount: { points: a.loginFailuresPerAccount, durationS: 15 * 60, code: 'auth/too_many_failures', what: 'failed logins for this account' },
    loginIp: { points: a.loginFailuresPerIp, durationS: 15 * 60, code: 'auth/too_many_failures', what: 'failed logins from this address' },
    register: { points: a.registrationsPerIp, durationS: 3600, code: 'http/rate_limited', what: 'registrations from this address' },
    authIp: { points: a.authRequestsPerIp, durationS: 60, code: 'http/rate_limited', what: 'login and registration requests from this address' },
    matchmakePlayer: { points: a.matchmakePerPlayer, durationS: 60, code: 'matchmake/rate_limited', what: 'room joins by this player' },
    matchmakeIp: { points: a.matchmakePerIp, durationS: 60, code: 'matchmake/rate_limited', what: 'room joins from this address' },
    // Not counted, only blocked: a player disconnected for flooding a room (rooms/seats.ts).
    flood: { points: 1, durationS: Math.max(1, a.floodBanSeconds), code: 'room/flood_banned', what: 'messages',
      message: (s) => `this player was disconnected for flooding a room; joins are refused for another ${s} s (retry in ${s} s)` },
  };
}

export class EdgeLimits {
  private readonly limiters = new Map<LimitName, RateLimiterAbstract>();
  private readonly specs: Record<LimitName, LimitSpec>;

  constructor(config: Config, redis: Redis | null) {
    this.specs = specs(config.abuse);
    for (const [name, spec] of Object.entries(this.specs) as Array<[LimitName, LimitSpec]>) {
      const memory = new RateLimiterMemory({ points: spec.points, duration: spec.durationS, keyPrefix: name });
      this.limiters.set(name, redis
        ? new RateLimiterRedis({ storeClient: redis, points: spec.points, duration: spec.durationS, keyPrefix: `${config.redisPrefix}limit:${name}`, insuranceLimiter: memory })
        : memory);
    }
  }

  /** Counts one hit; throws the limit's typed 429 once the window is used up. */
  async consume(name: LimitName, key: string): Promise<void> {
    try {
      await this.limiter(name).consume(boundKey(key));
    } catch (e) {
      throw this.refusal(name, e);
    }
  }

  /** Throws the limit's typed 429 if the window is already used up, counting nothing. */
  async check(name: LimitName, key: string): Promise<void> {
    const res = await this.limiter(name).get(boundKey(key)).catch(() => null);
    if (res && res.consumedPoints >= this.specs[name].points && res.msBeforeNext > 0) throw this.refusal(name, res);
  }

  /** Refuses the key for `seconds` whatever its count (0: nothing). */
  async block(name: LimitName, key: string, seconds: number): Promise<void> {
    if (seconds > 0) await this.limiter(name).block(boundKey(key), seconds).catch(() => undefined);
  }

  /** Forgets a key's count (e.g. an account's failures after a successful login). */
  async reset(name: LimitName, key: string): Promise<void> {
    await this.limiter(name).delete(boundKey(key)).catch(() => undefined);
  }

  private limiter(name: LimitName): RateLimiterAbstract {
    return this.limiters.get(name)!;
  }

  private refusal(name: LimitName, e: unknown): AppError {
    if (!(e instanceof RateLimiterRes)) throw e;
    const spec = this.specs[name];
    const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    const message = spec.message?.(retryAfterSeconds) ?? `too many ${spec.what}; retry in ${retryAfterSeconds} s`;
    return new AppError(spec.code, message, 429, { retryAfterSeconds });
  }
}

/** Keys come from clients (usernames, addresses): bounded, so a long one cannot bloat the store. */
function boundKey(key: string): string {
  return key.length <= 128 ? key : key.slice(0, 128);
}
