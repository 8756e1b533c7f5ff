/**
 * Room journals on MongoDB. An append is one transaction: check the fence (`room_fences`), check
 * the sequence against the room's `journal_rooms` document, insert the records, move lastSeq.
 * Two concurrent appends at the same sequence collide on the room document (or on the unique
 * (roomId, seq) index); the loser's retry re-reads and reports journal/seq_conflict.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { StoreError, type JournalRecord, type JournalStore } from '../types.ts';
import { journalDoc, long, prefixPattern, toInt, toJournalRecord } from './documents.ts';
import { COLLECTIONS, type JournalDoc, type JournalRoomDoc, type RoomFenceDoc } from './schema.ts';
import { translated, type TransactionRunner } from './transactions.ts';
import { checkAppend, checkReadQuery, checkRoomId, encodeEvents, type EncodedEvent } from './validate.ts';

export function createMongoJournal(db: Db, txns: TransactionRunner, now: () => number): JournalStore {
  const journal = db.collection<JournalDoc>(COLLECTIONS.journal);
  const rooms = db.collection<JournalRoomDoc>(COLLECTIONS.journalRooms);
  const fences = db.collection<RoomFenceDoc>(COLLECTIONS.roomFences);

  const lastSeqOf = async (roomId: string): Promise<number> => {
    const room = await translated('read', () => rooms.findOne({ _id: roomId }));
    return room ? toInt(room.lastSeq, 'journal_rooms.lastSeq') : 0;
  };

  function append(roomId: string, firstSeq: number, encoded: EncodedEvent[], fence: number | undefined, at: number): Promise<JournalRecord[]> {
    const records = encoded.map(({ type, json }, i) => ({ roomId, seq: firstSeq + i, type, data: JSON.parse(json) as unknown, at }));
    const lastOfAppend = firstSeq + encoded.length - 1;
    // Tells this append's own commit apart from another writer's when a retry follows an unconfirmed commit.
    const appendId = randomBytes(12).toString('hex');

    return txns.run('journal', async (session) => {
      if (fence !== undefined) {
        const recordedDoc = await fences.findOne({ _id: roomId }, { session });
        const recorded = recordedDoc ? toInt(recordedDoc.fence, 'room_fences.fence') : -1;
        if (fence < recorded) throw new StoreError('journal/stale_fence', `fence ${fence} < ${recorded} for room ${roomId}`);
        if (fence > recorded) await fences.updateOne({ _id: roomId }, { $set: { fence: long(fence) } }, { session, upsert: true });
      }
      const room = await rooms.findOne({ _id: roomId }, { session });
      const last = room ? toInt(room.lastSeq, 'journal_rooms.lastSeq') : 0;
      if (room?.lastAppendId === appendId && last === lastOfAppend) return records;
      if (firstSeq !== last + 1) {
        throw new StoreError('journal/seq_conflict', `room ${roomId} is at seq ${last}, append starts at ${firstSeq}`);
      }
      await rooms.updateOne({ _id: roomId }, { $set: { lastSeq: long(lastOfAppend), lastAppendId: appendId } }, { session, upsert: true });
      await journal.insertMany(
        encoded.map(({ type, json }, i) => journalDoc(roomId, firstSeq + i, type, json, at)),
        { session, ordered: true },
      );
      return records;
    });
  }

  return {
    async append(roomId, firstSeq, events, opts) {
      checkRoomId(roomId);
      checkAppend(firstSeq, opts);
      const encoded = encodeEvents(events);
      return append(roomId, firstSeq, encoded, opts?.fence, opts?.at ?? now());
    },

    async read(roomId, opts) {
      const { afterSeq, limit } = checkReadQuery(opts);
      const docs = await translated('read', () =>
        journal.find({ roomId, seq: { $gt: long(afterSeq) } }).sort({ seq: 1 }).limit(limit).toArray(),
      );
      return docs.map(toJournalRecord);
    },

    lastSeq: lastSeqOf,

    async listRooms(prefix) {
      const filter = prefix ? { _id: { $regex: prefixPattern(prefix) } } : {};
      const docs = await translated('read', () => rooms.find(filter, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray());
      return docs.map((doc) => String(doc._id));
    },
  };
}
