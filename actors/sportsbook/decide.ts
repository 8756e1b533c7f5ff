/**
 * decide(state, command) → Decision<SportsEvent>. Pure: never throws on a bad command, never reads
 * a clock or an RNG; a rejection changes nothing. Every accepted command first runs the timers due
 * at its `now` (lifecycle.ts), then its own events, then a re-price if any quote changed.
 * Checks for placeBet, in order: command/invalid → bet/duplicate → bet/event_limit →
 * bet/invalid_stake → bet/unknown_market → bet/invalid_selection → bet/market_closed →
 * bet/market_suspended → bet/selection_closed → bet/stake_limit → bet/price_changed →
 * bet/payout_limit → bet/liability_limit → bet/player_limit.
 */
import { MAX_PRICE_MILLI, MIN_PRICE_MILLI } from '../odds/index.ts';
import { accept, reject, type Decision } from '../decision.ts';
import { getBet } from './bets.ts';
import { cashOutQuote, offerWithinTolerance } from './cashout.ts';
import type { SportsbookRejectionCode } from './codes.ts';
import { sportsbookConfig, validateSportsbookConfig } from './config.ts';
import { offerMessage, parseFeedMessage } from './feed.ts';
import { applySteps, isTerminal } from './incidents.ts';
import { recover, resolveDelays, runDue } from './lifecycle.ts';
import { MAX_STAKE_FACTOR, checkExposure, checkPlayer, checkStake, policyAllows } from './limits.ts';
import { marketInputEvent } from './market-input.ts';
import { parsePriceMessage } from './price-feed.ts';
import { findMarket, initialMarketDefs, isInPlay, marketBlock, nextGoalMarketId } from './markets.ts';
import { Plan } from './plan.ts';
import { closeMarket, rejectPendingOn, resettlement, settleAtFullTime } from './settlement.ts';
import type {
  CashOutCommand,
  CreateCommand,
  EventState,
  FeedCommand,
  MarketPricesCommand,
  MarketResult,
  OperatorEventCommand,
  OperatorMarketCommand,
  PlaceBetCommand,
  ResettleCommand,
  SettleEventCommand,
  SportsbookCommand,
  SportsEvent,
} from './types.ts';

const MAX_ID_LENGTH = 128;
const MAX_TEXT_LENGTH = 200;

type Result = Decision<SportsEvent>;

function refuse(code: SportsbookRejectionCode, message: string, details?: Record<string, unknown>): Result {
  return reject(code, message, details);
}

function isId(value: unknown, max = MAX_ID_LENGTH): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function isTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

export function decide(state: EventState | null, command: SportsbookCommand): Result {
  if (typeof command !== 'object' || command === null || !isTime(command.now)) {
    return refuse('command/invalid', 'command needs a `now` in epoch ms (non-negative safe integer)');
  }
  if (command.type === 'create') return decideCreate(state, command);
  if (state === null) return refuse('event/not_found', 'the event has not been created');
  switch (command.type) {
    case 'feed':
      return decideFeed(state, command);
    case 'marketPrices':
      return decideMarketPrices(state, command);
    case 'tick':
      return withDue(state, command.now, () => null);
    case 'placeBet':
      return decidePlaceBet(state, command);
    case 'cashOut':
      return decideCashOut(state, command);
    case 'suspendMarket':
    case 'resumeMarket':
    case 'voidMarket':
      return decideOperatorMarket(state, command);
    case 'suspendEvent':
    case 'resumeEvent':
      return decideOperatorEvent(state, command);
    case 'resettle':
      return decideResettle(state, command);
    case 'settleEvent':
      return decideSettleEvent(state, command);
    case 'recover': {
      const plan = new Plan(state);
      recover(plan, command.now);
      return accept(...plan.events);
    }
    default:
      return refuse('command/invalid', 'unknown command type', { type: (command as { type?: unknown }).type });
  }
}

/** Runs the timers due at `now`, then `body` on the resulting plan; a rejection from body discards everything. */
function withDue(state: EventState, now: number, body: (plan: Plan) => Result | null): Result {
  const plan = new Plan(state);
  runDue(plan, now);
  const refused = body(plan);
  if (refused) return refused;
  plan.finish(now);
  return accept(...plan.events);
}

