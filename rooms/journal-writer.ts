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
 * An item may instead carry `funding`: the wallet ops that fund its events (a bet's reserve). A
 * batch holding one goes out as a funded append (server/store/funded.ts): each funded item's
 * records go in only with its ops, in the same store write, and a refused item leaves no record
 * and no hold; the item resolves with its ops' outcomes and the room undoes its optimistic state.
 *
 * On any failure the writer is broken for good: the room's in-memory state is ahead of its journal
 * (or of its money) and must be rebuilt from the journal (onBroken tells the room).
 */
import type { JournalEvent, JournalStore, WalletOp, WalletOutcome } from '../server/store/types.ts';
import { toRecords } from './journal-chunks.ts';

interface Item {
  events: JournalEvent[];
  after?: () => Promise<void>;
  funding?: WalletOp[];
  /** A funded item's records, encoded once when it is queued. */
  records?: JournalEvent[];
  outcomes?: WalletOutcome[] | null;
  resolve: (outcomes: WalletOutcome[] | null) => void;
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
    return this.enqueue({ events, after }).then(() => undefined);
  }

  /**
   * Resolves once the store decided the funding: its outcomes, with the events durable exactly
   * when the ops funded them (server/store/funded.ts `funded`).
   */
  appendFunded(events: JournalEvent[], funding: WalletOp[]): Promise<WalletOutcome[]> {
    const records = events.flatMap(toRecords);
    if (records.length > MAX_RECORDS_PER_APPEND) return Promise.reject(new Error(`a funded item of ${this.roomId} exceeds ${MAX_RECORDS_PER_APPEND} records`));
    return this.enqueue({ events, funding, records }).then((outcomes) => outcomes!);
  }

  private enqueue(item: Pick<Item, 'events' | 'after' | 'funding' | 'records'>): Promise<WalletOutcome[] | null> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.queue.length >= this.maxQueued) return Promise.reject(new Error(`journal queue of ${this.roomId} is full`));
    return new Promise((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject });
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
        if (batch.some((i) => i.funding)) await this.writeFunded(batch);
        else await this.write(batch.map((i) => i.events.flatMap(toRecords)));
        const step = batch[batch.length - 1]!.after;
        if (step) await step();
        for (const item of batch) item.resolve(item.outcomes ?? null);
      } catch (err) {
        this.broken = err;
        for (const item of [...batch, ...this.queue.splice(0)]) item.reject(err);
        this.onBroken(err);
      }
    }
    this.flushing = false;
    for (const done of this.idle.splice(0)) done();
  }

  private async write(items: JournalEvent[][]): Promise<void> {
    for (const records of appendGroups(items)) {
      await this.journal.append(this.roomId, this.lastSeq + 1, records, { fence: this.fence?.() });
      this.lastSeq += records.length;
    }
  }

  /** Funded appends of at most MAX_RECORDS_PER_APPEND records each; an unfunded item too large for one goes alone. */
  private async writeFunded(batch: Item[]): Promise<void> {
    let call: Array<{ item: Item; records: JournalEvent[] }> = [];
    let size = 0;
    const send = async () => {
      if (call.length === 0) return;
      const result = await this.journal.appendFunded(this.roomId, this.lastSeq + 1, call.map((c) => ({ records: c.records, funding: c.item.funding })), { fence: this.fence?.() });
      this.lastSeq += result.appended;
      call.forEach((c, i) => (c.item.outcomes = result.outcomes[i] ?? null));
      call = [];
      size = 0;
    };
    for (const item of batch) {
      const records = item.records ?? item.events.flatMap(toRecords);
      if (records.length > MAX_RECORDS_PER_APPEND && !item.funding) {
        await send();
        await this.write([records]);
        continue;
      }
      if (size + records.length > MAX_RECORDS_PER_APPEND) await send();
      call.push({ item, records });
      size += records.length;
    }
    await send();
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
