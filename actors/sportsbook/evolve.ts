/**
 * evolve(state, event) → state: total and pure; states are never mutated. Events come from
 * `decide` (or the journal), so they are trusted: an event naming an unknown bet or market is a
 * no-op rather than an error, which keeps replay total.
 */
import { selectionKey } from '../odds/index.ts';
import { DEFAULT_SPORTSBOOK_CONFIG } from './config.ts';
import { EMPTY_SEQUENCER, type FeedMessage, type SequencerState } from './feed.ts';
import { getBet } from './bets.ts';
import { liabilityOf } from './money.ts';
import { marketFairOf } from './quote-policy.ts';
import { emptySharded, getIn, setIn, updateIn } from './sharded.ts';
import type { BetOutcome, BetState, EventState, MarketState, PendingDelay, SportsEvent } from './types.ts';

export function evolve(state: EventState | null, event: SportsEvent): EventState {
  if (event.type === 'EventCreated') return created(event);
  if (state === null) throw new Error(`sportsbook evolve: ${event.type} before EventCreated`);
  switch (event.type) {
    case 'MarketPricesApplied':
      return {
        ...state,
        lambdaHome: event.lambdaHome,
        lambdaAway: event.lambdaAway,
        market: {
          source: event.source,
          seq: event.seq,
          quotedAt: event.quotedAt,
          appliedAt: event.at,
          lambdaHome: event.marketLambdaHome,
          lambdaAway: event.marketLambdaAway,
          ...marketFairOf(event, state.config.pricing.marketRemoval),
        },
      };
    case 'FeedBuffered': {
      const buffer = [...state.feed.buffer, { message: event.message, receivedAt: event.at }].sort((a, b) => a.message.seq - b.message.seq);
      return { ...state, feed: { ...state.feed, buffer } };
    }
    case 'FeedGapSkipped':
      return { ...state, feed: advanceFeed(state.feed, event.toSeq) };
    case 'FeedIgnored':
      return { ...state, feed: advanceFeed(state.feed, event.message.seq) };
    case 'FeedApplied':
      return applyIncident({ ...state, feed: advanceFeed(state.feed, event.message.seq) }, event.message, event.at);
    case 'StateCorrected':
      return { ...state, phase: event.phase, score: { ...event.score }, reds: { ...event.reds } };
    case 'EventSettledByOperator':
      return { ...state, phase: 'finished', score: { ...event.score }, minute: Math.max(state.minute, 90), endedAt: event.at };
    case 'MarketsSuspended':
      return markInterrupted({ ...state, autoSuspension: { reason: event.reason, since: event.at, resumeAt: event.resumeAt } }, () => true);
    case 'MarketsResumed':
      return { ...state, autoSuspension: null };
    case 'EventSuspended':
      return markInterrupted({ ...state, operatorSuspension: { reason: event.reason, by: event.by, at: event.at } }, () => true);
    case 'EventResumed':
      return { ...state, operatorSuspension: null, autoSuspension: null };
    case 'MarketSuspended': {
      const next = updateMarket(state, event.marketId, (m) => ({ ...m, operatorSuspension: { reason: event.reason, by: event.by, at: event.at } }));
      return markInterrupted(next, (bet) => bet.marketId === event.marketId);
    }
    case 'MarketResumed':
      return updateMarket(state, event.marketId, (m) => ({ ...m, operatorSuspension: null }));
    case 'MarketOpened': {
      if (state.markets.some((m) => m.marketId === event.market.marketId)) return state;
      return { ...state, markets: [...state.markets, newMarket(event.market)] };
    }
    case 'PricesUpdated':
      return applyPrices(state, event.prices);
    case 'BetRequested': {
      const bet: BetState = {
        betId: event.betId,
        number: state.betCount + 1,
        playerId: event.playerId,
        marketId: event.marketId,
        selectionId: event.selectionId,
        stakeMinor: event.stakeMinor,
        acceptance: event.acceptance,
        requestedPriceMilli: event.requestedPriceMilli,
        priceMilli: event.priceMilli,
        status: 'pending',
        placedAt: event.at,
        acceptAt: event.acceptAt,
        interrupted: false,
        rejectionCode: null,
        cashOut: null,
        outcome: null,
        payoutMinor: null,
        settledAt: null,
        ...(event.boostedPriceMilli === undefined ? {} : { boostedPriceMilli: event.boostedPriceMilli }),
        ...(event.profitBoost === undefined ? {} : { profitBoost: event.profitBoost }),
      };
      return {
        ...state,
        bets: setIn(state.bets, bet.betId, bet),
        betCount: state.betCount + 1,
        pending: addPending(state.pending, bet.betId, bet.acceptAt),
        liabilityMinor: addTo(state.liabilityMinor, selectionKey(bet.marketId, bet.selectionId), liabilityOf(bet.stakeMinor, bet.priceMilli)),
        playerStakeMinor: addStake(state, bet.playerId, bet.stakeMinor),
      };
    }
    case 'BetAccepted': {
      const bet = getBet(state, event.betId);
      if (!bet || bet.status !== 'pending') return state;
      const key = selectionKey(bet.marketId, bet.selectionId);
      const delta = liabilityOf(bet.stakeMinor, event.priceMilli) - liabilityOf(bet.stakeMinor, bet.priceMilli);
      return {
        ...withBet(state, { ...bet, status: 'accepted', priceMilli: event.priceMilli }),
        pending: removePending(state.pending, bet.betId),
        liabilityMinor: addTo(state.liabilityMinor, key, delta),
      };
    }
    case 'BetRejected': {
      const bet = getBet(state, event.betId);
      if (!bet || bet.status !== 'pending') return state;
      return {
        ...withBet(state, { ...bet, status: 'rejected', rejectionCode: event.code }),
        pending: removePending(state.pending, bet.betId),
        liabilityMinor: addTo(state.liabilityMinor, selectionKey(bet.marketId, bet.selectionId), -liabilityOf(bet.stakeMinor, bet.priceMilli)),
        playerStakeMinor: addStake(state, bet.playerId, -bet.stakeMinor),
      };
    }
    case 'CashOutRequested': {
      const bet = getBet(state, event.betId);
      if (!bet) return state;
      const cashOut = { offerMinor: event.offerMinor, requestedAt: event.at, executeAt: event.executeAt, interrupted: false };
      return { ...withBet(state, { ...bet, cashOut }), pending: addPending(state.pending, bet.betId, event.executeAt) };
    }
    case 'CashOutRejected': {
      const bet = getBet(state, event.betId);
      if (!bet) return state;
      return { ...withBet(state, { ...bet, cashOut: null }), pending: removePending(state.pending, bet.betId) };
    }
    case 'CashOutExecuted': {
      const bet = getBet(state, event.betId);
      if (!bet || bet.status !== 'accepted') return state;
      const next = settleBets(state, [event.outcome], event.at);
      return { ...next, pending: removePending(next.pending, bet.betId) };
    }
    case 'MarketSettled':
    case 'MarketVoided': {
      const result = event.type === 'MarketSettled' ? event.result : { kind: 'void' as const, reason: event.reason };
      const next = updateMarket(state, event.marketId, (m) => ({ ...m, result, resultAt: event.at }));
      return settleBets(next, event.outcomes, event.at);
    }
    case 'MarketResettled': {
      const next = updateMarket(state, event.marketId, (m) => ({ ...m, result: event.result, resultAt: event.at, resettlements: m.resettlements + 1 }));
      const changes: Array<[string, BetState]> = [];
      for (const c of event.corrections) {
        const bet = getBet(next, c.betId);
        if (bet) changes.push([c.betId, { ...bet, outcome: c.outcome, payoutMinor: c.payoutMinor }]);
      }
      return { ...next, bets: updateIn(next.bets, changes) };
    }
  }
}

