/**
 * The wallet side of a roulette table: which ledger operations each table event implies, with
 * idempotency keys derived from the table and bet ids, so a repeat (retry, recovery) never moves
 * money twice. Stakes are reserved at placement (hold id = reserve key), captured to the house at
 * settlement; winners are paid stake + winnings from the house.
 */
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../server/store/types.ts';
import { playerAccountId } from '../../server/wallet/service.ts';
import type { RouletteEvent, Settlement } from '../../actors/roulette/index.ts';

export function holdPrefix(tableId: string): string {
  return `roulette:${tableId}:bet:`;
}

export function holdId(tableId: string, betId: string): string {
  return `${holdPrefix(tableId)}${betId}`;
}

export function reserveOp(tableId: string, bet: { betId: string; playerId: string; stakeMinor: number }): WalletOp {
  return { type: 'reserve', key: holdId(tableId, bet.betId), accountId: playerAccountId(bet.playerId), amountMinor: bet.stakeMinor, memo: `roulette ${tableId} bet ${bet.betId}` };
}

export function releaseOp(tableId: string, betId: string): WalletOp {
  const hold = holdId(tableId, betId);
  return { type: 'release', key: `${hold}:release`, holdId: hold };
}

/** One atomic group per bet: the stake goes to the house; a winner is paid its gross payout. */
export function settlementOps(tableId: string, s: Settlement, roundId: string): WalletOp[] {
  const hold = holdId(tableId, s.betId);
  const ops: WalletOp[] = [{ type: 'capture', key: `${hold}:capture`, holdId: hold, toAccountId: SYSTEM_ACCOUNTS.house, memo: `roulette ${roundId}` }];
  if (s.payoutMinor > 0) {
    ops.push({ type: 'transfer', key: `${hold}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: playerAccountId(s.playerId), amountMinor: s.payoutMinor, kind: 'payout', memo: `roulette ${roundId} win` });
  }
  return ops;
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
