/**
 * evolve(state, event) → state: total and pure. Events come from `decide` (or the journal); an event
 * about another round than the current one leaves the state unchanged. States are immutable: every
 * change returns new objects (the shoe's card order is shared, never written).
 */
import { handTotal, rankOf, type Card } from './cards.ts';
import { validateBlackjackConfig } from './config.ts';
import { shuffleShoe } from './shoe.ts';
import type { BlackjackConfig, BlackjackEvent, DealtCard, Hand, RoundSeat, RoundState, ShoeState, TableState } from './types.ts';

export function initialTableState(tableId: string, config: BlackjackConfig): TableState {
  const problems = validateBlackjackConfig(config);
  if (problems.length > 0) throw new Error(`invalid blackjack table config: ${problems.join('; ')}`);
  return {
    tableId,
    config: { ...config },
    phase: 'idle',
    seats: new Array<string | null>(config.seats).fill(null),
    lastRoundNumber: 0,
    lastShoeNumber: 0,
    shoe: null,
    round: null,
    nextOpenAt: null,
    retainedBetIds: [],
  };
}

/** Split aces: a hand made by splitting aces (it gets one card and stands, unless it may split again). */
export function isSplitAces(hand: Hand): boolean {
  return hand.fromSplit && rankOf(hand.cards[0]!) === 0;
}

/** The status a hand takes from its cards: bust over 21, standing on 21 or on split aces' one card. */
function statusFor(hand: Hand, config: BlackjackConfig, handCount: number): Hand['status'] {
  const { total } = handTotal(hand.cards);
  if (total > 21) return 'bust';
  if (hand.cards.length === 2 && !hand.fromSplit && total === 21) return 'blackjack';
  if (total === 21) return 'stood';
  if (hand.doubled) return 'stood';
  if (isSplitAces(hand) && hand.cards.length === 2) {
    const mayResplit = config.resplitAces && rankOf(hand.cards[1]!) === 0 && handCount < config.maxHands;
    return mayResplit ? 'playing' : 'stood';
  }
  return 'playing';
}