function created(event: Extract<SportsEvent, { type: 'EventCreated' }>): EventState {
  return {
    eventId: event.eventId,
    league: event.league,
    home: event.home,
    away: event.away,
    lambdaHome: event.lambdaHome,
    lambdaAway: event.lambdaAway,
    modelLambda: { home: event.lambdaHome, away: event.lambdaAway },
    modelVersion: event.modelVersion ?? null,
    market: null,
    startsAt: event.startsAt,
    createdAt: event.at,
    // Journals from before a config field existed replay with its default.
    config: { ...DEFAULT_SPORTSBOOK_CONFIG, ...event.config, pricing: { ...DEFAULT_SPORTSBOOK_CONFIG.pricing, ...event.config.pricing } },
    phase: 'scheduled',
    minute: 0,
    score: { home: 0, away: 0 },
    reds: { home: 0, away: 0 },
    autoSuspension: null,
    operatorSuspension: null,
    feed: EMPTY_SEQUENCER,
    markets: event.markets.map(newMarket),
    bets: emptySharded(),
    betCount: 0,
    pending: [],
    liabilityMinor: {},
    playerStakeMinor: emptySharded(),
    endedAt: null,
  };
}

function newMarket(def: { marketId: string; name: string; selections: Array<{ selectionId: string; name: string }> }): MarketState {
  return {
    marketId: def.marketId,
    name: def.name,
    selections: def.selections.map((s) => ({ selectionId: s.selectionId, name: s.name, priceMilli: 0, fairProb: 0 })),
    operatorSuspension: null,
    result: null,
    resultAt: null,
    resettlements: 0,
  };
}

function advanceFeed(feed: SequencerState, seq: number): SequencerState {
  const lastSeq = Math.max(feed.lastSeq, seq);
  return { lastSeq, buffer: feed.buffer.filter((b) => b.message.seq > lastSeq) };
}

