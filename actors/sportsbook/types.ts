/**
 * Shapes of the live sports event actor (football): config, state and commands (its events are in events.ts).
 * Money is integer minor units; prices are integer `priceMilli` (decimal odds × 1000); times are
 * epoch ms supplied by the caller. docs/SPORTSBOOK.md explains every rule.
 */
import type { MarginMethod, MarginRemovalMethod, ShadingConfig } from '../odds/index.ts';
import type { PriceMessage } from './price-feed.ts';
import type { FeedMessage, ScorePair, SequencerState } from './feed.ts';
import type { Sharded } from './sharded.ts';
import type { PriceUncertaintyConfig } from './quote-policy.ts';

export type { FeedMessage, ScorePair, Team } from './feed.ts';

export interface PricingConfig {
  /** Booksum target Σ 1/price (default 1.05). */
  overround: number;
  /** By marketId ('ou_2.5') or family ('ou', 'next_goal', 'correct_score'). */
  overroundByMarket: Record<string, number>;
  marginMethod: MarginMethod;
  /** Dixon–Coles rho for the remaining-time goals (the league's fitted value from the pricing model). */
  rho: number;
  shading: ShadingConfig;
  /** Weight w of the market in the log-linear pool of model and market rates (docs/PRICING.md). */
  marketWeight: number;
  /** How the margin is taken out of market prices before the inverse fit. */
  marketRemoval: MarginRemovalMethod;
  /** Pre-match margin against the uncertainty of the prices quoted from (quote-policy.ts). */
  uncertainty: PriceUncertaintyConfig;
}

export interface SportsbookConfig {
  /** In-play bet and cash-out delay. Pre-match (before kick-off and before startsAt) there is none. */
  betDelayMs: number;
  /** Auto-suspension after a goal, red card or missed penalty lasts this long (re-price delay). */
  resumeAfterMs: number;
  /** Cap on the suspension after a penalty is awarded if neither goal nor miss is reported. */
  penaltyResumeAfterMs: number;
  /** Feed reorder buffer: how long a gap may stay open, and how many messages may wait. */
  reorderWindowMs: number;
  reorderBufferSize: number;
  /** Per bet. */
  minStakeMinor: number;
  maxStakeMinor: number;
  /** Per bet: floor(stake × price / 1000). */
  maxPayoutMinor: number;
  /** Per selection: Σ (payout − stake) of its accepted and pending bets. */
  maxLiabilityPerSelectionMinor: number;
  /** Per player over the whole event (pending, accepted and settled bets). */
  maxStakePerPlayerMinor: number;
  /**
   * Before kick-off, while the event is priced by the engine alone (no market input yet), the
   * per-bet stake and per-selection liability limits are multiplied by this factor (0..1; the actor's
   * default 1 changes nothing, the server sets ENGINE_ONLY_LIMIT_FACTOR).
   */
  engineOnlyLimitFactor: number;
  /** Every bet record, rejected ones included (they keep their id). */
  maxBetsPerEvent: number;
  cashOutEnabled: boolean;
  /** Cash-out margin in basis points: offer = floor(payout × fairProb × (1 − bps/10000)). */
  cashOutMarginBps: number;
  /** A cash-out executes if the current offer ≥ the seen offer × (1 − bps/10000). */
  cashOutToleranceBps: number;
  /** Second-half minute at which trading closes (prices are degenerate near the end). */
  tradingClosesAtMinute: number;
  /** Next-goal markets opened at most (next_goal_1 … next_goal_n). */
  maxNextGoalMarkets: number;
  pricing: PricingConfig;
}

export type SportsbookConfigInput = Partial<Omit<SportsbookConfig, 'pricing'>> & { pricing?: Partial<PricingConfig> };

export type Phase = 'scheduled' | 'first_half' | 'half_time' | 'second_half' | 'finished' | 'abandoned';
export type EventStatus = 'scheduled' | 'in_play' | 'finished' | 'abandoned';
export type MarketStatus = 'open' | 'suspended' | 'settled' | 'void';
export type AcceptancePolicy = 'exact' | 'better' | 'any';

/** Automatic (event-wide) suspension reasons; feed_gap and recovery wait for a confirming clock message. */
export type AutoSuspendReason = 'goal' | 'red_card' | 'penalty' | 'penalty_missed' | 'feed_gap' | 'recovery';

