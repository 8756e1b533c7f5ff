/**
 * Shapes of the blackjack table actor: config, state, commands and events. Money is integer minor
 * units; times are epoch ms supplied by the caller. Rules: docs/BLACKJACK.md.
 */
import type { Card } from './cards.ts';

export interface BlackjackConfig {
  /** Decks in the shoe (1..8). */
  decks: number;
  /** Cards dealt before the cut card: dealing the card at this position (0-based) or later ends the shoe after that round. */
  cutCardPosition: number;
  /** Seats at the table (1..7). */
  seats: number;
  /** How many seats one player may hold at once. */
  maxSeatsPerPlayer: number;
  /** Per seat (the initial bet). Stakes must be even so that 3:2, surrender and insurance are exact. */
  minBetMinor: number;
  maxBetMinor: number;
  /** H17 when true, S17 when false. */
  dealerHitsSoft17: boolean;
  /** Double down allowed on a hand made by a split (DAS). Doubling is on any first two cards. */
  doubleAfterSplit: boolean;
  /** Most hands one seat may have through splits (4: split up to 3 times). 1 disables splitting. */
  maxHands: number;
  /** Split aces may be split again (they always get one card each). */
  resplitAces: boolean;
  /** Late surrender (after the dealer checked for blackjack) on the first two cards of an unsplit hand. */
  lateSurrender: boolean;
  /** Insurance offered when the dealer shows an ace (half the bet, pays 2:1). */
  insurance: boolean;
  /**
   * The dealer checks the hole card for blackjack when showing an ace or a ten (after insurance),
   * and ends the round at once on a dealer blackjack. Without the peek a dealer blackjack found at
   * the end takes every stake, doubles and splits included (European no-hole-card loss rule).
   */
  dealerPeek: boolean;
  /** How long each round takes bets. */
  bettingWindowMs: number;
  /** Decision time per hand (and for insurance); a hand whose time runs out stands. */
  decisionMs: number;
  /** Pause after settlement before the next round. */
  pauseMs: number;
  /** Recovery: a turn or window interrupted by a restart gets at least this much time again. */
  recoveryGraceMs: number;
  /** Distinct players' client seeds accepted per shoe. */
  maxClientSeedsPerShoe: number;
  /** Rounds whose bet ids stay reserved (bet/duplicate) after they finish. */
  betIdRetentionRounds: number;
}

export type TablePhase =
  /** No round; a round opens on the next tick with players present. */
  | 'idle'
  /** `round` takes bets until `round.closesAt`. */
  | 'betting'
  /** Dealer shows an ace: each seat decides on insurance until `round.insuranceDeadline`. */
  | 'insurance'
  /** Hands are played in turn: `round.turn`. */
  | 'playing'
  /** Round settled; next round due at `nextOpenAt`. */
  | 'settled'
  /** Round voided (the shoe could not finish it); next round due at `nextOpenAt`. */
  | 'voided';

export type HandStatus = 'playing' | 'stood' | 'bust' | 'blackjack' | 'surrendered';

export interface Hand {
  cards: Card[];
  /** Current stake on the hand: the bet (or the split stake), doubled when doubled. */
  stakeMinor: number;
  status: HandStatus;
  doubled: boolean;
  /** Made by a split (21 on it is not a blackjack). */
  fromSplit: boolean;
}

export type StakeKind = 'bet' | 'split' | 'double' | 'insurance';

/** Every amount a seat put up this round, each reserved in the wallet under its own id. */
export interface Stake {
  stakeId: string;
  kind: StakeKind;
  amountMinor: number;
}

export interface RoundSeat {
  seat: number;
  playerId: string;
  betId: string;
  betMinor: number;
  stakes: Stake[];
  hands: Hand[];
  /** Insurance: null when not offered; pending until decided. */
  insurance: 'pending' | 'taken' | 'declined' | null;
  /** The owner left the table: their remaining decisions are taken for them (stand, no insurance). */
  away: boolean;
}

export interface Turn {
  seat: number;
  hand: number;
  deadline: number;
}

/** A dealt card with its position in the shoe (what verification checks). */
export interface DealtCard {
  position: number;
  card: Card;
}

export interface RoundState {
  roundId: string;
  number: number;
  shoeNumber: number;
  opensAt: number;
  closesAt: number;
  /** Seats with a bet, by seat number. */
  seats: RoundSeat[];
  /** Dealer cards: [up, hole, draws…]. SECRET: index 1 (and the rest) must not reach clients until `holeRevealed`. */
  dealer: DealtCard[];
  holeRevealed: boolean;
  turn: Turn | null;
  insuranceDeadline: number | null;
  /** Bet ids placed then removed this round (they stay used). */
  removedBetIds: string[];
  /** Shoe position of the round's first card (−1 before the deal). */
  firstPosition: number;
  /** What must happen before the first turn: offer insurance, peek for blackjack, or nothing more. */
  preplay: 'insurance' | 'peek' | 'done';
  /** The peek found a dealer blackjack (the round ends without turns). */
  dealerBlackjack: boolean;
  /** Every card the round dealt, in dealing order. SECRET while it holds the face-down hole card: never project it. */
  dealt: DealtCard[];
}

