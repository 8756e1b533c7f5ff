/**
 * The server's own figures, scraped from its Prometheus endpoint (`GET /metrics`, prom-client):
 * CPU, RSS, event-loop delay, rooms, clients, the store writer thread's busy time, and its
 * bet-ack histogram.
 */
import { addThreadCpu, type ThreadCpu } from './threads.ts';

export type Samples = Map<string, number>;

/** Parses the text exposition format into `name{labels}` → value. */
export function parsePrometheus(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    const value = Number(line.slice(cut + 1));
    if (Number.isFinite(value)) out.set(line.slice(0, cut), value);
  }
  return out;
}

export interface ServerSample {
  at: number;
  cpuSeconds: number;
  rssBytes: number;
  eventLoopP99Ms: number;
  eventLoopMeanMs: number;
  rooms: number;
  clients: number;
  betsAccepted: number;
  /** Cumulative seconds the store's writer thread was busy (`casino_store_writer_busy_seconds`; 0 if absent). */
  writerBusySeconds: number;
  /** CPU seconds per thread, when the process is local (metrics/threads.ts). */
  threads?: ThreadCpu | null;
  /** Cumulative bet-ack histogram: upper bound (s) → count. */
  betAckBuckets: Array<[number, number]>;
}

function sumWhere(s: Samples, prefix: string, pred: (key: string) => boolean = () => true): number {
  let n = 0;
  for (const [k, v] of s) if (k.startsWith(prefix) && pred(k)) n += v;
  return n;
}

export function toServerSample(s: Samples, at: number): ServerSample {
  const buckets: Array<[number, number]> = [];
  for (const [k, v] of s) {
    const m = /^casino_bet_ack_seconds_bucket\{.*le="([^"]+)"/.exec(k);
    if (m) buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), v]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  return {
    at,
    cpuSeconds: s.get('process_cpu_seconds_total') ?? 0,
    rssBytes: s.get('process_resident_memory_bytes') ?? 0,
    eventLoopP99Ms: (s.get('nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000,
    eventLoopMeanMs: (s.get('nodejs_eventloop_lag_mean_seconds') ?? 0) * 1000,
    rooms: s.get('casino_rooms') ?? 0,
    clients: s.get('casino_clients') ?? 0,
    betsAccepted: sumWhere(s, 'casino_bets_total{', (k) => k.includes('outcome="accepted"')),
    writerBusySeconds: s.get('casino_store_writer_busy_seconds') ?? 0,
    betAckBuckets: buckets,
  };
}

/** The server's METRICS_TOKEN, when the run knows it (the environment variable of the same name). */
export async function scrape(httpUrl: string, timeoutMs = 3000, token: string | undefined = process.env.METRICS_TOKEN): Promise<ServerSample | null> {
  try {
    const res = await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(timeoutMs), headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) return null;
    return toServerSample(parsePrometheus(await res.text()), Date.now());
  } catch {
    return null;
  }
}

/** Several processes' samples as one (a cluster): sums, the worst event-loop delay, histograms added. */
export function sumSamples(samples: ServerSample[]): ServerSample | null {
  if (samples.length === 0) return null;
  const add = (pick: (s: ServerSample) => number) => samples.reduce((n, s) => n + pick(s), 0);
  const buckets = samples[0]!.betAckBuckets.map(([le], i): [number, number] => [le, samples.reduce((n, s) => n + (s.betAckBuckets[i]?.[1] ?? 0), 0)]);
  return {
    at: Math.max(...samples.map((s) => s.at)),
    cpuSeconds: add((s) => s.cpuSeconds), rssBytes: add((s) => s.rssBytes),
    eventLoopP99Ms: Math.max(...samples.map((s) => s.eventLoopP99Ms)), eventLoopMeanMs: Math.max(...samples.map((s) => s.eventLoopMeanMs)),
    rooms: add((s) => s.rooms), clients: add((s) => s.clients), betsAccepted: add((s) => s.betsAccepted), writerBusySeconds: add((s) => s.writerBusySeconds),
    threads: samples.reduce<ThreadCpu | null>((t, s) => addThreadCpu(t, s.threads ?? null), null),
    betAckBuckets: buckets,
  };
}

/** A percentile (ms) of the bets acknowledged between two samples, interpolated within the bucket. */
export function bucketPercentileMs(before: ServerSample, after: ServerSample, p: number): number | null {
  const delta = after.betAckBuckets.map(([le, c], i) => [le, c - (before.betAckBuckets[i]?.[1] ?? 0)] as [number, number]);
  const total = delta[delta.length - 1]?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = (p / 100) * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of delta) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return prevLe * 1000;
      return (prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, count - prevCount)) * 1000;
    }
    prevLe = le;
    prevCount = count;
  }
  return null;
}
