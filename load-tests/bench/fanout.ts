/**
 * Connections held by one server process (and its RSS), and broadcast receipt latency at
 * 10,000 subscribers: first 10,000 decoding subscribers join and the broadcast is measured
 * while nothing else happens; then non-decoding connections are added up to the target and the
 * process's memory is read. The echo reference gets the same connections and a broadcast of a
 * frame the size of a table's phase-change patch, stamped with its send time.
 */
import type { Account } from '../bots/context.ts';
import type { BotConfig } from '../bots/registry.ts';
import type { LatencySummary } from '../metrics/histogram.ts';
import type { Progress } from '../report/progress.ts';
import { executePlans, type Execution } from '../run/execute.ts';
import { cpuOver, type CpuShare } from './cpu.ts';
import { metricsOf, phasePlans, threadsOf, windows, type Target } from './plans.ts';

export const SUBSCRIBERS = 10_000;
/** Spectators per table (a table takes 1,000). */
export const PER_TABLE = 500;

export function fanoutTables(target: number): number {
  return Math.ceil(Math.min(SUBSCRIBERS, target) / PER_TABLE) + Math.ceil(Math.max(0, target - SUBSCRIBERS) / PER_TABLE);
}
/** Bytes of the echo server's broadcast frame (about a phase-change patch of a table). */
export const BROADCAST_BYTES = 64;

export interface FanoutResult {
  targetConnections: number;
  /** Most connections the server reported holding at once (its `casino_clients` gauge; the echo's socket count). */
  heldConnections: number;
  botConnectionsPeak: number;
  rssAtPeakMB: number;
  broadcast: LatencySummary | null;
  join: LatencySummary | null;
  joinFailures: number;
  codes: Record<string, number>;
  failures: string[];
  botRssPeakMB: number;
  /** Mean size of the state patches the bots received (bytes; null: none). */
  patchBytes: number | null;
  /** While the broadcast was measured. */
  cpu: CpuShare;
  /** Receipt latency distribution while the broadcast was measured, [percentile, ms]. */
  curve: Array<[number, number]>;
}

/** 10,000 joins over 40 s (250/s), the broadcast measured for 20 s once they are in, then the rest over 30 s. */
const TIMING = { subscribersRampS: 40, broadcastFromS: 45, broadcastToS: 65, restStartS: 65, restRampS: 30, durationS: 105 };

function summarize(run: Execution, target: number, latency = 'broadcast'): FanoutResult {
  const peak = run.agg.server.reduce((best, s) => (s.clients > (best?.clients ?? -1) ? s : best), run.agg.server[0]);
  return {
    targetConnections: target,
    heldConnections: peak?.clients ?? 0,
    botConnectionsPeak: run.agg.peakConnections,
    rssAtPeakMB: Math.round((peak?.rssBytes ?? 0) / 2 ** 20),
    broadcast: run.agg.segmentSummary('broadcast', latency),
    curve: run.agg.segmentCurve('broadcast', latency),
    join: run.agg.latencySummaries().join ?? null,
    joinFailures: run.agg.counters.joinFailures,
    codes: Object.fromEntries(run.agg.codes),
    failures: run.failures,
    botRssPeakMB: Math.round(Math.max(0, ...run.agg.series.map((p) => p.bots.rssMB))),
    patchBytes: run.agg.counters.patchesIn > 0 ? Math.round(run.agg.counters.patchBytesIn / run.agg.counters.patchesIn) : null,
    cpu: cpuOver(run.agg, TIMING.broadcastFromS - 1, TIMING.broadcastToS),
  };
}

function groupsFor(target: number, subscriber: BotConfig, rest: BotConfig): BotConfig[] {
  return [
    { ...subscriber, count: Math.min(SUBSCRIBERS, target), startAtS: 0, rampUpS: TIMING.subscribersRampS },
    { ...rest, count: Math.max(0, target - SUBSCRIBERS), startAtS: TIMING.restStartS, rampUpS: TIMING.restRampS },
  ];
}

export async function ourFanout(srv: Target, accounts: Account[], tables: string[], target: number, progress: Progress): Promise<FanoutResult> {
  // Spectators fill one table after another. Every join changes its table's shared state
  // (`players`), and every change is patched to every client at that table: joins spread over
  // all tables at once make every table patch all its clients several times a second, which
  // drowns the server (see docs/BENCHMARKS.md); filling tables in turn keeps that to one table.
  const firstGroupTables = Math.ceil(Math.min(SUBSCRIBERS, target) / PER_TABLE);
  const groups = groupsFor(target,
    { kind: 'roulette-watcher', client: 'lean', decode: true, count: 0, fillTablesOf: PER_TABLE },
    { kind: 'roulette-watcher', client: 'lean', decode: false, count: 0, fillTablesOf: PER_TABLE, firstTable: firstGroupTables });
  const plans = phasePlans({ url: srv.url, groups, accounts, tables, workers: 2, durationS: TIMING.durationS, rampUpS: TIMING.subscribersRampS, ackDir: null, runTag: 'fanout', watcherAccounts: accounts.length });
  const run = await executePlans({ label: 'connections: ours', plans, inProcess: false, metricsUrl: metricsOf(srv), serverThreads: threadsOf(srv), progress, segmentOf: windows(plans[0]!.startAt, [['broadcast', TIMING.broadcastFromS, TIMING.broadcastToS]]) });
  return summarize(run, target);
}

