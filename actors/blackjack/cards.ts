/**
 * Cards and hand totals. A card is an integer 0..51: rank = card mod 13 (0 = ace, 1..8 = two..nine,
 * 9 = ten, 10 = jack, 11 = queen, 12 = king), suit = floor(card / 13) (0 clubs, 1 diamonds,
 * 2 hearts, 3 spades). Its code is rank letter + suit letter: `AS`, `TD`, `7H`, `KC`.
 */
export type Card = number;

const RANKS = 'A23456789TJQK';
const SUITS = 'CDHS';

export function rankOf(card: Card): number {
  return card % 13;
}

/** Blackjack value of one card: ace 1 (hand totals promote one ace to 11), faces 10. */
export function pointsOf(card: Card): number {
  const rank = card % 13;
  return rank === 0 ? 1 : rank >= 9 ? 10 : rank + 1;
}

export function cardCode(card: Card): string {
  return RANKS[card % 13]! + SUITS[Math.floor(card / 13)]!;
}

/** Inverse of cardCode; null for anything else. */
export function parseCard(code: string): Card | null {
  if (typeof code !== 'string' || code.length !== 2) return null;
  const rank = RANKS.indexOf(code[0]!.toUpperCase());
  const suit = SUITS.indexOf(code[1]!.toUpperCase());
  return rank < 0 || suit < 0 ? null : suit * 13 + rank;
}

export interface HandTotal {
  /** Best total: an ace counts 11 when that does not bust the hand. */
  total: number;
  /** True when an ace counts 11 in `total`. */
  soft: boolean;
}

export function handTotal(cards: readonly Card[]): HandTotal {
  let sum = 0;
  let aces = false;
  for (const card of cards) {
    const p = pointsOf(card);
    sum += p;
    if (p === 1) aces = true;
  }
  return aces && sum + 10 <= 21 ? { total: sum + 10, soft: true } : { total: sum, soft: false };
}

/** Two cards making 21 (an ace and a ten-value card). After a split it is 21, not a blackjack: callers check that. */
export function isNatural(cards: readonly Card[]): boolean {
  return cards.length === 2 && handTotal(cards).total === 21;
}
