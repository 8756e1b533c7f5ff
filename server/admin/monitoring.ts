/**
 * Live monitoring for the console: samples the process's own Prometheus registry (the numbers
 * GET /metrics exposes) every few seconds into a bounded ring buffer, so the console can chart
 * clients, rooms, bets/s, stakes and gross gaming revenue over the last hour without an external
 * time-series database. Rates are differences between consecutive samples.
 */
import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import { matchMaker } from '@colyseus/core';
import { registry } from '../metrics.ts';
import { RingBuffer } from './ring-buffer.ts';

export interface MonitoringSample {
  at: number;
  clients: number;
  rooms: number;
  /** Cumulative since the process started. */
  betsTotal: number;
  betsRejectedTotal: number;
  /** Room messages answered `server/internal` (handler failures). */
  errorsTotal: number;
  stakeMinorTotal: number;
  payoutMinorTotal: number;
  /** Gross gaming revenue: stakes − payouts, cumulative. */
  ggrMinor: number;
  /** Over the interval since the previous sample. */
  betsPerSecond: number;
  rejectionsPerSecond: number;
  errorsPerSecond: number;
  stakeMinorPerInterval: number;
  ggrMinorPerInterval: number;
  eventLoopDelayP99Ms: number;
  rssBytes: number;
}

const ACCEPTED_OUTCOMES = new Set(['accepted', 'pending']);

async function metricValues(name: string): Promise<Array<{ value: number; labels: Record<string, string | number> }>> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return [];
  const data = await metric.get();
  return data.values.map((v) => ({ value: v.value, labels: v.labels as Record<string, string | number> }));
}

const sum = (values: Array<{ value: number }>): number => values.reduce((s, v) => s + v.value, 0);

export class MetricsSampler {
  readonly samples: RingBuffer<MonitoringSample>;
  private timer: NodeJS.Timeout | null = null;
  /** Our own event-loop delay histogram, reset per stored sample (prom-client resets its own on every scrape). */
  private readonly loopDelay: ELDHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor(
    readonly intervalMs = 5_000,
    capacity = 720,
    private readonly now: () => number = Date.now,
  ) {
    this.samples = new RingBuffer(capacity);
  }

  start(): void {
    if (this.timer) return;
    this.loopDelay.enable();
    void this.sampleNow(true);
    this.timer = setInterval(() => void this.sampleNow(true).catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.loopDelay.disable();
  }

  /** A sample now, against the last stored one; stored in the buffer when `keep`. */
  async sampleNow(keep = false): Promise<MonitoringSample> {
    const [bets, stakes, payouts, messages] = await Promise.all([
      metricValues('casino_bets_total'), metricValues('casino_stake_minor_total'), metricValues('casino_payout_minor_total'),
      metricValues('casino_room_messages_total'),
    ]);
    const betsTotal = sum(bets);
    const betsRejectedTotal = sum(bets.filter((b) => !ACCEPTED_OUTCOMES.has(String(b.labels.outcome))));
    const errorsTotal = sum(messages.filter((m) => m.labels.outcome === 'server/internal'));
    const stakeMinorTotal = sum(stakes);
    const payoutMinorTotal = sum(payouts);
    const at = this.now();
    const prev = this.samples.last();
    const seconds = prev ? Math.max(0.001, (at - prev.at) / 1000) : 1;
    const sample: MonitoringSample = {
      at,
      clients: matchMaker.stats.local.ccu,
      rooms: matchMaker.stats.local.roomCount,
      betsTotal,
      betsRejectedTotal,
      errorsTotal,
      stakeMinorTotal,
      payoutMinorTotal,
      ggrMinor: stakeMinorTotal - payoutMinorTotal,
      betsPerSecond: prev ? round2((betsTotal - prev.betsTotal) / seconds) : 0,
      rejectionsPerSecond: prev ? round2((betsRejectedTotal - prev.betsRejectedTotal) / seconds) : 0,
      errorsPerSecond: prev ? round2((errorsTotal - prev.errorsTotal) / seconds) : 0,
      stakeMinorPerInterval: prev ? stakeMinorTotal - prev.stakeMinorTotal : 0,
      ggrMinorPerInterval: prev ? stakeMinorTotal - payoutMinorTotal - prev.ggrMinor : 0,
      // The monitor's resolution (10 ms) is included in what it measures: subtract it.
      eventLoopDelayP99Ms: this.loopDelay.count > 0 ? round2(Math.max(0, this.loopDelay.percentile(99) / 1e6 - 10)) : 0,
      rssBytes: process.memoryUsage.rss(),
    };
    if (keep) {
      this.samples.push(sample);
      this.loopDelay.reset();
    }
    return sample;
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * The matchmaker's per-process stats, always including this process: Colyseus publishes its own
 * entry at most once a second, so a freshly started process may not be listed yet.
 */
export async function clusterProcesses(): Promise<Array<{ processId: string; roomCount: number; ccu: number }>> {
  const all = await matchMaker.stats.fetchAll();
  if (!all.some((p) => p.processId === matchMaker.processId)) {
    all.unshift({ processId: matchMaker.processId, roomCount: matchMaker.stats.local.roomCount, ccu: matchMaker.stats.local.ccu });
  }
  return all;
}
