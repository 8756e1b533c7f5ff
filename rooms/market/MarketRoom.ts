/**
 * `market`: one live sports event with its markets, an adapter on the room host
 * (rooms/host/GameRoom.ts): the event actor, its public projection, its messages and its money,
 * plus what only an event has: the match feed and the price feed as inputs, operator commands and
 * the risk view. Rebuilt from its journal when created; bets still in their delay at a crash are
 * resolved by the actor's recovery rule (docs/SPORTSBOOK.md).
 */
import {
  allBets, cashOutQuote, decide, evolve, getBet, nextDeadline, parseFeedMessage, publicView, recoveryCommand, retriedBet,
  type EventState, type SportsbookCommand, type SportsEvent,
} from '../../actors/sportsbook/index.ts';
import { cashOutSchema, myBetsSchema, placeBetSchema, quoteSchema, type BetUpdate, type CashOutReply, type MarketMe, type MyBetsReply, type PlaceBetReply, type QuoteReply } from '../../protocol/market.ts';
import { payoutMinorTotal } from '../../server/metrics.ts';
import { replayJournal } from '../journal-chunks.ts';
import type { HoldResolutions } from '../holds.ts';
import { GameRoom, type HostOptions, type Player } from '../host/GameRoom.ts';
import { fail, message, type MessageMap, type Reply } from '../messages.ts';
import { OWNERSHIP_TAKEN } from '../ownership.ts';
import { holdId, holdPrefix, moveEventMoney, movesMoney, reserveOp, releaseOp, resolvingOps, type Debt } from './money.ts';
import { projectEvent } from './projection.ts';
import { riskView, type EventRisk } from './risk.ts';
import { EventSchema } from './schema.ts';
import { betView, listingOf, playerBetsView } from './views.ts';
import { feedSource, priceSource, stakeFactorOf, type EventListing } from './services.ts';
import { decidePrices, pricingConfig } from './pricing.ts';

export interface MarketCreateOptions extends HostOptions {
  eventId: string;
  listing: EventListing;
}

type BetMsg = { betId: string; marketId: string; selectionId: string; stakeMinor: number; priceMilli: number; acceptance: 'exact' | 'better' | 'any' };

export class MarketRoom extends GameRoom<EventSchema, SportsEvent, MarketCreateOptions> {
  state = new EventSchema();
  maxClients = 20_000;
  protected readonly identity = { kind: 'market', game: 'sportsbook', noun: 'event' };

  private ev: EventState | null = null;
  private unsubscribe: (() => void) | null = null;
  private listed = '';
  /** The journal's last money-bearing event when it is a re-settlement, with the state it was decided on (replayed again at rebuild). */
  private lastResettlement: { event: SportsEvent; before: EventState | null } | null = null;
  /** Clawbacks a re-settlement could not take in full (the player had spent it), by event, for the operator's reply. */
  private readonly debts = new WeakMap<SportsEvent, Debt[]>();
  /** Each player's bet ids in placement order, so a private view never scans the event's bets. */
  private readonly betIdsByPlayer = new Map<string, string[]>();

  /** Operator commands (admin API, possibly from another process through remoteRoomCall). */
  async operatorCommand(cmd: SportsbookCommand): Promise<Reply<{ events: string[]; debts?: Debt[] }>> {
    const decision = decide(this.ev, { ...cmd, now: this.svc.now() } as SportsbookCommand);
    if (!decision.ok) return { ok: false, error: decision.rejection };
    await this.commit(decision.events);
    const debts = decision.events.flatMap((e) => this.debts.get(e) ?? []);
    return { ok: true, events: decision.events.map((e) => e.type), ...(debts.length > 0 ? { debts } : {}) };
  }

  /** Operators' risk view (admin API, possibly from another process through remoteRoomCall). */
  risk(): EventRisk | null {
    return this.ev ? riskView(this.ev) : null;
  }

  /** For tests and operators: the actor state and journal position. */
  snapshot(): { event: EventState | null; journalSeq: number } {
    return { event: this.ev, journalSeq: this.writer.seq };
  }

  // ------------------------------------------------------------------ host hooks

  protected roomIdOf(options: MarketCreateOptions) {
    return options.eventId;
  }

  protected holdPrefix() {
    return holdPrefix(this.roomId);
  }

