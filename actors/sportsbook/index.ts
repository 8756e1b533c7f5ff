/** Live football event actor (markets, bets, settlement) and its feed model. The demo match simulator lives on the feed side (server/feed/simulator). */
export type * from './types.ts';
export { decide } from './decide.ts';
export { evolve } from './evolve.ts';
export { nextDeadline } from './lifecycle.ts';
export { DEFAULT_MARKET_WEIGHT, DEFAULT_PRICE_UNCERTAINTY, DEFAULT_SPORTSBOOK_CONFIG, sportsbookConfig, validateSportsbookConfig } from './config.ts';
export { marketInputSigma, preMatchQuoteTerms, quoteInput, type MarketFair, type PriceUncertaintyConfig, type QuoteState, type QuoteTerms } from './quote-policy.ts';
export { MAX_PRICE_FEED_JSON_LENGTH, parsePriceMessage, priceMessageSchema, type PriceMessage, type PriceParse } from './price-feed.ts';
export { MAX_QUOTE_BOOKSUM, MAX_QUOTE_DIVERGENCE } from './market-input.ts';
export { MAX_STAKE_FACTOR, effectiveLimits, isEngineOnlyPreMatch, type EffectiveLimits } from './limits.ts';
export { SPORTSBOOK_REJECTIONS, SPORTSBOOK_REJECTION_CODES, type SportsbookRejectionCode } from './codes.ts';
export { publicView, eventStatus, liabilityBySelection, liabilityOfSelection, type PublicEventView, type PublicMarket, type PublicSelection } from './view.ts';
export { allBets, getBet, playerStakeOf, retriedBet } from './bets.ts';
export { SHARD_COUNT, getIn, valuesOf, type Sharded } from './sharded.ts';
export { cashOutQuote, type CashOutQuote } from './cashout.ts';
export { payoutOf, liabilityOf } from './money.ts';
export { marketStatus, finalResult, initialMarketDefs, CORRECT_SCORE_MAX, CS_OTHER, TOTAL_GOALS_LINES } from './markets.ts';
export {
  EMPTY_SEQUENCER,
  MAX_FEED_JSON_LENGTH,
  bufferDeadline,
  expireBuffer,
  feedMessageSchema,
  offerMessage,
  parseFeedJson,
  parseFeedMessage,
  type BufferedMessage,
  type FeedMessageType,
  type FeedParse,
  type OfferOutcome,
  type SequenceStep,
  type SequencerLimits,
  type SequencerState,
} from './feed.ts';
export { hashSeed, mulberry32, rngFromSeed, type Rng } from './rng.ts';

import type { EventState, SportsEvent } from './types.ts';
import { evolve } from './evolve.ts';

/** Rebuilds the state from a journal (the first event must be EventCreated). */
export function replay(events: readonly SportsEvent[]): EventState | null {
  let state: EventState | null = null;
  for (const event of events) state = evolve(state, event);
  return state;
}

/** The command a room sends once after replaying its journal on restart/failover. */
export function recoveryCommand(now: number) {
  return { type: 'recover' as const, now };
}
