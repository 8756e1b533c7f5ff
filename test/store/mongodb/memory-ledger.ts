/**
 * An in-memory stand-in for the MongoDB collections behind the wallet, for tests that need no
 * server: it answers the batch's reads (only what is asked, so a missing read in the plan shows
 * up as a "not read for this batch" error), checks the same guards the MongoDB writes carry
 * (counter value, non-negative balances except world, holds resolved once, unique keys) and
 * applies a batch all-or-nothing. The wallet on top is the adapter's real write path
 * (createWalletWriter: shape checks, group commit, batch logic, ops).
 */
import { SYSTEM_ACCOUNTS, type Account, type BonusGrant, type Hold, type Page, type Reconciliation, type Store, type Transfer, type WalletStore } from '../../../server/store/types.ts';
import type { AppliedKey, HoldRecord } from '../../../server/store/mongodb/documents.ts';
import type { LedgerChanges } from '../../../server/store/mongodb/ledger.ts';
import type { CallResult, LedgerSource } from '../../../server/store/mongodb/wallet-batch.ts';
import { createWalletWriter, type WalletWriter } from '../../../server/store/mongodb/wallet-writer.ts';
import { checkAccount, checkOpenHoldsQuery, pageStart } from '../../../server/store/mongodb/validate.ts';
import type { GroupCommitOptions } from '../../../server/store/mongodb/group-commit.ts';

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryLedgerDb {
  readonly accounts = new Map<string, Account>();
  readonly transfers = new Map<number, Transfer>();
  readonly holds = new Map<string, HoldRecord>();
  readonly keys = new Map<string, AppliedKey>();
  readonly fences = new Map<string, number>();
  readonly grants = new Map<string, BonusGrant>();
  counter = 0;
  batches = 0;

  constructor(readonly currency = 'EUR', now = 1_700_000_000_000) {
    const kinds = { world: 'world', house: 'house', promotions: 'promotions', escrow: 'escrow' } as const;
    for (const [name, id] of Object.entries(SYSTEM_ACCOUNTS) as Array<[keyof typeof kinds, string]>) {
      this.accounts.set(id, { id, kind: kinds[name], currency, balanceMinor: 0, heldMinor: 0, createdAt: now });
    }
  }

  source(): LedgerSource {
    const pick = <K, V>(map: Map<K, V>, ids: K[]): V[] => ids.flatMap((id) => (map.has(id) ? [clone(map.get(id)!)] : []));
    return {
      lockTransferCounter: async () => this.counter,
      findKeys: async (keys) => pick(this.keys, keys),
      findHolds: async (ids) => pick(this.holds, ids),
      findAccounts: async (ids) => pick(this.accounts, ids),
      findTransfers: async (seqs) => pick(this.transfers, seqs),
      findGrants: async (ids) => pick(this.grants, ids),
      findFences: async (roomIds) => new Map(roomIds.flatMap((id) => (this.fences.has(id) ? [[id, this.fences.get(id)!] as const] : []))),
      write: async (changes, fences) => {
        this.write(changes);
        for (const f of fences) this.fences.set(f.roomId, Math.max(this.fences.get(f.roomId) ?? -1, f.fence));
      },
    };
  }

  /** Checks every guard first, then applies: a failing guard writes nothing (like an aborted transaction). */
  write(ch: LedgerChanges): void {
    this.batches++;
    if (ch.previousSeq !== this.counter) throw new Error(`counter moved: ${this.counter} != ${ch.previousSeq}`);
    for (const c of ch.accounts) {
      const a = this.accounts.get(c.id);
      if (!a) throw new Error(`update of missing account ${c.id}`);
      if (c.id !== SYSTEM_ACCOUNTS.world && a.balanceMinor + c.balanceDeltaMinor < 0) throw new Error(`guard: ${c.id} would go negative`);
      if (a.heldMinor + c.heldDeltaMinor < 0) throw new Error(`guard: ${c.id} held would go negative`);
      if (a.balanceMinor + c.balanceDeltaMinor !== c.balanceMinor) throw new Error(`stale decision for ${c.id}`);
    }
    for (const t of ch.transfers) {
      if (this.transfers.has(t.seq)) throw new Error(`duplicate transfer seq ${t.seq}`);
      if ([...this.transfers.values()].some((x) => x.key === t.key)) throw new Error(`duplicate transfer key ${t.key}`);
    }
    for (const h of ch.newHolds) if (this.holds.has(h.hold.id)) throw new Error(`duplicate hold ${h.hold.id}`);
    for (const h of ch.resolvedHolds) if (this.holds.get(h.id)?.hold.status !== 'open') throw new Error(`guard: hold ${h.id} not open`);
    for (const k of ch.keys) if (this.keys.has(k.key)) throw new Error(`duplicate key ${k.key}`);
    const seqs = ch.transfers.map((t) => t.seq);
    const expected = Array.from({ length: ch.lastSeq - ch.previousSeq }, (_, i) => ch.previousSeq + 1 + i);
    if (JSON.stringify(seqs) !== JSON.stringify(expected)) throw new Error(`transfer seqs ${seqs} are not ${expected}`);

    this.counter = ch.lastSeq;
    for (const c of ch.accounts) {
      const a = this.accounts.get(c.id)!;
      this.accounts.set(c.id, { ...a, balanceMinor: a.balanceMinor + c.balanceDeltaMinor, heldMinor: a.heldMinor + c.heldDeltaMinor });
    }
    for (const t of ch.transfers) this.transfers.set(t.seq, clone(t));
    for (const h of ch.newHolds) this.holds.set(h.hold.id, clone(h));
    for (const h of ch.resolvedHolds) this.holds.set(h.id, { hold: clone(h), reserveSeq: this.holds.get(h.id)!.reserveSeq });
    for (const k of ch.keys) this.keys.set(k.key, clone(k));
    for (const g of ch.grants) this.grants.set(g.accountId, clone(g));
  }
}

