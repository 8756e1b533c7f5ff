/**
 * Property: whatever a room journals (any JSON data, any Unicode, small events and events split
 * into many chunks, in any mix and batching), replay through the real SQLite journal gives back
 * exactly the events in order.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replayJournal } from '../../rooms/journal-chunks.ts';
import { JournalWriter } from '../../rooms/journal-writer.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import type { JournalEvent, Store } from '../../server/store/types.ts';

/** JSON values whose text round-trips: no -0 (JSON writes 0), no undefined. */
const jsonValue = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
/** Long text around the chunk size (10,000 characters), with astral characters that may be cut between chunks. */
const longText = fc
  .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), fc.integer({ min: 300, max: 3_000 }))
  .map(([piece, times]) => piece.repeat(times).slice(0, 35_000));
const event: fc.Arbitrary<JournalEvent> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constantFrom('BetPlaced', 'RoundSettled', 'Tick'), data: fc.record({ value: jsonValue }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('Big'), data: fc.record({ text: longText, n: fc.integer() }) }) },
);

describe('journal chunking round-trips through the store (property)', function () {
  this.timeout(120_000);
  let dir: string;
  let store: Store;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-chunk-prop-'));
    store = await openSqliteStore({ path: path.join(dir, 'j.sqlite') });
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let run = 0;
  it('replays exactly the appended events, in order, whatever their size and batching', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), async (batches) => {
        const roomId = `prop-${++run}`;
        const writer = new JournalWriter(store.journal, roomId, 0, (err) => {
          throw err;
        });
        // Appended without waiting, as a room does: the writer coalesces them into group commits.
        await Promise.all(batches.map((b) => writer.append(b)));
        const replayed: JournalEvent[] = [];
        const lastSeq = await replayJournal(store.journal, roomId, (r) => replayed.push({ type: r.type, data: r.data }));
        expect(lastSeq).to.equal(writer.seq);
        expect(replayed).to.deep.equal(batches.flat());
      }),
      { numRuns: 40, seed: 20261203 },
    );
  });
});
