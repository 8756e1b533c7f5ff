/**
 * Events of the live sports event actor: what `decide` returns, what the journal keeps and what
 * `evolve` applies. The room turns some of them into wallet operations (docs/SPORTSBOOK.md).
 */
import type { FeedMessage, ScorePair } from './feed.ts';
import type {
  AcceptancePolicy, AutoSuspendReason, BetOutcomeKind, MarketDef, MarketResult, Phase, ProfitBoostTerms, SportsbookConfig,
} from './types.ts';

/** What the room turns into wallet operations for one bet. */
export interface BetOutcome {
  betId: string;
  playerId: string;
  stakeMinor: number;
  /** Gross credit: payout if won, 0 if lost, the stake (refund) if void, the offer if cashed out. */
  payoutMinor: number;
  outcome: BetOutcomeKind;
  /** The bet's accepted price (bonus wagering counts by price); absent in outcomes journaled before it was recorded. */
  priceMilli?: number;
}

export interface SettlementTotals {
  betCount: number;
  stakeMinor: number;
  payoutMinor: number;
}

export interface Correction {
  betId: string;
  playerId: string;
  stakeMinor: number;
  previousOutcome: BetOutcomeKind;
  outcome: BetOutcomeKind;
  previousPayoutMinor: number;
  payoutMinor: number;
  /** payoutMinor − previousPayoutMinor: > 0 the house pays the player, < 0 the player pays back. */
  deltaMinor: number;
}

export interface PriceChange {
  marketId: string;
  selectionId: string;
  priceMilli: number;
  fairProb: number;
}

export interface EventCreated {
  type: 'EventCreated';
  eventId: string;
  league: string;
  home: string;
  away: string;
  lambdaHome: number;
  lambdaAway: number;
  startsAt: number;
  config: SportsbookConfig;
  markets: MarketDef[];
  /** Absent in journals written before pricing models were versioned. */
  modelVersion?: string | null;
  at: number;
}

/** Market prices applied: the rates they imply and the pooled rates the event now prices from. */
export interface MarketPricesApplied {
  type: 'MarketPricesApplied';
  source: string;
  seq: number;
  quotedAt: number;
  oneXTwo: [number, number, number];
  overUnder?: { line: number; over: number; under: number };
  /** Rates implied by the prices (inverse fit) and the divergence it left. */
  marketLambdaHome: number;
  marketLambdaAway: number;
  divergence: number;
  /** Pooled with the model: what the event prices from now on. */
  lambdaHome: number;
  lambdaAway: number;
  at: number;
}

export interface FeedBuffered {
  type: 'FeedBuffered';
  message: FeedMessage;
  at: number;
}

export interface FeedGapSkipped {
  type: 'FeedGapSkipped';
  fromSeq: number;
  toSeq: number;
  at: number;
}

export interface FeedApplied {
  type: 'FeedApplied';
  message: FeedMessage;
  at: number;
}

/** In sequence but without effect (e.g. a goal reported at half-time); advances lastSeq only. */
export interface FeedIgnored {
  type: 'FeedIgnored';
  message: FeedMessage;
  reason: string;
  at: number;
}

/** A clock snapshot was ahead of the state (messages were lost in a gap): the state catches up. */
export interface StateCorrected {
  type: 'StateCorrected';
  seq: number;
  phase: Phase;
  score: ScorePair;
  reds: ScorePair;
  at: number;
}

export interface MarketsSuspended {
  type: 'MarketsSuspended';
  reason: AutoSuspendReason;
  resumeAt: number | null;
  at: number;
}

export interface MarketsResumed {
  type: 'MarketsResumed';
  at: number;
}

export interface EventSuspended {
  type: 'EventSuspended';
  reason: string;
  by: string;
  at: number;
}

/** Operator resume: clears the operator suspension and any automatic one. */
export interface EventResumed {
  type: 'EventResumed';
  reason: string;
  by: string;
  at: number;
}

export interface MarketSuspended {
  type: 'MarketSuspended';
  marketId: string;
  reason: string;
  by: string;
  at: number;
}

