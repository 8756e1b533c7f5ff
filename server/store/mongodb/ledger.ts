/**
 * The wallet's working set for one transaction: every account, hold, idempotency key and
 * replayed transfer the batch may touch, read once inside the transaction, then changed in
 * memory while the ops are decided. An undo log gives each apply call its own all-or-nothing
 * (MongoDB has no savepoints), and `changes()` is the net effect written back at the end.
 * Pure: no I/O.
 */
import { StoreError, SYSTEM_ACCOUNTS, type Account, type BonusGrant, type Hold, type HoldStatus, type Transfer } from '../types.ts';
import type { NewTransfer } from '../wallet-ops.ts';
import type { AppliedKey, HoldRecord } from './documents.ts';

export type { NewTransfer } from '../wallet-ops.ts';

/** What was read for the batch; ids asked for but absent are known to be missing. */
export interface WorkingSet {
  /** The last transfer seq handed out before this transaction. */
  lastSeq: number;
  accountIds: Iterable<string>;
  holdIds: Iterable<string>;
  keys: Iterable<string>;
  accounts: Account[];
  holds: HoldRecord[];
  appliedKeys: AppliedKey[];
  transfers: Transfer[];
  /** Bonus accounts whose grants were looked for, and the grants found. */
  grantIds?: Iterable<string>;
  grants?: BonusGrant[];
}

export interface AccountChange {
  id: string;
  balanceDeltaMinor: number;
  heldDeltaMinor: number;
  /** The balance the account ends with; only world may end below zero. */
  balanceMinor: number;
}

/** The net effect of a batch, in the order it must be written. */
export interface LedgerChanges {
  /** Seq of the last transfer handed out before the batch (the counter's expected value). */
  previousSeq: number;
  /** Seq of the last transfer written (== previousSeq when none). */
  lastSeq: number;
  accounts: AccountChange[];
  transfers: Transfer[];
  /** Holds created by the batch, in their final state (possibly already resolved). */
  newHolds: HoldRecord[];
  /** Holds that were open before the batch and are resolved now. */
  resolvedHolds: Hold[];
  keys: AppliedKey[];
  /** Bonus grants created or changed by the batch, in their final state. */
  grants: BonusGrant[];
}

interface KeyEntry {
  applied: AppliedKey;
  /** Written or already met by this attempt: a repeat is a replay. */
  seenInAttempt: boolean;
}

type Undo = () => void;

function notLoaded(what: string, id: string): never {
  throw new Error(`wallet working set: ${what} ${id} was not read for this batch`);
}

export class MemoryLedger {
  private readonly accounts = new Map<string, Account | null>();
  private readonly holds = new Map<string, HoldRecord | null>();
  private readonly keys = new Map<string, KeyEntry | null>();
  private readonly transfers = new Map<number, Transfer>();
  private readonly grants = new Map<string, BonusGrant | null>();
  private readonly changedGrants = new Set<string>();
  private readonly baseAccounts = new Map<string, Account>();
  private readonly baseHolds = new Map<string, Hold>();
  private readonly baseKeys = new Set<string>();
  private readonly written: Transfer[] = [];
  private readonly undoLog: Undo[] = [];
  private readonly previousSeq: number;
  private nextSeq: number;

  constructor(ws: WorkingSet) {
    for (const id of ws.accountIds) this.accounts.set(id, null);
    for (const id of ws.holdIds) this.holds.set(id, null);
    for (const key of ws.keys) this.keys.set(key, null);
    for (const a of ws.accounts) {
      this.accounts.set(a.id, a);
      this.baseAccounts.set(a.id, a);
    }
    for (const h of ws.holds) {
      this.holds.set(h.hold.id, h);
      this.baseHolds.set(h.hold.id, h.hold);
    }
    for (const k of ws.appliedKeys) {
      this.keys.set(k.key, { applied: k, seenInAttempt: false });
      this.baseKeys.add(k.key);
    }
    for (const t of ws.transfers) this.transfers.set(t.seq, t);
    for (const id of ws.grantIds ?? []) this.grants.set(id, null);
    for (const g of ws.grants ?? []) this.grants.set(g.accountId, g);
    this.previousSeq = ws.lastSeq;
    this.nextSeq = ws.lastSeq + 1;
  }

  account(id: string): Account | null {
    if (!this.accounts.has(id)) notLoaded('account', id);
    return this.accounts.get(id)!;
  }

  /** Created at start-up; its absence means a damaged database, not a caller error. */
  escrow(): Account {
    const escrow = this.account(SYSTEM_ACCOUNTS.escrow);
    if (!escrow) throw new StoreError('store/corrupt', `system account ${SYSTEM_ACCOUNTS.escrow} is missing`);
    return escrow;
  }

  hold(id: string): Hold | null {
    if (!this.holds.has(id)) notLoaded('hold', id);
    return this.holds.get(id)?.hold ?? null;
  }

  appliedKey(key: string): KeyEntry | null {
    if (!this.keys.has(key)) notLoaded('key', key);
    return this.keys.get(key)!;
  }

