/**
 * The wallet side of a blackjack table. Every stake a seat puts up is its own hold, reserved at the
 * moment of the action that needs it: the bet at placement (hold `blackjack:<table>:bet:<betId>`),
 * a split (`<betId>.s<n>`), a double (`<betId>.d<n>`) and insurance (`<betId>.i`). At the end of
 * the round each player's seats settle in one atomic group: every hold of a seat is captured to the
 * house and the seat's gross payout comes back from the house in one transfer (`<bet hold>:payout`).
 * A voided round releases every hold. Recovery resolves a hold with its seat's ops (the same keys). Keys derive from the table and stake ids, so a repeat
 * (retry, recovery) never moves money twice.
 */
import type { BlackjackEvent, SeatSettlement, Stake } from '../../actors/blackjack/index.ts';
import { SYSTEM_ACCOUNTS, type RoomFence, type WalletOp } from '../../server/store/types.ts';
import { playerAccountId, type WalletService } from '../../server/wallet/service.ts';
import { assertApplied, settlementBalances, type PlayerBalanceMap } from '../round-records.ts';
import { betHoldId, betHoldPrefix, holdReleaseOp, stakeReserveOp } from '../money-keys.ts';

export const holdPrefix = (tableId: string): string => betHoldPrefix('blackjack', tableId);

export const holdId = (tableId: string, stakeId: string): string => betHoldId('blackjack', tableId, stakeId);

export function reserveOp(tableId: string, stake: { stakeId: string; playerId: string; amountMinor: number }): WalletOp {
  return stakeReserveOp('blackjack', tableId, { betId: stake.stakeId, playerId: stake.playerId, stakeMinor: stake.amountMinor }, `blackjack ${tableId} stake ${stake.stakeId}`);
}

export function releaseOp(tableId: string, stakeId: string): WalletOp {
  return holdReleaseOp(holdId(tableId, stakeId));
}

/** One seat's settlement: capture every stake, pay the gross payout in one transfer. */
export function seatSettlementOps(tableId: string, roundId: string, s: SeatSettlement): WalletOp[] {
  const ops: WalletOp[] = s.stakes.map((k) => {
    const hold = holdId(tableId, k.stakeId);
    return { type: 'capture', key: `${hold}:capture`, holdId: hold, toAccountId: SYSTEM_ACCOUNTS.house, memo: `blackjack ${roundId} seat ${s.seat} ${k.kind}` };
  });
  if (s.payoutMinor > 0) {
    ops.push({
      type: 'transfer', key: `${holdId(tableId, s.betId)}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: playerAccountId(s.playerId),
      amountMinor: s.payoutMinor, kind: 'payout', memo: `blackjack ${roundId} seat ${s.seat} win`,
    });
  }
  return ops;
}

function refundOps(tableId: string, stakes: readonly Stake[]): WalletOp[] {
  return stakes.map((k) => releaseOp(tableId, k.stakeId));
}

/**
 * The money of one decision's events as atomic groups: a round's end in one group per player (all
 * their seats: their balance moves once per round, like a roulette player's), a removed bet alone.
 */
export function moneyGroups(tableId: string, events: readonly BlackjackEvent[]): Array<{ playerId: string; ops: WalletOp[] }> {
  const groups: Array<{ playerId: string; ops: WalletOp[] }> = [];
  for (const e of events) {
    const byPlayer = new Map<string, WalletOp[]>();
    const add = (playerId: string, ops: WalletOp[]) => byPlayer.set(playerId, [...(byPlayer.get(playerId) ?? []), ...ops]);
    if (e.type === 'RoundSettled') for (const s of e.settlements) add(s.playerId, seatSettlementOps(tableId, e.roundId, s));
    else if (e.type === 'RoundVoided') for (const r of e.refunds) add(r.playerId, refundOps(tableId, r.stakes));
    else if (e.type === 'BetRemoved') add(e.playerId, [releaseOp(tableId, e.betId)]);
    for (const [playerId, ops] of byPlayer) groups.push({ playerId, ops });
  }
  return groups;
}

/** The holds a journaled event resolves, with the ops (the whole seat group) that resolve each (rebuild: rooms/holds.ts). */
export function resolvingOps(tableId: string, e: BlackjackEvent): Array<[holdId: string, ops: () => WalletOp[]]> {
  switch (e.type) {
    case 'RoundSettled':
      return e.settlements.flatMap((s) => s.stakes.map((k): [string, () => WalletOp[]] => [holdId(tableId, k.stakeId), () => seatSettlementOps(tableId, e.roundId, s)]));
    case 'RoundVoided':
      return e.refunds.flatMap((r) => r.stakes.map((k): [string, () => WalletOp[]] => [holdId(tableId, k.stakeId), () => [releaseOp(tableId, k.stakeId)]]));
    case 'BetRemoved':
      return [[holdId(tableId, e.betId), () => [releaseOp(tableId, e.betId)]]];
    default:
      return [];
  }
}

/**
 * Moves the money of a decision (each group atomic, a repeat is a replay) and returns each
 * player's balances around their round-end group, from the ledger's transfers (round-records.ts).
 * Throws when the wallet refuses a step (a broken invariant) or the fence is stale.
 */
export async function moveMoney(wallet: WalletService, tableId: string, events: readonly BlackjackEvent[], fence?: RoomFence): Promise<PlayerBalanceMap> {
  const groups = moneyGroups(tableId, events);
  const results = await Promise.all(groups.map((g) => wallet.apply(g.ops, { atomic: true, bulk: true, fence })));
  const balances: PlayerBalanceMap = new Map();
  // A removed bet's release comes before its round ends (another decision): the last group of a player is their round end.
  for (const [i, g] of groups.entries()) {
    assertApplied(results[i]!, `blackjack ${tableId}`);
    balances.set(g.playerId, settlementBalances(results[i]!, g.playerId));
  }
  return balances;
}
