import { LOAD_EDGE_LIMITS, type Scenario } from './types.ts';

/**
 * The in-play peak around a goal: a large audience on live events (market rooms, measuring price
 * change → receipt), and a burst of bets right after the goal. The bettors still bet at roulette
 * tables: a live-market bettor (bet delay, odds-change acceptance, cash-out) is the next bot kind
 * to add (one file in bots/ and a line in bots/registry.ts).
 */
export const inplayPeak: Scenario = {
  name: 'inplay-peak',
  description: 'A 2,000-strong audience spread over the open live events (price change → receipt latency), 500 table spectators, and SDK bettors whose bet rate jumps 6× for the minute after a "goal" at 40 % of the run, then decays. Needs live events open (the demo schedule, SIM_SCHEDULE=on).',
  durationS: 180,
  rampUpS: 30,
  workers: 2,
  groups: [
    { kind: 'roulette-player', client: 'sdk', count: 300, betsPerSecond: 0.3, maxBetsPerRound: 45, removeShare: 0.01, dropsPerMinute: 0.3 },
    { kind: 'market-watcher', count: 2000 },
    { kind: 'roulette-watcher', client: 'lean', count: 500, decode: true, dropsPerMinute: 0.2 },
  ],
  rateProfile: [[0, 1], [0.4, 1], [0.42, 6], [0.6, 3], [0.75, 1]],
  watcherAccounts: 200,
  serverEnv: { ...LOAD_EDGE_LIMITS, ROULETTE_TABLES: '10', ROULETTE_BETTING_WINDOW_MS: '15000', ROULETTE_SPIN_MS: '3000', ROULETTE_PAUSE_MS: '3000', CLIENT_MESSAGES_PER_SECOND: '100', SIM_EVERY_MS: '10000', SIM_MS_PER_MINUTE: '1000', SIM_PRE_MATCH_MS: '60000' },
};
