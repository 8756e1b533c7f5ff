/**
 * What one bot process measures: latency histograms, counters, outcomes by code and the number
 * of open connections. `takeInterval()` hands the runner what happened since the last call
 * (histograms in HDR encoding), so the runner can draw time series and merge totals.
 */
import { encodeHistogram, newHistogram, recordMs, type Histogram } from './histogram.ts';

/** Latencies the bots record (a market bot adds its own, e.g. `cashOut`, `priceReceipt`). */
export const LATENCIES = ['join', 'betAck', 'removeAck', 'reconnect', 'broadcast', 'priceReceipt'] as const;
export type LatencyName = (typeof LATENCIES)[number] | (string & {});

export const COUNTERS = [
  'betsSent', 'betsAcked', 'betsRejected', 'removesAcked', 'requestErrors',
  'joins', 'joinFailures', 'drops', 'reconnects', 'reconnectFailures', 'leaves',
  'messagesIn', 'messagesOut',
  /** State patches received and their bytes (the payload of the broadcast frames; the fan-out reference sends the same size). */
  'patchesIn', 'patchBytesIn',
] as const;
export type CounterName = (typeof COUNTERS)[number];

export interface IntervalStats {
  /** Epoch ms at the end of the interval. */
  at: number;
  counters: Record<CounterName, number>;
  /** Outcome codes seen in the interval: rejections (`bet/betting_closed`) and client errors (`client/timeout`). */
  codes: Record<string, number>;
  /** Encoded HDR histograms of the interval, by latency name. */
  histograms: Record<string, string>;
  /** Connections open at the end of the interval (gauge). */
  connections: number;
  /** This bot process: resident memory and CPU used in the interval. */
  process: { rssBytes: number; cpuMs: number; wallMs?: number };
}

function zeroCounters(): Record<CounterName, number> {
  return Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<CounterName, number>;
}

export class Recorder {
  private counters = zeroCounters();
  private codes = new Map<string, number>();
  private histograms = new Map<string, Histogram>();
  private cpu = process.cpuUsage();
  private lastIntervalAt = Date.now();
  connections = 0;

  latency(name: LatencyName, ms: number): void {
    let h = this.histograms.get(name);
    if (!h) this.histograms.set(name, (h = newHistogram()));
    recordMs(h, ms);
  }

  count(name: CounterName, n = 1): void {
    this.counters[name] += n;
  }

  code(code: string): void {
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
  }

  takeInterval(): IntervalStats {
    const histograms: Record<string, string> = {};
    for (const [name, h] of this.histograms) {
      if (h.totalCount > 0) histograms[name] = encodeHistogram(h);
      h.reset();
    }
    const cpu = process.cpuUsage(this.cpu);
    this.cpu = process.cpuUsage();
    const now = Date.now();
    const wallMs = now - this.lastIntervalAt;
    this.lastIntervalAt = now;
    const out: IntervalStats = {
      at: now,
      counters: this.counters,
      codes: Object.fromEntries(this.codes),
      histograms,
      connections: this.connections,
      process: { rssBytes: process.memoryUsage.rss(), cpuMs: (cpu.user + cpu.system) / 1000, wallMs },
    };
    this.counters = zeroCounters();
    this.codes = new Map();
    return out;
  }
}
