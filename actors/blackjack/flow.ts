/**
 * The round's clock and everything the table does by itself: opening shoes and rounds, dealing,
 * insurance and the peek, handing the turn from hand to hand (a hand whose time runs out stands;
 * the hands of a player who left stand), the dealer's play and settlement, and recovery after a
 * restart (the hand continues; deadlines get the recovery grace).
 */
import { handTotal, isNatural } from './cards.ts';
import { evolve } from './evolve.ts';
import { hashServerSeed, roundClientSeed } from '../roulette/fairness.ts';
import { settleSeats } from './settle.ts';
import { roundIdOf, shoeIdOf } from './shoe.ts';
import type { BlackjackEvent, DealtCard, RoundState, TableState, TickCommand } from './types.ts';

/** Accumulates decided events while applying them, so each next step sees the state they make. */
export class Draft {
  readonly events: BlackjackEvent[] = [];
  constructor(public state: TableState) {}

  push(event: BlackjackEvent): void {
    this.events.push(event);
    this.state = evolve(this.state, event);
  }

  get round(): RoundState {
    return this.state.round!;
  }
}

/** The next card of the shoe, or null when the shoe is exhausted (or not shuffled). */
export function nextCard(state: TableState, offset = 0): DealtCard | null {
  const shoe = state.shoe;
  if (!shoe?.order) return null;
  const position = shoe.position + offset;
  return position < shoe.cards ? { position, card: shoe.order[position]! } : null;
}

/** When the table next needs a tick, or null when idle. */
export function nextDeadline(state: TableState): number | null {
  const round = state.round;
  switch (state.phase) {
    case 'idle':
      return null;
    case 'betting':
      return round ? round.closesAt : null;
    case 'insurance':
      return round?.insuranceDeadline ?? null;
    case 'playing':
      return round?.turn?.deadline ?? null;
    case 'settled':
    case 'voided':
      return state.nextOpenAt;
  }
}

/** The transitions due at `tick.now` (assumes a valid tick). */
export function tickEvents(state: TableState, tick: TickCommand): BlackjackEvent[] {
  const d = new Draft(state);
  const { now } = tick;
  const round = state.round;
  switch (state.phase) {
    case 'idle':
      if (tick.playersPresent) openRound(d, now, tick.serverSeed);
      break;
    case 'betting':
      if (round && now >= round.closesAt) closeBetting(d, now);
      break;
    case 'insurance':
      if (round && round.insuranceDeadline !== null && now >= round.insuranceDeadline) {
        for (const s of round.seats) {
          if (s.insurance === 'pending') d.push({ type: 'InsuranceDecided', roundId: round.roundId, seat: s.seat, playerId: s.playerId, take: false, stakeId: null, amountMinor: 0, reason: 'timeout', at: now });
        }
        continueRound(d, now);
      }
      break;
    case 'playing':
      if (round?.turn && now >= round.turn.deadline) {
        d.push({ type: 'HandStood', roundId: round.roundId, seat: round.turn.seat, hand: round.turn.hand, reason: 'timeout', at: now });
      }
      continueRound(d, now);
      break;
    case 'settled':
    case 'voided':
      if (state.nextOpenAt === null || now < state.nextOpenAt) break;
      if (tick.playersPresent) {
        openRound(d, now, tick.serverSeed);
      } else {
        finishShoe(d, 'table_idle', now);
        d.push({ type: 'TableIdled', at: now });
      }
      break;
  }
  return d.events;
}

function openRound(d: Draft, now: number, serverSeed: string): void {
  const { state } = d;
  if (!state.shoe || state.shoe.finished) {
    const number = state.lastShoeNumber + 1;
    d.push({
      type: 'ShoeOpened', shoeId: shoeIdOf(state.tableId, number), number, serverSeedHash: hashServerSeed(serverSeed), serverSeed,
      cards: state.config.decks * 52, cutCardPosition: state.config.cutCardPosition, at: now,
    });
  }
  const number = d.state.lastRoundNumber + 1;
  d.push({ type: 'RoundOpened', roundId: roundIdOf(state.tableId, number), number, shoeId: d.state.shoe!.shoeId, opensAt: now, closesAt: now + state.config.bettingWindowMs });
}