/** One way of sending the reference broadcast: `group` 0 = every subscriber in one burst; N = rooms of N, each bursting at its own instant. */
export interface BroadcastShape {
  name: string;
  group: number;
  /** Payload bytes of each frame (ours' mean state-patch size, measured by the bots). */
  bytes: number;
}

export interface ShapeResult extends BroadcastShape {
  broadcast: LatencySummary | null;
  curve: Array<[number, number]>;
  cpu: CpuShare;
}

export type EchoFanoutResult = FanoutResult & { shapes: ShapeResult[] };

/**
 * The reference fan-out: the same subscribers get a pre-framed frame of the same size, first all
 * at once (`broadcast` of the result), then in each of `shapes` for an equal part of the window.
 */
export async function echoFanout(srv: Target, target: number, shapes: BroadcastShape[], progress: Progress): Promise<EchoFanoutResult> {
  const groups = groupsFor(target, { kind: 'echo-subscriber', count: 0 }, { kind: 'echo-subscriber', count: 0 });
  const accounts = [{ userId: 'echo', username: 'echo', token: '' }];
  const plans = phasePlans({ url: srv.url, groups, accounts, tables: [], workers: 2, durationS: TIMING.durationS, rampUpS: TIMING.subscribersRampS, ackDir: null, runTag: 'echo', watcherAccounts: 1 });
  const all: BroadcastShape[] = [{ name: 'broadcast', group: 0, bytes: BROADCAST_BYTES }, ...shapes];
  const part = (TIMING.broadcastToS - TIMING.broadcastFromS) / all.length;
  // Each shape runs for its part of the window; its first second is left out (the switch).
  const parts = all.map((sh, i): [string, number, number] => [sh.name, TIMING.broadcastFromS + i * part + (i > 0 ? 1 : 0), TIMING.broadcastFromS + (i + 1) * part]);
  const send = (sh: BroadcastShape) => fetch(`${srv.url}/broadcast?everyMs=1000&bytes=${sh.bytes}&group=${sh.group}`, { method: 'POST' }).catch(() => undefined);
  await send(all[0]!);
  const startAt = plans[0]!.startAt;
  const switches = all.slice(1).map((sh, i) => setTimeout(() => void send(sh), startAt + (TIMING.broadcastFromS + (i + 1) * part) * 1000 - Date.now()));
  try {
    const run = await executePlans({ label: 'connections: echo', plans, inProcess: false, metricsUrl: metricsOf(srv), serverThreads: threadsOf(srv), progress, segmentOf: windows(startAt, parts) });
    const base = summarize(run, target);
    const cpu = (i: number) => cpuOver(run.agg, parts[i]![1] - 1, parts[i]![2]);
    return {
      ...base, cpu: cpu(0), curve: run.agg.segmentCurve('broadcast', 'broadcast'),
      shapes: shapes.map((sh, i) => ({ ...sh, broadcast: run.agg.segmentSummary(sh.name, 'broadcast'), curve: run.agg.segmentCurve(sh.name, 'broadcast'), cpu: cpu(i + 1) })),
    };
  } finally {
    switches.forEach(clearTimeout);
    await fetch(`${srv.url}/broadcast/stop`, { method: 'POST' }).catch(() => undefined);
  }
}

/** Price change → receipt at `viewers` (≤ `SUBSCRIBERS`) spread over the open live events (market rooms). */
export async function ourMarketFanout(srv: Target, accounts: Account[], events: string[], viewers: number, progress: Progress): Promise<FanoutResult & { events: number }> {
  // The whole audience gets every patch; one viewer in ten decodes it and times the price change
  // (decoding 10,000 viewers' patches would make the two bot processes the bottleneck).
  const probes = Math.ceil(viewers / 10);
  const groups: BotConfig[] = [
    { kind: 'market-watcher', count: probes, rampUpS: TIMING.subscribersRampS },
    { kind: 'market-watcher', decode: false, count: viewers - probes, rampUpS: TIMING.subscribersRampS },
  ];
  const plans = phasePlans({ url: srv.url, groups, accounts, tables: [], events, workers: 2, durationS: TIMING.broadcastToS, rampUpS: TIMING.subscribersRampS, ackDir: null, runTag: 'market', watcherAccounts: accounts.length });
  const run = await executePlans({ label: 'prices: ours', plans, inProcess: false, metricsUrl: metricsOf(srv), serverThreads: threadsOf(srv), progress, segmentOf: windows(plans[0]!.startAt, [['broadcast', TIMING.broadcastFromS, TIMING.broadcastToS]]) });
  return { ...summarize(run, viewers, 'priceReceipt'), events: events.length };
}
