/** Test driver for the sportsbook actor: keeps state + journal, freezes every state to catch mutation. */
import { expect } from 'chai';
import type { Decision } from '../../../actors/decision.ts';
import { decide, evolve, getBet, nextDeadline } from '../../../actors/sportsbook/index.ts';
import type {
  AcceptancePolicy,
  EventState,
  FeedMessage,
  BetState,
  MarketState,
  PlaceBetCommand,
  SportsbookCommand,
  SportsbookConfigInput,
  SportsEvent,
  Team,
} from '../../../actors/sportsbook/index.ts';

export const T0 = 1_700_000_000_000;
export const KICK_OFF = T0 + 600_000;
export const EVENT_ID = 'ev-1';

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

type FeedBody =
  | { type: 'kick_off' | 'half_time' | 'second_half_kick_off' | 'full_time'; minute?: number }
  | { type: 'goal' | 'red_card' | 'penalty_awarded' | 'penalty_missed'; team: Team; minute?: number }
  | { type: 'abandoned'; reason: string }
  | { type: 'clock'; minute: number; period?: 'first_half' | 'second_half'; score?: { home: number; away: number }; reds?: { home: number; away: number } };

export class EventDriver {
  state: EventState | null = null;
  readonly journal: SportsEvent[] = [];
  seq = 0;
  now = T0;

  constructor(config: SportsbookConfigInput = {}, lambdas = { lambdaHome: 1.5, lambdaAway: 1.1 }) {
    this.ok({ type: 'create', eventId: EVENT_ID, league: 'E0', home: 'Arsenal', away: 'Chelsea', ...lambdas, startsAt: KICK_OFF, config, now: this.now });
  }

  get s(): EventState {
    if (!this.state) expect.fail('no event');
    return this.state;
  }

  run(command: SportsbookCommand): Decision<SportsEvent> {
    const decision = decide(this.state, command);
    if (decision.ok) {
      for (const event of decision.events) {
        this.journal.push(deepFreeze(event));
        this.state = deepFreeze(evolve(this.state, event));
      }
    }
    return decision;
  }

  ok(command: SportsbookCommand): SportsEvent[] {
    const decision = this.run(command);
    if (!decision.ok) expect.fail(`expected ${command.type} to be accepted, got ${decision.rejection.code}: ${decision.rejection.message}`);
    return decision.events;
  }

  /** Runs a command that must be rejected with `code`, and checks it changed nothing. */
  rejected(command: SportsbookCommand, code: string): Record<string, unknown> | undefined {
    const before = structuredClone(this.state);
    const journalLength = this.journal.length;
    const decision = this.run(command);
    if (decision.ok) expect.fail(`expected ${code}, got events ${JSON.stringify(decision.events.map((e) => e.type))}`);
    expect(decision.rejection.code, decision.rejection.message).to.equal(code);
    expect(this.state).to.deep.equal(before);
    expect(this.journal.length).to.equal(journalLength);
    return decision.rejection.details;
  }

  at(ms: number): this {
    this.now = ms;
    return this;
  }

  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  message(body: FeedBody, seq = ++this.seq): FeedMessage {
    return { eventId: EVENT_ID, seq, at: this.now, ...body } as FeedMessage;
  }

  feed(body: FeedBody): SportsEvent[] {
    return this.ok({ type: 'feed', message: this.message(body), now: this.now });
  }

  tick(now = this.now): SportsEvent[] {
    this.now = now;
    return this.ok({ type: 'tick', now });
  }

  /** Ticks at the next deadline. */
  advanceToDeadline(): SportsEvent[] {
    const deadline = nextDeadline(this.s);
    if (deadline === null) expect.fail('no deadline');
    return this.tick(deadline);
  }

  kickOff(): this {
    this.at(KICK_OFF);
    this.feed({ type: 'kick_off' });
    return this;
  }

  betOf(betId: string): BetState {
    const bet = getBet(this.s, betId);
    if (!bet) expect.fail(`no bet ${betId}`);
    return bet;
  }

  market(marketId: string): MarketState {
    const market = this.s.markets.find((m) => m.marketId === marketId);
    if (!market) expect.fail(`no market ${marketId}`);
    return market;
  }

  price(marketId: string, selectionId: string): number {
    const selection = this.market(marketId).selections.find((s) => s.selectionId === selectionId);
    if (!selection) expect.fail(`no selection ${marketId}:${selectionId}`);
    return selection.priceMilli;
  }

  bet(betId: string, marketId: string, selectionId: string, stakeMinor: number, opts: { playerId?: string; priceMilli?: number; acceptance?: AcceptancePolicy } = {}): PlaceBetCommand {
    return {
      type: 'placeBet',
      betId,
      playerId: opts.playerId ?? 'p1',
      marketId,
      selectionId,
      stakeMinor,
      priceMilli: opts.priceMilli ?? this.price(marketId, selectionId),
      acceptance: opts.acceptance ?? 'exact',
      now: this.now,
    };
  }
}

export function types(events: readonly SportsEvent[]): string[] {
  return events.map((e) => e.type);
}

export function ofType<T extends SportsEvent['type']>(events: readonly SportsEvent[], type: T): Array<Extract<SportsEvent, { type: T }>> {
  return events.filter((e): e is Extract<SportsEvent, { type: T }> => e.type === type);
}