function decideCreate(state: EventState | null, cmd: CreateCommand): Result {
  if (state !== null) return refuse('event/exists', 'the event already exists', { eventId: state.eventId });
  if (!isId(cmd.eventId) || !isId(cmd.league) || !isId(cmd.home) || !isId(cmd.away)) {
    return refuse('command/invalid', `eventId, league, home and away must be 1..${MAX_ID_LENGTH} chars`);
  }
  const lambdaOk = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 10;
  if (!lambdaOk(cmd.lambdaHome) || !lambdaOk(cmd.lambdaAway)) return refuse('command/invalid', 'lambdaHome and lambdaAway must be numbers in (0, 10]');
  if (!isTime(cmd.startsAt)) return refuse('command/invalid', 'startsAt must be epoch ms');
  if (cmd.modelVersion !== undefined && !isId(cmd.modelVersion, 64)) return refuse('command/invalid', 'modelVersion must be 1..64 chars');
  const config = sportsbookConfig(cmd.config ?? {});
  const problems = validateSportsbookConfig(config);
  if (problems.length > 0) return refuse('command/invalid', `invalid config: ${problems.join('; ')}`, { problems });
  const plan = new Plan(null as unknown as EventState);
  plan.push({
    type: 'EventCreated',
    eventId: cmd.eventId,
    league: cmd.league,
    home: cmd.home,
    away: cmd.away,
    lambdaHome: cmd.lambdaHome,
    lambdaAway: cmd.lambdaAway,
    startsAt: cmd.startsAt,
    config,
    markets: initialMarketDefs(cmd.home, cmd.away),
    modelVersion: cmd.modelVersion ?? null,
    at: cmd.now,
  });
  plan.reprice(cmd.now);
  return accept(...plan.events);
}

function decideFeed(state: EventState, cmd: FeedCommand): Result {
  // Re-validated here (cheap, and feed messages are rare) so a bad message can never reach evolve.
  const parsed = parseFeedMessage(cmd.message);
  if (!parsed.ok) return reject(parsed.rejection.code, parsed.rejection.message, parsed.rejection.details);
  const message = parsed.message;
  if (message.eventId !== state.eventId) return refuse('feed/wrong_event', 'feed message names another event', { eventId: message.eventId });
  if (isTerminal(state.phase)) return refuse('feed/event_closed', `event is ${state.phase}`, { seq: message.seq });
  return withDue(state, cmd.now, (plan) => {
    if (isTerminal(plan.state.phase)) return refuse('feed/event_closed', `event is ${plan.state.phase}`, { seq: message.seq });
    const limits = { reorderWindowMs: plan.state.config.reorderWindowMs, reorderBufferSize: plan.state.config.reorderBufferSize };
    const outcome = offerMessage(plan.state.feed, message, cmd.now, limits);
    if (outcome.kind === 'duplicate') return refuse('feed/duplicate', 'feed message already applied or buffered', { seq: message.seq, lastSeq: plan.state.feed.lastSeq });
    if (outcome.kind === 'buffered') plan.push({ type: 'FeedBuffered', message, at: cmd.now });
    else applySteps(plan, outcome.steps, cmd.now);
    return null;
  });
}

function decideMarketPrices(state: EventState, cmd: MarketPricesCommand): Result {
  const parsed = parsePriceMessage(cmd.message);
  if (!parsed.ok) return reject(parsed.rejection.code, parsed.rejection.message, parsed.rejection.details);
  if (parsed.message.eventId !== state.eventId) return refuse('prices/wrong_event', 'price message names another event', { eventId: parsed.message.eventId });
  return withDue(state, cmd.now, (plan) => {
    const outcome = marketInputEvent(plan.state, parsed.message, cmd.now);
    if (!outcome.ok) return refuse(outcome.code, outcome.message, outcome.details);
    plan.push(outcome.event);
    plan.reprice(cmd.now);
    return null;
  });
}

