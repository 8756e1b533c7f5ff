/**
 * The wallet side of a live event: the ledger operations each event implies. Keys derive from the
 * event and bet ids, so a repeat (retry, recovery) never moves money twice. Stakes are reserved
 * when a bet is requested and captured or released when it resolves; winners and cash-outs are
 * paid from the house; re-settlement corrections are new transfers, never edits.
 */
import { SYSTEM_ACCOUNTS, type RoomFence, type WalletOp } from '../../server/store/types.ts';
import { playerAccountId, type WalletService } from '../../server/wallet/service.ts';
import type { BetOutcome, Correction, EventState, SportsEvent } from '../../actors/sportsbook/index.ts';

export function holdPrefix(eventId: string): string {
  return `market:${eventId}:bet:`;
}

export function holdId(eventId: string, betId: string): string {
  return `${holdPrefix(eventId)}${betId}`;
}

export function reserveOp(eventId: string, bet: { betId: string; playerId: string; stakeMinor: number }): WalletOp {
  return { type: 'reserve', key: holdId(eventId, bet.betId), accountId: playerAccountId(bet.playerId), amountMinor: bet.stakeMinor, memo: `event ${eventId} bet ${bet.betId}` };
}

export function releaseOp(eventId: string, betId: string): WalletOp {
  const hold = holdId(eventId, betId);
  return { type: 'release', key: `${hold}:release`, holdId: hold };
}

/** One atomic group per bet outcome. */
export function outcomeOps(eventId: string, o: BetOutcome, memo: string): WalletOp[] {
  if (o.outcome === 'void') return [releaseOp(eventId, o.betId)];
  const hold = holdId(eventId, o.betId);
  const ops: WalletOp[] = [{ type: 'capture', key: `${hold}:capture`, holdId: hold, toAccountId: SYSTEM_ACCOUNTS.house, memo }];
  if (o.payoutMinor > 0) {
    ops.push({ type: 'transfer', key: `${hold}:payout`, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: playerAccountId(o.playerId), amountMinor: o.payoutMinor, kind: 'payout', memo });
  }
  return ops;
}

/**
 * A correction after re-settlement: the difference between the new and the old gross credit, as a
 * new transfer keyed by the market's re-settlement number. A player who cannot repay a negative
 * correction in full is charged what is available; the shortfall is reported (see SPORTSBOOK.md).
 */
export function correctionOp(eventId: string, marketId: string, n: number, c: Correction, availableMinor: number): { op: WalletOp | null; shortfallMinor: number } {
  const key = `${holdId(eventId, c.betId)}:resettle:${marketId}:${n}`;
  const player = playerAccountId(c.playerId);
  if (c.deltaMinor > 0) {
    return { op: { type: 'transfer', key, fromAccountId: SYSTEM_ACCOUNTS.house, toAccountId: player, amountMinor: c.deltaMinor, kind: 'adjustment', memo: `re-settlement of ${marketId}` }, shortfallMinor: 0 };
  }
  const owed = -c.deltaMinor;
  const take = Math.min(owed, Math.max(0, availableMinor));
  return {
    op: take > 0 ? { type: 'transfer', key, fromAccountId: player, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: take, kind: 'adjustment', memo: `re-settlement of ${marketId}` } : null,
    shortfallMinor: owed - take,
  };
}

/** The holds a journaled event resolves, with the ops that resolve each (also used on rebuild: rooms/holds.ts). */
export function resolvingOps(eventId: string, e: SportsEvent): Array<[holdId: string, ops: () => WalletOp[]]> {
  switch (e.type) {
    case 'BetRejected':
      return [[holdId(eventId, e.betId), () => [releaseOp(eventId, e.betId)]]];
    case 'CashOutExecuted':
      return [[holdId(eventId, e.betId), () => outcomeOps(eventId, e.outcome, `cash-out ${e.betId}`)]];
    case 'MarketSettled':
    case 'MarketVoided':
      return e.outcomes.map((o) => [holdId(eventId, o.betId), () => outcomeOps(eventId, o, `${eventId} ${e.marketId}`)]);
    default:
      return [];
  }
}

/** Whether an event moves money (so its journal item carries a money step). */
export function movesMoney(e: SportsEvent): boolean {
  return e.type === 'MarketResettled' || resolvingOps('', e).length > 0;
}

/** Groups of ops for the events (corrections are handled separately: they need balances). */
export function moneyGroups(eventId: string, events: readonly SportsEvent[]): WalletOp[][] {
  return events.flatMap((e) => resolvingOps(eventId, e).map(([, ops]) => ops()));
}

/** A clawback a re-settlement could not take in full: the player had spent the money. */
export interface Shortfall {
  betId: string;
  playerId: string;
  shortfallMinor: number;
}

/** The number of a market's next re-settlement in `state` (1 for the first). */
export function nextResettlement(state: EventState | null, marketId: string): number {
  return (state?.markets.find((m) => m.marketId === marketId)?.resettlements ?? 0) + 1;
}

/**
 * Moves the money `events` imply, each group atomic, and returns the shortfalls of their
 * re-settlements (by MarketResettled event). `before` is the state the events were decided on
 * (it numbers re-settlements). Throws when the wallet refuses a step (a broken invariant) and
 * StoreError('wallet/stale_fence') when another process owns the event now.
 */
export async function moveEventMoney(wallet: WalletService, eventId: string, events: readonly SportsEvent[], before: EventState | null, fence?: RoomFence): Promise<Map<SportsEvent, Shortfall[]>> {
  const groups = moneyGroups(eventId, events);
  const shortfalls = new Map<SportsEvent, Shortfall[]>();
  for (const e of events) {
    if (e.type !== 'MarketResettled') continue;
    const n = nextResettlement(before, e.marketId);
    for (const c of e.corrections) {
      const available = (await wallet.view(c.playerId)).availableMinor;
      const { op, shortfallMinor } = correctionOp(eventId, e.marketId, n, c, available);
      if (op) groups.push([op]);
      if (shortfallMinor > 0) shortfalls.set(e, [...(shortfalls.get(e) ?? []), { betId: c.betId, playerId: c.playerId, shortfallMinor }]);
    }
  }
  if (groups.length === 0) return shortfalls;
  // Settling markets is a burst nobody waits on: it must not delay the bets placed meanwhile.
  const bulk = events.some((e) => e.type === 'MarketSettled' || e.type === 'MarketVoided' || e.type === 'MarketResettled');
  const results = await Promise.all(groups.map((ops) => wallet.apply(ops, { atomic: true, bulk, fence })));
  // A correction replayed after a crash may meet a different available balance: its key then conflicts, meaning it was done.
  const bad = results.flat().find((o) => !o.ok && o.code !== 'wallet/idempotency_conflict');
  if (bad && !bad.ok) throw new Error(`market ${eventId}: wallet refused a settlement step: ${bad.code} ${bad.message}`);
  return shortfalls;
}
