/**
 * The single-zero table layout: 0 above three columns × twelve rows of 1..36.
 *
 *        0
 *    1   2   3      row 1
 *    4   5   6      row 2
 *   ...
 *   34  35  36      row 12
 *  col1 col2 col3
 *
 * Inside bets accepted (see docs/FAIRNESS.md § Bets): the usual shapes on 1..36, plus the zero
 * shapes of European tables: splits 0-1, 0-2, 0-3; trios 0-1-2 and 0-2-3 (as `street`, 11:1);
 * first four 0-1-2-3 (as `corner`, 8:1).
 */
import type { InsideBetKind } from './types.ts';

export const POCKET_COUNT = 37;

export const RED_NUMBERS: readonly number[] = Object.freeze([
  1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36,
]);
const RED = new Set(RED_NUMBERS);

export type PocketColor = 'green' | 'red' | 'black';

export function pocketColor(pocket: number): PocketColor {
  if (pocket === 0) return 'green';
  return RED.has(pocket) ? 'red' : 'black';
}

/** 1..12 for numbers 1..36. */
export function rowOf(n: number): number {
  return Math.ceil(n / 3);
}

/** 1..3 for numbers 1..36 (column 1 holds 1, 4, …, 34). */
export function columnOf(n: number): 1 | 2 | 3 {
  return (((n - 1) % 3) + 1) as 1 | 2 | 3;
}

/** 1..3 for numbers 1..36 (dozen 1 is 1..12). */
export function dozenOf(n: number): 1 | 2 | 3 {
  return Math.ceil(n / 12) as 1 | 2 | 3;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}

function enumerateSplits(): number[][] {
  const out: number[][] = [[0, 1], [0, 2], [0, 3]];
  for (let n = 1; n <= 36; n++) {
    if (columnOf(n) !== 3) out.push([n, n + 1]); // horizontal, never across a row end
    if (n <= 33) out.push([n, n + 3]); // vertical
  }
  return out;
}

function enumerateStreets(): number[][] {
  const out: number[][] = [[0, 1, 2], [0, 2, 3]];
  for (let row = 1; row <= 12; row++) out.push(range(3 * row - 2, 3 * row));
  return out;
}

function enumerateCorners(): number[][] {
  const out: number[][] = [[0, 1, 2, 3]];
  for (let n = 1; n <= 32; n++) {
    if (columnOf(n) !== 3) out.push([n, n + 1, n + 3, n + 4]);
  }
  return out;
}

function enumerateLines(): number[][] {
  const out: number[][] = [];
  for (let row = 1; row <= 11; row++) out.push(range(3 * row - 2, 3 * row + 3));
  return out;
}

/** Every valid inside bet by kind, numbers ascending. */
export const INSIDE_BET_NUMBERS: Readonly<Record<InsideBetKind, readonly (readonly number[])[]>> = Object.freeze({
  straight: range(0, 36).map((n) => [n]),
  split: enumerateSplits(),
  street: enumerateStreets(),
  corner: enumerateCorners(),
  line: enumerateLines(),
});

export const INSIDE_BET_SIZE: Readonly<Record<InsideBetKind, number>> = Object.freeze({
  straight: 1,
  split: 2,
  street: 3,
  corner: 4,
  line: 6,
});

const VALID_INSIDE = new Set(
  Object.entries(INSIDE_BET_NUMBERS).flatMap(([kind, shapes]) => shapes.map((numbers) => `${kind}:${numbers.join('-')}`)),
);

/** True when `sortedNumbers` (ascending, distinct) is a valid shape of `kind` on the layout. */
export function isValidInsideShape(kind: InsideBetKind, sortedNumbers: readonly number[]): boolean {
  return VALID_INSIDE.has(`${kind}:${sortedNumbers.join('-')}`);
}
