/** Helpers for multi-process tests against the real Redis: a private key prefix, cleaned up after. */
import { deletePrefix } from '../../load-tests/bench/redis-prefix.ts';
import { freePort, startServerProcess, type ServerProcess } from './process.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testPrefix(name: string): string {
  return `test:${name}:${process.pid}:${Date.now().toString(36)}:`;
}

/** Deletes every key under `prefix` (and nothing else). */
export async function cleanRedis(prefix: string, url = REDIS_URL): Promise<void> {
  await deletePrefix(url, prefix).catch(() => undefined); // Redis gone (a test stopped it): nothing to clean
}

/** A server process in cluster mode whose public address is its own loopback port. */
export async function startClusterNode(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({ REDIS_URL, LEASE_TTL_MS: '1500', OWNERSHIP_POLL_MS: '200', ...env, PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}` });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastErr ? `: ${(lastErr as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
