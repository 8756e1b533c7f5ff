/** The JSON result of a load run: figures, time series, the books verdict and pass/fail. */
import type { BooksReport } from '../check/books-report.ts';
import type { CounterName } from '../metrics/recorder.ts';
import type { LatencySummary } from '../metrics/histogram.ts';
import { bucketPercentileMs, type ServerSample } from '../metrics/prometheus.ts';
import type { Aggregator, SeriesPoint } from '../run/aggregate.ts';
import type { Scenario } from '../scenarios/types.ts';
import type { MachineInfo } from './machine.ts';

export interface ServerSummary {
  cpuPctMean: number;
  cpuPctMax: number;
  rssPeakMB: number;
  rssEndMB: number;
  eventLoopP99MaxMs: number;
  roomsMax: number;
  clientsMax: number;
  betsAccepted: number;
  /** From the server's own (bucketed) bet-ack histogram over the run. */
  betAckP99Ms: number | null;
}

export interface RunResult {
  kind: 'load-run';
  scenario: Pick<Scenario, 'name' | 'description' | 'durationS' | 'rampUpS' | 'workers' | 'groups' | 'rateProfile'>;
  target: { url: string; dataDir: string | null };
  runTag: string;
  startedAt: string;
  endedAt: string;
  machine: MachineInfo;
  totals: {
    counters: Record<CounterName, number>;
    codes: Record<string, number>;
    latency: Record<string, LatencySummary>;
    betsAckedPerSecond: number;
    peakBetsAckedPerSecond: number;
    messagesInPerSecond: number;
    messagesOutPerSecond: number;
    peakConnections: number;
  };
  server: ServerSummary | null;
  bots: { processes: number; cpuPctMean: number; rssPeakMB: number };
  series: SeriesPoint[];
  books: BooksReport;
  passed: boolean;
  failures: string[];
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export function summarizeServer(samples: ServerSample[]): ServerSummary | null {
  if (samples.length < 2) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const cpu: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    cpu.push(((b.cpuSeconds - a.cpuSeconds) / Math.max(0.001, (b.at - a.at) / 1000)) * 100);
  }
  const p99 = bucketPercentileMs(first, last, 99);
  return {
    cpuPctMean: round(((last.cpuSeconds - first.cpuSeconds) / Math.max(0.001, (last.at - first.at) / 1000)) * 100),
    cpuPctMax: round(Math.max(...cpu)),
    rssPeakMB: round(Math.max(...samples.map((s) => s.rssBytes)) / 2 ** 20),
    rssEndMB: round(last.rssBytes / 2 ** 20),
    eventLoopP99MaxMs: round(Math.max(...samples.map((s) => s.eventLoopP99Ms))),
    roomsMax: Math.max(...samples.map((s) => s.rooms)),
    clientsMax: Math.max(...samples.map((s) => s.clients)),
    betsAccepted: last.betsAccepted - first.betsAccepted,
    betAckP99Ms: p99 === null ? null : round(p99, 2),
  };
}

/** Throughput over the run after the ramp (the steady part), per second. */
export function rates(agg: Aggregator, rampUpS: number): Pick<RunResult['totals'], 'betsAckedPerSecond' | 'peakBetsAckedPerSecond' | 'messagesInPerSecond' | 'messagesOutPerSecond'> {
  const steady = agg.series.filter((p) => p.t >= rampUpS);
  const pts = steady.length > 0 ? steady : agg.series;
  const secs = Math.max(1, pts.length);
  const sum = (c: CounterName) => pts.reduce((n, p) => n + p.counters[c], 0);
  return {
    betsAckedPerSecond: round(sum('betsAcked') / secs),
    peakBetsAckedPerSecond: Math.max(0, ...agg.series.map((p) => p.counters.betsAcked)),
    messagesInPerSecond: round(sum('messagesIn') / secs),
    messagesOutPerSecond: round(sum('messagesOut') / secs),
  };
}