/** Reveals the shoe's server seed (cut card reached, table closing, or shoe exhausted). */
export function finishShoe(d: Draft, reason: 'cut_card' | 'table_idle' | 'exhausted', now: number): void {
  const shoe = d.state.shoe;
  if (!shoe || shoe.finished) return;
  d.push({
    type: 'ShoeFinished', shoeId: shoe.shoeId, serverSeed: shoe.serverSeed, serverSeedHash: shoe.serverSeedHash, clientSeed: shoe.clientSeed,
    clientSeeds: shoe.clientSeeds.map((s) => s.seed), reason, cardsDealt: shoe.position, at: now,
  });
}

function closeBetting(d: Draft, now: number): void {
  const round = d.round;
  const next = now + d.state.config.pauseMs;
  if (round.seats.length === 0) {
    d.push({ type: 'RoundSettled', roundId: round.roundId, shoeId: d.state.shoe!.shoeId, dealer: { cards: [], total: 0, blackjack: false }, settlements: [], firstPosition: -1, lastPosition: -1, cards: [], totals: { seats: 0, stakeMinor: 0, payoutMinor: 0 }, at: now, nextOpenAt: next });
    return;
  }
  const shoe = d.state.shoe!;
  if (!shoe.order) {
    const clientSeeds = shoe.clientSeeds.map((s) => s.seed); // kept ordered by playerId
    d.push({ type: 'ShoeShuffled', shoeId: shoe.shoeId, clientSeed: roundClientSeed(shoe.shoeId, clientSeeds), clientSeeds, at: now });
  }
  const n = round.seats.length;
  if (!nextCard(d.state, 2 * n + 1)) return voidRound(d, now);
  const card = (i: number) => nextCard(d.state, i)!;
  d.push({
    type: 'InitialDeal',
    roundId: round.roundId,
    seatCards: round.seats.map((s, i) => ({ seat: s.seat, cards: [card(i), card(n + 1 + i)] })),
    upCard: card(n),
    holeCard: card(2 * n + 1),
    at: now,
  });
  continueRound(d, now);
}

/**
 * Moves the round on until it waits for a player (insurance decisions, a turn) or ends: offers
 * insurance, peeks, stands the hands of players who left, starts the next hand's turn, and when
 * no hand is left plays the dealer and settles.
 */
export function continueRound(d: Draft, now: number): void {
  for (let step = 0; step < 1_000; step++) {
    const state = d.state;
    const round = state.round;
    if (!round) return;
    if (state.phase === 'insurance') {
      for (const s of round.seats) {
        if (s.insurance === 'pending' && s.away) d.push({ type: 'InsuranceDecided', roundId: round.roundId, seat: s.seat, playerId: s.playerId, take: false, stakeId: null, amountMinor: 0, reason: 'away', at: now });
      }
      if (d.round.seats.some((s) => s.insurance === 'pending')) return;
      d.push({ type: 'InsuranceClosed', roundId: round.roundId, at: now });
      continue;
    }
    if (state.phase !== 'playing') return;
    if (round.preplay === 'insurance') {
      d.push({ type: 'InsuranceOffered', roundId: round.roundId, deadline: now + state.config.decisionMs, at: now });
      continue;
    }
    if (round.preplay === 'peek') {
      d.push({ type: 'DealerPeeked', roundId: round.roundId, blackjack: isNatural(round.dealer.map((c) => c.card)), at: now });
      continue;
    }
    if (round.dealerBlackjack) return finishRound(d, now);
    const next = firstPlayingHand(round);
    if (!next) return finishRound(d, now);
    if (next.away) {
      d.push({ type: 'HandStood', roundId: round.roundId, seat: next.seat, hand: next.hand, reason: 'away', at: now });
      continue;
    }
    if (round.turn && round.turn.seat === next.seat && round.turn.hand === next.hand) return;
    d.push({ type: 'TurnStarted', roundId: round.roundId, seat: next.seat, hand: next.hand, deadline: now + state.config.decisionMs, at: now });
    return;
  }
  throw new Error('blackjack: the round did not settle into a waiting state');
}

