/**
 * Bonus money inside the ledger (docs/PROMOTIONS.md §2). A player's bonus balance is its own
 * account (`bonus:<cash account>`, never below zero) beside the cash account, and its terms and
 * progress (`BonusGrant`) change only here, inside the same write transaction as the stake,
 * settlement or grant that drives them, so no two processes can spend or convert one bonus twice.
 *
 * - Spending order: a stake reserved with `bonus: true` takes cash first, then bonus money (a
 *   second hold `<hold>#bonus` on the bonus account), within the bonus's max bet.
 * - Settlement: capturing a stake captures both parts; the `wager`'s contribution of the whole stake counts
 *   towards the active bonus's wagering, weighted by the grant's contribution rules. A payout with `stakeHoldId` pays the bonus-funded share
 *   (floor(payout × bonus part / stake)) to the bonus account, the rest to cash.
 * - At the end of every apply call (`settleBonusAccounts`): an active bonus whose wagering is met
 *   and which has no stake open converts to cash up to its cap, the rest is forfeited; money that
 *   reaches a bonus that is no longer active (expired, forfeited, converted) is forfeited.
 * Pure logic over the adapter's LedgerPort, like wallet-ops.ts.
 */
import { SYSTEM_ACCOUNTS, type Account, type BonusGrant, type BonusOp, type Hold, type Transfer, type WalletOp, type WalletOutcome } from './types.ts';
import { bonusAccountId, bonusHoldId, isBonusAccount, isValidAmount, MAX_BONUS_LIFETIME_MS, opFingerprint } from './wallet-input.ts';
import { contributionPct, type SettledWager } from '../../actors/promotions/contribution.ts';
import { claimedBy, done, fail, moveError, total, unknownAccount, type LedgerPort } from './wallet-ops.ts';

type Op<T extends WalletOp['type']> = Extract<WalletOp, { type: T }>;

/** The cash account a bonus account belongs to. */
export function cashAccountOf(bonusAccount: string): string {
  return bonusAccount.slice('bonus:'.length);
}

/** Whether the grant's money may be spent and its wagering counted at `at`. */
export function isLive(grant: BonusGrant | null, at: number): grant is BonusGrant {
  return grant !== null && grant.status === 'active' && at < grant.expiresAt;
}

function save(ledger: LedgerPort, grant: BonusGrant, change: Partial<BonusGrant>, at: number): BonusGrant {
  const next = { ...grant, ...change, updatedAt: at };
  ledger.putBonusGrant(next);
  return next;
}

/** A ledger-internal transfer under a key derived from an op's key, claimed so no op can reuse it. */
function postSide(ledger: LedgerPort, byKey: string, t: Parameters<LedgerPort['post']>[0], at: number): Transfer {
  const written = ledger.post(t);
  ledger.rememberKey(t.key, claimedBy(byKey), [written], t.holdId, at);
  return written;
}

// ------------------------------------------------------------------ stakes

/**
 * A stake that may spend bonus money: null when cash covers it (the plain reserve applies), else
 * the outcome of reserving its cash part (if any) and its bonus part.
 */
