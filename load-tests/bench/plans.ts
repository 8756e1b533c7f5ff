/** Bot plans for one benchmark phase (the load runner's seating, without a scenario file). */
import path from 'node:path';
import type { Account } from '../bots/context.ts';
import type { BotConfig } from '../bots/registry.ts';
import type { WorkerPlan } from '../run/plan.ts';
import { planSeats } from '../run/seats.ts';
import type { ExecuteOptions } from '../run/execute.ts';
import { WRITER_THREAD_NAME } from '../../server/store/sqlite/writer.ts';

/** A server process under test: where it listens, its process id(s) (for per-thread CPU from /proc). */
export interface Target {
  url: string;
  pids: number[];
  /** Every process's URL, when there are several (a cluster): their `/metrics` are summed. */
  urls?: string[];
}

export const metricsOf = (t: Target): string | string[] => t.urls ?? t.url;

export function threadsOf(t: Target): ExecuteOptions['serverThreads'] {
  return { pids: t.pids, writerName: WRITER_THREAD_NAME };
}

export interface PhaseSpec {
  url: string;
  groups: BotConfig[];
  accounts: Account[];
  tables: string[];
  events?: string[];
  workers: number;
  durationS: number;
  rampUpS: number;
  /** Directory for acknowledged-bet logs (null: not logged). */
  ackDir: string | null;
  runTag: string;
  watcherAccounts?: number;
}

export function phasePlans(spec: PhaseSpec): WorkerPlan[] {
  const seating = planSeats(spec.groups, spec.workers, spec.watcherAccounts ?? 200);
  if (seating.accountsNeeded > spec.accounts.length) throw new Error(`phase needs ${seating.accountsNeeded} accounts, ${spec.accounts.length} seeded`);
  const startAt = Date.now() + 2000;
  return seating.perWorker.map((seats, worker) => ({
    worker, httpUrl: spec.url, runTag: spec.runTag, ackLogPath: spec.ackDir ? path.join(spec.ackDir, `acked-${spec.runTag}-w${worker}.ndjson`) : null,
    tables: spec.tables, events: spec.events ?? [], startAt, rampUpMs: spec.rampUpS * 1000, endAt: startAt + spec.durationS * 1000,
    groups: spec.groups, accounts: spec.accounts, seats, seed: 7,
  }));
}

/** Segment function: names the window [fromS, toS) after `startAt` each instant falls in. */
export function windows(startAt: number, list: Array<[string, number, number]>): (at: number) => string | null {
  return (at) => {
    const s = (at - startAt) / 1000;
    for (const [name, from, to] of list) if (s >= from && s < to) return name;
    return null;
  };
}