export interface ClientSeedEntry {
  playerId: string;
  seed: string;
}

export interface ShoeState {
  shoeId: string;
  number: number;
  serverSeedHash: string;
  /** SECRET until the shoe is finished. */
  serverSeed: string;
  cards: number;
  cutCardPosition: number;
  clientSeeds: ClientSeedEntry[];
  /** Fixed at the shoe's first deal. */
  clientSeed: string | null;
  /** SECRET: the whole card order, set at the shuffle. Never project it. */
  order: Card[] | null;
  /** Next position to deal. */
  position: number;
  cutCardReached: boolean;
  finished: boolean;
}

export interface RetainedBetIds {
  roundNumber: number;
  betIds: string[];
}

export interface TableState {
  tableId: string;
  config: BlackjackConfig;
  phase: TablePhase;
  /** Seat owners (index = seat number), null when free. */
  seats: Array<string | null>;
  lastRoundNumber: number;
  lastShoeNumber: number;
  shoe: ShoeState | null;
  round: RoundState | null;
  nextOpenAt: number | null;
  retainedBetIds: RetainedBetIds[];
}

// ---------------------------------------------------------------- commands

export type PlayerAction = 'hit' | 'stand' | 'double' | 'split' | 'surrender';

export interface TakeSeatCommand { type: 'takeSeat'; playerId: string; seat: number; now: number }
export interface LeaveSeatCommand { type: 'leaveSeat'; playerId: string; seat: number; now: number }
/** The player left the table (after the reconnection grace): every seat freed, their pending decisions taken for them. */
export interface LeaveTableCommand { type: 'leaveTable'; playerId: string; now: number }
export interface PlaceBetCommand { type: 'placeBet'; playerId: string; seat: number; betId: string; stakeMinor: number; now: number }
export interface RemoveBetCommand { type: 'removeBet'; playerId: string; seat: number; now: number }
export interface SubmitClientSeedCommand { type: 'submitClientSeed'; playerId: string; seed: string; now: number }
export interface ActCommand { type: 'act'; playerId: string; seat: number; hand: number; action: PlayerAction; now: number }
export interface InsuranceCommand { type: 'insurance'; playerId: string; seat: number; take: boolean; now: number }
export interface TickCommand {
  type: 'tick';
  now: number;
  playersPresent: boolean;
  /** Fresh 64-char lowercase hex seed from a CSPRNG; used only if a shoe opens in this tick. */
  serverSeed: string;
}
export interface RecoverCommand { type: 'recover'; now: number }

export type BlackjackCommand =
  | TakeSeatCommand | LeaveSeatCommand | LeaveTableCommand | PlaceBetCommand | RemoveBetCommand
  | SubmitClientSeedCommand | ActCommand | InsuranceCommand | TickCommand | RecoverCommand;

// ---------------------------------------------------------------- events

