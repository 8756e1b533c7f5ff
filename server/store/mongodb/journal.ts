/**
 * Room journals on MongoDB. An append is one transaction: check the fence (`room_fences`), check
 * the sequence against the room's `journal_rooms` document, insert the records, move lastSeq.
 * Two concurrent appends at the same sequence collide on the room document (or on the unique
 * (roomId, seq) index); the loser's retry re-reads and reports journal/seq_conflict.
 */
import { randomBytes } from 'node:crypto';
import type { ClientSession, Db } from 'mongodb';
import { StoreError, type JournalRecord, type JournalStore, type WalletOp } from '../types.ts';
import { assertFundedEntries, funded, type FundedAppendResult } from '../funded.ts';
import { mongoLedgerSource } from './ledger-source.ts';
import { applyCalls, type WalletCall } from './wallet-batch.ts';
import { callIdFactory } from './wallet-writer.ts';
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

  /**
   * Inside the transaction: checks (and raises) the room's fence and its next sequence number;
   * 'committed' when this append's own earlier attempt committed (a retry after an unconfirmed commit).
   */
  async function checkAppendAt(session: ClientSession, roomId: string, firstSeq: number, fence: number | undefined, appendId: string): Promise<number | 'committed'> {
    if (fence !== undefined) {
      const recordedDoc = await fences.findOne({ _id: roomId }, { session });
      const recorded = recordedDoc ? toInt(recordedDoc.fence, 'room_fences.fence') : -1;
      if (fence < recorded) throw new StoreError('journal/stale_fence', `fence ${fence} < ${recorded} for room ${roomId}`);
      if (fence > recorded) await fences.updateOne({ _id: roomId }, { $set: { fence: long(fence) } }, { session, upsert: true });
    }
    const room = await rooms.findOne({ _id: roomId }, { session });
    const last = room ? toInt(room.lastSeq, 'journal_rooms.lastSeq') : 0;
    if (room?.lastAppendId === appendId) return 'committed';
    if (firstSeq !== last + 1) {
      throw new StoreError('journal/seq_conflict', `room ${roomId} is at seq ${last}, append starts at ${firstSeq}`);
    }
    return last;
  }

  /**
   * A funded append in one transaction: the journal's checks, every entry's ops through the
   * wallet's batch logic (each funded call undone unless it funds its entry), the funded records.
   * A retry after an unconfirmed commit replays the ops (same call ids) and finds its records in.
   */
  const nextCallId = callIdFactory();
  function appendFunded(roomId: string, firstSeq: number, entries: Array<{ encoded: EncodedEvent[]; ops: WalletOp[] | null }>, fence: number | undefined, at: number): Promise<FundedAppendResult> {
    const appendId = randomBytes(12).toString('hex');
    const calls: WalletCall[] = entries.flatMap((e) => (e.ops ? [{ callId: nextCallId(), ops: e.ops, atomic: true, funding: true, ...(fence === undefined ? {} : { fence: { roomId, fence } }) }] : []));
    return txns.run('journal', async (session) => {
      const last = await checkAppendAt(session, roomId, firstSeq, fence, appendId);
      const results = calls.length > 0 ? await applyCalls(mongoLedgerSource(db, session), calls, () => at) : [];
      let call = 0;
      let seq = firstSeq;
      const outcomes: FundedAppendResult['outcomes'] = [];
      const docs: JournalDoc[] = [];
      for (const entry of entries) {
        if (entry.ops) {
          const result = results[call++]!;
          if (!result.ok) throw result.error;
          outcomes.push(result.outcomes);
          if (!funded(result.outcomes)) continue;
        } else outcomes.push(null);
        entry.encoded.forEach(({ type, json }, i) => docs.push(journalDoc(roomId, seq + i, type, json, at)));
        seq += entry.encoded.length;
      }
      if (last === 'committed') return { appended: seq - firstSeq, outcomes };
      if (docs.length > 0) {
        await rooms.updateOne({ _id: roomId }, { $set: { lastSeq: long(seq - 1), lastAppendId: appendId } }, { session, upsert: true });
        await journal.insertMany(docs, { session, ordered: true });
      }
      return { appended: seq - firstSeq, outcomes };
    });
  }

  function append(roomId: string, firstSeq: number, encoded: EncodedEvent[], fence: number | undefined, at: number): Promise<JournalRecord[]> {
    const records = encoded.map(({ type, json }, i) => ({ roomId, seq: firstSeq + i, type, data: JSON.parse(json) as unknown, at }));
    const lastOfAppend = firstSeq + encoded.length - 1;
    // Tells this append's own commit apart from another writer's when a retry follows an unconfirmed commit.
    const appendId = randomBytes(12).toString('hex');

    return txns.run('journal', async (session) => {
      const last = await checkAppendAt(session, roomId, firstSeq, fence, appendId);
      if (last === 'committed') return records;
      await rooms.updateOne({ _id: roomId }, { $set: { lastSeq: long(lastOfAppend), lastAppendId: appendId } }, { session, upsert: true });
      await journal.insertMany(
        encoded.map(({ type, json }, i) => journalDoc(roomId, firstSeq + i, type, json, at)),
        { session, ordered: true },
      );
      return records;
    });
  }

  const store: JournalStore = {
    async append(roomId, firstSeq, events, opts) {
      checkRoomId(roomId);
      checkAppend(firstSeq, opts);
      const encoded = encodeEvents(events);
      return append(roomId, firstSeq, encoded, opts?.fence, opts?.at ?? now());
    },

    async appendFunded(roomId, firstSeq, entries, opts) {
      checkRoomId(roomId);
      checkAppend(firstSeq, opts);
      assertFundedEntries(entries);
      const encoded = entries.map((e) => ({ encoded: encodeEvents(e.records), ops: e.funding ?? null }));
      return appendFunded(roomId, firstSeq, encoded, opts?.fence, opts?.at ?? now());
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
  return store;
}
