/**
 * Player protection on MongoDB. The wallet transaction reads the controls and counters of the
 * player accounts it touches with the rest of its working set and writes the changed counters
 * with its net effect (wallet-batch.ts), so a stake and its counters commit together; a deposit
 * claim is its own transaction on the same counter document, so the two conflict and one retries.
 */
import type { ClientSession, Db } from 'mongodb';
import { addUsage, claimDeposit, currentUsage, limitsPort, type LimitsPort } from '../limits.ts';
import { checkAccountId, checkClaim, checkProtectionRecord } from '../protection-input.ts';
import type { AccountControls, LimitUsage, ProtectionRecord, ProtectionStore } from '../protection-types.ts';
import { StoreError } from '../types.ts';
import { long, toInt } from './documents.ts';
import type { MemoryLedger } from './ledger.ts';
import { COLLECTIONS, type LimitClaimDoc, type LimitUsageDoc, type ProtectionDoc } from './schema.ts';
import { translated, type TransactionRunner } from './transactions.ts';

export interface AccountProtection {
  controls: AccountControls | null;
  usage: LimitUsage | null;
}

export interface UsageChange {
  accountId: string;
  usage: LimitUsage;
}

/** The limits check over a transaction's working set; changed counters are written by `changes()`. */
export class MemoryLimits {
  private readonly changed = new Map<string, LimitUsage>();
  readonly port: LimitsPort;

  constructor(
    private readonly read: Map<string, AccountProtection>,
    ledger: MemoryLedger,
  ) {
    this.port = limitsPort({
      controls: (id) => this.read.get(id)?.controls ?? null,
      usage: (id) => this.changed.get(id) ?? this.read.get(id)?.usage ?? null,
      setUsage: (id, usage) => {
        const had = this.changed.has(id);
        const before = this.changed.get(id);
        this.changed.set(id, usage);
        ledger.onRollback(() => (had ? this.changed.set(id, before!) : this.changed.delete(id)));
      },
    });
  }

  changes(): UsageChange[] {
    return [...this.changed].map(([accountId, usage]) => ({ accountId, usage }));
  }
}

const parse = <T>(doc: { data: string } | null | undefined): T | null => (doc ? (JSON.parse(doc.data) as T) : null);

/** The wallet transaction's reads of the accounts' protection, in its session. */
export async function findProtection(db: Db, session: ClientSession, accountIds: string[]): Promise<Map<string, AccountProtection>> {
  const found = new Map<string, AccountProtection>();
  if (accountIds.length === 0) return found;
  const records = await db.collection<ProtectionDoc>(COLLECTIONS.protection).find({ _id: { $in: accountIds } }, { session }).toArray();
  for (const r of records) found.set(r._id, { controls: parse<ProtectionRecord>(r)!.controls, usage: null });
  // Counters matter only where there are controls (an unprotected account's stakes are not counted).
  if (found.size === 0) return found;
  const usages = await db.collection<LimitUsageDoc>(COLLECTIONS.limitUsage).find({ _id: { $in: [...found.keys()] } }, { session }).toArray();
  for (const u of usages) found.get(u._id)!.usage = parse<LimitUsage>(u);
  return found;
}

export async function writeUsage(db: Db, session: ClientSession, changes: UsageChange[]): Promise<void> {
  const usage = db.collection<LimitUsageDoc>(COLLECTIONS.limitUsage);
  for (const c of changes) await usage.updateOne({ _id: c.accountId }, { $set: { data: JSON.stringify(c.usage) } }, { session, upsert: true });
}

export function createMongoProtection(db: Db, txns: TransactionRunner): ProtectionStore {
  const records = db.collection<ProtectionDoc>(COLLECTIONS.protection);
  const usage = db.collection<LimitUsageDoc>(COLLECTIONS.limitUsage);
  const claims = db.collection<LimitClaimDoc>(COLLECTIONS.limitClaims);

  return {
    async get(accountId) {
      checkAccountId(accountId);
      const doc = await translated('read', () => records.findOne({ _id: accountId }));
      return doc ? { ...parse<ProtectionRecord>(doc)!, version: toInt(doc.version, 'protection.version') } : null;
    },

    async save(record) {
      const data = checkProtectionRecord(record);
      return txns.run('protection', async (session) => {
        const current = await records.findOne({ _id: record.accountId }, { session });
        const stored = current ? toInt(current.version, 'protection.version') : 0;
        if (stored !== record.version - 1) return false;
        if (current) await records.updateOne({ _id: record.accountId, version: current.version }, { $set: { version: long(record.version), data } }, { session });
        else await records.insertOne({ _id: record.accountId, version: long(record.version), data }, { session });
        return true;
      });
    },

    async usage(accountId, at) {
      checkAccountId(accountId);
      return currentUsage(parse<LimitUsage>(await translated('read', () => usage.findOne({ _id: accountId }))), at);
    },

    async claimDeposit(accountId, key, amountMinor, at) {
      checkClaim(accountId, key, amountMinor, at);
      return txns.run('protection', async (session) => {
        const prior = await claims.findOne({ _id: key }, { session });
        if (prior) {
          if (prior.accountId !== accountId || toInt(prior.amountMinor, 'limit_claims.amountMinor') !== amountMinor) {
            throw new StoreError('store/idempotency_conflict', `claim ${key} was made for another account or amount`);
          }
          return { ok: true as const, replayed: true };
        }
        const record = parse<ProtectionRecord>(await records.findOne({ _id: accountId }, { session }));
        const decided = claimDeposit(record?.controls ?? null, parse<LimitUsage>(await usage.findOne({ _id: accountId }, { session })), amountMinor, at);
        if ('code' in decided) return { ok: false as const, code: decided.code, message: decided.message };
        await usage.updateOne({ _id: accountId }, { $set: { data: JSON.stringify(decided.usage) } }, { session, upsert: true });
        await claims.insertOne({ _id: key, accountId, amountMinor: long(amountMinor), at: long(at), released: false }, { session });
        return { ok: true as const, replayed: false };
      });
    },

    async releaseDeposit(key, at) {
      checkClaim('x', key, 1, at);
      await txns.run('protection', async (session) => {
        const claim = await claims.findOne({ _id: key }, { session });
        if (!claim || claim.released) return;
        const current = currentUsage(parse<LimitUsage>(await usage.findOne({ _id: claim.accountId }, { session })), at);
        const next = addUsage(current, 'deposit', -toInt(claim.amountMinor, 'limit_claims.amountMinor'), toInt(claim.at, 'limit_claims.at'));
        await usage.updateOne({ _id: claim.accountId }, { $set: { data: JSON.stringify(next) } }, { session, upsert: true });
        await claims.updateOne({ _id: key }, { $set: { released: true } }, { session });
      });
    },
  };
}
