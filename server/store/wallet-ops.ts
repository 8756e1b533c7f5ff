/**
 * One wallet op decided and written against an adapter's ledger, the same for every adapter so
 * they answer every op identically (checks, their order, outcomes). Every op checks everything
 * before its first write, so a rejected op has written nothing even without a savepoint.
 * Pure logic: the adapter's LedgerPort does the reads and writes inside its transaction.
 */
import {
  SYSTEM_ACCOUNTS,
  type Account,
  type Hold,
  type HoldStatus,
  type Transfer,
  type WalletErrorCode,
  type WalletOp,
  type WalletOutcome,
} from './types.ts';
import { bonusHoldId, captureRestKey, debtKey, debtSettledKey, isValidAmount, opFingerprint, receivableAccountId } from './wallet-input.ts';
import type { BonusGrant } from './types.ts';
import {
  countWagering, creditBonusShare, executeBonusOp, freeBetStakeOf, payoutBonusShare, reserveWithBonus, resolveSplitStake, settleBonusAccounts, stakeHolds,
  touchedBonusAccount,
} from './bonus-ops.ts';

/** A transfer about to be written: the ledger assigns its id and seq. */
export type NewTransfer = Omit<Transfer, 'id' | 'seq'>;

/** The first outcome recorded for an idempotency key. */
export interface AppliedKey {
  fingerprint: string;
  transferSeqs: number[];
  holdId: string | null;
}

/** What the op logic needs from an adapter, inside its write transaction. */
export interface LedgerPort {
  account(id: string): Account | null;
  escrow(): Account;
  hold(id: string): Hold | null;
  appliedKey(key: string): AppliedKey | null;
  /** Whether answering a repeat of `key` counts as a replay for this caller (see the MongoDB adapter). */
  isReplayFor(key: string): boolean;
  transfer(seq: number): Transfer | null;
  post(t: NewTransfer): Transfer;
  addHeld(accountId: string, deltaMinor: number): void;
  openHold(id: string, accountId: string, amountMinor: number, at: number, reserveSeq: number): Hold;
  resolveHold(hold: Hold, status: Exclude<HoldStatus, 'open'>, capturedMinor: number, at: number): Hold;
  rememberKey(key: string, fingerprint: string, transfers: Transfer[], holdId: string | null, at: number): void;
  /** The grant of a bonus account (bonus-ops.ts), or null. */
  bonusGrant(bonusAccountId: string): BonusGrant | null;
  putBonusGrant(grant: BonusGrant): void;
}

type Op<T extends WalletOp['type']> = Extract<WalletOp, { type: T }>;

export const fail = (code: WalletErrorCode, message: string): WalletOutcome => ({ ok: false, code, message });
export const done = (transfers: Transfer[], hold: Hold | null): WalletOutcome => ({ ok: true, replayed: false, transfers, hold });

/** Claims a key written as a side effect (a capture's `:rest`), so no op can reuse it. */
export const claimedBy = (key: string): string => JSON.stringify(['claimed-by', key]);

/**
 * Applies one apply call's ops in order, then settles the bonus accounts they touched (bonus-ops.ts)
 * in the same transaction. `onOutcome` sees each outcome as it is decided (an atomic caller stops
 * at the first failure by throwing from it, so nothing after it runs).
 */
export function executeWalletCall(ledger: LedgerPort, ops: WalletOp[], at: number, onOutcome: (outcome: WalletOutcome, index: number) => void): void {
  const touched = new Map<string, string>();
  for (const [i, op] of ops.entries()) {
    const outcome = executeWalletOp(ledger, op, at);
    onOutcome(outcome, i);
    if (!outcome.ok || outcome.replayed) continue;
    const bonus = touchedBonusAccount(ledger, op);
    if (bonus) touched.set(bonus, op.key);
  }
  if (touched.size > 0) settleBonusAccounts(ledger, touched, at);
}

