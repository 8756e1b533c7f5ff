/** Bet spots: validation/normalization, what they cover, their payouts and aggregation keys. */
import { INSIDE_BET_NUMBERS, INSIDE_BET_SIZE, POCKET_COUNT, columnOf, dozenOf, isValidInsideShape, pocketColor } from './layout.ts';
import type { BetKind, InsideBetKind, PlacedBet, Spot, TableState } from './types.ts';

/** Winnings per unit staked ("35 to 1"); a winner is paid stake × (odds + 1). */
export const PAYOUT_ODDS: Readonly<Record<BetKind, number>> = Object.freeze({
  straight: 35,
  split: 17,
  street: 11,
  corner: 8,
  line: 5,
  dozen: 2,
  column: 2,
  red: 1,
  black: 1,
  odd: 1,
  even: 1,
  low: 1,
  high: 1,
});

const INSIDE_KINDS: ReadonlySet<string> = new Set<InsideBetKind>(['straight', 'split', 'street', 'corner', 'line']);
const INDEXED_KINDS: ReadonlySet<string> = new Set(['dozen', 'column']);
const EVEN_MONEY_KINDS: ReadonlySet<string> = new Set(['red', 'black', 'odd', 'even', 'low', 'high']);

export function isInsideKind(kind: BetKind): kind is InsideBetKind {
  return INSIDE_KINDS.has(kind);
}

function isPocketNumber(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 36;
}

/**
 * The canonical form of a spot (inside numbers ascending; only the fields its kind uses), or
 * null when it is not a valid bet on the layout. Accepts untrusted input.
 */
export function normalizeSpot(input: unknown): Spot | null {
  if (typeof input !== 'object' || input === null) return null;
  const { kind, numbers, index } = input as Record<string, unknown>;
  if (typeof kind !== 'string') return null;
  if (INSIDE_KINDS.has(kind)) {
    if (index !== undefined || !Array.isArray(numbers)) return null;
    const insideKind = kind as InsideBetKind;
    if (numbers.length !== INSIDE_BET_SIZE[insideKind] || !numbers.every(isPocketNumber)) return null;
    const sorted = [...numbers].sort((a, b) => a - b);
    if (sorted.some((n, i) => i > 0 && n === sorted[i - 1])) return null;
    return isValidInsideShape(insideKind, sorted) ? { kind: insideKind, numbers: sorted } : null;
  }
  if (INDEXED_KINDS.has(kind)) {
    if (numbers !== undefined || (index !== 1 && index !== 2 && index !== 3)) return null;
    return { kind: kind as BetKind, index };
  }
  if (EVEN_MONEY_KINDS.has(kind)) {
    if (numbers !== undefined || index !== undefined) return null;
    return { kind: kind as BetKind };
  }
  return null;
}

/** Whether a (normalized) spot wins when the ball lands in `pocket`. Outside bets all lose on 0. */
export function spotCovers(spot: Spot, pocket: number): boolean {
  if (isInsideKind(spot.kind)) return spot.numbers?.includes(pocket) ?? false;
  if (pocket < 1 || pocket > 36) return false;
  switch (spot.kind) {
    case 'dozen':
      return dozenOf(pocket) === spot.index;
    case 'column':
      return columnOf(pocket) === spot.index;
    case 'red':
    case 'black':
      return pocketColor(pocket) === spot.kind;
    case 'odd':
      return pocket % 2 === 1;
    case 'even':
      return pocket % 2 === 0;
    case 'low':
      return pocket <= 18;
    case 'high':
      return pocket >= 19;
  }
  return false;
}

/** Pockets 0..36 a (normalized) spot wins on, ascending. */
export function coveredPockets(spot: Spot): number[] {
  const out: number[] = [];
  for (let pocket = 0; pocket < POCKET_COUNT; pocket++) if (spotCovers(spot, pocket)) out.push(pocket);
  return out;
}

/** Gross payout of a bet: stake + winnings when it wins, 0 when it loses. */
export function payoutFor(spot: Spot, stakeMinor: number, pocket: number): number {
  return spotCovers(spot, pocket) ? stakeMinor * (PAYOUT_ODDS[spot.kind] + 1) : 0;
}

/**
 * Aggregation key of a (normalized) spot, for table totals per spot:
 * `straight:17`, `split:1-2`, `corner:1-2-4-5`, `dozen:2`, `column:3`, `red`.
 */
export function spotKey(spot: Spot): string {
  if (spot.numbers) return `${spot.kind}:${[...spot.numbers].sort((a, b) => a - b).join('-')}`;
  if (spot.index !== undefined) return `${spot.kind}:${spot.index}`;
  return spot.kind;
}

/** Every valid inside bet (37 straights, 60 splits, 14 streets/trios, 23 corners, 11 lines). */
export const ALL_INSIDE_BETS: readonly Spot[] = Object.freeze(
  (Object.keys(INSIDE_BET_NUMBERS) as InsideBetKind[]).flatMap((kind) =>
    INSIDE_BET_NUMBERS[kind].map((numbers) => ({ kind, numbers: [...numbers] })),
  ),
);

/** Every outside bet (3 dozens, 3 columns, 6 even-money). */
export const ALL_OUTSIDE_BETS: readonly Spot[] = Object.freeze([
  ...([1, 2, 3] as const).map((index) => ({ kind: 'dozen' as const, index })),
  ...([1, 2, 3] as const).map((index) => ({ kind: 'column' as const, index })),
  ...(['red', 'black', 'odd', 'even', 'low', 'high'] as const).map((kind) => ({ kind })),
]);

/** The live bets of one player in the table's round: the current one or, between rounds, the last one. */
export function playerBets(state: TableState, playerId: string): PlacedBet[] {
  return state.round?.bets.filter((bet) => bet.playerId === playerId) ?? [];
}

/** Total stake per spot key over `bets`, for aggregated table views. */
export function stakeBySpot(bets: readonly PlacedBet[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const bet of bets) {
    const key = spotKey(bet.spot);
    totals[key] = (totals[key] ?? 0) + bet.stakeMinor;
  }
  return totals;
}

/**
 * The bet `cmd` repeats, when it is a retry of one already placed this round (same id, player,
 * stake and spot): the table answers it as placed instead of refusing a duplicate. An unreadable
 * spot is never a retry.
 */
export function retriedBet(state: TableState, cmd: { betId: string; playerId: string; stakeMinor: number; spot: Spot }): PlacedBet | null {
  const existing = state.round?.bets.find((b) => b.betId === cmd.betId);
  if (!existing || existing.playerId !== cmd.playerId || existing.stakeMinor !== cmd.stakeMinor) return null;
  try {
    return spotKey(existing.spot) === spotKey(cmd.spot) ? existing : null;
  } catch {
    return null;
  }
}