  /**
   * Replays the journal into the actor, collecting what a rebuild must complete: the recorded
   * resolution of every hold open before the replay, and the last money-bearing event when it is a
   * re-settlement (the only money without holds; see JournalWriter for why only the last).
   */
  protected async rebuild(_options: MarketCreateOptions, resolutions: HoldResolutions): Promise<number> {
    const eventId = this.roomId;
    const lastSeq = await replayJournal(this.svc.store.journal, eventId, (r) => {
      if (r.type === OWNERSHIP_TAKEN) return;
      const e = r.data as SportsEvent;
      if (e.type === 'MarketResettled') this.lastResettlement = { event: e, before: this.ev };
      else if (movesMoney(e)) this.lastResettlement = null;
      for (const [hold, ops] of resolvingOps(eventId, e)) resolutions.record(hold, ops);
      this.apply(e);
    });
    if (lastSeq > 0) this.svc.log.info({ roomId: eventId, records: lastSeq, phase: this.ev?.phase }, 'event rebuilt from its journal');
    return lastSeq;
  }

  protected async start(options: MarketCreateOptions, resolutions: HoldResolutions): Promise<void> {
    if (this.ev === null) {
      const l = options.listing;
      const created = decide(null, { type: 'create', eventId: l.eventId, league: l.league, home: l.home, away: l.away, lambdaHome: l.lambdaHome, lambdaAway: l.lambdaAway, startsAt: l.startsAt, config: { betDelayMs: this.svc.config.betDelayMs, resumeAfterMs: this.svc.config.marketResumeAfterMs, ...pricingConfig(this.svc.config, l) }, ...(l.modelVersion ? { modelVersion: l.modelVersion } : {}), now: this.svc.now() });
      if (!created.ok) throw new Error(`event ${l.eventId} could not be created: ${created.rejection.code} ${created.rejection.message}`);
      await this.commit(created.events);
    } else {
      await this.recover(resolutions);
    }
    this.state.currency = this.svc.config.currency;
    this.state.betDelayMs = this.ev!.config.betDelayMs;
    this.project();
    const subscriptions = [feedSource().subscribe(options.eventId, (raw) => this.onFeed(raw)), priceSource()?.subscribe(options.eventId, (raw) => this.onPrices(raw))];
    this.unsubscribe = () => subscriptions.forEach((stop) => stop?.());
  }

  protected handlers(): MessageMap<Player> {
    return {
      bet: message(placeBetSchema, (c: Player, m) => this.timedBet(m.stakeMinor, () => this.placeBet(c, m))),
      cashOut: message(cashOutSchema, (c: Player, m) => this.cashOut(c, m.betId, m.offerMinor)),
      quote: message(quoteSchema, (c: Player, m) => this.quote(c, m.betId)),
      myBets: message(myBetsSchema, (c: Player): MyBetsReply => ({ ok: true, bets: this.betsOf(c.userData!.userId) })),
    };
  }

  protected apply(e: SportsEvent): void {
    this.ev = evolve(this.ev, e);
    if (e.type !== 'BetRequested') return;
    const ids = this.betIdsByPlayer.get(e.playerId);
    if (ids) ids.push(e.betId);
    else this.betIdsByPlayer.set(e.playerId, [e.betId]);
  }

  protected project(): void {
    if (this.ev) projectEvent(this.state, publicView(this.ev), this.svc.now());
  }

  /** Called before the events are applied: their money is decided on the state they were decided on. */
  protected moneyOf(events: readonly SportsEvent[]): (() => Promise<void>) | undefined {
    const before = this.ev;
    return events.some(movesMoney) ? () => this.moveMoney(events, before) : undefined;
  }

  protected nextDeadline(): number | null {
    return this.ev === null ? null : nextDeadline(this.ev);
  }

  protected onDeadline(): void {
    const decision = decide(this.ev, { type: 'tick', now: this.svc.now() });
    if (decision.ok && decision.events.length > 0) void this.commit(decision.events).catch(() => undefined);
  }

  protected meView(userId: string): Omit<MarketMe, 'wallet'> {
    return { eventId: this.roomId, bets: this.betsOf(userId) };
  }

  /** Bets and cash-outs in their delay resolve here first (new ones are refused while handing over). */
  protected readyToHandOver(): boolean {
    return this.ev === null || this.ev.pending.length === 0;
  }