export function evolve(state: TableState, event: BlackjackEvent): TableState {
  switch (event.type) {
    case 'ShoeOpened':
      return {
        ...state,
        lastShoeNumber: event.number,
        shoe: {
          shoeId: event.shoeId, number: event.number, serverSeedHash: event.serverSeedHash, serverSeed: event.serverSeed,
          cards: event.cards, cutCardPosition: event.cutCardPosition, clientSeeds: [], clientSeed: null, order: null,
          position: 0, cutCardReached: false, finished: false,
        },
      };
    case 'ClientSeedSubmitted':
      return updateShoe(state, event.shoeId, (shoe) => ({
        ...shoe,
        clientSeeds: [...shoe.clientSeeds.filter((s) => s.playerId !== event.playerId), { playerId: event.playerId, seed: event.seed }].sort((a, b) =>
          a.playerId < b.playerId ? -1 : a.playerId > b.playerId ? 1 : 0,
        ),
      }));
    case 'ShoeShuffled':
      return updateShoe(state, event.shoeId, (shoe) => ({
        ...shoe,
        clientSeed: event.clientSeed,
        order: shuffleShoe(shoe.serverSeed, event.clientSeed, shoe.number, shoe.cards / 52),
      }));
    case 'ShoeFinished':
      return updateShoe(state, event.shoeId, (shoe) => ({ ...shoe, finished: true }));
    case 'RoundOpened':
      return {
        ...state,
        phase: 'betting',
        lastRoundNumber: event.number,
        nextOpenAt: null,
        round: {
          roundId: event.roundId, number: event.number, shoeNumber: state.shoe?.number ?? 0, opensAt: event.opensAt, closesAt: event.closesAt,
          seats: [], dealer: [], holeRevealed: false, turn: null, insuranceDeadline: null, removedBetIds: [], firstPosition: -1,
          preplay: 'done', dealerBlackjack: false, dealt: [],
        },
      };
    case 'SeatTaken': {
      const seats = [...state.seats];
      seats[event.seat] = event.playerId;
      return { ...state, seats };
    }
    case 'SeatLeft': {
      const seats = [...state.seats];
      seats[event.seat] = null;
      const inPlay = state.phase === 'insurance' || state.phase === 'playing';
      const next = { ...state, seats };
      return inPlay && state.round ? { ...next, round: mapSeat(state.round, event.seat, (s) => ({ ...s, away: true })) } : next;
    }
    case 'BetPlaced':
      return updateRound(state, event.roundId, (round) => ({
        ...round,
        seats: [...round.seats, {
          seat: event.seat, playerId: event.playerId, betId: event.betId, betMinor: event.stakeMinor,
          stakes: [{ stakeId: event.betId, kind: 'bet', amountMinor: event.stakeMinor }],
          hands: [], insurance: null, away: false,
        } satisfies RoundSeat].sort((a, b) => a.seat - b.seat),
      }));
    case 'BetRemoved':
      return updateRound(state, event.roundId, (round) => ({
        ...round,
        seats: round.seats.filter((s) => s.seat !== event.seat),
        removedBetIds: [...round.removedBetIds, event.betId],
      }));
    case 'InitialDeal': {
      if (state.round?.roundId !== event.roundId) return state;
      const config = state.config;
      const up = event.upCard.card;
      const upAce = rankOf(up) === 0;
      const upTen = rankOf(up) >= 9;
      const preplay = config.insurance && upAce ? 'insurance' : config.dealerPeek && (upAce || upTen) ? 'peek' : 'done';
      const round: RoundState = {
        ...state.round,
        seats: state.round.seats.map((s) => {
          const cards = event.seatCards.find((c) => c.seat === s.seat)?.cards.map((c) => c.card) ?? [];
          const hand: Hand = { cards, stakeMinor: s.betMinor, status: 'playing', doubled: false, fromSplit: false };
          return { ...s, hands: [{ ...hand, status: statusFor(hand, config, 1) }] };
        }),
        dealer: [event.upCard, event.holeCard],
        firstPosition: Math.min(event.upCard.position, ...event.seatCards.flatMap((c) => c.cards.map((d) => d.position))),
        preplay,
      };
      const all = [...event.seatCards.flatMap((c) => c.cards), event.upCard, event.holeCard];
      return dealt({ ...state, phase: 'playing', round }, all);
    }
    case 'InsuranceOffered':
      return updateRound({ ...state, phase: 'insurance' }, event.roundId, (round) => ({
        ...round,
        insuranceDeadline: event.deadline,
        seats: round.seats.map((s) => ({ ...s, insurance: 'pending' })),
      }));
    case 'InsuranceDecided':
      return updateRound(state, event.roundId, (round) =>
        mapSeat(round, event.seat, (s) => ({
          ...s,
          insurance: event.take ? 'taken' : 'declined',
          stakes: event.take && event.stakeId ? [...s.stakes, { stakeId: event.stakeId, kind: 'insurance', amountMinor: event.amountMinor }] : s.stakes,
        })),
      );
    case 'InsuranceClosed':
      return updateRound({ ...state, phase: 'playing' }, event.roundId, (round) => ({
        ...round,
        insuranceDeadline: null,
        preplay: state.config.dealerPeek ? 'peek' : 'done',
      }));
    case 'DealerPeeked':
      return updateRound(state, event.roundId, (round) => ({ ...round, preplay: 'done', dealerBlackjack: event.blackjack }));
    case 'TurnStarted':
      return updateRound({ ...state, phase: 'playing' }, event.roundId, (round) => ({ ...round, turn: { seat: event.seat, hand: event.hand, deadline: event.deadline } }));
    case 'CardDrawn':
      return dealt(updateHand(state, event.roundId, event.seat, event.hand, (hand, count) => {
        const next = { ...hand, cards: [...hand.cards, event.card.card] };
        return { ...next, status: statusFor(next, state.config, count) };
      }), [event.card]);
    case 'HandStood':
      return updateHand(state, event.roundId, event.seat, event.hand, (hand) => ({ ...hand, status: 'stood' }));
    case 'HandSurrendered':
      return updateHand(state, event.roundId, event.seat, event.hand, (hand) => ({ ...hand, status: 'surrendered' }));
    case 'HandDoubled': {
      const next = updateHand(state, event.roundId, event.seat, event.hand, (hand, count) => {
        const doubled = { ...hand, cards: [...hand.cards, event.card.card], stakeMinor: hand.stakeMinor + event.amountMinor, doubled: true };
        return { ...doubled, status: statusFor(doubled, state.config, count) };
      });
      return dealt(addStake(next, event.roundId, event.seat, { stakeId: event.stakeId, kind: 'double', amountMinor: event.amountMinor }), [event.card]);
    }
    case 'HandSplit': {
      if (state.round?.roundId !== event.roundId) return state;
      const round = mapSeat(state.round, event.seat, (s) => {
        const hand = s.hands[event.hand];
        if (!hand) return s;
        const count = s.hands.length + 1;
        const make = (first: Card, second: DealtCard, stakeMinor: number): Hand => {
          const h: Hand = { cards: [first, second.card], stakeMinor, status: 'playing', doubled: false, fromSplit: true };
          return { ...h, status: statusFor(h, state.config, count) };
        };
        const left = make(hand.cards[0]!, event.cards[0], hand.stakeMinor);
        const right = make(hand.cards[1]!, event.cards[1], event.amountMinor);
        return {
          ...s,
          hands: [...s.hands.slice(0, event.hand), left, right, ...s.hands.slice(event.hand + 1)],
          stakes: [...s.stakes, { stakeId: event.stakeId, kind: 'split', amountMinor: event.amountMinor }],
        };
      });
      return dealt({ ...state, round: { ...round, turn: null } }, event.cards);
    }
    case 'HoleCardRevealed':
      return updateRound(state, event.roundId, (round) => ({ ...round, holeRevealed: true, turn: null }));
    case 'DealerDrew':
      return dealt(updateRound(state, event.roundId, (round) => ({ ...round, dealer: [...round.dealer, event.card] })), [event.card]);
    case 'RoundSettled':
    case 'RoundVoided':
      if (state.round?.roundId !== event.roundId) return state;
      return {
        ...state,
        phase: event.type === 'RoundSettled' ? 'settled' : 'voided',
        nextOpenAt: event.nextOpenAt,
        round: { ...state.round, turn: null, insuranceDeadline: null, holeRevealed: state.round.holeRevealed || event.type === 'RoundSettled' },
        retainedBetIds: retainBetIds(state, state.round),
      };
    case 'RoundResumed':
      return updateRound(state, event.roundId, (round) => {
        if (state.phase === 'betting') return { ...round, closesAt: event.deadline };
        if (state.phase === 'insurance') return { ...round, insuranceDeadline: event.deadline };
        return round.turn ? { ...round, turn: { ...round.turn, deadline: event.deadline } } : round;
      });
    case 'TableIdled':
      return { ...state, phase: 'idle', nextOpenAt: null };
  }
}

