/**
 * Total-dependent basic strategy for 4–8 decks with the dealer peeking (Wizard of Odds, "4-Deck to
 * 8-Deck Blackjack Strategy", wizardofodds.com/games/blackjack/strategy/4-decks/): the simulation's
 * bot (scripts/sim-blackjack.ts) plays it through the actor. Never takes insurance.
 */
import { handTotal, pointsOf, rankOf, type Card } from './cards.ts';
import type { PlayerAction } from './types.ts';

export interface StrategyView {
  cards: readonly Card[];
  /** The dealer's up card. */
  up: Card;
  canDouble: boolean;
  canSplit: boolean;
  canSurrender: boolean;
  doubleAfterSplit: boolean;
  dealerHitsSoft17: boolean;
}

/** Dealer up card as 2..11 (ace = 11). */
function upValue(up: Card): number {
  const p = pointsOf(up);
  return p === 1 ? 11 : p;
}

function shouldSplit(pairRank: number, up: number, das: boolean): boolean {
  const p = pairRank === 0 ? 11 : Math.min(10, pairRank + 1);
  switch (p) {
    case 11: return true;
    case 8: return true;
    case 10: case 5: return false;
    case 9: return (up >= 2 && up <= 6) || up === 8 || up === 9;
    case 7: return up <= 7;
    case 6: return das ? up <= 6 : up >= 3 && up <= 6;
    case 4: return das && (up === 5 || up === 6);
    default: return das ? up <= 7 : up >= 4 && up <= 7; // 2s and 3s
  }
}

function shouldSurrender(cards: readonly Card[], up: number, h17: boolean): boolean {
  const { total, soft } = handTotal(cards);
  if (soft) return false;
  const pairOf8 = rankOf(cards[0]!) === 7 && rankOf(cards[1]!) === 7;
  if (pairOf8) return h17 && up === 11;
  if (total === 16) return up >= 9;
  if (total === 15) return up === 10 || (h17 && up === 11);
  if (total === 17) return h17 && up === 11;
  return false;
}

export function basicStrategy(v: StrategyView): PlayerAction {
  const up = upValue(v.up);
  const { cards } = v;
  if (v.canSurrender && cards.length === 2 && shouldSurrender(cards, up, v.dealerHitsSoft17)) return 'surrender';
  if (v.canSplit && cards.length === 2 && rankOf(cards[0]!) === rankOf(cards[1]!) && shouldSplit(rankOf(cards[0]!), up, v.doubleAfterSplit)) return 'split';
  const { total, soft } = handTotal(cards);
  const dbl = (orElse: PlayerAction): PlayerAction => (v.canDouble && cards.length === 2 ? 'double' : orElse);
  if (soft) {
    if (total >= 20) return 'stand';
    if (total === 19) return v.dealerHitsSoft17 && up === 6 ? dbl('stand') : 'stand';
    if (total === 18) {
      if (up >= 3 && up <= 6) return dbl('stand');
      if (up === 2) return v.dealerHitsSoft17 ? dbl('stand') : 'stand';
      return up <= 8 ? 'stand' : 'hit';
    }
    if (total === 17) return up >= 3 && up <= 6 ? dbl('hit') : 'hit';
    if (total === 16 || total === 15) return up >= 4 && up <= 6 ? dbl('hit') : 'hit';
    return up === 5 || up === 6 ? dbl('hit') : 'hit'; // soft 13, 14
  }
  if (total >= 17) return 'stand';
  if (total >= 13) return up <= 6 ? 'stand' : 'hit';
  if (total === 12) return up >= 4 && up <= 6 ? 'stand' : 'hit';
  if (total === 11) return up <= 10 || v.dealerHitsSoft17 ? dbl('hit') : 'hit';
  if (total === 10) return up <= 9 ? dbl('hit') : 'hit';
  if (total === 9) return up >= 3 && up <= 6 ? dbl('hit') : 'hit';
  return 'hit';
}
