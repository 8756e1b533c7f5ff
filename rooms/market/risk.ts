/**
 * The operators' risk view of one live event (GET /admin/risk/events/:eventId, through the
 * room's `risk()` method): house liability per selection (from the actor's book, see
 * "Limits and liability" in docs/SPORTSBOOK.md), the biggest exposures, the limits in force and
 * the players with the most at stake. Pure: computed from the event state on demand.
 */
import type { LegBook } from '../../actors/multiples/index.ts';
import { allBets, effectiveLimits, eventStatus, marketStatus, type EventState, type MarketInputState } from '../../actors/sportsbook/index.ts';

export interface SelectionRisk {
  marketId: string;
  marketName: string;
  marketStatus: string;
  selectionId: string;
  name: string;
  priceMilli: number;
  /** What the house loses net if this selection wins (accepted + pending bets). */
  liabilityMinor: number;
  /** Open (pending or accepted, unsettled) stakes and bets on it. */
  stakeMinor: number;
  bets: number;
  /** Weighted exposure of accumulator legs and bet builders on this selection (docs/SPORTSBOOK.md "Multiples"). */
  multiplesExposureMinor: number;
}

export interface EventRisk {
  eventId: string;
  home: string;
  away: string;
  league: string;
  status: string;
  phase: string;
  minute: number;
  score: { home: number; away: number };
  limits: { minStakeMinor: number; maxStakeMinor: number; maxPayoutMinor: number; maxLiabilityPerSelectionMinor: number; maxStakePerPlayerMinor: number; maxBetsPerEvent: number };
  /** What prices the event: the model version, its rates and ρ, and the market input if any. */
  pricing: {
    modelVersion: string | null;
    source: 'model' | 'model+market';
    rho: number;
    marketWeight: number;
    modelLambda: { home: number; away: number };
    /** The rates the event prices from now (pooled when there is market input). */
    lambda: { home: number; away: number };
    market: MarketInputState | null;
    /** Engine-only pre-match prices: the lower limits below are in force. */
    engineOnlyLimits: { maxStakeMinor: number; maxLiabilityPerSelectionMinor: number } | null;
  };
  betCount: number;
  openBets: number;
  openStakeMinor: number;
  /** Σ over markets of the market's largest selection liability (its worst outcome). */
  worstCaseMinor: number;
  markets: Array<{ marketId: string; name: string; status: string; worstCaseMinor: number; selections: SelectionRisk[] }>;
  /** Legs of multiples at this event: open (prepared or accepted, no result yet), their exposure, the biggest by selection. */
  multiples: { openLegs: number; builderLegs: number; exposureMinor: number; biggestExposures: Array<{ marketId: string; selectionId: string; exposureMinor: number }> };
  /** Up to 10 selections with the largest liability. */
  biggestExposures: SelectionRisk[];
  /** Up to 10 players by stake on the event, with their share of the per-player limit. */
  topPlayers: Array<{ playerId: string; stakeMinor: number; openBets: number; limitUsedBps: number }>;
}

const TOP = 10;

