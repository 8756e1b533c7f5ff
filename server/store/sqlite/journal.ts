import type { DatabaseSync } from 'node:sqlite';
import { StoreError, type JournalRecord, type JournalStore } from '../types.ts';
import { MAX_READ_LIMIT, checkNonNegativeInteger, checkRoomId, encodeEvents, invalid, type EncodedEvent } from '../journal-input.ts';
import { assertFundedEntries } from '../funded.ts';

export { MAX_EVENTS_PER_APPEND, MAX_EVENT_DATA_BYTES, MAX_READ_LIMIT } from '../journal-input.ts';
import type { Writer } from './writer.ts';

/** A GLOB pattern matching ids that start with `prefix` (GLOB is case-sensitive and can use the primary key). */
function globPrefix(prefix: string): string {
  return prefix.replace(/[*?[]/g, (c) => `[${c}]`) + '*';
}

/**
 * The steps of an append, inside the write transaction (so the checks and the inserts see the
 * same state in every process): shared by plain appends and funded ones (funded.ts).
 */
export function journalAppender(db: DatabaseSync) {
  const sql = {
    lastSeq: db.prepare('SELECT last_seq FROM journal_rooms WHERE room_id = ?'),
    setLastSeq: db.prepare(
      'INSERT INTO journal_rooms (room_id, last_seq) VALUES (?1, ?2) ON CONFLICT (room_id) DO UPDATE SET last_seq = ?2',
    ),
    fence: db.prepare('SELECT fence FROM room_fences WHERE room_id = ?'),
    setFence: db.prepare(
      'INSERT INTO room_fences (room_id, fence) VALUES (?1, ?2) ON CONFLICT (room_id) DO UPDATE SET fence = ?2',
    ),
    insert: db.prepare('INSERT INTO journal (room_id, seq, type, data, at) VALUES (?, ?, ?, ?, ?)'),
  };
  return {
    /** The fence (recorded when higher) and the sequence: `firstSeq` must be the room's next. */
    check(roomId: string, firstSeq: number, fence: number | undefined): void {
      if (fence !== undefined) {
        const recorded = Number(sql.fence.get(roomId)?.fence ?? -1);
        if (fence < recorded) throw new StoreError('journal/stale_fence', `fence ${fence} < ${recorded} for room ${roomId}`);
        if (fence > recorded) sql.setFence.run(roomId, fence);
      }
      const last = Number(sql.lastSeq.get(roomId)?.last_seq ?? 0);
      if (firstSeq !== last + 1) {
        throw new StoreError('journal/seq_conflict', `room ${roomId} is at seq ${last}, append starts at ${firstSeq}`);
      }
    },
    insert(roomId: string, firstSeq: number, encoded: EncodedEvent[], at: number): void {
      encoded.forEach(({ type, json }, i) => sql.insert.run(roomId, firstSeq + i, type, json, at));
    },
    setLast(roomId: string, lastSeq: number): void {
      sql.setLastSeq.run(roomId, lastSeq);
    },
  };
}

/** The journal's writes, run inside the write transaction (writes.ts). */
export function journalWrites(appender: ReturnType<typeof journalAppender>) {
  return {
    'journal.append'(roomId: string, firstSeq: number, encoded: EncodedEvent[], fence: number | undefined, at: number): void {
      appender.check(roomId, firstSeq, fence);
      appender.insert(roomId, firstSeq, encoded, at);
      appender.setLast(roomId, firstSeq + encoded.length - 1);
    },
  };
}

export function createSqliteJournal(db: DatabaseSync, writer: Writer, now: () => number): JournalStore {
  const sql = {
    lastSeq: db.prepare('SELECT last_seq FROM journal_rooms WHERE room_id = ?'),
    read: db.prepare('SELECT seq, type, data, at FROM journal WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    rooms: db.prepare('SELECT room_id FROM journal_rooms ORDER BY room_id'),
    roomsByPrefix: db.prepare('SELECT room_id FROM journal_rooms WHERE room_id GLOB ? ORDER BY room_id'),
  };

  const lastSeqOf = (roomId: string): number => Number(sql.lastSeq.get(roomId)?.last_seq ?? 0);

  return {
    async append(roomId, firstSeq, events, opts) {
      checkRoomId(roomId);
      if (typeof firstSeq !== 'number' || !Number.isSafeInteger(firstSeq) || firstSeq < 1) invalid('firstSeq must be a positive integer');
      if (opts?.fence !== undefined) checkNonNegativeInteger(opts.fence, 'fence');
      if (opts?.at !== undefined) checkNonNegativeInteger(opts.at, 'at');
      const encoded = encodeEvents(events);
      const at = opts?.at ?? now();
      await writer.call('journal.append', encoded.length, 'now', roomId, firstSeq, encoded, opts?.fence, at);
      return encoded.map(({ type, json }, i): JournalRecord => ({ roomId, seq: firstSeq + i, type, data: JSON.parse(json) as unknown, at }));
    },

    async appendFunded(roomId, firstSeq, entries, opts) {
      checkRoomId(roomId);
      if (typeof firstSeq !== 'number' || !Number.isSafeInteger(firstSeq) || firstSeq < 1) invalid('firstSeq must be a positive integer');
      if (opts?.fence !== undefined) checkNonNegativeInteger(opts.fence, 'fence');
      if (opts?.at !== undefined) checkNonNegativeInteger(opts.at, 'at');
      assertFundedEntries(entries);
      const encoded = entries.map((e) => ({ encoded: encodeEvents(e.records), ops: e.funding ?? null }));
      const weight = encoded.reduce((n, e) => n + e.encoded.length + (e.ops?.length ?? 0), 0);
      return writer.call('journal.appendFunded', weight, 'now', roomId, firstSeq, encoded, opts?.fence, opts?.at ?? now());
    },

    async read(roomId, opts) {
      const afterSeq = opts?.afterSeq ?? 0;
      const limit = opts?.limit ?? MAX_READ_LIMIT;
      checkNonNegativeInteger(afterSeq, 'afterSeq');
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_READ_LIMIT) invalid(`limit must be 1..${MAX_READ_LIMIT}`);
      return sql.read.all(roomId, afterSeq, limit).map((row) => ({
        roomId,
        seq: Number(row.seq),
        type: String(row.type),
        data: JSON.parse(String(row.data)) as unknown,
        at: Number(row.at),
      }));
    },

    async lastSeq(roomId) {
      return lastSeqOf(roomId);
    },

    async listRooms(prefix) {
      const rows = prefix ? sql.roomsByPrefix.all(globPrefix(prefix)) : sql.rooms.all();
      return rows.map((row) => String(row.room_id));
    },
  };
}
