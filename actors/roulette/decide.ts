/**
 * decide(state, command) → Decision<RouletteEvent>. Pure: never throws on a bad command, never
 * reads a clock or an RNG; a rejection changes nothing. Checks for placeBet, in order:
 * command/invalid → bet/betting_closed → bet/duplicate → bet/invalid_stake → bet/invalid_selection
 * → bet/below_min → bet/above_max → bet/table_limit → bet/player_limit → bet/payout_limit.
 */
import { accept, reject, type Decision } from '../decision.ts';
import { normalizeSpot, payoutFor } from './bets.ts';
import type { RouletteRejectionCode } from './codes.ts';
import { isValidClientSeed, isValidServerSeed } from './fairness.ts';
import { POCKET_COUNT } from './layout.ts';
import { recover, tickEvents } from './lifecycle.ts';
import type {
  ClearBetsCommand,
  PlaceBetCommand,
  RemoveBetCommand,
  RoundState,
  RouletteCommand,
  RouletteEvent,
  SubmitClientSeedCommand,
  TableState,
  TickCommand,
} from './types.ts';

const MAX_ID_LENGTH = 128;

type Result = Decision<RouletteEvent>;

function refuse(code: RouletteRejectionCode, message: string, details?: Record<string, unknown>): Result {
  return reject(code, message, details);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function isTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

export function decide(state: TableState, command: RouletteCommand): Result {
  if (typeof command !== 'object' || command === null || !isTime(command.now)) {
    return refuse('command/invalid', 'command needs a `now` in epoch ms (non-negative safe integer)');
  }
  switch (command.type) {
    case 'placeBet':
      return decidePlaceBet(state, command);
    case 'removeBet':
      return decideRemoveBet(state, command);
    case 'clearBets':
      return decideClearBets(state, command);
    case 'submitClientSeed':
      return decideSubmitClientSeed(state, command);
    case 'tick':
      return decideTick(state, command);
    case 'recover':
      return accept(...recover(state, command.now));
    default:
      return refuse('command/invalid', 'unknown command type', { type: (command as { type?: unknown }).type });
  }
}

/** The round open for bets at `now`, or null. */
function openRound(state: TableState, now: number): RoundState | null {
  return state.phase === 'betting' && state.round && now < state.round.closesAt ? state.round : null;
}

function decidePlaceBet(state: TableState, cmd: PlaceBetCommand): Result {
  if (!isId(cmd.betId) || !isId(cmd.playerId)) return refuse('command/invalid', `betId and playerId must be 1..${MAX_ID_LENGTH} chars`);
  const round = openRound(state, cmd.now);
  if (!round) return refuse('bet/betting_closed', 'betting is closed', { roundId: state.round?.roundId ?? null });
  if (isBetIdUsed(state, round, cmd.betId)) return refuse('bet/duplicate', 'betId already used at this table', { betId: cmd.betId });
  const stakeMinor = cmd.stakeMinor;
  if (!Number.isSafeInteger(stakeMinor) || stakeMinor <= 0) return refuse('bet/invalid_stake', 'stake must be a positive integer in minor units');
  const spot = normalizeSpot(cmd.spot);
  if (!spot) return refuse('bet/invalid_selection', 'not a valid bet on a single-zero table', { spot: cmd.spot });
  const { config } = state;
  if (stakeMinor < config.minBetMinor) return refuse('bet/below_min', 'stake below table minimum', { minBetMinor: config.minBetMinor });
  if (stakeMinor > config.maxBetMinor) return refuse('bet/above_max', 'stake above table maximum', { maxBetMinor: config.maxBetMinor });
  if (round.bets.length >= config.maxBetsPerRound) return refuse('bet/table_limit', 'round holds the maximum number of bets', { maxBetsPerRound: config.maxBetsPerRound });

  const mine = round.bets.filter((bet) => bet.playerId === cmd.playerId);
  if (mine.length >= config.maxBetsPerPlayerPerRound) {
    return refuse('bet/player_limit', 'too many bets this round', { maxBetsPerPlayerPerRound: config.maxBetsPerPlayerPerRound });
  }
  const playerStakeMinor = mine.reduce((sum, bet) => sum + bet.stakeMinor, 0) + stakeMinor;
  if (playerStakeMinor > config.maxStakePerPlayerPerRoundMinor) {
    return refuse('bet/player_limit', 'stake this round would exceed the player limit', {
      maxStakePerPlayerPerRoundMinor: config.maxStakePerPlayerPerRoundMinor,
      currentStakeMinor: playerStakeMinor - stakeMinor,
    });
  }
  const worstCaseMinor = worstCasePayout(round, (pocket) => payoutFor(spot, stakeMinor, pocket));
  if (worstCaseMinor > config.maxPayoutPerRoundMinor) {
    return refuse('bet/payout_limit', "round's worst-case payout would exceed the table limit", {
      maxPayoutPerRoundMinor: config.maxPayoutPerRoundMinor,
      worstCaseMinor,
    });
  }
  return accept({ type: 'BetPlaced', roundId: round.roundId, betId: cmd.betId, playerId: cmd.playerId, spot, stakeMinor, at: cmd.now });
}

function worstCasePayout(round: RoundState, extra: (pocket: number) => number): number {
  let worst = 0;
  for (let pocket = 0; pocket < POCKET_COUNT; pocket++) worst = Math.max(worst, round.payoutByPocketMinor[pocket] + extra(pocket));
  return worst;
}

function isBetIdUsed(state: TableState, round: RoundState, betId: string): boolean {
  if (round.bets.some((bet) => bet.betId === betId) || round.removedBetIds.includes(betId)) return true;
  return state.retainedBetIds.some((retained) => sortedIncludes(retained.betIds, betId));
}

function sortedIncludes(sorted: readonly string[], value: string): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === value) return true;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function decideRemoveBet(state: TableState, cmd: RemoveBetCommand): Result {
  if (!isId(cmd.betId) || !isId(cmd.playerId)) return refuse('command/invalid', `betId and playerId must be 1..${MAX_ID_LENGTH} chars`);
  const round = openRound(state, cmd.now);
  if (!round) return refuse('bet/betting_closed', 'betting is closed', { roundId: state.round?.roundId ?? null });
  const bet = round.bets.find((b) => b.betId === cmd.betId && b.playerId === cmd.playerId);
  if (!bet) return refuse('bet/not_found', 'no such bet of this player in the open round', { betId: cmd.betId });
  return accept({ type: 'BetRemoved', roundId: round.roundId, betId: bet.betId, playerId: bet.playerId, spot: bet.spot, stakeMinor: bet.stakeMinor, at: cmd.now });
}

