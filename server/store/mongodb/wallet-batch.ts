/**
 * Applies a batch of wallet calls inside one transaction: read everything the ops may touch
 * (five queries whatever the batch size), decide every op in memory, write the net effect.
 * Each call keeps its own all-or-nothing through the ledger's undo log, so a failing atomic
 * call, or a call that throws, leaves its neighbours' outcomes as they are.
 *
 * The reads and writes go through `LedgerSource`, which the MongoDB adapter implements with a
 * transaction's session (ledger-source.ts) and the unit tests implement in memory.
 */
import { SYSTEM_ACCOUNTS, type Account, type BonusGrant, type RoomFence, type Transfer, type WalletOp, type WalletOutcome } from '../types.ts';
import {
  abortedExcept, bonusAccountId, bonusHoldId, captureRestKey, debtKey, debtSettledKey, isBonusAccount, isReceivable, receivableAccountId, staleFence,
} from '../wallet-input.ts';
import { cashAccountOf } from '../bonus-ops.ts';
import { funded } from '../funded.ts';
import type { AppliedKey, HoldRecord } from './documents.ts';
import { MemoryLedger, type LedgerChanges } from './ledger.ts';
import { executeCall } from './wallet-ops.ts';
import { MemoryLimits, type AccountProtection, type UsageChange } from './protection.ts';

export interface WalletCall {
  /** Unique per apply call (not per attempt), stored with the keys it writes. */
  callId: string;
  ops: WalletOp[];
  atomic: boolean;
  /** The calling room's fence (WalletApplyOptions.fence). */
  fence?: RoomFence;
  /** A funded journal entry's ops (../funded.ts): undone as a whole unless they fund it. */
  funding?: true;
}

export type CallResult = { ok: true; outcomes: WalletOutcome[] } | { ok: false; error: unknown };

/** The transaction's reads and its one write, for one batch. */
export interface LedgerSource {
  /** Takes the transfer counter for this transaction (first writer wins) and returns the last seq handed out. */
  lockTransferCounter(): Promise<number>;
  findKeys(keys: string[]): Promise<AppliedKey[]>;
  findHolds(ids: string[]): Promise<HoldRecord[]>;
  findAccounts(ids: string[]): Promise<Account[]>;
  findTransfers(seqs: number[]): Promise<Transfer[]>;
  /** The grants of these bonus accounts (absent: none). */
  findGrants(bonusAccountIds: string[]): Promise<BonusGrant[]>;
  /** The highest fence recorded for each of these rooms (absent: none yet). */
  findFences(roomIds: string[]): Promise<Map<string, number>>;
  /**
   * Writes the batch's net effect and, for every fenced room of the batch, raises its recorded
   * fence to at least the given one (always a write, so a concurrent claim of the room conflicts
   * with this transaction); throws (and so aborts the transaction) when a guard does not hold.
   */
  write(changes: LedgerChanges, fences: RoomFence[], usage: UsageChange[]): Promise<void>;
  /** Player protection: the controls and limit counters of these (player) accounts. */
  findProtection(accountIds: string[]): Promise<Map<string, AccountProtection>>;
}

export interface ReadPlan {
  keys: string[];
  holdIds: string[];
  accountIds: string[];
}

/** What the ops name directly: their keys (and a capture's remainder key), holds and accounts. */
export function readPlan(calls: WalletCall[]): ReadPlan {
  const keys = new Set<string>();
  const holdIds = new Set<string>();
  const accountIds = new Set<string>([SYSTEM_ACCOUNTS.escrow]);
  for (const { ops } of calls) {
    for (const op of ops) {
      keys.add(op.key);
      switch (op.type) {
        case 'transfer':
          accountIds.add(op.fromAccountId);
          accountIds.add(op.toAccountId);
          // A credit to a player in debt pays it down first (wallet-ops.ts).
          accountIds.add(receivableAccountId(op.toAccountId));
          accountIds.add(SYSTEM_ACCOUNTS.house);
          accountIds.add(SYSTEM_ACCOUNTS.world);
          keys.add(debtKey(op.key));
          keys.add(debtSettledKey(op.key));
          break;
        case 'clawback':
          accountIds.add(op.accountId);
          accountIds.add(op.toAccountId);
          accountIds.add(receivableAccountId(op.accountId));
          accountIds.add(SYSTEM_ACCOUNTS.world);
          keys.add(debtKey(op.key));
          break;
        case 'reserve':
          accountIds.add(op.accountId);
          holdIds.add(op.key);
          holdIds.add(bonusHoldId(op.key));
          keys.add(bonusHoldId(op.key));
          break;
        case 'capture':
          keys.add(captureRestKey(op.key));
          keys.add(bonusHoldId(op.key));
          holdIds.add(op.holdId);
          holdIds.add(bonusHoldId(op.holdId));
          accountIds.add(op.toAccountId);
          break;
        case 'release':
          keys.add(bonusHoldId(op.key));
          holdIds.add(op.holdId);
          holdIds.add(bonusHoldId(op.holdId));
          break;
        case 'bonusGrant':
          accountIds.add(op.accountId);
          accountIds.add(op.fromAccountId);
          break;
        case 'bonusClose':
        case 'bonusAdjust':
          accountIds.add(op.accountId);
          break;
      }
      if (op.type === 'transfer' && op.stakeHoldId !== undefined) {
        keys.add(bonusHoldId(op.key));
        holdIds.add(op.stakeHoldId);
        holdIds.add(bonusHoldId(op.stakeHoldId));
      }
    }
  }
  return { keys: [...keys], holdIds: [...holdIds], accountIds: [...accountIds] };
}


