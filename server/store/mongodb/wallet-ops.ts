/**
 * One wallet op decided against the transaction's working set, by the logic every adapter shares
 * (server/store/wallet-ops.ts). What is particular to MongoDB is the call id: a commit that went
 * through unconfirmed is retried, and the retry must not report its own earlier writes as a
 * replay. Pure: no I/O.
 */
import type { WalletOp, WalletOutcome } from '../types.ts';
import { executeWalletCall, executeWalletOp, type LedgerPort } from '../wallet-ops.ts';
import type { MemoryLedger } from './ledger.ts';

/** Who is asking and when: the call id tells a retry of the same call from a repeat by another. */
export interface OpContext {
  at: number;
  callId: string;
}

export function executeOp(ledger: MemoryLedger, op: WalletOp, ctx: OpContext): WalletOutcome {
  return executeWalletOp(portFor(ledger, ctx.callId), op, ctx.at);
}

/** One apply call's ops and the bonus settlement after them (wallet-ops.ts executeWalletCall). */
export function executeCall(ledger: MemoryLedger, ops: WalletOp[], ctx: OpContext, onOutcome: (outcome: WalletOutcome, index: number) => void): void {
  executeWalletCall(portFor(ledger, ctx.callId), ops, ctx.at, onOutcome);
}

function portFor(ledger: MemoryLedger, callId: string): LedgerPort {
  return {
    account: (id) => ledger.account(id),
    escrow: () => ledger.escrow(),
    hold: (id) => ledger.hold(id),
    appliedKey: (key) => ledger.appliedKey(key)?.applied ?? null,
    isReplayFor: (key) => {
      const entry = ledger.appliedKey(key)!;
      // Written by an earlier attempt of this very call whose commit went through unconfirmed:
      // the money moved once, for this caller, so it is not a replay to them.
      const ownEarlierAttempt = !entry.seenInAttempt && entry.applied.callId === callId;
      ledger.markSeen(key);
      return !ownEarlierAttempt;
    },
    transfer: (seq) => ledger.transfer(seq),
    post: (t) => ledger.post(t),
    addHeld: (accountId, delta) => ledger.addHeld(accountId, delta),
    openHold: (id, accountId, amount, at, reserveSeq) => ledger.openHold(id, accountId, amount, at, reserveSeq),
    resolveHold: (hold, status, captured, at) => ledger.resolveHold(hold, status, captured, at),
    rememberKey: (key, fingerprint, transfers, holdId, at) => ledger.rememberKey(key, fingerprint, transfers, holdId, at, callId),
    bonusGrant: (id) => ledger.bonusGrant(id),
    putBonusGrant: (grant) => ledger.putBonusGrant(grant),
  };
}
