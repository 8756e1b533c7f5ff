/** What every bot gets from the process hosting it. */
import type { AckLog } from '../check/ack-log.ts';
import type { Recorder } from '../metrics/recorder.ts';
import type { Rng } from './random.ts';

export interface Account {
  userId: string;
  username: string;
  token: string;
}

export interface BotContext {
  httpUrl: string;
  recorder: Recorder;
  ackLog: AckLog;
  /** Table ids the runner found in the lobby (lean bots pick from these). */
  tables: string[];
  /** Live event ids (market rooms) the runner found in the lobby. */
  events: string[];
  /** Prefix of every bet id this run places (unique per run). */
  runTag: string;
  /** Epoch ms at which bots stop acting and leave; the host may bring it forward. */
  endAt(): number;
  /** Current multiplier of bet rates (the scenario's rate profile, or the benchmark's level). */
  rateMultiplier(): number;
}

export interface BotSeat {
  /** Global bot number in the run (stable across processes). */
  index: number;
  /** Number within its group, 0-based. */
  rank: number;
  account: Account;
  rng: Rng;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Error code of a thrown client error, for the errors-by-code table. */
export function errorCode(e: unknown): string {
  const err = e as { code?: unknown; message?: string };
  if (typeof err?.code === 'string' && err.code.includes('/')) return err.code;
  const msg = String(err?.message ?? e);
  if (/timed out/.test(msg)) return 'client/timeout';
  if (/not open|closed/.test(msg)) return 'client/connection_closed';
  if (typeof err?.code === 'number') return `client/join_${err.code}`;
  if (/ECONNREFUSED|fetch failed/.test(msg)) return 'client/unreachable';
  return 'client/error';
}

/** Every wait of a bot is bounded (a dead process or an outage must never hang a load run). */
export const JOIN_TIMEOUT_MS = 10_000;
export const HTTP_TIMEOUT_MS = 10_000;

/** `promise`, or a rejection naming `what` after `ms` (counted as `client/timeout`). */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
