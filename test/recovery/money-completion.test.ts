/**
 * A decision is journaled before its money moves (rooms/journal-writer.ts), so a crash can leave a
 * journaled settlement with its money not (or only partly) moved, and stakes reserved for bets the
 * journal never got. A rebuilt table must finish exactly what the journal says: each settled stake
 * captured and its payout paid once, each never-journaled stake released, and the books exact.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decide, evolve, initialTableState, tableConfig, type RouletteEvent, type Settlement, type TableState } from '../../actors/roulette/index.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { SYSTEM_ACCOUNTS, type Store } from '../../server/store/types.ts';
import { holdId, reserveOp, settlementOps } from '../../rooms/roulette/money.ts';
import { TABLE_CONFIGURED } from '../../rooms/roulette/persistence.ts';
import { bootTestServer } from '../support/server.ts';

const TABLE = 'roulette-1';
const SEED = 'cd'.repeat(32);

/** A settled round, decided by the actor: its events and settlements. */
function settledRound(players: string[]): { events: RouletteEvent[]; settlements: Settlement[] } {
  let state: TableState = initialTableState(TABLE, tableConfig());
  const events: RouletteEvent[] = [];
  const step = (d: ReturnType<typeof decide>) => {
    if (!d.ok) throw new Error(JSON.stringify(d.rejection));
    events.push(...d.events);
    state = d.events.reduce(evolve, state);
  };
  step(decide(state, { type: 'tick', now: 1_000, playersPresent: true, serverSeed: SEED }));
  players.forEach((p, i) => {
    step(decide(state, { type: 'placeBet', betId: `${p}-red`, playerId: p, spot: { kind: 'red' }, stakeMinor: 100 + i, now: 2_000 }));
    step(decide(state, { type: 'placeBet', betId: `${p}-n${i}`, playerId: p, spot: { kind: 'straight', numbers: [i % 37] }, stakeMinor: 50, now: 2_000 }));
  });
  step(decide(state, { type: 'tick', now: 10_000_000, playersPresent: false, serverSeed: SEED }));
  const settled = events.find((e) => e.type === 'RoundSettled');
  if (!settled || settled.type !== 'RoundSettled') throw new Error('no settlement');
  return { events, settlements: settled.settlements };
}

describe('recovery: a rebuilt table completes the money of its journaled decisions', function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-complete-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function withStore<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    const store = await openSqliteStore({ path: path.join(dataDir, 'casino.sqlite') });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  it('captures and pays every journaled settlement exactly once (some already done before the crash) and releases stakes of bets never journaled', async () => {
    const players = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const { events, settlements } = settledRound(players);
    const orphan = { betId: 'never-journaled', playerId: 'p1', stakeMinor: 700 };
    await withStore(async (store) => {
      for (const p of players) {
        await store.wallet.ensureAccount(`player:${p}`, 'player', 'EUR');
        await store.wallet.apply([{ type: 'transfer', key: `fund:${p}`, fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: `player:${p}`, amountMinor: 10_000, kind: 'deposit' }]);
      }
      await store.wallet.ensureAccount(SYSTEM_ACCOUNTS.house, 'house', 'EUR');
      await store.wallet.apply([{ type: 'transfer', key: 'fund:house', fromAccountId: SYSTEM_ACCOUNTS.world, toAccountId: SYSTEM_ACCOUNTS.house, amountMinor: 10_000_000, kind: 'funding' }]);
      // Stakes reserved at placement, as the room does; one more whose bet never reached the journal.
      for (const s of [...settlements, orphan]) expect((await store.wallet.apply([reserveOp(TABLE, s)]))[0]!.ok).to.equal(true);
      // The journal has the whole round, settlement included; the crash came after the first two bets' money.
      await store.journal.append(TABLE, 1, [{ type: TABLE_CONFIGURED, data: { config: tableConfig() } }, ...events.map((e) => ({ type: e.type, data: e }))]);
      const roundId = (events.find((e) => e.type === 'RoundSettled') as Extract<RouletteEvent, { type: 'RoundSettled' }>).roundId;
      for (const s of settlements.slice(0, 2)) {
        for (const o of await store.wallet.apply(settlementOps(TABLE, s, roundId), { atomic: true })) expect(o.ok).to.equal(true);
      }
    });

    const srv = await bootTestServer({ ROULETTE_TABLES: '1' }, { dataDir });
    await srv.app.close(); // (srv.stop() would also delete the data directory)

    await withStore(async (store) => {
      const books = await store.wallet.reconcile();
      expect(books.ok, JSON.stringify(books)).to.equal(true);
      expect(books.openHoldCount, 'no stake left held').to.equal(0);
      for (const s of settlements) {
        const hold = await store.wallet.getHold(holdId(TABLE, s.betId));
        expect(hold, s.betId).to.include({ status: 'captured', capturedMinor: s.stakeMinor });
        const paid = (await store.wallet.listTransfers(`player:${s.playerId}`, { limit: 200 })).items.filter((t) => t.key === `${holdId(TABLE, s.betId)}:payout`);
        expect(paid.map((t) => t.amountMinor), `payout of ${s.betId}`).to.deep.equal(s.payoutMinor > 0 ? [s.payoutMinor] : []);
      }
      expect(await store.wallet.getHold(holdId(TABLE, orphan.betId)), 'the never-journaled stake').to.include({ status: 'released' });
      for (const p of players) {
        const mine = settlements.filter((s) => s.playerId === p);
        const expected = 10_000 - mine.reduce((x, s) => x + s.stakeMinor, 0) + mine.reduce((x, s) => x + s.payoutMinor, 0);
        expect((await store.wallet.getAccount(`player:${p}`))!.balanceMinor, `balance of ${p}`).to.equal(expected);
      }
    });
  });
});
