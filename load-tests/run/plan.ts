/** What the runner hands each bot process, and what bot processes send back. */
import type { Account } from '../bots/context.ts';
import type { BotConfig } from '../bots/registry.ts';
import type { IntervalStats } from '../metrics/recorder.ts';
import type { Scenario } from '../scenarios/types.ts';

export interface Seat {
  /** Index into `groups`. */
  group: number;
  /** Global bot number (ramp order; stable across processes). */
  index: number;
  /** Index into `accounts`. */
  account: number;
  /** Place in its group's ramp, 0..1. */
  pos: number;
  /** Number within its group, 0-based. */
  rank: number;
}

export interface WorkerPlan {
  worker: number;
  httpUrl: string;
  runTag: string;
  ackLogPath: string | null;
  tables: string[];
  events: string[];
  /** Epoch ms: the first bot starts, the ramp ends, bots stop. */
  startAt: number;
  rampUpMs: number;
  endAt: number;
  rateProfile?: Scenario['rateProfile'];
  groups: BotConfig[];
  accounts: Account[];
  seats: Seat[];
  /** Seed of the bots' random choices. */
  seed: number;
}

export type ToWorker =
  | { type: 'start'; plan: WorkerPlan }
  /** Overrides the rate profile with a fixed multiplier (benchmark levels). */
  | { type: 'rate'; multiplier: number }
  /** Ends the run now: bots stop, drain and leave. */
  | { type: 'stop' };

export type FromWorker =
  | { type: 'interval'; worker: number; stats: IntervalStats }
  | { type: 'done'; worker: number }
  | { type: 'fatal'; worker: number; error: string };
