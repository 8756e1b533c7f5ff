/**
 * Timers and recovery: everything that becomes due as time passes (feed gaps expire, suspensions
 * end, bet and cash-out delays end) runs at the start of every command, so the outcome of a delay
 * depends only on the state when it ended, never on how late the room ticked.
 */
import { getBet } from './bets.ts';
import { bufferDeadline, expireBuffer } from './feed.ts';
import { cashOutQuote, offerWithinTolerance } from './cashout.ts';
import { applySteps, isTerminal, suspend } from './incidents.ts';
import { checkExposure, policyAllows } from './limits.ts';
import { findMarket, marketBlock } from './markets.ts';
import { liabilityOf } from './money.ts';
import type { Plan } from './plan.ts';
import type { BetState, EventState } from './types.ts';

function limitsOf(state: EventState) {
  return { reorderWindowMs: state.config.reorderWindowMs, reorderBufferSize: state.config.reorderBufferSize };
}

/** When the room should next send `tick`, or null when nothing is waiting. */
export function nextDeadline(state: EventState): number | null {
  let next: number | null = bufferDeadline(state.feed, limitsOf(state));
  const consider = (t: number | null) => {
    if (t !== null && (next === null || t < next)) next = t;
  };
  if (!isTerminal(state.phase)) consider(state.autoSuspension?.resumeAt ?? null);
  consider(state.pending.length > 0 ? state.pending[0].dueAt : null);
  return next;
}

/** Runs every timer due at `now`, in time order. */
export function runDue(plan: Plan, now: number): void {
  const { steps } = expireBuffer(plan.state.feed, now, limitsOf(plan.state));
  if (steps.length > 0) applySteps(plan, steps, now);
  const suspension = plan.state.autoSuspension;
  if (suspension && suspension.resumeAt !== null && now >= suspension.resumeAt && !isTerminal(plan.state.phase)) {
    plan.push({ type: 'MarketsResumed', at: now });
    plan.reprice(now);
  }
  resolveDelays(plan, now);
}

/** Bets and cash-outs whose delay has ended, resolved in order of their deadline. */
export function resolveDelays(plan: Plan, now: number): void {
  // pending is ascending by dueAt, so the due ones are a prefix; resolve them in that order.
  const due: string[] = [];
  for (const entry of plan.state.pending) {
    if (entry.dueAt > now) break;
    due.push(entry.betId);
  }
  for (const betId of due) {
    const bet = getBet(plan.state, betId);
    if (!bet) continue;
    if (bet.status === 'pending') resolveBet(plan, bet, now);
    else if (bet.cashOut) resolveCashOut(plan, bet, now);
  }
}

/** End of a bet's delay: accepted at the current price if the market is open and the policy and limits allow. */
export function resolveBet(plan: Plan, bet: BetState, now: number): void {
  const state = plan.state;
  const reject = (code: string, message: string, details?: Record<string, unknown>) =>
    plan.push({ type: 'BetRejected', betId: bet.betId, playerId: bet.playerId, stakeMinor: bet.stakeMinor, code, message, ...(details ? { details } : {}), at: now });
  if (bet.interrupted) return reject('bet/market_suspended', 'the market was suspended during the bet delay');
  const market = findMarket(state, bet.marketId);
  if (!market) return reject('bet/market_closed', 'market no longer exists');
  const block = marketBlock(state, market);
  if (block) return reject(block, block === 'bet/market_closed' ? 'the market closed during the bet delay' : 'the market is suspended');
  const current = market.selections.find((s) => s.selectionId === bet.selectionId)?.priceMilli ?? 0;
  if (current <= 0) return reject('bet/selection_closed', 'the selection is no longer offered');
  // A boosted bet stands at its boost (or the market, if that moved above it); others by the policy.
  const boosted = bet.boostedPriceMilli ?? null;
  if (boosted === null && !policyAllows(bet.acceptance, bet.requestedPriceMilli, current)) {
    return reject('bet/price_changed', `price moved to ${current}`, { currentPriceMilli: current, requestedPriceMilli: bet.requestedPriceMilli });
  }
  const price = boosted === null ? current : Math.max(boosted, current);
  const exposure = checkExposure(state, {
    playerId: bet.playerId,
    marketId: bet.marketId,
    selectionId: bet.selectionId,
    stakeMinor: bet.stakeMinor,
    priceMilli: price,
    ownLiabilityMinor: liabilityOf(bet.stakeMinor, bet.priceMilli),
    ownStakeMinor: bet.stakeMinor,
  });
  if (exposure) return reject(exposure.code, exposure.message, exposure.details);
  plan.push({
    type: 'BetAccepted',
    betId: bet.betId,
    playerId: bet.playerId,
    marketId: bet.marketId,
    selectionId: bet.selectionId,
    stakeMinor: bet.stakeMinor,
    priceMilli: price,
    at: now,
  });
}

/** End of a cash-out's delay: executed at the current offer if it is still within tolerance of the seen one. */
export function resolveCashOut(plan: Plan, bet: BetState, now: number): void {
  const cashOut = bet.cashOut;
  if (!cashOut) return;
  const reject = (code: string, message: string, details?: Record<string, unknown>) =>
    plan.push({ type: 'CashOutRejected', betId: bet.betId, playerId: bet.playerId, code, message, ...(details ? { details } : {}), at: now });
  if (cashOut.interrupted) return reject('cashout/unavailable', 'the market was suspended during the cash-out delay');
  const quote = cashOutQuote(plan.state, bet);
  if (!quote.ok) return reject('cashout/unavailable', quote.reason);
  if (!offerWithinTolerance(plan.state, cashOut.offerMinor, quote.offerMinor)) {
    return reject('cashout/offer_changed', `offer moved to ${quote.offerMinor}`, { currentOfferMinor: quote.offerMinor });
  }
  plan.push({
    type: 'CashOutExecuted',
    betId: bet.betId,
    outcome: { betId: bet.betId, playerId: bet.playerId, stakeMinor: bet.stakeMinor, payoutMinor: quote.offerMinor, outcome: 'cashed_out', priceMilli: bet.priceMilli },
    at: now,
  });
}

/**
 * Recovery rule (after the journal is replayed): every bet and cash-out still in its delay is
 * rejected (`bet/interrupted`, `cashout/interrupted`: stakes released, bets stay open), because
 * the house did not watch the feed during the outage and cannot prove the market stayed unchanged;
 * an in-play event is suspended until the next clock message confirms its state.
 */
export function recover(plan: Plan, now: number): void {
  for (const { betId: id } of plan.state.pending) {
    const bet = getBet(plan.state, id);
    if (!bet) continue;
    const message = 'the server restarted during the delay';
    if (bet.status === 'pending') {
      plan.push({ type: 'BetRejected', betId: bet.betId, playerId: bet.playerId, stakeMinor: bet.stakeMinor, code: 'bet/interrupted', message, at: now });
    } else if (bet.cashOut) {
      plan.push({ type: 'CashOutRejected', betId: bet.betId, playerId: bet.playerId, code: 'cashout/interrupted', message, at: now });
    }
  }
  const { phase } = plan.state;
  if (phase === 'first_half' || phase === 'half_time' || phase === 'second_half') suspend(plan, 'recovery', null, now);
  runDue(plan, now);
  plan.finish(now);
}
