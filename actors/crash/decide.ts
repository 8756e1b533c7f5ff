/**
 * decide(state, command) → Decision<CrashEvent>. Pure: never throws on a bad command, never reads
 * a clock or an RNG; a rejection changes nothing. A command first brings the round's clock to its
 * `now` (the scheduled transitions due by then, see lifecycle.ts), so a cash-out is decided
 * against the curve at the instant the server processes it, after every auto cash-out, cap and
 * crash that came before it. Checks for placeBet, in order: command/invalid → bet/betting_closed →
 * bet/duplicate → bet/one_per_round → bet/invalid_stake → bet/below_min → bet/above_max →
 * bet/player_limit → bet/invalid_auto_cashout → bet/payout_limit → bet/table_limit.
 */
import { accept, reject, type Decision } from '../decision.ts';
import type { CrashRejectionCode } from './codes.ts';
import { multiplierCentsAt, payoutAt } from './curve.ts';
import { evolve } from './evolve.ts';
import { isChainHash, chainNext } from './fairness.ts';
import { dueEvents, recover, tickEvents } from './lifecycle.ts';
import { cashedOut } from './run.ts';
import type { CashOutCommand, CrashBet, CrashCommand, CrashEvent, CrashTableState, PlaceBetCommand, StartChainCommand, TickCommand } from './types.ts';

const MAX_ID_LENGTH = 128;
const MAX_CHAIN_LENGTH = 10_000_000;
const MAX_SALT_LENGTH = 128;

type Result = Decision<CrashEvent>;

