/**
 * Where the SQLite store's writes run. Every write is a named handler (writes.ts) executed inside
 * the group-commit WriteQueue's transaction. By default the queue and its own connection live in
 * a worker thread (writer-worker.ts): the B-tree work and the fsync of every commit then run
 * beside the event loop instead of on it, and the main thread only posts a batch of calls per
 * tick and reads (WAL readers never wait for the writer). `writerThread: false` (index.ts) runs
 * the same handlers on the caller's thread.
 */
import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';
import { StoreError } from '../types.ts';
import { siblingModule } from '../../modules.ts';
import { createWriteHandlers, type WriteArgs, type WriteHandlers, type WriteKind, type WriteResult } from './writes.ts';
import type { LedgerOptions } from './history.ts';
import { DEFAULT_MAX_PENDING_OPS, WriteQueue, type Lane, type WriteQueueOptions } from './write-queue.ts';

export interface Writer {
  /** `weight` is the op count (batch and queue bounds); `lane` see write-queue.ts. */
  call<K extends WriteKind>(kind: K, weight: number, lane: Lane, ...args: WriteArgs<K>): Promise<WriteResult<K>>;
  /** Writes everything accepted so far, then refuses new writes. */
  close(): Promise<void>;
  /** Throws when the writer can take no writes (closed, or its thread died). */
  check(): void;
}

/** Errors cross the thread boundary as plain data; StoreErrors keep their code. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  errcode?: number;
}

export function toWire(error: unknown): WireError {
  if (error instanceof Error) {
    const e = error as Error & { code?: unknown; errcode?: unknown };
    return {
      name: e.name, message: e.message,
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(typeof e.errcode === 'number' ? { errcode: e.errcode } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

export function fromWire(wire: WireError): Error {
  if (wire.name === 'StoreError' && wire.code) return new StoreError(wire.code, wire.message);
  const error = new Error(wire.message) as Error & { code?: string; errcode?: number };
  error.name = wire.name;
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.errcode !== undefined) error.errcode = wire.errcode;
  return error;
}

/** main → worker */
export type ToWorker = { type: 'calls'; calls: Array<[id: number, kind: WriteKind, weight: number, lane: Lane, args: unknown[]]> } | { type: 'close' };
/** worker → main */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: WireError }
  | { type: 'replies'; replies: Array<[id: number, ok: true, value: unknown] | [id: number, ok: false, error: WireError]> };

export interface WriterWorkerData {
  path: string;
  busyTimeoutMs?: number;
  queue: WriteQueueOptions;
  ledger?: LedgerOptions;
}

export interface ThreadWriterOptions {
  /** Called once if the thread dies while the store is open (not on close). */
  onLost?: (error: Error) => void;
  /** The worker's module; tests substitute one that fails. */
  workerUrl?: URL;
}

/** Same thread: the handlers run in the caller's event loop. */
export class InlineWriter implements Writer {
  private readonly queue: WriteQueue;
  private readonly handlers: WriteHandlers;
  private closed = false;

  constructor(db: DatabaseSync, opts: WriteQueueOptions, ledger: LedgerOptions = {}) {
    const { handlers, hooks } = createWriteHandlers(db, ledger);
    this.queue = new WriteQueue(db, opts, hooks);
    this.handlers = handlers;
  }

  call<K extends WriteKind>(kind: K, weight: number, lane: Lane, ...args: WriteArgs<K>): Promise<WriteResult<K>> {
    const handler = this.handlers[kind] as (...a: WriteArgs<K>) => WriteResult<K>;
    return this.queue.enqueue(weight, () => handler(...args), lane);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.close();
  }

  check(): void {
    if (this.closed) throw new StoreError('store/closed', 'the store is closed');
  }
}

/** Writer threads alive in this process (for `/metrics`, server/metrics.ts). */
const liveThreads = new Set<Worker>();

/**
 * Milliseconds the event loops of this process's live writer threads have been busy (running
 * writes and commits, fsync included), summed; read from this thread, nothing asked of theirs.
 */
export function writerThreadsBusyMs(): number {
  let ms = 0;
  for (const w of liveThreads) ms += w.performance.eventLoopUtilization().active;
  return ms;
}

/** The OS thread name of a writer thread (`/proc/<pid>/task/<tid>/comm`, at most 15 characters). */
export const WRITER_THREAD_NAME = 'sqlite-writer';