function firstPlayingHand(round: RoundState): { seat: number; hand: number; away: boolean } | null {
  for (const s of round.seats) {
    const hand = s.hands.findIndex((h) => h.status === 'playing');
    if (hand >= 0) return { seat: s.seat, hand, away: s.away };
  }
  return null;
}

function dealerMustHit(cards: number[], hitsSoft17: boolean): boolean {
  const { total, soft } = handTotal(cards);
  return total < 17 || (total === 17 && soft && hitsSoft17);
}

/** Reveals the hole card, draws for the dealer when a standing hand needs it, settles; ends the shoe after its cut card. */
function finishRound(d: Draft, now: number): void {
  const round = d.round;
  if (!round.holeRevealed) d.push({ type: 'HoleCardRevealed', roundId: round.roundId, card: round.dealer[1]!, at: now });
  const live = round.seats.some((s) => s.hands.some((h) => h.status === 'stood' || h.status === 'playing'));
  if (live && !round.dealerBlackjack) {
    while (dealerMustHit(d.round.dealer.map((c) => c.card), d.state.config.dealerHitsSoft17)) {
      const card = nextCard(d.state);
      if (!card) return voidRound(d, now);
      d.push({ type: 'DealerDrew', roundId: round.roundId, card, at: now });
    }
  }
  const final = d.round;
  const dealerCards = final.dealer.map((c) => c.card);
  const settlements = settleSeats(final.seats, final.dealer);
  d.push({
    type: 'RoundSettled',
    roundId: final.roundId,
    shoeId: d.state.shoe!.shoeId,
    dealer: { cards: final.dealer, total: handTotal(dealerCards).total, blackjack: isNatural(dealerCards.slice(0, 2)) },
    settlements,
    firstPosition: final.firstPosition,
    lastPosition: d.state.shoe!.position - 1,
    cards: final.dealt,
    totals: {
      seats: settlements.length,
      stakeMinor: settlements.reduce((sum, s) => sum + s.stakeMinor, 0),
      payoutMinor: settlements.reduce((sum, s) => sum + s.payoutMinor, 0),
    },
    at: now,
    nextOpenAt: now + d.state.config.pauseMs,
  });
  if (d.state.shoe!.cutCardReached) finishShoe(d, 'cut_card', now);
}

/** The shoe ran out mid-round (the cut card leaves enough cards that this should never happen): every stake is refunded. */
export function voidRound(d: Draft, now: number): void {
  const round = d.round;
  d.push({
    type: 'RoundVoided', roundId: round.roundId, shoeId: d.state.shoe!.shoeId, reason: 'shoe_exhausted',
    refunds: round.seats.map((s) => ({ seat: s.seat, playerId: s.playerId, stakes: s.stakes })),
    at: now, nextOpenAt: now + d.state.config.pauseMs,
  });
  finishShoe(d, 'exhausted', now);
}

/**
 * After a restart (journal replayed): the round continues where it was. Nothing is dealt again
 * and nothing refunded; a pending betting window, insurance window or turn gets at least
 * `recoveryGraceMs` from `now` (players reconnect first).
 */
export function recover(state: TableState, now: number): BlackjackEvent[] {
  const d = new Draft(state);
  const round = state.round;
  if (!round) return [];
  if (state.phase === 'playing') continueRound(d, now);
  const r = d.state.round!;
  const grace = now + state.config.recoveryGraceMs;
  const pending = d.state.phase === 'betting' ? r.closesAt : d.state.phase === 'insurance' ? r.insuranceDeadline : d.state.phase === 'playing' ? (r.turn?.deadline ?? null) : null;
  if (pending !== null && pending < grace) d.push({ type: 'RoundResumed', roundId: r.roundId, deadline: grace, at: now });
  return d.events;
}

