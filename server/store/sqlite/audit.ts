/**
 * The operator audit log on SQLite: each append reads the head and writes the entry and the new
 * head inside the write queue's BEGIN IMMEDIATE transaction, so appends from every process form
 * one chain (server/store/audit-chain.ts).
 */
import type { DatabaseSync } from 'node:sqlite';
import { chainEntry, checkAuditPage, GENESIS_HASH, prepareAuditEntry, verifyChain } from '../audit-chain.ts';
import type { AuditEntry, AuditEntryInput, AuditStore } from '../types.ts';
import type { Row } from './rows.ts';
import type { Writer } from './writer.ts';

function toEntry(r: Row): AuditEntry {
  return {
    seq: Number(r.seq), actorId: String(r.actor_id), actorName: String(r.actor_name), action: String(r.action), target: String(r.target),
    reason: r.reason === null ? null : String(r.reason), details: r.details === null ? null : JSON.parse(String(r.details)),
    at: Number(r.at), prevHash: String(r.prev_hash), hash: String(r.hash),
  };
}

/** The audit log's write, run inside the write transaction (writes.ts). */
export function auditWrites(db: DatabaseSync) {
  const sql = {
    head: db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
    insert: db.prepare(`INSERT INTO audit_log (seq, actor_id, actor_name, action, target, reason, details, at, prev_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    setHead: db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash'),
  };
  return {
    'audit.append'(input: AuditEntryInput, detailsJson: string | null): AuditEntry {
      const head = sql.head.get();
      const stored = chainEntry(input, head ? Number(head.seq) + 1 : 1, head ? String(head.hash) : GENESIS_HASH);
      sql.insert.run(stored.seq, stored.actorId, stored.actorName, stored.action, stored.target, stored.reason, detailsJson, stored.at, stored.prevHash, stored.hash);
      sql.setHead.run(stored.seq, stored.hash);
      return stored;
    },
  };
}

export function createSqliteAudit(db: DatabaseSync, writer: Writer): AuditStore {
  const sql = {
    head: db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
    page: db.prepare('SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?'),
    ascending: db.prepare('SELECT * FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?'),
  };

  return {
    async append(entry) {
      const { input, detailsJson } = prepareAuditEntry(entry);
      return writer.call('audit.append', 1, 'now', input, detailsJson);
    },

    async list({ limit, before }) {
      const start = checkAuditPage(limit, before);
      const rows = sql.page.all(start, limit + 1);
      const items = rows.slice(0, limit).map(toEntry);
      return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
    },

    async verify() {
      return verifyChain(
        async () => {
          const head = sql.head.get();
          return head ? { seq: Number(head.seq), hash: String(head.hash) } : null;
        },
        async (after, upTo, limit) => sql.ascending.all(after, upTo, limit).map(toEntry),
      );
    },
  };
}