export function executeWalletOp(ledger: LedgerPort, op: WalletOp, at: number): WalletOutcome {
  const applied = ledger.appliedKey(op.key);
  if (applied) {
    if (applied.fingerprint !== opFingerprint(op)) {
      return fail('wallet/idempotency_conflict', `key ${op.key} was already used for a different op`);
    }
    return replay(ledger, applied, ledger.isReplayFor(op.key));
  }
  switch (op.type) {
    case 'transfer':
      return transfer(ledger, op, at);
    case 'reserve':
      return reserve(ledger, op, at);
    case 'capture':
      return capture(ledger, op, at);
    case 'release':
      return release(ledger, op, at);
    case 'clawback':
      return clawback(ledger, op, at);
    case 'bonusGrant':
    case 'bonusClose':
    case 'bonusAdjust':
      return executeBonusOp(ledger, op, at);
  }
}

/** An account's balance as its owner sees it: posted plus held. */
export const total = (a: Account): number => a.balanceMinor + a.heldMinor;

/** Whose balance a plain transfer is about: the player side, else the receiving side. */
function transferOwner(from: Account, to: Account): Account {
  if (to.kind === 'player') return to;
  if (from.kind === 'player') return from;
  return to;
}

function replay(ledger: LedgerPort, applied: AppliedKey, replayed: boolean): WalletOutcome {
  const transfers = applied.transferSeqs.map((seq) => ledger.transfer(seq)!);
  const hold = applied.holdId === null ? null : ledger.hold(applied.holdId);
  return { ok: true, replayed, transfers, hold };
}

/** Why money cannot move from `from` to `to`, or null when it can. */
export function moveError(from: Account, to: Account, amountMinor: number): WalletOutcome | null {
  if (from.id === to.id) return fail('wallet/same_account', `transfer from ${from.id} to itself`);
  if (from.currency !== to.currency) {
    return fail('wallet/currency_mismatch', `${from.id} is in ${from.currency}, ${to.id} in ${to.currency}`);
  }
  const isWorld = from.id === SYSTEM_ACCOUNTS.world;
  if (!isWorld && from.balanceMinor < amountMinor) {
    // No account id: this message reaches players (a refused stake).
    return fail('wallet/insufficient_funds', `available balance ${from.balanceMinor} is less than ${amountMinor}`);
  }
  // Balances are read back as JS numbers, so they must stay within the safe integer range.
  if (to.balanceMinor + amountMinor > Number.MAX_SAFE_INTEGER || from.balanceMinor - amountMinor < Number.MIN_SAFE_INTEGER) {
    return fail('wallet/invalid_amount', `moving ${amountMinor} would overflow a balance`);
  }
  return null;
}

export function unknownAccount(id: string): WalletOutcome {
  return fail('wallet/unknown_account', `unknown account ${id}`);
}

function transfer(ledger: LedgerPort, op: Op<'transfer'>, at: number, fingerprint = opFingerprint(op)): WalletOutcome {
  if (!isValidAmount(op.amountMinor)) return fail('wallet/invalid_amount', 'amountMinor must be a positive safe integer');
  if (op.fromAccountId === op.toAccountId) return fail('wallet/same_account', `transfer from ${op.fromAccountId} to itself`);
  const from = ledger.account(op.fromAccountId);
  if (!from) return unknownAccount(op.fromAccountId);
  const to = ledger.account(op.toAccountId);
  if (!to) return unknownAccount(op.toAccountId);
  const error = moveError(from, to, op.amountMinor);
  if (error) return error;
  // A free bet (its stake held from a promotions account): the stake is not returned, only the winnings.
  const freeBetStake = op.stakeHoldId === undefined ? 0 : freeBetStakeOf(ledger, op.stakeHoldId);
  if (freeBetStake > 0) {
    if (op.amountMinor <= freeBetStake) return done([], null);
    return transfer(ledger, { ...op, amountMinor: op.amountMinor - freeBetStake, stakeHoldId: undefined }, at, opFingerprint(op));
  }
  // A payout of a stake that spent bonus money: its bonus-funded share goes to the bonus account.
  const share = op.stakeHoldId === undefined ? null : payoutBonusShare(ledger, op.stakeHoldId, op.amountMinor);
  const bonusAccount = share?.bonusAccount ? ledger.account(share.bonusAccount) : null;
  if (share?.bonusAccount && !bonusAccount) return unknownAccount(share.bonusAccount);
  if (share && share.bonusMinor > 0 && share.bonusMinor < op.amountMinor && ledger.appliedKey(bonusHoldId(op.key))) {
    return fail('wallet/idempotency_conflict', `key ${bonusHoldId(op.key)} (the payout's bonus share) is already used`);
  }
  const cashMinor = op.amountMinor - (share?.bonusMinor ?? 0);
  const transfers = cashMinor > 0 ? creditTransfer(ledger, { ...op, amountMinor: cashMinor }, from, to, at) : [];
  if (!Array.isArray(transfers)) return transfers;
  if (share && share.bonusMinor > 0) transfers.push(creditBonusShare(ledger, op, bonusAccount!, share.bonusMinor, transfers.length === 0, at));
  ledger.rememberKey(op.key, fingerprint, transfers, null, at);
  return done(transfers, null);
}

