import { expect } from 'chai';
import {
  decide,
  deriveRoulettePocket,
  evolve,
  initialTableState,
  nextDeadline,
  recover,
  recoveryCommand,
} from '../../../actors/roulette/index.ts';
import type { ResultDrawn, RouletteEvent, Spot, TableState } from '../../../actors/roulette/index.ts';
import { T0, TABLE_ID, TableDriver, testConfig, testSeed, types } from './helpers.ts';

/** A busy session: several rounds with bets, removals, clears, seeds, an idle spell and late ticks. */
function playSession(): TableDriver {
  const table = new TableDriver(testConfig({ historySize: 5, betIdRetentionRounds: 3 }));
  table.tick(T0);
  for (let round = 0; round < 8; round++) {
    const opensAt = table.round.opensAt;
    for (let i = 0; i < 6; i++) {
      const spot: Spot = i % 2 === 0 ? { kind: 'straight', numbers: [(round * 7 + i) % 37] } : { kind: 'dozen', index: ((i % 3) + 1) as 1 | 2 | 3 };
      table.ok(table.bet(`r${round}-b${i}`, `p${i % 3}`, spot, 10 * (i + 1), opensAt + i));
    }
    table.ok({ type: 'submitClientSeed', playerId: `p${round % 3}`, seed: `seed ${round}`, now: opensAt + 10 });
    table.ok({ type: 'removeBet', betId: `r${round}-b0`, playerId: 'p0', now: opensAt + 11 });
    if (round % 3 === 0) table.ok({ type: 'clearBets', playerId: 'p1', now: opensAt + 12 });
    table.advance();
    table.advance();
    if (round === 4) {
      table.advance(false); // goes idle
      table.tick(table.round.closesAt + 60_000);
    } else if (round === 6) {
      table.tick(table.round.closesAt + 40_000); // one late tick: open now
    } else {
      table.advance();
    }
  }
  return table;
}

const replay = (initial: TableState, journal: RouletteEvent[]) => journal.reduce(evolve, initial);

describe('roulette replay', () => {
  it('rebuilds the exact state by replaying the journal from the initial state', () => {
    const table = playSession();
    expect(table.journal.length).to.be.greaterThan(100);
    const fromJson = JSON.parse(JSON.stringify(table.journal)) as RouletteEvent[];
    const rebuilt = replay(initialTableState(TABLE_ID, table.state.config), fromJson);
    expect(rebuilt).to.deep.equal(table.state);
    expect(nextDeadline(rebuilt)).to.equal(nextDeadline(table.state));
  });

  it('makes the same decisions on the rebuilt state', () => {
    const table = playSession();
    const rebuilt = replay(initialTableState(TABLE_ID, table.state.config), table.journal);
    const opensAt = table.round.opensAt;
    const commands = [
      table.bet('again', 'p0', { kind: 'red' }, 100, opensAt + 1),
      table.bet('r7-b1', 'p0', { kind: 'red' }, 100, opensAt + 1),
      { type: 'tick', now: opensAt + 20_000, playersPresent: true, serverSeed: testSeed(99) } as const,
    ];
    for (const command of commands) expect(decide(rebuilt, command)).to.deep.equal(decide(table.state, command));
  });

  it('produces the same journal when the same commands are run again', () => {
    expect(playSession().journal).to.deep.equal(playSession().journal);
  });

  it('leaves the state unchanged for an event about another round', () => {
    const table = playSession();
    const stray: RouletteEvent = { type: 'BetPlaced', roundId: `${TABLE_ID}:1`, betId: 'x', playerId: 'p', spot: { kind: 'red' }, stakeMinor: 10, at: T0 };
    expect(evolve(table.state, stray)).to.equal(table.state);
  });
});