  protected handOverTimeoutMs(requested: number): number {
    return Math.min(requested, (this.ev?.config.betDelayMs ?? 0) + 5_000);
  }

  /** A new bet or cash-out would start a delay: refused while moving (`event/unavailable` tells the client to re-join). */
  protected refusesBets(): boolean {
    return this.failed || this.handingOver;
  }

  protected stopInputs(): void {
    this.unsubscribe?.();
  }

  protected betOutcome(reply: { ok: true }): string {
    return String((reply as PlaceBetReply & { ok: true }).status);
  }

  // ------------------------------------------------------------------ commands


  private async placeBet(client: Player, msg: BetMsg): Promise<PlaceBetReply> {
    const playerId = client.userData!.userId;
    const existing = retriedBet(this.ev, { ...msg, playerId });
    if (existing) return { ok: true, replayed: true, ...betView(existing) };
    const cmd: SportsbookCommand = { type: 'placeBet', playerId, ...msg, stakeFactor: stakeFactorOf(playerId), now: this.svc.now() };
    const placed = await this.placeFunded({
      betId: msg.betId,
      decide: (now) => decide(this.ev, { ...cmd, now }),
      reserve: reserveOp(this.roomId, { betId: msg.betId, playerId, stakeMinor: msg.stakeMinor }),
      release: releaseOp(this.roomId, msg.betId),
    });
    if (!placed.ok) return placed;
    return { ok: true, replayed: false, ...betView(getBet(this.ev!, msg.betId)!) };
  }

  private async cashOut(client: Player, betId: string, offerMinor: number): Promise<CashOutReply> {
    if (this.refusesBets()) return fail('event/unavailable', 'this event is moving to another process; re-join it by its id and cash out again');
    const decision = decide(this.ev, { type: 'cashOut', betId, playerId: client.userData!.userId, offerMinor, now: this.svc.now() });
    if (!decision.ok) return { ok: false, error: decision.rejection };
    await this.commit(decision.events);
    const bet = getBet(this.ev!, betId)!;
    const rejected = decision.events.find((e) => e.type === 'CashOutRejected');
    if (rejected && rejected.type === 'CashOutRejected') return fail(rejected.code, rejected.message, rejected.details);
    return { ok: true, ...betView(bet) };
  }

  private quote(client: Player, betId: string): QuoteReply {
    const bet = this.ev ? getBet(this.ev, betId) : undefined;
    if (!bet || bet.playerId !== client.userData!.userId) return fail('bet/not_found', 'no such bet of yours on this event');
    const q = cashOutQuote(this.ev!, bet);
    return q.ok ? { ok: true, betId, offerMinor: q.offerMinor } : fail('cashout/unavailable', q.reason);
  }

  // ------------------------------------------------------------------ feed and clock

  private onFeed(raw: unknown): void {
    if (this.failed || this.ev === null) return;
    const parsed = parseFeedMessage(raw);
    if (!parsed.ok) {
      this.svc.log.info({ roomId: this.roomId, code: parsed.rejection.code, details: parsed.rejection.details }, 'feed message rejected');
      return;
    }
    if (parsed.message.eventId !== this.roomId) {
      this.svc.log.info({ roomId: this.roomId, code: 'feed/wrong_event', eventId: parsed.message.eventId }, 'feed message rejected');
      return;
    }
    const decision = decide(this.ev, { type: 'feed', message: parsed.message, now: this.svc.now() });
    if (!decision.ok) {
      // Duplicates are routine: a rebuilt room re-reads its feed from the start.
      const level = decision.rejection.code === 'feed/duplicate' ? 'debug' : 'info';
      this.svc.log[level]({ roomId: this.roomId, code: decision.rejection.code }, 'feed message not applied');
      return;
    }
    if (decision.events.length > 0) {
      const pricedAt = this.state.pricedAt;
      void this.commit(decision.events).catch(() => undefined);
      // A price change goes out now rather than at the next patch tick (up to 50 ms later).
      if (this.state.pricedAt !== pricedAt) this.broadcastPatch();
    }
    this.schedule();
  }

  /** Market prices (the price feed): an input of the event's pricing, never of its money. */
  private onPrices(raw: unknown): void {
    const events = this.failed || this.ev === null ? null : decidePrices(this.ev, raw, this.roomId, this.svc.now(), this.svc.log);
    if (!events) return;
    void this.commit(events).catch(() => undefined);
    this.broadcastPatch();
  }

