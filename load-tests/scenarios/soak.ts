import { LOAD_EDGE_LIMITS, type Scenario } from './types.ts';

/** A long, moderate run: watch for leaks (RSS), creeping latency and money drift over time. */
export const soak: Scenario = {
  name: 'soak',
  description: 'Thirty minutes of steady, moderate play with constant churn (drops, reconnects, table changes); the report\'s server RSS and bet-ack p99 over time show leaks and drift.',
  durationS: 1800,
  rampUpS: 60,
  workers: 1,
  groups: [
    { kind: 'roulette-player', client: 'sdk', count: 150, betsPerSecond: 0.3, maxBetsPerRound: 30, removeShare: 0.03, dropsPerMinute: 0.5, leavesPerMinute: 0.3 },
    { kind: 'roulette-watcher', client: 'lean', count: 500, decode: true, dropsPerMinute: 0.5 },
  ],
  watcherAccounts: 100,
  serverEnv: { ...LOAD_EDGE_LIMITS, ROULETTE_TABLES: '10', ROULETTE_BETTING_WINDOW_MS: '15000', ROULETTE_SPIN_MS: '4000', ROULETTE_PAUSE_MS: '6000', CLIENT_MESSAGES_PER_SECOND: '100' },
};
