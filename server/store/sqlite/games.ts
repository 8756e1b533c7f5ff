import type { DatabaseSync } from 'node:sqlite';
import { StoreError, type EventRecord, type GameRound, type GameStore, type PlayerRoundRecord } from '../types.ts';
import type { Row } from './rows.ts';
import type { Writer } from './writer.ts';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toRound(r: Row): GameRound {
  return {
    roundId: String(r.round_id), tableId: String(r.table_id), game: String(r.game), nonce: Number(r.nonce),
    serverSeedHash: str(r.server_seed_hash), serverSeed: str(r.server_seed), clientSeed: str(r.client_seed),
    clientSeeds: r.client_seeds === null || r.client_seeds === undefined ? null : (JSON.parse(String(r.client_seeds)) as string[]),
    result: num(r.result), status: r.status as GameRound['status'], openedAt: num(r.opened_at), finishedAt: num(r.finished_at),
  };
}

function toPlayerRound(r: Row): PlayerRoundRecord {
  return {
    userId: String(r.user_id), roundId: String(r.round_id), tableId: String(r.table_id), game: String(r.game),
    result: num(r.result), bets: JSON.parse(String(r.bets)), stakeMinor: Number(r.stake_minor), payoutMinor: Number(r.payout_minor),
    balanceBeforeMinor: Number(r.balance_before_minor), balanceAfterMinor: Number(r.balance_after_minor), settledAt: Number(r.settled_at),
  };
}

/** The game records' writes, run inside the write transaction (writes.ts). */
export function gameWrites(db: DatabaseSync) {
  const sql = {
    upsert: db.prepare(`
      INSERT INTO game_rounds (round_id, table_id, game, nonce, server_seed_hash, server_seed, client_seed, result, status, opened_at, finished_at, client_seeds)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (round_id) DO UPDATE SET
        server_seed_hash = COALESCE(excluded.server_seed_hash, server_seed_hash),
        server_seed = COALESCE(excluded.server_seed, server_seed),
        client_seed = COALESCE(excluded.client_seed, client_seed),
        client_seeds = COALESCE(excluded.client_seeds, client_seeds),
        result = COALESCE(excluded.result, result),
        status = excluded.status,
        opened_at = COALESCE(excluded.opened_at, opened_at),
        finished_at = COALESCE(excluded.finished_at, finished_at)`),
    putPlayer: db.prepare(`
      INSERT OR REPLACE INTO player_rounds (user_id, round_id, table_id, game, result, bets, stake_minor, payout_minor, balance_before_minor, balance_after_minor, settled_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    putEvent: db.prepare('INSERT OR REPLACE INTO events (event_id, status, starts_at, data, updated_at) VALUES (?, ?, ?, ?, ?)'),
  };
  return {
    'games.upsertEvent'(e: EventRecord): void {
      sql.putEvent.run(e.eventId, e.status, e.startsAt, JSON.stringify(e), e.updatedAt);
    },
    'games.upsertRound'(r: GameRound): void {
      sql.upsert.run(r.roundId, r.tableId, r.game, r.nonce, r.serverSeedHash, r.serverSeed, r.clientSeed, r.result, r.status, r.openedAt, r.finishedAt, r.clientSeeds ? JSON.stringify(r.clientSeeds) : null);
    },
    'games.addPlayerRounds'(rows: PlayerRoundRecord[]): void {
      for (const r of rows) {
        sql.putPlayer.run(r.userId, r.roundId, r.tableId, r.game, r.result, JSON.stringify(r.bets), r.stakeMinor, r.payoutMinor, r.balanceBeforeMinor, r.balanceAfterMinor, r.settledAt);
      }
    },
  };
}

export function createSqliteGames(db: DatabaseSync, writer: Writer): GameStore {
  const sql = {
    get: db.prepare('SELECT * FROM game_rounds WHERE round_id = ?'),
    getEvent: db.prepare('SELECT data FROM events WHERE event_id = ?'),
    recent: db.prepare('SELECT * FROM player_rounds WHERE user_id = ? ORDER BY settled_at DESC, round_id DESC LIMIT ?'),
  };
  return {
    async upsertEvent(e) {
      await writer.call('games.upsertEvent', 1, 'now', e);
    },
    async getEvent(eventId) {
      const row = sql.getEvent.get(eventId);
      return row ? (JSON.parse(String(row.data)) as EventRecord) : null;
    },
    async listEvents({ statuses, limit }) {
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw new StoreError('store/invalid_argument', 'limit must be 1..1000');
      if (statuses.length === 0) return [];
      const marks = statuses.map(() => '?').join(', ');
      const rows = db.prepare(`SELECT data FROM events WHERE status IN (${marks}) ORDER BY starts_at, event_id LIMIT ?`).all(...statuses, limit);
      return rows.map((r) => JSON.parse(String(r.data)) as EventRecord);
    },
    async upsertRound(r) {
      await writer.call('games.upsertRound', 1, 'now', r);
    },
    async getRound(roundId) {
      const row = sql.get.get(roundId);
      return row ? toRound(row) : null;
    },
    async addPlayerRounds(rows) {
      if (rows.length === 0) return;
      await writer.call('games.addPlayerRounds', rows.length, 'bulk', rows);
    },
    async recentPlayerRounds(userId, limit) {
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100) throw new StoreError('store/invalid_argument', 'limit must be 1..100');
      return sql.recent.all(userId, limit).map(toPlayerRound);
    },
  };
}
