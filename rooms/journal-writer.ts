/**
 * A room's ordered, coalescing journal writer. Events are numbered in the order the room decided
 * them; while one append is in flight, later events queue and go out together in the next append
 * (group commit per room).
 *
 * An item may carry an `after` step: the money its events imply (idempotent wallet calls). The
 * decision is durable first, then its money moves (write-ahead): an item with a step ends its
 * append, its step runs, and nothing queued after it is appended before the step is done. So
 * money never moves for a decision the journal lacks, and at most the last money-bearing item
 * of a journal can have incomplete money; a new owner completes it from the journal (its open
 * holds and their recorded outcomes), with the same idempotency keys.
 *
 * On any failure the writer is broken for good: the room's in-memory state is ahead of its journal
 * (or of its money) and must be rebuilt from the journal (onBroken tells the room).
 */
import type { JournalEvent, JournalStore } from '../server/store/types.ts';
import { toRecords } from './journal-chunks.ts';

interface Item {
  events: JournalEvent[];
  after?: () => Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class JournalWriter {
  private queue: Item[] = [];
  private flushing = false;
  private broken: unknown = null;
  private idle: Array<() => void> = [];

  constructor(
    private readonly journal: JournalStore,
    readonly roomId: string,
    /** Sequence number of the last durable record. */
    private lastSeq: number,
    private readonly onBroken: (err: unknown) => void,
    /** Fencing token of this room's ownership lease, when clustered. */
    private readonly fence?: () => number | undefined,
    private readonly maxQueued = 50_000,
  ) {}

  get seq(): number {
    return this.lastSeq;
  }

  /** Resolves once the events are durable and `after` (their money) has completed. */
  append(events: JournalEvent[], after?: () => Promise<void>): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.queue.length >= this.maxQueued) return Promise.reject(new Error(`journal queue of ${this.roomId} is full`));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ events, after, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Resolves once everything queued so far is durable (or the writer broke). */
  drain(): Promise<void> {
    if (!this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0 && !this.broken) {
      // Up to and including the first item with money: that item's step runs before anything later is appended.
      let take = 0;
      while (take < Math.min(this.queue.length, 1000)) if (this.queue[take++]!.after) break;
      const batch = this.queue.splice(0, take);
      try {
        for (const records of appendGroups(batch.map((i) => i.events.flatMap(toRecords)))) {
          await this.journal.append(this.roomId, this.lastSeq + 1, records, { fence: this.fence?.() });
          this.lastSeq += records.length;
        }
        const step = batch[batch.length - 1]!.after;
        if (step) await step();
        for (const item of batch) item.resolve();
      } catch (err) {
        this.broken = err;
        for (const item of [...batch, ...this.queue.splice(0)]) item.reject(err);
        this.onBroken(err);
      }
    }
    this.flushing = false;
    for (const done of this.idle.splice(0)) done();
  }
}

/** The store takes at most this many records per append. */
const MAX_RECORDS_PER_APPEND = 1000;

/**
 * Packs the items' records into appends of at most MAX_RECORDS_PER_APPEND, keeping each item in
 * one append when it fits (so its events are atomic); a larger item (a huge chunked event) spans
 * several appends, and replay drops a fragment a crash left behind.
 */
export function appendGroups(items: JournalEvent[][]): JournalEvent[][] {
  const groups: JournalEvent[][] = [];
  let current: JournalEvent[] = [];
  for (const records of items) {
    if (current.length + records.length > MAX_RECORDS_PER_APPEND && current.length > 0) {
      groups.push(current);
      current = [];
    }
    for (let i = 0; i < records.length; i += MAX_RECORDS_PER_APPEND) {
      const slice = records.slice(i, i + MAX_RECORDS_PER_APPEND);
      if (current.length + slice.length > MAX_RECORDS_PER_APPEND) {
        groups.push(current);
        current = [];
      }
      current.push(...slice);
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
