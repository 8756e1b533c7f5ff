import type { DatabaseSync } from 'node:sqlite';
import { StoreError, SYSTEM_ACCOUNTS, type AccountKind } from '../types.ts';

export interface MigrationContext {
  currency: string;
  now: number;
}

interface Migration {
  version: number;
  name: string;
  up(db: DatabaseSync, ctx: MigrationContext): void;
}

const SYSTEM_ACCOUNT_KINDS: Record<keyof typeof SYSTEM_ACCOUNTS, AccountKind> = {
  world: 'world',
  house: 'house',
  promotions: 'promotions',
  escrow: 'escrow',
};

/** Append only: a released migration is never edited, a change is a new version. */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'ledger, users and journal',
    up(db, ctx) {
      db.exec(`
        CREATE TABLE accounts (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('player', 'house', 'promotions', 'world', 'escrow')),
          currency TEXT NOT NULL,
          balance_minor INTEGER NOT NULL DEFAULT 0,
          held_minor INTEGER NOT NULL DEFAULT 0 CHECK (held_minor >= 0),
          created_at INTEGER NOT NULL,
          -- Backstop for the wallet's own check: a bug must fail the write, not overdraw.
          CHECK (balance_minor >= 0 OR id = '${SYSTEM_ACCOUNTS.world}')
        ) STRICT;

        CREATE TABLE transfers (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          key TEXT NOT NULL UNIQUE,
          from_account TEXT NOT NULL REFERENCES accounts (id),
          to_account TEXT NOT NULL REFERENCES accounts (id),
          amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
          kind TEXT NOT NULL,
          hold_id TEXT,
          memo TEXT,
          created_at INTEGER NOT NULL,
          CHECK (from_account <> to_account)
        ) STRICT;
        CREATE INDEX transfers_from_seq ON transfers (from_account, seq);
        CREATE INDEX transfers_to_seq ON transfers (to_account, seq);

        CREATE TABLE holds (
          id TEXT PRIMARY KEY,
          account_id TEXT NOT NULL REFERENCES accounts (id),
          amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
          status TEXT NOT NULL CHECK (status IN ('open', 'captured', 'released')),
          captured_minor INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          resolved_at INTEGER
        ) STRICT;
        -- rowid breaks created_at ties in insertion order (oldest first).
        CREATE INDEX holds_open_by_age ON holds (created_at) WHERE status = 'open';

        -- One row per applied key: what was asked (fingerprint) and what it wrote, so a repeat
        -- can be recognised and answered with the first outcome.
        CREATE TABLE idempotency (
          key TEXT PRIMARY KEY,
          fingerprint TEXT NOT NULL,
          transfer_seqs TEXT NOT NULL,
          hold_id TEXT,
          created_at INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE users (
          id TEXT PRIMARY KEY,
          username TEXT NOT NULL,
          -- Lower-cased in JS (full Unicode), unlike SQLite's ASCII-only lower().
          username_key TEXT NOT NULL UNIQUE,
          password_hash TEXT NOT NULL,
          role TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('active', 'locked')),
          created_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE journal (
          room_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          type TEXT NOT NULL,
          data TEXT NOT NULL,
          at INTEGER NOT NULL,
          PRIMARY KEY (room_id, seq)
        ) STRICT;
        -- Keeps lastSeq and listRooms independent of the journal's size.
        CREATE TABLE journal_rooms (
          room_id TEXT PRIMARY KEY,
          last_seq INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE room_fences (
          room_id TEXT PRIMARY KEY,
          fence INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
      `);
      const insert = db.prepare('INSERT INTO accounts (id, kind, currency, created_at) VALUES (?, ?, ?, ?)');
      for (const [name, id] of Object.entries(SYSTEM_ACCOUNTS)) {
        insert.run(id, SYSTEM_ACCOUNT_KINDS[name as keyof typeof SYSTEM_ACCOUNTS], ctx.currency, ctx.now);
      }
    },
  },
  {
    version: 2,
    name: 'game rounds and player recall',
    up(db) {
      db.exec(`
        CREATE TABLE game_rounds (
          round_id TEXT PRIMARY KEY,
          table_id TEXT NOT NULL,
          game TEXT NOT NULL,
          nonce INTEGER NOT NULL,
          server_seed_hash TEXT,
          server_seed TEXT,
          client_seed TEXT,
          result INTEGER,
          status TEXT NOT NULL CHECK (status IN ('open', 'drawn', 'voided')),
          opened_at INTEGER,
          finished_at INTEGER
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE player_rounds (
          user_id TEXT NOT NULL,
          round_id TEXT NOT NULL,
          table_id TEXT NOT NULL,
          game TEXT NOT NULL,
          result INTEGER,
          bets TEXT NOT NULL,
          stake_minor INTEGER NOT NULL,
          payout_minor INTEGER NOT NULL,
          balance_before_minor INTEGER NOT NULL,
          balance_after_minor INTEGER NOT NULL,
          settled_at INTEGER NOT NULL,
          PRIMARY KEY (user_id, round_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX player_rounds_recent ON player_rounds (user_id, settled_at);
        CREATE INDEX holds_open_by_id ON holds (id) WHERE status = 'open';
      `);
    },
  },
  {
    version: 3,
    name: 'live event listings',
    up(db) {
      db.exec(`
        CREATE TABLE events (
          event_id TEXT PRIMARY KEY,
          status TEXT NOT NULL CHECK (status IN ('scheduled', 'in_play', 'finished', 'abandoned')),
          starts_at INTEGER NOT NULL,
          data TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX events_by_status ON events (status, starts_at);
      `);
    },
  },
  {
    version: 4,
    name: 'operator audit log',
    up(db) {
      db.exec(`
        -- Append only: written by AuditStore.append, never updated or deleted by the code.
        CREATE TABLE audit_log (
          seq INTEGER PRIMARY KEY,
          actor_id TEXT NOT NULL,
          actor_name TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT NOT NULL,
          reason TEXT,
          details TEXT,
          at INTEGER NOT NULL,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        ) STRICT;
        -- The chain's end, so a removed tail is noticed by verify().
        CREATE TABLE audit_head (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          seq INTEGER NOT NULL,
          hash TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 5,
    name: 'idempotency fingerprint on the transfer row',
    up(db) {
      // An op that wrote one transfer under its own key (almost all of them) keeps its
      // fingerprint on that row instead of a second row in idempotency: one B-tree insert less
      // per op. Ops that wrote more (a capture with a remainder) still use idempotency.
      db.exec('ALTER TABLE transfers ADD COLUMN fingerprint TEXT');
    },
  },
  {
    version: 6,
    name: 'owner balance after each transfer',
    up(db) {
      // Records (game recall) quote the balance the ledger wrote instead of reading a live one.
      // Older rows keep NULL: their balances were never recorded.
      db.exec('ALTER TABLE transfers ADD COLUMN owner_account TEXT');
      db.exec('ALTER TABLE transfers ADD COLUMN owner_balance_after INTEGER');
    },
  },
  {
    version: 7,
    name: 'client seeds of a round',
    up(db) {
      // JSON array of the submitted seeds the round's client seed was derived from (FAIRNESS.md §3).
      db.exec('ALTER TABLE game_rounds ADD COLUMN client_seeds TEXT');
    },
  },
  {
    version: 8,
    name: 'bonus grants',
    up(db) {
      // One row per bonus account: its current (or last) grant, changed only inside wallet ops
      // (server/store/bonus-ops.ts). The numbers live in `data` (JSON); status and expiry are
      // columns for the expiry sweep.
      db.exec(`
        CREATE TABLE bonus_grants (
          account_id TEXT PRIMARY KEY REFERENCES accounts (id),
          owner_account TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('active', 'converted', 'expired', 'forfeited')),
          expires_at INTEGER NOT NULL,
          data TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX bonus_grants_active_by_expiry ON bonus_grants (expires_at) WHERE status = 'active';
        -- Reconciliation sums the bonus flows without scanning every transfer.
        CREATE INDEX transfers_bonus_flows ON transfers (kind) WHERE kind IN ('conversion', 'forfeit', 'bonus');
      `);
    },
  },
  {
    version: 9,
    name: 'player protection: controls, limit usage, deposit claims',
    up(db) {
      // Read and written inside the wallet's transaction (server/store/limits.ts, sqlite/protection.ts).
      db.exec(`
        CREATE TABLE protection (
          account_id TEXT PRIMARY KEY,
          version INTEGER NOT NULL,
          data TEXT NOT NULL
        ) STRICT;
        CREATE TABLE limit_usage (
          account_id TEXT PRIMARY KEY,
          data TEXT NOT NULL
        ) STRICT;
        CREATE TABLE limit_claims (
          key TEXT PRIMARY KEY,
          account_id TEXT NOT NULL,
          amount_minor INTEGER NOT NULL,
          at INTEGER NOT NULL,
          released INTEGER NOT NULL DEFAULT 0
        ) STRICT;
      `);
    },
  },
  {
    version: 10,
    name: 'per-account history in postings, indexed after the fact',
    up(db) {
      // The two (account, seq) indexes on transfers were most of a transfer row's cost: each
      // entry dirtied its account's own index page in every batch. Postings hold the same
      // (account, seq) pairs, written in chunks by the writer (sqlite/history.ts); reads take the
      // un-indexed tail above history_mark from transfers itself. Existing rows are indexed here.
      db.exec(`
        CREATE TABLE postings (
          account_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          PRIMARY KEY (account_id, seq)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO postings (account_id, seq)
          SELECT account_id, seq FROM (
            SELECT from_account AS account_id, seq FROM transfers
            UNION ALL
            SELECT to_account, seq FROM transfers
          ) ORDER BY account_id, seq;
        -- Postings are complete up to indexed_seq.
        CREATE TABLE history_mark (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          indexed_seq INTEGER NOT NULL
        ) STRICT;
        INSERT INTO history_mark (id, indexed_seq) VALUES (1, (SELECT COALESCE(MAX(seq), 0) FROM transfers));
        DROP INDEX transfers_from_seq;
        DROP INDEX transfers_to_seq;
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the file to the latest schema. BEGIN IMMEDIATE takes the write lock before reading the
 * applied versions, so two processes opening a fresh file at once cannot both apply a migration:
 * the second waits (busy_timeout), then sees the versions the first one committed. `upTo` stops
 * at an older version (tests that convert an older file).
 */
export function migrate(db: DatabaseSync, ctx: MigrationContext, upTo = LATEST_SCHEMA_VERSION): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const applied = new Set(
      db.prepare('SELECT version FROM schema_migrations').all().map((row) => Number(row.version)),
    );
    const newest = Math.max(0, ...applied);
    if (newest > LATEST_SCHEMA_VERSION) {
      throw new StoreError('store/schema_too_new', `database schema v${newest} is newer than this code (v${LATEST_SCHEMA_VERSION})`);
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version) || migration.version > upTo) continue;
      migration.up(db, ctx);
      record.run(migration.version, migration.name, ctx.now);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** The system accounts carry the currency chosen when the file was created; a different one now is a config error. */
export function assertSystemCurrency(db: DatabaseSync, currency: string): void {
  const row = db.prepare('SELECT currency FROM accounts WHERE id = ?').get(SYSTEM_ACCOUNTS.escrow);
  if (row && row.currency !== currency) {
    throw new StoreError('store/currency_mismatch', `database currency is ${String(row.currency)}, configured ${currency}`);
  }
}