export function reserveWithBonus(ledger: LedgerPort, op: Op<'reserve'>, owner: Account, at: number): WalletOutcome | null {
  const cashMinor = Math.min(op.amountMinor, Math.max(0, owner.balanceMinor));
  const bonusMinor = op.amountMinor - cashMinor;
  if (bonusMinor === 0) return null;
  const bonus = ledger.account(bonusAccountId(owner.id));
  const grant = bonus ? ledger.bonusGrant(bonus.id) : null;
  const usable = bonus && isLive(grant, at) ? bonus.balanceMinor : 0;
  if (!bonus || bonusMinor > usable) {
    return fail('wallet/insufficient_funds', `available balance ${owner.balanceMinor} plus bonus ${usable} is less than ${op.amountMinor}`);
  }
  if (grant!.maxBetMinor > 0 && op.amountMinor > grant!.maxBetMinor) {
    return fail('wallet/bonus_max_bet', `a stake using bonus money is at most ${grant!.maxBetMinor}`);
  }
  const bonusKey = bonusHoldId(op.key);
  if (ledger.appliedKey(bonusKey) || ledger.hold(bonusKey)) return fail('wallet/idempotency_conflict', `key ${bonusKey} (the stake's bonus part) is already used`);

  const transfers: Transfer[] = [];
  let cashHold: Hold | null = null;
  if (cashMinor > 0) {
    const t = ledger.post({
      key: op.key, fromAccountId: owner.id, toAccountId: SYSTEM_ACCOUNTS.escrow, amountMinor: cashMinor, kind: 'reserve',
      holdId: op.key, memo: op.memo ?? null, createdAt: at, ownerAccountId: owner.id, ownerBalanceAfterMinor: total(owner),
    });
    cashHold = ledger.openHold(op.key, owner.id, cashMinor, at, t.seq);
    ledger.addHeld(owner.id, cashMinor);
    transfers.push(t);
  }
  const t = ledger.post({
    key: cashMinor > 0 ? bonusKey : op.key, fromAccountId: bonus.id, toAccountId: SYSTEM_ACCOUNTS.escrow, amountMinor: bonusMinor,
    kind: 'reserve', holdId: bonusKey, memo: op.memo ?? null, createdAt: at, ownerAccountId: bonus.id, ownerBalanceAfterMinor: total(bonus),
  });
  const bonusHold = ledger.openHold(bonusKey, bonus.id, bonusMinor, at, t.seq);
  ledger.addHeld(bonus.id, bonusMinor);
  transfers.push(t);
  if (cashMinor > 0) ledger.rememberKey(bonusKey, claimedBy(op.key), [t], bonusKey, at);
  ledger.rememberKey(op.key, opFingerprint(op), transfers, cashHold ? cashHold.id : bonusKey, at);
  return done(transfers, cashHold ?? bonusHold);
}

/** A stake's holds: its cash part (`holdId`) and bonus part (`<holdId>#bonus`), either possibly absent. */
export function stakeHolds(ledger: LedgerPort, holdId: string): { cash: Hold | null; bonus: Hold | null } {
  return { cash: ledger.hold(holdId), bonus: ledger.hold(bonusHoldId(holdId)) };
}

/** The player (cash account) a stake hold belongs to. */
export function stakeOwner(hold: Hold): string {
  return isBonusAccount(hold.accountId) ? cashAccountOf(hold.accountId) : hold.accountId;
}

/**
 * Resolves a stake that has a bonus part: both parts go to `toAccountId` (capture) or back to
 * their accounts (release). A capture takes the whole stake (no partial capture of a split stake).
 */
export function resolveSplitStake(
  ledger: LedgerPort, op: Op<'capture'> | Op<'release'>, holds: { cash: Hold | null; bonus: Hold }, at: number,
): WalletOutcome {
  const parts = [holds.cash, holds.bonus].filter((h): h is Hold => h !== null);
  const resolved = parts.find((h) => h.status !== 'open');
  if (resolved) return fail('wallet/hold_resolved', `hold ${op.holdId} is already ${resolved.status}`);
  const stakeMinor = parts.reduce((sum, h) => sum + h.amountMinor, 0);
  const capture = op.type === 'capture';
  if (capture && op.amountMinor !== undefined && op.amountMinor !== stakeMinor) {
    return fail('wallet/invalid_amount', `a stake with a bonus part is captured whole (${stakeMinor})`);
  }
  if (capture) {
    if (op.toAccountId === SYSTEM_ACCOUNTS.escrow) return fail('wallet/same_account', 'cannot capture into escrow');
    const to = ledger.account(op.toAccountId);
    if (!to) return unknownAccount(op.toAccountId);
    const error = moveError(ledger.escrow(), to, stakeMinor);
    if (error) return error;
  }
  const sideKey = bonusHoldId(op.key);
  if (parts.length > 1 && ledger.appliedKey(sideKey)) return fail('wallet/idempotency_conflict', `key ${sideKey} (the stake's bonus part) is already used`);
  const owners = parts.map((h) => ledger.account(h.accountId));
  if (owners.some((a) => !a)) return unknownAccount(parts[owners.findIndex((a) => !a)]!.accountId);

  const transfers: Transfer[] = [];
  const resolvedHolds: Hold[] = [];
  for (const [i, hold] of parts.entries()) {
    const owner = owners[i]!;
    const key = i === 0 ? op.key : sideKey;
    const t = ledger.post({
      key, fromAccountId: SYSTEM_ACCOUNTS.escrow, toAccountId: capture ? op.toAccountId : hold.accountId, amountMinor: hold.amountMinor,
      kind: capture ? 'capture' : 'release', holdId: hold.id, memo: op.memo ?? null, createdAt: at,
      ownerAccountId: owner.id, ownerBalanceAfterMinor: total(owner) - (capture ? hold.amountMinor : 0),
    });
    ledger.addHeld(hold.accountId, -hold.amountMinor);
    resolvedHolds.push(ledger.resolveHold(hold, capture ? 'captured' : 'released', capture ? hold.amountMinor : 0, at));
    if (i > 0) ledger.rememberKey(key, claimedBy(op.key), [t], hold.id, at);
    transfers.push(t);
  }
  if (capture) countWagering(ledger, stakeOwner(parts[0]!), stakeMinor, op.wager, at);
  ledger.rememberKey(op.key, opFingerprint(op), transfers, resolvedHolds[0]!.id, at);
  return done(transfers, resolvedHolds[0]!);
}