  transfer(seq: number): Transfer {
    const t = this.transfers.get(seq);
    if (!t) throw new StoreError('store/corrupt', `transfer ${seq} named by an idempotency key is missing`);
    return t;
  }

  bonusGrant(accountId: string): BonusGrant | null {
    if (!this.grants.has(accountId)) notLoaded('bonus grant', accountId);
    return this.grants.get(accountId)!;
  }

  putBonusGrant(grant: BonusGrant): void {
    this.bonusGrant(grant.accountId);
    this.set(this.grants, grant.accountId, grant);
    const changed = this.changedGrants.has(grant.accountId);
    this.changedGrants.add(grant.accountId);
    if (!changed) this.undoLog.push(() => this.changedGrants.delete(grant.accountId));
  }

  /** Position to roll back to with `rollback`. */
  mark(): number {
    return this.undoLog.length;
  }

  rollback(mark: number): void {
    while (this.undoLog.length > mark) this.undoLog.pop()!();
  }

  private set<K, V>(map: Map<K, V>, key: K, value: V): void {
    const had = map.has(key);
    const previous = map.get(key);
    map.set(key, value);
    this.undoLog.push(() => (had ? map.set(key, previous as V) : map.delete(key)));
  }

  private addBalance(id: string, deltaMinor: number): void {
    const account = this.account(id)!;
    this.set(this.accounts, id, { ...account, balanceMinor: account.balanceMinor + deltaMinor });
  }

  /** Moves the money and records the transfer; the caller has checked funds and accounts. */
  post(t: NewTransfer): Transfer {
    this.addBalance(t.fromAccountId, -t.amountMinor);
    this.addBalance(t.toAccountId, t.amountMinor);
    const seq = this.nextSeq++;
    const transfer: Transfer = { ...t, id: String(seq), seq };
    this.transfers.set(seq, transfer);
    this.written.push(transfer);
    this.undoLog.push(() => {
      this.nextSeq--;
      this.transfers.delete(seq);
      this.written.pop();
    });
    return transfer;
  }

  addHeld(accountId: string, deltaMinor: number): void {
    const account = this.account(accountId)!;
    this.set(this.accounts, accountId, { ...account, heldMinor: account.heldMinor + deltaMinor });
  }

  openHold(id: string, accountId: string, amountMinor: number, at: number, reserveSeq: number): Hold {
    const hold: Hold = { id, accountId, amountMinor, status: 'open', capturedMinor: 0, createdAt: at, resolvedAt: null };
    this.set(this.holds, id, { hold, reserveSeq });
    return hold;
  }

  resolveHold(hold: Hold, status: Exclude<HoldStatus, 'open'>, capturedMinor: number, at: number): Hold {
    const record = this.holds.get(hold.id);
    if (!record) notLoaded('hold', hold.id);
    const resolved: Hold = { ...hold, status, capturedMinor, resolvedAt: at };
    this.set(this.holds, hold.id, { hold: resolved, reserveSeq: record.reserveSeq });
    return resolved;
  }

  rememberKey(key: string, fingerprint: string, transfers: Transfer[], holdId: string | null, at: number, callId: string): void {
    const applied: AppliedKey = { key, fingerprint, transferSeqs: transfers.map((t) => t.seq), holdId, callId, createdAt: at };
    this.set(this.keys, key, { applied, seenInAttempt: true });
  }

  /** Marks a key met again by this attempt, so a further repeat in it is a replay. */
  markSeen(key: string): void {
    const entry = this.appliedKey(key);
    if (entry && !entry.seenInAttempt) this.set(this.keys, key, { ...entry, seenInAttempt: true });
  }

  /** The net effect to write: balance deltas, new transfers, holds and keys. */
  changes(): LedgerChanges {
    const accounts: AccountChange[] = [];
    for (const [id, account] of this.accounts) {
      const base = this.baseAccounts.get(id);
      if (!account || !base) continue;
      const balanceDeltaMinor = account.balanceMinor - base.balanceMinor;
      const heldDeltaMinor = account.heldMinor - base.heldMinor;
      if (balanceDeltaMinor !== 0 || heldDeltaMinor !== 0) {
        accounts.push({ id, balanceDeltaMinor, heldDeltaMinor, balanceMinor: account.balanceMinor });
      }
    }
    const newHolds: HoldRecord[] = [];
    const resolvedHolds: Hold[] = [];
    for (const [id, record] of this.holds) {
      if (!record) continue;
      const base = this.baseHolds.get(id);
      if (!base) newHolds.push(record);
      else if (base.status !== record.hold.status) resolvedHolds.push(record.hold);
    }
    const keys: AppliedKey[] = [];
    for (const [key, entry] of this.keys) {
      if (entry && !this.baseKeys.has(key)) keys.push(entry.applied);
    }
    return {
      previousSeq: this.previousSeq,
      lastSeq: this.nextSeq - 1,
      accounts,
      transfers: [...this.written],
      newHolds,
      resolvedHolds,
      keys: keys.sort((a, b) => (a.transferSeqs[0] ?? 0) - (b.transferSeqs[0] ?? 0)),
      grants: [...this.changedGrants].map((id) => this.grants.get(id)!),
    };
  }
}
