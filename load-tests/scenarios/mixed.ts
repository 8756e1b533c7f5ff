import { LOAD_EDGE_LIMITS, type Scenario } from './types.ts';

/** Everything at once: SDK players, lean bettors, decoding and non-decoding spectators. */
export const mixed: Scenario = {
  name: 'mixed',
  description: 'SDK players with every behaviour (lobby, bets, take-backs, drops, table changes), lean bettors, and a large lean audience of which a part decodes state.',
  durationS: 180,
  rampUpS: 30,
  workers: 2,
  groups: [
    { kind: 'roulette-player', client: 'sdk', count: 150, betsPerSecond: 0.5, maxBetsPerRound: 40, removeShare: 0.05, dropsPerMinute: 0.5, leavesPerMinute: 0.2 },
    { kind: 'roulette-player', client: 'lean', count: 300, betsPerSecond: 1, maxBetsPerRound: 40, removeShare: 0.02, dropsPerMinute: 0.2 },
    { kind: 'roulette-watcher', client: 'lean', count: 500, decode: true, dropsPerMinute: 0.2 },
    { kind: 'roulette-watcher', client: 'lean', count: 2000, decode: false },
  ],
  watcherAccounts: 200,
  serverEnv: { ...LOAD_EDGE_LIMITS, ROULETTE_TABLES: '20', ROULETTE_BETTING_WINDOW_MS: '15000', ROULETTE_SPIN_MS: '4000', ROULETTE_PAUSE_MS: '6000', CLIENT_MESSAGES_PER_SECOND: '100' },
};
