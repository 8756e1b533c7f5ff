/**
 * Bet throughput with a durable wallet debit, on one server process, and its bet-ack latency,
 * at rising offered loads; and the same bots' request rate against the bare echo server.
 * Every bet is a real one: reserve in the ledger (group-committed, fsync'd), journal append,
 * acknowledgement; rounds settle through the wallet as the run goes.
 */
import type { Account } from '../bots/context.ts';
import type { BotConfig } from '../bots/registry.ts';
import type { LatencySummary } from '../metrics/histogram.ts';
import type { Progress } from '../report/progress.ts';
import type { Aggregator } from '../run/aggregate.ts';
import { executePlans } from '../run/execute.ts';
import { cpuOver, meanOver, type CpuShare } from './cpu.ts';
import { metricsOf, phasePlans, threadsOf, windows, type Target } from './plans.ts';

export const BETTORS = 1200;
/** Per bettor while betting is open; the levels multiply it. */
export const BASE_RATE = 4;
export const LEVELS = [0.125, 0.25, 0.5, 0.75, 1.0];
export const LEVEL_S = 9;
const WARMUP_S = 9;
/** Share of a round cycle that betting is open (8 s window, 0.5 s spin, 0.5 s pause, ~0.1 s of ticks) less the bots' 150 ms closing margin. */
const DUTY = 0.86;

export interface LevelResult {
  offeredPerSecond: number;
  ackedPerSecond: number;
  betAck: LatencySummary | null;
  /** The bet-ack distribution over the level, [percentile, ms]. */
  curve: Array<[number, number]>;
  cpu: CpuShare;
}

export interface ThroughputResult {
  levels: LevelResult[];
  maxAckedPerSecond: number;
  /** The highest level whose offered load was acknowledged (≥ 95 %, at the table duty cycle). */
  sustained: LevelResult | null;
  counters: Aggregator['counters'];
  codes: Record<string, number>;
  failures: string[];
}

const steadyRate = (agg: Aggregator, fromS: number, toS: number, pick: (p: Aggregator['series'][number]) => number): number => meanOver(agg, fromS, toS, pick) ?? 0;

export async function ourThroughput(srv: Target, accounts: Account[], tables: string[], ackDir: string, runTag: string, progress: Progress, levels = LEVELS): Promise<ThroughputResult> {
  const groups: BotConfig[] = [{ kind: 'roulette-player', client: 'lean', decode: false, count: BETTORS, betsPerSecond: BASE_RATE, maxInflight: 2, maxBetsPerRound: 45, rampUpS: 6 }];
  const durationS = WARMUP_S + levels.length * LEVEL_S;
  // One bot process up to the single-process levels; more offered load gets a second one.
  const workers = Math.max(...levels) > 1 ? 2 : 1;
  const plans = phasePlans({ url: srv.url, groups, accounts, tables, workers, durationS, rampUpS: 6, ackDir, runTag });
  const startAt = plans[0]!.startAt;
  const names: Array<[string, number, number]> = levels.map((m, i) => [`x${m}`, WARMUP_S + i * LEVEL_S + 1, WARMUP_S + (i + 1) * LEVEL_S]);
  const run = await executePlans({
    label: 'bets: ours', plans, inProcess: false, metricsUrl: metricsOf(srv), serverThreads: threadsOf(srv), progress,
    rateSchedule: [[0, 0], ...levels.map((m, i): [number, number] => [WARMUP_S + i * LEVEL_S, m])],
    segmentOf: windows(startAt, names),
  });
  const results = levels.map((m, i): LevelResult => {
    const from = WARMUP_S + i * LEVEL_S;
    const to = from + LEVEL_S;
    return {
      offeredPerSecond: Math.round(BETTORS * BASE_RATE * m),
      ackedPerSecond: Math.round(steadyRate(run.agg, from, to, (p) => p.counters.betsAcked)),
      betAck: run.agg.segmentSummary(`x${m}`, 'betAck'),
      curve: run.agg.segmentCurve(`x${m}`, 'betAck'),
      cpu: cpuOver(run.agg, from, to),
    };
  });
  const sustained = [...results].reverse().find((l) => l.ackedPerSecond >= 0.95 * DUTY * l.offeredPerSecond) ?? null;
  return { levels: results, maxAckedPerSecond: Math.max(...results.map((l) => l.ackedPerSecond)), sustained, counters: run.agg.counters, codes: Object.fromEntries(run.agg.codes), failures: run.failures };
}

export interface EchoThroughputResult {
  ackedPerSecond: number;
  betAck: LatencySummary | null;
  curve: Array<[number, number]>;
  cpu: CpuShare;
}

/** The same number of lean connections sending the same bet frames, closed loop, to the echo server. */
export async function echoThroughput(srv: Target, progress: Progress): Promise<EchoThroughputResult> {
  const groups: BotConfig[] = [{ kind: 'echo-bettor', count: BETTORS, betsPerSecond: 0, maxInflight: 2, rampUpS: 4 }];
  const accounts = [{ userId: 'echo', username: 'echo', token: '' }];
  const plans = phasePlans({ url: srv.url, groups, accounts, tables: [], workers: 1, durationS: 16, rampUpS: 4, ackDir: null, runTag: 'echo', watcherAccounts: 1 });
  const run = await executePlans({ label: 'bets: echo', plans, inProcess: false, metricsUrl: metricsOf(srv), serverThreads: threadsOf(srv), progress, segmentOf: windows(plans[0]!.startAt, [['steady', 6, 16]]) });
  return {
    ackedPerSecond: Math.round(steadyRate(run.agg, 6, 16, (p) => p.counters.betsAcked)),
    betAck: run.agg.segmentSummary('steady', 'betAck'),
    curve: run.agg.segmentCurve('steady', 'betAck'),
    cpu: cpuOver(run.agg, 5, 16),
  };
}
