/**
 * Idempotency keys and hold ids of the rooms' money, in one place: a repeat of a step (retry,
 * recovery) derives the same key, so it never moves money twice. A bet's stake is held under
 * `<domain>:<roomId>:bet:<betId>` (the reserve's key); its resolutions append `:release`,
 * `:capture` and `:payout`.
 */
import { SYSTEM_ACCOUNTS, type WalletOp } from '../server/store/types.ts';
import { playerAccountId } from '../server/wallet/service.ts';
import type { SettledWager } from '../actors/promotions/index.ts';

/** The rooms that hold stakes: roulette and blackjack tables, crash rooms, live events (markets). */
export type MoneyDomain = 'roulette' | 'market' | 'blackjack' | 'crash';

/** The prefix of every stake hold of a room (rebuild lists them: rooms/holds.ts). */
export function betHoldPrefix(domain: MoneyDomain, roomId: string): string {
  return `${domain}:${roomId}:bet:`;
}

export function betHoldId(domain: MoneyDomain, roomId: string, betId: string): string {
  return `${betHoldPrefix(domain, roomId)}${betId}`;
}

/** Reserves a bet's stake under its hold id: cash first, then the player's active bonus (docs/PROMOTIONS.md). */
export function stakeReserveOp(domain: MoneyDomain, roomId: string, bet: { betId: string; playerId: string; stakeMinor: number }, memo: string): WalletOp {
  return { type: 'reserve', key: betHoldId(domain, roomId, bet.betId), accountId: playerAccountId(bet.playerId), amountMinor: bet.stakeMinor, memo, bonus: true };
}

/**
 * A profit-boosted bet's second hold: the boost's cap reserved from its campaign under
 * `<stake hold>#boost` (`#` is in no client-chosen id), resolved with the stake
 * (rooms/market/profit-boost.ts; a rebuild lists it with its stake: rooms/holds.ts).
 */
export const BOOST_SUFFIX = '#boost';

export const boostHoldId = (stakeHoldId: string): string => `${stakeHoldId}${BOOST_SUFFIX}`;

/** Returns a held stake to its owner. */
export function holdReleaseOp(holdId: string): WalletOp {
  return { type: 'release', key: `${holdId}:release`, holdId };
}

/**
 * A resolved bet: its stake goes to the house; a gross payout (stake + winnings) comes back from
 * it, the bonus-funded share to the player's bonus. `wager` describes the bet for bonus wagering
 * (none: the stake does not count towards wagering, as for crash).
 */
export function stakeSettlementOps(holdId: string, playerId: string, payoutMinor: number, memo: string, payoutMemo: string, wager?: SettledWager): WalletOp[] {
  const ops: WalletOp[] = [{ type: 'capture', key: `${holdId}:capture`, holdId, toAccountId: SYSTEM_ACCOUNTS.house, memo, ...(wager ? { wager } : {}) }];
  if (payoutMinor > 0) {
    ops.push({
      type: 'transfer', key: `${holdId}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: playerAccountId(playerId), amountMinor: payoutMinor,
      kind: 'payout', memo: payoutMemo, stakeHoldId: holdId,
    });
  }
  return ops;
}