/** One BetRemoved per live bet of the player; no events when the player has none. */
function decideClearBets(state: TableState, cmd: ClearBetsCommand): Result {
  if (!isId(cmd.playerId)) return refuse('command/invalid', `playerId must be 1..${MAX_ID_LENGTH} chars`);
  const round = openRound(state, cmd.now);
  if (!round) return refuse('bet/betting_closed', 'betting is closed', { roundId: state.round?.roundId ?? null });
  return accept(
    ...round.bets
      .filter((bet) => bet.playerId === cmd.playerId)
      .map((bet): RouletteEvent => ({ type: 'BetRemoved', roundId: round.roundId, betId: bet.betId, playerId: bet.playerId, spot: bet.spot, stakeMinor: bet.stakeMinor, at: cmd.now })),
  );
}

function decideSubmitClientSeed(state: TableState, cmd: SubmitClientSeedCommand): Result {
  if (!isId(cmd.playerId)) return refuse('command/invalid', `playerId must be 1..${MAX_ID_LENGTH} chars`);
  const round = openRound(state, cmd.now);
  if (!round) return refuse('seed/betting_closed', 'client seeds are accepted only while betting is open', { roundId: state.round?.roundId ?? null });
  if (!isValidClientSeed(cmd.seed)) return refuse('seed/invalid', 'client seed must be 1..64 printable ASCII characters');
  const isNewPlayer = !round.clientSeeds.some((entry) => entry.playerId === cmd.playerId);
  if (isNewPlayer && round.clientSeeds.length >= state.config.maxClientSeedsPerRound) {
    return refuse('seed/limit', 'round holds the maximum number of client seeds', { maxClientSeedsPerRound: state.config.maxClientSeedsPerRound });
  }
  return accept({ type: 'ClientSeedSubmitted', roundId: round.roundId, playerId: cmd.playerId, seed: cmd.seed, at: cmd.now });
}

function decideTick(state: TableState, cmd: TickCommand): Result {
  if (typeof cmd.playersPresent !== 'boolean') return refuse('command/invalid', 'tick needs playersPresent: boolean');
  if (!isValidServerSeed(cmd.serverSeed)) return refuse('round/invalid_server_seed', 'serverSeed must be 64 lowercase hex characters');
  return accept(...tickEvents(state, cmd));
}
