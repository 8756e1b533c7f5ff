/**
 * The wallet batch's reads and write on MongoDB, all inside one transaction's session
 * (snapshot reads, majority + journaled commit). Every write is conditional, so a balance can
 * never go below zero (except world's), a hold is resolved once and the counter moves from the
 * value this transaction read, even if a decision were made on a stale view: a guard that does
 * not hold throws WriteRace, which aborts the transaction and retries it from fresh reads.
 */
import type { AnyBulkWriteOperation, ClientSession, Db, Filter } from 'mongodb';
import { StoreError, SYSTEM_ACCOUNTS, type BonusGrant, type RoomFence } from '../types.ts';
import {
  holdDoc,
  long,
  toAccount,
  toAppliedKey,
  toHoldRecord,
  toInt,
  toTransfer,
  transferDoc,
  walletKeyDoc,
} from './documents.ts';
import { WriteRace } from './errors.ts';
import type { LedgerChanges } from './ledger.ts';
import type { LedgerSource } from './wallet-batch.ts';
import {
  COLLECTIONS,
  TRANSFER_COUNTER_ID,
  type AccountDoc,
  type BonusGrantDoc,
  type CounterDoc,
  type HoldDoc,
  type Int,
  type RoomFenceDoc,
  type TransferDoc,
  type WalletKeyDoc,
} from './schema.ts';

interface CounterLockDoc extends CounterDoc {
  /** Bumped by every wallet transaction: the write that makes two of them conflict at once. */
  txns?: Int;
}

export function mongoLedgerSource(db: Db, session: ClientSession): LedgerSource {
  const counters = db.collection<CounterLockDoc>(COLLECTIONS.counters);
  const accounts = db.collection<AccountDoc>(COLLECTIONS.accounts);
  const transfers = db.collection<TransferDoc>(COLLECTIONS.transfers);
  const holds = db.collection<HoldDoc>(COLLECTIONS.holds);
  const keys = db.collection<WalletKeyDoc>(COLLECTIONS.walletKeys);
  const fences = db.collection<RoomFenceDoc & { walletCalls?: Int }>(COLLECTIONS.roomFences);
  const grants = db.collection<BonusGrantDoc>(COLLECTIONS.bonusGrants);
  const opts = { session };

  return {
    async lockTransferCounter() {
      // Written first, so a concurrent wallet transaction fails at its first write (and is
      // retried) instead of after all its reads; it also makes seq order the commit order.
      const doc = await counters.findOneAndUpdate(
        { _id: TRANSFER_COUNTER_ID },
        { $inc: { txns: long(1) } },
        { session, returnDocument: 'after' },
      );
      if (!doc) throw new StoreError('store/corrupt', `counter ${TRANSFER_COUNTER_ID} is missing`);
      return toInt(doc.seq, 'counters.seq');
    },

    async findKeys(ids) {
      if (ids.length === 0) return [];
      return (await keys.find({ _id: { $in: ids } }, opts).toArray()).map(toAppliedKey);
    },

    async findHolds(ids) {
      if (ids.length === 0) return [];
      return (await holds.find({ _id: { $in: ids } }, opts).toArray()).map(toHoldRecord);
    },

    async findAccounts(ids) {
      if (ids.length === 0) return [];
      return (await accounts.find({ _id: { $in: ids } }, opts).toArray()).map(toAccount);
    },

    async findTransfers(seqs) {
      if (seqs.length === 0) return [];
      const found = (await transfers.find({ _id: { $in: seqs.map((s) => long(s)) } }, opts).toArray()).map(toTransfer);
      if (found.length !== new Set(seqs).size) throw new StoreError('store/corrupt', 'a transfer named by an idempotency key is missing');
      return found;
    },

    async findGrants(ids) {
      return (await grants.find({ _id: { $in: ids } }, opts).toArray()).map((d) => JSON.parse(d.data) as BonusGrant);
    },

    async findFences(roomIds) {
      const found = await fences.find({ _id: { $in: roomIds } }, opts).toArray();
      return new Map(found.map((d) => [d._id, toInt(d.fence, 'room_fences.fence')]));
    },

    async write(changes: LedgerChanges, fenced: RoomFence[]) {
      for (const f of fenced) {
        // $max never lowers a fence; the bump of `walletCalls` makes this a write even when the
        // fence is unchanged, so a journal append raising the fence concurrently conflicts.
        await fences.updateOne({ _id: f.roomId }, { $max: { fence: long(f.fence) }, $inc: { walletCalls: long(1) } }, { session, upsert: true });
      }
      if (changes.lastSeq !== changes.previousSeq) {
        const moved = await counters.updateOne(
          { _id: TRANSFER_COUNTER_ID, seq: long(changes.previousSeq) },
          { $set: { seq: long(changes.lastSeq) } },
          opts,
        );
        if (moved.matchedCount !== 1) throw new WriteRace(`the transfer counter moved past ${changes.previousSeq}`);
      }
      if (changes.accounts.length > 0) {
        const updates: Array<AnyBulkWriteOperation<AccountDoc>> = changes.accounts.map((c) => ({
          updateOne: { filter: accountGuard(c.id, c.balanceDeltaMinor, c.heldDeltaMinor), update: { $inc: { balanceMinor: long(c.balanceDeltaMinor), heldMinor: long(c.heldDeltaMinor) } } },
        }));
        const result = await accounts.bulkWrite(updates, { session, ordered: true });
        if (result.matchedCount !== updates.length) throw new WriteRace('an account balance changed under the wallet transaction');
      }
      if (changes.transfers.length > 0) {
        await transfers.insertMany(changes.transfers.map(transferDoc), { session, ordered: true });
      }
      if (changes.newHolds.length > 0 || changes.resolvedHolds.length > 0) {
        const writes: Array<AnyBulkWriteOperation<HoldDoc>> = [
          ...changes.newHolds.map((record) => ({ insertOne: { document: holdDoc(record) } })),
          ...changes.resolvedHolds.map((hold) => ({
            updateOne: {
              filter: { _id: hold.id, status: 'open' as const },
              update: { $set: { status: hold.status, capturedMinor: long(hold.capturedMinor), resolvedAt: long(hold.resolvedAt ?? 0) } },
            },
          })),
        ];
        const result = await holds.bulkWrite(writes, { session, ordered: true });
        if (result.matchedCount !== changes.resolvedHolds.length) throw new WriteRace('a hold was resolved under the wallet transaction');
      }
      if (changes.keys.length > 0) {
        await keys.insertMany(changes.keys.map(walletKeyDoc), { session, ordered: true });
      }
      for (const g of changes.grants) {
        // Every wallet transaction takes the transfer counter first, so grants never race here.
        const doc = { ownerAccountId: g.ownerAccountId, status: g.status, expiresAt: long(g.expiresAt), data: JSON.stringify(g) };
        await grants.updateOne({ _id: g.accountId }, { $set: doc }, { session, upsert: true });
      }
    },
  };
}

/**
 * The filter of an account update: only world may end below zero, and held money never does.
 * The in-memory decision already checked both; this is the backstop against races and bugs.
 */
export function accountGuard(id: string, balanceDeltaMinor: number, heldDeltaMinor: number): Filter<AccountDoc> {
  const filter: Filter<AccountDoc> = { _id: id };
  if (balanceDeltaMinor < 0 && id !== SYSTEM_ACCOUNTS.world) filter.balanceMinor = { $gte: long(-balanceDeltaMinor) };
  if (heldDeltaMinor < 0) filter.heldMinor = { $gte: long(-heldDeltaMinor) };
  return filter;
}