/** Every action on the turn's hand ends that turn: the next TurnStarted (same hand or the next) gives a fresh decision time. */
function endTurn(round: RoundState): RoundState {
  return round.turn ? { ...round, turn: null } : round;
}

function updateShoe(state: TableState, shoeId: string, change: (shoe: ShoeState) => ShoeState): TableState {
  return state.shoe?.shoeId === shoeId ? { ...state, shoe: change(state.shoe) } : state;
}

function updateRound(state: TableState, roundId: string, change: (round: RoundState) => RoundState): TableState {
  return state.round?.roundId === roundId ? { ...state, round: change(state.round) } : state;
}

function mapSeat(round: RoundState, seat: number, change: (s: RoundSeat) => RoundSeat): RoundState {
  return { ...round, seats: round.seats.map((s) => (s.seat === seat ? change(s) : s)) };
}

function updateHand(state: TableState, roundId: string, seat: number, index: number, change: (hand: Hand, handCount: number) => Hand): TableState {
  return updateRound(state, roundId, (round) =>
    endTurn(mapSeat(round, seat, (s) => (s.hands[index] ? { ...s, hands: s.hands.map((h, i) => (i === index ? change(h, s.hands.length) : h)) } : s))),
  );
}

function addStake(state: TableState, roundId: string, seat: number, stake: RoundSeat['stakes'][number]): TableState {
  return updateRound(state, roundId, (round) => mapSeat(round, seat, (s) => ({ ...s, stakes: [...s.stakes, stake] })));
}

/** Moves the shoe past dealt cards; the cut card is reached when a card at or past its position is dealt. */
function dealt(state: TableState, cards: readonly DealtCard[]): TableState {
  const shoe = state.shoe;
  if (!shoe || cards.length === 0) return state;
  let position = shoe.position;
  let cut = shoe.cutCardReached;
  for (const c of cards) {
    position = Math.max(position, c.position + 1);
    if (c.position >= shoe.cutCardPosition) cut = true;
  }
  const round = state.round ? { ...state.round, dealt: [...state.round.dealt, ...[...cards].sort((a, b) => a.position - b.position)] } : null;
  return { ...state, round, shoe: { ...shoe, position, cutCardReached: cut } };
}

function retainBetIds(state: TableState, round: RoundState): TableState['retainedBetIds'] {
  const keep = state.config.betIdRetentionRounds;
  if (keep === 0) return [];
  const betIds = [...round.seats.map((s) => s.betId), ...round.removedBetIds].sort();
  return [...state.retainedBetIds.filter((r) => r.roundNumber !== round.number), { roundNumber: round.number, betIds }].slice(-keep);
}

