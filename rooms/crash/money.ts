/**
 * The wallet side of a crash room: stakes are reserved at the bet (hold id = reserve key); a
 * cash-out captures the stake to the house and pays stake × multiplier back in one atomic group;
 * the crash captures the stakes of everyone still in; a voided round releases them. Crash stakes
 * carry no wager: they do not count towards bonus wagering (docs/PROMOTIONS.md has no crash rate). Keys derive
 * from the room, the round number and the bet id, so a repeat (retry, recovery) never moves money
 * twice, and a bet id may be used again in a later round.
 */
import { formatMultiplier } from '../../actors/crash/index.ts';
import type { RoomFence, WalletOp } from '../../server/store/types.ts';
import { assertApplied, settlementBalances, type PlayerBalances } from '../round-records.ts';
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

/** A bet's settlement group: cashed out (stake captured, `payoutMinor` paid back), lost at the crash (`payoutMinor` 0) or released (voided round). */
export interface BetEnd {
  roundId: string;
  betId: string;
  playerId: string;
  /** null: released (the round was voided). */
  payoutMinor: number | null;
  /** The multiplier of a cash-out, for its memo. */
  multiplierCents: number | null;
}

/** The one atomic group that settles a bet (same keys whenever derived: a repeat is a replay). */
export function betEndOps(b: BetEnd): WalletOp[] {
  const hold = holdId(b.roundId, b.betId);
  if (b.payoutMinor === null) return [releaseOp(b.roundId, b.betId)];
  const payoutMemo = b.multiplierCents === null ? `crash ${b.roundId}` : `crash ${b.roundId} cash-out ${formatMultiplier(b.multiplierCents)}x`;
  return stakeSettlementOps(hold, b.playerId, b.payoutMinor, `crash ${b.roundId}`, payoutMemo);
}

/** The bets an event settles. */
export function betEnds(e: CrashEvent): BetEnd[] {
  switch (e.type) {
    case 'CashedOut':
      return e.cashOuts.map((c) => ({ roundId: e.roundId, betId: c.betId, playerId: c.playerId, payoutMinor: c.payoutMinor, multiplierCents: e.multiplierCents }));
    case 'RoundCrashed':
      return e.lost.map((l) => ({ roundId: e.roundId, betId: l.betId, playerId: l.playerId, payoutMinor: 0, multiplierCents: null }));
    case 'RoundVoided':
      return e.refunds.map((r) => ({ roundId: e.roundId, betId: r.betId, playerId: r.playerId, payoutMinor: null, multiplierCents: null }));
    default:
      return [];
  }
}

/** The holds an event resolves, each with the ops (one atomic group) that resolve it. */
export function resolvingOps(e: CrashEvent): Array<[holdId: string, ops: () => WalletOp[]]> {
  return betEnds(e).map((b) => [holdId(b.roundId, b.betId), () => betEndOps(b)]);
}

/** Whether the events move money. */
export function movesMoney(events: readonly CrashEvent[]): boolean {
  return events.some((e) => e.type === 'CashedOut' || e.type === 'RoundCrashed' || e.type === 'RoundVoided');
}

/**
 * Moves the money of the events, one atomic group per bet (a repeat is a replay), and returns each
 * settled bet's player balances around its group, by hold id, from the ledger's transfers. A crash
 * or a cap settles many bets at once: those go as bulk writes nobody waits on. Throws when the
 * wallet refuses a step (a broken invariant) or the fence is stale.
 */
export function moveCrashMoney(wallet: WalletService, events: readonly CrashEvent[], fence?: RoomFence): Promise<Map<string, PlayerBalances | null>> {
  const bulk = (e: CrashEvent) => e.type !== 'CashedOut' || e.reason !== 'manual';
  return settleBets(wallet, events.flatMap((e) => betEnds(e).map((b) => ({ b, bulk: bulk(e) }))), fence);
}

/** Applies (or replays) the bets' settlement groups, 500 at a time; their balances by hold id. */
export async function settleBets(wallet: WalletService, ends: ReadonlyArray<{ b: BetEnd; bulk: boolean }>, fence?: RoomFence): Promise<Map<string, PlayerBalances | null>> {
  const balances = new Map<string, PlayerBalances | null>();
  for (let i = 0; i < ends.length; i += 500) {
    const slice = ends.slice(i, i + 500);
    const results = await Promise.all(slice.map(({ b, bulk }) => wallet.apply(betEndOps(b), { atomic: true, bulk, fence })));
    for (const [j, { b }] of slice.entries()) {
      assertApplied(results[j]!, `crash ${b.roundId}`);
      balances.set(holdId(b.roundId, b.betId), settlementBalances(results[j]!, b.playerId));
    }
  }
  return balances;
}
