import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decide, evolve, initialTableState, tableConfig, type RouletteEvent, type TableState } from '../../actors/roulette/index.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { createLogger } from '../../server/logger.ts';
import type { Store } from '../../server/store/types.ts';
import { CHUNK, replayJournal, toRecords } from '../../rooms/journal-chunks.ts';
import { JournalWriter, appendGroups } from '../../rooms/journal-writer.ts';
import { loadTable, TABLE_CONFIGURED } from '../../rooms/roulette/persistence.ts';

const SEED = 'ab'.repeat(32);

function apply(state: TableState, events: RouletteEvent[]): TableState {
  return events.reduce(evolve, state);
}

describe('journal: events larger than one record', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-chunks-'));
    store = await openSqliteStore({ path: path.join(dir, 'j.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('journals and replays the settlement of a round with thousands of bets', async () => {
    const config = tableConfig({ maxBetsPerRound: 10_000, maxPayoutPerRoundMinor: 1_000_000_000 });
    let state = initialTableState('big-1', config);
    const events: RouletteEvent[] = [];
    const step = (d: ReturnType<typeof decide>) => {
      if (!d.ok) throw new Error(JSON.stringify(d.rejection));
      events.push(...d.events);
      state = apply(state, d.events);
    };
    step(decide(state, { type: 'tick', now: 1_000, playersPresent: true, serverSeed: SEED }));
    for (let p = 0; p < 60; p++) {
      for (let b = 0; b < 50; b++) {
        step(decide(state, { type: 'placeBet', betId: `p${p}-b${b}`, playerId: `player-${p}`, spot: { kind: 'straight', numbers: [(p + b) % 37] }, stakeMinor: 10, now: 2_000 }));
      }
    }
    step(decide(state, { type: 'tick', now: 1_000_000, playersPresent: true, serverSeed: SEED }));
    const settled = events.find((e) => e.type === 'RoundSettled');
    expect(settled && settled.type === 'RoundSettled' && settled.settlements.length).to.equal(3000);
    expect(JSON.stringify(settled).length, 'larger than one 64 KiB record').to.be.greaterThan(200_000);

    const writer = new JournalWriter(store.journal, 'big-1', 0, (err) => {
      throw err;
    });
    await writer.append([{ type: TABLE_CONFIGURED, data: { config } }]);
    await Promise.all(events.map((e) => writer.append([{ type: e.type, data: e }])));
    await writer.drain();
    const records = await store.journal.read('big-1', { limit: 10_000 });
    expect(records.some((r) => r.type === CHUNK)).to.equal(true);

    const loaded = await loadTable(store, 'big-1', config, createLogger('silent'));
    expect(loaded.configEvent).to.equal(null);
    expect(loaded.state).to.deep.equal(state);
    expect(loaded.lastSeq).to.equal(records.length);
  });

  it('drops a chunked event a crash left incomplete and keeps replaying', async () => {
    const big = { type: 'Big', data: { list: Array.from({ length: 5000 }, (_, i) => `item-${i}`) } };
    const chunks = toRecords(big);
    expect(chunks.length).to.be.greaterThan(2);
    await store.journal.append('r', 1, [chunks[0]!, chunks[1]!]);
    await store.journal.append('r', 3, [{ type: 'Small', data: { n: 1 } }, ...chunks]);
    const seen: string[] = [];
    await replayJournal(store.journal, 'r', (e) => seen.push(e.type));
    expect(seen).to.deep.equal(['Small', 'Big']);
  });

  it('packs appends under the store\'s per-append bound, keeping items whole when they fit', () => {
    const items = (n: number) => Array.from({ length: n }, () => ({ type: 'E', data: {} }));
    expect(appendGroups([items(600), items(600)]).map((g) => g.length)).to.deep.equal([600, 600]);
    expect(appendGroups([items(2500)]).map((g) => g.length)).to.deep.equal([1000, 1000, 500]);
    expect(appendGroups([items(10), items(20)]).map((g) => g.length)).to.deep.equal([30]);
  });
});