  // ------------------------------------------------------------------ persistence

  private async moveMoney(events: readonly SportsEvent[], before: EventState | null, rebuilt = false): Promise<void> {
    for (const e of events) if (e.type === 'MarketSettled') payoutMinorTotal.inc({ game: 'sportsbook' }, e.totals.payoutMinor);
    for (const [e, list] of await moveEventMoney(this.svc.wallet, this.roomId, events, before, this.walletFence(), rebuilt)) {
      for (const d of list) this.svc.log.warn({ roomId: this.roomId, userId: d.playerId, takenMinor: d.takenMinor, debtMinor: d.debtMinor }, 're-settlement clawback short of funds: the rest is recorded as the player\'s debt');
      this.debts.set(e, list);
    }
  }

  protected afterDurable(events: readonly SportsEvent[]): void {
    const players = new Set<string>();
    const updated = new Set<string>();
    for (const e of events) {
      const playerId = 'playerId' in e ? e.playerId : e.type === 'CashOutExecuted' ? e.outcome.playerId : null;
      if (typeof playerId === 'string' && 'betId' in e) {
        players.add(playerId);
        const bet = updated.has(e.betId) ? undefined : getBet(this.ev!, e.betId);
        updated.add(e.betId);
        // A refused cash-out leaves the bet open: say why, or the player only sees it still open.
        const refusal = e.type === 'CashOutRejected' ? { cashOutRejection: { code: e.code, message: e.message } } : {};
        if (bet) this.players.send(playerId, 'betUpdate', { ...betView(bet), ...refusal } satisfies BetUpdate);
      }
      if (e.type === 'MarketSettled' || e.type === 'MarketVoided') for (const o of e.outcomes) players.add(o.playerId);
      if (e.type === 'MarketResettled') for (const c of e.corrections) players.add(c.playerId);
    }
    for (const p of players) this.markDirty(p);
    void this.updateListing();
  }

  /**
   * Rebuild: resolves bets interrupted by the restart (actor rule), completes the money of
   * decisions the journal holds but a crash interrupted (a repeat is a replay: same keys), and
   * releases stakes of bets never journaled.
   */
  private async recover(resolutions: HoldResolutions): Promise<void> {
    if (this.lastResettlement) await this.moveMoney([this.lastResettlement.event], this.lastResettlement.before, true);
    const decision = decide(this.ev, recoveryCommand(this.svc.now()));
    if (decision.ok && decision.events.length > 0) {
      this.svc.log.info({ roomId: this.roomId, events: decision.events.map((e) => e.type) }, 'resolving bets interrupted by the restart');
      await this.commit(decision.events);
    }
    const live = new Set(allBets(this.ev!).filter((b) => b.status === 'pending' || b.status === 'accepted').map((b) => holdId(this.roomId, b.betId)));
    await this.completeHolds(resolutions, live);
  }

  // ------------------------------------------------------------------ projection

  /** Listing (GET /events, lobby) changes only with status, score or minute. */
  private async updateListing(): Promise<void> {
    const ev = this.ev;
    if (!ev) return;
    const record = listingOf(ev, this.svc.now());
    const { status } = record;
    const key = `${status}|${record.score.home}-${record.score.away}|${record.minute}`;
    if (key === this.listed) return;
    this.listed = key;
    try {
      await this.svc.store.games.upsertEvent(record);
      await this.setMetadata({ eventId: record.eventId, game: 'sportsbook', league: record.league, home: record.home, away: record.away, status, startsAt: record.startsAt, minute: record.minute, score: record.score });
    } catch (err) {
      this.svc.log.warn({ err, roomId: this.roomId }, 'could not update the event listing');
    }
    if ((status === 'finished' || status === 'abandoned') && !this.autoDispose) {
      // Keep the settled event around for a while for late viewers, then let it go when empty.
      this.later(this.svc.config.eventLingerMs, () => {
        this.autoDispose = true;
        if (this.clients.length === 0) void this.disconnect();
      });
    }
  }

  private betsOf(userId: string) {
    return this.ev ? playerBetsView(this.ev, this.betIdsByPlayer.get(userId) ?? []) : [];
  }
}
