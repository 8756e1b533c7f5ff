/**
 * Shapes of the European roulette table actor: config, state, commands and events.
 * Money is integer minor units; times are epoch milliseconds supplied by the caller.
 */

export type InsideBetKind = 'straight' | 'split' | 'street' | 'corner' | 'line';
export type DozenColumnKind = 'dozen' | 'column';
export type EvenMoneyKind = 'red' | 'black' | 'odd' | 'even' | 'low' | 'high';
export type BetKind = InsideBetKind | DozenColumnKind | EvenMoneyKind;

/**
 * Where a bet is placed. Inside bets carry `numbers` (any order, no duplicates), dozen/column
 * carry `index` (1..3), even-money bets carry neither. Stored spots are normalized: numbers
 * ascending, no other fields present.
 */
export interface Spot {
  kind: BetKind;
  numbers?: number[];
  index?: 1 | 2 | 3;
}

export interface TableConfig {
  /** How long a round accepts bets after it opens. */
  bettingWindowMs: number;
  /** Pause between betting closing and the result being drawn (0: drawn in the closing tick). */
  spinMs: number;
  /** Pause after the result before the next round opens. */
  pauseMs: number;
  /** Per bet. */
  minBetMinor: number;
  /** Per bet. */
  maxBetMinor: number;
  maxStakePerPlayerPerRoundMinor: number;
  /** Cap on the table's worst case: the largest total gross payout (stake + winnings) over all 37 pockets. */
  maxPayoutPerRoundMinor: number;
  maxBetsPerPlayerPerRound: number;
  /** Cap on bets in one round over all players. */
  maxBetsPerRound: number;
  /** Cap on distinct players submitting a client seed in one round. */
  maxClientSeedsPerRound: number;
  /** How many past results `history` keeps. */
  historySize: number;
  /** How many finished rounds' bet ids are kept to reject reused bet ids. */
  betIdRetentionRounds: number;
}

export type TablePhase =
  /** No round running; opens one on the next tick with players present. */
  | 'idle'
  /** `round` accepts bets and client seeds until `round.closesAt`. */
  | 'betting'
  /** Betting closed, client seed fixed; result due at `round.closesAt + spinMs`. */
  | 'closed'
  /** `round` settled; the next round (or idle) is due at `nextOpenAt`. */
  | 'settled'
  /** `round` voided (interrupted while betting was open); next round due at `nextOpenAt`. */
  | 'voided';

export interface PlacedBet {
  betId: string;
  playerId: string;
  spot: Spot;
  stakeMinor: number;
  placedAt: number;
}

export interface ClientSeedEntry {
  playerId: string;
  seed: string;
}

export interface RoundState {
  roundId: string;
  /** 1-based, increasing per table; also the provably-fair nonce. */
  number: number;
  serverSeedHash: string;
  /** SECRET until the result is drawn (or the round voided): never project it to clients before. */
  serverSeed: string;
  opensAt: number;
  closesAt: number;
  /** Live bets in placement order. */
  bets: PlacedBet[];
  /** Ids of bets placed then removed this round; they stay used. */
  removedBetIds: string[];
  /** Latest client seed per player, ordered by playerId (code-unit order). */
  clientSeeds: ClientSeedEntry[];
  /** Fixed when betting closes. */
  clientSeed: string | null;
  /** Drawn pocket 0..36, once drawn. */
  pocket: number | null;
  /** Gross payout the live bets would cost for each pocket 0..36 (length 37). */
  payoutByPocketMinor: number[];
}

export interface RoundResult {
  roundId: string;
  number: number;
  pocket: number;
}

export interface RetainedBetIds {
  roundNumber: number;
  /** Sorted ascending (code-unit order) for binary search. */
  betIds: string[];
}

export interface TableState {
  tableId: string;
  config: TableConfig;
  phase: TablePhase;
  /** Number of the last round opened (0 before the first). */
  lastRoundNumber: number;
  /** Current round, or the last one once finished (kept for display); null before the first. */
  round: RoundState | null;
  /** When phase is settled/voided: when the next round opens (or the table goes idle). */
  nextOpenAt: number | null;
  /** Last `historySize` results, newest first. */
  history: RoundResult[];
  /** Bet ids of recent finished rounds, oldest first. */
  retainedBetIds: RetainedBetIds[];
}

