/**
 * What one ledger op costs the machine, in figures that other load on a shared box disturbs
 * less than a rate: bytes written (`/proc/self/io` wchar: WAL, checkpoints) and process CPU
 * (both threads) per transfer or per bet, for a fixed amount of work (docs/BENCHMARKS.md,
 * "Ledger row cost").
 *
 *   npx tsx load-tests/bench/ledger-cost.ts transfers [count=100000] [historyChunk]
 *   npx tsx load-tests/bench/ledger-cost.ts bets [count=30000] [historyChunk]
 *
 * `transfers`: single-op `apply` calls between 1,000 funded players, 2,000 in flight (the wallet
 * bench's load). `bets`: per bet a reserve (waited on), then in the bulk lane its capture to the
 * house and, for one bet in three, a payout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../server/store/types.ts';

const mode = process.argv[2] === 'bets' ? 'bets' : 'transfers';
const count = Number(process.argv[3] ?? (mode === 'bets' ? 30_000 : 100_000));
const historyChunk = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const IN_FLIGHT = 2_000;

const written = () => Number(/^wchar: (\d+)/m.exec(fs.readFileSync('/proc/self/io', 'utf8'))![1]);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-ledger-cost-'));
const store = await openSqliteStore({ path: path.join(dir, 'ledger.sqlite'), historyChunk });
try {
  const players = Array.from({ length: 1000 }, (_, i) => `player:p${i}`);
  for (const id of players) await store.wallet.ensureAccount(id, 'player', 'EUR');
  await store.wallet.apply(players.map((id, i): WalletOp => ({ type: 'transfer', key: `fund:${i}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: id, amountMinor: 1_000_000_000, kind: 'deposit' })));
  await store.wallet.apply([{ type: 'transfer', key: 'fund:house', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 1_000_000_000_000, kind: 'funding' }]);
  const ok = ([outcome]: Array<{ ok: boolean }>) => {
    if (!outcome!.ok) throw new Error('ledger-cost: an op was refused');
  };
  const settlements: Promise<unknown>[] = [];
  const one = async (i: number) => {
    if (mode === 'transfers') {
      ok(await store.wallet.apply([{ type: 'transfer', key: `t:${i}`, fromAccountId: players[i % 1000]!, toAccountId: players[(i * 7 + 1) % 1000]!, amountMinor: 1 + (i % 100), kind: 'adjustment' }]));
      return;
    }
    const player = players[(i * 13) % 1000]!;
    ok(await store.wallet.apply([{ type: 'reserve', key: `hold:b${i}`, accountId: player, amountMinor: 100 }]));
    const capture: WalletOp = { type: 'capture', key: `cap:b${i}`, holdId: `hold:b${i}`, toAccountId: SYSTEM_ACCOUNTS.house };
    const payout: WalletOp = { type: 'transfer', key: `pay:b${i}`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: player, amountMinor: 200, kind: 'payout' };
    settlements.push(store.wallet.apply(i % 3 === 0 ? [capture, payout] : [capture], { bulk: true }).then(ok));
  };
  let next = 0;
  const bytes0 = written();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < count) await one(next++);
  }));
  await Promise.all(settlements);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const bytes = written() - bytes0;
  if (!(await store.wallet.reconcile()).ok) throw new Error('ledger-cost: the books do not reconcile');
  const unit = mode === 'bets' ? 'bet' : 'transfer';
  console.log(
    `${count} ${unit}s (historyChunk ${historyChunk ?? 'default'}): ${Math.round((count / ms) * 1000)}/s, ` +
      `CPU ${((cpu.user + cpu.system) / count).toFixed(1)} µs/${unit} (user ${(cpu.user / count).toFixed(1)}, sys ${(cpu.system / count).toFixed(1)}), ` +
      `${Math.round(bytes / count)} bytes written/${unit}, load ${os.loadavg()[0]!.toFixed(2)}`,
  );
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
