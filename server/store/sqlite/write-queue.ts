import type { DatabaseSync } from 'node:sqlite';
import { StoreError } from '../types.ts';

/**
 * A wallet op costs ~35 µs inside the transaction and the whole batch runs synchronously, so
 * 500 ops block the event loop for ~20 ms at most; batches only grow this large under backlog.
 */
export const DEFAULT_MAX_BATCH_OPS = 500;
export const DEFAULT_MAX_PENDING_OPS = 100_000;

/**
 * Thrown by a job to undo its own writes while still resolving its caller with `value`
 * (an atomic wallet call that ended in an expected rejection).
 */
export class RollbackWith<T> {
  constructor(readonly value: T) {}
}

/**
 * `now`: someone is waiting (a bet's acknowledgement). `bulk`: throughput over latency (a round's
 * settlement, game records); may be written after `now` jobs queued later. Callers that need one
 * write ordered after another await the first, so reordering across lanes is safe.
 */
export type Lane = 'now' | 'bulk';

interface Job {
  lane: Lane;
  weight: number;
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * State a batch keeps in memory besides its SQL (the wallet's buffered writes, batch-ledger.ts):
 * started with the transaction, undone with a failed job, written just before COMMIT, dropped
 * when the transaction is rolled back.
 */
export interface TransactionHooks {
  begin(): void;
  /** Before each job: a position to undo back to if the job fails. */
  mark(): number;
  undo(mark: number): void;
  /** Just before COMMIT; a throw fails the whole batch. */
  flush(): void;
  reset(): void;
}

export interface WriteQueueOptions {
  /** Ops per transaction: bounds how long one flush holds the write lock. */
  maxBatchOps?: number;
  /**
   * How long a batch keeps retrying while another process holds the write lock. The wait is
   * asynchronous (the event loop keeps running and the other process gets its turn), unlike
   * SQLite's blocking busy handler. Default 5,000.
   */
  lockWaitMs?: number;
  /** Ops waiting to be written: beyond this, new writes fail fast instead of queueing forever. */
  maxPendingOps?: number;
}

const SQLITE_BUSY = 5;

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === 'number' && (code & 0xff) === SQLITE_BUSY;
}

function prepareTransactionControl(db: DatabaseSync) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT job'),
    release: db.prepare('RELEASE job'),
    rollbackTo: db.prepare('ROLLBACK TO job'),
  };
}

/** A FIFO of jobs with a moving head (no shift per job). */
class Fifo {
  jobs: Job[] = [];
  head = 0;

  get size(): number {
    return this.jobs.length - this.head;
  }

  peek(): Job | undefined {
    return this.jobs[this.head];
  }

  shift(): Job {
    const job = this.jobs[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.jobs.length) {
      this.jobs = this.jobs.slice(this.head);
      this.head = 0;
    }
    return job;
  }

  /** Puts jobs back at the front, in their order. */
  unshift(jobs: Job[]): void {
    this.jobs.splice(this.head, 0, ...jobs);
  }
}

/**
 * Bulk ops per batch: at most a quarter of the batch when `now` jobs are in it (they wait for the
 * whole batch to commit), and never more than BULK_BATCH_OPS, so a `now` job arriving during a
 * bulk-only batch waits tens of milliseconds, not hundreds.
 */
const BULK_SHARE = 0.25;
const BULK_BATCH_OPS = 500;

/**
 * Group commit. One fsync per transaction is the cost that dominates a durable write, so every
 * write enqueued during a tick is run in a single BEGIN IMMEDIATE … COMMIT on the next
 * setImmediate. Each job runs inside its own SAVEPOINT, so a failing job undoes only itself.
 * Callers are settled only after COMMIT; if the transaction as a whole fails, every job in it
 * is rejected and nothing of it is written. Jobs come in two lanes (Lane); TransactionHooks carry
 * the in-memory part of a batch (the wallet's working set) through the same lifecycle.
 */
export class WriteQueue {
  private readonly lanes: Record<Lane, Fifo> = { now: new Fifo(), bulk: new Fifo() };
  private pendingOps = 0;
  private timer: NodeJS.Immediate | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private busySince: number | null = null;
  private readonly lockWaitMs: number;
  private closed = false;
  private readonly maxBatchOps: number;
  private readonly maxPendingOps: number;
  private readonly sql: ReturnType<typeof prepareTransactionControl>;

  constructor(
    private readonly db: DatabaseSync,
    opts: WriteQueueOptions = {},
    private readonly hooks?: TransactionHooks,
  ) {
    this.maxBatchOps = opts.maxBatchOps ?? DEFAULT_MAX_BATCH_OPS;
    this.maxPendingOps = opts.maxPendingOps ?? DEFAULT_MAX_PENDING_OPS;
    this.lockWaitMs = opts.lockWaitMs ?? 5_000;
    this.sql = prepareTransactionControl(db);
  }

