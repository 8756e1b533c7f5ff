/**
 * The operator audit log on MongoDB. An append is one transaction: read the head (`counters`,
 * id `audit`), insert the entry under the next seq, move the head. Two concurrent appends
 * collide on the head document (or the entry's _id); the loser is retried from fresh reads and
 * chains after the winner (server/store/audit-chain.ts).
 */
import type { Db } from 'mongodb';
import { chainEntry, checkAuditPage, GENESIS_HASH, prepareAuditEntry, verifyChain } from '../audit-chain.ts';
import type { AuditEntry, AuditStore } from '../types.ts';
import { long, toInt } from './documents.ts';
import { COLLECTIONS, type AuditDoc, type AuditHeadDoc } from './schema.ts';
import { translated, type TransactionRunner } from './transactions.ts';

function toEntry(doc: AuditDoc): AuditEntry {
  return {
    seq: toInt(doc._id, 'audit_log._id'), actorId: doc.actorId, actorName: doc.actorName, action: doc.action, target: doc.target,
    reason: doc.reason ?? null, details: doc.details === null || doc.details === undefined ? null : JSON.parse(doc.details),
    at: toInt(doc.at, 'audit_log.at'), prevHash: doc.prevHash, hash: doc.hash,
  };
}

export function createMongoAudit(db: Db, txns: TransactionRunner): AuditStore {
  const log = db.collection<AuditDoc>(COLLECTIONS.auditLog);
  const heads = db.collection<AuditHeadDoc>(COLLECTIONS.counters);

  const readHead = async (): Promise<{ seq: number; hash: string } | null> => {
    const head = await translated('read', () => heads.findOne({ _id: 'audit' }));
    return head ? { seq: toInt(head.seq, 'counters.audit.seq'), hash: head.hash } : null;
  };

  return {
    async append(entry) {
      const { input, detailsJson } = prepareAuditEntry(entry);
      return txns.run('audit', async (session) => {
        const head = await heads.findOne({ _id: 'audit' }, { session });
        const stored = chainEntry(input, head ? toInt(head.seq, 'counters.audit.seq') + 1 : 1, head?.hash ?? GENESIS_HASH);
        await heads.updateOne({ _id: 'audit' }, { $set: { seq: long(stored.seq), hash: stored.hash } }, { session, upsert: true });
        await log.insertOne(
          {
            _id: long(stored.seq), actorId: stored.actorId, actorName: stored.actorName, action: stored.action, target: stored.target,
            reason: stored.reason, details: detailsJson, at: long(stored.at), prevHash: stored.prevHash, hash: stored.hash,
          },
          { session },
        );
        return stored;
      });
    },

    async list({ limit, before }) {
      const start = checkAuditPage(limit, before);
      const docs = await translated('read', () => log.find({ _id: { $lt: long(start) } }).sort({ _id: -1 }).limit(limit + 1).toArray());
      const items = docs.slice(0, limit).map(toEntry);
      return { items, nextCursor: docs.length > limit ? String(items[items.length - 1]!.seq) : null };
    },

    async verify() {
      return verifyChain(readHead, async (after, upTo, limit) => {
        const docs = await translated('read', () => log.find({ _id: { $gt: long(after), $lte: long(upTo) } }).sort({ _id: 1 }).limit(limit).toArray());
        return docs.map(toEntry);
      });
    },
  };
}