export interface ShoeOpened { type: 'ShoeOpened'; shoeId: string; number: number; serverSeedHash: string; /** journal only */ serverSeed: string; cards: number; cutCardPosition: number; at: number }
export interface ShoeShuffled { type: 'ShoeShuffled'; shoeId: string; clientSeed: string; clientSeeds: string[]; at: number }
export interface ShoeFinished { type: 'ShoeFinished'; shoeId: string; serverSeed: string; serverSeedHash: string; clientSeed: string | null; clientSeeds: string[]; reason: 'cut_card' | 'table_idle' | 'exhausted'; cardsDealt: number; at: number }
export interface RoundOpened { type: 'RoundOpened'; roundId: string; number: number; shoeId: string; opensAt: number; closesAt: number }
export interface SeatTaken { type: 'SeatTaken'; seat: number; playerId: string; at: number }
export interface SeatLeft { type: 'SeatLeft'; seat: number; playerId: string; at: number }
export interface BetPlaced { type: 'BetPlaced'; roundId: string; seat: number; playerId: string; betId: string; stakeMinor: number; at: number }
export interface BetRemoved { type: 'BetRemoved'; roundId: string; seat: number; playerId: string; betId: string; stakeMinor: number; at: number }
export interface ClientSeedSubmitted { type: 'ClientSeedSubmitted'; shoeId: string; playerId: string; seed: string; at: number }
/** Betting closed with bets: one card to each seat, the up card, a second card to each seat, the hole card (last: SECRET). */
export interface InitialDeal { type: 'InitialDeal'; roundId: string; seatCards: Array<{ seat: number; cards: DealtCard[] }>; upCard: DealtCard; /** journal only until revealed */ holeCard: DealtCard; at: number }
export interface InsuranceOffered { type: 'InsuranceOffered'; roundId: string; deadline: number; at: number }
export interface InsuranceDecided { type: 'InsuranceDecided'; roundId: string; seat: number; playerId: string; take: boolean; stakeId: string | null; amountMinor: number; reason: 'player' | 'timeout' | 'away'; at: number }
export interface InsuranceClosed { type: 'InsuranceClosed'; roundId: string; at: number }
export interface DealerPeeked { type: 'DealerPeeked'; roundId: string; blackjack: boolean; at: number }
export interface TurnStarted { type: 'TurnStarted'; roundId: string; seat: number; hand: number; deadline: number; at: number }
export interface CardDrawn { type: 'CardDrawn'; roundId: string; seat: number; hand: number; card: DealtCard; at: number }
export interface HandStood { type: 'HandStood'; roundId: string; seat: number; hand: number; reason: 'player' | 'timeout' | 'away'; at: number }
export interface HandDoubled { type: 'HandDoubled'; roundId: string; seat: number; hand: number; playerId: string; stakeId: string; amountMinor: number; card: DealtCard; at: number }
/** Hand `hand` becomes two: `hand` keeps the first card, `hand + 1` takes the second; each then gets one card. */
export interface HandSplit { type: 'HandSplit'; roundId: string; seat: number; hand: number; playerId: string; stakeId: string; amountMinor: number; cards: [DealtCard, DealtCard]; at: number }
export interface HandSurrendered { type: 'HandSurrendered'; roundId: string; seat: number; hand: number; at: number }
export interface HoleCardRevealed { type: 'HoleCardRevealed'; roundId: string; card: DealtCard; at: number }
export interface DealerDrew { type: 'DealerDrew'; roundId: string; card: DealtCard; at: number }

export type HandOutcome = 'blackjack' | 'win' | 'push' | 'lose' | 'bust' | 'surrender';

export interface HandResult {
  cards: Card[];
  total: number;
  stakeMinor: number;
  outcome: HandOutcome;
  /** Gross amount paid back for this hand (stake + winnings; half the stake on surrender). */
  payoutMinor: number;
}

export interface SeatSettlement {
  seat: number;
  playerId: string;
  betId: string;
  /** Every stake of the seat (each is captured). */
  stakes: Stake[];
  hands: HandResult[];
  insuranceMinor: number;
  insurancePayoutMinor: number;
  /** Sum of the stakes. */
  stakeMinor: number;
  /** Gross paid back to the player for the seat (0 or more), in one transfer. */
  payoutMinor: number;
}

export interface RoundSettled {
  type: 'RoundSettled';
  roundId: string;
  shoeId: string;
  dealer: { cards: DealtCard[]; total: number; blackjack: boolean };
  settlements: SeatSettlement[];
  /** Shoe positions the round dealt, first..last inclusive (−1 when nothing was dealt). */
  firstPosition: number;
  lastPosition: number;
  /** Every card of the round in dealing order with its shoe position (all face up now): what a player verifies card by card. */
  cards: DealtCard[];
  totals: { seats: number; stakeMinor: number; payoutMinor: number };
  at: number;
  nextOpenAt: number;
}

export interface RoundVoided {
  type: 'RoundVoided';
  roundId: string;
  /** The shoe the round was dealt from (absent in journals written before it was recorded). */
  shoeId?: string;
  reason: 'shoe_exhausted';
  refunds: Array<{ seat: number; playerId: string; stakes: Stake[] }>;
  at: number;
  nextOpenAt: number;
}

/** After a restart: the pending deadline (betting, insurance or turn) moved to give the recovery grace. */
export interface RoundResumed { type: 'RoundResumed'; roundId: string; deadline: number; at: number }
export interface TableIdled { type: 'TableIdled'; at: number }

export type BlackjackEvent =
  | ShoeOpened | ShoeShuffled | ShoeFinished | RoundOpened | SeatTaken | SeatLeft | BetPlaced | BetRemoved
  | ClientSeedSubmitted | InitialDeal | InsuranceOffered | InsuranceDecided | InsuranceClosed | DealerPeeked | TurnStarted
  | CardDrawn | HandStood | HandDoubled | HandSplit | HandSurrendered | HoleCardRevealed | DealerDrew
  | RoundSettled | RoundVoided | RoundResumed | TableIdled;
