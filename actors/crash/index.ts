/** Crash table actor (multiplier game, bustabit-style provably fair chain): the public surface for rooms, tools and tests. */
export type * from './types.ts';
export { decide, retriedBet } from './decide.ts';
export { evolve, exitCentsOf, initialCrashState } from './evolve.ts';
export { dueEvents, nextDeadline, recover, roundHashNeeded, roundIdOf, tickEvents } from './lifecycle.ts';
export { liabilityCapCents, nextOnCurve } from './run.ts';
export { DEFAULT_CRASH_CONFIG, crashConfig, validateCrashConfig } from './config.ts';
export { CRASH_REJECTIONS, CRASH_REJECTION_CODES, type CrashRejectionCode } from './codes.ts';
export { CURVE_K_PER_MS, formatMultiplier, msToReach, multiplierCentsAt, payoutAt } from './curve.ts';
export { HashChain } from './chain.ts';
export { MAX_CRASH_CENTS, chainNext, chainTerminal, crashElapsedMs, crashPointOf, isChainHash, verifyChainLink, type ChainVerification, type CrashPoint } from './fairness.ts';

import type { RecoverCommand } from './types.ts';

/** The command a room sends once after replaying its journal on restart/failover. */
export function recoveryCommand(now: number): RecoverCommand {
  return { type: 'recover', now };
}