  /** `weight` is the job's op count, used for batch and queue bounds. */
  enqueue<T>(weight: number, run: () => T, lane: Lane = 'now'): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('store/closed', 'the store is closed'));
    if (this.pendingOps + weight > this.maxPendingOps) {
      return Promise.reject(new StoreError('store/overloaded', `write queue is full (${this.pendingOps} ops pending)`));
    }
    return new Promise<T>((resolve, reject) => {
      this.lanes[lane].jobs.push({ lane, weight, run, resolve: resolve as (value: unknown) => void, reject });
      this.pendingOps += weight;
      this.schedule();
    });
  }

  /** Writes everything queued so far, then refuses new writes. */
  close(): void {
    this.closed = true;
    if (this.timer) clearImmediate(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = null;
    this.retryTimer = null;
    // The last flush may wait for another process's lock synchronously: the process is closing.
    this.db.exec(`PRAGMA busy_timeout = ${this.lockWaitMs}`);
    while (this.queued()) this.flushBatch();
  }

  private schedule(): void {
    if (this.timer || this.retryTimer) return;
    this.timer = setImmediate(() => {
      this.timer = null;
      this.flushBatch();
      // One batch per turn lets I/O (and the other process) in between batches.
      if (this.queued()) this.schedule();
    });
  }

  private queued(): boolean {
    return this.lanes.now.size > 0 || this.lanes.bulk.size > 0;
  }

  private takeBatch(): Job[] {
    const batch: Job[] = [];
    let ops = 0;
    const take = (fifo: Fifo, cap: number) => {
      // At least one job per batch, so a job heavier than the cap still runs (alone).
      for (let job = fifo.peek(); job && (batch.length === 0 || ops + job.weight <= cap); job = fifo.peek()) {
        batch.push(fifo.shift());
        ops += job.weight;
      }
    };
    // While bulk jobs wait, a share of every batch stays theirs, so they progress under any load.
    const bulkShare = Math.min(BULK_BATCH_OPS, Math.ceil(this.maxBatchOps * BULK_SHARE));
    take(this.lanes.now, this.lanes.bulk.size > 0 ? this.maxBatchOps - bulkShare : this.maxBatchOps);
    take(this.lanes.bulk, ops > 0 ? ops + bulkShare : Math.min(BULK_BATCH_OPS, this.maxBatchOps));
    this.pendingOps -= ops;
    return batch;
  }

  private flushBatch(): void {
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    try {
      this.sql.begin.run();
    } catch (error) {
      if (isBusy(error) && !this.closed) this.retryLater(batch, error);
      else this.abort(batch, error);
      return;
    }
    this.busySince = null;
    let settled: Settled[];
    try {
      this.hooks?.begin();
      settled = batch.map((job) => this.runJob(job));
      this.hooks?.flush();
      this.sql.commit.run();
    } catch (error) {
      this.abort(batch, error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = settled[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  /** Throws only when the whole transaction is lost (then the batch is aborted). */
  private runJob(job: Job): Settled {
    this.sql.savepoint.run();
    const mark = this.hooks?.mark() ?? 0;
    try {
      const value = job.run();
      this.sql.release.run();
      return { ok: true, value };
    } catch (error) {
      // Some failures (I/O, full disk, busy) make SQLite roll back the whole transaction;
      // the jobs before this one are gone too, so the batch must fail as a whole.
      if (!this.db.isTransaction) throw error;
      this.sql.rollbackTo.run();
      this.sql.release.run();
      this.hooks?.undo(mark);
      if (error instanceof RollbackWith) return { ok: true, value: error.value };
      return { ok: false, error };
    }
  }

  /** Another process holds the write lock: put the batch back at the head and try again shortly. */
  private retryLater(batch: Job[], cause: unknown): void {
    const now = Date.now();
    this.busySince ??= now;
    if (now - this.busySince > this.lockWaitMs) {
      this.busySince = null;
      this.abort(batch, cause);
      return;
    }
    this.lanes.now.unshift(batch.filter((job) => job.lane === 'now'));
    this.lanes.bulk.unshift(batch.filter((job) => job.lane === 'bulk'));
    this.pendingOps += batch.reduce((sum, job) => sum + job.weight, 0);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flushBatch();
      if (this.queued()) this.schedule();
    }, 1 + Math.random() * 4);
  }

  private abort(batch: Job[], cause: unknown): void {
    this.hooks?.reset();
    try {
      if (this.db.isTransaction) this.sql.rollback.run();
    } catch {
      // The transaction is already gone; nothing of the batch was committed either way.
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    const error = new StoreError('store/write_failed', `batch of ${batch.length} writes not committed: ${message}`);
    for (const job of batch) job.reject(error);
  }
}
