/**
 * The sharded map under keys that name Object.prototype's members: bet ids are chosen by clients,
 * and `__proto__` passed every id pattern. Assigned, it set a shard's prototype (the bet was lost
 * to lookups, and iteration walked the prototype's fields as if they were bets).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { emptySharded, getIn, setIn, updateIn, valuesOf } from '../../../actors/sportsbook/sharded.ts';

describe('sharded map: any string is a key like any other', () => {
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`stores, finds, lists and deletes "${key}"`, () => {
      const empty = emptySharded<{ betId: string }>();
      expect(getIn(empty, key), 'absent before').to.equal(undefined);
      const one = setIn(empty, key, { betId: key });
      expect(getIn(one, key)).to.deep.equal({ betId: key });
      expect(valuesOf(one)).to.deep.equal([{ betId: key }]);
      expect(JSON.parse(JSON.stringify(one)).flatMap((s: object) => Object.keys(s))).to.deep.equal([key]);
      const none = setIn(one, key, undefined);
      expect(getIn(none, key)).to.equal(undefined);
      expect(valuesOf(none)).to.deep.equal([]);
      expect(Object.getPrototypeOf(none[0])).to.equal(Object.prototype);
    });
  }

  it('agrees with a Map over random keys and updates (property)', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'toString'));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.option(fc.integer(), { nil: undefined })), { maxLength: 60 }), (ops) => {
        let map = emptySharded<number>();
        const model = new Map<string, number>();
        for (const [k, v] of ops) {
          map = updateIn(map, [[k, v]]);
          if (v === undefined) model.delete(k);
          else model.set(k, v);
        }
        for (const [k, v] of model) expect(getIn(map, k)).to.equal(v);
        expect(valuesOf(map).sort((a, b) => a - b)).to.deep.equal([...model.values()].sort((a, b) => a - b));
      }),
      { seed: 20261204, numRuns: 300 },
    );
  });
});
