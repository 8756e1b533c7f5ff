/**
 * Merges what the bot processes report into run totals and a per-second time series, and keeps
 * the server's scraped samples beside them.
 */
import { COUNTERS, type CounterName, type IntervalStats } from '../metrics/recorder.ts';
import { mergeEncoded, newHistogram, percentileCurve, summarize, type Histogram, type LatencySummary } from '../metrics/histogram.ts';
import type { ServerSample } from '../metrics/prometheus.ts';

export interface SeriesPoint {
  /** Seconds since the run started. */
  t: number;
  counters: Record<CounterName, number>;
  connections: number;
  latency: Record<string, { p50Ms: number; p99Ms: number; count: number }>;
  bots: { cpuPct: number; rssMB: number };
  server: ServerPoint | null;
}

/** The server over one second; CPU in % of one core. */
export interface ServerPoint {
  cpuPct: number;
  /** Per thread, when /proc was read (metrics/threads.ts): main thread, writer thread, the rest. */
  mainCpuPct: number | null;
  writerCpuPct: number | null;
  otherCpuPct: number | null;
  /** Runnable but waiting for a core (run-queue wait), main and writer thread. */
  mainQueuedPct: number | null;
  writerQueuedPct: number | null;
  /** The writer thread's event-loop utilisation (busy incl. fsync waits), from `/metrics`. */
  writerBusyPct: number;
  rssMB: number;
  eventLoopP99Ms: number;
  rooms: number;
  clients: number;
}

interface OpenSecond {
  counters: Record<CounterName, number>;
  histograms: Map<string, Histogram>;
  botCpuMs: number;
}

const zero = () => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<CounterName, number>;

export class Aggregator {
  readonly totals = new Map<string, Histogram>();
  readonly counters = zero();
  readonly codes = new Map<string, number>();
  readonly series: SeriesPoint[] = [];
  readonly server: ServerSample[] = [];
  private readonly open = new Map<number, OpenSecond>();
  private readonly connections = new Map<number, number>();
  private readonly botRss = new Map<number, number>();
  /** Totals per measurement segment (e.g. the benchmark's load levels). */
  readonly segments = new Map<string, Map<string, Histogram>>();
  peakConnections = 0;

  constructor(
    readonly startedAt: number,
    private readonly segmentOf?: (at: number) => string | null,
  ) {}

  add(worker: number, s: IntervalStats): void {
    const sec = Math.max(0, Math.floor((s.at - this.startedAt) / 1000));
    let o = this.open.get(sec);
    if (!o) this.open.set(sec, (o = { counters: zero(), histograms: new Map(), botCpuMs: 0 }));
    for (const c of COUNTERS) {
      o.counters[c] += s.counters[c];
      this.counters[c] += s.counters[c];
    }
    for (const [code, n] of Object.entries(s.codes)) this.codes.set(code, (this.codes.get(code) ?? 0) + n);
    for (const [name, enc] of Object.entries(s.histograms)) {
      let h = o.histograms.get(name);
      if (!h) o.histograms.set(name, (h = newHistogram()));
      mergeEncoded(h, enc);
      let t = this.totals.get(name);
      if (!t) this.totals.set(name, (t = newHistogram()));
      mergeEncoded(t, enc);
      const seg = this.segmentOf?.(s.at);
      if (seg) {
        const hs = this.segments.get(seg) ?? this.segments.set(seg, new Map()).get(seg)!;
        let sh = hs.get(name);
        if (!sh) hs.set(name, (sh = newHistogram()));
        mergeEncoded(sh, enc);
      }
    }
    // An interval longer than a second (a starved bot process reports late) counts in this second
    // only for its last second's share: the per-second series stays a rate, never above 100 % a process.
    o.botCpuMs += s.process.cpuMs * Math.min(1, 1000 / Math.max(1000, s.process.wallMs ?? 1000));
    this.connections.set(worker, s.connections);
    this.botRss.set(worker, s.process.rssBytes);
    this.peakConnections = Math.max(this.peakConnections, this.currentConnections());
  }

  addServer(sample: ServerSample): void {
    this.server.push(sample);
  }

  currentConnections(): number {
    let n = 0;
    for (const c of this.connections.values()) n += c;
    return n;
  }

  /** Closes every second older than `graceS` (all of them with `graceS` 0) into the series. */
  closeSeconds(now: number, graceS = 2): SeriesPoint[] {
    const limit = Math.floor((now - this.startedAt) / 1000) - graceS;
    const closed: SeriesPoint[] = [];
    for (const sec of [...this.open.keys()].sort((a, b) => a - b)) {
      if (sec > limit) break;
      const o = this.open.get(sec)!;
      this.open.delete(sec);
      const latency: SeriesPoint['latency'] = {};
      for (const [name, h] of o.histograms) {
        const s = summarize(h);
        latency[name] = { p50Ms: s.p50Ms, p99Ms: s.p99Ms, count: s.count };
        h.destroy();
      }
      let rss = 0;
      for (const r of this.botRss.values()) rss += r;
      const point: SeriesPoint = {
        t: sec, counters: o.counters, connections: this.currentConnections(), latency,
        bots: { cpuPct: o.botCpuMs / 10, rssMB: rss / 2 ** 20 },
        server: this.serverAt(sec),
      };
      this.series.push(point);
      closed.push(point);
    }
    return closed;
  }

  latencySummaries(): Record<string, LatencySummary> {
    return Object.fromEntries([...this.totals].map(([name, h]) => [name, summarize(h)]));
  }

  segmentSummary(segment: string, name: string): LatencySummary | null {
    const h = this.segments.get(segment)?.get(name);
    return h ? summarize(h) : null;
  }

  /** A segment's latency distribution as [percentile, ms] points ([] when nothing was recorded). */
  segmentCurve(segment: string, name: string): Array<[number, number]> {
    const h = this.segments.get(segment)?.get(name);
    return h ? percentileCurve(h) : [];
  }

  /** Server figures over the second ending at `sec` (CPU from the two samples around it). */
  private serverAt(sec: number): SeriesPoint['server'] {
    const at = this.startedAt + (sec + 1) * 1000;
    const i = this.server.findIndex((s) => s.at >= at);
    const cur = this.server[i >= 0 ? i : this.server.length - 1];
    const prev = this.server[(i >= 0 ? i : this.server.length - 1) - 1];
    if (!cur) return null;
    const pct = (pick: (s: ServerSample) => number) => (prev ? ((pick(cur) - pick(prev)) / Math.max(0.001, (cur.at - prev.at) / 1000)) * 100 : 0);
    const threads = prev?.threads && cur.threads;
    return {
      cpuPct: pct((s) => s.cpuSeconds),
      mainCpuPct: threads ? pct((s) => s.threads!.mainS) : null,
      writerCpuPct: threads ? pct((s) => s.threads!.writerS) : null,
      otherCpuPct: threads ? pct((s) => s.threads!.otherS) : null,
      mainQueuedPct: threads ? pct((s) => s.threads!.mainQueuedS) : null,
      writerQueuedPct: threads ? pct((s) => s.threads!.writerQueuedS) : null,
      writerBusyPct: pct((s) => s.writerBusySeconds),
      rssMB: cur.rssBytes / 2 ** 20, eventLoopP99Ms: cur.eventLoopP99Ms, rooms: cur.rooms, clients: cur.clients };
  }
}
