/** Test driver for the blackjack actor: keeps state + journal, freezes every state, can stack the shoe. */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  blackjackConfig, decide, evolve, initialTableState, parseCard, shuffleShoe,
  type BlackjackCommand, type BlackjackConfig, type BlackjackEvent, type RoundSettled, type TableState,
} from '../../../actors/blackjack/index.ts';
import type { Decision } from '../../../actors/decision.ts';
import { deepFreeze } from '../roulette/helpers.ts';

export const T0 = 1_700_000_000_000;
export const TABLE_ID = 'blackjack-1';

export function testSeed(n: number): string {
  return createHash('sha256').update(`test blackjack seed ${n}`).digest('hex');
}

export function testConfig(overrides: Partial<BlackjackConfig> = {}): BlackjackConfig {
  return blackjackConfig({ minBetMinor: 10, maxBetMinor: 10_000, bettingWindowMs: 10_000, decisionMs: 15_000, pauseMs: 3_000, ...overrides });
}

export class Table {
  state: TableState;
  readonly journal: BlackjackEvent[] = [];
  now = T0;
  private seeds = 0;
  private bets = 0;

  constructor(config: BlackjackConfig = testConfig()) {
    this.state = deepFreeze(initialTableState(TABLE_ID, config));
  }

  run(command: BlackjackCommand): Decision<BlackjackEvent> {
    const decision = decide(this.state, command);
    if (decision.ok) {
      for (const e of decision.events) {
        this.journal.push(e);
        this.state = deepFreeze(evolve(this.state, e));
      }
    }
    return decision;
  }

  ok(command: BlackjackCommand): BlackjackEvent[] {
    const d = this.run(command);
    if (!d.ok) expect.fail(`${command.type} refused: ${d.rejection.code} ${d.rejection.message}`);
    return d.events;
  }

  refused(command: BlackjackCommand, code: string): void {
    const before = this.state;
    const d = this.run(command);
    expect(d.ok, `${command.type} should be refused with ${code}`).to.equal(false);
    if (!d.ok) expect(d.rejection.code).to.equal(code);
    expect(this.state).to.equal(before);
  }

  tick(at = this.now, playersPresent = true): BlackjackEvent[] {
    this.now = at;
    return this.ok({ type: 'tick', now: at, playersPresent, serverSeed: testSeed(++this.seeds) });
  }

  /** Opens a round (and a shoe when needed). */
  open(): void {
    if (this.state.phase === 'settled' || this.state.phase === 'voided') this.now = this.state.nextOpenAt!;
    this.tick();
    expect(this.state.phase).to.equal('betting');
  }

  bet(playerId: string, seat: number, stakeMinor = 100): string {
    const betId = `bet${++this.bets}`;
    this.ok({ type: 'placeBet', playerId, seat, betId, stakeMinor, now: this.now });
    return betId;
  }

  /**
   * Stacks the shoe from its next position with `codes` (deal order: first card of each seat, up
   * card, second card of each seat, hole card, then draws in order). Shuffles first when needed.
   */
  stack(...codes: string[]): void {
    const shoe = this.state.shoe!;
    const order = shoe.order ? [...shoe.order] : shuffleShoe(shoe.serverSeed, 'stacked', shoe.number, shoe.cards / 52);
    codes.forEach((code, i) => {
      const card = parseCard(code);
      if (card === null) throw new Error(`bad card ${code}`);
      order[shoe.position + i] = card;
    });
    this.state = deepFreeze({ ...this.state, shoe: { ...shoe, order, clientSeed: shoe.clientSeed ?? 'stacked' } });
  }

  /** Closes betting (deals). */
  deal(): BlackjackEvent[] {
    return this.tick(this.state.round!.closesAt);
  }

  act(playerId: string, seat: number, hand: number, action: 'hit' | 'stand' | 'double' | 'split' | 'surrender'): BlackjackEvent[] {
    return this.ok({ type: 'act', playerId, seat, hand, action, now: this.now });
  }

  lastSettlement(): RoundSettled {
    const e = [...this.journal].reverse().find((x) => x.type === 'RoundSettled');
    if (!e || e.type !== 'RoundSettled') throw new Error('no settlement');
    return e;
  }

  seat(n: number) {
    return this.state.round!.seats.find((s) => s.seat === n)!;
  }
}
