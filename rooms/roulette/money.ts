/**
 * The wallet side of a roulette table: which ledger operations each table event implies, with
 * idempotency keys derived from the table and bet ids, so a repeat (retry, recovery) never moves
 * money twice. Stakes are reserved at placement (hold id = reserve key), captured to the house at
 * settlement; winners are paid stake + winnings from the house.
 */
import type { RoomFence, WalletOp } from '../../server/store/types.ts';
import type { WalletService } from '../../server/wallet/service.ts';
import type { RoundBalances } from './persistence.ts';
import { assertApplied, settlementBalances } from '../round-records.ts';
import { betHoldId, betHoldPrefix, holdReleaseOp, stakeReserveOp, stakeSettlementOps } from '../money-keys.ts';
import type { RouletteEvent, Settlement } from '../../actors/roulette/index.ts';

export const holdPrefix = (tableId: string): string => betHoldPrefix('roulette', tableId);

export const holdId = (tableId: string, betId: string): string => betHoldId('roulette', tableId, betId);

export function reserveOp(tableId: string, bet: { betId: string; playerId: string; stakeMinor: number }): WalletOp {
  return stakeReserveOp('roulette', tableId, bet, `roulette ${tableId} bet ${bet.betId}`);
}

export function releaseOp(tableId: string, betId: string): WalletOp {
  return holdReleaseOp(holdId(tableId, betId));
}

/** One atomic group per bet: the stake goes to the house; a winner is paid its gross payout. */
export function settlementOps(tableId: string, s: Settlement, roundId: string): WalletOp[] {
  return stakeSettlementOps(holdId(tableId, s.betId), s.playerId, s.payoutMinor, `roulette ${roundId}`, `roulette ${roundId} win`, { game: 'roulette' });
}

/** One player's part of a round's end: all their bets' ops in one atomic group, so their balance moves once. */
export interface PlayerMoney {
  roundId: string;
  playerId: string;
  ops: WalletOp[];
}

/** The money of a round's end (settlement or void), one atomic group per player. */
export function roundEndGroups(tableId: string, e: RouletteEvent): PlayerMoney[] {
  const byPlayer = new Map<string, WalletOp[]>();
  const add = (playerId: string, ops: WalletOp[]) => byPlayer.set(playerId, [...(byPlayer.get(playerId) ?? []), ...ops]);
  if (e.type === 'RoundSettled') for (const s of e.settlements) add(s.playerId, settlementOps(tableId, s, e.roundId));
  else if (e.type === 'RoundVoided') for (const r of e.refunds) add(r.playerId, [releaseOp(tableId, r.betId)]);
  else return [];
  return [...byPlayer].map(([playerId, ops]) => ({ roundId: e.roundId, playerId, ops }));
}

/** The holds a journaled table event resolves, with the ops that resolve each (rebuild: rooms/holds.ts). */
export function resolvingOps(tableId: string, e: RouletteEvent): Array<[holdId: string, ops: () => WalletOp[]]> {
  switch (e.type) {
    case 'RoundSettled':
      return e.settlements.map((s) => [holdId(tableId, s.betId), () => settlementOps(tableId, s, e.roundId)]);
    case 'RoundVoided':
      return e.refunds.map((r) => [holdId(tableId, r.betId), () => [releaseOp(tableId, r.betId)]]);
    case 'BetRemoved':
      return [[holdId(tableId, e.betId), () => [releaseOp(tableId, e.betId)]]];
    default:
      return [];
  }
}

/**
 * Moves the money of round ends, one atomic group per player (a player's balance moves once per
 * round), and returns each player's balance before and after it from the ledger's own transfers.
 * A repeat (recovery) is a replay and answers the same balances. Throws when the wallet refuses a
 * step (a broken invariant) and StoreError('wallet/stale_fence') when another process owns the table.
 */
export async function moveRoundEndMoney(wallet: WalletService, tableId: string, events: readonly RouletteEvent[], fence?: RoomFence): Promise<RoundBalances> {
  const groups = events.flatMap((e) => roundEndGroups(tableId, e));
  const balances: RoundBalances = new Map();
  if (groups.length === 0) return balances;
  // A round's settlement is a burst nobody waits on: it must not delay the bets placed meanwhile.
  const results = await Promise.all(groups.map((g) => wallet.apply(g.ops, { atomic: true, bulk: true, fence })));
  for (const [i, g] of groups.entries()) {
    assertApplied(results[i]!, `roulette ${tableId}`);
    if (!balances.has(g.roundId)) balances.set(g.roundId, new Map());
    balances.get(g.roundId)!.set(g.playerId, settlementBalances(results[i]!, g.playerId));
  }
  return balances;
}
