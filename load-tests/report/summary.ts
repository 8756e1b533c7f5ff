/** The plain-text summary printed at the end of a load run. */
import type { RunResult } from './result.ts';

const n = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '–' : (Math.round(v * 10 ** d) / 10 ** d).toLocaleString('en-US'));

export function summaryText(r: RunResult, dir: string): string {
  const lines: string[] = [];
  const t = r.totals;
  lines.push(`${r.scenario.name}: ${r.passed ? 'PASSED' : 'FAILED'}${r.failures.length ? ` (${r.failures.join('; ')})` : ''}`);
  lines.push(`  bets acked ${t.counters.betsAcked} (${n(t.betsAckedPerSecond)}/s after ramp, peak ${t.peakBetsAckedPerSecond}/s), rejected ${t.counters.betsRejected}, request errors ${t.counters.requestErrors}`);
  lines.push(`  connections peak ${t.peakConnections}; joins ${t.counters.joins} (failed ${t.counters.joinFailures}), drops ${t.counters.drops}, reconnects ${t.counters.reconnects} (failed ${t.counters.reconnectFailures}), leaves ${t.counters.leaves}`);
  lines.push(`  messages in ${n(t.messagesInPerSecond)}/s, out ${n(t.messagesOutPerSecond)}/s`);
  lines.push('  latency ms            count      p50      p95      p99    p99.9      max');
  for (const [name, l] of Object.entries(t.latency)) {
    lines.push(`  ${name.padEnd(14)} ${String(l.count).padStart(12)} ${n(l.p50Ms, 2).padStart(8)} ${n(l.p95Ms, 2).padStart(8)} ${n(l.p99Ms, 2).padStart(8)} ${n(l.p999Ms, 2).padStart(8)} ${n(l.maxMs, 2).padStart(8)}`);
  }
  if (r.server) {
    const s = r.server;
    lines.push(`  server: cpu mean ${n(s.cpuPctMean)}% max ${n(s.cpuPctMax)}%, rss peak ${n(s.rssPeakMB)} MB, event-loop p99 max ${n(s.eventLoopP99MaxMs)} ms, rooms ${s.roomsMax}, clients max ${s.clientsMax}, server-side bet-ack p99 ${n(s.betAckP99Ms, 2)} ms`);
  }
  lines.push(`  bots: ${r.bots.processes} process(es), cpu mean ${r.bots.cpuPctMean}%, rss peak ${r.bots.rssPeakMB} MB`);
  const codes = Object.entries(t.codes);
  if (codes.length) lines.push(`  outcomes by code: ${codes.map(([c, k]) => `${c} ${k}`).join(', ')}`);
  lines.push(`  books (${r.books.mode}): ${r.books.passed ? 'ok' : 'FAILED'} — ${Object.entries(r.books.stats).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const c of r.books.checks) if (!c.ok) lines.push(`    ✗ ${c.name} (${c.failures})`);
  for (const p of r.books.problems.slice(0, 10)) lines.push(`    - ${p}`);
  for (const note of r.books.notes) lines.push(`    note: ${note}`);
  lines.push(`  report: ${dir}/report.html`);
  return lines.join('\n');
}
