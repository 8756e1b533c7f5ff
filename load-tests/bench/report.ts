/** The benchmark's printed table, JSON result and HTML page. */
import type { MachineInfo } from '../report/machine.ts';
import { PAGE_STYLE, esc, table } from '../report/svg.ts';
import type { BooksReport } from '../check/books-report.ts';
import type { EchoThroughputResult, ThroughputResult } from './throughput.ts';
import type { EchoFanoutResult, FanoutResult, ShapeResult } from './fanout.ts';
import { cpuText } from './cpu.ts';
import { cpuChart, distributionChart, kneeChart, levelName } from './charts.ts';
import type { WalletBenchResult } from './wallet-bench.ts';
import type { HotSpot } from './profile.ts';

export interface BenchResult {
  kind: 'benchmark';
  startedAt: string;
  durationS: number;
  machine: MachineInfo;
  wallet: WalletBenchResult;
  throughput: { ours: ThroughputResult; echo: EchoThroughputResult; books: BooksReport };
  fanout: { ours: FanoutResult; echo: EchoFanoutResult; market: FanoutResult & { events: number } };
  profile: HotSpot[] | null;
  notes: string[];
}

const f = (n: number | null | undefined, d = 0) => (n === null || n === undefined ? '–' : (Math.round(n * 10 ** d) / 10 ** d).toLocaleString('en-US'));
const shape = (r: BenchResult, name: string): ShapeResult | undefined => r.fanout.echo.shapes?.find((s) => s.name === name);
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? (a / b).toFixed(2) : '–');

/** [figure, ours, reference, ratio, target] */
export function figureRows(r: BenchResult): string[][] {
  const t = r.throughput;
  const o = r.fanout.ours;
  const e = r.fanout.echo;
  const m = r.fanout.market;
  const et = shape(r, 'tables');
  const ee = shape(r, 'events');
  return [
    ['bet throughput, durable wallet debit (max acked bets/s)', f(t.ours.maxAckedPerSecond), f(t.echo.ackedPerSecond), ratio(t.ours.maxAckedPerSecond, t.echo.ackedPerSecond), '≥ 10,000/s; ratio ≥ 0.3'],
    [`p99 bet-ack at the highest sustained load, ${f(t.ours.sustained?.ackedPerSecond)} acked/s (ms)`, f(t.ours.sustained?.betAck?.p99Ms, 1), f(t.echo.betAck?.p99Ms, 1), ratio(t.ours.sustained?.betAck?.p99Ms, t.echo.betAck?.p99Ms), '≤ 25 ms'],
    [`connections held by one process (of ${f(o.targetConnections)})`, f(o.heldConnections), f(e.heldConnections), ratio(o.heldConnections, e.heldConnections), '≥ 20,000'],
    ['RSS at those connections (MB)', f(o.rssAtPeakMB), f(e.rssAtPeakMB), ratio(o.rssAtPeakMB, e.rssAtPeakMB), '≤ 1,536 MB'],
    [`price change → receipt p99, ${f(m.botConnectionsPeak)} viewers over ${m.events} live events (ms; reference: rooms of ${ee?.group ?? '?'}, ${ee?.bytes ?? '?'} B)`, f(m.broadcast?.p99Ms, 1), f(ee?.broadcast?.p99Ms, 1), ratio(m.broadcast?.p99Ms, ee?.broadcast?.p99Ms), '≤ 50 ms'],
    [`table phase change → receipt p99 at ${f(Math.min(o.targetConnections, 10_000))} subscribers (ms; reference: rooms of ${et?.group ?? '?'}, ${et?.bytes ?? '?'} B)`, f(o.broadcast?.p99Ms, 1), f(et?.broadcast?.p99Ms, 1), ratio(o.broadcast?.p99Ms, et?.broadcast?.p99Ms), '(same fan-out, tables)'],
    [`reference only: one burst to all ${f(Math.min(o.targetConnections, 10_000))} subscribers at once, p99 (ms)`, '–', f(e.broadcast?.p99Ms, 1), '–', '(tables in step: the worst case)'],
    ['wallet transfers/s (batched, durable) vs raw batched inserts/s', f(r.wallet.walletTransfersPerSecond), f(r.wallet.rawInsertsPerSecond), r.wallet.ratio.toFixed(2), 'ratio ≥ 0.5'],
  ];
}