function validPlaceBet(cmd: PlaceBetCommand): string | null {
  if (!isId(cmd.betId) || !isId(cmd.playerId) || !isId(cmd.marketId) || !isId(cmd.selectionId)) return `betId, playerId, marketId and selectionId must be 1..${MAX_ID_LENGTH} chars`;
  if (!Number.isSafeInteger(cmd.priceMilli) || cmd.priceMilli < MIN_PRICE_MILLI || cmd.priceMilli > MAX_PRICE_MILLI) return `priceMilli must be an integer in [${MIN_PRICE_MILLI}, ${MAX_PRICE_MILLI}]`;
  if (cmd.acceptance !== 'exact' && cmd.acceptance !== 'better' && cmd.acceptance !== 'any') return "acceptance must be 'exact', 'better' or 'any'";
  if (cmd.stakeFactor !== undefined && !(typeof cmd.stakeFactor === 'number' && cmd.stakeFactor >= 0 && cmd.stakeFactor <= MAX_STAKE_FACTOR)) return `stakeFactor must be a number in [0, ${MAX_STAKE_FACTOR}]`;
  if (cmd.boostedPriceMilli !== undefined && !(Number.isSafeInteger(cmd.boostedPriceMilli) && cmd.boostedPriceMilli >= MIN_PRICE_MILLI && cmd.boostedPriceMilli <= MAX_PRICE_MILLI)) return `boostedPriceMilli must be an integer in [${MIN_PRICE_MILLI}, ${MAX_PRICE_MILLI}]`;
  const pb = cmd.profitBoost;
  if (pb !== undefined && !(isId(pb.campaignId) && Number.isSafeInteger(pb.boostPct) && pb.boostPct > 0 && pb.boostPct <= 1_000 && Number.isSafeInteger(pb.maxExtraMinor) && pb.maxExtraMinor > 0)) {
    return 'profitBoost must name a campaign with boostPct in [1, 1000] and a positive integer maxExtraMinor';
  }
  return null;
}

function decidePlaceBet(state: EventState, cmd: PlaceBetCommand): Result {
  const invalid = validPlaceBet(cmd);
  if (invalid) return refuse('command/invalid', invalid);
  return withDue(state, cmd.now, (plan) => {
    const s = plan.state;
    if (getBet(s, cmd.betId)) return refuse('bet/duplicate', 'betId already used in this event', { betId: cmd.betId });
    if (s.betCount >= s.config.maxBetsPerEvent) return refuse('bet/event_limit', 'the event holds the maximum number of bets', { maxBetsPerEvent: s.config.maxBetsPerEvent });
    if (!Number.isSafeInteger(cmd.stakeMinor) || cmd.stakeMinor <= 0) return refuse('bet/invalid_stake', 'stake must be a positive integer in minor units');
    const market = findMarket(s, cmd.marketId);
    if (!market) return refuse('bet/unknown_market', 'no such market', { marketId: cmd.marketId });
    const selection = market.selections.find((sel) => sel.selectionId === cmd.selectionId);
    if (!selection) return refuse('bet/invalid_selection', 'no such selection in this market', { marketId: cmd.marketId, selectionId: cmd.selectionId });
    const block = marketBlock(s, market);
    if (block) return refuse(block, block === 'bet/market_closed' ? 'the market is closed' : 'the market is suspended', { marketId: cmd.marketId });
    if (selection.priceMilli <= 0) return refuse('bet/selection_closed', 'the selection is not offered', { selectionId: cmd.selectionId });
    const stake = checkStake(s, cmd.stakeMinor, cmd.stakeFactor);
    if (stake) return reject(stake.code, stake.message, stake.details);
    const current = selection.priceMilli;
    // A boosted bet is priced at the boost, which must beat the market; any other at the market, by the policy.
    const boosted = cmd.boostedPriceMilli;
    if (boosted !== undefined && boosted <= current) return refuse('bet/boost_not_better', `the market price ${current} is at or above the boost`, { currentPriceMilli: current, boostedPriceMilli: boosted });
    if (boosted === undefined && !policyAllows(cmd.acceptance, cmd.priceMilli, current)) {
      return refuse('bet/price_changed', `the price is now ${current}`, { currentPriceMilli: current, requestedPriceMilli: cmd.priceMilli });
    }
    const price = boosted ?? current;
    const check = { playerId: cmd.playerId, marketId: cmd.marketId, selectionId: cmd.selectionId, stakeMinor: cmd.stakeMinor, priceMilli: price };
    const exposure = checkExposure(s, check) ?? checkPlayer(s, cmd.playerId, cmd.stakeMinor, cmd.stakeFactor);
    if (exposure) return reject(exposure.code, exposure.message, exposure.details);
    const acceptAt = isInPlay(s, cmd.now) ? cmd.now + s.config.betDelayMs : cmd.now;
    plan.push({
      type: 'BetRequested',
      betId: cmd.betId,
      playerId: cmd.playerId,
      marketId: cmd.marketId,
      selectionId: cmd.selectionId,
      stakeMinor: cmd.stakeMinor,
      acceptance: cmd.acceptance,
      requestedPriceMilli: cmd.priceMilli,
      priceMilli: price,
      acceptAt,
      at: cmd.now,
      ...(boosted === undefined ? {} : { boostedPriceMilli: boosted }),
      ...(cmd.profitBoost === undefined ? {} : { profitBoost: cmd.profitBoost }),
    });
    if (acceptAt <= cmd.now) resolveDelays(plan, cmd.now);
    return null;
  });
}

