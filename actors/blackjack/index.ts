/** Blackjack table actor: the public surface for rooms, tools and tests (rules: docs/BLACKJACK.md). */
export type * from './types.ts';
export { decide, newStakes } from './decide.ts';
export { evolve, initialTableState, isSplitAces } from './evolve.ts';
export { nextDeadline, recover } from './flow.ts';
export { DEFAULT_BLACKJACK_CONFIG, blackjackConfig, validateBlackjackConfig } from './config.ts';
export { BLACKJACK_REJECTIONS, BLACKJACK_REJECTION_CODES, type BlackjackRejectionCode } from './codes.ts';
export { cardCode, handTotal, isNatural, parseCard, pointsOf, rankOf, type Card, type HandTotal } from './cards.ts';
export { WordStream, roundIdOf, shoeIdOf, shuffleShoe } from './shoe.ts';
export { settleSeats } from './settle.ts';
export { basicStrategy, type StrategyView } from './strategy.ts';

import type { RecoverCommand } from './types.ts';

/** The command a room sends once after replaying its journal on restart/failover. */
export function recoveryCommand(now: number): RecoverCommand {
  return { type: 'recover', now };
}