/** Adds a settled stake's weighted amount to the owner's active bonus wagering (qualifying stakes only). */
export function countWagering(ledger: LedgerPort, cashAccount: string, stakeMinor: number, wager: SettledWager | undefined, at: number): void {
  if (!wager) return;
  const bonus = ledger.account(bonusAccountId(cashAccount));
  const grant = bonus ? ledger.bonusGrant(bonus.id) : null;
  if (!isLive(grant, at)) return;
  const contribution = Math.floor((stakeMinor * contributionPct(grant.contribution, wager)) / 100);
  if (contribution > 0) save(ledger, grant, { wageredMinor: grant.wageredMinor + contribution }, at);
}

/**
 * The stake of a free bet settled under `stakeHoldId` (0 when it is not one): a stake held from a
 * promotions account (a campaign's free-bet token) is the operator's, so its payout returns only
 * the winnings (docs/PROMOTIONS.md §3).
 */
export function freeBetStakeOf(ledger: LedgerPort, stakeHoldId: string): number {
  const hold = ledger.hold(stakeHoldId);
  if (!hold) return 0;
  return ledger.account(hold.accountId)?.kind === 'promotions' ? hold.amountMinor : 0;
}

/** The bonus-funded share of a payout of the stake under `stakeHoldId` (0 when it had no bonus part). */
export function payoutBonusShare(ledger: LedgerPort, stakeHoldId: string, payoutMinor: number): { bonusMinor: number; bonusAccount: string | null } {
  const { cash, bonus } = stakeHolds(ledger, stakeHoldId);
  if (!bonus) return { bonusMinor: 0, bonusAccount: null };
  const stakeMinor = bonus.amountMinor + (cash?.amountMinor ?? 0);
  // BigInt: payout × stake can pass 2^53.
  const bonusMinor = Number((BigInt(payoutMinor) * BigInt(bonus.amountMinor)) / BigInt(stakeMinor));
  return { bonusMinor, bonusAccount: bonus.accountId };
}

/** Pays a payout's bonus share into the bonus account (house → bonus), under the op's key when no cash part was paid. */
export function creditBonusShare(ledger: LedgerPort, op: Op<'transfer'>, bonusAccount: Account, bonusMinor: number, first: boolean, at: number): Transfer {
  const key = first ? op.key : bonusHoldId(op.key);
  const t = ledger.post({
    key, fromAccountId: op.fromAccountId, toAccountId: bonusAccount.id, amountMinor: bonusMinor, kind: op.kind, holdId: null,
    memo: op.memo ?? null, createdAt: at, ownerAccountId: bonusAccount.id, ownerBalanceAfterMinor: total(bonusAccount) + bonusMinor,
  });
  if (!first) ledger.rememberKey(key, claimedBy(op.key), [t], null, at);
  return t;
}

// ------------------------------------------------------------------ grant, close, adjust

export function executeBonusOp(ledger: LedgerPort, op: BonusOp, at: number): WalletOutcome {
  const owner = ledger.account(op.accountId);
  if (!owner) return unknownAccount(op.accountId);
  const bonus = ledger.account(bonusAccountId(op.accountId));
  // No bonus account: the player never had a bonus (a grant needs the caller to create it first).
  if (!bonus) return op.type === 'bonusGrant' ? unknownAccount(bonusAccountId(op.accountId)) : fail('wallet/bonus_inactive', 'the player has no bonus');
  const grant = ledger.bonusGrant(bonus.id);
  switch (op.type) {
    case 'bonusGrant':
      return grantBonus(ledger, op, owner, bonus, grant, at);
    case 'bonusClose':
      return closeBonus(ledger, op, bonus, grant, at);
    case 'bonusAdjust':
      return adjustBonus(ledger, op, bonus, grant, at);
  }
}

