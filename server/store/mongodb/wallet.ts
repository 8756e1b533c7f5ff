/**
 * The wallet on MongoDB. Writes go through the group-committed write path (wallet-writer.ts):
 * one transaction per batch of concurrent apply calls, each call all-or-nothing on its own.
 * Reads are single queries at majority read concern.
 */
import type { Db, MongoClient } from 'mongodb';
import { StoreError, type Account, type BonusGrant, type Hold, type Page, type Transfer, type WalletStore } from '../types.ts';
import { bonusAccountId } from '../wallet-input.ts';
import { long, prefixPattern, toAccount, toHold, toTransfer } from './documents.ts';
import { isClosed, isUnreachable } from './errors.ts';
import type { GroupCommitOptions } from './group-commit.ts';
import { mongoLedgerSource } from './ledger-source.ts';
import { createReconciler } from './reconcile.ts';
import { COLLECTIONS, type AccountDoc, type BonusGrantDoc, type HoldDoc, type TransferDoc } from './schema.ts';
import { translated, type TransactionRunner } from './transactions.ts';
import { checkAccount, checkOpenHoldsQuery, pageStart } from './validate.ts';
import { createWalletWriter, type WalletWriter } from './wallet-writer.ts';

const NO_SPLIT: ReadonlySet<string> = new Set(['store/unreachable', 'store/closed', 'store/busy', 'store/unauthorized']);

export interface MongoWallet extends WalletStore {
  /** Writes every queued call, then refuses new ones. */
  close(): Promise<void>;
}

export function createMongoWallet(
  client: MongoClient,
  db: Db,
  txns: TransactionRunner,
  now: () => number,
  opts: GroupCommitOptions,
): MongoWallet {
  const accounts = db.collection<AccountDoc>(COLLECTIONS.accounts);
  const transfers = db.collection<TransferDoc>(COLLECTIONS.transfers);
  const holds = db.collection<HoldDoc>(COLLECTIONS.holds);
  const grants = db.collection<BonusGrantDoc>(COLLECTIONS.bonusGrants);
  const reconcile = createReconciler(client, db);
  const writer: WalletWriter = createWalletWriter({
    ...opts,
    now,
    inTransaction: (work) => txns.run('wallet', (session) => work(mongoLedgerSource(db, session))),
    // Splitting a failed batch into single calls only helps when one call could have caused it,
    // not when the server is gone, the store is closing or the retry budget ran out.
    splitOn: (error) => !isUnreachable(error) && !isClosed(error) && !(error instanceof StoreError && NO_SPLIT.has(error.code)),
  });

  async function createAccount(id: string, kind: Account['kind'], currency: string): Promise<Account> {
    const existing = await accounts.findOne({ _id: id });
    if (existing) return sameAccount(toAccount(existing), kind, currency);
    const account: Account = { id, kind, currency, balanceMinor: 0, heldMinor: 0, createdAt: now() };
    try {
      await accounts.insertOne({ _id: id, kind, currency, balanceMinor: long(0), heldMinor: long(0), createdAt: long(account.createdAt) });
      return account;
    } catch (error) {
      // Created by another process since the read: fine if it is the same account.
      const raced = await accounts.findOne({ _id: id });
      if (raced) return sameAccount(toAccount(raced), kind, currency);
      throw error;
    }
  }

  return {
    async ensureAccount(id, kind, currency) {
      checkAccount(id, kind, currency);
      return translated('accounts', () => createAccount(id, kind, currency));
    },

    async getAccount(id) {
      const doc = await translated('read', () => accounts.findOne({ _id: id }));
      return doc ? toAccount(doc) : null;
    },

    async getHold(id): Promise<Hold | null> {
      const doc = await translated('read', () => holds.findOne({ _id: id }));
      return doc ? toHold(doc) : null;
    },

    apply: (ops, applyOpts) => writer.apply(ops, applyOpts),

    async transferByKey(key) {
      if (typeof key !== 'string' || key.length === 0 || key.length > 400) throw new StoreError('store/invalid_argument', 'invalid transfer key');
      const doc = await translated('read', () => transfers.findOne({ key }));
      return doc ? toTransfer(doc) : null;
    },

    async listTransfers(accountId, { limit, before }): Promise<Page<Transfer>> {
      const beforeSeq = long(pageStart(limit, before));
      // Each side walks its own (account, seq) index; the two short lists are merged here.
      const side = (field: 'fromAccountId' | 'toAccountId') =>
        transfers.find({ [field]: accountId, _id: { $lt: beforeSeq } }).sort({ _id: -1 }).limit(limit + 1).toArray();
      const [from, to] = await translated('read', async () => [await side('fromAccountId'), await side('toAccountId')]);
      // One extra row tells whether an older page exists.
      const rows = [...from!, ...to!].map(toTransfer).sort((a, b) => b.seq - a.seq).slice(0, limit + 1);
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
    },

    reconcile: () => translated('read', reconcile),

    async listOpenHolds({ prefix, limit, after }) {
      checkOpenHoldsQuery(prefix, limit, after);
      const byId = { ...(prefix === '' ? {} : { $regex: prefixPattern(prefix) }), ...(after === undefined ? {} : { $gt: after }) };
      const filter = Object.keys(byId).length === 0 ? { status: 'open' as const } : { status: 'open' as const, _id: byId };
      const docs = await translated('read', () => holds.find(filter).sort({ _id: 1 }).limit(limit).toArray());
      return docs.map(toHold);
    },

    async bonusGrant(ownerAccountId) {
      if (typeof ownerAccountId !== 'string' || ownerAccountId.length === 0 || ownerAccountId.length > 200) throw new StoreError('store/invalid_argument', 'invalid account id');
      const doc = await translated('read', () => grants.findOne({ _id: bonusAccountId(ownerAccountId) }));
      return doc ? (JSON.parse(doc.data) as BonusGrant) : null;
    },

    async expiredBonusGrants(at, limit) {
      if (!Number.isSafeInteger(at)) throw new StoreError('store/invalid_argument', 'at must be an integer');
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw new StoreError('store/invalid_argument', 'limit must be 1..1000');
      const docs = await translated('read', () => grants.find({ status: 'active', expiresAt: { $lte: long(at) } }).sort({ expiresAt: 1, _id: 1 }).limit(limit).toArray());
      return docs.map((d) => JSON.parse(d.data) as BonusGrant);
    },

    close: () => writer.close(),
  };
}

function sameAccount(account: Account, kind: Account['kind'], currency: string): Account {
  if (account.kind !== kind || account.currency !== currency) {
    throw new StoreError('store/account_conflict', `account ${account.id} exists as ${account.kind} in ${account.currency}`);
  }
  return account;
}
