import { LOAD_EDGE_LIMITS, type Scenario } from './types.ts';

/** Casino tables only: SDK players betting through whole rounds, with some spectators. */
export const tablesOnly: Scenario = {
  name: 'tables-only',
  description: 'Roulette players on the official SDK pick tables in the lobby and bet every round (mostly outside bets, log-normal stakes); a few take bets back, drop and reconnect, or change tables. Lean spectators watch.',
  durationS: 120,
  rampUpS: 20,
  workers: 1,
  groups: [
    { kind: 'roulette-player', client: 'sdk', count: 200, betsPerSecond: 0.5, maxBetsPerRound: 40, removeShare: 0.03, dropsPerMinute: 0.2, leavesPerMinute: 0.1 },
    { kind: 'roulette-watcher', client: 'lean', count: 200, decode: true, dropsPerMinute: 0.1 },
  ],
  watcherAccounts: 50,
  serverEnv: { ...LOAD_EDGE_LIMITS, ROULETTE_TABLES: '10', ROULETTE_BETTING_WINDOW_MS: '15000', ROULETTE_SPIN_MS: '4000', ROULETTE_PAUSE_MS: '6000', CLIENT_MESSAGES_PER_SECOND: '100' },
};