export interface MarketResumed {
  type: 'MarketResumed';
  marketId: string;
  reason: string;
  by: string;
  at: number;
}

export interface MarketOpened {
  type: 'MarketOpened';
  market: MarketDef;
  at: number;
}

export interface PricesUpdated {
  type: 'PricesUpdated';
  /** Only selections whose price or fair probability changed. */
  prices: PriceChange[];
  at: number;
}

/** Reserve the stake. Pre-match bets are followed by BetAccepted/BetRejected in the same decision. */
export interface BetRequested {
  type: 'BetRequested';
  betId: string;
  playerId: string;
  marketId: string;
  selectionId: string;
  stakeMinor: number;
  acceptance: AcceptancePolicy;
  requestedPriceMilli: number;
  /** Current price at placement (liability is reserved at it while pending); the boosted price for a boosted bet. */
  priceMilli: number;
  acceptAt: number;
  at: number;
  /** An odds boost's price (absent: none; and in events journaled before boosts existed). */
  boostedPriceMilli?: number;
  /** A profit boost's terms (absent: none). */
  profitBoost?: ProfitBoostTerms;
}

/** The bet stands at priceMilli; its stake stays reserved until settlement. */
export interface BetAccepted {
  type: 'BetAccepted';
  betId: string;
  playerId: string;
  marketId: string;
  selectionId: string;
  stakeMinor: number;
  priceMilli: number;
  at: number;
}

/** Release the stake reserved at BetRequested. */
export interface BetRejected {
  type: 'BetRejected';
  betId: string;
  playerId: string;
  stakeMinor: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  at: number;
}

export interface CashOutRequested {
  type: 'CashOutRequested';
  betId: string;
  playerId: string;
  offerMinor: number;
  currentOfferMinor: number;
  executeAt: number;
  at: number;
}

/** Capture the stake and pay outcome.payoutMinor (the offer). */
export interface CashOutExecuted {
  type: 'CashOutExecuted';
  betId: string;
  outcome: BetOutcome;
  at: number;
}

/** The bet stays open; no money moves. */
export interface CashOutRejected {
  type: 'CashOutRejected';
  betId: string;
  playerId: string;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  at: number;
}

/** won/lost: capture the stake and pay payoutMinor; void: release the stake. */
export interface MarketSettled {
  type: 'MarketSettled';
  marketId: string;
  result: MarketResult;
  outcomes: BetOutcome[];
  totals: SettlementTotals;
  at: number;
}

/** Every outcome is void: release each stake. */
export interface MarketVoided {
  type: 'MarketVoided';
  marketId: string;
  reason: string;
  by: string | null;
  outcomes: BetOutcome[];
  totals: SettlementTotals;
  at: number;
}

/** New ledger transfers of deltaMinor per correction; nothing already booked is edited. */
export interface MarketResettled {
  type: 'MarketResettled';
  marketId: string;
  previous: MarketResult;
  result: MarketResult;
  reason: string;
  by: string;
  corrections: Correction[];
  at: number;
}

/**
 * An operator resulted the event by hand (the feed failed or was wrong): the final score, then
 * full-time settlement of every market still open (settlement.ts), as the feed's full_time would.
 */
export interface EventSettledByOperator {
  type: 'EventSettledByOperator';
  score: ScorePair;
  reason: string;
  by: string;
  at: number;
}

export type SportsEvent =
  | EventCreated
  | MarketPricesApplied
  | FeedBuffered
  | FeedGapSkipped
  | FeedApplied
  | FeedIgnored
  | StateCorrected
  | MarketsSuspended
  | MarketsResumed
  | EventSuspended
  | EventResumed
  | MarketSuspended
  | MarketResumed
  | MarketOpened
  | PricesUpdated
  | BetRequested
  | BetAccepted
  | BetRejected
  | CashOutRequested
  | CashOutExecuted
  | CashOutRejected
  | MarketSettled
  | MarketVoided
  | MarketResettled
  | EventSettledByOperator;
