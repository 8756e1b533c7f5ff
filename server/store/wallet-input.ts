/**
 * Adapter-independent checks and fingerprints for wallet ops, so every adapter accepts,
 * rejects and recognises repeats of an op identically.
 */
import { StoreError, SYSTEM_ACCOUNTS, type RoomFence, type TransferKind, type WalletOp, type WalletOutcome } from './types.ts';

export const MAX_OPS_PER_APPLY = 1_000;
export const MAX_KEY_LENGTH = 200;
export const MAX_ID_LENGTH = 200;
export const MAX_MEMO_LENGTH = 500;

const TRANSFER_KINDS: ReadonlySet<string> = new Set<TransferKind>([
  'deposit', 'withdrawal', 'promotion', 'reserve', 'capture', 'release', 'payout', 'adjustment', 'funding',
]);

/** The longest a bonus may last (a year): a bound on every expiry a caller may set. */
export const MAX_BONUS_LIFETIME_MS = 366 * 24 * 3600 * 1000;

function invalid(message: string): never {
  throw new StoreError('store/invalid_argument', message);
}

function checkId(value: unknown, field: string, max = MAX_ID_LENGTH): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    invalid(`${field} must be a string of 1..${max} characters`);
  }
}

function checkMemo(memo: unknown): void {
  if (memo !== undefined && (typeof memo !== 'string' || memo.length > MAX_MEMO_LENGTH)) {
    invalid(`memo must be a string of at most ${MAX_MEMO_LENGTH} characters`);
  }
}

/**
 * Shape errors are programmer errors (a caller built a malformed op), so they throw instead of
 * becoming outcomes. Amounts are deliberately not checked here: a bad amount is an expected,
 * per-op outcome (`wallet/invalid_amount`).
 */
export function assertOpShape(op: WalletOp): void {
  if (typeof op !== 'object' || op === null) invalid('op must be an object');
  checkId(op.key, 'key', MAX_KEY_LENGTH);
  checkMemo(op.memo);
  switch (op.type) {
    case 'transfer':
      checkId(op.fromAccountId, 'fromAccountId');
      checkId(op.toAccountId, 'toAccountId');
      if (!TRANSFER_KINDS.has(op.kind)) invalid(`unknown transfer kind ${String(op.kind)}`);
      // Escrow must always equal the sum of open holds, so only hold ops may move it.
      if (op.fromAccountId === SYSTEM_ACCOUNTS.escrow || op.toAccountId === SYSTEM_ACCOUNTS.escrow) {
        invalid('escrow moves only through reserve, capture and release');
      }
      if (isReceivable(op.fromAccountId) || isReceivable(op.toAccountId)) invalid('receivables move only through the ledger\'s own debt rules');
      // Bonus money moves only by the bonus rules (bonus-ops.ts), so a grant's state always matches its account.
      if (isBonusAccount(op.fromAccountId) || isBonusAccount(op.toAccountId)) invalid('bonus accounts move only through bonus ops and stakes');
      if (op.stakeHoldId !== undefined) {
        checkId(op.stakeHoldId, 'stakeHoldId', MAX_KEY_LENGTH);
        if (op.kind !== 'payout') invalid('stakeHoldId is for payouts');
      }
      return;
    case 'reserve':
      checkId(op.accountId, 'accountId');
      if (op.bonus !== undefined && typeof op.bonus !== 'boolean') invalid('bonus must be a boolean');
      if (isBonusAccount(op.accountId)) invalid('stakes are reserved from the cash account (bonus: true spends the bonus)');
      return;
    case 'capture':
      checkId(op.holdId, 'holdId', MAX_KEY_LENGTH);
      checkId(op.toAccountId, 'toAccountId');
      if (isBonusAccount(op.toAccountId)) invalid('bonus accounts move only through bonus ops and stakes');
      if (op.wager !== undefined) checkWager(op.wager);
      return;
    case 'bonusGrant':
      checkId(op.accountId, 'accountId');
      checkId(op.fromAccountId, 'fromAccountId');
      if (isBonusAccount(op.accountId) || isBonusAccount(op.fromAccountId) || op.fromAccountId === SYSTEM_ACCOUNTS.escrow) invalid('a grant goes from a budget account to a player');
      for (const f of ['wageringRequiredMinor', 'maxBetMinor', 'conversionCapMinor', 'expiresAt'] as const) {
        if (!Number.isSafeInteger(op[f]) || op[f] < 0) invalid(`${f} must be a non-negative integer`);
      }
      checkContribution(op.contribution);
      return;
    case 'bonusClose':
      checkId(op.accountId, 'accountId');
      checkId(op.grantId, 'grantId', MAX_KEY_LENGTH);
      if (op.reason !== 'expired' && op.reason !== 'forfeited') invalid('reason must be expired or forfeited');
      return;
    case 'bonusAdjust':
      checkId(op.accountId, 'accountId');
      if (!Number.isSafeInteger(op.deltaMinor) || op.deltaMinor === 0) invalid('deltaMinor must be a non-zero integer');
      return;
    case 'release':
      checkId(op.holdId, 'holdId', MAX_KEY_LENGTH);
      return;
    case 'clawback':
      checkId(op.accountId, 'accountId');
      checkId(op.toAccountId, 'toAccountId');
      if (op.accountId === SYSTEM_ACCOUNTS.escrow || op.toAccountId === SYSTEM_ACCOUNTS.escrow) {
        invalid('escrow moves only through reserve, capture and release');
      }
      if (isReceivable(op.accountId) || isReceivable(op.toAccountId)) invalid('receivables move only through the ledger\'s own debt rules');
      if (isBonusAccount(op.accountId) || isBonusAccount(op.toAccountId)) invalid('bonus accounts move only through bonus ops and stakes');
      return;
    default:
      invalid(`unknown op type ${String((op as { type?: unknown }).type)}`);
  }
}