/** Posts a plain transfer (and the repayment of the receiver's debt), without recording the op's key. */
function creditTransfer(ledger: LedgerPort, op: Op<'transfer'>, from: Account, to: Account, at: number): Transfer[] | WalletOutcome {
  const owner = transferOwner(from, to);
  const ownerAfter = total(owner) + (owner.id === to.id ? op.amountMinor : -op.amountMinor);
  const repay = to.kind === 'player' ? repayment(ledger, op.key, to, op.amountMinor) : null;
  if (repay && 'ok' in repay) return repay;

  const transfers = [
    ledger.post({
      key: op.key, fromAccountId: from.id, toAccountId: to.id, amountMinor: op.amountMinor,
      kind: op.kind, holdId: null, memo: op.memo ?? null, createdAt: at,
      ownerAccountId: owner.id, ownerBalanceAfterMinor: ownerAfter,
    }),
  ];
  if (repay) {
    // Credits pay a debt down first: the player's part goes to the house, the receivable back to world.
    const left = ownerAfter - repay.amountMinor;
    transfers.push(
      ledger.post({
        key: debtKey(op.key), fromAccountId: to.id, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: repay.amountMinor,
        kind: 'repayment', holdId: null, memo: op.memo ?? null, createdAt: at, ownerAccountId: to.id, ownerBalanceAfterMinor: left,
      }),
      ledger.post({
        key: debtSettledKey(op.key), fromAccountId: repay.receivable.id, toAccountId: SYSTEM_ACCOUNTS.world, amountMinor: repay.amountMinor,
        kind: 'repayment', holdId: null, memo: op.memo ?? null, createdAt: at, ownerAccountId: to.id, ownerBalanceAfterMinor: left,
      }),
    );
    for (const t of transfers.slice(1)) ledger.rememberKey(t.key, claimedBy(op.key), [t], null, at);
  }
  return transfers;
}

/**
 * How much of a credit of `amountMinor` to `player` pays down their debt (null: no debt), or
 * why it cannot (its keys are taken).
 */
function repayment(ledger: LedgerPort, key: string, player: Account, amountMinor: number): { receivable: Account; amountMinor: number } | WalletOutcome | null {
  const receivable = ledger.account(receivableAccountId(player.id));
  if (!receivable || receivable.balanceMinor <= 0) return null;
  for (const k of [debtKey(key), debtSettledKey(key)]) {
    if (ledger.appliedKey(k)) return fail('wallet/idempotency_conflict', `key ${k} (the credit's debt repayment) is already used`);
  }
  if (!ledger.account(SYSTEM_ACCOUNTS.house) || !ledger.account(SYSTEM_ACCOUNTS.world)) return unknownAccount(SYSTEM_ACCOUNTS.house);
  return { receivable, amountMinor: Math.min(amountMinor, receivable.balanceMinor) };
}

/**
 * A balancing debit: takes what the account has, up to the amount, and records the rest as its
 * debt, all in this transaction, so no concurrent spend can make it fail.
 */
