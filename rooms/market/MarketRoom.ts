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
import { boostLookup, holdId, holdPrefix, moveEventMoney, movesMoney, resolvingOps, stakeFunding, type Debt } from './money.ts';
import { boostTerms, tokenRefusal } from './profit-boost.ts';
import { projectEvent } from './projection.ts';
import { riskView, type EventRisk } from './risk.ts';
import { EventSchema } from './schema.ts';
import { betView, listingOf, playerBetsView } from './views.ts';
import { betPromotion, feedSource, priceSource, stakeFactorOf, type BetPromotion, type EventListing } from './services.ts';
import { decidePrices, pricingConfig } from './pricing.ts';
import { publishRisk } from '../../server/risk/publish.ts';
import { marketRiskEvents, noteClosingPrices } from '../../server/risk/producers.ts';
import { EventLegs, type AcceptLegReply, type LegQuoteReply, type LegStatusReply, type MarketEvent, type PrepareLegArgs, type PrepareLegReply } from './legs.ts';
import { builderQuote, isLegEvent, type LegSelection } from '../../actors/multiples/index.ts';
import { isStaleOwnership } from '../ownership.ts';

export interface MarketCreateOptions extends HostOptions {
  eventId: string;
  listing: EventListing;
}

type BetMsg = { betId: string; marketId: string; selectionId: string; stakeMinor: number; priceMilli: number; acceptance: 'exact' | 'better' | 'any'; freeBetId?: string; boostId?: string; profitBoostId?: string };

