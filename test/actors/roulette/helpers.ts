/** Test driver for the roulette actor: keeps state + journal, freezes every state to catch mutation. */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { decide, evolve, initialTableState, nextDeadline, tableConfig } from '../../../actors/roulette/index.ts';
import type { RouletteCommand, RouletteEvent, Spot, TableConfig, TableState } from '../../../actors/roulette/index.ts';
import type { Decision } from '../../../actors/decision.ts';

export const T0 = 1_700_000_000_000;
export const TABLE_ID = 'roulette-1';

/** Deterministic stand-in for the room's CSPRNG draw: 64 lowercase hex chars. */
export function testSeed(n: number): string {
  return createHash('sha256').update(`test server seed ${n}`).digest('hex');
}

export function testConfig(overrides: Partial<TableConfig> = {}): TableConfig {
  return tableConfig({
    bettingWindowMs: 15_000,
    spinMs: 3_000,
    pauseMs: 5_000,
    minBetMinor: 10,
    maxBetMinor: 100_000,
    maxStakePerPlayerPerRoundMinor: 500_000,
    maxPayoutPerRoundMinor: 50_000_000,
    maxBetsPerPlayerPerRound: 50,
    maxBetsPerRound: 10_000,
    maxClientSeedsPerRound: 1_000,
    historySize: 20,
    betIdRetentionRounds: 50,
    ...overrides,
  });
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export class TableDriver {
  state: TableState;
  readonly initial: TableState;
  readonly journal: RouletteEvent[] = [];
  private seedCounter = 0;

  constructor(config: TableConfig = testConfig(), tableId = TABLE_ID) {
    this.initial = deepFreeze(initialTableState(tableId, config));
    this.state = this.initial;
  }

  /** Decides, applies accepted events (frozen states: any mutation throws), returns the decision. */
  run(command: RouletteCommand): Decision<RouletteEvent> {
    const decision = decide(this.state, command);
    if (decision.ok) {
      for (const event of decision.events) {
        this.journal.push(event);
        this.state = deepFreeze(evolve(this.state, event));
      }
    }
    return decision;
  }

  /** Runs a command that must succeed; returns its events. */
  ok(command: RouletteCommand): RouletteEvent[] {
    const decision = this.run(command);
    if (!decision.ok) expect.fail(`expected ${command.type} to be accepted, got ${decision.rejection.code}: ${decision.rejection.message}`);
    return decision.events;
  }

  /** Runs a command that must be rejected with `code`, and checks it changed nothing. */
  rejected(command: RouletteCommand, code: string): void {
    const before = structuredClone(this.state);
    const journalLength = this.journal.length;
    const decision = this.run(command);
    if (decision.ok) expect.fail(`expected ${code}, got events ${JSON.stringify(decision.events.map((e) => e.type))}`);
    expect(decision.rejection.code).to.equal(code);
    expect(this.state).to.deep.equal(before);
    expect(this.journal.length).to.equal(journalLength);
  }

  nextSeed(): string {
    this.seedCounter += 1;
    return testSeed(this.seedCounter);
  }

  tick(now: number, playersPresent = true): RouletteEvent[] {
    return this.ok({ type: 'tick', now, playersPresent, serverSeed: this.nextSeed() });
  }

  /** Ticks at the next deadline. */
  advance(playersPresent = true): RouletteEvent[] {
    const deadline = nextDeadline(this.state);
    if (deadline === null) expect.fail('table has no deadline');
    return this.tick(deadline, playersPresent);
  }

  get round() {
    if (!this.state.round) expect.fail('no round');
    return this.state.round;
  }

  bet(betId: string, playerId: string, spot: Spot, stakeMinor: number, now = this.round.opensAt + 1): RouletteCommand {
    return { type: 'placeBet', betId, playerId, spot, stakeMinor, now };
  }
}

export function types(events: RouletteEvent[]): string[] {
  return events.map((e) => e.type);
}