function grantBonus(ledger: LedgerPort, op: Op<'bonusGrant'>, owner: Account, bonus: Account, current: BonusGrant | null, at: number): WalletOutcome {
  if (!isValidAmount(op.amountMinor)) return fail('wallet/invalid_amount', 'amountMinor must be a positive safe integer');
  if (op.expiresAt <= at || op.expiresAt - at > MAX_BONUS_LIFETIME_MS) return fail('wallet/invalid_amount', 'expiresAt must be in the future, within a year');
  // A depleted bonus (nothing left, nothing staked) may be replaced; any other must end first.
  if (bonus.heldMinor > 0 || (current?.status === 'active' && bonus.balanceMinor > 0)) {
    return fail('wallet/bonus_active', 'the player has an active bonus or bonus stakes open');
  }
  const from = ledger.account(op.fromAccountId);
  if (!from) return unknownAccount(op.fromAccountId);
  const error = moveError(from, bonus, op.amountMinor);
  if (error) return error;
  const t = ledger.post({
    key: op.key, fromAccountId: from.id, toAccountId: bonus.id, amountMinor: op.amountMinor, kind: 'bonus', holdId: null,
    memo: op.memo ?? null, createdAt: at, ownerAccountId: bonus.id, ownerBalanceAfterMinor: total(bonus) + op.amountMinor,
  });
  ledger.putBonusGrant({
    accountId: bonus.id, ownerAccountId: owner.id, grantId: op.key, fundingAccountId: from.id, status: 'active',
    grantedMinor: op.amountMinor, wageringRequiredMinor: op.wageringRequiredMinor, wageredMinor: 0, maxBetMinor: op.maxBetMinor,
    conversionCapMinor: op.conversionCapMinor, convertedMinor: 0, forfeitedMinor: 0, expiresAt: op.expiresAt, createdAt: at, updatedAt: at,
    contribution: op.contribution,
  });
  ledger.rememberKey(op.key, opFingerprint(op), [t], null, at);
  return done([t], null);
}

/**
 * Ends a grant early (withdrawal, hedging, an operator) or at its expiry. Idempotent by state: a
 * grant that is no longer active (or another grant) is left alone and the answer is ok with no
 * transfers. Stakes still open keep running; what they return is forfeited when it arrives.
 */
function closeBonus(ledger: LedgerPort, op: Op<'bonusClose'>, bonus: Account, grant: BonusGrant | null, at: number): WalletOutcome {
  if (!grant || grant.grantId !== op.grantId || grant.status !== 'active') return done([], null);
  if (op.reason === 'expired' && at < grant.expiresAt) return fail('wallet/bonus_not_expired', `the bonus expires at ${grant.expiresAt}`);
  const transfers: Transfer[] = [];
  const forfeited = forfeitBalance(ledger, bonus, grant, op.key, at, opFingerprint(op));
  if (forfeited) transfers.push(forfeited);
  save(ledger, grant, { status: op.reason, forfeitedMinor: grant.forfeitedMinor + (forfeited?.amountMinor ?? 0) }, at);
  return done(transfers, null);
}

function adjustBonus(ledger: LedgerPort, op: Op<'bonusAdjust'>, bonus: Account, grant: BonusGrant | null, at: number): WalletOutcome {
  if (!isLive(grant, at)) return fail('wallet/bonus_inactive', 'the player has no active bonus to adjust');
  const funding = ledger.account(grant.fundingAccountId);
  if (!funding) return unknownAccount(grant.fundingAccountId);
  const credit = op.deltaMinor > 0;
  const amountMinor = Math.abs(op.deltaMinor);
  const [from, to] = credit ? [funding, bonus] : [bonus, funding];
  const error = moveError(from, to, amountMinor);
  if (error) return error;
  const t = ledger.post({
    key: op.key, fromAccountId: from.id, toAccountId: to.id, amountMinor, kind: 'bonus', holdId: null, memo: op.memo ?? null,
    createdAt: at, ownerAccountId: bonus.id, ownerBalanceAfterMinor: total(bonus) + op.deltaMinor,
  });
  save(ledger, grant, { grantedMinor: grant.grantedMinor + op.deltaMinor }, at);
  ledger.rememberKey(op.key, opFingerprint(op), [t], null, at);
  return done([t], null);
}

