/**
 * Player accounts for the bots, registered through the HTTP API like any player. Tokens are
 * cached per target (load-tests/results/accounts-<host>-<port>.json) so repeated runs reuse
 * returning players instead of registering (scrypt-hashing) thousands of new ones each time;
 * a cache the server no longer knows (fresh data directory) is thrown away.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HTTP_TIMEOUT_MS } from './context.ts';
import type { Account } from './context.ts';

export const BOT_PASSWORD = 'load-bot-password-1';

async function post(url: string, body: unknown, deviceId: string): Promise<{ status: number; body: any }> {
  // Each bot account is one device, as the web app's localStorage id is (docs/FRAUD.md).
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-id': deviceId }, body: JSON.stringify(body), signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function register(httpUrl: string, username: string): Promise<Account> {
  for (let attempt = 0; ; attempt++) {
    const r = await post(`${httpUrl}/auth/register`, { username, password: BOT_PASSWORD }, `bot-${username}`);
    if (r.status === 201) return { userId: r.body.userId, username, token: r.body.token };
    if (r.status === 409) {
      const l = await post(`${httpUrl}/auth/login`, { username, password: BOT_PASSWORD }, `bot-${username}`);
      if (l.status === 200) return { userId: l.body.userId, username, token: l.body.token };
    }
    if (r.status === 429 && attempt < 120) {
      await new Promise((res) => setTimeout(res, 1000));
      continue;
    }
    throw new Error(`registering ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

async function stillValid(httpUrl: string, a: Account): Promise<boolean> {
  const res = await fetch(`${httpUrl}/wallet`, { headers: { authorization: `Bearer ${a.token}` }, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) }).catch(() => null);
  return res?.status === 200;
}

export function accountCacheFile(resultsRoot: string, httpUrl: string): string {
  const u = new URL(httpUrl);
  return path.join(resultsRoot, `accounts-${u.hostname}-${u.port || '80'}.json`);
}

export async function ensureAccounts(httpUrl: string, count: number, cacheFile: string | null, onProgress?: (done: number) => void): Promise<Account[]> {
  let accounts: Account[] = [];
  if (cacheFile && fs.existsSync(cacheFile)) {
    accounts = (JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { accounts: Account[] }).accounts ?? [];
    const sample = [accounts[0], accounts[accounts.length - 1]].filter((a): a is Account => Boolean(a));
    if (!(await Promise.all(sample.map((a) => stillValid(httpUrl, a)))).every(Boolean)) accounts = [];
  }
  const prefix = `lt${Date.now().toString(36)}`;
  let next = accounts.length;
  const missing = Math.max(0, count - accounts.length);
  const fresh: Account[] = [];
  await Promise.all(
    Array.from({ length: Math.min(8, missing) }, async () => {
      while (fresh.length + accounts.length < count && next < count) {
        const n = next++;
        fresh.push(await register(httpUrl, `${prefix}_${n}`));
        onProgress?.(accounts.length + fresh.length);
      }
    }),
  );
  accounts = [...accounts, ...fresh];
  if (cacheFile && fresh.length > 0) {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(cacheFile, JSON.stringify({ accounts }, null, 0));
  }
  return accounts.slice(0, count);
}
