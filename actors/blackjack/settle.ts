/**
 * Settlement of a finished round: each hand against the dealer's final hand, insurance against the
 * dealer's blackjack. Payouts are gross (stake + winnings): win 2×, blackjack 5/2× (3:2), push 1×,
 * surrender ½×, insurance 3× its stake (2:1). Stakes are even, so every amount is an integer.
 */
import { handTotal, isNatural } from './cards.ts';
import type { DealtCard, Hand, HandOutcome, HandResult, RoundSeat, SeatSettlement } from './types.ts';

function handResult(hand: Hand, dealerTotal: number, dealerBlackjack: boolean): HandResult {
  const { total } = handTotal(hand.cards);
  const base = { cards: hand.cards, total, stakeMinor: hand.stakeMinor };
  const pay = (outcome: HandOutcome, payoutMinor: number): HandResult => ({ ...base, outcome, payoutMinor });
  switch (hand.status) {
    case 'surrendered':
      return pay('surrender', hand.stakeMinor / 2);
    case 'bust':
      return pay('bust', 0);
    case 'blackjack':
      return dealerBlackjack ? pay('push', hand.stakeMinor) : pay('blackjack', (hand.stakeMinor * 5) / 2);
    default:
      // stood (or never played: the peek found a dealer blackjack)
      if (dealerBlackjack) return pay('lose', 0);
      if (dealerTotal > 21 || total > dealerTotal) return pay('win', hand.stakeMinor * 2);
      return total === dealerTotal ? pay('push', hand.stakeMinor) : pay('lose', 0);
  }
}

export function settleSeats(seats: readonly RoundSeat[], dealer: readonly DealtCard[]): SeatSettlement[] {
  const dealerCards = dealer.map((d) => d.card);
  const dealerTotal = handTotal(dealerCards).total;
  const dealerBlackjack = isNatural(dealerCards.slice(0, 2)) && dealerCards.length >= 2;
  return seats.map((s) => {
    const hands = s.hands.map((h) => handResult(h, dealerTotal, dealerBlackjack));
    const insuranceMinor = s.stakes.filter((k) => k.kind === 'insurance').reduce((sum, k) => sum + k.amountMinor, 0);
    const insurancePayoutMinor = dealerBlackjack ? insuranceMinor * 3 : 0;
    const stakeMinor = s.stakes.reduce((sum, k) => sum + k.amountMinor, 0);
    const payoutMinor = hands.reduce((sum, h) => sum + h.payoutMinor, 0) + insurancePayoutMinor;
    return { seat: s.seat, playerId: s.playerId, betId: s.betId, stakes: s.stakes, hands, insuranceMinor, insurancePayoutMinor, stakeMinor, payoutMinor };
  });
}
