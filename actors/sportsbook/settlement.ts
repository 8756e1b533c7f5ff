/**
 * Settlement, void and re-settlement. A market closes in one step: bets still in their delay are
 * rejected (stake released), pending cash-outs on its bets are rejected, then every accepted bet
 * gets an outcome. Cashed-out bets are final and never re-settled.
 */
import { allBets, getBet } from './bets.ts';
import { earlyResult, findMarket, finalResult } from './markets.ts';
import { payoutOf } from './money.ts';
import type { Plan } from './plan.ts';
import type { BetOutcome, BetOutcomeKind, BetState, Correction, EventState, MarketResult, MarketResettled, SettlementTotals } from './types.ts';

export function outcomeFor(bet: BetState, result: MarketResult): { outcome: BetOutcomeKind; payoutMinor: number } {
  if (result.kind === 'void') return { outcome: 'void', payoutMinor: bet.stakeMinor };
  return bet.selectionId === result.selectionId ? { outcome: 'won', payoutMinor: payoutOf(bet.stakeMinor, bet.priceMilli) } : { outcome: 'lost', payoutMinor: 0 };
}

export function totalsOf(outcomes: readonly BetOutcome[]): SettlementTotals {
  let stakeMinor = 0;
  let payoutMinor = 0;
  for (const o of outcomes) {
    stakeMinor += o.stakeMinor;
    payoutMinor += o.payoutMinor;
  }
  return { betCount: outcomes.length, stakeMinor, payoutMinor };
}

function marketBets(state: EventState, marketId: string): BetState[] {
  return allBets(state)
    .filter((b) => b.marketId === marketId)
    .sort((a, b) => a.number - b.number);
}

/** Rejects the delays still running on a market (bets and cash-outs) before it closes. */
export function rejectPendingOn(plan: Plan, marketId: string | null, code: string, cashOutCode: string, message: string, at: number): void {
  for (const { betId: id } of plan.state.pending) {
    const bet = getBet(plan.state, id);
    if (!bet || (marketId !== null && bet.marketId !== marketId)) continue;
    if (bet.status === 'pending') {
      plan.push({ type: 'BetRejected', betId: bet.betId, playerId: bet.playerId, stakeMinor: bet.stakeMinor, code, message, at });
    } else if (bet.cashOut) {
      plan.push({ type: 'CashOutRejected', betId: bet.betId, playerId: bet.playerId, code: cashOutCode, message, at });
    }
  }
}

/** Settles (winner) or voids a market that has no result yet. */
export function closeMarket(plan: Plan, marketId: string, result: MarketResult, at: number, by: string | null = null): void {
  const market = findMarket(plan.state, marketId);
  if (!market || market.result) return;
  rejectPendingOn(plan, marketId, 'bet/market_closed', 'cashout/unavailable', `market ${marketId} closed before the delay ended`, at);
  const outcomes: BetOutcome[] = marketBets(plan.state, marketId)
    .filter((b) => b.status === 'accepted')
    .map((b) => ({ betId: b.betId, playerId: b.playerId, stakeMinor: b.stakeMinor, ...outcomeFor(b, result), priceMilli: b.priceMilli }));
  const totals = totalsOf(outcomes);
  if (result.kind === 'void') plan.push({ type: 'MarketVoided', marketId, reason: result.reason, by, outcomes, totals, at });
  else plan.push({ type: 'MarketSettled', marketId, result, outcomes, totals, at });
}

/** Full time: every market without a result is settled from the final score. */
export function settleAtFullTime(plan: Plan, at: number): void {
  for (const market of plan.state.markets) {
    if (!market.result) closeMarket(plan, market.marketId, finalResult(market.marketId, plan.state.score), at);
  }
}

/** Abandonment: markets already settled stand; every other market is void (stakes refunded). */
export function voidAllOpen(plan: Plan, reason: string, at: number): void {
  for (const market of plan.state.markets) {
    if (!market.result) closeMarket(plan, market.marketId, { kind: 'void', reason }, at);
  }
}

/** Settles every market the current score already decides. */
export function settleDecided(plan: Plan, at: number): void {
  for (const market of plan.state.markets) {
    if (market.result) continue;
    const result = earlyResult(market.marketId, plan.state.score);
    if (result) closeMarket(plan, market.marketId, result, at);
  }
}

export function sameResult(a: MarketResult, b: MarketResult): boolean {
  return a.kind === b.kind && (a.kind === 'void' || a.selectionId === (b as { selectionId: string }).selectionId);
}

/** The re-settlement of a settled or void market to `result`: a correction per bet whose outcome changes. */
export function resettlement(state: EventState, marketId: string, result: MarketResult, reason: string, by: string, at: number): MarketResettled | null {
  const market = findMarket(state, marketId);
  if (!market?.result || sameResult(market.result, result)) return null;
  const corrections: Correction[] = [];
  for (const bet of marketBets(state, marketId)) {
    if (bet.status !== 'settled' || bet.outcome === 'cashed_out' || bet.outcome === null || bet.payoutMinor === null) continue;
    const next = outcomeFor(bet, result);
    if (next.outcome === bet.outcome && next.payoutMinor === bet.payoutMinor) continue;
    corrections.push({
      betId: bet.betId,
      playerId: bet.playerId,
      stakeMinor: bet.stakeMinor,
      previousOutcome: bet.outcome,
      outcome: next.outcome,
      previousPayoutMinor: bet.payoutMinor,
      payoutMinor: next.payoutMinor,
      deltaMinor: next.payoutMinor - bet.payoutMinor,
    });
  }
  return { type: 'MarketResettled', marketId, previous: market.result, result, reason, by, corrections, at };
}
