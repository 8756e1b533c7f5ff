/**
 * The wallet side of a live event: the ledger operations each event implies. Keys derive from the
 * event and bet ids, so a repeat (retry, recovery) never moves money twice. Stakes are reserved
 * when a bet is requested and captured or released when it resolves; winners and cash-outs are
 * paid from the house; re-settlement corrections are new transfers, never edits.
 */
import { SYSTEM_ACCOUNTS, type WalletOp } from '../../server/store/types.ts';
import { playerAccountId } from '../../server/wallet/service.ts';
import type { BetOutcome, Correction, SportsEvent } from '../../actors/sportsbook/index.ts';

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

/** Groups of ops for the events (corrections are handled separately: they need balances). */
export function moneyGroups(eventId: string, events: readonly SportsEvent[]): WalletOp[][] {
  const groups: WalletOp[][] = [];
  for (const e of events) {
    switch (e.type) {
      case 'BetRejected':
        groups.push([releaseOp(eventId, e.betId)]);
        break;
      case 'CashOutExecuted':
        groups.push(outcomeOps(eventId, e.outcome, `cash-out ${e.betId}`));
        break;
      case 'MarketSettled':
      case 'MarketVoided':
        for (const o of e.outcomes) groups.push(outcomeOps(eventId, o, `${eventId} ${e.marketId}`));
        break;
    }
  }
  return groups;
}
