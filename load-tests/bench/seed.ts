/**
 * Players for the benchmark, written straight into a fresh data directory before the server
 * starts, with tokens signed by the server's secret. Registering 20,000 players over HTTP would
 * spend minutes in scrypt and the sign-up rate limit, measuring neither. Each player still has
 * a real user row, a real wallet account and a real sign-up credit through the ledger.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { WalletService } from '../../server/wallet/service.ts';
import { TokenSigner } from '../../server/auth/tokens.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { loadConfig } from '../../server/config.ts';
import { BOT_PASSWORD } from '../bots/accounts.ts';
import type { Account } from '../bots/context.ts';

export async function seedPlayers(dataDir: string, env: Record<string, string>, count: number): Promise<Account[]> {
  const config = loadConfig({ ...env, DATA_DIR: dataDir });
  fs.mkdirSync(dataDir, { recursive: true });
  const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite'), currency: config.currency });
  try {
    const wallet = new WalletService(store.wallet, config.currency);
    await wallet.bootstrap({ houseFloatMinor: config.houseFloatMinor, promotionsBudgetMinor: config.promotionsBudgetMinor });
    const tokens = new TokenSigner(config.tokenSecret, config.tokenTtlSeconds);
    const passwordHash = await hashPassword(BOT_PASSWORD);
    const accounts: Account[] = [];
    const now = Date.now();
    for (let from = 0; from < count; from += 500) {
      const batch = Array.from({ length: Math.min(500, count - from) }, (_, i) => {
        const n = from + i;
        return { id: `bench${n.toString(36).padStart(4, '0')}`, username: `bench_${n}`, passwordHash, role: 'player' as const, status: 'active' as const, createdAt: now };
      });
      await Promise.all(batch.map((u) => store.users.create(u)));
      await Promise.all(batch.map((u) => wallet.openPlayerAccount(u.id, config.demoBalanceMinor)));
      for (const u of batch) accounts.push({ userId: u.id, username: u.username, token: tokens.sign(u) });
    }
    return accounts;
  } finally {
    await store.close();
  }
}