const isPct = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 100;
const isPrice = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 1000 && (v as number) <= 1_000_000;

/** A settled wager as a capture describes it (actors/promotions/contribution.ts SettledWager). */
function checkWager(w: unknown): void {
  const x = w as { game?: unknown; legPricesMilli?: unknown; cashedOut?: unknown };
  if (typeof w !== 'object' || w === null) invalid('wager must be an object');
  if (x.game === 'roulette' && Object.keys(x).length === 1) return;
  if (x.game !== 'sportsbook') invalid('wager.game is roulette or sportsbook');
  if (!Array.isArray(x.legPricesMilli) || x.legPricesMilli.length > 30 || !x.legPricesMilli.every(isPrice)) invalid('wager.legPricesMilli: up to 30 prices 1000..1000000');
  if (typeof x.cashedOut !== 'boolean') invalid('wager.cashedOut must be a boolean');
}

function checkContribution(c: unknown): void {
  const x = c as Record<string, unknown>;
  if (typeof c !== 'object' || c === null) invalid('contribution must be an object');
  for (const f of ['sportsbookSinglePct', 'sportsbookAccaPct', 'roulettePct', 'cashOutPct']) if (!isPct(x[f])) invalid(`contribution.${f} must be an integer 0..100`);
  if (!isPrice(x.minPriceMilli)) invalid('contribution.minPriceMilli must be 1000..1000000');
}

export function assertOpsShape(ops: WalletOp[]): void {
  if (!Array.isArray(ops) || ops.length === 0 || ops.length > MAX_OPS_PER_APPLY) {
    invalid(`apply takes 1..${MAX_OPS_PER_APPLY} ops`);
  }
  for (const op of ops) assertOpShape(op);
}

export function isValidAmount(amount: unknown): amount is number {
  return typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0;
}

/**
 * A canonical encoding of everything the caller asked for. Two ops with the same key are the
 * same request exactly when their fingerprints are equal; an omitted optional field and an
 * explicit value are different requests.
 */
export function opFingerprint(op: WalletOp): string {
  const memo = op.memo ?? null;
  // Fields added later are appended only when present, so earlier ops keep their fingerprints.
  const extra = (value: unknown): unknown[] => (value === undefined ? [] : [value]);
  switch (op.type) {
    case 'transfer':
      return JSON.stringify([op.type, op.key, op.fromAccountId, op.toAccountId, op.amountMinor, op.kind, memo, ...extra(op.stakeHoldId)]);
    case 'reserve':
      return JSON.stringify([op.type, op.key, op.accountId, op.amountMinor, memo, ...extra(op.bonus)]);
    case 'capture':
      return JSON.stringify([op.type, op.key, op.holdId, op.toAccountId, op.amountMinor ?? null, memo, ...extra(op.wager)]);
    case 'bonusGrant':
      return JSON.stringify([
        op.type, op.key, op.accountId, op.fromAccountId, op.amountMinor, op.wageringRequiredMinor, op.maxBetMinor, op.conversionCapMinor, op.expiresAt,
        memo, op.contribution,
      ]);
    case 'bonusClose':
      return JSON.stringify([op.type, op.key, op.accountId, op.grantId, op.reason, memo]);
    case 'bonusAdjust':
      return JSON.stringify([op.type, op.key, op.accountId, op.deltaMinor, memo]);
    case 'release':
      return JSON.stringify([op.type, op.key, op.holdId, memo]);
    case 'clawback':
      return JSON.stringify([op.type, op.key, op.accountId, op.toAccountId, op.amountMinor, memo]);
  }
}

