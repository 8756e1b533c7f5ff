/**
 * Shapes of the crash table actor: config, state, commands and events. Money is integer minor
 * units; multipliers are integer hundredths (`…Cents`: 250 = 2.50×); times are epoch ms supplied
 * by the caller. Fields marked SECRET are journal-only until the round crashes (or is voided).
 */

export interface CrashConfig {
  /** How long a round takes bets before the curve starts. */
  bettingWindowMs: number;
  /** Pause after a crash (or void) before the next round opens. */
  pauseMs: number;
  /** Per bet. */
  minBetMinor: number;
  /** Per bet. */
  maxBetMinor: number;
  /** A player's stake in one round (one bet per round): at most this. */
  maxStakePerPlayerPerRoundMinor: number;
  /** Gross payout (stake × multiplier) of one bet: a bet still in when it reaches this is cashed out. */
  maxPayoutPerBetMinor: number;
  /** Sum over the players still in of stake × multiplier: reaching it cashes out everyone still in. */
  liabilityCapMinor: number;
  /** Bets in one round over all players. */
  maxBetsPerRound: number;
  /** Highest auto cash-out target, in hundredths. */
  maxAutoCashOutCents: number;
  /** How many past crash points `history` keeps. */
  historySize: number;
}

export type CrashPhase =
  /** No round; opens one on the next tick with players present and a round hash. */
  | 'idle'
  /** `round` takes bets until `round.startsAt`. */
  | 'betting'
  /** The curve is rising from `round.startsAt`; cash-outs are decided against it. */
  | 'running'
  /** `round` crashed and is settled; the next round is due at `nextOpenAt`. */
  | 'crashed'
  /** `round` voided (interrupted while betting was open); next round due at `nextOpenAt`. */
  | 'voided';

/** The provably-fair hash chain rounds draw from (docs/FAIRNESS.md, crash). */
export interface ChainState {
  chainId: number;
  /** SHA-256 of the chain's last element, published before its first round. */
  terminalHash: string;
  /** Rounds the chain serves. */
  length: number;
  /** Public salt mixed into every crash point. */
  salt: string;
  /** Rounds of this chain opened so far (0..length). */
  used: number;
  /** The hash the next round's hash must hash to: the terminal hash, then each revealed round hash. */
  expectedPreimageOf: string;
}

export type CashOutReason = 'manual' | 'auto' | 'max_payout' | 'liability_cap';

export interface CrashBet {
  betId: string;
  playerId: string;
  stakeMinor: number;
  /** Auto cash-out target in hundredths, or null (manual only). */
  autoCashOutCents: number | null;
  /** Where the max payout per bet cashes this bet out (hundredths). */
  capCents: number;
  placedAt: number;
  /** null while still in. */
  cashedOutCents: number | null;
  payoutMinor: number;
  reason: CashOutReason | null;
}

export interface CrashRound {
  roundId: string;
  /** 1-based per table. */
  number: number;
  chainId: number;
  /** 1-based position of the round in its chain. */
  chainIndex: number;
  opensAt: number;
  /** Betting closes and the curve starts at this instant. */
  startsAt: number;
  /** SECRET until crashed: the round's element of the hash chain. */
  roundHash: string;
  /** SECRET until crashed: the crash point in hundredths (≥ 100). */
  crashCents: number;
  /** SECRET until crashed: whether the round crashes at 0 ms (no multiplier is ever reached). */
  instant: boolean;
  /** SECRET until crashed: elapsed ms at which the round crashes. */
  crashElapsedMs: number;
  /** Bets in placement order. */
  bets: CrashBet[];
  /** Sum of the stakes of bets still in. */
  stakeInMinor: number;
  /** Lowest multiplier (hundredths) at which a bet still in leaves by itself (auto target or max payout); null if none. */
  nextExitCents: number | null;
}

export interface CrashResult {
  roundId: string;
  number: number;
  crashCents: number;
}

