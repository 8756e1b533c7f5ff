import { expect } from 'chai';
import { ROULETTE_REJECTION_CODES, decide, playerBets } from '../../../actors/roulette/index.ts';
import type { RouletteCommand } from '../../../actors/roulette/index.ts';
import { T0, TableDriver, testConfig } from './helpers.ts';

const red = { kind: 'red' } as const;
const straight = (n: number) => ({ kind: 'straight' as const, numbers: [n] });

/** Codes seen rejected in this file; after the suite, every listed code must have been exercised. */
const exercised = new Set<string>();

class Table extends TableDriver {
  override rejected(command: RouletteCommand, code: string): void {
    super.rejected(command, code);
    exercised.add(code);
  }
}

function openTable(overrides = {}) {
  const table = new Table(testConfig(overrides));
  table.tick(T0);
  return table;
}

describe('roulette bets and limits', () => {
  it('accepts a valid bet and records it with its normalized spot', () => {
    const table = openTable();
    const events = table.ok(table.bet('b1', 'alice', { kind: 'split', numbers: [5, 2] }, 100));
    expect(events).to.deep.equal([
      { type: 'BetPlaced', roundId: 'roulette-1:1', betId: 'b1', playerId: 'alice', spot: { kind: 'split', numbers: [2, 5] }, stakeMinor: 100, at: T0 + 1 },
    ]);
    expect(playerBets(table.state, 'alice').map((b) => b.betId)).to.deep.equal(['b1']);
    expect(playerBets(table.state, 'bob')).to.deep.equal([]);
  });

  it('rejects malformed commands with command/invalid', () => {
    const table = openTable();
    table.rejected({ ...table.bet('b1', 'alice', red, 100), now: undefined as unknown as number }, 'command/invalid');
    table.rejected(table.bet('', 'alice', red, 100), 'command/invalid');
    table.rejected(table.bet('b1', 'x'.repeat(129), red, 100), 'command/invalid');
    table.rejected({ type: 'removeBet', betId: 'b1', playerId: 42 as unknown as string, now: T0 + 1 }, 'command/invalid');
    table.rejected({ type: 'clearBets', playerId: '', now: T0 + 1 }, 'command/invalid');
    table.rejected({ type: 'submitClientSeed', playerId: '', seed: 'x', now: T0 + 1 }, 'command/invalid');
    table.rejected({ type: 'dance', now: T0 } as unknown as RouletteCommand, 'command/invalid');
  });

  it('rejects a selection that is not a bet on the layout (full list in layout.test.ts)', () => {
    const table = openTable();
    table.rejected(table.bet('b1', 'alice', { kind: 'split', numbers: [3, 4] }, 100), 'bet/invalid_selection');
  });

  it('rejects stakes that are not positive safe integers', () => {
    const table = openTable();
    for (const stake of [0, -10, 10.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '100' as unknown as number]) {
      table.rejected(table.bet('b1', 'alice', red, stake), 'bet/invalid_stake');
    }
  });

  it('rejects stakes below the minimum and above the maximum per bet', () => {
    const table = openTable({ minBetMinor: 10, maxBetMinor: 1_000 });
    table.rejected(table.bet('b1', 'alice', red, 9), 'bet/below_min');
    table.rejected(table.bet('b1', 'alice', red, 1_001), 'bet/above_max');
    table.ok(table.bet('b1', 'alice', red, 10));
    table.ok(table.bet('b2', 'alice', red, 1_000));
  });

  it('rejects bets when no round is open, at closesAt and after betting closed', () => {
    const table = new Table();
    table.rejected({ type: 'placeBet', betId: 'b0', playerId: 'alice', spot: red, stakeMinor: 100, now: T0 }, 'bet/betting_closed');
    table.tick(T0);
    table.ok(table.bet('b1', 'alice', red, 100, T0 + 14_999));
    table.rejected(table.bet('b2', 'alice', red, 100, T0 + 15_000), 'bet/betting_closed'); // before the closing tick
    table.tick(T0 + 15_000);
    table.rejected(table.bet('b2', 'alice', red, 100, T0 + 15_001), 'bet/betting_closed');
    table.tick(T0 + 18_000);
    table.rejected(table.bet('b2', 'alice', red, 100, T0 + 18_001), 'bet/betting_closed');
  });

  it('rejects a betId already used in this round, by a removed bet or in an earlier retained round', () => {
    const table = openTable({ spinMs: 0, pauseMs: 0 });
    table.ok(table.bet('b1', 'alice', red, 100));
    table.rejected(table.bet('b1', 'alice', red, 100), 'bet/duplicate');
    table.rejected(table.bet('b1', 'bob', straight(3), 50), 'bet/duplicate');
    table.ok(table.bet('b2', 'alice', red, 100));
    table.ok({ type: 'removeBet', betId: 'b2', playerId: 'alice', now: T0 + 2 });
    table.rejected(table.bet('b2', 'alice', red, 100), 'bet/duplicate');
    table.tick(T0 + 15_000); // settle round 1, open round 2
    expect(table.state.round?.number).to.equal(2);
    table.rejected(table.bet('b1', 'alice', red, 100), 'bet/duplicate');
    table.rejected(table.bet('b2', 'alice', red, 100), 'bet/duplicate');
    table.ok(table.bet('b3', 'alice', red, 100));
  });

  it('forgets bet ids of rounds older than betIdRetentionRounds (the wallet key stays the backstop)', () => {
    const table = openTable({ spinMs: 0, pauseMs: 0, betIdRetentionRounds: 2 });
    table.ok(table.bet('old', 'alice', red, 100));
    for (let round = 2; round <= 4; round++) table.tick(table.round.closesAt);
    expect(table.state.retainedBetIds.map((r) => r.roundNumber)).to.deep.equal([2, 3]);
    table.ok(table.bet('old', 'alice', red, 100));
  });

  it('limits the number of bets per player per round', () => {
    const table = openTable({ maxBetsPerPlayerPerRound: 3 });
    for (const id of ['a', 'b', 'c']) table.ok(table.bet(id, 'alice', red, 10));
    table.rejected(table.bet('d', 'alice', red, 10), 'bet/player_limit');
    table.ok(table.bet('e', 'bob', red, 10));
    table.ok({ type: 'removeBet', betId: 'a', playerId: 'alice', now: T0 + 2 });
    table.ok(table.bet('f', 'alice', red, 10));
  });

  it('limits the total stake per player per round', () => {
    const table = openTable({ maxStakePerPlayerPerRoundMinor: 1_000 });
    table.ok(table.bet('a', 'alice', red, 600));
    table.rejected(table.bet('b', 'alice', { kind: 'black' }, 401), 'bet/player_limit');
    table.ok(table.bet('c', 'alice', { kind: 'black' }, 400));
    table.ok(table.bet('d', 'bob', { kind: 'black' }, 1_000));
  });

  it('limits the number of bets in a round over all players', () => {
    const table = openTable({ maxBetsPerRound: 2 });
    table.ok(table.bet('a', 'alice', red, 10));
    table.ok(table.bet('b', 'bob', red, 10));
    table.rejected(table.bet('c', 'carol', red, 10), 'bet/table_limit');
  });

  it("limits the round's worst-case payout over all pockets, not the sum of all bets", () => {
    const table = openTable({ maxPayoutPerRoundMinor: 3_600, minBetMinor: 1 });
    table.ok(table.bet('a', 'alice', straight(17), 100)); // pocket 17 would cost 3,600
    table.ok(table.bet('b', 'bob', straight(18), 100)); // pocket 18 too: still 3,600 at worst
    table.rejected(table.bet('c', 'carol', { kind: 'split', numbers: [17, 20] }, 1), 'bet/payout_limit');
    table.ok(table.bet('d', 'carol', { kind: 'split', numbers: [19, 20] }, 100)); // 1,800 on 19/20
    expect(Math.max(...table.round.payoutByPocketMinor)).to.equal(3_600);
  });

  it('accepts hedged even-money bets whose worst case stays within the payout limit', () => {
    const table = openTable({ maxPayoutPerRoundMinor: 2_000 });
    table.ok(table.bet('r', 'alice', red, 1_000));
    table.ok(table.bet('b', 'bob', { kind: 'black' }, 1_000));
    table.rejected(table.bet('o', 'carol', { kind: 'odd' }, 10), 'bet/payout_limit');
  });

  it('removes a bet of the player while betting is open and frees its limits', () => {
    const table = openTable({ maxPayoutPerRoundMinor: 3_600, minBetMinor: 1 });
    table.ok(table.bet('a', 'alice', straight(7), 100));
    const events = table.ok({ type: 'removeBet', betId: 'a', playerId: 'alice', now: T0 + 5 });
    expect(events).to.deep.equal([
      { type: 'BetRemoved', roundId: 'roulette-1:1', betId: 'a', playerId: 'alice', spot: straight(7), stakeMinor: 100, at: T0 + 5 },
    ]);
    expect(table.round.bets).to.deep.equal([]);
    expect(table.round.payoutByPocketMinor.every((x) => x === 0)).to.equal(true);
    table.ok(table.bet('b', 'alice', straight(7), 100));
  });

  it("rejects removing an unknown bet or another player's bet", () => {
    const table = openTable();
    table.ok(table.bet('a', 'alice', red, 100));
    table.rejected({ type: 'removeBet', betId: 'nope', playerId: 'alice', now: T0 + 2 }, 'bet/not_found');
    table.rejected({ type: 'removeBet', betId: 'a', playerId: 'bob', now: T0 + 2 }, 'bet/not_found');
    table.ok({ type: 'removeBet', betId: 'a', playerId: 'alice', now: T0 + 2 });
    table.rejected({ type: 'removeBet', betId: 'a', playerId: 'alice', now: T0 + 3 }, 'bet/not_found');
  });

  it("clears all of one player's bets while open, leaving other players' bets", () => {
    const table = openTable();
    table.ok(table.bet('a1', 'alice', red, 100));
    table.ok(table.bet('b1', 'bob', red, 100));
    table.ok(table.bet('a2', 'alice', straight(0), 50));
    const events = table.ok({ type: 'clearBets', playerId: 'alice', now: T0 + 9 });
    expect(events.map((e) => (e.type === 'BetRemoved' ? e.betId : e.type))).to.deep.equal(['a1', 'a2']);
    expect(table.round.bets.map((b) => b.betId)).to.deep.equal(['b1']);
    expect(table.ok({ type: 'clearBets', playerId: 'alice', now: T0 + 10 })).to.deep.equal([]);
  });

  it('rejects removing or clearing bets after betting closed', () => {
    const table = openTable();
    table.ok(table.bet('a', 'alice', red, 100));
    table.rejected({ type: 'removeBet', betId: 'a', playerId: 'alice', now: T0 + 15_000 }, 'bet/betting_closed');
    table.tick(T0 + 15_000);
    table.rejected({ type: 'removeBet', betId: 'a', playerId: 'alice', now: T0 + 15_001 }, 'bet/betting_closed');
    table.rejected({ type: 'clearBets', playerId: 'alice', now: T0 + 15_001 }, 'bet/betting_closed');
    expect(table.round.bets).to.have.length(1);
  });

  it('accepts client seeds of 1..64 printable ASCII characters while betting is open, latest per player', () => {
    const table = openTable();
    table.ok({ type: 'submitClientSeed', playerId: 'alice', seed: ' ', now: T0 + 1 });
    table.ok({ type: 'submitClientSeed', playerId: 'alice', seed: '~'.repeat(64), now: T0 + 2 });
    expect(table.round.clientSeeds).to.deep.equal([{ playerId: 'alice', seed: '~'.repeat(64) }]);
    for (const seed of ['', 'x'.repeat(65), 'café', 'tab\there', 'line\n', '\u0000', 42 as unknown as string]) {
      table.rejected({ type: 'submitClientSeed', playerId: 'alice', seed, now: T0 + 3 }, 'seed/invalid');
    }
  });

  it('rejects client seeds after betting closed or before any round', () => {
    const table = new Table();
    table.rejected({ type: 'submitClientSeed', playerId: 'alice', seed: 'x', now: T0 }, 'seed/betting_closed');
    table.tick(T0);
    table.rejected({ type: 'submitClientSeed', playerId: 'alice', seed: 'x', now: T0 + 15_000 }, 'seed/betting_closed');
  });

  it('limits the number of players contributing client seeds to a round', () => {
    const table = openTable({ maxClientSeedsPerRound: 2 });
    table.ok({ type: 'submitClientSeed', playerId: 'a', seed: 'x', now: T0 + 1 });
    table.ok({ type: 'submitClientSeed', playerId: 'b', seed: 'y', now: T0 + 1 });
    table.rejected({ type: 'submitClientSeed', playerId: 'c', seed: 'z', now: T0 + 1 }, 'seed/limit');
    table.ok({ type: 'submitClientSeed', playerId: 'b', seed: 'changed', now: T0 + 2 });
  });

  it('rejects a bad server seed on tick', () => {
    const table = new Table();
    table.rejected({ type: 'tick', now: T0, playersPresent: true, serverSeed: 'not-hex' }, 'round/invalid_server_seed');
  });

  it('never mutates the state it decides on', () => {
    const table = openTable();
    table.ok(table.bet('a', 'alice', red, 100));
    const snapshot = structuredClone(table.state);
    decide(table.state, table.bet('b', 'bob', red, 100));
    decide(table.state, { type: 'tick', now: T0 + 99_000, playersPresent: true, serverSeed: 'a'.repeat(64) });
    expect(table.state).to.deep.equal(snapshot);
  });

  // Checked once every test of the suite has run and passed (not under --grep or a single test),
  // so no test depends on which others ran before it.
  after(function () {
    const tests = this.test!.parent!.tests;
    if (tests.some((t) => t.state !== 'passed')) return;
    expect([...exercised].sort(), 'every listed rejection code is exercised by this suite').to.deep.equal([...ROULETTE_REJECTION_CODES].sort());
  });
});