function decideCashOut(state: EventState, cmd: CashOutCommand): Result {
  if (!isId(cmd.betId) || !isId(cmd.playerId)) return refuse('command/invalid', `betId and playerId must be 1..${MAX_ID_LENGTH} chars`);
  if (!Number.isSafeInteger(cmd.offerMinor) || cmd.offerMinor <= 0) return refuse('command/invalid', 'offerMinor must be a positive integer');
  return withDue(state, cmd.now, (plan) => {
    const s = plan.state;
    const bet = getBet(s, cmd.betId);
    if (!bet || bet.playerId !== cmd.playerId) return refuse('cashout/not_found', 'no such bet of this player', { betId: cmd.betId });
    if (bet.cashOut) return refuse('cashout/pending', 'a cash-out of this bet is already in its delay', { executeAt: bet.cashOut.executeAt });
    const quote = cashOutQuote(s, bet);
    if (!quote.ok) return refuse('cashout/unavailable', quote.reason, { betId: cmd.betId });
    if (!offerWithinTolerance(s, cmd.offerMinor, quote.offerMinor)) {
      return refuse('cashout/offer_changed', `the offer is now ${quote.offerMinor}`, { currentOfferMinor: quote.offerMinor });
    }
    const executeAt = isInPlay(s, cmd.now) ? cmd.now + s.config.betDelayMs : cmd.now;
    plan.push({ type: 'CashOutRequested', betId: bet.betId, playerId: bet.playerId, offerMinor: cmd.offerMinor, currentOfferMinor: quote.offerMinor, executeAt, at: cmd.now });
    if (executeAt <= cmd.now) resolveDelays(plan, cmd.now);
    return null;
  });
}

function validOperator(cmd: { reason: unknown; by: unknown }): boolean {
  return isId(cmd.reason, MAX_TEXT_LENGTH) && isId(cmd.by);
}

function decideOperatorMarket(state: EventState, cmd: OperatorMarketCommand): Result {
  if (!isId(cmd.marketId) || !validOperator(cmd)) return refuse('command/invalid', `marketId, by (1..${MAX_ID_LENGTH}) and reason (1..${MAX_TEXT_LENGTH}) are required`);
  return withDue(state, cmd.now, (plan) => {
    const market = findMarket(plan.state, cmd.marketId);
    if (!market) return refuse('market/not_found', 'no such market', { marketId: cmd.marketId });
    const { reason, by, now } = cmd;
    if (cmd.type === 'voidMarket') {
      if (market.result?.kind === 'void') return refuse('market/no_change', 'the market is already void');
      if (market.result) {
        const event = resettlement(plan.state, market.marketId, { kind: 'void', reason }, reason, by, now);
        if (event) plan.push(event);
        return null;
      }
      closeMarket(plan, market.marketId, { kind: 'void', reason }, now, by);
      return null;
    }
    if (market.result) return refuse('market/closed', `the market is ${market.result.kind === 'void' ? 'void' : 'settled'}`);
    if (cmd.type === 'suspendMarket') {
      if (market.operatorSuspension) return refuse('market/no_change', 'the market is already suspended by an operator');
      plan.push({ type: 'MarketSuspended', marketId: market.marketId, reason, by, at: now });
      return null;
    }
    if (!market.operatorSuspension) return refuse('market/no_change', 'the market is not suspended by an operator');
    plan.push({ type: 'MarketResumed', marketId: market.marketId, reason, by, at: now });
    plan.reprice(now);
    return null;
  });
}

