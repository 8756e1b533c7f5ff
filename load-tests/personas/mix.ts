/**
 * A persona mix: how many of each persona (rings count as one unit each) over one simulated week,
 * and the time-ordered risk events they produce, with each player's persona as its label.
 */
import type { RiskEvent } from '../../actors/risk/index.ts';
import { ABUSIVE, GENERATORS, resetPlayerSeq, type Persona } from './personas.ts';
import { World } from './world.ts';
import { loadRealMarkets, type RealMarket } from './real-prices.ts';

export type MixCounts = Record<Persona, number>;

/** Default mix: about 1,000 honest accounts and about 100 abusive ones (operators see roughly that share). */
export const DEFAULT_MIX: MixCounts = {
  casual: 400, in_play_fan: 200, high_roller: 60, bonus_player: 120, household: 60, winner_withdraws: 80, heavy_punter: 40,
  sharp: 20, bonus_ring: 5, multi_account_ring: 5, latency: 15, stolen_card: 20,
};

export interface PersonaMix {
  seed: string;
  events: RiskEvent[];
  /** playerId → persona. */
  labels: Map<string, Persona>;
}

export function isAbusive(p: Persona): boolean {
  return (ABUSIVE as readonly string[]).includes(p);
}

export function buildMix(seed: string, counts: MixCounts = DEFAULT_MIX, start = Date.UTC(2026, 0, 5), real: readonly RealMarket[] = loadRealMarkets()): PersonaMix {
  resetPlayerSeq();
  const world = new World(seed, start, 7, 40, real);
  const labels = new Map<string, Persona>();
  const events: RiskEvent[] = [];
  // Incidents are the feed's: published once per match, whoever bets.
  for (const m of world.matches) for (const t of m.incidents) events.push({ type: 'incident', id: world.id('incident'), at: t, eventId: m.eventId, kind: 'goal' });
  for (const [persona, n] of Object.entries(counts) as Array<[Persona, number]>) {
    for (let i = 0; i < n; i++) {
      for (const a of GENERATORS[persona](world)) {
        labels.set(a.playerId, persona);
        events.push(...a.events);
      }
    }
  }
  // The stream's order: by time (ties: as generated).
  events.sort((a, b) => a.at - b.at);
  return { seed, events, labels };
}