export interface CrashTableState {
  tableId: string;
  config: CrashConfig;
  phase: CrashPhase;
  lastRoundNumber: number;
  chain: ChainState | null;
  /** Current round, or the last one once finished; null before the first. */
  round: CrashRound | null;
  /** When phase is crashed/voided: when the next round opens (or the table idles). */
  nextOpenAt: number | null;
  /** Last `historySize` crash points, newest first. */
  history: CrashResult[];
}

// ---------------------------------------------------------------- commands

export interface StartChainCommand {
  type: 'startChain';
  terminalHash: string;
  length: number;
  salt: string;
  now: number;
}

export interface PlaceBetCommand {
  type: 'placeBet';
  betId: string;
  playerId: string;
  stakeMinor: number;
  /** Hundredths (≥ 101), or null for manual cash-out only. */
  autoCashOutCents: number | null;
  now: number;
}

export interface CashOutCommand {
  type: 'cashOut';
  playerId: string;
  now: number;
}

export interface TickCommand {
  type: 'tick';
  now: number;
  playersPresent: boolean;
  /** The chain element for the next round (see `nextRoundHashNeeded`); used only if a round opens in this tick. */
  roundHash: string | null;
}

/** Finishes the round a restart interrupted (docs/FAIRNESS.md, crash recovery). */
export interface RecoverCommand {
  type: 'recover';
  now: number;
}

export type CrashCommand = StartChainCommand | PlaceBetCommand | CashOutCommand | TickCommand | RecoverCommand;

// ---------------------------------------------------------------- events

export interface ChainStarted {
  type: 'ChainStarted';
  tableId: string;
  chainId: number;
  terminalHash: string;
  length: number;
  salt: string;
  at: number;
}

export interface RoundOpened {
  type: 'RoundOpened';
  tableId: string;
  roundId: string;
  number: number;
  chainId: number;
  chainIndex: number;
  opensAt: number;
  startsAt: number;
  /** SECRET (journal only until RoundCrashed/RoundVoided). */
  roundHash: string;
  /** SECRET. */
  crashCents: number;
  /** SECRET. */
  instant: boolean;
}

export interface BetPlaced {
  type: 'BetPlaced';
  roundId: string;
  betId: string;
  playerId: string;
  stakeMinor: number;
  autoCashOutCents: number | null;
  capCents: number;
  at: number;
}

export interface RoundStarted {
  type: 'RoundStarted';
  roundId: string;
  startsAt: number;
}

export interface CashOut {
  betId: string;
  playerId: string;
  stakeMinor: number;
  /** floor(stake × multiplierCents / 100): stake included. */
  payoutMinor: number;
}

/** One or more bets leaving at the same multiplier for the same reason. */
export interface CashedOut {
  type: 'CashedOut';
  roundId: string;
  multiplierCents: number;
  reason: CashOutReason;
  /** Ms since the curve started. */
  elapsedMs: number;
  at: number;
  cashOuts: CashOut[];
}

export interface LostBet {
  betId: string;
  playerId: string;
  stakeMinor: number;
}

export interface RoundCrashed {
  type: 'RoundCrashed';
  roundId: string;
  crashCents: number;
  instant: boolean;
  roundHash: string;
  /** Position of the round in its chain (the number of hashes from its hash to the terminal hash). */
  chainIndex: number;
  elapsedMs: number;
  at: number;
  /** Bets still in at the crash: their stakes go to the house. */
  lost: LostBet[];
  totals: { betCount: number; stakeMinor: number; payoutMinor: number };
  nextOpenAt: number;
}

export interface RoundVoided {
  type: 'RoundVoided';
  roundId: string;
  reason: 'interrupted';
  /** Every bet of the round: release each stake. */
  refunds: LostBet[];
  /** Revealed: the chain goes on from it, and the crash point it would have had can be checked. */
  roundHash: string;
  chainIndex: number;
  crashCents: number;
  at: number;
  nextOpenAt: number;
}

export interface TableIdled {
  type: 'TableIdled';
  tableId: string;
  at: number;
}

export type CrashEvent = ChainStarted | RoundOpened | BetPlaced | RoundStarted | CashedOut | RoundCrashed | RoundVoided | TableIdled;
