/** The cluster benchmark's printed summary and HTML page (`npm run bench -- --cluster`). */
import { PAGE_STYLE, esc, table } from '../report/svg.ts';
import { PALETTE, xyChart } from '../report/charts.ts';
import type { ClusterResult } from './cluster.ts';
import { cpuText } from './cpu.ts';
import { cpuChart, levelName } from './charts.ts';

const f = (n: number | null | undefined, d = 0) => (n === null || n === undefined ? '–' : (Math.round(n * 10 ** d) / 10 ** d).toLocaleString('en-US'));

export function clusterText(r: ClusterResult): string {
  const out: string[] = [];
  const c = r.connections;
  if (c) {
    out.push(`connections held by ${c.processes} processes: ${f(c.held)} of ${f(c.target)} (per process at its peak: ${c.perProcess.map((p) => `${f(p.clients)} clients / ${f(p.rssMB)} MB`).join(', ')})`);
    out.push(`  ${c.botProcesses} bot processes, bots' RSS peak ${f(c.botRssPeakMB)} MB; join failures ${c.joinFailures}, join p99 ${f(c.joinP99Ms, 1)} ms; cpu while held ${cpuText(c.cpu)}`);
    const codes = Object.entries(c.codes).map(([k, v]) => `${k} ${v}`).join(', ');
    if (codes) out.push(`  outcomes by code: ${codes}`);
  }
  const one = r.bets.find((b) => b.processes === 1);
  for (const b of r.bets) {
    const gain = one && b !== one ? ` (${(b.ours.maxAckedPerSecond / Math.max(1, one.ours.maxAckedPerSecond)).toFixed(2)}× one process)` : '';
    out.push(`bets, ${b.processes} process${b.processes > 1 ? 'es' : ''}: max ${f(b.ours.maxAckedPerSecond)} acked/s${gain}; books ${b.books.passed ? 'ok' : 'FAILED'}`);
    for (const l of b.ours.levels) out.push(`  offered ${f(l.offeredPerSecond).padStart(6)}/s → acked ${f(l.ackedPerSecond).padStart(6)}/s, ack p50 ${f(l.betAck?.p50Ms, 1)} p99 ${f(l.betAck?.p99Ms, 1)} max ${f(l.betAck?.maxMs, 1)} ms, cpu ${cpuText(l.cpu)}`);
    for (const p of b.books.problems.slice(0, 5)) out.push(`  - ${p}`);
  }
  return out.join('\n');
}

export function clusterHtml(r: ClusterResult, cores: number, note: string): string {
  const c = r.connections;
  const conn = c
    ? `<h2>Connections held by ${c.processes} processes</h2>
${table(['held together', 'asked', 'per process at its peak (clients / RSS MB)', 'bot processes', 'join failures', 'join p99 ms', 'CPU while held'], [[f(c.held), f(c.target), c.perProcess.map((p) => `${f(p.clients)} / ${f(p.rssMB)}`).join(', '), c.botProcesses, c.joinFailures, f(c.joinP99Ms, 1), cpuText(c.cpu)]])}`
    : '';
  const bets = r.bets.length
    ? `<h2>Bets: one process against two</h2>
${table(['processes', 'offered/s', 'acked/s', 'ack p50 ms', 'p99', 'max', 'CPU'], r.bets.flatMap((b) => b.ours.levels.map((l) => [b.processes, f(l.offeredPerSecond), f(l.ackedPerSecond), f(l.betAck?.p50Ms, 1), f(l.betAck?.p99Ms, 1), f(l.betAck?.maxMs, 1), cpuText(l.cpu)])))}
${xyChart({ title: 'Acked bets/s against offered load', xLabel: 'offered bets/s', yLabel: 'acked bets/s', x: 'linear', y: 'linear', series: r.bets.map((b, i) => ({ name: `${b.processes} process${b.processes > 1 ? 'es' : ''}`, color: PALETTE[i]!, points: b.ours.levels.map((l) => [l.offeredPerSecond, l.ackedPerSecond]) })) })}
${xyChart({ title: 'Bet-ack p99 against offered load', xLabel: 'offered bets/s', yLabel: 'ms (log)', x: 'linear', y: 'log', series: r.bets.map((b, i) => ({ name: `${b.processes} process${b.processes > 1 ? 'es' : ''}`, color: PALETTE[i]!, points: b.ours.levels.filter((l) => l.betAck?.count).map((l) => [l.offeredPerSecond, l.betAck!.p99Ms]) })) })}
${r.bets.map((b) => cpuChart(`CPU per offered load, ${b.processes} process${b.processes > 1 ? 'es' : ''} (% of one core)`, b.ours.levels.map((l) => ({ name: levelName(l), cpu: l.cpu })), cores)).join('')}`
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Cluster benchmark ${esc(r.startedAt)}</title><style>${PAGE_STYLE}</style></head><body>
<h1>Cluster benchmark ${esc(r.startedAt)}</h1>
<p>Redis prefix ${esc(r.redisPrefix)} (deleted afterwards). ${esc(note)}.</p>
${conn}${bets}
</body></html>`;
}
