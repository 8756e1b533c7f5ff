/**
 * Drives a whole simulated match through the actor the way a room would: feed messages at their
 * time, random bettors and cash-outs (seeded), ticks at nextDeadline. Used by the replay,
 * recovery and reconciliation tests.
 */
import { expect } from 'chai';
import {
  allBets,
  cashOutQuote,
  decide,
  evolve,
  nextDeadline,
  publicView,
  rngFromSeed,
  type AcceptancePolicy,
  type EventState,
  type FeedMessage,
  type Rng,
  type SportsbookCommand,
  type SportsbookConfigInput,
  type SportsEvent,
} from '../../../actors/sportsbook/index.ts';
import { simulateMatch } from '../../../server/feed/simulator/index.ts';
import { WalletModel } from './wallet.ts';

export const RUN_KICK_OFF = 1_700_000_000_000;

export class MatchRun {
  state: EventState | null = null;
  readonly journal: SportsEvent[] = [];
  readonly wallet = new WalletModel();
  readonly messages: FeedMessage[];
  private nextMessage = 0;
  private nextBetAt: number;
  private betCounter = 0;
  readonly rng: Rng;
  now: number;
  rejections: Record<string, number> = {};

  constructor(
    readonly seed: string,
    config: SportsbookConfigInput = {},
    readonly betEveryMs = 1_500,
    abandonProbability = 0,
  ) {
    this.rng = rngFromSeed(`bettors:${seed}`);
    const lambdas = { lambdaHome: 1.55, lambdaAway: 1.2 };
    this.messages = simulateMatch({ seed, eventId: 'run', ...lambdas, kickOffAt: RUN_KICK_OFF, msPerMinute: 1_000, halfTimeMs: 5_000, abandonProbability }).messages;
    this.now = RUN_KICK_OFF - 60_000;
    this.nextBetAt = this.now + 500;
    this.send({ type: 'create', eventId: 'run', league: 'E0', home: 'H', away: 'A', ...lambdas, startsAt: RUN_KICK_OFF, config, now: this.now });
  }

  get s(): EventState {
    return this.state!;
  }

  send(command: SportsbookCommand): boolean {
    const decision = decide(this.state, command);
    if (!decision.ok) {
      this.rejections[decision.rejection.code] = (this.rejections[decision.rejection.code] ?? 0) + 1;
      return false;
    }
    for (const event of decision.events) {
      this.journal.push(event);
      this.wallet.apply(event);
      this.state = evolve(this.state, event);
    }
    return true;
  }

  get finished(): boolean {
    return this.state !== null && (this.s.phase === 'finished' || this.s.phase === 'abandoned');
  }

  /** Runs until the match ends or `until` (exclusive); returns false if stopped early. */
  runUntil(until = Infinity): boolean {
    for (let guard = 0; guard < 100_000; guard++) {
      if (this.finished) return true;
      const feedAt = this.nextMessage < this.messages.length ? this.messages[this.nextMessage].at : Infinity;
      const deadline = nextDeadline(this.s) ?? Infinity;
      const next = Math.min(feedAt, deadline, this.nextBetAt);
      if (next >= until || next === Infinity) return false;
      this.now = Math.max(this.now, next);
      if (next === deadline) this.send({ type: 'tick', now: this.now });
      else if (next === feedAt) this.send({ type: 'feed', message: this.messages[this.nextMessage++], now: this.now });
      else {
        this.randomAction();
        this.nextBetAt = this.now + 1 + Math.floor(this.rng() * this.betEveryMs * 2);
      }
    }
    expect.fail('match run did not end');
  }

  /** Jumps the feed cursor past messages already delivered (after a restart, the source resumes). */
  skipFeedThrough(seq: number): void {
    while (this.nextMessage < this.messages.length && this.messages[this.nextMessage].seq <= seq) this.nextMessage++;
  }

  private randomAction(): void {
    const player = `p${Math.floor(this.rng() * 8)}`;
    const accepted = allBets(this.s).filter((b) => b.status === 'accepted' && b.playerId === player && !b.cashOut);
    if (accepted.length > 0 && this.rng() < 0.15) {
      const bet = accepted[Math.floor(this.rng() * accepted.length)];
      const quote = cashOutQuote(this.s, bet);
      if (quote.ok) this.send({ type: 'cashOut', betId: bet.betId, playerId: player, offerMinor: quote.offerMinor, now: this.now });
      return;
    }
    const markets = publicView(this.s).markets.filter((m) => m.status === 'open');
    if (markets.length === 0) return;
    const market = markets[Math.floor(this.rng() * markets.length)];
    const selections = market.selections.filter((s) => s.priceMilli > 0);
    if (selections.length === 0) return;
    const selection = selections[Math.floor(this.rng() * selections.length)];
    const policies: AcceptancePolicy[] = ['exact', 'better', 'any'];
    this.send({
      type: 'placeBet',
      betId: `b${++this.betCounter}`,
      playerId: player,
      marketId: market.marketId,
      selectionId: selection.selectionId,
      stakeMinor: 10 + Math.floor(this.rng() * 5_000),
      priceMilli: selection.priceMilli,
      acceptance: policies[Math.floor(this.rng() * 3)],
      now: this.now,
    });
  }
}
