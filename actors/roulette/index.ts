/** European (single-zero) roulette table actor: the public surface for rooms, tools and tests. */
export type * from './types.ts';
export { decide } from './decide.ts';
export { evolve, initialTableState } from './evolve.ts';
export { nextDeadline, recover, roundIdOf, tickEvents } from './lifecycle.ts';
export { DEFAULT_TABLE_CONFIG, MAX_GROSS_MULTIPLE, tableConfig, validateTableConfig } from './config.ts';
export { ROULETTE_REJECTIONS, ROULETTE_REJECTION_CODES, type RouletteRejectionCode } from './codes.ts';
export {
  ALL_INSIDE_BETS,
  ALL_OUTSIDE_BETS,
  PAYOUT_ODDS,
  coveredPockets,
  normalizeSpot,
  payoutFor,
  playerBets,
  retriedBet,
  spotCovers,
  spotKey,
  stakeBySpot,
} from './bets.ts';
export { INSIDE_BET_NUMBERS, POCKET_COUNT, RED_NUMBERS, columnOf, dozenOf, pocketColor, rowOf, type PocketColor } from './layout.ts';
export {
  ACCEPT_BELOW,
  deriveRoulettePocket,
  hashServerSeed,
  isValidClientSeed,
  isValidServerSeed,
  roundClientSeed,
  traceRoulettePocket,
  verifyRound,
  type DrawTrace,
  type RoundProof,
  type RoundVerification,
} from './fairness.ts';

import type { RecoverCommand } from './types.ts';

/** The command a room sends once after replaying its journal on restart/failover. */
export function recoveryCommand(now: number): RecoverCommand {
  return { type: 'recover', now };
}