export interface AutoSuspension {
  reason: AutoSuspendReason;
  since: number;
  /** null: until the next clock message confirms the state. */
  resumeAt: number | null;
}

export interface OperatorAction {
  reason: string;
  by: string;
  at: number;
}

export interface SelectionDef {
  selectionId: string;
  name: string;
}

export interface MarketDef {
  marketId: string;
  name: string;
  selections: SelectionDef[];
}

export interface SelectionState extends SelectionDef {
  /** Quoted price; 0 (PRICE_NOT_OFFERED) when the selection cannot be backed. */
  priceMilli: number;
  /** Margin-free model probability (used by cash-out). */
  fairProb: number;
}

export type MarketResult = { kind: 'winner'; selectionId: string } | { kind: 'void'; reason: string };

export interface MarketState {
  marketId: string;
  name: string;
  selections: SelectionState[];
  operatorSuspension: OperatorAction | null;
  /** Set when settled or voided; changed only by re-settlement. */
  result: MarketResult | null;
  resultAt: number | null;
  resettlements: number;
}

export type BetStatus = 'pending' | 'accepted' | 'rejected' | 'settled';
export type BetOutcomeKind = 'won' | 'lost' | 'void' | 'cashed_out';

export interface PendingCashOut {
  /** The offer the client saw. */
  offerMinor: number;
  requestedAt: number;
  executeAt: number;
  /** The market was suspended during the delay: the cash-out will be rejected. */
  interrupted: boolean;
}

export interface BetState {
  betId: string;
  /** 1-based request order within the event (outcomes are listed in this order). */
  number: number;
  playerId: string;
  marketId: string;
  selectionId: string;
  stakeMinor: number;
  acceptance: AcceptancePolicy;
  /** The price the client saw. */
  requestedPriceMilli: number;
  /** While pending: the price at placement (used for liability); once accepted: the accepted price. */
  priceMilli: number;
  status: BetStatus;
  placedAt: number;
  acceptAt: number;
  /** The market was suspended during the delay: the bet will be rejected. */
  interrupted: boolean;
  rejectionCode: string | null;
  cashOut: PendingCashOut | null;
  outcome: BetOutcomeKind | null;
  /** Gross amount credited for the bet: payout if won, 0 if lost, the stake if void, the offer if cashed out. */
  payoutMinor: number | null;
  settledAt: number | null;
  /** An odds boost's price the bet was placed at (null: the market's price). */
  boostedPriceMilli?: number | null;
  /** A profit-boost token the bet was placed with (absent: none). */
  profitBoost?: ProfitBoostTerms;
}

/**
 * A profit boost on a bet (docs/PROMOTIONS.md §3): a won bet is paid boostPct% of its winnings
 * more, at most maxExtraMinor, from the campaign's budget (the room's money side pays it).
 */
export interface ProfitBoostTerms {
  campaignId: string;
  boostPct: number;
  maxExtraMinor: number;
}

export interface PendingDelay {
  betId: string;
  /** acceptAt of a pending bet, or executeAt of a pending cash-out. */
  dueAt: number;
}

/** The latest market prices applied to an event (price feed), and the rates they imply. */
export interface MarketInputState {
  source: string;
  seq: number;
  /** When the source took the prices, and when the event applied them. */
  quotedAt: number;
  appliedAt: number;
  /** Expected goals (pre-match equivalent) implied by the prices through the engine. */
  lambdaHome: number;
  lambdaAway: number;
  /** The quote's margin-free probabilities (pricing.marketRemoval): 1X2, and over/under when quoted. */
  fairOneXTwo?: number[];
  fairOverUnder?: { line: number; probs: number[] };
}

