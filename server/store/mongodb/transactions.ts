/**
 * Runs work in a multi-document transaction with snapshot reads and a majority, journaled
 * commit. The driver's `withTransaction` retries transient failures itself; the retry budget
 * (retry.ts) is checked at the start of every attempt, the driver's included, and our own
 * bounded retries with backoff cover what escapes it (a dropped connection before the
 * transaction started, an unconfirmed commit, a WriteRace). Whatever fails for good is
 * translated to the port's errors (errors.ts).
 */
import { performance } from 'node:perf_hooks';
import { WriteConcern, type ClientSession, type MongoClient, type TransactionOptions } from 'mongodb';
import { isRetryable, translateError, type ErrorContext } from './errors.ts';
import { RetryBudget, retrying, type RetryPolicy } from './retry.ts';

/** How long a majority write may wait for replication before it reports failure. */
export const WRITE_TIMEOUT_MS = 10_000;

/** Majority of the replica set, each in its on-disk journal: an acknowledged write survives a failover. */
export const DURABLE_WRITE_CONCERN = new WriteConcern('majority', WRITE_TIMEOUT_MS, true);

export const TRANSACTION_OPTIONS: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: DURABLE_WRITE_CONCERN,
  readPreference: 'primary',
  maxCommitTimeMS: WRITE_TIMEOUT_MS,
};

export interface TransactionRunnerOptions {
  policy: RetryPolicy;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (context: ErrorContext, error: unknown, attempt: number, delayMs: number) => void;
}

export class TransactionRunner {
  private readonly clock: () => number;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly client: MongoClient,
    private readonly opts: TransactionRunnerOptions,
  ) {
    this.clock = opts.clock ?? (() => performance.now());
  }

  /** Resolves once every transaction and write started so far has finished (for close). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.then(
      () => this.inFlight.delete(work),
      () => this.inFlight.delete(work),
    );
    return work;
  }

  /** `fn` may run several times (once per attempt); it must do all its I/O through `session`. */
  run<T>(context: ErrorContext, fn: (session: ClientSession) => Promise<T>): Promise<T> {
    return this.track(this.runTracked(context, fn));
  }

  private async runTracked<T>(context: ErrorContext, fn: (session: ClientSession) => Promise<T>): Promise<T> {
    const budget = new RetryBudget(this.opts.policy, this.clock);
    try {
      return await retrying(
        async () => {
          const session = this.client.startSession({ causalConsistency: false });
          try {
            return await session.withTransaction(async (s) => {
              budget.begin();
              return fn(s);
            }, TRANSACTION_OPTIONS);
          } finally {
            await session.endSession().catch(() => undefined);
          }
        },
        {
          budget,
          shouldRetry: (error) => isRetryable(error, context),
          sleep: this.opts.sleep,
          random: this.opts.random,
          onRetry: (error, attempt, delayMs) => this.opts.onRetry?.(context, error, attempt, delayMs),
        },
      );
    } catch (error) {
      throw translateError(error, context);
    }
  }

  /** Runs a write outside a transaction (idempotent ones only) under the same budget and translation. */
  write<T>(context: ErrorContext, fn: () => Promise<T>): Promise<T> {
    return this.track(this.writeTracked(context, fn));
  }

  private async writeTracked<T>(context: ErrorContext, fn: () => Promise<T>): Promise<T> {
    const budget = new RetryBudget(this.opts.policy, this.clock);
    try {
      return await retrying(
        async () => {
          budget.begin();
          return fn();
        },
        { budget, shouldRetry: (error) => isRetryable(error, context), sleep: this.opts.sleep, random: this.opts.random },
      );
    } catch (error) {
      throw translateError(error, context);
    }
  }
}

/** Translates a single operation's failure (reads, non-retried writes) to the port's errors. */
export async function translated<T>(context: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translateError(error, context);
  }
}
