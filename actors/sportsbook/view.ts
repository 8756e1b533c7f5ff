/** What clients see: a compact projection of the event for the room's schema. Never includes bets. */
import { selectionKey } from '../odds/index.ts';
import { marketStatus } from './markets.ts';
import type { AutoSuspendReason, EventState, EventStatus, MarketStatus, Phase, ScorePair } from './types.ts';

export interface PublicSelection {
  selectionId: string;
  name: string;
  /** 0 when not offered. */
  priceMilli: number;
}

export interface PublicMarket {
  marketId: string;
  name: string;
  status: MarketStatus;
  selections: PublicSelection[];
}

export interface PublicEventView {
  eventId: string;
  league: string;
  home: string;
  away: string;
  startsAt: number;
  status: EventStatus;
  phase: Phase;
  /** Event-wide suspension (automatic or operator). */
  suspended: boolean;
  suspendReason: AutoSuspendReason | 'operator' | null;
  minute: number;
  score: ScorePair;
  reds: ScorePair;
  markets: PublicMarket[];
}

export function eventStatus(state: EventState): EventStatus {
  if (state.phase === 'scheduled') return 'scheduled';
  if (state.phase === 'finished' || state.phase === 'abandoned') return state.phase;
  return 'in_play';
}

export function publicView(state: EventState): PublicEventView {
  const live = state.phase !== 'finished' && state.phase !== 'abandoned';
  return {
    eventId: state.eventId,
    league: state.league,
    home: state.home,
    away: state.away,
    startsAt: state.startsAt,
    status: eventStatus(state),
    phase: state.phase,
    suspended: live && (state.operatorSuspension !== null || state.autoSuspension !== null),
    suspendReason: !live ? null : state.operatorSuspension ? 'operator' : (state.autoSuspension?.reason ?? null),
    minute: state.minute,
    score: { ...state.score },
    reds: { ...state.reds },
    markets: state.markets.map((m) => ({
      marketId: m.marketId,
      name: m.name,
      status: marketStatus(state, m),
      selections: m.selections.map((s) => ({ selectionId: s.selectionId, name: s.name, priceMilli: s.priceMilli })),
    })),
  };
}

/** House liability by 'marketId:selectionId' (accepted bets at their price + pending bets at the placement price). */
export function liabilityBySelection(state: EventState): Record<string, number> {
  return { ...state.liabilityMinor };
}

export function liabilityOfSelection(state: EventState, marketId: string, selectionId: string): number {
  return state.liabilityMinor[selectionKey(marketId, selectionId)] ?? 0;
}