export interface EventState {
  eventId: string;
  league: string;
  home: string;
  away: string;
  /** Pre-match expected goals over 90 minutes used for pricing: the model's, pooled with the market's once prices arrive. */
  lambdaHome: number;
  lambdaAway: number;
  /** The pricing model's own expected goals (from the event's creation). */
  modelLambda: ScorePair;
  /** Version of the pricing model that priced the event (null: given by hand). */
  modelVersion: string | null;
  /** Latest market input, or null while the event is priced by the engine alone. */
  market: MarketInputState | null;
  startsAt: number;
  createdAt: number;
  config: SportsbookConfig;
  phase: Phase;
  /** Last reported match minute. */
  minute: number;
  score: ScorePair;
  reds: ScorePair;
  autoSuspension: AutoSuspension | null;
  operatorSuspension: OperatorAction | null;
  feed: SequencerState;
  /** Markets in opening order (next_goal_n are appended as goals are scored). */
  markets: MarketState[];
  /** Every bet by betId, rejected ones included (sharded: read with getBet/allBets). */
  bets: Sharded<BetState>;
  betCount: number;
  /** Bets in their acceptance delay or with a cash-out in its delay, ascending by dueAt (ties: request order). */
  pending: PendingDelay[];
  /** House liability by 'marketId:selectionId' (see liability in docs/SPORTSBOOK.md). */
  liabilityMinor: Record<string, number>;
  /** Stake per player on this event (sharded: read with playerStakeOf). */
  playerStakeMinor: Sharded<number>;
  endedAt: number | null;
}

// ---------------------------------------------------------------- commands

export interface CreateCommand {
  type: 'create';
  eventId: string;
  league: string;
  home: string;
  away: string;
  lambdaHome: number;
  lambdaAway: number;
  startsAt: number;
  config?: SportsbookConfigInput;
  /** Version of the pricing model the rates and rho came from. */
  modelVersion?: string;
  now: number;
}

/** External prices for the event (a validated price-feed message, parsePriceMessage). */
export interface MarketPricesCommand {
  type: 'marketPrices';
  message: PriceMessage;
  now: number;
}

/** A validated feed message (parseFeedMessage); the actor itself sequences it. */
export interface FeedCommand {
  type: 'feed';
  message: FeedMessage;
  now: number;
}

/** Resumes markets, resolves bets and cash-outs whose delay ended, skips expired feed gaps. */
export interface TickCommand {
  type: 'tick';
  now: number;
}

export interface PlaceBetCommand {
  type: 'placeBet';
  betId: string;
  playerId: string;
  marketId: string;
  selectionId: string;
  stakeMinor: number;
  /** The price the client saw. */
  priceMilli: number;
  acceptance: AcceptancePolicy;
  /** The player's stake factor (operators' per-player setting, default 1): scales the per-bet and per-event stake limits. */
  stakeFactor?: number;
  /**
   * An odds boost the server approved for this bet (docs/PROMOTIONS.md §3): the bet is priced at
   * it instead of the market (it must beat the current price) and its liability counts at it.
   */
  boostedPriceMilli?: number;
  /** A profit-boost token the server approved for this bet: its terms, journaled with the bet. */
  profitBoost?: ProfitBoostTerms;
  now: number;
}

export interface CashOutCommand {
  type: 'cashOut';
  betId: string;
  playerId: string;
  /** The offer the client saw. */
  offerMinor: number;
  now: number;
}

export interface OperatorMarketCommand {
  type: 'suspendMarket' | 'resumeMarket' | 'voidMarket';
  marketId: string;
  reason: string;
  by: string;
  now: number;
}

export interface OperatorEventCommand {
  type: 'suspendEvent' | 'resumeEvent';
  reason: string;
  by: string;
  now: number;
}

export type ResettleResult = { winner: string } | { void: true };

export interface ResettleCommand {
  type: 'resettle';
  marketId: string;
  result: ResettleResult;
  reason: string;
  by: string;
  now: number;
}

/** An operator results the event with its final score (the feed failed or was wrong). */
export interface SettleEventCommand {
  type: 'settleEvent';
  score: ScorePair;
  reason: string;
  by: string;
  now: number;
}

/** Sent once after the journal is replayed on restart/failover. */
export interface RecoverCommand {
  type: 'recover';
  now: number;
}

export type SportsbookCommand =
  | CreateCommand
  | FeedCommand
  | MarketPricesCommand
  | TickCommand
  | PlaceBetCommand
  | CashOutCommand
  | OperatorMarketCommand
  | OperatorEventCommand
  | ResettleCommand
  | SettleEventCommand
  | RecoverCommand;

export type * from './events.ts';
