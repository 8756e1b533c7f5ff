/**
 * decide(state, command) → Decision<BlackjackEvent>. Pure: never throws on a bad command, never
 * reads a clock or an RNG; a rejection changes nothing. A player's action carries on the round by
 * itself (next turn, dealer, settlement) in the same decision.
 */
import { accept, reject, type Decision } from '../decision.ts';
import { isValidClientSeed, isValidServerSeed } from '../roulette/fairness.ts';
import { rankOf } from './cards.ts';
import type { BlackjackRejectionCode } from './codes.ts';
import { isSplitAces } from './evolve.ts';
import { Draft, continueRound, nextCard, recover, tickEvents, voidRound } from './flow.ts';
import type {
  ActCommand, BlackjackCommand, BlackjackEvent, Hand, InsuranceCommand, LeaveSeatCommand, LeaveTableCommand,
  PlaceBetCommand, RemoveBetCommand, RoundSeat, SubmitClientSeedCommand, TableState, TakeSeatCommand,
} from './types.ts';

const MAX_ID_LENGTH = 128;
type Result = Decision<BlackjackEvent>;

function refuse(code: BlackjackRejectionCode, message: string, details?: Record<string, unknown>): Result {
  return reject(code, message, details);
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;
const isTime = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

export function decide(state: TableState, command: BlackjackCommand): Result {
  if (typeof command !== 'object' || command === null || !isTime(command.now)) {
    return refuse('command/invalid', 'command needs a `now` in epoch ms (non-negative safe integer)');
  }
  if ('playerId' in command && !isId(command.playerId)) return refuse('command/invalid', `playerId must be 1..${MAX_ID_LENGTH} chars`);
  switch (command.type) {
    case 'takeSeat':
      return decideTakeSeat(state, command);
    case 'leaveSeat':
      return decideLeaveSeat(state, command);
    case 'leaveTable':
      return decideLeaveTable(state, command);
    case 'placeBet':
      return decidePlaceBet(state, command);
    case 'removeBet':
      return decideRemoveBet(state, command);
    case 'submitClientSeed':
      return decideSeed(state, command);
    case 'insurance':
      return decideInsurance(state, command);
    case 'act':
      return decideAct(state, command);
    case 'tick':
      if (typeof command.playersPresent !== 'boolean') return refuse('command/invalid', 'tick needs playersPresent: boolean');
      if (!isValidServerSeed(command.serverSeed)) return refuse('round/invalid_server_seed', 'serverSeed must be 64 lowercase hex characters');
      return accept(...tickEvents(state, command));
    case 'recover':
      return accept(...recover(state, command.now));
    default:
      return refuse('command/invalid', 'unknown command type', { type: (command as { type?: unknown }).type });
  }
}

function seatError(state: TableState, seat: unknown): Result | null {
  if (!isIndex(seat) || seat >= state.config.seats) return refuse('seat/invalid', `seat must be 0..${state.config.seats - 1}`, { seat });
  return null;
}

function seatsOf(state: TableState, playerId: string): number[] {
  return state.seats.flatMap((owner, seat) => (owner === playerId ? [seat] : []));
}

/** Taking a free seat (or one's own: no events); checks the per-player limit. */
function takeSeatEvents(state: TableState, playerId: string, seat: number, now: number): Result {
  const owner = state.seats[seat];
  if (owner === playerId) return accept();
  if (owner !== null) return refuse('seat/taken', 'the seat belongs to another player', { seat });
  if (seatsOf(state, playerId).length >= state.config.maxSeatsPerPlayer) return refuse('seat/limit', 'seat limit reached', { maxSeatsPerPlayer: state.config.maxSeatsPerPlayer });
  return accept({ type: 'SeatTaken', seat, playerId, at: now });
}

function decideTakeSeat(state: TableState, cmd: TakeSeatCommand): Result {
  return seatError(state, cmd.seat) ?? takeSeatEvents(state, cmd.playerId, cmd.seat, cmd.now);
}

function roundSeat(state: TableState, seat: number): RoundSeat | undefined {
  return state.phase === 'settled' || state.phase === 'voided' || state.phase === 'idle' ? undefined : state.round?.seats.find((s) => s.seat === seat);
}

function decideLeaveSeat(state: TableState, cmd: LeaveSeatCommand): Result {
  const bad = seatError(state, cmd.seat);
  if (bad) return bad;
  if (state.seats[cmd.seat] !== cmd.playerId) return refuse('seat/not_yours', 'the seat is not yours', { seat: cmd.seat });
  if (roundSeat(state, cmd.seat)) return refuse('seat/in_play', 'the seat is in the current round', { seat: cmd.seat });
  return accept({ type: 'SeatLeft', seat: cmd.seat, playerId: cmd.playerId, at: cmd.now });
}

/** Leaving the table: bets still in the betting window are taken back; hands in play stand, insurance is declined. */
function decideLeaveTable(state: TableState, cmd: LeaveTableCommand): Result {
  const d = new Draft(state);
  for (const seat of seatsOf(state, cmd.playerId)) {
    const inRound = roundSeat(d.state, seat);
    if (inRound && d.state.phase === 'betting') {
      d.push({ type: 'BetRemoved', roundId: d.round.roundId, seat, playerId: cmd.playerId, betId: inRound.betId, stakeMinor: inRound.betMinor, at: cmd.now });
    }
    d.push({ type: 'SeatLeft', seat, playerId: cmd.playerId, at: cmd.now });
  }
  if (d.events.length > 0) continueRound(d, cmd.now);
  return accept(...d.events);
}

function bettingRound(state: TableState, now: number) {
  return state.phase === 'betting' && state.round && now < state.round.closesAt ? state.round : null;
}

function isBetIdUsed(state: TableState, betId: string): boolean {
  const round = state.round;
  if (round && (round.seats.some((s) => s.betId === betId) || round.removedBetIds.includes(betId))) return true;
  return state.retainedBetIds.some((r) => r.betIds.includes(betId));
}

function decidePlaceBet(state: TableState, cmd: PlaceBetCommand): Result {
  if (!isId(cmd.betId)) return refuse('command/invalid', `betId must be 1..${MAX_ID_LENGTH} chars`);
  const bad = seatError(state, cmd.seat);
  if (bad) return bad;
  const round = bettingRound(state, cmd.now);
  if (!round) return refuse('bet/betting_closed', 'betting is closed', { roundId: state.round?.roundId ?? null });
  if (isBetIdUsed(state, cmd.betId)) return refuse('bet/duplicate', 'betId already used at this table', { betId: cmd.betId });
  const stake = cmd.stakeMinor;
  if (!Number.isSafeInteger(stake) || stake <= 0 || stake % 2 !== 0) return refuse('bet/invalid_stake', 'stake must be a positive even integer in minor units');
  const { config } = state;
  if (stake < config.minBetMinor) return refuse('bet/below_min', 'stake below table minimum', { minBetMinor: config.minBetMinor });
  if (stake > config.maxBetMinor) return refuse('bet/above_max', 'stake above table maximum', { maxBetMinor: config.maxBetMinor });
  const seated = takeSeatEvents(state, cmd.playerId, cmd.seat, cmd.now);
  if (!seated.ok) return seated;
  if (round.seats.some((s) => s.seat === cmd.seat)) return refuse('bet/already_placed', 'this seat already has a bet this round', { seat: cmd.seat });
  return accept(...seated.events, { type: 'BetPlaced', roundId: round.roundId, seat: cmd.seat, playerId: cmd.playerId, betId: cmd.betId, stakeMinor: stake, at: cmd.now });
}

function decideRemoveBet(state: TableState, cmd: RemoveBetCommand): Result {
  const bad = seatError(state, cmd.seat);
  if (bad) return bad;
  const round = bettingRound(state, cmd.now);
  if (!round) return refuse('bet/betting_closed', 'betting is closed', { roundId: state.round?.roundId ?? null });
  const seat = round.seats.find((s) => s.seat === cmd.seat && s.playerId === cmd.playerId);
  if (!seat) return refuse('bet/not_found', 'no bet of yours on this seat', { seat: cmd.seat });
  return accept({ type: 'BetRemoved', roundId: round.roundId, seat: seat.seat, playerId: seat.playerId, betId: seat.betId, stakeMinor: seat.betMinor, at: cmd.now });
}

function decideSeed(state: TableState, cmd: SubmitClientSeedCommand): Result {
  const shoe = state.shoe;
  if (!shoe || shoe.finished || shoe.clientSeed !== null || !bettingRound(state, cmd.now)) {
    return refuse('seed/shoe_started', 'client seeds are accepted only while the shoe’s first round takes bets', { shoeId: shoe?.shoeId ?? null });
  }
  if (!isValidClientSeed(cmd.seed)) return refuse('seed/invalid', 'client seed must be 1..64 printable ASCII characters');
  const isNew = !shoe.clientSeeds.some((s) => s.playerId === cmd.playerId);
  if (isNew && shoe.clientSeeds.length >= state.config.maxClientSeedsPerShoe) return refuse('seed/limit', 'the shoe holds the maximum number of client seeds');
  return accept({ type: 'ClientSeedSubmitted', shoeId: shoe.shoeId, playerId: cmd.playerId, seed: cmd.seed, at: cmd.now });
}

function decideInsurance(state: TableState, cmd: InsuranceCommand): Result {
  if (typeof cmd.take !== 'boolean') return refuse('command/invalid', 'take must be true or false');
  const bad = seatError(state, cmd.seat);
  if (bad) return bad;
  const round = state.round;
  if (state.phase !== 'insurance' || !round || round.insuranceDeadline === null || cmd.now >= round.insuranceDeadline) {
    return refuse('insurance/not_offered', 'insurance is not being offered');
  }
  const seat = round.seats.find((s) => s.seat === cmd.seat);
  if (!seat || seat.playerId !== cmd.playerId) return refuse('seat/not_yours', 'no hand of yours on this seat', { seat: cmd.seat });
  if (seat.insurance !== 'pending') return refuse('insurance/already_decided', 'insurance already decided for this seat');
  const d = new Draft(state);
  const amountMinor = cmd.take ? seat.betMinor / 2 : 0;
  d.push({
    type: 'InsuranceDecided', roundId: round.roundId, seat: seat.seat, playerId: seat.playerId, take: cmd.take,
    stakeId: cmd.take ? `${seat.betId}.i` : null, amountMinor, reason: 'player', at: cmd.now,
  });
  continueRound(d, cmd.now);
  return accept(...d.events);
}

/** Why `action` is not allowed on this hand now, or null when it is. */
function actionRefusal(state: TableState, seat: RoundSeat, hand: Hand, action: ActCommand['action']): Result | null {
  const { config } = state;
  const twoCards = hand.cards.length === 2;
  const splitAces = isSplitAces(hand);
  switch (action) {
    case 'stand':
      return null;
    case 'hit':
      return splitAces ? refuse('hand/cannot_hit', 'split aces get one card each') : null;
    case 'double':
      if (!twoCards || hand.doubled) return refuse('hand/cannot_double', 'double needs a hand of exactly two cards', { cards: hand.cards.length });
      if (splitAces) return refuse('hand/cannot_double', 'split aces get one card each');
      if (hand.fromSplit && !config.doubleAfterSplit) return refuse('hand/cannot_double', 'this table does not allow doubling after a split');
      return null;
    case 'split':
      if (!twoCards || rankOf(hand.cards[0]!) !== rankOf(hand.cards[1]!)) return refuse('hand/cannot_split', 'split needs two cards of the same rank');
      if (seat.hands.length >= config.maxHands) return refuse('hand/cannot_split', `at most ${config.maxHands} hands per seat`, { maxHands: config.maxHands });
      if (splitAces && !config.resplitAces) return refuse('hand/cannot_split', 'this table does not allow resplitting aces');
      return null;
    case 'surrender':
      if (!config.lateSurrender) return refuse('hand/cannot_surrender', 'this table does not offer surrender');
      if (!twoCards || hand.fromSplit || seat.hands.length !== 1) return refuse('hand/cannot_surrender', 'surrender is only on the first two cards of an unsplit hand');
      return null;
    default:
      return refuse('command/invalid', 'action must be hit, stand, double, split or surrender', { action });
  }
}

function decideAct(state: TableState, cmd: ActCommand): Result {
  const round = state.round;
  if (state.phase !== 'playing' || !round) return refuse('hand/no_round', 'no hand is being played');
  const turn = round.turn;
  const seat = round.seats.find((s) => s.seat === cmd.seat);
  const hand = seat?.hands[cmd.hand];
  if (!turn || turn.seat !== cmd.seat || turn.hand !== cmd.hand || !seat || !hand || seat.playerId !== cmd.playerId) {
    return refuse('hand/not_your_turn', 'it is not this hand’s turn, or the seat is not yours', { turn: turn ? { seat: turn.seat, hand: turn.hand } : null });
  }
  if (cmd.now >= turn.deadline) return refuse('hand/not_your_turn', 'the decision time of this hand has run out (it stands)', { deadline: turn.deadline });
  const refusal = actionRefusal(state, seat, hand, cmd.action);
  if (refusal) return refusal;

  const d = new Draft(state);
  const base = { roundId: round.roundId, seat: cmd.seat, hand: cmd.hand, at: cmd.now };
  const count = (kind: string) => seat.stakes.filter((s) => s.kind === kind).length + 1;
  switch (cmd.action) {
    case 'stand':
      d.push({ type: 'HandStood', ...base, reason: 'player' });
      break;
    case 'surrender':
      d.push({ type: 'HandSurrendered', ...base });
      break;
    case 'hit': {
      const card = nextCard(state);
      if (!card) return accept(...exhausted(d, cmd.now));
      d.push({ type: 'CardDrawn', ...base, card });
      break;
    }
    case 'double': {
      const card = nextCard(state);
      if (!card) return accept(...exhausted(d, cmd.now));
      d.push({ type: 'HandDoubled', ...base, playerId: seat.playerId, stakeId: `${seat.betId}.d${count('double')}`, amountMinor: hand.stakeMinor, card });
      break;
    }
    case 'split': {
      const first = nextCard(state);
      const second = nextCard(state, 1);
      if (!first || !second) return accept(...exhausted(d, cmd.now));
      d.push({ type: 'HandSplit', ...base, playerId: seat.playerId, stakeId: `${seat.betId}.s${count('split')}`, amountMinor: hand.stakeMinor, cards: [first, second] });
      break;
    }
  }
  continueRound(d, cmd.now);
  return accept(...d.events);
}

function exhausted(d: Draft, now: number): BlackjackEvent[] {
  voidRound(d, now);
  return d.events;
}

/** The stakes a decision puts up (the room reserves each before journaling it): a bet, a double, a split or insurance. */
export function newStakes(events: readonly BlackjackEvent[]): Array<{ stakeId: string; playerId: string; amountMinor: number }> {
  const out: Array<{ stakeId: string; playerId: string; amountMinor: number }> = [];
  for (const e of events) {
    if (e.type === 'BetPlaced') out.push({ stakeId: e.betId, playerId: e.playerId, amountMinor: e.stakeMinor });
    else if (e.type === 'HandDoubled' || e.type === 'HandSplit') out.push({ stakeId: e.stakeId, playerId: e.playerId, amountMinor: e.amountMinor });
    else if (e.type === 'InsuranceDecided' && e.take && e.stakeId) out.push({ stakeId: e.stakeId, playerId: e.playerId, amountMinor: e.amountMinor });
  }
  return out;
}

