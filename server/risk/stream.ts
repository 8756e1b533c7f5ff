/**
 * The risk event stream (docs/FRAUD.md, "The event stream"): producers publish each domain event
 * once; the risk service consumes it. With REDIS_URL it is a Redis Stream `<prefix>risk:events`,
 * capped with `MAXLEN ~`, read by the consumer group `risk` under a stable consumer name: entries
 * stay pending until the consumer acknowledges them, which it does only after its checkpoint holds
 * their effect, so a consumer that restarts first re-reads its pending entries (nothing lost) and
 * recognises the ones its checkpoint already holds by their event ids (nothing counted twice).
 * Without Redis it is an in-process queue (bounded; on overflow the oldest entry is dropped and
 * counted, like the stream's trimming).
 */
import { Redis } from 'ioredis';
import { riskEventSchema, type RiskEvent } from '../../actors/risk/index.ts';

export interface Delivery {
  /** Stream entry id (Redis) or sequence (in process): what `ack` takes. */
  entryId: string;
  /** When it was published (ms), for the flag-latency measurement. */
  publishedAt: number;
  /** null when the entry could not be read as an event (it is acknowledged and skipped). */
  event: RiskEvent | null;
}

export interface RiskStream {
  publish(e: RiskEvent): Promise<void>;
  /** Next deliveries: first this consumer's pending (unacknowledged) ones, then new ones; waits up to `blockMs`. */
  read(max: number, blockMs: number): Promise<Delivery[]>;
  ack(entryIds: readonly string[]): Promise<void>;
  /** Entries published but not yet acknowledged (the consumer's lag). */
  lag(): Promise<number>;
  close(): Promise<void>;
}

export class InProcessRiskStream implements RiskStream {
  private readonly queue: Array<{ seq: number; publishedAt: number; event: RiskEvent }> = [];
  private readonly unacked = new Map<string, Delivery>();
  private seq = 0;
  private wake: (() => void) | null = null;
  dropped = 0;

  constructor(
    private readonly maxLength = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async publish(e: RiskEvent): Promise<void> {
    this.queue.push({ seq: ++this.seq, publishedAt: this.now(), event: e });
    if (this.queue.length > this.maxLength) {
      this.queue.shift();
      this.dropped += 1;
    }
    this.wake?.();
  }

  async read(max: number, blockMs: number): Promise<Delivery[]> {
    if (this.queue.length === 0 && blockMs > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, blockMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
    const out = this.queue.splice(0, max).map((q) => ({ entryId: String(q.seq), publishedAt: q.publishedAt, event: q.event }));
    for (const d of out) this.unacked.set(d.entryId, d);
    return out;
  }

  async ack(entryIds: readonly string[]): Promise<void> {
    for (const id of entryIds) this.unacked.delete(id);
  }

  async lag(): Promise<number> {
    return this.queue.length + this.unacked.size;
  }

  async close(): Promise<void> {
    this.wake?.();
  }
}

export const RISK_GROUP = 'risk';

export class RedisRiskStream implements RiskStream {
  private readonly pub: Redis;
  private reader: Redis | null = null;
  private groupReady = false;
  /** Re-read our own pending entries first (after a restart), then new ones. */
  private pendingDone = false;
  private pendingCursor = '0';
  readonly key: string;

  constructor(
    private readonly url: string,
    prefix: string,
    private readonly maxLength = 100_000,
    private readonly consumer = 'risk-1',
  ) {
    this.key = `${prefix}risk:events`;
    this.pub = new Redis(url, { maxRetriesPerRequest: 2 });
    this.pub.on('error', () => undefined); // reported through failing commands
  }

  async publish(e: RiskEvent): Promise<void> {
    await this.pub.xadd(this.key, 'MAXLEN', '~', this.maxLength, '*', 'e', JSON.stringify(e));
  }

  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      // From the start of the stream: a first consumer reads whatever was published before it.
      await this.pub.xgroup('CREATE', this.key, RISK_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.groupReady = true;
  }

  async read(max: number, blockMs: number): Promise<Delivery[]> {
    await this.ensureGroup();
    // A blocking read holds its connection: a reader of its own.
    if (!this.reader) {
      this.reader = new Redis(this.url, { maxRetriesPerRequest: null });
      this.reader.on('error', () => undefined); // reported through failing reads
    }
    if (!this.pendingDone) {
      // Our pending entries after the cursor (they stay pending until acknowledged, so the cursor moves on).
      const pending = await this.readGroup(this.pendingCursor, max, 0);
      if (pending.length > 0) {
        this.pendingCursor = pending.at(-1)!.entryId;
        return pending;
      }
      this.pendingDone = true;
    }
    return this.readGroup('>', max, blockMs);
  }

  private async readGroup(from: string, max: number, blockMs: number): Promise<Delivery[]> {
    const args: Array<string | number> = ['GROUP', RISK_GROUP, this.consumer, 'COUNT', max];
    if (blockMs > 0) args.push('BLOCK', blockMs);
    const res = (await (this.reader!.xreadgroup as (...a: Array<string | number>) => Promise<unknown>)(...args, 'STREAMS', this.key, from)) as Array<[string, Array<[string, string[] | null]>]> | null;
    return (res?.[0]?.[1] ?? []).map(([entryId, fields]) => ({ entryId, publishedAt: Number(entryId.split('-')[0]), event: parse(fields) }));
  }

  async ack(entryIds: readonly string[]): Promise<void> {
    if (entryIds.length > 0) await this.pub.xack(this.key, RISK_GROUP, ...entryIds);
  }

  async lag(): Promise<number> {
    await this.ensureGroup();
    const groups = (await this.pub.xinfo('GROUPS', this.key)) as Array<Array<string | number>>;
    for (const g of groups) {
      const i = g.indexOf('name');
      if (g[i + 1] !== RISK_GROUP) continue;
      const pending = Number(g[g.indexOf('pending') + 1] ?? 0);
      const lagAt = g.indexOf('lag');
      return pending + (lagAt >= 0 ? Number(g[lagAt + 1] ?? 0) : 0);
    }
    return 0;
  }

  async close(): Promise<void> {
    this.reader?.disconnect();
    this.pub.disconnect();
  }
}

/** A stream entry's event, or null (trimmed away while pending, or not an event). */
function parse(fields: string[] | null): RiskEvent | null {
  if (!fields) return null;
  const i = fields.indexOf('e');
  if (i < 0) return null;
  try {
    const parsed = riskEventSchema.safeParse(JSON.parse(fields[i + 1]!));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
