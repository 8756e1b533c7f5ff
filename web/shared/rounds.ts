/** Casino rounds as players and operators read them (game recall: docs/API.md#get-gamesrecent). */
import { formatMultiplier } from '../../actors/crash/curve.ts';

const GAME_NAMES: Record<string, string> = { roulette: 'Roulette', crash: 'Crash', blackjack: 'Blackjack' };

export function gameName(game: string): string {
  return GAME_NAMES[game] ?? game;
}

/** What a round's `result` means for its game; null is a voided round. */
export function roundResultText(r: { game: string; result: number | null }): string {
  if (r.result === null) return 'void';
  if (r.game === 'crash') return `crashed at ${formatMultiplier(r.result)}×`;
  if (r.game === 'blackjack') return r.result > 21 ? `dealer bust (${r.result})` : `dealer ${r.result}`;
  return String(r.result);
}
