/** The benchmark report's pictures: the knee of bet-ack latency, its distribution per load level, and where the CPU went. */
import { PALETTE, stackedBars, xyChart, type Series } from '../report/charts.ts';
import type { CpuShare } from './cpu.ts';
import type { LevelResult } from './throughput.ts';

const k = (n: number) => (n >= 1000 ? `${Math.round(n / 100) / 10}k` : String(n));

/** Ack latency percentiles against offered load: where the curve bends is the knee. */
export function kneeChart(levels: LevelResult[]): string {
  const pick = (name: string, color: string, get: (l: LevelResult) => number | undefined): Series => ({
    name, color, points: levels.filter((l) => l.betAck && l.betAck.count > 0).map((l) => [l.offeredPerSecond, get(l) ?? Number.NaN]),
  });
  return xyChart({
    title: 'Bet-ack latency against offered load (ours)', xLabel: 'offered bets/s', yLabel: 'ms (log)', x: 'linear', y: 'log',
    series: [pick('p50', PALETTE[0]!, (l) => l.betAck?.p50Ms), pick('p90', PALETTE[1]!, (l) => l.betAck?.p90Ms), pick('p99', PALETTE[3]!, (l) => l.betAck?.p99Ms), pick('max', PALETTE[7]!, (l) => l.betAck?.maxMs)],
  });
}

/** The HDR distribution of each level's bet-ack latency (and of named references beside them). */
export function distributionChart(title: string, curves: Array<{ name: string; curve: Array<[number, number]> }>): string {
  return xyChart({
    title, xLabel: 'percentile', yLabel: 'ms (log)', x: 'nines', y: 'log',
    series: curves.map((c, i) => ({ name: c.name, color: PALETTE[i % PALETTE.length]!, points: c.curve })),
  });
}

/** CPU of the server's threads and of the bots per level, against what the machine has. */
export function cpuChart(title: string, rows: Array<{ name: string; cpu: CpuShare }>, cores: number): string {
  const threads = rows.some((r) => r.cpu.mainPct !== null);
  const stacks = threads
    ? [
        { name: 'server main thread', color: PALETTE[0]!, values: rows.map((r) => r.cpu.mainPct) },
        { name: 'store writer thread', color: PALETTE[1]!, values: rows.map((r) => r.cpu.writerPct) },
        { name: 'server other threads', color: PALETTE[7]!, values: rows.map((r) => r.cpu.otherPct) },
        { name: 'bots', color: PALETTE[2]!, values: rows.map((r) => r.cpu.botsPct) },
      ]
    : [
        { name: 'server', color: PALETTE[0]!, values: rows.map((r) => r.cpu.serverPct) },
        { name: 'bots', color: PALETTE[2]!, values: rows.map((r) => r.cpu.botsPct) },
      ];
  return stackedBars({ title, yLabel: '% of one core', categories: rows.map((r) => r.name), stacks, limit: { value: cores * 100, label: `${cores} cores` } });
}

export function levelName(l: LevelResult): string {
  return `${k(l.offeredPerSecond)}/s`;
}