function decideOperatorEvent(state: EventState, cmd: OperatorEventCommand): Result {
  if (!validOperator(cmd)) return refuse('command/invalid', `by (1..${MAX_ID_LENGTH}) and reason (1..${MAX_TEXT_LENGTH}) are required`);
  return withDue(state, cmd.now, (plan) => {
    const s = plan.state;
    if (isTerminal(s.phase)) return refuse('event/no_change', `the event is ${s.phase}`);
    if (cmd.type === 'suspendEvent') {
      if (s.operatorSuspension) return refuse('event/no_change', 'the event is already suspended by an operator');
      plan.push({ type: 'EventSuspended', reason: cmd.reason, by: cmd.by, at: cmd.now });
      return null;
    }
    if (!s.operatorSuspension && !s.autoSuspension) return refuse('event/no_change', 'the event is not suspended');
    plan.push({ type: 'EventResumed', reason: cmd.reason, by: cmd.by, at: cmd.now });
    plan.reprice(cmd.now);
    return null;
  });
}

function decideResettle(state: EventState, cmd: ResettleCommand): Result {
  if (!isId(cmd.marketId) || !validOperator(cmd)) return refuse('command/invalid', `marketId, by (1..${MAX_ID_LENGTH}) and reason (1..${MAX_TEXT_LENGTH}) are required`);
  const raw = cmd.result as { winner?: unknown; void?: unknown } | null;
  if (typeof raw !== 'object' || raw === null || (raw.void !== true && !isId(raw.winner))) {
    return refuse('command/invalid', 'result must be { winner: selectionId } or { void: true }');
  }
  return withDue(state, cmd.now, (plan) => {
    const market = findMarket(plan.state, cmd.marketId);
    if (!market) return refuse('market/not_found', 'no such market', { marketId: cmd.marketId });
    if (!market.result) return refuse('market/not_settled', 'only a settled or void market can be re-settled');
    let result: MarketResult;
    if (raw.void === true) result = { kind: 'void', reason: cmd.reason };
    else {
      const winner = raw.winner as string;
      if (!market.selections.some((s) => s.selectionId === winner)) return refuse('command/invalid', 'winner is not a selection of this market', { winner });
      result = { kind: 'winner', selectionId: winner };
    }
    const event = resettlement(plan.state, market.marketId, result, cmd.reason, cmd.by, cmd.now);
    if (!event) return refuse('market/no_change', 'the market already has this result');
    plan.push(event);
    return null;
  });
}

const MAX_GOALS = 99;

/**
 * The operator's final score: goals it adds to the recorded score decide the open next-goal
 * markets (in order when one team scored them all, else void: the order is unknown), then every
 * other open market is settled as at full time and bets or cash-outs in their delay are rejected.
 * A score below the recorded one is refused: markets it already decided are re-settled instead.
 */
function decideSettleEvent(state: EventState, cmd: SettleEventCommand): Result {
  const goals = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_GOALS;
  if (!validOperator(cmd) || typeof cmd.score !== 'object' || cmd.score === null || !goals(cmd.score.home) || !goals(cmd.score.away)) {
    return refuse('command/invalid', `score {home, away} (0..${MAX_GOALS}), by and reason are required`);
  }
  if (isTerminal(state.phase)) return refuse('event/closed', `event is ${state.phase}`);
  return withDue(state, cmd.now, (plan) => {
    if (isTerminal(plan.state.phase)) return refuse('event/closed', `event is ${plan.state.phase}`);
    const before = plan.state.score;
    const added = { home: cmd.score.home - before.home, away: cmd.score.away - before.away };
    if (added.home < 0 || added.away < 0) return refuse('event/score_conflict', 'the final score is below the recorded score', { score: before });
    plan.push({ type: 'EventSettledByOperator', score: { home: cmd.score.home, away: cmd.score.away }, reason: cmd.reason, by: cmd.by, at: cmd.now });
    const scorer = added.home > 0 && added.away > 0 ? null : added.home > 0 ? 'home' : 'away';
    for (let i = 0; i < added.home + added.away; i++) {
      closeMarket(plan, nextGoalMarketId(before.home + before.away + 1 + i), scorer ? { kind: 'winner', selectionId: scorer } : { kind: 'void', reason: 'scorer_unknown' }, cmd.now, cmd.by);
    }
    rejectPendingOn(plan, null, 'bet/market_closed', 'cashout/unavailable', 'event settled by an operator', cmd.now);
    settleAtFullTime(plan, cmd.now);
    return null;
  });
}