/** An atomic call stopped at a refused op: its outcomes, every write undone. */
class CallAborted {
  constructor(readonly outcomes: WalletOutcome[]) {}
}

function runCall(ledger: MemoryLedger, call: WalletCall, at: number): CallResult {
  const mark = ledger.mark();
  try {
    const outcomes: WalletOutcome[] = [];
    executeCall(ledger, call.ops, { at, callId: call.callId }, (outcome, i) => {
      if (!outcome.ok && call.atomic) throw new CallAborted(abortedExcept(call.ops, i, outcome));
      outcomes.push(outcome);
    });
    if (call.funding && !funded(outcomes)) ledger.rollback(mark);
    return { ok: true, outcomes };
  } catch (error) {
    if (error instanceof CallAborted) {
      ledger.rollback(mark);
      return { ok: true, outcomes: error.outcomes };
    }
    ledger.rollback(mark);
    return { ok: false, error };
  }
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

const SYSTEM_IDS: ReadonlySet<string> = new Set(Object.values(SYSTEM_ACCOUNTS));

/** The ids plus each player's bonus account and each bonus account's player (the bonus rules read both). */
function withBonusAccounts(ids: string[]): string[] {
  const out = new Set(ids);
  for (const id of ids) {
    if (isBonusAccount(id)) out.add(cashAccountOf(id));
    else if (!SYSTEM_IDS.has(id) && !isReceivable(id)) out.add(bonusAccountId(id));
  }
  return [...out];
}

/** Reads the working set, decides every call in order, writes the result. Runs inside the transaction. */
export async function applyCalls(source: LedgerSource, calls: WalletCall[], now: () => number): Promise<CallResult[]> {
  const lastSeq = await source.lockTransferCounter();
  const plan = readPlan(calls);
  const appliedKeys = await source.findKeys(plan.keys);
  const holdIds = unique([...plan.holdIds, ...appliedKeys.flatMap((k) => (k.holdId === null ? [] : [k.holdId]))]);
  const holds = await source.findHolds(holdIds);
  const accountIds = withBonusAccounts([...plan.accountIds, ...holds.map((h) => h.hold.accountId)]);
  const accounts = await source.findAccounts(accountIds);
  // Grants only of bonus accounts that exist (most calls have none: no extra read).
  const grantIds = accounts.map((a) => a.id).filter(isBonusAccount);
  const grants = grantIds.length > 0 ? await source.findGrants(grantIds) : [];
  // Forfeits and adjustments move money to or from a grant's funding account.
  const funding = unique(grants.map((g) => g.fundingAccountId)).filter((id) => !accountIds.includes(id));
  if (funding.length > 0) {
    accountIds.push(...funding);
    accounts.push(...(await source.findAccounts(funding)));
  }
  const transfers = await source.findTransfers(unique(appliedKeys.flatMap((k) => k.transferSeqs)));

  const fenced = unique(calls.flatMap((c) => (c.fence ? [c.fence.roomId] : [])));
  const fences = fenced.length > 0 ? await source.findFences(fenced) : new Map<string, number>();

  const ledger = new MemoryLedger({ lastSeq, accountIds, holdIds, keys: plan.keys, accounts, holds, appliedKeys, transfers, grantIds, grants });
  // -- player protection: the limits check over the players' controls and counters --
  const limits = new MemoryLimits(await source.findProtection(accounts.filter((a) => a.kind === 'player').map((a) => a.id)), ledger);
  ledger.limits = limits.port;
  const results = calls.map((call): CallResult => {
    if (call.fence) {
      const recorded = fences.get(call.fence.roomId) ?? -1;
      if (call.fence.fence < recorded) return { ok: false, error: staleFence(call.fence, recorded) };
      fences.set(call.fence.roomId, call.fence.fence);
    }
    return runCall(ledger, call, now());
  });
  await source.write(ledger.changes(), fenced.map((roomId) => ({ roomId, fence: fences.get(roomId)! })), limits.changes());
  return results;
}
