/**
 * Hedging with bonus money (docs/PROMOTIONS.md §5): backing two or more different selections of
 * one market with bonus-funded stakes locks in a return whatever happens, clearing wagering at no
 * risk. Rule: when a player's bonus-funded bets on one market cover two or more selections, the
 * bonus is forfeited (its balance, winnings included, goes back to the campaign) before those bets
 * settle; the bets themselves stand, and their bonus share of any payout is forfeited as it arrives.
 */

export interface BonusBet {
  betId: string;
  playerId: string;
  /** `<eventId>/<marketId>`. */
  marketKey: string;
  selectionId: string;
  /** Whether part of the stake was bonus money. */
  usedBonus: boolean;
}

/** The players who hedged with bonus money, with the markets they hedged on. */
export function detectHedging(bets: readonly BonusBet[]): Map<string, string[]> {
  const selections = new Map<string, Set<string>>();
  for (const b of bets) {
    if (!b.usedBonus) continue;
    const key = `${b.playerId}\u0000${b.marketKey}`;
    if (!selections.has(key)) selections.set(key, new Set());
    selections.get(key)!.add(b.selectionId);
  }
  const hedged = new Map<string, string[]>();
  for (const [key, sels] of selections) {
    if (sels.size < 2) continue;
    const [playerId, marketKey] = key.split('\u0000') as [string, string];
    hedged.set(playerId, [...(hedged.get(playerId) ?? []), marketKey]);
  }
  return hedged;
}