interface Pending {
  weight: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A worker thread owns the write connection. Calls made during one tick go over in one message;
 * replies come back in one message per committed batch. The worker keeps the process alive only
 * while writes are outstanding, like any other pending I/O.
 */
export class ThreadWriter implements Writer {
  private readonly pending = new Map<number, Pending>();
  private outbox: Array<[number, WriteKind, number, Lane, unknown[]]> = [];
  private flushTimer: NodeJS.Immediate | null = null;
  private nextId = 1;
  private pendingOps = 0;
  private dead: Error | null = null;
  private closing: Promise<void> | null = null;
  private readonly maxPendingOps: number;

  private constructor(
    private readonly worker: Worker,
    maxPendingOps: number,
    private readonly onLost?: (error: Error) => void,
  ) {
    this.maxPendingOps = maxPendingOps;
    liveThreads.add(worker);
    worker.once('exit', () => liveThreads.delete(worker));
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    worker.on('error', (error) => this.die(new StoreError('store/write_failed', `the store's writer thread failed: ${error.message}`)));
    worker.on('exit', (code) => this.die(new StoreError(this.closing ? 'store/closed' : 'store/write_failed', this.closing ? 'the store is closed' : `the store's writer thread exited (${code})`)));
    worker.unref();
  }

  /** Starts the thread and waits until its connection is open. */
  static async start(data: WriterWorkerData, opts: ThreadWriterOptions = {}): Promise<ThreadWriter> {
    const worker = new Worker(opts.workerUrl ?? siblingModule('writer-worker', import.meta.url), { workerData: data, name: WRITER_THREAD_NAME });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (msg: FromWorker) => {
        if (msg.type === 'ready') done(null);
        else if (msg.type === 'failed') done(fromWire(msg.error));
      };
      const onError = (error: Error) => done(error);
      const onExit = (code: number) => done(new StoreError('store/write_failed', `the store's writer thread exited (${code}) while starting`));
      const done = (error: Error | null) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (error) {
          void worker.terminate();
          reject(error);
        } else resolve();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return new ThreadWriter(worker, data.queue.maxPendingOps ?? DEFAULT_MAX_PENDING_OPS, opts.onLost);
  }

  call<K extends WriteKind>(kind: K, weight: number, lane: Lane, ...args: WriteArgs<K>): Promise<WriteResult<K>> {
    if (this.dead || this.closing) return Promise.reject(this.dead ?? new StoreError('store/closed', 'the store is closed'));
    if (this.pendingOps + weight > this.maxPendingOps) {
      return Promise.reject(new StoreError('store/overloaded', `write queue is full (${this.pendingOps} ops pending)`));
    }
    const id = this.nextId++;
    return new Promise<WriteResult<K>>((resolve, reject) => {
      this.pending.set(id, { weight, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.pendingOps += weight;
      this.outbox.push([id, kind, weight, lane, args]);
      this.flushTimer ??= setImmediate(() => this.flush());
    });
  }

  check(): void {
    if (this.dead) throw this.dead;
    if (this.closing) throw new StoreError('store/closed', 'the store is closed');
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.dead) return resolve();
      this.flush();
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    });
    return this.closing;
  }

  private flush(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = null;
    if (this.outbox.length === 0 || this.dead) return;
    const calls = this.outbox;
    this.outbox = [];
    try {
      this.worker.postMessage({ type: 'calls', calls } satisfies ToWorker);
    } catch {
      // Some argument cannot be cloned: send the calls one by one and refuse only the bad ones.
      for (const call of calls) {
        try {
          this.worker.postMessage({ type: 'calls', calls: [call] } satisfies ToWorker);
        } catch (error) {
          this.settle(call[0], false, toWire(new StoreError('store/invalid_argument', `store write ${call[1]} has arguments that are not plain data: ${(error as Error).message}`)));
        }
      }
    }
  }

  private onMessage(msg: FromWorker): void {
    if (msg.type !== 'replies') return;
    for (const reply of msg.replies) this.settle(reply[0], reply[1], reply[2]);
  }

  private settle(id: number, ok: boolean, value: unknown): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    this.pendingOps -= call.weight;
    if (ok) call.resolve(value);
    else call.reject(fromWire(value as WireError));
    if (this.pending.size === 0) this.worker.unref();
  }

  /**
   * Nothing more can be written: every outstanding call fails. Its write may or may not have
   * committed (the thread died before answering); callers' idempotency keys make a retry safe.
   */
  private die(error: Error): void {
    const first = this.dead === null;
    this.dead ??= error;
    if (first && !this.closing) this.onLost?.(error);
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = null;
    this.outbox = [];
    for (const call of this.pending.values()) call.reject(this.dead);
    this.pending.clear();
    this.pendingOps = 0;
  }
}
