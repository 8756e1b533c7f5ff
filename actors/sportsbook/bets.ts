/** Read access to the event's bet book and per-player totals (sharded maps, see sharded.ts). */
import { getIn, valuesOf } from './sharded.ts';
import type { BetState, EventState } from './types.ts';

export function getBet(state: EventState, betId: string): BetState | undefined {
  return getIn(state.bets, betId);
}

/** Every bet of the event, rejected ones included (deterministic order). */
export function allBets(state: EventState): BetState[] {
  return valuesOf(state.bets);
}

/** The player's stake on this event: pending, accepted and settled bets. */
export function playerStakeOf(state: EventState, playerId: string): number {
  return getIn(state.playerStakeMinor, playerId) ?? 0;
}
