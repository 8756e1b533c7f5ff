import { LOAD_EDGE_LIMITS, type Scenario } from './types.ts';

/**
 * Multiples across live events on a cluster: accumulators (2–6 legs), system bets and bet builder
 * legs spread over every open event (20 or more), each slip's legs registered at rooms that live on
 * different processes. Run it against two server processes sharing Redis and a store (PM2, or
 * `REDIS_URL` by hand) with the demo schedule giving ~20 live events (the `serverEnv` below:
 * a kick-off every 10 s, 2 s per match minute); the books check then holds every accepted slip
 * against its journal, its stake hold and its payouts (load-tests/check/slip-books.ts).
 * test/load/accumulators.test.ts runs a short version on two processes with 20 operator events.
 */
export const accumulators: Scenario = {
  name: 'accumulators',
  description: 'Bettors of multiples (accumulators of 2–6 legs, Trixie/Yankee/Lucky 15/doubles, bet builder legs) over 20+ live events on two processes, with an audience on the events; the books check covers every accepted slip.',
  durationS: 120,
  rampUpS: 15,
  workers: 1,
  groups: [
    { kind: 'market-accumulator', count: 100, slipsPerSecond: 0.2, minLegs: 2, maxLegs: 6, systemShare: 0.2, builderShare: 0.2 },
    { kind: 'market-watcher', count: 200 },
  ],
  watcherAccounts: 20,
  serverEnv: { ...LOAD_EDGE_LIMITS, ROULETTE_TABLES: '1', SIM_EVERY_MS: '10000', SIM_MS_PER_MINUTE: '2000', SIM_PRE_MATCH_MS: '60000', BET_DELAY_MS: '2000' },
};
