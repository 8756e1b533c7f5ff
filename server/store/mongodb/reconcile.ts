import type { ClientSession, Collection, Db, Document, MongoClient } from 'mongodb';
import { SYSTEM_ACCOUNTS, type Reconciliation } from '../types.ts';
import { toHold, toInt } from './documents.ts';
import { COLLECTIONS, type AccountDoc, type HoldDoc, type TransferDoc } from './schema.ts';

const MAX_LISTED = 100;

interface Totals {
  total?: unknown;
  count?: unknown;
}

/**
 * Checks the books from the database itself (not from this process's memory), so it is right
 * with several processes writing. All reads share one snapshot session (one point in time,
 * MongoDB 5.0+), so a commit landing in between cannot make balanced books look unbalanced. A
 * snapshot session, unlike a transaction, is not cut off after 60 s on a large ledger.
 */
export function createReconciler(client: MongoClient, db: Db): () => Promise<Reconciliation> {
  const accounts = db.collection<AccountDoc>(COLLECTIONS.accounts);
  const holds = db.collection<HoldDoc>(COLLECTIONS.holds);
  const transfers = db.collection<TransferDoc>(COLLECTIONS.transfers);

  return async () => {
    const session = client.startSession({ snapshot: true });
    try {
      // A level string makes the driver build a fresh read concern per operation; the inherited
      // (shared) majority one would get the snapshot's atClusterTime written into it.
      const opts = { session, readConcern: 'snapshot' as const };
      const sums = { _id: null, total: { $sum: '$balanceMinor' }, count: { $sum: 1 } };
      const [accountTotals] = await accounts.aggregate<Totals>([{ $group: sums }], opts).toArray();
      const escrow = await accounts.findOne({ _id: SYSTEM_ACCOUNTS.escrow }, opts);
      const [holdTotals] = await holds
        .aggregate<Totals>([{ $match: { status: 'open' } }, { $group: { _id: null, total: { $sum: '$amountMinor' }, count: { $sum: 1 } } }], opts)
        .toArray();
      const openHolds = await holds.find({ status: 'open' }, opts).sort({ createdAt: 1, reserveSeq: 1 }).limit(MAX_LISTED).toArray();
      const negative = await accounts
        .find({ balanceMinor: { $lt: 0 }, _id: { $ne: SYSTEM_ACCOUNTS.world } }, opts)
        .sort({ _id: 1 })
        .limit(MAX_LISTED)
        .toArray();
      const transferCount = await transfers.countDocuments({}, opts);
      const owedFilter = { _id: { $regex: '^receivable:' }, balanceMinor: { $gt: 0 } };
      const [owedTotals] = await accounts.aggregate<Totals>([{ $match: owedFilter }, { $group: sums }], opts).toArray();
      const owed = await accounts.find(owedFilter, opts).sort({ balanceMinor: -1, _id: 1 }).limit(MAX_LISTED).toArray();

      const bonus = await bonusFigures(accounts, transfers, opts);
      const result: Reconciliation = {
        ok: false,
        sumOfBalancesMinor: toInt(accountTotals?.total ?? 0, 'sum of balances'),
        escrowBalanceMinor: escrow ? toInt(escrow.balanceMinor, 'escrow balance') : 0,
        openHoldsMinor: toInt(holdTotals?.total ?? 0, 'sum of open holds'),
        openHoldCount: toInt(holdTotals?.count ?? 0, 'open hold count'),
        openHolds: openHolds.map(toHold),
        negativeAccounts: negative.map((doc) => ({ id: String(doc._id), balanceMinor: toInt(doc.balanceMinor, 'balance') })),
        accountCount: toInt(accountTotals?.count ?? 0, 'account count'),
        transferCount,
        receivablesMinor: toInt(owedTotals?.total ?? 0, 'sum of receivables'),
        receivableCount: toInt(owedTotals?.count ?? 0, 'receivable count'),
        receivables: owed.map((doc) => ({ id: String(doc._id), balanceMinor: toInt(doc.balanceMinor, 'balance') })),
        ...bonus,
      };
      result.ok =
        result.sumOfBalancesMinor === 0 &&
        result.escrowBalanceMinor === result.openHoldsMinor &&
        result.negativeAccounts.length === 0;
      return result;
    } finally {
      await session.endSession().catch(() => undefined);
    }
  };
}

/** The bonus liability (bonus accounts' balances and held stakes) and the bonus flows by transfer kind. */
async function bonusFigures(
  accounts: Collection<AccountDoc>, transfers: Collection<TransferDoc>, opts: { session: ClientSession; readConcern: 'snapshot' },
): Promise<Pick<Reconciliation, 'bonusLiabilityMinor' | 'bonusConvertedMinor' | 'bonusGrantedMinor' | 'bonusForfeitedMinor'>> {
  const bonusIds = { $regex: '^bonus:' };
  const sum = async (filter: Document): Promise<number> => {
    const [row] = await transfers.aggregate<Totals>([{ $match: filter }, { $group: { _id: null, total: { $sum: '$amountMinor' } } }], opts).toArray();
    return toInt(row?.total ?? 0, 'sum of bonus transfers');
  };
  const [held] = await accounts
    .aggregate<Totals & { held?: unknown }>([{ $match: { _id: bonusIds } }, { $group: { _id: null, total: { $sum: '$balanceMinor' }, held: { $sum: '$heldMinor' } } }], opts)
    .toArray();
  return {
    bonusLiabilityMinor: toInt(held?.total ?? 0, 'bonus balances') + toInt(held?.held ?? 0, 'bonus held'),
    bonusConvertedMinor: await sum({ kind: 'conversion' }),
    bonusGrantedMinor: (await sum({ kind: 'bonus', toAccountId: bonusIds })) - (await sum({ kind: 'bonus', fromAccountId: bonusIds })),
    bonusForfeitedMinor: await sum({ kind: 'forfeit' }),
  };
}
