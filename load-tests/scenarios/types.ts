/** A load scenario: who connects, how fast they arrive, how long they stay and how hard they bet. */
import type { BotConfig } from '../bots/registry.ts';

export interface Scenario {
  name: string;
  description: string;
  durationS: number;
  /** Bots start spread evenly over this time. */
  rampUpS: number;
  /** Bot processes; 0 runs the bots inside the runner (small runs, tests). */
  workers: number;
  groups: BotConfig[];
  /** Bet-rate multiplier over the run: [fraction of the duration, multiplier], linear in between. */
  rateProfile?: Array<[number, number]>;
  /** Watchers share this many accounts (they only watch). */
  watcherAccounts?: number;
  /** Server settings the scenario was written for (what `npm start` should be given). */
  serverEnv: Record<string, string>;
}

/**
 * The edge's abuse limits (docs/OPERATIONS.md) are set for people; every bot of a load run comes
 * from one address and watchers share accounts, so a load server lifts them.
 */
export const LOAD_EDGE_LIMITS: Record<string, string> = {
  MATCHMAKE_PER_IP: '1000000',
  MATCHMAKE_PER_PLAYER: '100000',
  ROOM_CONNECTIONS_PER_PLAYER: '1000',
  REGISTRATIONS_PER_IP: '1000000',
  AUTH_REQUESTS_PER_IP: '1000000',
};

export function totalBots(s: Scenario): number {
  return s.groups.reduce((n, g) => n + g.count, 0);
}

/** Scales every group to make `bots` in all (at least one per non-empty group). */
export function scaleBots(s: Scenario, bots: number): Scenario {
  const total = totalBots(s);
  if (total === 0 || bots === total) return s;
  return { ...s, groups: s.groups.map((g) => ({ ...g, count: g.count === 0 ? 0 : Math.max(1, Math.round((g.count * bots) / total)) })) };
}

/** The multiplier at `fraction` (0..1) of the run. */
export function rateAt(profile: Scenario['rateProfile'], fraction: number): number {
  if (!profile || profile.length === 0) return 1;
  if (fraction <= profile[0]![0]) return profile[0]![1];
  for (let i = 1; i < profile.length; i++) {
    const [f1, m1] = profile[i]!;
    const [f0, m0] = profile[i - 1]!;
    if (fraction <= f1) return f1 === f0 ? m1 : m0 + ((m1 - m0) * (fraction - f0)) / (f1 - f0);
  }
  return profile[profile.length - 1]![1];
}
