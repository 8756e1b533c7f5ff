/**
 * The wallet side of slips. One hold per slip for its whole stake (`slip:<slipId>:stake`, the
 * reserve's key); every later step is keyed from the slip id and the journaled decision, so a
 * repeat (retry, recovery, another process driving the same slip) is a replay, never a second move:
 *
 * | journaled | wallet |
 * |---|---|
 * | (before SlipStakeReserved) | reserve `slip:<id>:stake` |
 * | SlipRejected | release `slip:<id>:stake:release` |
 * | SlipSettled n = 1 | capture the stake to the house `slip:<id>:stake:capture` + pay `payoutMinor` `slip:<id>:settle:1` (one atomic group) |
 * | SlipSettled n > 1 | the correction `deltaMinor`: house → player, or a clawback (rest as the player's debt), key `slip:<id>:settle:<n>` |
 * | SlipCashedOut | capture the stake + pay the offer `slip:<id>:cashout` (one atomic group) |
 */
import type { SlipEvent } from '../../actors/multiples/index.ts';
import { SYSTEM_ACCOUNTS, type WalletOp } from '../store/types.ts';
import { receivableAccountId } from '../store/wallet-input.ts';
import { playerAccountId, type WalletService } from '../wallet/service.ts';

export const SLIP_HOLD_PREFIX = 'slip:';
export const slipStream = (slipId: string): string => `slip:${slipId}`;
export const stakeHoldId = (slipId: string): string => `slip:${slipId}:stake`;
/** The slip id of a stake hold id, or null. */
export const slipOfHold = (holdId: string): string | null => (/^slip:(.+):stake$/.exec(holdId)?.[1] ?? null);

export function reserveStakeOp(slipId: string, playerId: string, amountMinor: number): WalletOp {
  return { type: 'reserve', key: stakeHoldId(slipId), accountId: playerAccountId(playerId), amountMinor, memo: `slip ${slipId}` };
}

export function releaseStakeOp(slipId: string): WalletOp {
  return { type: 'release', key: `${stakeHoldId(slipId)}:release`, holdId: stakeHoldId(slipId) };
}

function captureOps(slipId: string, playerId: string, payoutMinor: number, payoutKey: string, memo: string): WalletOp[] {
  const hold = stakeHoldId(slipId);
  const ops: WalletOp[] = [{ type: 'capture', key: `${hold}:capture`, holdId: hold, toAccountId: SYSTEM_ACCOUNTS.house, memo }];
  if (payoutMinor > 0) ops.push({ type: 'transfer', key: payoutKey, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: playerAccountId(playerId), amountMinor: payoutMinor, kind: 'payout', memo });
  return ops;
}

/** The groups of ops (each atomic) the slip's journaled events imply, in journal order. */
export function slipMoneyGroups(slipId: string, playerId: string, events: readonly SlipEvent[]): WalletOp[][] {
  const groups: WalletOp[][] = [];
  for (const e of events) {
    if (e.type === 'SlipRejected') groups.push([releaseStakeOp(slipId)]);
    else if (e.type === 'SlipCashedOut') groups.push(captureOps(slipId, playerId, e.offerMinor, `slip:${slipId}:cashout`, `cash-out of slip ${slipId}`));
    else if (e.type === 'SlipSettled') {
      const key = `slip:${slipId}:settle:${e.n}`;
      if (e.n === 1) groups.push(captureOps(slipId, playerId, e.payoutMinor, key, `slip ${slipId}`));
      else if (e.deltaMinor > 0) groups.push([{ type: 'transfer', key, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: playerAccountId(playerId), amountMinor: e.deltaMinor, kind: 'adjustment', memo: `re-settlement of slip ${slipId}` }]);
      else if (e.deltaMinor < 0) groups.push([{ type: 'clawback', key, accountId: playerAccountId(playerId), toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: -e.deltaMinor, memo: `re-settlement of slip ${slipId}` }]);
    }
  }
  return groups;
}

/**
 * Moves (or replays) the money of every journaled decision of the slip. A release of a hold that
 * was never made (the reserve failed or never happened) is nothing to do. Throws when the wallet
 * refuses a step otherwise (a broken invariant).
 */
export async function moveSlipMoney(wallet: WalletService, slipId: string, playerId: string, events: readonly SlipEvent[]): Promise<void> {
  const groups = slipMoneyGroups(slipId, playerId, events);
  if (groups.some((g) => g.some((op) => op.type === 'clawback'))) await wallet.store.ensureAccount(receivableAccountId(playerAccountId(playerId)), 'house', wallet.currency);
  for (const ops of groups) {
    const results = await wallet.apply(ops, { atomic: true });
    const bad = results.find((r) => !r.ok && !(ops[0]!.type === 'release' && r.code === 'wallet/hold_not_found'));
    if (bad && !bad.ok) throw new Error(`slip ${slipId}: wallet refused a step: ${bad.code} ${bad.message}`);
  }
}