export function benchText(r: BenchResult): string {
  const rows = figureRows(r);
  const head = ['figure', 'ours', 'reference', 'ratio', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ''];
  out.push('bet throughput by offered load (ours):');
  for (const l of r.throughput.ours.levels) out.push(`  offered ${f(l.offeredPerSecond).padStart(6)}/s → acked ${f(l.ackedPerSecond).padStart(6)}/s, ack p50 ${f(l.betAck?.p50Ms, 1)} p99 ${f(l.betAck?.p99Ms, 1)} p99.9 ${f(l.betAck?.p999Ms, 1)} ms, cpu ${cpuText(l.cpu)}`);
  out.push(`books after the throughput run: ${r.throughput.books.passed ? 'ok' : 'FAILED'} (${Object.entries(r.throughput.books.stats).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  for (const p of r.throughput.books.problems.slice(0, 5)) out.push(`  - ${p}`);
  out.push(`join latency p50/p99 (ms): ours ${f(r.fanout.ours.join?.p50Ms, 1)}/${f(r.fanout.ours.join?.p99Ms, 1)}, echo ${f(r.fanout.echo.join?.p50Ms, 1)}/${f(r.fanout.echo.join?.p99Ms, 1)}; join failures ours ${r.fanout.ours.joinFailures}, echo ${r.fanout.echo.joinFailures}`);
  const codes = (c: Record<string, number>) => Object.entries(c).filter(([k]) => k !== 'client/backlogged').map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  out.push(`outcomes by code: bets ${codes(r.throughput.ours.codes)}; tables fan-out ${codes(r.fanout.ours.codes)}; markets ${codes(r.fanout.market.codes)}`);
  out.push(`echo throughput: cpu ${cpuText(r.throughput.echo.cpu)}`);
  out.push(`CPU while the broadcast was measured (% of a core): tables ${cpuText(r.fanout.ours.cpu)}; markets ${cpuText(r.fanout.market.cpu)}; reference all at once ${cpuText(r.fanout.echo.cpu)}`);
  for (const sh of r.fanout.echo.shapes ?? []) out.push(`  reference in rooms of ${sh.group} (${sh.name}, ${sh.bytes} B): p50/p99/max ${f(sh.broadcast?.p50Ms, 1)}/${f(sh.broadcast?.p99Ms, 1)}/${f(sh.broadcast?.maxMs, 1)} ms, cpu ${cpuText(sh.cpu)}`);
  out.push(`state patch sizes received (mean bytes): tables ${r.fanout.ours.patchBytes ?? '–'}, events ${r.fanout.market.patchBytes ?? '–'}`);
  out.push(`price receipt p50/p95/p99.9 (ms): ${f(r.fanout.market.broadcast?.p50Ms, 1)}/${f(r.fanout.market.broadcast?.p95Ms, 1)}/${f(r.fanout.market.broadcast?.p999Ms, 1)} (${f(r.fanout.market.broadcast?.count)} receipts; echo p50 ${f(r.fanout.echo.broadcast?.p50Ms, 1)}); market join failures ${r.fanout.market.joinFailures}`);
  out.push(`bot processes' RSS peak: ${f(r.fanout.ours.botRssPeakMB)} MB for ${f(r.fanout.ours.botConnectionsPeak)} lean connections (ours), ${f(r.fanout.echo.botRssPeakMB)} MB (echo)`);
  if (r.profile) {
    out.push('server hot spots (self time, --cpu-prof over the whole run):');
    for (const h of r.profile.slice(0, 15)) out.push(`  ${h.pct.toFixed(1).padStart(5)}%  ${h.fn}`);
  }
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}

function fanRows(r: BenchResult): Array<Array<string | number>> {
  const row = (what: string, b: FanoutResult['broadcast'], cpu: FanoutResult['cpu']) => [what, f(b?.count), f(b?.p50Ms, 1), f(b?.p99Ms, 1), f(b?.p999Ms, 1), f(b?.maxMs, 1), cpuText(cpu)];
  return [
    row(`tables, ours (${r.fanout.ours.patchBytes ?? '?'} B patches)`, r.fanout.ours.broadcast, r.fanout.ours.cpu),
    row(`events, ours (${r.fanout.market.patchBytes ?? '?'} B patches)`, r.fanout.market.broadcast, r.fanout.market.cpu),
    row('reference: all subscribers at once', r.fanout.echo.broadcast, r.fanout.echo.cpu),
    ...(r.fanout.echo.shapes ?? []).map((sh) => row(`reference: rooms of ${sh.group} (${sh.name}, ${sh.bytes} B)`, sh.broadcast, sh.cpu)),
  ];
}

export function benchHtml(r: BenchResult): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Benchmark ${esc(r.startedAt)}</title><style>${PAGE_STYLE}</style></head><body>
<h1>Benchmark ${esc(r.startedAt)}</h1>
<p>${r.machine.cpus} × ${esc(r.machine.cpuModel)}, ${r.machine.memoryGB} GB, ${esc(r.machine.platform)}, Node ${esc(r.machine.node)}, open-files limit ${r.machine.openFilesLimit ?? '?'}; took ${Math.round(r.durationS)} s.</p>
${table(['figure', 'ours', 'reference (bare ws echo / raw SQLite)', 'ratio', 'target'], figureRows(r))}
<h2>Bet throughput by offered load</h2>
${table(['offered/s', 'acked/s', 'ack p50 ms', 'p90', 'p99', 'p99.9', 'max', 'server CPU %', 'main thread', 'writer thread', 'other threads', 'writer busy', 'main waits for a core', 'writer waits for a core', 'bots CPU %'], r.throughput.ours.levels.map((l) => [f(l.offeredPerSecond), f(l.ackedPerSecond), f(l.betAck?.p50Ms, 1), f(l.betAck?.p90Ms, 1), f(l.betAck?.p99Ms, 1), f(l.betAck?.p999Ms, 1), f(l.betAck?.maxMs, 1), l.cpu.serverPct, f(l.cpu.mainPct), f(l.cpu.writerPct), f(l.cpu.otherPct), l.cpu.writerBusyPct, f(l.cpu.mainQueuedPct), f(l.cpu.writerQueuedPct), l.cpu.botsPct]))}
<p>% of one core, mean over the level. Writer busy: the writer thread's event-loop utilisation (/metrics), fsync waits included. Waits for a core: runnable with no core free (schedstat run-queue wait) — time the machine, not the thread, was the limit.</p>
${kneeChart(r.throughput.ours.levels)}
${distributionChart('Bet-ack latency distribution per offered load (ours; the echo reference closed-loop)', [...r.throughput.ours.levels.map((l) => ({ name: levelName(l), curve: l.curve })), { name: 'echo', curve: r.throughput.echo.curve ?? [] }])}
${cpuChart('CPU per offered load (% of one core)', [...r.throughput.ours.levels.map((l) => ({ name: levelName(l), cpu: l.cpu })), { name: 'echo', cpu: r.throughput.echo.cpu }], r.machine.cpus)}
<h2>Fan-out: ours against the plain ws reference</h2>
${table(['what', 'receipts', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'CPU'], fanRows(r))}
${distributionChart('Broadcast receipt latency distribution', [{ name: 'tables (ours)', curve: r.fanout.ours.curve ?? [] }, { name: 'events (ours)', curve: r.fanout.market.curve ?? [] }, { name: 'ref: all at once', curve: r.fanout.echo.curve ?? [] }, ...(r.fanout.echo.shapes ?? []).map((sh) => ({ name: `ref: rooms of ${sh.group}`, curve: sh.curve }))])}
${cpuChart('CPU while the broadcast was measured (% of one core)', [{ name: 'tables', cpu: r.fanout.ours.cpu }, { name: 'events', cpu: r.fanout.market.cpu }, { name: 'ref all', cpu: r.fanout.echo.cpu }, ...(r.fanout.echo.shapes ?? []).map((sh) => ({ name: `ref ${sh.name}`, cpu: sh.cpu }))], r.machine.cpus)}
<h2>Books after the throughput run</h2>
${table(['check', 'result'], r.throughput.books.checks.map((c) => [c.name, c.ok ? 'ok' : `FAILED (${c.failures})`]))}
${r.profile ? `<h2>Server hot spots</h2>${table(['self %', 'function'], r.profile.map((h) => [h.pct, h.fn]))}` : ''}
${r.notes.map((n) => `<p>${esc(n)}</p>`).join('')}
</body></html>`;
}