describe('roulette recovery of an interrupted round', () => {
  it('voids a round interrupted while betting was open, refunding every live bet and revealing the server seed', () => {
    const table = new TableDriver();
    table.tick(T0);
    table.ok(table.bet('a', 'alice', { kind: 'red' }, 100));
    table.ok(table.bet('b', 'bob', { kind: 'straight', numbers: [0] }, 20));
    table.ok(table.bet('c', 'bob', { kind: 'black' }, 30));
    table.ok({ type: 'removeBet', betId: 'c', playerId: 'bob', now: T0 + 2 });
    const rebuilt = replay(table.initial, table.journal); // the process restarted
    const events = recover(rebuilt, T0 + 9_000);
    expect(events).to.deep.equal([
      {
        type: 'RoundVoided',
        roundId: `${TABLE_ID}:1`,
        reason: 'interrupted',
        refunds: [
          { betId: 'a', playerId: 'alice', stakeMinor: 100, spot: { kind: 'red' } },
          { betId: 'b', playerId: 'bob', stakeMinor: 20, spot: { kind: 'straight', numbers: [0] } },
        ],
        serverSeed: testSeed(1),
        at: T0 + 9_000,
        nextOpenAt: T0 + 14_000,
      },
    ]);
    table.state = rebuilt;
    table.ok(recoveryCommand(T0 + 9_000));
    expect(table.state.phase).to.equal('voided');
    expect(table.state.history).to.deep.equal([]);
    expect(nextDeadline(table.state)).to.equal(T0 + 14_000);
    table.rejected(table.bet('d', 'alice', { kind: 'red' }, 100, T0 + 10_000), 'bet/betting_closed');
    table.rejected(table.bet('a', 'alice', { kind: 'red' }, 100, T0 + 10_000), 'bet/betting_closed');
    const reopened = table.tick(T0 + 14_000);
    expect(reopened[0]).to.include({ type: 'RoundOpened', number: 2 });
    table.rejected(table.bet('a', 'alice', { kind: 'red' }, 100, T0 + 14_001), 'bet/duplicate');
  });

  it('completes a round interrupted after betting closed, with its committed seeds', () => {
    const table = new TableDriver(testConfig({ spinMs: 5_000 }));
    table.tick(T0);
    table.ok({ type: 'submitClientSeed', playerId: 'alice', seed: 'alice seed', now: T0 + 1 });
    table.ok(table.bet('a', 'alice', { kind: 'red' }, 100));
    table.tick(T0 + 15_000); // BettingClosed only; the process dies during the spin
    const clientSeed = table.round.clientSeed!;
    const events = recover(table.state, T0 + 30_000);
    expect(types(events)).to.deep.equal(['ResultDrawn', 'RoundSettled']);
    const pocket = deriveRoulettePocket(testSeed(1), clientSeed, 1);
    expect(events[0]).to.include({ pocket, clientSeed, nonce: 1, at: T0 + 30_000 });
    expect(events[1]).to.include({ pocket, nextOpenAt: T0 + 35_000 });
    expect(decide(table.state, recoveryCommand(T0 + 30_000))).to.deep.equal({ ok: true, events });
  });

  it('only settles when the result was already drawn but not settled', () => {
    const table = new TableDriver(testConfig({ spinMs: 0 }));
    table.tick(T0);
    table.ok(table.bet('a', 'alice', { kind: 'red' }, 100));
    const closing = decide(table.state, { type: 'tick', now: T0 + 15_000, playersPresent: true, serverSeed: testSeed(50) });
    if (!closing.ok) expect.fail('tick rejected');
    const [closed, drawn] = closing.events; // journal written up to ResultDrawn
    const state = evolve(evolve(table.state, closed), drawn);
    const events = recover(state, T0 + 16_000);
    expect(types(events)).to.deep.equal(['RoundSettled']);
    expect(events[0]).to.include({ pocket: (drawn as ResultDrawn).pocket });
  });

  it('has nothing to recover when idle or between rounds', () => {
    const table = new TableDriver();
    expect(recover(table.state, T0)).to.deep.equal([]);
    table.tick(T0);
    table.advance();
    table.advance();
    expect(table.state.phase).to.equal('settled');
    expect(recover(table.state, T0 + 100_000)).to.deep.equal([]);
  });
});