export class MarketRoom extends GameRoom<EventSchema, MarketEvent, MarketCreateOptions> {
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
  /** Legs of multiples registered with this event (rooms/market/legs.ts). */
  private legs: EventLegs | null = null;

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
    return this.ev ? riskView(this.ev, this.eventLegs().book) : null;
  }

  /** For tests and operators: the actor state and journal position. */
  snapshot(): { event: EventState | null; journalSeq: number } {
    return { event: this.ev, journalSeq: this.writer.seq };
  }

  // ------------------------------------------------------------------ multiples (the bet-slip service, through callRoom)

  /** Registers a leg of a slip: checked, priced, its exposure counted (actors/multiples/legs.ts). */
  async prepareLeg(args: PrepareLegArgs): Promise<PrepareLegReply> {
    const decision = this.eventLegs().prepare(this.ev, args, this.svc.now());
    if (!decision.ok) return { ok: false, error: decision.rejection };
    const refused = await this.commitLegs(decision.events, true);
    return refused ?? this.eventLegs().preparedReply(args);
  }

  /** At the end of the leg's delay: accepted at the current price, or rejected. */
  async acceptLeg(slipId: string, legId: string): Promise<AcceptLegReply> {
    const decision = this.eventLegs().accept(this.ev, slipId, legId, this.svc.now());
    if (!decision.ok) return { ok: false, error: decision.rejection };
    const refused = await this.commitLegs(decision.events, false);
    if (refused) return refused;
    const rejected = decision.events.find((e) => e.type === 'LegRejected');
    return rejected?.type === 'LegRejected' ? fail('leg/rejected', rejected.message, { code: rejected.code }) : this.eventLegs().acceptedReply(slipId, legId);
  }

  /** Its slip was rejected: the leg's exposure goes; a tombstone refuses a late prepare. */
  async releaseLeg(slipId: string, legId: string, reason: string): Promise<Reply<{ released: true }>> {
    const decision = this.eventLegs().release(slipId, legId, reason, this.svc.now());
    if (!decision.ok) return { ok: false, error: decision.rejection };
    return (await this.commitLegs(decision.events, false)) ?? { ok: true, released: true };
  }

  legQuote(slipId: string, legId: string): LegQuoteReply {
    return this.eventLegs().quote(this.ev, slipId, legId, this.svc.now());
  }

  legStatus(slipId: string): LegStatusReply {
    return this.eventLegs().status(slipId);
  }

  /** A bet builder's price for players (actors/multiples/builder.ts). */
  builderPrice(selections: LegSelection[]): Reply<{ priceMilli: number; probability: number }> {
    if (!this.ev) return fail('event/not_found', 'the event is not ready');
    const q = builderQuote(this.ev, selections, this.svc.config.slips.builderOverround);
    return q.ok ? { ok: true, priceMilli: q.priceMilli, probability: q.probability } : fail(q.refusal.code, q.refusal.message);
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
      const e = r.data as MarketEvent;
      if (isLegEvent(e)) return this.apply(e);
      if (e.type === 'MarketResettled') this.lastResettlement = { event: e, before: this.ev };
      else if (movesMoney(e)) this.lastResettlement = null;
      for (const [hold, ops] of resolvingOps(eventId, e, boostLookup(this.ev))) resolutions.record(hold, ops);
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
      await this.recoverLegs();
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

  protected apply(e: MarketEvent): void {
    this.eventLegs().apply(e);
    if (isLegEvent(e)) return;
    this.ev = evolve(this.ev, e);
    noteClosingPrices(this.ev, e);
    if (e.type !== 'BetRequested') return;
    const ids = this.betIdsByPlayer.get(e.playerId);
    if (ids) ids.push(e.betId);
    else this.betIdsByPlayer.set(e.playerId, [e.betId]);
  }

  protected project(): void {
    if (this.ev) projectEvent(this.state, publicView(this.ev), this.svc.now());
  }

  /** Called before the events are applied: their money is decided on the state they were decided on. */
  protected moneyOf(all: readonly MarketEvent[]): (() => Promise<void>) | undefined {
    const before = this.ev;
    const events = all.filter((e): e is SportsEvent => !isLegEvent(e));
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
    // Legs of slips in their delay too: their slip accepts them here, not on the next owner (which would reject them).
    return this.ev === null || (this.ev.pending.length === 0 && (this.legs?.book.prepared ?? 0) === 0);
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
    const { freeBetId, boostId, profitBoostId, ...bet } = msg;
    const existing = retriedBet(this.ev, { ...bet, playerId });
    if (existing) return { ok: true, replayed: true, ...betView(existing) };
    const promo = freeBetId || boostId || profitBoostId ? await this.betPromotion(playerId, msg) : null;
    if (promo && !promo.ok) return fail(promo.code, promo.message);
    const boosted = promo?.boostedPriceMilli === undefined ? {} : { boostedPriceMilli: promo.boostedPriceMilli };
    const profit = promo?.profitBoost;
    const cmd: SportsbookCommand = { type: 'placeBet', playerId, ...bet, ...boosted, ...(profit ? { profitBoost: boostTerms(profit) } : {}), stakeFactor: stakeFactorOf(playerId), now: this.svc.now() };
    // The stake: the player's money, a free-bet token's, or the player's with a profit-boost token consumed (money.ts).
    const funding = stakeFunding(this.roomId, { betId: msg.betId, playerId, stakeMinor: msg.stakeMinor }, promo);
    const placed = await this.placeFunded({ betId: msg.betId, decide: (now) => decide(this.ev, { ...cmd, now }), ...funding });
    if (!placed.ok) return profit || promo?.freeBet ? tokenRefusal(placed) : placed;
    return { ok: true, replayed: false, ...betView(getBet(this.ev!, msg.betId)!) };
  }

  /** The promotions service's word on a free-bet token or odds boost (docs/PROMOTIONS.md §3). */
  private betPromotion(playerId: string, msg: BetMsg): Promise<BetPromotion> {
    // The player's stake already at the boosted price on this selection (this room owns every bet of the event).
    const boostStakedMinor = this.ev
      ? allBets(this.ev).filter((b) => b.playerId === playerId && b.marketId === msg.marketId && b.selectionId === msg.selectionId && b.boostedPriceMilli && b.status !== 'rejected').reduce((s, b) => s + b.stakeMinor, 0)
      : 0;
    return betPromotion({
      playerId, eventId: this.roomId, marketId: msg.marketId, selectionId: msg.selectionId, stakeMinor: msg.stakeMinor, priceMilli: msg.priceMilli, acceptance: msg.acceptance,
      ...(msg.freeBetId ? { freeBetId: msg.freeBetId } : {}), ...(msg.boostId ? { boostId: msg.boostId } : {}), ...(msg.profitBoostId ? { profitBoostId: msg.profitBoostId } : {}),
      boostStakedMinor, now: this.svc.now(),
    });
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

  protected afterDurable(events: readonly MarketEvent[]): void {
    this.afterLegs(events);
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
    publishRisk(...marketRiskEvents(this.roomId, events, this.ev!));
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

  private eventLegs(): EventLegs {
    this.legs ??= new EventLegs(this.roomId, this.svc.log, this.svc.config.slips.builderOverround);
    return this.legs;
  }

  /** Journals leg events (write-ahead); a lost fence closes the room here like a bet would. */
  private async commitLegs(events: MarketEvent[], isNew: boolean): Promise<Reply<never> | null> {
    if (events.length === 0) return null;
    if (isNew && this.refusesBets()) return fail('event/unavailable', 'this event is moving to another process; retry');
    try {
      await this.commit(events);
      return null;
    } catch (err) {
      if (!isStaleOwnership(err) && !this.failed) throw err;
      this.fail(err);
      return fail('event/unavailable', 'this event moved or is restarting; retry');
    }
  }

  /** Leg results the durable events imply are journaled; journaled results go to their slips. */
  private afterLegs(events: readonly MarketEvent[]): void {
    const legs = this.eventLegs();
    legs.deliver(events);
    const results = legs.resultsAfter(events, this.ev, this.svc.now());
    if (results.length > 0 && !this.failed) void this.commit(results).catch(() => undefined);
  }

  /** After a rebuild: legs in their delay are rejected, results the journal lacks are decided, and every result is re-delivered. */
  private async recoverLegs(): Promise<void> {
    const legs = this.eventLegs();
    const rejected = legs.recovered(this.svc.now());
    if (rejected.length > 0) await this.commit(rejected);
    const results = legs.resultsAfter([{ type: 'MarketSettled' } as MarketEvent], this.ev, this.svc.now());
    if (results.length > 0) await this.commit(results);
    legs.deliver(legs.allResults());
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
