/**
 * The crash statistical check at full size (docs/FAIRNESS.md, crash):
 *   npx tsx scripts/crash-stats.ts [samples=1000000] [seed-text]
 * Prints the KS distance against P(crash ≥ x) = 0.99/x and the RTP of fixed targets; exit 1 when a check fails.
 */
import { createHash } from 'node:crypto';
import { formatMultiplier } from '../actors/crash/index.ts';
import { crashStatistics } from './lib/crash-stats.ts';

const samples = Number(process.argv[2] ?? 1_000_000);
if (!Number.isSafeInteger(samples) || samples < 100 || samples > 50_000_000) {
  console.error('samples must be an integer in 100..50,000,000');
  process.exit(1);
}
const seedText = process.argv[3] ?? 'crash statistics seed';
const seed = createHash('sha256').update(seedText).digest('hex');
const started = Date.now();
const s = crashStatistics(seed, samples, 'casino-live-crash-v1', [101, 150, 200, 300, 500, 1000, 2000, 10000]);
console.log(`samples            : ${s.samples.toLocaleString('en')} (chain seed = SHA-256("${seedText}"), salt casino-live-crash-v1, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`KS D               : ${s.ksD.toFixed(6)} (99% critical ${s.ksCritical99.toFixed(6)}) ${s.ksPasses ? 'PASS' : 'FAIL'}`);
console.log(`instant crashes    : ${(s.instantShare * 100).toFixed(3)}% (documented 1%)`);
console.log(`published 1.00×    : ${(s.shareAt100 * 100).toFixed(3)}% (documented 1 − 0.99/1.01 = 1.980%)`);
console.log(`median / max       : ${formatMultiplier(s.median)}× / ${formatMultiplier(s.max)}×`);
for (const r of s.returns) {
  console.log(`RTP target ${formatMultiplier(r.targetCents).padStart(6)}× : ${(r.rtp * 100).toFixed(3)}% ± ${(r.zCritical * r.standardError * 100).toFixed(3)} (99% family-wise CI, ${r.zCritical.toFixed(3)} SE), SE ${(r.standardError * 100).toFixed(3)}, z = ${r.z.toFixed(2)} ${r.withinCi99 ? 'PASS' : 'FAIL'}`);
}
const ok = s.ksPasses && s.returns.every((r) => r.withinCi99);
console.log(ok ? 'RESULT: PASS' : 'RESULT: FAIL');
process.exitCode = ok ? 0 : 1;