const RECEIVABLE_PREFIX = 'receivable:';
const BONUS_PREFIX = 'bonus:';

/** The bonus account beside a player's cash account (`bonus:player:<userId>`); kind `player`, never below zero. */
export function bonusAccountId(cashAccountId: string): string {
  return `${BONUS_PREFIX}${cashAccountId}`;
}

/** A promotion campaign's budget account (`promo:campaign:<id>`): its awards, tokens and boosts are paid from it. */
export function campaignAccountId(campaignId: string): string {
  return `promo:campaign:${campaignId}`;
}

export function isBonusAccount(accountId: string): boolean {
  return accountId.startsWith(BONUS_PREFIX);
}

/**
 * The hold of a stake's bonus-funded part (`reserve` with `bonus: true`), and the key of any op's
 * bonus-side transfer. `#` appears in no id a client chooses (bet ids are [A-Za-z0-9_.:-]), so a
 * companion can never be taken for another bet's hold.
 */
export function bonusHoldId(holdId: string): string {
  return `${holdId}#bonus`;
}

/**
 * The account holding what `accountId` owes (a debt a clawback could not take). Its balance is
 * the debt, positive; world is its counterpart, so the house's own balance moves only with real
 * money. Created by the caller (kind `house`: it is the house's claim) before a clawback can
 * leave a rest.
 */
export function receivableAccountId(accountId: string): string {
  return `${RECEIVABLE_PREFIX}${accountId}`;
}

export function isReceivable(accountId: string): boolean {
  return accountId.startsWith(RECEIVABLE_PREFIX);
}

/** The key of a clawback's debt transfer (when it also took money), and of a credit's repayment. */
export function debtKey(key: string): string {
  return `${key}:debt`;
}

/** The key of the transfer that clears the receivable by a repayment (receivable → world). */
export function debtSettledKey(key: string): string {
  return `${key}:debt:settled`;
}

/** What a clawback took from the account and what it recorded as debt, from its outcome's transfers. */
export function clawbackSplit(outcome: WalletOutcome): { takenMinor: number; debtMinor: number } {
  if (!outcome.ok) return { takenMinor: 0, debtMinor: 0 };
  let takenMinor = 0;
  let debtMinor = 0;
  for (const t of outcome.transfers) {
    if (t.kind === 'debt') debtMinor += t.amountMinor;
    else takenMinor += t.amountMinor;
  }
  return { takenMinor, debtMinor };
}

/** The key of the second transfer a partial capture writes (the remainder back to the owner). */
export function captureRestKey(captureKey: string): string {
  return `${captureKey}:rest`;
}

/** Checks a wallet call's fence argument (see WalletApplyOptions.fence). */
export function assertFenceShape(fence: unknown): asserts fence is RoomFence | undefined {
  if (fence === undefined) return;
  if (typeof fence !== 'object' || fence === null) invalid('fence must be { roomId, fence }');
  const f = fence as Partial<RoomFence>;
  checkId(f.roomId, 'fence.roomId');
  if (typeof f.fence !== 'number' || !Number.isSafeInteger(f.fence) || f.fence < 0) invalid('fence.fence must be a non-negative integer');
}

/** The refusal of a call whose fence is below the highest recorded for its room. */
export function staleFence(fence: RoomFence, recorded: number): StoreError {
  return new StoreError('wallet/stale_fence', `fence ${fence.fence} < ${recorded} for room ${fence.roomId}: another process owns it now`);
}

/**
 * The outcomes of an atomic call undone as a whole at op `failedIndex`: the failing op keeps its
 * code and every other op (before or after it) is `wallet/aborted`, since none took effect.
 */
export function abortedExcept(ops: WalletOp[], failedIndex: number, failure: WalletOutcome): WalletOutcome[] {
  return ops.map((_op, i) =>
    i === failedIndex
      ? failure
      : { ok: false, code: 'wallet/aborted', message: `not applied: op ${failedIndex} (${ops[failedIndex]!.key}) of the atomic call failed` },
  );
}