function refuse(code: CrashRejectionCode, message: string, details?: Record<string, unknown>): Result {
  return reject(code, message, details);
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;
const isTime = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

export function decide(state: CrashTableState, command: CrashCommand): Result {
  if (typeof command !== 'object' || command === null || !isTime(command.now)) {
    return refuse('command/invalid', 'command needs a `now` in epoch ms (non-negative safe integer)');
  }
  switch (command.type) {
    case 'startChain':
      return decideStartChain(state, command);
    case 'placeBet':
      return decidePlaceBet(state, command);
    case 'cashOut':
      return decideCashOut(state, command);
    case 'tick':
      return decideTick(state, command);
    case 'recover':
      return accept(...recover(state, command.now));
    default:
      return refuse('command/invalid', 'unknown command type', { type: (command as { type?: unknown }).type });
  }
}

function decideStartChain(state: CrashTableState, cmd: StartChainCommand): Result {
  if (!isChainHash(cmd.terminalHash) || !Number.isSafeInteger(cmd.length) || cmd.length < 1 || cmd.length > MAX_CHAIN_LENGTH
    || typeof cmd.salt !== 'string' || cmd.salt.length < 1 || cmd.salt.length > MAX_SALT_LENGTH) {
    return refuse('chain/invalid', 'terminalHash: 64 lowercase hex; length: 1..10,000,000; salt: 1..128 characters');
  }
  const chain = state.chain;
  if ((chain && chain.used < chain.length) || state.phase === 'betting' || state.phase === 'running') {
    return refuse('chain/in_use', 'the current chain still has rounds, or a round is in progress');
  }
  return accept({ type: 'ChainStarted', tableId: state.tableId, chainId: (chain?.chainId ?? 0) + 1, terminalHash: cmd.terminalHash, length: cmd.length, salt: cmd.salt, at: cmd.now });
}

/** The bet this exact command placed before (a retried message), or null. */
export function retriedBet(state: CrashTableState, cmd: PlaceBetCommand): CrashBet | null {
  const bet = state.round?.bets.find((b) => b.betId === cmd.betId);
  if (!bet || bet.playerId !== cmd.playerId || bet.stakeMinor !== cmd.stakeMinor || bet.autoCashOutCents !== (cmd.autoCashOutCents ?? null)) return null;
  return bet;
}

function decidePlaceBet(state: CrashTableState, cmd: PlaceBetCommand): Result {
  if (!isId(cmd.betId) || !isId(cmd.playerId)) return refuse('command/invalid', `betId and playerId must be 1..${MAX_ID_LENGTH} chars`);
  const round = state.round;
  if (state.phase !== 'betting' || !round || cmd.now >= round.startsAt) return refuse('bet/betting_closed', 'no round is taking bets', { roundId: round?.roundId ?? null });
  if (round.bets.some((b) => b.betId === cmd.betId)) return refuse('bet/duplicate', 'betId already used in this round', { betId: cmd.betId });
  if (round.bets.some((b) => b.playerId === cmd.playerId)) return refuse('bet/one_per_round', 'one bet per player per round');
  const { config } = state;
  const stake = cmd.stakeMinor;
  if (!Number.isSafeInteger(stake) || stake <= 0) return refuse('bet/invalid_stake', 'stake must be a positive integer in minor units');
  if (stake < config.minBetMinor) return refuse('bet/below_min', 'stake below table minimum', { minBetMinor: config.minBetMinor });
  if (stake > config.maxBetMinor) return refuse('bet/above_max', 'stake above table maximum', { maxBetMinor: config.maxBetMinor });
  if (stake > config.maxStakePerPlayerPerRoundMinor) {
    return refuse('bet/player_limit', 'stake above the per-player limit per round', { maxStakePerPlayerPerRoundMinor: config.maxStakePerPlayerPerRoundMinor });
  }
  const auto = cmd.autoCashOutCents ?? null;
  if (auto !== null && (!Number.isSafeInteger(auto) || auto < 101 || auto > config.maxAutoCashOutCents)) {
    return refuse('bet/invalid_auto_cashout', 'auto cash-out must be 1.01× or more, two decimals, at most the table maximum', { maxAutoCashOutCents: config.maxAutoCashOutCents });
  }
  // The multiplier at which this bet reaches the max payout per bet (floor keeps the payout within it).
  const capCents = Math.floor((config.maxPayoutPerBetMinor * 100) / stake);
  if (capCents < 101 || (auto !== null && payoutAt(stake, auto) > config.maxPayoutPerBetMinor)) {
    return refuse('bet/payout_limit', 'the bet could pay more than the maximum payout per bet', { maxPayoutPerBetMinor: config.maxPayoutPerBetMinor, maxAutoCashOutCents: capCents });
  }
  if (round.bets.length >= config.maxBetsPerRound) return refuse('bet/table_limit', 'the round holds the maximum number of bets', { maxBetsPerRound: config.maxBetsPerRound });
  // The liability cap must lie above 1.01× for everyone in: otherwise the round would pay out at its start.
  if ((round.stakeInMinor + stake) * 101 > config.liabilityCapMinor * 100) {
    return refuse('bet/table_limit', "the round's stakes would reach the liability cap at 1.01×", { liabilityCapMinor: config.liabilityCapMinor });
  }
  return accept({ type: 'BetPlaced', roundId: round.roundId, betId: cmd.betId, playerId: cmd.playerId, stakeMinor: stake, autoCashOutCents: auto, capCents, at: cmd.now });
}

/**
 * Brings the round to `now`, then cashes the player out at the floored multiplier of that instant
 * when the round is still running and the player still in. When the catch-up itself cashed the
 * player out (auto target, max payout, cap) that is the answer, and the catch-up is accepted.
 */
function decideCashOut(state: CrashTableState, cmd: CashOutCommand): Result {
  if (!isId(cmd.playerId)) return refuse('command/invalid', `playerId must be 1..${MAX_ID_LENGTH} chars`);
  const due = dueEvents(state, cmd.now);
  const current = due.reduce(evolve, state);
  const round = current.round;
  const bet = round?.bets.find((b) => b.playerId === cmd.playerId);
  if (due.some((e) => e.type === 'CashedOut' && e.cashOuts.some((c) => c.playerId === cmd.playerId))) return accept(...due);
  if (current.phase === 'crashed' && round && bet && bet.cashedOutCents === null) {
    return refuse('cashout/crashed', 'the round crashed before the cash-out', { roundId: round.roundId, crashCents: round.crashCents });
  }
  if (current.phase !== 'running' || !round) return refuse('cashout/not_running', 'the round is not running', { phase: current.phase });
  if (!bet) return refuse('cashout/no_bet', 'no bet of this player in the round', { roundId: round.roundId });
  if (bet.cashedOutCents !== null) return refuse('cashout/already', 'the bet was already cashed out', { multiplierCents: bet.cashedOutCents, reason: bet.reason });
  const elapsedMs = cmd.now - round.startsAt;
  return accept(...due, cashedOut(round, multiplierCentsAt(elapsedMs), 'manual', elapsedMs, [bet]));
}

function decideTick(state: CrashTableState, cmd: TickCommand): Result {
  if (typeof cmd.playersPresent !== 'boolean' || (cmd.roundHash !== null && typeof cmd.roundHash !== 'string')) {
    return refuse('command/invalid', 'tick needs playersPresent: boolean and roundHash: string | null');
  }
  if (cmd.roundHash !== null) {
    const expected = state.chain?.expectedPreimageOf;
    if (!isChainHash(cmd.roundHash) || expected === undefined || chainNext(cmd.roundHash) !== expected) {
      return refuse('round/invalid_hash', "the round hash does not hash to the chain's previous element");
    }
  }
  return accept(...tickEvents(state, cmd));
}