export function riskView(ev: EventState, legs?: LegBook): EventRisk {
  const exposure = legs?.exposureMinor ?? {};
  const open = allBets(ev).filter((b) => (b.status === 'pending' || b.status === 'accepted') && b.outcome === null);
  const bySelection = new Map<string, { stakeMinor: number; bets: number }>();
  const byPlayer = new Map<string, { stakeMinor: number; openBets: number }>();
  for (const b of allBets(ev)) {
    if (b.status === 'rejected') continue;
    const p = byPlayer.get(b.playerId) ?? { stakeMinor: 0, openBets: 0 };
    p.stakeMinor += b.stakeMinor;
    byPlayer.set(b.playerId, p);
  }
  for (const b of open) {
    const key = `${b.marketId}:${b.selectionId}`;
    const s = bySelection.get(key) ?? { stakeMinor: 0, bets: 0 };
    s.stakeMinor += b.stakeMinor;
    s.bets++;
    bySelection.set(key, s);
    byPlayer.get(b.playerId)!.openBets++;
  }
  const markets = ev.markets.map((m) => {
    const status = marketStatus(ev, m);
    const selections: SelectionRisk[] = m.selections.map((s) => {
      const key = `${m.marketId}:${s.selectionId}`;
      const agg = bySelection.get(key);
      return {
        marketId: m.marketId, marketName: m.name, marketStatus: status, selectionId: s.selectionId, name: s.name, priceMilli: s.priceMilli,
        liabilityMinor: ev.liabilityMinor[key] ?? 0, stakeMinor: agg?.stakeMinor ?? 0, bets: agg?.bets ?? 0, multiplesExposureMinor: exposure[key] ?? 0,
      };
    });
    return { marketId: m.marketId, name: m.name, status, worstCaseMinor: Math.max(0, ...selections.map((s) => s.liabilityMinor)), selections };
  });
  const c = ev.config;
  return {
    eventId: ev.eventId, home: ev.home, away: ev.away, league: ev.league, status: eventStatus(ev), phase: ev.phase, minute: ev.minute, score: { ...ev.score },
    limits: {
      minStakeMinor: c.minStakeMinor, maxStakeMinor: c.maxStakeMinor, maxPayoutMinor: c.maxPayoutMinor,
      maxLiabilityPerSelectionMinor: c.maxLiabilityPerSelectionMinor, maxStakePerPlayerMinor: c.maxStakePerPlayerMinor, maxBetsPerEvent: c.maxBetsPerEvent,
    },
    pricing: {
      modelVersion: ev.modelVersion,
      source: ev.market ? 'model+market' : 'model',
      rho: c.pricing.rho,
      marketWeight: c.pricing.marketWeight,
      modelLambda: { ...ev.modelLambda },
      lambda: { home: ev.lambdaHome, away: ev.lambdaAway },
      market: ev.market ? { ...ev.market } : null,
      engineOnlyLimits: (() => {
        const l = effectiveLimits(ev);
        return l.engineOnly ? { maxStakeMinor: l.maxStakeMinor, maxLiabilityPerSelectionMinor: l.maxLiabilityPerSelectionMinor } : null;
      })(),
    },
    multiples: multiplesRisk(legs),
    betCount: ev.betCount,
    openBets: open.length,
    openStakeMinor: open.reduce((s, b) => s + b.stakeMinor, 0),
    worstCaseMinor: markets.reduce((s, m) => s + m.worstCaseMinor, 0),
    markets,
    biggestExposures: markets.flatMap((m) => m.selections).filter((s) => s.liabilityMinor > 0).sort((a, b) => b.liabilityMinor - a.liabilityMinor).slice(0, TOP),
    topPlayers: [...byPlayer.entries()]
      .map(([playerId, p]) => ({ playerId, ...p, limitUsedBps: c.maxStakePerPlayerMinor > 0 ? Math.round((p.stakeMinor * 10_000) / c.maxStakePerPlayerMinor) : 0 }))
      .sort((a, b) => b.stakeMinor - a.stakeMinor)
      .slice(0, TOP),
  };
}

function multiplesRisk(legs: LegBook | undefined): EventRisk['multiples'] {
  const open = legs ? Object.values(legs.legs).filter((l) => (l.status === 'prepared' || l.status === 'accepted') && l.result === null) : [];
  const entries = Object.entries(legs?.exposureMinor ?? {});
  return {
    openLegs: open.length,
    builderLegs: open.filter((l) => l.selections.length > 1).length,
    exposureMinor: open.reduce((s, l) => s + l.exposureMinor, 0),
    biggestExposures: entries
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([key, exposureMinor]) => { const i = key.lastIndexOf(':'); return { marketId: key.slice(0, i), selectionId: key.slice(i + 1), exposureMinor }; }),
  };
}
