/**
 * The store bounds each journal record (64 KiB of data). Some events are legitimately larger —
 * a round's settlement lists every bet (up to the table's maxBetsPerRound), an event's market
 * settlement every bet on it — so the writer splits a large event into `Chunk` records appended
 * in the same atomic append, and replay reassembles them. Records stay bounded; events are bounded
 * by the rooms' own limits (bets per round/event) and by MAX_EVENT_BYTES here.
 */
import type { JournalEvent, JournalRecord } from '../server/store/types.ts';

export const CHUNK = 'Chunk';
/**
 * Characters per chunk. The chunk text is stored JSON-encoded, where a character takes at most 6
 * bytes (`\uXXXX`), so 10,000 characters stay under the store's 64 KiB per record.
 */
const CHUNK_CHARS = 10_000;
/** No single event may exceed this (a programmer error, e.g. an unbounded list). */
export const MAX_EVENT_BYTES = 64 * 1024 * 1024;

interface ChunkData {
  type: string;
  part: number;
  parts: number;
  text: string;
}

export function toRecords(event: JournalEvent): JournalEvent[] {
  const text = JSON.stringify(event.data);
  if (text.length <= CHUNK_CHARS) return [event];
  if (text.length > MAX_EVENT_BYTES) throw new Error(`journal event ${event.type} is ${text.length} characters, over the ${MAX_EVENT_BYTES} limit`);
  const parts = Math.ceil(text.length / CHUNK_CHARS);
  return Array.from({ length: parts }, (_, part) => ({
    type: CHUNK,
    data: { type: event.type, part, parts, text: text.slice(part * CHUNK_CHARS, (part + 1) * CHUNK_CHARS) } satisfies ChunkData,
  }));
}

/** Turns journal records back into events, joining chunks; feed it records in order. */
export class Reassembler {
  private pieces: string[] = [];
  private type = '';

  push(record: JournalRecord): JournalEvent | null {
    if (record.type !== CHUNK) {
      // A chunked event left incomplete by a crash was never acknowledged (its room re-decides it
      // on recovery, and every money step it implies is idempotent): drop the fragment.
      this.pieces = [];
      return record;
    }
    const c = record.data as ChunkData;
    if (c.part === 0) this.pieces = [];
    if (c.part !== this.pieces.length || (c.part > 0 && c.type !== this.type)) throw new Error(`journal ${record.roomId}: chunk ${c.part}/${c.parts} out of order at ${record.seq}`);
    this.type = c.type;
    this.pieces.push(c.text);
    if (this.pieces.length < c.parts) return null;
    const data = JSON.parse(this.pieces.join(''));
    this.pieces = [];
    return { type: c.type, data };
  }
}

/** Replays a room's journal page by page, calling `onEvent` with whole events. Returns the last seq. */
export async function replayJournal(
  journal: { read(roomId: string, opts?: { afterSeq?: number; limit?: number }): Promise<JournalRecord[]> },
  roomId: string,
  onEvent: (event: JournalEvent, seq: number) => void,
  page = 5000,
): Promise<number> {
  const joiner = new Reassembler();
  let lastSeq = 0;
  for (;;) {
    const records = await journal.read(roomId, { afterSeq: lastSeq, limit: page });
    for (const r of records) {
      const event = joiner.push(r);
      if (event) onEvent(event, r.seq);
      lastSeq = r.seq;
    }
    if (records.length < page) return lastSeq;
  }
}
