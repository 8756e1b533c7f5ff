/**
 * The Redis Streams feed source, used when REDIS_URL is set: producers (the feed process, an
 * external provider's adapter, the HTTP ingest) XADD JSON messages to `<prefix>feed:<eventId>`;
 * every room reading an event follows its stream from the beginning with blocking XREADs, so a
 * room rebuilt on another process catches up from the stream. Streams are capped (MAXLEN ~).
 */
import { Redis } from 'ioredis';
import type { FeedSource } from './types.ts';

const MAXLEN = 20_000;
const BLOCK_MS = 2_000;
const BATCH = 200;

export class RedisStreamFeed implements FeedSource {
  private readonly pub: Redis;
  private closed = false;
  private readonly readers = new Set<Redis>();

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly onError: (err: unknown, eventId: string) => void,
    /** Stream family: `feed` (match incidents) or `prices` (the price feed): keys `<prefix><stream>:<eventId>`. */
    private readonly stream = 'feed',
    /** Called when a read succeeds after a failure (Redis is back). */
    private readonly onRecovered: () => void = () => undefined,
  ) {
    this.pub = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
    this.pub.on('error', () => undefined); // reported through failing commands
  }

  key(eventId: string): string {
    return `${this.prefix}${this.stream}:${eventId}`;
  }

  subscribe(eventId: string, onMessage: (raw: unknown) => void): () => void {
    // A blocking XREAD holds its connection: one reader connection per subscribed event.
    const reader = new Redis(this.url, { maxRetriesPerRequest: null });
    reader.on('error', () => undefined);
    this.readers.add(reader);
    let active = true;
    let lastId = '0';
    let failing = false;
    const loop = async () => {
      while (active && !this.closed) {
        try {
          const res = (await reader.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', this.key(eventId), lastId)) as Array<[string, Array<[string, string[]]>]> | null;
          if (failing) {
            failing = false;
            this.onRecovered();
          }
          for (const [, entries] of res ?? []) {
            for (const [id, fields] of entries) {
              lastId = id;
              const i = fields.indexOf('msg');
              onMessage(i >= 0 ? safeJson(fields[i + 1]!) : null);
            }
          }
        } catch (err) {
          if (!active || this.closed) break;
          failing = true;
          this.onError(err, eventId);
          await new Promise((r) => setTimeout(r, 1000)); // Redis unreachable: keep the room serving, retry
        }
      }
    };
    void loop();
    return () => {
      active = false;
      this.readers.delete(reader);
      reader.disconnect();
    };
  }

  async publish(eventId: string, raw: unknown): Promise<void> {
    await this.pub.xadd(this.key(eventId), 'MAXLEN', '~', MAXLEN, '*', 'msg', JSON.stringify(raw));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.readers) r.disconnect();
    this.readers.clear();
    this.pub.disconnect();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { malformed: text.slice(0, 200) };
  }
}
