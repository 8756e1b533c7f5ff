/**
 * Player protection on SQLite. The controls and counters are rows read and written by the wallet's
 * own write job (`sqliteLimits`, the LedgerPort's limits check), so a stake and its counters commit
 * in one transaction; the job's savepoint undoes both if the call is rolled back. Every process
 * sharing the file writes in BEGIN IMMEDIATE, so parallel stakes are counted one after another.
 */
import type { DatabaseSync } from 'node:sqlite';
import { claimDeposit, limitsPort, currentUsage, addUsage, type LimitsPort } from '../limits.ts';
import { checkAccountId, checkClaim, checkProtectionRecord } from '../protection-input.ts';
import type { ClaimOutcome, LimitUsage, ProtectionRecord, ProtectionStore } from '../protection-types.ts';
import { StoreError } from '../types.ts';
import type { Writer } from './writer.ts';

function statements(db: DatabaseSync) {
  return {
    record: db.prepare('SELECT version, data FROM protection WHERE account_id = ?'),
    insert: db.prepare('INSERT INTO protection (account_id, version, data) VALUES (?, ?, ?) ON CONFLICT (account_id) DO NOTHING'),
    update: db.prepare('UPDATE protection SET version = ?, data = ? WHERE account_id = ? AND version = ?'),
    usage: db.prepare('SELECT data FROM limit_usage WHERE account_id = ?'),
    setUsage: db.prepare('INSERT INTO limit_usage (account_id, data) VALUES (?1, ?2) ON CONFLICT (account_id) DO UPDATE SET data = ?2'),
    claim: db.prepare('SELECT account_id, amount_minor, at, released FROM limit_claims WHERE key = ?'),
    insertClaim: db.prepare('INSERT INTO limit_claims (key, account_id, amount_minor, at) VALUES (?, ?, ?, ?)'),
    releaseClaim: db.prepare('UPDATE limit_claims SET released = 1 WHERE key = ?'),
  };
}

const parse = <T>(row: Record<string, unknown> | undefined): T | null => (row ? (JSON.parse(String(row.data)) as T) : null);

/** The limits check's reads and writes, on the write connection inside the wallet job. */
export function sqliteLimits(db: DatabaseSync): LimitsPort {
  const sql = statements(db);
  return limitsPort({
    controls: (accountId) => parse<ProtectionRecord>(sql.record.get(accountId))?.controls ?? null,
    usage: (accountId) => parse<LimitUsage>(sql.usage.get(accountId)),
    setUsage: (accountId, usage) => void sql.setUsage.run(accountId, JSON.stringify(usage)),
  });
}

/** The protection store's writes, run inside the write transaction (writes.ts). */
export function protectionWrites(db: DatabaseSync) {
  const sql = statements(db);
  return {
    'protection.save'(record: ProtectionRecord, json: string): boolean {
      if (record.version === 1) return Number(sql.insert.run(record.accountId, 1, json).changes) === 1;
      return Number(sql.update.run(record.version, json, record.accountId, record.version - 1).changes) === 1;
    },

    'protection.claimDeposit'(accountId: string, key: string, amountMinor: number, at: number): ClaimOutcome {
      const prior = sql.claim.get(key);
      if (prior) {
        if (prior.account_id !== accountId || Number(prior.amount_minor) !== amountMinor) {
          throw new StoreError('store/idempotency_conflict', `claim ${key} was made for another account or amount`);
        }
        return { ok: true, replayed: true };
      }
      const controls = parse<ProtectionRecord>(sql.record.get(accountId))?.controls ?? null;
      const decided = claimDeposit(controls, parse<LimitUsage>(sql.usage.get(accountId)), amountMinor, at);
      if ('code' in decided) return { ok: false, code: decided.code, message: decided.message };
      sql.setUsage.run(accountId, JSON.stringify(decided.usage));
      sql.insertClaim.run(key, accountId, amountMinor, at);
      return { ok: true, replayed: false };
    },

    'protection.releaseDeposit'(key: string, at: number): void {
      const claim = sql.claim.get(key);
      if (!claim || Number(claim.released) === 1) return;
      const accountId = String(claim.account_id);
      const usage = currentUsage(parse<LimitUsage>(sql.usage.get(accountId)), at);
      sql.setUsage.run(accountId, JSON.stringify(addUsage(usage, 'deposit', -Number(claim.amount_minor), Number(claim.at))));
      sql.releaseClaim.run(key);
    },
  };
}

export function createSqliteProtection(db: DatabaseSync, writer: Writer): ProtectionStore {
  const sql = statements(db);
  return {
    async get(accountId) {
      checkAccountId(accountId);
      const row = sql.record.get(accountId);
      return row ? { ...(JSON.parse(String(row.data)) as ProtectionRecord), version: Number(row.version) } : null;
    },
    async save(record) {
      const json = checkProtectionRecord(record);
      return writer.call('protection.save', 1, 'now', record, json);
    },
    async usage(accountId, at) {
      checkAccountId(accountId);
      return currentUsage(parse<LimitUsage>(sql.usage.get(accountId)), at);
    },
    async claimDeposit(accountId, key, amountMinor, at) {
      checkClaim(accountId, key, amountMinor, at);
      return writer.call('protection.claimDeposit', 1, 'now', accountId, key, amountMinor, at);
    },
    async releaseDeposit(key, at) {
      checkClaim('x', key, 1, at);
      await writer.call('protection.releaseDeposit', 1, 'now', key, at);
    },
  };
}