/** Moves the bonus account's whole available balance back to the grant's funding account (null when empty). */
function forfeitBalance(ledger: LedgerPort, bonus: Account, grant: BonusGrant, key: string, at: number, fingerprint: string | null): Transfer | null {
  if (bonus.balanceMinor <= 0) return null;
  const t = ledger.post({
    key, fromAccountId: bonus.id, toAccountId: grant.fundingAccountId, amountMinor: bonus.balanceMinor, kind: 'forfeit', holdId: null,
    memo: `bonus ${grant.grantId} ${grant.status === 'active' ? 'ended' : grant.status}`, createdAt: at,
    ownerAccountId: bonus.id, ownerBalanceAfterMinor: total(bonus) - bonus.balanceMinor,
  });
  ledger.rememberKey(key, fingerprint ?? claimedBy(key), [t], null, at);
  return t;
}

// ------------------------------------------------------------------ end of every apply call

/** The bonus account an applied op may have changed the state of, with the key that changed it. */
export function touchedBonusAccount(ledger: LedgerPort, op: WalletOp): string | null {
  switch (op.type) {
    case 'capture':
    case 'release': {
      const { cash, bonus } = stakeHolds(ledger, op.holdId);
      const hold = cash ?? bonus;
      return hold ? bonusAccountId(stakeOwner(hold)) : null;
    }
    case 'transfer':
      return op.stakeHoldId === undefined ? null : bonusAccountId(op.toAccountId);
    case 'bonusGrant':
    case 'bonusAdjust':
      return bonusAccountId(op.accountId);
    default:
      return null;
  }
}

/**
 * Runs after the ops of one apply call, in its transaction, for each bonus account they touched:
 * lazily expires a grant past its expiry; forfeits money that reached a grant no longer active;
 * converts an active grant whose wagering is met and which has no stake open: up to the cap
 * (less what it already converted) to cash, the rest forfeited. Keys derive from the grant id
 * (conversion happens once per grant) or from the op that brought late money (forfeits).
 */
export function settleBonusAccounts(ledger: LedgerPort, touched: Map<string, string>, at: number): void {
  for (const [bonusId, byKey] of touched) {
    const bonus = ledger.account(bonusId);
    let grant = bonus ? ledger.bonusGrant(bonusId) : null;
    if (!bonus || !grant) continue;
    if (grant.status === 'active' && at >= grant.expiresAt) grant = save(ledger, grant, { status: 'expired' }, at);
    if (grant.status !== 'active') {
      const late = forfeitBalance(ledger, bonus, grant, `${byKey}#bonus:forfeit`, at, null);
      if (late) save(ledger, grant, { forfeitedMinor: grant.forfeitedMinor + late.amountMinor }, at);
      continue;
    }
    if (grant.wageredMinor < grant.wageringRequiredMinor || bonus.heldMinor > 0) continue;
    convert(ledger, bonus, grant, at);
  }
}

function convert(ledger: LedgerPort, bonus: Account, grant: BonusGrant, at: number): void {
  const balance = bonus.balanceMinor;
  const convertMinor = Math.min(balance, Math.max(0, grant.conversionCapMinor - grant.convertedMinor));
  const restMinor = balance - convertMinor;
  if (convertMinor > 0) {
    postSide(ledger, grant.grantId, {
      key: `${grant.grantId}:convert`, fromAccountId: bonus.id, toAccountId: grant.ownerAccountId, amountMinor: convertMinor, kind: 'conversion',
      holdId: null, memo: `bonus ${grant.grantId} wagering met`, createdAt: at, ownerAccountId: grant.ownerAccountId,
      ownerBalanceAfterMinor: total(ledger.account(grant.ownerAccountId)!) + convertMinor,
    }, at);
  }
  if (restMinor > 0) {
    postSide(ledger, grant.grantId, {
      key: `${grant.grantId}:convert:forfeit`, fromAccountId: bonus.id, toAccountId: grant.fundingAccountId, amountMinor: restMinor, kind: 'forfeit',
      holdId: null, memo: `bonus ${grant.grantId} above the conversion cap`, createdAt: at, ownerAccountId: bonus.id, ownerBalanceAfterMinor: 0,
    }, at);
  }
  save(ledger, grant, { status: 'converted', convertedMinor: grant.convertedMinor + convertMinor, forfeitedMinor: grant.forfeitedMinor + restMinor }, at);
}