export interface MemoryWallet extends WalletStore {
  db: MemoryLedgerDb;
  writer: WalletWriter;
}

type InTransaction = (work: (source: LedgerSource) => Promise<CallResult[]>, db: MemoryLedgerDb) => Promise<CallResult[]>;

/** The adapter's write path over memory, plus the read side the contract needs. */
export function memoryWallet(opts: GroupCommitOptions & { now?: () => number; inTransaction?: InTransaction; db?: MemoryLedgerDb } = {}): MemoryWallet {
  const db = opts.db ?? new MemoryLedgerDb();
  const now = opts.now ?? Date.now;
  const writer = createWalletWriter({
    ...opts,
    now,
    inTransaction: (work) => (opts.inTransaction ? opts.inTransaction(work, db) : work(db.source())),
  });
  const openHolds = () => [...db.holds.values()].filter((h) => h.hold.status === 'open');

  return {
    db,
    writer,
    async ensureAccount(id, kind, currency) {
      checkAccount(id, kind, currency);
      const existing = db.accounts.get(id);
      if (existing) {
        if (existing.kind !== kind || existing.currency !== currency) throw new Error('account conflict');
        return clone(existing);
      }
      const account: Account = { id, kind, currency, balanceMinor: 0, heldMinor: 0, createdAt: now() };
      db.accounts.set(id, account);
      return clone(account);
    },
    async getAccount(id) {
      return db.accounts.has(id) ? clone(db.accounts.get(id)!) : null;
    },
    async getHold(id): Promise<Hold | null> {
      return db.holds.has(id) ? clone(db.holds.get(id)!.hold) : null;
    },
    apply: (ops, applyOpts) => writer.apply(ops, applyOpts),
    async transferByKey(key) {
      const found = [...db.transfers.values()].find((t) => t.key === key);
      return found ? clone(found) : null;
    },
    async listTransfers(accountId, { limit, before }): Promise<Page<Transfer>> {
      const start = pageStart(limit, before);
      const rows = [...db.transfers.values()]
        .filter((t) => (t.fromAccountId === accountId || t.toAccountId === accountId) && t.seq < start)
        .sort((a, b) => b.seq - a.seq)
        .slice(0, limit + 1);
      const items = rows.slice(0, limit).map(clone);
      return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
    },
    async reconcile(): Promise<Reconciliation> {
      const accounts = [...db.accounts.values()];
      const open = openHolds().sort((a, b) => a.hold.createdAt - b.hold.createdAt || a.reserveSeq - b.reserveSeq);
      const r: Reconciliation = {
        ok: false,
        sumOfBalancesMinor: accounts.reduce((s, a) => s + a.balanceMinor, 0),
        escrowBalanceMinor: db.accounts.get(SYSTEM_ACCOUNTS.escrow)!.balanceMinor,
        openHoldsMinor: open.reduce((s, h) => s + h.hold.amountMinor, 0),
        openHoldCount: open.length,
        openHolds: open.slice(0, 100).map((h) => clone(h.hold)),
        negativeAccounts: accounts.filter((a) => a.balanceMinor < 0 && a.id !== SYSTEM_ACCOUNTS.world).map((a) => ({ id: a.id, balanceMinor: a.balanceMinor })),
        accountCount: accounts.length,
        transferCount: db.transfers.size,
        receivablesMinor: 0,
        receivableCount: 0,
        receivables: accounts
          .filter((a) => a.id.startsWith('receivable:') && a.balanceMinor > 0)
          .sort((a, b) => b.balanceMinor - a.balanceMinor || (a.id < b.id ? -1 : 1))
          .slice(0, 100)
          .map((a) => ({ id: a.id, balanceMinor: a.balanceMinor })),
        bonusLiabilityMinor: 0,
        bonusConvertedMinor: 0,
        bonusGrantedMinor: 0,
        bonusForfeitedMinor: 0,
      };
      const owed = accounts.filter((a) => a.id.startsWith('receivable:') && a.balanceMinor > 0);
      r.receivablesMinor = owed.reduce((s, a) => s + a.balanceMinor, 0);
      r.receivableCount = owed.length;
      const bonusAccounts = accounts.filter((a) => a.id.startsWith('bonus:'));
      const flows = (pick: (t: Transfer) => boolean) => [...db.transfers.values()].filter(pick).reduce((s, t) => s + t.amountMinor, 0);
      r.bonusLiabilityMinor = bonusAccounts.reduce((s, a) => s + a.balanceMinor + a.heldMinor, 0);
      r.bonusConvertedMinor = flows((t) => t.kind === 'conversion');
      r.bonusForfeitedMinor = flows((t) => t.kind === 'forfeit');
      r.bonusGrantedMinor = flows((t) => t.kind === 'bonus' && t.toAccountId.startsWith('bonus:')) - flows((t) => t.kind === 'bonus' && t.fromAccountId.startsWith('bonus:'));
      r.ok = r.sumOfBalancesMinor === 0 && r.escrowBalanceMinor === r.openHoldsMinor && r.negativeAccounts.length === 0;
      return r;
    },
    async bonusGrant(ownerAccountId) {
      const g = db.grants.get(`bonus:${ownerAccountId}`);
      return g ? clone(g) : null;
    },
    async expiredBonusGrants(at, limit) {
      return [...db.grants.values()].filter((g) => g.status === 'active' && g.expiresAt <= at).sort((a, b) => a.expiresAt - b.expiresAt).slice(0, limit).map(clone);
    },
    async listOpenHolds({ prefix, limit, after }) {
      checkOpenHoldsQuery(prefix, limit, after);
      return openHolds()
        .filter((h) => h.hold.id.startsWith(prefix) && (after === undefined || h.hold.id > after))
        .sort((a, b) => (a.hold.id < b.hold.id ? -1 : a.hold.id > b.hold.id ? 1 : 0))
        .slice(0, limit)
        .map((h) => clone(h.hold));
    },
  };
}

/** A Store whose wallet is the memory wallet; the other parts are not used by the wallet contract rows. */
export function memoryWalletStore(wallet: MemoryWallet): Store {
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not part of the in-memory wallet harness')) });
  return {
    kind: 'mongodb',
    wallet,
    users: unused as Store['users'],
    audit: unused as Store['audit'],
    journal: unused as Store['journal'],
    games: unused as Store['games'],
    ping: async () => undefined,
    close: () => wallet.writer.close(),
  };
}
