/**
 * Group commit for wallet calls. A durable MongoDB commit (majority, journaled) costs a few
 * milliseconds, and every wallet transaction takes the ledger's transfer counter, so two of
 * them never commit at once anyway. Calls are therefore queued and written by one transaction
 * at a time per process: every call issued in the same tick, or while the previous
 * transaction was in flight, joins the next one (up to `maxBatchOps` ops).
 *
 * Callers are settled only after the commit. When a batch of several calls fails as a whole
 * with an error that one call could cause, each call is retried alone, so a poison call fails
 * only itself. Pure scheduling: the batch runner is injected.
 */
import { StoreError } from '../types.ts';

export const DEFAULT_MAX_BATCH_OPS = 500;
export const DEFAULT_MAX_PENDING_OPS = 100_000;

export interface GroupCommitOptions {
  /** Ops per transaction: bounds the transaction's size and time. */
  maxBatchOps?: number;
  /** Ops waiting: beyond this, new calls fail fast with store/overloaded instead of queueing forever. */
  maxPendingOps?: number;
}

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitConfig<C, R> extends GroupCommitOptions {
  /** Runs one batch in one transaction; returns a result per call, or throws when the transaction failed. */
  runBatch: (calls: C[]) => Promise<Array<Settled<R>>>;
  weight: (call: C) => number;
  /** Whether a failed batch should be split into single calls (false for errors no call caused, e.g. unreachable). */
  splitOn?: (error: unknown) => boolean;
}

interface Pending<C, R> {
  call: C;
  weight: number;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

function checkLimit(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new StoreError('store/invalid_argument', `${name} must be a positive integer`);
  return value;
}

export class GroupCommit<C, R> {
  private queue: Array<Pending<C, R>> = [];
  private pendingOps = 0;
  private draining: Promise<void> | null = null;
  private closed = false;
  private readonly maxBatchOps: number;
  private readonly maxPendingOps: number;

  constructor(private readonly config: GroupCommitConfig<C, R>) {
    this.maxBatchOps = checkLimit(config.maxBatchOps ?? DEFAULT_MAX_BATCH_OPS, 'maxBatchOps');
    this.maxPendingOps = checkLimit(config.maxPendingOps ?? DEFAULT_MAX_PENDING_OPS, 'maxPendingOps');
  }

  /** Ops queued or in flight. */
  get pending(): number {
    return this.pendingOps;
  }

  submit(call: C): Promise<R> {
    if (this.closed) return Promise.reject(new StoreError('store/closed', 'the store is closed'));
    const weight = this.config.weight(call);
    if (this.pendingOps + weight > this.maxPendingOps) {
      return Promise.reject(new StoreError('store/overloaded', `${this.pendingOps} wallet ops are waiting to be written; retry shortly`));
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ call, weight, resolve, reject });
      this.pendingOps += weight;
      this.draining ??= this.drain();
    });
  }

  /** Refuses new calls, writes every call already queued, then resolves. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the rest of this tick's calls join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) await this.runOne(this.takeBatch());
    } finally {
      this.draining = null;
    }
  }

  private takeBatch(): Array<Pending<C, R>> {
    let ops = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || ops + this.queue[count]!.weight <= this.maxBatchOps)) {
      ops += this.queue[count]!.weight;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async runOne(batch: Array<Pending<C, R>>): Promise<void> {
    try {
      const results = await this.run(batch);
      results.forEach((result, i) => (result.ok ? batch[i]!.resolve(result.value) : batch[i]!.reject(result.error)));
    } finally {
      for (const p of batch) this.pendingOps -= p.weight;
    }
  }

  private async run(batch: Array<Pending<C, R>>): Promise<Array<Settled<R>>> {
    try {
      const results = await this.config.runBatch(batch.map((p) => p.call));
      if (results.length !== batch.length) throw new Error(`batch runner returned ${results.length} results for ${batch.length} calls`);
      return results;
    } catch (error) {
      if (batch.length === 1 || !(this.config.splitOn?.(error) ?? true)) return batch.map(() => ({ ok: false, error }));
      const results: Array<Settled<R>> = [];
      for (const p of batch) {
        try {
          const [result] = await this.config.runBatch([p.call]);
          results.push(result ?? { ok: false, error: new Error('batch runner returned no result') });
        } catch (single) {
          results.push({ ok: false, error: single });
        }
      }
      return results;
    }
  }
}