function clawback(ledger: LedgerPort, op: Op<'clawback'>, at: number): WalletOutcome {
  if (!isValidAmount(op.amountMinor)) return fail('wallet/invalid_amount', 'amountMinor must be a positive safe integer');
  if (op.accountId === op.toAccountId) return fail('wallet/same_account', `clawback from ${op.accountId} to itself`);
  const from = ledger.account(op.accountId);
  if (!from) return unknownAccount(op.accountId);
  const to = ledger.account(op.toAccountId);
  if (!to) return unknownAccount(op.toAccountId);
  const takenMinor = Math.min(op.amountMinor, Math.max(0, from.balanceMinor));
  const debtMinor = op.amountMinor - takenMinor;
  if (takenMinor > 0) {
    const error = moveError(from, to, takenMinor);
    if (error) return error;
  }
  const receivable = ledger.account(receivableAccountId(from.id));
  const world = ledger.account(SYSTEM_ACCOUNTS.world);
  if (debtMinor > 0) {
    if (!receivable) return unknownAccount(receivableAccountId(from.id));
    if (!world) return unknownAccount(SYSTEM_ACCOUNTS.world);
    if (receivable.balanceMinor + debtMinor > Number.MAX_SAFE_INTEGER) return fail('wallet/invalid_amount', `a debt of ${debtMinor} would overflow a balance`);
    if (takenMinor > 0 && ledger.appliedKey(debtKey(op.key))) {
      return fail('wallet/idempotency_conflict', `key ${debtKey(op.key)} (the clawback's debt) is already used`);
    }
  }

  const ownerAfter = total(from) - takenMinor;
  const transfers: Transfer[] = [];
  if (takenMinor > 0) {
    transfers.push(ledger.post({
      key: op.key, fromAccountId: from.id, toAccountId: to.id, amountMinor: takenMinor,
      kind: 'adjustment', holdId: null, memo: op.memo ?? null, createdAt: at, ownerAccountId: from.id, ownerBalanceAfterMinor: ownerAfter,
    }));
  }
  if (debtMinor > 0) {
    const key = takenMinor > 0 ? debtKey(op.key) : op.key;
    const debt = ledger.post({
      key, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: receivable!.id, amountMinor: debtMinor,
      kind: 'debt', holdId: null, memo: op.memo ?? null, createdAt: at, ownerAccountId: from.id, ownerBalanceAfterMinor: ownerAfter,
    });
    transfers.push(debt);
    if (key !== op.key) ledger.rememberKey(key, claimedBy(op.key), [debt], null, at);
  }
  ledger.rememberKey(op.key, opFingerprint(op), transfers, null, at);
  return done(transfers, null);
}

function reserve(ledger: LedgerPort, op: Op<'reserve'>, at: number): WalletOutcome {
  if (!isValidAmount(op.amountMinor)) return fail('wallet/invalid_amount', 'amountMinor must be a positive safe integer');
  if (op.accountId === SYSTEM_ACCOUNTS.escrow) return fail('wallet/same_account', 'cannot reserve from escrow');
  const owner = ledger.account(op.accountId);
  if (!owner) return unknownAccount(op.accountId);
  // Extension point: the checks and funding of a stake. Bonus money (cash first, then bonus) is
  // decided here; other stake rules (e.g. player-protection limits) belong beside it.
  if (op.bonus) {
    const split = reserveWithBonus(ledger, op, owner, at);
    if (split) return split;
  }
  const error = moveError(owner, ledger.escrow(), op.amountMinor);
  if (error) return error;

  const written = ledger.post({
    key: op.key, fromAccountId: owner.id, toAccountId: SYSTEM_ACCOUNTS.escrow, amountMinor: op.amountMinor,
    kind: 'reserve', holdId: op.key, memo: op.memo ?? null, createdAt: at,
    ownerAccountId: owner.id, ownerBalanceAfterMinor: total(owner),
  });
  const hold = ledger.openHold(op.key, owner.id, op.amountMinor, at, written.seq);
  ledger.addHeld(owner.id, op.amountMinor);
  ledger.rememberKey(op.key, opFingerprint(op), [written], hold.id, at);
  return done([written], hold);
}

function openHold(ledger: LedgerPort, holdId: string): Hold | WalletOutcome {
  const hold = ledger.hold(holdId);
  if (!hold) return fail('wallet/hold_not_found', `no hold ${holdId}`);
  if (hold.status !== 'open') return fail('wallet/hold_resolved', `hold ${holdId} is already ${hold.status}`);
  return hold;
}

