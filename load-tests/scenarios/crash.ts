import { LOAD_EDGE_LIMITS, type Scenario } from './types.ts';

/** One crash room full of players betting every round, half with auto cash-outs, half cashing out by hand. */
export const crash: Scenario = {
  name: 'crash',
  description: 'SDK crash players in one crash room: most bet every round, half with an auto cash-out at a random target, half cashing out by hand at their own target; a few roulette players alongside.',
  durationS: 120,
  rampUpS: 15,
  workers: 2,
  groups: [
    { kind: 'crash-player', client: 'sdk', count: 300, betShare: 0.9, autoShare: 0.5, minTarget: 1.1, maxTarget: 5 },
    { kind: 'roulette-player', client: 'lean', count: 20, betsPerSecond: 0.5, maxBetsPerRound: 20 },
  ],
  serverEnv: { ...LOAD_EDGE_LIMITS, ROULETTE_TABLES: '2', CRASH_ROOMS: '1', CRASH_BETTING_WINDOW_MS: '8000', CRASH_PAUSE_MS: '3000', CLIENT_MESSAGES_PER_SECOND: '100' },
};
