/**
 * Cash-out offer for an accepted, open single bet:
 *   offer = floor(potentialPayout × fairProb × (1 − cashOutMarginBps / 10 000))
 * where potentialPayout = floor(stake × acceptedPrice / 1000) and fairProb is the selection's
 * current margin-free probability from the odds engine. Equivalent to
 * stake × acceptedPrice / currentFairPrice × (1 − margin). Integer minor units, rounded down.
 */
import { findMarket, marketBlock } from './markets.ts';
import { payoutOf } from './money.ts';
import type { BetState, EventState } from './types.ts';

export type CashOutQuote = { ok: true; offerMinor: number } | { ok: false; reason: string };

export function cashOutQuote(state: EventState, bet: BetState): CashOutQuote {
  if (!state.config.cashOutEnabled) return { ok: false, reason: 'cash-out is disabled for this event' };
  if (bet.status !== 'accepted') return { ok: false, reason: `bet is ${bet.status}` };
  const market = findMarket(state, bet.marketId);
  if (!market) return { ok: false, reason: 'unknown market' };
  const block = marketBlock(state, market);
  if (block) return { ok: false, reason: block === 'bet/market_closed' ? 'market is closed' : 'market is suspended' };
  const selection = market.selections.find((s) => s.selectionId === bet.selectionId);
  if (!selection || selection.priceMilli <= 0) return { ok: false, reason: 'selection is not priced' };
  const offerMinor = Math.floor((payoutOf(bet.stakeMinor, bet.priceMilli) * selection.fairProb * (10_000 - state.config.cashOutMarginBps)) / 10_000);
  return offerMinor > 0 ? { ok: true, offerMinor } : { ok: false, reason: 'offer would be zero' };
}

/** The current offer is acceptable against the offer the client saw: current ≥ seen × (1 − tolerance). */
export function offerWithinTolerance(state: EventState, seenOfferMinor: number, currentOfferMinor: number): boolean {
  return currentOfferMinor * 10_000 >= seenOfferMinor * (10_000 - state.config.cashOutToleranceBps);
}
