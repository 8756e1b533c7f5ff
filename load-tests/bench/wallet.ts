/**
 * The wallet figure alone: `npx tsx load-tests/bench/wallet.ts [seconds=8] [runs=3]`. Prints one
 * line per run (raw inserts/s, wallet transfers/s, ratio) and the load average, so A/B runs of
 * the ledger can be compared under the same conditions.
 */
import os from 'node:os';
import { benchWallet } from './wallet-bench.ts';

const seconds = Number(process.argv[2] ?? 8);
const runs = Number(process.argv[3] ?? 3);
for (let i = 0; i < runs; i++) {
  const r = await benchWallet(seconds);
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`run ${i + 1}: raw ${r.rawInsertsPerSecond}/s, wallet ${r.walletTransfersPerSecond}/s, ratio ${r.ratio} (batch ${r.batchOps}, ${r.seconds} s, load ${load})`);
}
