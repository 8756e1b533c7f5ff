import { expect } from 'chai';
import { ALL_INSIDE_BETS, decide, normalizeSpot } from '../../../actors/roulette/index.ts';
import type { Spot } from '../../../actors/roulette/index.ts';
import { T0, TableDriver } from './helpers.ts';

/** Independent model of the layout: number at (row 0..11, col 0..2) is 3·row + col + 1. */
const at = (row: number, col: number) => 3 * row + col + 1;

function expectedShapes(): Record<string, number[][]> {
  const split: number[][] = [];
  const corner: number[][] = [];
  const street: number[][] = [];
  const line: number[][] = [];
  for (let row = 0; row < 12; row++) {
    street.push([at(row, 0), at(row, 1), at(row, 2)]);
    for (let col = 0; col < 3; col++) {
      if (col < 2) split.push([at(row, col), at(row, col + 1)]);
      if (row < 11) split.push([at(row, col), at(row + 1, col)]);
      if (col < 2 && row < 11) corner.push([at(row, col), at(row, col + 1), at(row + 1, col), at(row + 1, col + 1)]);
    }
    if (row < 11) line.push([at(row, 0), at(row, 1), at(row, 2), at(row + 1, 0), at(row + 1, 1), at(row + 1, 2)]);
  }
  return { split, corner, street, line };
}

const keyOf = (numbers: readonly number[]) => [...numbers].sort((a, b) => a - b).join('-');
const shapesOf = (kind: string) => ALL_INSIDE_BETS.filter((s) => s.kind === kind).map((s) => keyOf(s.numbers ?? []));

describe('roulette layout: inside bets', () => {
  const expected = expectedShapes();

  it('has 37 straights, 57 splits + 3 zero splits, 12 streets + 2 zero trios, 22 corners + first four, 11 lines', () => {
    expect(expected.split).to.have.length(57);
    expect(expected.corner).to.have.length(22);
    expect(shapesOf('straight')).to.have.length(37);
    expect(shapesOf('split')).to.have.length(60);
    expect(shapesOf('street')).to.have.length(14);
    expect(shapesOf('corner')).to.have.length(23);
    expect(shapesOf('line')).to.have.length(11);
  });

  it('enumerates exactly the shapes of an independent grid model plus the documented zero shapes', () => {
    expect(new Set(shapesOf('split'))).to.deep.equal(new Set([...expected.split.map(keyOf), '0-1', '0-2', '0-3']));
    expect(new Set(shapesOf('street'))).to.deep.equal(new Set([...expected.street.map(keyOf), '0-1-2', '0-2-3']));
    expect(new Set(shapesOf('corner'))).to.deep.equal(new Set([...expected.corner.map(keyOf), '0-1-2-3']));
    expect(new Set(shapesOf('line'))).to.deep.equal(new Set(expected.line.map(keyOf)));
  });

  it('accepts every valid inside bet in an open round, with numbers in any order', () => {
    const table = new TableDriver();
    table.tick(T0);
    for (const spot of ALL_INSIDE_BETS) {
      for (const numbers of [spot.numbers!, [...spot.numbers!].reverse()]) {
        const decision = decide(table.state, table.bet('b', 'p', { kind: spot.kind, numbers }, 10));
        expect(decision.ok, `${spot.kind} ${numbers.join(',')}`).to.equal(true);
        if (decision.ok && decision.events[0].type === 'BetPlaced') {
          expect(decision.events[0].spot).to.deep.equal({ kind: spot.kind, numbers: spot.numbers });
        }
      }
    }
  });

  const invalid: Array<[string, unknown]> = [
    ['split across a row end 3-4', { kind: 'split', numbers: [3, 4] }],
    ['split across a row end 6-7', { kind: 'split', numbers: [7, 6] }],
    ['split of non-adjacent numbers 1-3', { kind: 'split', numbers: [1, 3] }],
    ['diagonal split 1-5', { kind: 'split', numbers: [1, 5] }],
    ['split 0-4', { kind: 'split', numbers: [0, 4] }],
    ['split with a duplicate', { kind: 'split', numbers: [1, 1] }],
    ['split out of range 36-37', { kind: 'split', numbers: [36, 37] }],
    ['split with a negative number', { kind: 'split', numbers: [-1, 0] }],
    ['split with a fraction', { kind: 'split', numbers: [1.5, 2] }],
    ['split with strings', { kind: 'split', numbers: ['1', '2'] }],
    ['split with three numbers', { kind: 'split', numbers: [1, 2, 3] }],
    ['straight 37', { kind: 'straight', numbers: [37] }],
    ['straight with no numbers', { kind: 'straight', numbers: [] }],
    ['straight without numbers', { kind: 'straight' }],
    ['straight with an index', { kind: 'straight', numbers: [5], index: 1 }],
    ['street across rows 3-4-5', { kind: 'street', numbers: [3, 4, 5] }],
    ['street 1-2-4', { kind: 'street', numbers: [1, 2, 4] }],
    ['trio 0-1-3', { kind: 'street', numbers: [0, 1, 3] }],
    ['street with a duplicate', { kind: 'street', numbers: [1, 2, 2] }],
    ['corner across a row end 2-3-4-5', { kind: 'corner', numbers: [2, 3, 4, 5] }],
    ['corner 3-4-6-7', { kind: 'corner', numbers: [3, 4, 6, 7] }],
    ['corner that is a row plus one 1-2-3-4', { kind: 'corner', numbers: [1, 2, 3, 4] }],
    ['corner with three numbers', { kind: 'corner', numbers: [1, 2, 4] }],
    ['corner 34-35-37-38', { kind: 'corner', numbers: [34, 35, 37, 38] }],
    ['line misaligned 2..7', { kind: 'line', numbers: [2, 3, 4, 5, 6, 7] }],
    ['line with zero', { kind: 'line', numbers: [0, 1, 2, 3, 4, 5] }],
    ['line of non-adjacent rows', { kind: 'line', numbers: [1, 2, 3, 7, 8, 9] }],
    ['line past the end 34..39', { kind: 'line', numbers: [34, 35, 36, 37, 38, 39] }],
    ['dozen 0', { kind: 'dozen', index: 0 }],
    ['dozen 4', { kind: 'dozen', index: 4 }],
    ['column without index', { kind: 'column' }],
    ['column with numbers', { kind: 'column', index: 1, numbers: [1] }],
    ['red with numbers', { kind: 'red', numbers: [1] }],
    ['even with an index', { kind: 'even', index: 1 }],
    ['unknown kind', { kind: 'basket', numbers: [0, 1, 2] }],
    ['null spot', null],
    ['numbers not an array', { kind: 'split', numbers: '1-2' }],
  ];

  for (const [name, spot] of invalid) {
    it(`rejects an invalid selection: ${name}`, () => {
      expect(normalizeSpot(spot)).to.equal(null);
      const table = new TableDriver();
      table.tick(T0);
      table.rejected(table.bet('b', 'p', spot as Spot, 100), 'bet/invalid_selection');
    });
  }
});