const isOutcome = (value: Hold | WalletOutcome): value is WalletOutcome => 'ok' in value;

function capture(ledger: LedgerPort, op: Op<'capture'>, at: number): WalletOutcome {
  if (op.amountMinor !== undefined && !isValidAmount(op.amountMinor)) {
    return fail('wallet/invalid_amount', 'amountMinor must be a positive safe integer');
  }
  const split = stakeHolds(ledger, op.holdId);
  if (split.bonus) return resolveSplitStake(ledger, op, { cash: split.cash, bonus: split.bonus }, at);
  const hold = openHold(ledger, op.holdId);
  if (isOutcome(hold)) return hold;
  const capturedMinor = op.amountMinor ?? hold.amountMinor;
  if (capturedMinor > hold.amountMinor) {
    return fail('wallet/invalid_amount', `capture of ${capturedMinor} exceeds hold of ${hold.amountMinor}`);
  }
  if (op.toAccountId === SYSTEM_ACCOUNTS.escrow) return fail('wallet/same_account', 'cannot capture into escrow');
  const to = ledger.account(op.toAccountId);
  if (!to) return unknownAccount(op.toAccountId);
  const error = moveError(ledger.escrow(), to, capturedMinor);
  if (error) return error;
  const restMinor = hold.amountMinor - capturedMinor;
  const restKey = captureRestKey(op.key);
  if (restMinor > 0 && ledger.appliedKey(restKey)) {
    return fail('wallet/idempotency_conflict', `key ${restKey} (the capture's remainder) is already used`);
  }

  const owner = ledger.account(hold.accountId);
  if (!owner) return unknownAccount(hold.accountId);
  // The owner's held money becomes the house's (captured) or theirs again (the rest).
  const ownerAfter = total(owner) - capturedMinor;
  const transfers = [
    ledger.post({
      key: op.key, fromAccountId: SYSTEM_ACCOUNTS.escrow, toAccountId: to.id, amountMinor: capturedMinor,
      kind: 'capture', holdId: hold.id, memo: op.memo ?? null, createdAt: at,
      ownerAccountId: owner.id, ownerBalanceAfterMinor: ownerAfter,
    }),
  ];
  if (restMinor > 0) {
    const rest = ledger.post({
      key: restKey, fromAccountId: SYSTEM_ACCOUNTS.escrow, toAccountId: hold.accountId, amountMinor: restMinor,
      kind: 'release', holdId: hold.id, memo: op.memo ?? null, createdAt: at,
      ownerAccountId: owner.id, ownerBalanceAfterMinor: ownerAfter,
    });
    transfers.push(rest);
    ledger.rememberKey(restKey, claimedBy(op.key), [rest], hold.id, at);
  }
  ledger.addHeld(hold.accountId, -hold.amountMinor);
  const resolved = ledger.resolveHold(hold, 'captured', capturedMinor, at);
  countWagering(ledger, hold.accountId, capturedMinor, op.wager, at);
  ledger.rememberKey(op.key, opFingerprint(op), transfers, hold.id, at);
  return done(transfers, resolved);
}

function release(ledger: LedgerPort, op: Op<'release'>, at: number): WalletOutcome {
  const split = stakeHolds(ledger, op.holdId);
  if (split.bonus) return resolveSplitStake(ledger, op, { cash: split.cash, bonus: split.bonus }, at);
  const hold = openHold(ledger, op.holdId);
  if (isOutcome(hold)) return hold;
  const owner = ledger.account(hold.accountId);
  if (!owner) return unknownAccount(hold.accountId);

  const written = ledger.post({
    key: op.key, fromAccountId: SYSTEM_ACCOUNTS.escrow, toAccountId: hold.accountId, amountMinor: hold.amountMinor,
    kind: 'release', holdId: hold.id, memo: op.memo ?? null, createdAt: at,
    ownerAccountId: owner.id, ownerBalanceAfterMinor: total(owner),
  });
  ledger.addHeld(hold.accountId, -hold.amountMinor);
  const resolved = ledger.resolveHold(hold, 'released', 0, at);
  ledger.rememberKey(op.key, opFingerprint(op), [written], hold.id, at);
  return done([written], resolved);
}
