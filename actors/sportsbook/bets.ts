/** Read access to the event's bet book and per-player totals (sharded maps, see sharded.ts). */
import { getIn, valuesOf } from './sharded.ts';
import type { BetState, EventState } from './types.ts';

export function getBet(state: EventState, betId: string): BetState | undefined {
  return getIn(state.bets, betId);
}

/**
 * The bet `cmd` repeats, when it is a retry of one already requested (same id, player, market,
 * selection, stake, price and acceptance): the event answers it as placed instead of refusing a
 * duplicate.
 */
export function retriedBet(
  state: EventState | null,
  cmd: { betId: string; playerId: string; marketId: string; selectionId: string; stakeMinor: number; priceMilli: number; acceptance: BetState['acceptance'] },
): BetState | null {
  const existing = state ? getBet(state, cmd.betId) : undefined;
  if (!existing) return null;
  const same = existing.playerId === cmd.playerId && existing.marketId === cmd.marketId && existing.selectionId === cmd.selectionId
    && existing.stakeMinor === cmd.stakeMinor && existing.requestedPriceMilli === cmd.priceMilli && existing.acceptance === cmd.acceptance;
  return same ? existing : null;
}

/** Every bet of the event, rejected ones included (deterministic order). */
export function allBets(state: EventState): BetState[] {
  return valuesOf(state.bets);
}

/** The player's stake on this event: pending, accepted and settled bets. */
export function playerStakeOf(state: EventState, playerId: string): number {
  return getIn(state.playerStakeMinor, playerId) ?? 0;
}