function applyIncident(state: EventState, message: FeedMessage, at: number): EventState {
  const minute = message.minute ?? state.minute;
  switch (message.type) {
    case 'kick_off':
      return { ...state, phase: 'first_half', minute: message.minute ?? 0 };
    case 'half_time':
      return { ...state, phase: 'half_time', minute: Math.max(minute, 45) };
    case 'second_half_kick_off':
      return { ...state, phase: 'second_half', minute: message.minute ?? 45 };
    case 'full_time':
      return { ...state, phase: 'finished', minute: Math.max(minute, 90), endedAt: at };
    case 'abandoned':
      return { ...state, phase: 'abandoned', minute, endedAt: at };
    case 'goal':
      return { ...state, minute, score: { ...state.score, [message.team]: state.score[message.team] + 1 } };
    case 'red_card':
      return { ...state, minute, reds: { ...state.reds, [message.team]: state.reds[message.team] + 1 } };
    case 'penalty_awarded':
    case 'penalty_missed':
    case 'clock':
      return { ...state, minute };
  }
}

/** Flags pending bets and pending cash-outs matching `which`: a suspension fell inside their delay. */
function markInterrupted(state: EventState, which: (bet: BetState) => boolean): EventState {
  const changes: Array<[string, BetState]> = [];
  for (const { betId: id } of state.pending) {
    const bet = getBet(state, id);
    if (!bet || !which(bet)) continue;
    if (bet.status === 'pending' && !bet.interrupted) changes.push([id, { ...bet, interrupted: true }]);
    else if (bet.cashOut && !bet.cashOut.interrupted) changes.push([id, { ...bet, cashOut: { ...bet.cashOut, interrupted: true } }]);
  }
  return changes.length === 0 ? state : { ...state, bets: updateIn(state.bets, changes) };
}

function updateMarket(state: EventState, marketId: string, change: (m: MarketState) => MarketState): EventState {
  const index = state.markets.findIndex((m) => m.marketId === marketId);
  if (index < 0) return state;
  const markets = [...state.markets];
  markets[index] = change(markets[index]);
  return { ...state, markets };
}

function applyPrices(state: EventState, prices: ReadonlyArray<{ marketId: string; selectionId: string; priceMilli: number; fairProb: number }>): EventState {
  const byMarket = new Map<string, Map<string, { priceMilli: number; fairProb: number }>>();
  for (const p of prices) {
    if (!byMarket.has(p.marketId)) byMarket.set(p.marketId, new Map());
    byMarket.get(p.marketId)!.set(p.selectionId, p);
  }
  const markets = state.markets.map((m) => {
    const changes = byMarket.get(m.marketId);
    if (!changes) return m;
    return {
      ...m,
      selections: m.selections.map((s) => {
        const c = changes.get(s.selectionId);
        return c ? { ...s, priceMilli: c.priceMilli, fairProb: c.fairProb } : s;
      }),
    };
  });
  return { ...state, markets };
}

/** Inserts keeping the list ascending by dueAt, after any equal dueAt (request order). */
function addPending(pending: readonly PendingDelay[], betId: string, dueAt: number): PendingDelay[] {
  let index = pending.length;
  while (index > 0 && pending[index - 1].dueAt > dueAt) index--;
  return [...pending.slice(0, index), { betId, dueAt }, ...pending.slice(index)];
}

function removePending(pending: readonly PendingDelay[], betId: string): PendingDelay[] {
  if (pending.length > 0 && pending[0].betId === betId) return pending.slice(1); // the usual case: the oldest resolves
  return pending.filter((p) => p.betId !== betId);
}

function withBet(state: EventState, bet: BetState): EventState {
  return { ...state, bets: setIn(state.bets, bet.betId, bet) };
}

/** Outcomes of settled, voided or cashed-out bets: final status, outcome, gross payout; liability released. */
function settleBets(state: EventState, outcomes: readonly BetOutcome[], at: number): EventState {
  if (outcomes.length === 0) return state;
  const changes: Array<[string, BetState]> = [];
  let liabilityMinor = state.liabilityMinor;
  for (const o of outcomes) {
    const bet = getBet(state, o.betId);
    if (!bet) continue;
    if (bet.status === 'accepted') liabilityMinor = addTo(liabilityMinor, selectionKey(bet.marketId, bet.selectionId), -liabilityOf(bet.stakeMinor, bet.priceMilli));
    changes.push([o.betId, { ...bet, status: 'settled', outcome: o.outcome, payoutMinor: o.payoutMinor, settledAt: at, cashOut: null }]);
  }
  return { ...state, bets: updateIn(state.bets, changes), liabilityMinor };
}

function addStake(state: EventState, playerId: string, delta: number): EventState['playerStakeMinor'] {
  const value = (getIn(state.playerStakeMinor, playerId) ?? 0) + delta;
  return setIn(state.playerStakeMinor, playerId, value === 0 ? undefined : value);
}

/** Adds delta to record[key], dropping the key when it reaches zero (keeps state small and canonical). */
function addTo(record: Readonly<Record<string, number>>, key: string, delta: number): Record<string, number> {
  if (delta === 0) return record as Record<string, number>;
  const value = (record[key] ?? 0) + delta;
  const next = { ...record };
  if (value === 0) delete next[key];
  else next[key] = value;
  return next;
}
