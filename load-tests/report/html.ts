/** The self-contained HTML report of a load run (inline SVG charts, no external assets). */
import type { RunResult } from './result.ts';
import { PAGE_STYLE, esc, lineChart, table } from './svg.ts';

const n = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '–' : (Math.round(v * 10 ** d) / 10 ** d).toLocaleString('en-US'));

export function renderRunHtml(r: RunResult): string {
  const s = r.series;
  const pts = (f: (p: (typeof s)[number]) => number | undefined) => s.flatMap((p) => { const v = f(p); return v === undefined ? [] : [[p.t, v] as [number, number]]; });
  const charts = [
    lineChart('Throughput', 'per second', [
      { name: 'bets sent', color: '#90caf9', points: pts((p) => p.counters.betsSent) },
      { name: 'bets acked', color: '#1565c0', points: pts((p) => p.counters.betsAcked) },
      { name: 'bets rejected', color: '#e53935', points: pts((p) => p.counters.betsRejected) },
    ]),
    lineChart('Bet acknowledgement latency', 'ms', [
      { name: 'p50', color: '#2e7d32', points: pts((p) => p.latency.betAck?.p50Ms) },
      { name: 'p99', color: '#c62828', points: pts((p) => p.latency.betAck?.p99Ms) },
    ]),
    lineChart('Broadcast receipt and join latency', 'ms', [
      { name: 'broadcast p99', color: '#6a1b9a', points: pts((p) => p.latency.broadcast?.p99Ms) },
      { name: 'join p99', color: '#ef6c00', points: pts((p) => p.latency.join?.p99Ms) },
    ]),
    lineChart('Connections', 'open', [{ name: 'bot connections', color: '#00838f', points: pts((p) => p.connections) }, { name: 'server clients', color: '#8d6e63', points: pts((p) => p.server?.clients) }]),
    lineChart('Server process', '% CPU / MB / ms', [
      { name: 'CPU %', color: '#d84315', points: pts((p) => p.server?.cpuPct) },
      { name: 'RSS MB', color: '#283593', points: pts((p) => p.server?.rssMB) },
      { name: 'event loop p99 ms', color: '#558b2f', points: pts((p) => p.server?.eventLoopP99Ms) },
    ]),
  ];
  const lat = Object.entries(r.totals.latency).map(([name, l]) => [name, l.count, n(l.p50Ms, 2), n(l.p95Ms, 2), n(l.p99Ms, 2), n(l.p999Ms, 2), n(l.maxMs, 2)]);
  const codes = Object.entries(r.totals.codes).sort((a, b) => b[1] - a[1]);
  const srv = r.server;
  const verdict = r.passed ? '<b class="pass">PASSED</b>' : `<b class="fail">FAILED</b>: ${esc(r.failures.join('; '))}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Load run ${esc(r.scenario.name)} ${esc(r.startedAt)}</title><style>${PAGE_STYLE}</style></head><body>
<h1>Load run: ${esc(r.scenario.name)}</h1>
<p>${esc(r.scenario.description)}</p>
<p>Target ${esc(r.target.url)} · ${esc(r.startedAt)} → ${esc(r.endedAt)} · run tag <code>${esc(r.runTag)}</code> · ${verdict}</p>
<p>Machine: ${r.machine.cpus} × ${esc(r.machine.cpuModel)}, ${r.machine.memoryGB} GB, Node ${esc(r.machine.node)}</p>
<h2>Figures</h2>
${table(['figure', 'value'], [
  ['bets acknowledged', r.totals.counters.betsAcked],
  ['acked bets/s (after ramp-up)', n(r.totals.betsAckedPerSecond)],
  ['peak acked bets/s', r.totals.peakBetsAckedPerSecond],
  ['messages in/s · out/s', `${n(r.totals.messagesInPerSecond)} · ${n(r.totals.messagesOutPerSecond)}`],
  ['peak connections', r.totals.peakConnections],
  ['joins · drops · reconnects · leaves', `${r.totals.counters.joins} · ${r.totals.counters.drops} · ${r.totals.counters.reconnects} · ${r.totals.counters.leaves}`],
  ['server CPU mean · max %', srv ? `${n(srv.cpuPctMean)} · ${n(srv.cpuPctMax)}` : '–'],
  ['server RSS peak · end MB', srv ? `${n(srv.rssPeakMB)} · ${n(srv.rssEndMB)}` : '–'],
  ['server event-loop p99 max ms', srv ? n(srv.eventLoopP99MaxMs) : '–'],
  ['server rooms · clients max', srv ? `${srv.roomsMax} · ${srv.clientsMax}` : '–'],
  ['server-side bet-ack p99 ms (bucketed)', srv ? n(srv.betAckP99Ms, 2) : '–'],
  ['bot processes · CPU mean % · RSS peak MB', `${r.bots.processes} · ${n(r.bots.cpuPctMean)} · ${n(r.bots.rssPeakMB)}`],
])}
<h2>Latency (client side, ms)</h2>
${table(['latency', 'count', 'p50', 'p95', 'p99', 'p99.9', 'max'], lat)}
${charts.join('\n')}
<h2>Outcomes by code</h2>
${codes.length ? table(['code', 'count'], codes) : '<p>none</p>'}
<h2>Books (${esc(r.books.mode)})</h2>
${table(['check', 'result', 'failures'], r.books.checks.map((c) => [c.name, c.ok ? 'ok' : 'FAILED', c.failures]))}
${table(['stat', 'value'], Object.entries(r.books.stats))}
${r.books.problems.length ? `<h3>Problems</h3><ul>${r.books.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : ''}
${r.books.notes.map((x) => `<p>${esc(x)}</p>`).join('')}
${r.books.reconciliation ? `<p>Reconciliation: sum of balances ${r.books.reconciliation.sumOfBalancesMinor}, escrow ${r.books.reconciliation.escrowBalanceMinor}, open holds ${r.books.reconciliation.openHoldsMinor} (${r.books.reconciliation.openHoldCount}), ${r.books.reconciliation.transferCount} transfers over ${r.books.reconciliation.accountCount} accounts.</p>` : ''}
</body></html>`;
}
