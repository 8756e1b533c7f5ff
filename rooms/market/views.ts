/** What a live event's room tells its players about their bets, and how it lists the event. */
import { cashOutQuote, eventStatus, getBet, type BetState, type EventState } from '../../actors/sportsbook/index.ts';
import type { EventRecord } from '../../server/store/types.ts';

export function betView(b: BetState) {
  return {
    betId: b.betId, marketId: b.marketId, selectionId: b.selectionId, stakeMinor: b.stakeMinor, priceMilli: b.priceMilli,
    requestedPriceMilli: b.requestedPriceMilli, acceptance: b.acceptance, status: b.status, acceptAt: b.acceptAt,
    rejectionCode: b.rejectionCode, outcome: b.outcome, payoutMinor: b.payoutMinor, cashOutPending: b.cashOut !== null,
    ...(b.profitBoost ? { profitBoost: { boostPct: b.profitBoost.boostPct, maxExtraMinor: b.profitBoost.maxExtraMinor } } : {}),
  };
}

/** A player's bets on the event, each open one with its current cash-out offer. */
/** A player's bets (their ids, in placement order) with the current cash-out offer of each open one. */
export function playerBetsView(ev: EventState, betIds: readonly string[]) {
  return betIds.flatMap((id) => {
    const b = getBet(ev, id);
    return b ? [{ ...betView(b), cashOut: b.status === 'accepted' && b.outcome === null ? cashOutQuote(ev, b) : null }] : [];
  });
}

/** The event's listing (GET /events, lobby): status, score and whole minutes. */
export function listingOf(ev: EventState, now: number): EventRecord {
  return {
    eventId: ev.eventId, status: eventStatus(ev), league: ev.league, home: ev.home, away: ev.away, lambdaHome: ev.modelLambda.home, lambdaAway: ev.modelLambda.away,
    rho: ev.config.pricing.rho, ...(ev.modelVersion ? { modelVersion: ev.modelVersion } : {}),
    startsAt: ev.startsAt, minute: Math.floor(ev.minute), score: { ...ev.score }, updatedAt: now,
  };
}
