import type { DatabaseSync } from 'node:sqlite';
import {
  StoreError,
  SYSTEM_ACCOUNTS,
  type Account,
  type AccountKind,
  type BonusGrant,
  type Hold,
  type Page,
  type RoomFence,
  type Transfer,
  type WalletOp,
  type WalletOutcome,
  type WalletStore,
} from '../types.ts';
import { abortedExcept, assertFenceShape, assertOpsShape, bonusAccountId, MAX_ID_LENGTH, MAX_KEY_LENGTH, staleFence } from '../wallet-input.ts';
import type { BatchLedger } from './batch-ledger.ts';
import { prepareHistoryPage } from './history.ts';
import { createReconciler } from './reconcile.ts';
import { toAccount, toHold, toTransfer } from './rows.ts';
import { executeWalletCall } from '../wallet-ops.ts';
import { RollbackWith } from './write-queue.ts';
import type { Writer } from './writer.ts';

export const MAX_PAGE_SIZE = 200;

const ACCOUNT_KINDS: ReadonlySet<string> = new Set<AccountKind>(['player', 'house', 'promotions', 'world', 'escrow']);
const SYSTEM_IDS: ReadonlySet<string> = new Set(Object.values(SYSTEM_ACCOUNTS));
const CURRENCY = /^[A-Za-z0-9_]{1,16}$/;

function invalid(message: string): never {
  throw new StoreError('store/invalid_argument', message);
}


/** The wallet's writes, run inside the write transaction (writes.ts). */
export function walletWrites(db: DatabaseSync, ledger: BatchLedger) {
  const sql = {
    insertAccount: db.prepare('INSERT INTO accounts (id, kind, currency, created_at) VALUES (?, ?, ?, ?)'),
    fence: db.prepare('SELECT fence FROM room_fences WHERE room_id = ?'),
    setFence: db.prepare('INSERT INTO room_fences (room_id, fence) VALUES (?1, ?2) ON CONFLICT (room_id) DO UPDATE SET fence = ?2'),
  };
  return {
    'wallet.apply'(ops: WalletOp[], atomic: boolean, at: number, fence?: RoomFence): WalletOutcome[] {
      if (fence) {
        // Same transaction as the ops and as journal appends: a room's old owner moves no money
        // once a newer owner has recorded its fence.
        const recorded = Number(sql.fence.get(fence.roomId)?.fence ?? -1);
        if (fence.fence < recorded) throw staleFence(fence, recorded);
        if (fence.fence > recorded) sql.setFence.run(fence.roomId, fence.fence);
      }
      const outcomes: WalletOutcome[] = [];
      executeWalletCall(ledger, ops, at, (outcome, i) => {
        if (!outcome.ok && atomic) throw new RollbackWith(abortedExcept(ops, i, outcome));
        outcomes.push(outcome);
      });
      return outcomes;
    },

    'wallet.ensureAccount'(id: string, kind: AccountKind, currency: string, at: number): Account {
      // Through the batch's working set, so the balances returned include this batch's moves.
      const account = ledger.account(id);
      if (account) {
        if (account.kind !== kind || account.currency !== currency) {
          throw new StoreError('store/account_conflict', `account ${id} exists as ${account.kind} in ${account.currency}`);
        }
        return account;
      }
      sql.insertAccount.run(id, kind, currency, at);
      ledger.accountCreated(id);
      return { id, kind, currency, balanceMinor: 0, heldMinor: 0, createdAt: at };
    },
  };
}

export function createSqliteWallet(db: DatabaseSync, writer: Writer, now: () => number): WalletStore {
  const reconcile = createReconciler(db);
  const sql = {
    account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
    hold: db.prepare('SELECT * FROM holds WHERE id = ?'),
    transferByKey: db.prepare('SELECT * FROM transfers WHERE key = ?'),
    grant: db.prepare('SELECT data FROM bonus_grants WHERE account_id = ?'),
    expiredGrants: db.prepare("SELECT data FROM bonus_grants WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at, account_id LIMIT ?"),
    openHolds: db.prepare("SELECT * FROM holds WHERE status = 'open' AND id >= ?1 AND id < ?1 || char(1114111) AND id > ?3 ORDER BY id LIMIT ?2"),
    transfers: prepareHistoryPage(db),
  };

  return {
    async ensureAccount(id, kind, currency) {
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) invalid('invalid account id');
      if (!ACCOUNT_KINDS.has(kind)) invalid(`unknown account kind ${String(kind)}`);
      // Only the migrations create world and escrow: their balances carry ledger-wide meaning.
      if ((kind === 'world' || kind === 'escrow') && !SYSTEM_IDS.has(id)) invalid(`${kind} is a system account kind`);
      if (typeof currency !== 'string' || !CURRENCY.test(currency)) invalid('invalid currency');
      return writer.call('wallet.ensureAccount', 1, 'now', id, kind, currency, now());
    },

    async getAccount(id) {
      const row = sql.account.get(id);
      return row ? toAccount(row) : null;
    },

    async getHold(id): Promise<Hold | null> {
      const row = sql.hold.get(id);
      return row ? toHold(row) : null;
    },

    async transferByKey(key) {
      if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH * 2) invalid('invalid transfer key');
      const row = sql.transferByKey.get(key);
      return row ? toTransfer(row) : null;
    },

    async apply(ops, opts) {
      assertOpsShape(ops);
      assertFenceShape(opts?.fence);
      return writer.call('wallet.apply', ops.length, opts?.bulk ? 'bulk' : 'now', ops, opts?.atomic === true, now(), opts?.fence);
    },

    async listTransfers(accountId, opts): Promise<Page<Transfer>> {
      const { limit, before } = opts;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) invalid(`limit must be 1..${MAX_PAGE_SIZE}`);
      if (before != null && (typeof before !== 'string' || !/^[1-9][0-9]{0,15}$/.test(before))) invalid('invalid cursor');
      const beforeSeq = before == null ? Number.MAX_SAFE_INTEGER : Number(before);
      // One extra row tells whether an older page exists.
      const rows = sql.transfers.all(accountId, beforeSeq, limit + 1).map(toTransfer);
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
    },

    async reconcile() {
      return reconcile();
    },

    async listOpenHolds({ prefix, limit, after }) {
      if (typeof prefix !== 'string' || prefix.length > MAX_ID_LENGTH) invalid('invalid hold id prefix');
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) invalid('limit must be 1..1000');
      if (after !== undefined && (typeof after !== 'string' || after.length > MAX_ID_LENGTH)) invalid('invalid hold id cursor');
      return sql.openHolds.all(prefix, limit, after ?? '').map(toHold);
    },

    async bonusGrant(ownerAccountId) {
      if (typeof ownerAccountId !== 'string' || ownerAccountId.length === 0 || ownerAccountId.length > MAX_ID_LENGTH) invalid('invalid account id');
      const row = sql.grant.get(bonusAccountId(ownerAccountId));
      return row ? (JSON.parse(String(row.data)) as BonusGrant) : null;
    },

    async expiredBonusGrants(at, limit) {
      if (!Number.isSafeInteger(at)) invalid('at must be an integer');
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) invalid('limit must be 1..1000');
      return sql.expiredGrants.all(at, limit).map((row) => JSON.parse(String(row.data)) as BonusGrant);
    },
  };
}
