import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { GameStore } from '../types.ts';
import { eventDoc, playerRoundDoc, roundUpsert, toEvent, toPlayerRound, toRound } from './documents.ts';
import { COLLECTIONS, type EventDoc, type GameRoundDoc, type PlayerRoundDoc } from './schema.ts';
import { translated, type TransactionRunner } from './transactions.ts';
import { checkEventsQuery, checkRecentLimit, checkRoundId, invalid, MAX_PLAYER_ROUNDS_PER_CALL } from './validate.ts';

/** Game rounds (merge on upsert), per-player recall rows and event listings (a repeat replaces the row). */
export function createMongoGames(db: Db, txns: TransactionRunner): GameStore {
  const rounds = db.collection<GameRoundDoc>(COLLECTIONS.gameRounds);
  const playerRounds = db.collection<PlayerRoundDoc>(COLLECTIONS.playerRounds);
  const events = db.collection<EventDoc>(COLLECTIONS.events);

  return {
    async upsertEvent(event) {
      const doc = eventDoc(event);
      await txns.write('games', () => events.replaceOne({ _id: doc._id }, doc, { upsert: true }));
    },

    async getEvent(eventId) {
      const doc = await translated('read', () => events.findOne({ _id: eventId }));
      return doc ? toEvent(doc) : null;
    },

    async listEvents({ statuses, limit }) {
      checkEventsQuery(statuses, limit);
      if (statuses.length === 0) return [];
      const docs = await translated('read', () =>
        events.find({ status: { $in: statuses } }).sort({ startsAt: 1, _id: 1 }).limit(limit).toArray(),
      );
      return docs.map(toEvent);
    },

    async upsertRound(round) {
      checkRoundId(round.roundId);
      const update = roundUpsert(round);
      // Two first upserts of one round may race on _id; the retry then merges into the winner's.
      await txns.write('games', () => rounds.updateOne({ _id: round.roundId }, update, { upsert: true }));
    },

    async getRound(roundId) {
      const doc = await translated('read', () => rounds.findOne({ _id: roundId }));
      return doc ? toRound(doc) : null;
    },

    async addPlayerRounds(rows) {
      if (rows.length === 0) return;
      if (rows.length > MAX_PLAYER_ROUNDS_PER_CALL) invalid(`addPlayerRounds takes at most ${MAX_PLAYER_ROUNDS_PER_CALL} rows`);
      const writes: Array<AnyBulkWriteOperation<PlayerRoundDoc>> = rows.map((row) => {
        const doc = playerRoundDoc(row);
        return { replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } };
      });
      // All rows or none, like the SQLite adapter's single write transaction.
      await txns.run('games', (session) => playerRounds.bulkWrite(writes, { session, ordered: true }));
    },

    async recentPlayerRounds(userId, limit) {
      checkRecentLimit(limit);
      const docs = await translated('read', () =>
        playerRounds.find({ userId }).sort({ settledAt: -1, roundId: -1 }).limit(limit).toArray(),
      );
      return docs.map(toPlayerRound);
    },
  };
}
