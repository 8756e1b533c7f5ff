import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { deriveRoulettePocket, nextDeadline, payoutFor } from '../../../actors/roulette/index.ts';
import type { BettingClosed, ResultDrawn, RoundOpened, RoundSettled, RouletteEvent } from '../../../actors/roulette/index.ts';
import { T0, TABLE_ID, TableDriver, testConfig, testSeed, types } from './helpers.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const find = <T extends RouletteEvent['type']>(events: RouletteEvent[], type: T) =>
  events.find((e) => e.type === type) as Extract<RouletteEvent, { type: T }>;

describe('roulette round lifecycle', () => {
  it('stays idle with no deadline while no players are present', () => {
    const table = new TableDriver();
    expect(table.tick(T0, false)).to.deep.equal([]);
    expect(table.state.phase).to.equal('idle');
    expect(nextDeadline(table.state)).to.equal(null);
  });

  it('opens round 1 with a commitment to the server seed when a player is present', () => {
    const table = new TableDriver();
    const [opened] = table.tick(T0) as RoundOpened[];
    expect(opened).to.deep.equal({
      type: 'RoundOpened',
      tableId: TABLE_ID,
      roundId: `${TABLE_ID}:1`,
      number: 1,
      serverSeedHash: sha256(testSeed(1)),
      serverSeed: testSeed(1),
      opensAt: T0,
      closesAt: T0 + 15_000,
    });
    expect(table.state.phase).to.equal('betting');
    expect(nextDeadline(table.state)).to.equal(T0 + 15_000);
  });

  it('does nothing on ticks before a deadline, and ignores their server seeds', () => {
    const table = new TableDriver();
    table.tick(T0);
    const before = table.state;
    expect(table.tick(T0 + 14_999)).to.deep.equal([]);
    expect(table.state).to.equal(before);
  });

  it('closes betting at closesAt, draws after spinMs, settles, and opens the next round after pauseMs', () => {
    const table = new TableDriver();
    table.tick(T0);
    const closed = table.tick(T0 + 15_000);
    expect(types(closed)).to.deep.equal(['BettingClosed']);
    expect((closed[0] as BettingClosed).clientSeed).to.equal(`${TABLE_ID}:1`); // no client seeds: the roundId
    expect(table.state.phase).to.equal('closed');
    expect(nextDeadline(table.state)).to.equal(T0 + 18_000);

    expect(table.tick(T0 + 17_999)).to.deep.equal([]);
    const drawn = table.tick(T0 + 18_000);
    expect(types(drawn)).to.deep.equal(['ResultDrawn', 'RoundSettled']);
    const result = drawn[0] as ResultDrawn;
    expect(result.pocket).to.equal(deriveRoulettePocket(testSeed(1), `${TABLE_ID}:1`, 1));
    expect(result).to.include({ nonce: 1, serverSeed: testSeed(1), serverSeedHash: sha256(testSeed(1)), clientSeed: `${TABLE_ID}:1` });
    expect(table.state.phase).to.equal('settled');
    expect(table.state.history).to.deep.equal([{ roundId: `${TABLE_ID}:1`, number: 1, pocket: result.pocket }]);
    expect(nextDeadline(table.state)).to.equal(T0 + 23_000);

    const next = table.tick(T0 + 23_000);
    expect(types(next)).to.deep.equal(['RoundOpened']);
    expect(next[0]).to.include({ roundId: `${TABLE_ID}:2`, number: 2, opensAt: T0 + 23_000, closesAt: T0 + 38_000 });
    expect((next[0] as RoundOpened).serverSeedHash).to.not.equal((table.journal[0] as RoundOpened).serverSeedHash);
  });

  it('goes idle after the pause when no players are present, and reopens when one returns', () => {
    const table = new TableDriver();
    table.tick(T0);
    table.advance(false);
    table.advance(false);
    const idled = table.advance(false);
    expect(idled).to.deep.equal([{ type: 'TableIdled', tableId: TABLE_ID, at: T0 + 23_000 }]);
    expect(table.state.phase).to.equal('idle');
    expect(nextDeadline(table.state)).to.equal(null);
    expect(table.tick(T0 + 60_000, false)).to.deep.equal([]);
    const reopened = table.tick(T0 + 61_000);
    expect(reopened[0]).to.include({ type: 'RoundOpened', number: 2, opensAt: T0 + 61_000 });
  });

  it('finishes a round that started with players even if they all left', () => {
    const table = new TableDriver();
    table.tick(T0);
    expect(types(table.tick(T0 + 20_000, false))).to.deep.equal(['BettingClosed', 'ResultDrawn', 'RoundSettled']);
  });

  it('draws in the closing tick when spinMs is 0', () => {
    const table = new TableDriver(testConfig({ spinMs: 0 }));
    table.tick(T0);
    expect(types(table.tick(T0 + 15_000))).to.deep.equal(['BettingClosed', 'ResultDrawn', 'RoundSettled']);
  });

  it('catches up on every deadline a late tick skipped, opening the next round at the tick time', () => {
    const table = new TableDriver();
    table.tick(T0);
    const events = table.tick(T0 + 120_000);
    expect(types(events)).to.deep.equal(['BettingClosed', 'ResultDrawn', 'RoundSettled', 'RoundOpened']);
    expect(events[3]).to.include({ number: 2, opensAt: T0 + 120_000, closesAt: T0 + 135_000 });
    expect(table.state.phase).to.equal('betting');
  });

  it('goes idle in the same late tick when no players are present', () => {
    const table = new TableDriver();
    table.tick(T0);
    expect(types(table.tick(T0 + 120_000, false))).to.deep.equal(['BettingClosed', 'ResultDrawn', 'RoundSettled', 'TableIdled']);
  });

  it('runs rounds continuously while players are present, even with no bets', () => {
    const table = new TableDriver();
    table.tick(T0);
    for (let i = 0; i < 3 * 10; i++) table.advance();
    const settled = table.journal.filter((e): e is RoundSettled => e.type === 'RoundSettled');
    expect(settled.map((e) => e.roundId)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `${TABLE_ID}:${i + 1}`));
    expect(settled.every((e) => e.settlements.length === 0 && e.totals.payoutMinor === 0)).to.equal(true);
    expect(table.state.lastRoundNumber).to.equal(11);
    expect(table.state.history.map((h) => h.number)).to.deep.equal([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('keeps only the last historySize results, newest first', () => {
    const table = new TableDriver(testConfig({ historySize: 3 }));
    table.tick(T0);
    for (let i = 0; i < 3 * 5; i++) table.advance();
    expect(table.state.history.map((h) => h.number)).to.deep.equal([5, 4, 3]);
  });

  it('settles every bet: stake plus winnings to winners, 0 to losers', () => {
    const table = new TableDriver(testConfig({ spinMs: 0 }));
    table.tick(T0);
    const pocket = deriveRoulettePocket(testSeed(1), `${TABLE_ID}:1`, 1);
    const other = (pocket + 1) % 37;
    table.ok(table.bet('win', 'alice', { kind: 'straight', numbers: [pocket] }, 100));
    table.ok(table.bet('lose', 'bob', { kind: 'straight', numbers: [other] }, 250));
    table.ok(table.bet('red', 'bob', { kind: 'red' }, 40));
    const settled = find(table.tick(T0 + 15_000), 'RoundSettled');
    const redPayout = payoutFor({ kind: 'red' }, 40, pocket);
    expect(settled.pocket).to.equal(pocket);
    expect(settled.settlements).to.deep.equal([
      { betId: 'win', playerId: 'alice', stakeMinor: 100, payoutMinor: 3600, spot: { kind: 'straight', numbers: [pocket] } },
      { betId: 'lose', playerId: 'bob', stakeMinor: 250, payoutMinor: 0, spot: { kind: 'straight', numbers: [other] } },
      { betId: 'red', playerId: 'bob', stakeMinor: 40, payoutMinor: redPayout, spot: { kind: 'red' } },
    ]);
    expect(settled.totals).to.deep.equal({ betCount: 3, stakeMinor: 390, payoutMinor: 3600 + redPayout });
  });

  it("fixes the client seed from the players' latest seeds, ordered by playerId, when betting closes", () => {
    const table = new TableDriver();
    table.tick(T0);
    table.ok({ type: 'submitClientSeed', playerId: 'zoe', seed: 'first try', now: T0 + 1 });
    table.ok({ type: 'submitClientSeed', playerId: 'adam', seed: 'apple pie', now: T0 + 2 });
    table.ok({ type: 'submitClientSeed', playerId: 'zoe', seed: 'my lucky seed!', now: T0 + 3 });
    const closed = table.tick(T0 + 15_000)[0] as BettingClosed;
    const expected = sha256('apple pie\nmy lucky seed!');
    expect(closed).to.deep.equal({
      type: 'BettingClosed',
      roundId: `${TABLE_ID}:1`,
      clientSeed: expected,
      clientSeeds: ['apple pie', 'my lucky seed!'],
      at: T0 + 15_000,
    });
    const drawn = table.tick(T0 + 18_000)[0] as ResultDrawn;
    expect(drawn.clientSeed).to.equal(expected);
    expect(drawn.pocket).to.equal(deriveRoulettePocket(testSeed(1), expected, 1));
  });

  it('rejects a tick whose server seed is not 64 lowercase hex characters, changing nothing', () => {
    const table = new TableDriver();
    for (const serverSeed of ['', 'abc', testSeed(1).toUpperCase(), `${testSeed(1)}0`, 'g'.repeat(64)]) {
      table.rejected({ type: 'tick', now: T0, playersPresent: true, serverSeed }, 'round/invalid_server_seed');
    }
    table.rejected({ type: 'tick', now: T0, playersPresent: 'yes' as unknown as boolean, serverSeed: testSeed(1) }, 'command/invalid');
    table.rejected({ type: 'tick', now: -1, playersPresent: true, serverSeed: testSeed(1) }, 'command/invalid');
    table.rejected({ type: 'tick', now: 1.5, playersPresent: true, serverSeed: testSeed(1) }, 'command/invalid');
  });
});
