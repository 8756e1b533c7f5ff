/**
 * Redis connections for cluster mode. Commands fail fast while Redis is unreachable (no offline
 * queue, one retry), so matchmaking answers with an error instead of hanging, and running rooms,
 * which do not need Redis to serve their clients, are unaffected. Connections reconnect by
 * themselves; `onReconnect` runs after each reconnection (to restore what Redis forgot).
 */
import { ServerError } from '@colyseus/core';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

export function clusterRedis(url: string, log: Logger, name: string, opts: { keyPrefix?: string; onReconnect?: () => void } = {}): Redis {
  const { onReconnect, keyPrefix } = opts;
  const client = new Redis(url, {
    connectionName: name,
    ...(keyPrefix ? { keyPrefix } : {}),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    reconnectOnError: () => true,
  });
  let wasDown = false;
  client.on('error', (err) => {
    if (!wasDown) log.warn({ err: err.message, connection: name }, 'Redis unreachable; retrying');
    wasDown = true;
  });
  client.on('ready', () => {
    if (!wasDown) return;
    wasDown = false;
    log.info({ connection: name }, 'Redis reachable again');
    onReconnect?.();
  });
  return client;
}

/** Resolves once the connection is ready (or rejects after `timeoutMs`), for start-up. */
export function whenReady(client: Redis, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    client.once('ready', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

const UNAVAILABLE = 'matchmaking/unavailable';
const REDIS_DOWN = /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|MaxRetriesPerRequest|enableOfflineQueue/i;

/** Whether an error is Redis being unreachable (as opposed to a command or programming error). */
export function isRedisDown(err: unknown): boolean {
  return err instanceof Error && (REDIS_DOWN.test(err.message) || err.message.startsWith(UNAVAILABLE));
}

/**
 * Wraps Colyseus' Redis-backed presence or driver so that, while Redis is unreachable, the
 * matchmaker answers with a typed error (`matchmaking/unavailable`, 503) instead of a driver message.
 */
export function withClearRedisErrors<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const out = value.apply(obj, args);
        if (out instanceof Promise) {
          return (out as Promise<unknown>).catch((err: unknown) => {
            if (err instanceof Error && REDIS_DOWN.test(err.message)) {
              throw new ServerError(503, `${UNAVAILABLE}: the cluster registry (Redis) is unreachable; connected rooms keep running, retry shortly`);
            }
            throw err;
          });
        }
        return out;
      };
    },
  });
}
