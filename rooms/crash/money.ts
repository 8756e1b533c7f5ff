/**
 * The wallet side of a crash room: stakes are reserved at the bet (hold id = reserve key); a
 * cash-out captures the stake to the house and pays stake × multiplier back in one atomic group;
 * the crash captures the stakes of everyone still in; a voided round releases them. Crash stakes
 * carry no wager: they do not count towards bonus wagering (docs/PROMOTIONS.md has no crash rate). Keys derive
 * from the room, the round number and the bet id, so a repeat (retry, recovery) never moves money
 * twice, and a bet id may be used again in a later round.
 */
import type { RoomFence, WalletOp } from '../../server/store/types.ts';
import type { WalletService } from '../../server/wallet/service.ts';
import { betHoldId, betHoldPrefix, holdReleaseOp, stakeReserveOp, stakeSettlementOps } from '../money-keys.ts';
import type { CrashEvent } from '../../actors/crash/index.ts';

export const holdPrefix = (tableId: string): string => betHoldPrefix('crash', tableId);

/** A round's table and the bet's key within it: `<roundNumber>:<betId>` (roundId is `<tableId>:<roundNumber>`). */
function betKey(roundId: string, betId: string): { tableId: string; key: string } {
  const cut = roundId.lastIndexOf(':');
  return { tableId: roundId.slice(0, cut), key: `${roundId.slice(cut + 1)}:${betId}` };
}

/** `crash:<tableId>:bet:<roundNumber>:<betId>`. */
export function holdId(roundId: string, betId: string): string {
  const { tableId, key } = betKey(roundId, betId);
  return betHoldId('crash', tableId, key);
}

export function reserveOp(roundId: string, bet: { betId: string; playerId: string; stakeMinor: number }): WalletOp {
  const { tableId, key } = betKey(roundId, bet.betId);
  return stakeReserveOp('crash', tableId, { ...bet, betId: key }, `crash ${roundId} bet ${bet.betId}`);
}

export function releaseOp(roundId: string, betId: string): WalletOp {
  return holdReleaseOp(holdId(roundId, betId));
}

/** The holds an event resolves, each with the ops (one atomic group) that resolve it. */
export function resolvingOps(e: CrashEvent): Array<[holdId: string, ops: () => WalletOp[]]> {
  switch (e.type) {
    case 'CashedOut':
      return e.cashOuts.map((c) => [holdId(e.roundId, c.betId), () => stakeSettlementOps(holdId(e.roundId, c.betId), c.playerId, c.payoutMinor, `crash ${e.roundId}`, `crash ${e.roundId} cash-out ${(e.multiplierCents / 100).toFixed(2)}x`)]);
    case 'RoundCrashed':
      return e.lost.map((l) => [holdId(e.roundId, l.betId), () => stakeSettlementOps(holdId(e.roundId, l.betId), l.playerId, 0, `crash ${e.roundId}`, `crash ${e.roundId}`)]);
    case 'RoundVoided':
      return e.refunds.map((r) => [holdId(e.roundId, r.betId), () => [releaseOp(e.roundId, r.betId)]]);
    default:
      return [];
  }
}

/** Whether the events move money. */
export function movesMoney(events: readonly CrashEvent[]): boolean {
  return events.some((e) => e.type === 'CashedOut' || e.type === 'RoundCrashed' || e.type === 'RoundVoided');
}

/**
 * Moves the money of the events, one atomic group per bet (a repeat is a replay). A crash or a cap
 * settles many bets at once: those go as bulk writes nobody waits on. Throws when the wallet
 * refuses a step (a broken invariant) or the fence is stale.
 */
export async function moveCrashMoney(wallet: WalletService, events: readonly CrashEvent[], fence?: RoomFence): Promise<void> {
  const groups = events.flatMap((e) => resolvingOps(e).map(([, ops]) => ({ ops: ops(), bulk: e.type !== 'CashedOut' || e.reason !== 'manual' })));
  for (let i = 0; i < groups.length; i += 500) {
    const results = await Promise.all(groups.slice(i, i + 500).map((g) => wallet.apply(g.ops, { atomic: true, bulk: g.bulk, fence })));
    const bad = results.flat().find((o) => !o.ok);
    if (bad && !bad.ok) throw new Error(`crash: wallet refused a step: ${bad.code} ${bad.message}`);
  }
}
