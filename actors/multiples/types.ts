/**
 * Shapes of multiples: accumulators, system bets and bet builders (docs/SPORTSBOOK.md, "Multiples").
 * A slip is a set of legs on different events; each leg is one selection, or a bet builder (several
 * selections of one event priced together from the model's joint score distribution). The slip's
 * lines are accumulators over subsets of its legs (one line for a plain accumulator; doubles,
 * trebles, Trixie, Yankee, Lucky 15 for system bets), each with the same stake per line.
 * Money is integer minor units, prices integer priceMilli; times are caller-supplied epoch ms.
 */
import type { AcceptancePolicy } from '../sportsbook/types.ts';

export type { AcceptancePolicy };

export type SlipType = 'accumulator' | 'doubles' | 'trebles' | 'trixie' | 'yankee' | 'lucky15';

export interface LegSelection {
  marketId: string;
  selectionId: string;
}

/** One leg of a slip as the player asks for it. */
export interface LegSpec {
  /** Position-derived id within the slip ('1', '2', …). */
  legId: string;
  eventId: string;
  /** One selection, or 2..MAX_BUILDER_SELECTIONS of the same event (a bet builder). */
  selections: LegSelection[];
  /** The price the player saw for this leg. */
  priceMilli: number;
  /** Acceptance policy of this leg (the slip's when not given). */
  acceptance: AcceptancePolicy;
}

export interface SlipSpec {
  slipId: string;
  playerId: string;
  type: SlipType;
  legs: LegSpec[];
  stakePerLineMinor: number;
  /** Lines as lists of leg indices (systemLines(type, legs.length)). */
  lines: number[][];
  totalStakeMinor: number;
}

export type LegOutcome = 'won' | 'lost' | 'void';

export interface LegResult {
  outcome: LegOutcome;
  /** 1 for the first result, +1 for each re-settlement that changed it. */
  version: number;
}

export type LineOutcome = 'open' | 'won' | 'lost' | 'void';

export interface LineSettlement {
  legs: number[];
  outcome: LineOutcome;
  /** The line's price over its won legs (void legs drop out), rounded down to the ladder; 1000 when every leg is void. */
  priceMilli: number;
  /** Gross amount due for the line: 0 lost/open, the stake when void, floor(stake × price) when won. */
  payoutMinor: number;
}

export interface SlipSettlement {
  /** open: some line is still undecided; settled: every line is decided. */
  status: 'open' | 'settled';
  lines: LineSettlement[];
  /** Σ line payouts when settled (0 while open), capped at the slip's maximum payout. */
  payoutMinor: number;
}