// ---------------------------------------------------------------- commands

export interface PlaceBetCommand {
  type: 'placeBet';
  betId: string;
  playerId: string;
  spot: Spot;
  stakeMinor: number;
  now: number;
}

export interface RemoveBetCommand {
  type: 'removeBet';
  betId: string;
  playerId: string;
  now: number;
}

export interface ClearBetsCommand {
  type: 'clearBets';
  playerId: string;
  now: number;
}

export interface SubmitClientSeedCommand {
  type: 'submitClientSeed';
  playerId: string;
  seed: string;
  now: number;
}

export interface TickCommand {
  type: 'tick';
  now: number;
  playersPresent: boolean;
  /** Fresh 64-char lowercase hex seed from a CSPRNG; always validated, used only if a round opens in this tick. */
  serverSeed: string;
}

/** Completes or voids an interrupted round after a restart (see docs/FAIRNESS.md). */
export interface RecoverCommand {
  type: 'recover';
  now: number;
}

export type RouletteCommand =
  | PlaceBetCommand
  | RemoveBetCommand
  | ClearBetsCommand
  | SubmitClientSeedCommand
  | TickCommand
  | RecoverCommand;

// ---------------------------------------------------------------- events

export interface RoundOpened {
  type: 'RoundOpened';
  tableId: string;
  roundId: string;
  number: number;
  serverSeedHash: string;
  /** Journal only: the room must not publish it before ResultDrawn/RoundVoided. */
  serverSeed: string;
  opensAt: number;
  closesAt: number;
}

export interface BetPlaced {
  type: 'BetPlaced';
  roundId: string;
  betId: string;
  playerId: string;
  spot: Spot;
  stakeMinor: number;
  at: number;
}

export interface BetRemoved {
  type: 'BetRemoved';
  roundId: string;
  betId: string;
  playerId: string;
  spot: Spot;
  stakeMinor: number;
  at: number;
}

export interface ClientSeedSubmitted {
  type: 'ClientSeedSubmitted';
  roundId: string;
  playerId: string;
  seed: string;
  at: number;
}

export interface BettingClosed {
  type: 'BettingClosed';
  roundId: string;
  clientSeed: string;
  /** The submitted seeds the clientSeed was derived from, in rule order (ordered by playerId). */
  clientSeeds: string[];
  at: number;
}

export interface ResultDrawn {
  type: 'ResultDrawn';
  roundId: string;
  nonce: number;
  pocket: number;
  serverSeed: string;
  serverSeedHash: string;
  clientSeed: string;
  /** The submitted seeds the clientSeed was derived from, in rule order (absent in journals written before). */
  clientSeeds?: string[];
  at: number;
}

export interface Settlement {
  betId: string;
  playerId: string;
  stakeMinor: number;
  /** Stake + winnings for a winning bet, 0 for a losing one. */
  payoutMinor: number;
  spot: Spot;
}

export interface RoundTotals {
  betCount: number;
  stakeMinor: number;
  payoutMinor: number;
}

export interface RoundSettled {
  type: 'RoundSettled';
  roundId: string;
  pocket: number;
  settlements: Settlement[];
  totals: RoundTotals;
  at: number;
  /** When the next round opens (or the table goes idle). */
  nextOpenAt: number;
}

export interface Refund {
  betId: string;
  playerId: string;
  stakeMinor: number;
  /** The refunded bet's spot (absent in journals written before it was recorded). */
  spot?: Spot;
}

export interface RoundVoided {
  type: 'RoundVoided';
  roundId: string;
  reason: 'interrupted';
  /** Every live bet of the round: release each stake. */
  refunds: Refund[];
  /** Revealed so anyone can check the commitment of a voided round too. */
  serverSeed: string;
  at: number;
  /** When the next round opens (or the table goes idle). */
  nextOpenAt: number;
}

export interface TableIdled {
  type: 'TableIdled';
  tableId: string;
  at: number;
}

export type RouletteEvent =
  | RoundOpened
  | BetPlaced
  | BetRemoved
  | ClientSeedSubmitted
  | BettingClosed
  | ResultDrawn
  | RoundSettled
  | RoundVoided
  | TableIdled;
