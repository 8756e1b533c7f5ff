import type { DatabaseSync } from 'node:sqlite';
import { StoreError, type Role, type User, type UserStore } from '../types.ts';
import { toUser } from './rows.ts';
import type { Writer } from './writer.ts';

const ROLES: ReadonlySet<string> = new Set<Role>(['player', 'operator', 'admin', 'bot']);
const STATUSES: ReadonlySet<string> = new Set<User['status']>(['active', 'locked']);
const MAX_FIELD_LENGTH = 200;

/** Usernames are unique regardless of case; JS lower-casing covers all of Unicode. */
export const usernameKey = (username: string): string => username.toLowerCase();

function invalid(message: string): never {
  throw new StoreError('store/invalid_argument', message);
}

function checkString(value: unknown, name: string, max = MAX_FIELD_LENGTH): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) invalid(`${name} must be a string of 1..${max} characters`);
}

function checkUser(user: User): void {
  checkString(user.id, 'id');
  checkString(user.username, 'username');
  checkString(user.passwordHash, 'passwordHash', 1_000);
  if (!ROLES.has(user.role)) invalid(`unknown role ${String(user.role)}`);
  if (!STATUSES.has(user.status)) invalid(`unknown status ${String(user.status)}`);
  if (!Number.isSafeInteger(user.createdAt)) invalid('createdAt must be an integer');
}

export const MAX_SEARCH_RESULTS = 100;

export function checkSearch(prefix: unknown, limit: unknown): void {
  if (typeof prefix !== 'string' || prefix.length > MAX_FIELD_LENGTH) invalid(`prefix must be a string of at most ${MAX_FIELD_LENGTH} characters`);
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_SEARCH_RESULTS) invalid(`limit must be 1..${MAX_SEARCH_RESULTS}`);
}

/** The users' writes, run inside the write transaction (writes.ts). */
export function userWrites(db: DatabaseSync) {
  const sql = {
    byId: db.prepare('SELECT id FROM users WHERE id = ?'),
    byKey: db.prepare('SELECT id FROM users WHERE username_key = ?'),
    insert: db.prepare(
      `INSERT INTO users (id, username, username_key, password_hash, role, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    setStatus: db.prepare('UPDATE users SET status = ? WHERE id = ?'),
  };
  return {
    'users.create'(user: User): User {
      const key = usernameKey(user.username);
      // Checked inside the write transaction, so two processes cannot both pass the check.
      if (sql.byKey.get(key)) throw new StoreError('store/username_taken', `username ${user.username} is taken`);
      if (sql.byId.get(user.id)) throw new StoreError('store/duplicate_id', `user ${user.id} already exists`);
      sql.insert.run(user.id, user.username, key, user.passwordHash, user.role, user.status, user.createdAt);
      return { ...user };
    },

    'users.setStatus'(id: string, status: User['status']): void {
      if (Number(sql.setStatus.run(status, id).changes) === 0) throw new StoreError('store/not_found', `no user ${id}`);
    },
  };
}

export function createSqliteUsers(db: DatabaseSync, writer: Writer): UserStore {
  const sql = {
    byId: db.prepare('SELECT * FROM users WHERE id = ?'),
    byKey: db.prepare('SELECT * FROM users WHERE username_key = ?'),
    // A range on the unique username_key index; U+10FFFF sorts after every character (UTF-8 byte order).
    search: db.prepare('SELECT * FROM users WHERE username_key >= ? AND username_key < ? ORDER BY username_key LIMIT ?'),
    after: db.prepare('SELECT * FROM users WHERE username_key > ? ORDER BY username_key LIMIT ?'),
  };

  return {
    async create(user) {
      checkUser(user);
      return writer.call('users.create', 1, 'now', { ...user });
    },

    async findById(id) {
      const row = sql.byId.get(id);
      return row ? toUser(row) : null;
    },

    async findByUsername(username) {
      if (typeof username !== 'string') return null;
      const row = sql.byKey.get(usernameKey(username));
      return row ? toUser(row) : null;
    },

    async setStatus(id, status) {
      if (!STATUSES.has(status)) invalid(`unknown status ${String(status)}`);
      await writer.call('users.setStatus', 1, 'now', id, status);
    },

    async search(prefix, limit) {
      checkSearch(prefix, limit);
      const key = usernameKey(prefix);
      return sql.search.all(key, `${key}\u{10FFFF}`, limit).map(toUser);
    },
    async listAfter(afterKey, limit) {
      checkSearch(afterKey ?? '', limit);
      return sql.after.all(afterKey ?? '', limit).map(toUser);
    },
  };
}
