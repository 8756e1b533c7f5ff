/**
 * `market`: one live sports event with its markets. Thin: validates messages and feed input, asks
 * the event actor, moves money through the wallet, journals the events in order and projects the
 * public view. Rebuilt from its journal when created; bets still in their delay at a crash are
 * resolved by the actor's recovery rule (docs/SPORTSBOOK.md).
 */
import { Room, ServerError, type AuthContext, type Client, type Delayed } from '@colyseus/core';
import {
  allBets, cashOutQuote, decide, evolve, getBet, nextDeadline, parseFeedMessage, publicView, recoveryCommand, retriedBet,
  type EventState, type SportsbookCommand, type SportsEvent,
} from '../../actors/sportsbook/index.ts';
import { betAckSeconds, betsTotal, payoutMinorTotal, stakeMinorTotal } from '../../server/metrics.ts';
import { authenticateSeat, type RoomAuth } from '../auth.ts';
import { roomServices, type RoomServices } from '../context.ts';
import { JournalWriter } from '../journal-writer.ts';
import { replayJournal } from '../journal-chunks.ts';
import { MessageGuard, defineMessages, fail, type Reply } from '../messages.ts';
import { claimRoom } from '../registry.ts';
import { PlayerConnections, holdSeat } from '../seats.ts';
import { OWNERSHIP_TAKEN, ROOM_MOVED_CODE, claimOwnership, isStaleOwnership, roomFence, waitUntil } from '../ownership.ts';
import { HoldResolutions, completeOpenHolds, openHoldIds } from '../holds.ts';
import { holdId, holdPrefix, moveEventMoney, movesMoney, reserveOp, releaseOp, resolvingOps, type Debt } from './money.ts';
import { projectEvent } from './projection.ts';
import { riskView, type EventRisk } from './risk.ts';
import { cashOutSchema, myBetsSchema, placeBetSchema, quoteSchema } from './protocol.ts';
import { EventSchema } from './schema.ts';
import { betView, listingOf, playerBetsView } from './views.ts';
import { feedSource, priceSource, stakeFactorOf, type EventListing } from './services.ts';
import { decidePrices, pricingConfig } from './pricing.ts';
import { publishRisk } from '../../server/risk/publish.ts';
import { marketRiskEvents } from '../../server/risk/producers.ts';

export interface MarketCreateOptions {
  eventId: string;
  listing: EventListing;
  /** Fencing token of this process's ownership lease (cluster mode). */
  fence?: number;
}

type Player = Client<{ userData: RoomAuth }>;

interface Rebuild {
  lastSeq: number;
  resolutions: HoldResolutions;
  /** The journal's last money-bearing event when it is a re-settlement, with the state it was decided on. */
  lastResettlement: { event: SportsEvent; before: EventState | null } | null;
}
type BetMsg = { betId: string; marketId: string; selectionId: string; stakeMinor: number; priceMilli: number; acceptance: 'exact' | 'better' | 'any' };


export class MarketRoom extends Room<{ state: EventSchema }> {
  state = new EventSchema();
  autoDispose = false;
  maxClients = 20_000;

  private svc!: RoomServices;
  private ev: EventState | null = null;
  private writer!: JournalWriter;
  private timer: Delayed | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly inflight = new Set<string>();
  private listed = '';
  private failed = false;
  private handingOver = false;
  private fence: number | undefined;
  /** Players whose private view changed: one `me` each per patch (see onBeforePatch). */
  private readonly dirtyMe = new Set<string>();
  /** Clawbacks a re-settlement could not take in full (the player had spent it), by event, for the operator's reply. */
  private readonly debts = new WeakMap<SportsEvent, Debt[]>();
  /** Each player's bet ids in placement order, so a private view never scans the event's bets. */
  private readonly betIdsByPlayer = new Map<string, string[]>();
  private readonly viewers = new PlayerConnections();

  async onCreate(options: MarketCreateOptions) {
    this.svc = roomServices();
    if (!claimRoom('market', options.eventId)) throw new ServerError(404, `event/not_found: no event ${String(options.eventId).slice(0, 64)}`);
    this.roomId = options.eventId;
    this.maxMessagesPerSecond = this.svc.config.limits.disconnectMessagesPerSecond;
    this.seatReservationTimeout = this.svc.config.abuse.seatReservationSeconds;
    this.fence = options.fence;
    // Fence first: from here on an older owner can neither journal nor move money for this event.
    if (this.fence !== undefined) await claimOwnership(this.svc.store.journal, options.eventId, this.fence, this.svc.config.publicAddress, this.svc.now());
    const rebuild = await this.replay(options.eventId);
    this.writer = new JournalWriter(this.svc.store.journal, options.eventId, rebuild.lastSeq, (err) => this.fail(err), () => this.fence);
    if (this.ev === null) {
      const l = options.listing;
      const created = decide(null, { type: 'create', eventId: l.eventId, league: l.league, home: l.home, away: l.away, lambdaHome: l.lambdaHome, lambdaAway: l.lambdaAway, startsAt: l.startsAt, config: { betDelayMs: this.svc.config.betDelayMs, resumeAfterMs: this.svc.config.marketResumeAfterMs, ...pricingConfig(this.svc.config, l) }, ...(l.modelVersion ? { modelVersion: l.modelVersion } : {}), now: this.svc.now() });
      if (!created.ok) throw new Error(`event ${l.eventId} could not be created: ${created.rejection.code} ${created.rejection.message}`);
      await this.commit(created.events);
    } else {
      await this.recover(rebuild);
    }
    this.state.currency = this.svc.config.currency;
    this.state.betDelayMs = this.ev!.config.betDelayMs;
    this.project();

    const log = this.svc.log;
    defineMessages(this, new MessageGuard(this.svc.config.limits.messagesPerSecond, this.svc.now), {
      bet: { schema: placeBetSchema, handle: (c, m) => this.timedBet(c as Player, m) },
      cashOut: { schema: cashOutSchema, handle: (c, m) => this.cashOut(c as Player, m.betId, m.offerMinor) },
      quote: { schema: quoteSchema, handle: (c, m) => this.quote(c as Player, m.betId) },
      myBets: { schema: myBetsSchema, handle: (c) => ({ ok: true, bets: this.betsOf((c as Player).userData!.userId) }) },
    }, (err, type, client) => log.error({ err, type, roomId: this.roomId, userId: (client as Player).userData?.userId }, 'market message failed'));

    const subscriptions = [feedSource().subscribe(options.eventId, (raw) => this.onFeed(raw)), priceSource()?.subscribe(options.eventId, (raw) => this.onPrices(raw))];
    this.unsubscribe = () => subscriptions.forEach((stop) => stop?.());
    this.schedule();
  }

  /** Runs at seat reservation, before a seat is held (rooms/auth.ts). */
  static async onAuth(token: string, _options: unknown, context: AuthContext) {
    return authenticateSeat(token, context);
  }

  onJoin(client: Player, _options: unknown, auth: RoomAuth) {
    client.userData = auth;
    this.viewers.add(auth.userId, client);
    void this.sendMe(auth.userId);
  }

  onLeave(client: Player) {
    if (client.userData) this.viewers.remove(client.userData.userId, client);
  }

  async onDrop(client: Player) {
    if (!this.failed) await holdSeat(this, client, this.svc.config.reconnectGraceSeconds);
  }

  onBeforePatch(): void {
    for (const userId of this.dirtyMe) void this.sendMe(userId);
    this.dirtyMe.clear();
  }

  onReconnect(client: Player) {
    this.viewers.add(client.userData!.userId, client);
    void this.sendMe(client.userData!.userId);
  }

  async onDispose() {
    this.timer?.clear();
    this.unsubscribe?.();
    await this.writer?.drain();
  }

  /** Operator commands (admin API, possibly from another process through remoteRoomCall). */
  async operatorCommand(cmd: SportsbookCommand): Promise<Reply> {
    const decision = decide(this.ev, { ...cmd, now: this.svc.now() } as SportsbookCommand);
    if (!decision.ok) return { ok: false, error: decision.rejection };
    await this.commit(decision.events);
    const debts = decision.events.flatMap((e) => this.debts.get(e) ?? []);
    return { ok: true, events: decision.events.map((e) => e.type), ...(debts.length > 0 ? { debts } : {}) };
  }

  /** Cluster: the lease went to another process. Stop at once and write nothing more. */
  relinquish(): void {
    this.fail(new Error('ownership lease lost'), 'lease lost to another process: closing the event here');
  }

  /**
   * Rolling reload or rebalancing: take no new seats and no new bets or cash-outs (they would
   * start a new delay; `event/unavailable` tells the client to re-join), let those in their delay
   * resolve, make everything durable, close.
   */
  async handOver(timeoutMs = 30_000): Promise<void> {
    this.handingOver = true;
    await this.lock();
    await waitUntil(() => this.failed || this.ev === null || this.ev.pending.length === 0, Math.min(timeoutMs, (this.ev?.config.betDelayMs ?? 0) + 5_000));
    this.timer?.clear();
    this.unsubscribe?.();
    this.failed = true;
    await this.writer.drain();
    await this.disconnect(ROOM_MOVED_CODE);
  }

  /** Operators' risk view (admin API, possibly from another process through remoteRoomCall). */
  risk(): EventRisk | null {
    return this.ev ? riskView(this.ev) : null;
  }

  /** For tests and operators: the actor state and journal position. */
  snapshot(): { event: EventState | null; journalSeq: number } {
    return { event: this.ev, journalSeq: this.writer.seq };
  }

  // ------------------------------------------------------------------ commands

  private async timedBet(client: Player, msg: BetMsg): Promise<Reply> {
    const stop = betAckSeconds.startTimer({ game: 'sportsbook' });
    const reply = await this.placeBet(client, msg);
    stop();
    betsTotal.inc({ game: 'sportsbook', outcome: reply.ok ? String(reply.status) : reply.error.code });
    if (reply.ok && !reply.replayed) stakeMinorTotal.inc({ game: 'sportsbook' }, msg.stakeMinor);
    return reply;
  }

  private async placeBet(client: Player, msg: BetMsg): Promise<Reply> {
    if (this.failed || this.handingOver) return fail('event/unavailable', 'this event is moving to another process; re-join it by its id and bet again');
    const playerId = client.userData!.userId;
    const existing = retriedBet(this.ev, { ...msg, playerId });
    if (existing) return { ok: true, replayed: true, ...betView(existing) };
    if (this.inflight.has(msg.betId)) return fail('bet/duplicate', 'a bet with this id is being placed');
    const cmd: SportsbookCommand = { type: 'placeBet', playerId, ...msg, stakeFactor: stakeFactorOf(playerId), now: this.svc.now() };
    const pre = decide(this.ev, cmd);
    if (!pre.ok) return { ok: false, error: pre.rejection };
    this.inflight.add(msg.betId);
    try {
      const [reserved] = await this.svc.wallet.apply([reserveOp(this.roomId, { betId: msg.betId, playerId, stakeMinor: msg.stakeMinor })], { fence: this.walletFence() });
      if (!reserved.ok) return fail(reserved.code, reserved.message);
      if (reserved.hold?.status !== 'open') return fail('bet/duplicate', 'this bet id was used before on this event');
      const decision = decide(this.ev, { ...cmd, now: this.svc.now() });
      if (!decision.ok) {
        await this.svc.wallet.apply([releaseOp(this.roomId, msg.betId)], { fence: this.walletFence() });
        return { ok: false, error: decision.rejection };
      }
      await this.commit(decision.events);
      const bet = getBet(this.ev!, msg.betId)!;
      return { ok: true, replayed: false, ...betView(bet) };
    } catch (err) {
      // A newer owner holds the event (stale fence) or the journal failed: this instance closes
      // and the player re-joins; a reserved stake is released by the owner that rebuilds the
      // event (rooms/holds.ts). Retrying with the same betId is safe. Anything else (a store
      // overloaded for a moment) is the message's failure only.
      if (!isStaleOwnership(err) && !this.failed) throw err;
      this.fail(err);
      return fail('event/unavailable', 'this event moved or is restarting; re-join it by its id and retry with the same betId');
    } finally {
      this.inflight.delete(msg.betId);
    }
  }

  private async cashOut(client: Player, betId: string, offerMinor: number): Promise<Reply> {
    if (this.failed || this.handingOver) return fail('event/unavailable', 'this event is moving to another process; re-join it by its id and cash out again');
    const decision = decide(this.ev, { type: 'cashOut', betId, playerId: client.userData!.userId, offerMinor, now: this.svc.now() });
    if (!decision.ok) return { ok: false, error: decision.rejection };
    await this.commit(decision.events);
    const bet = getBet(this.ev!, betId)!;
    const rejected = decision.events.find((e) => e.type === 'CashOutRejected');
    if (rejected && rejected.type === 'CashOutRejected') return fail(rejected.code, rejected.message, rejected.details);
    return { ok: true, ...betView(bet) };
  }

  private quote(client: Player, betId: string): Reply {
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

  private schedule(): void {
    if (this.failed || this.ev === null) return;
    this.timer?.clear();
    const due = nextDeadline(this.ev);
    if (due === null) return;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.min(Math.max(0, due - this.svc.now()), 60_000));
  }

  private tick(): void {
    this.timer = null;
    const decision = decide(this.ev, { type: 'tick', now: this.svc.now() });
    if (decision.ok && decision.events.length > 0) void this.commit(decision.events).catch(() => undefined);
    this.schedule();
  }

  // ------------------------------------------------------------------ persistence

  /** In memory at once, journal in order, then the money (write-ahead, see JournalWriter). */
  private apply(e: SportsEvent): void {
    this.ev = evolve(this.ev, e);
    if (e.type !== 'BetRequested') return;
    const ids = this.betIdsByPlayer.get(e.playerId);
    if (ids) ids.push(e.betId);
    else this.betIdsByPlayer.set(e.playerId, [e.betId]);
  }

  private commit(events: SportsEvent[]): Promise<void> {
    const before = this.ev;
    for (const e of events) this.apply(e);
    this.project();
    this.schedule();
    const money = events.some(movesMoney) ? () => this.moveMoney(events, before) : undefined;
    const durable = this.writer.append(events.map((e) => ({ type: e.type, data: e })), money);
    void durable.then(() => this.afterDurable(events), () => undefined);
    return durable;
  }

  private async moveMoney(events: readonly SportsEvent[], before: EventState | null, rebuilt = false): Promise<void> {
    for (const e of events) if (e.type === 'MarketSettled') payoutMinorTotal.inc({ game: 'sportsbook' }, e.totals.payoutMinor);
    for (const [e, list] of await moveEventMoney(this.svc.wallet, this.roomId, events, before, this.walletFence(), rebuilt)) {
      for (const d of list) this.svc.log.warn({ roomId: this.roomId, userId: d.playerId, takenMinor: d.takenMinor, debtMinor: d.debtMinor }, 're-settlement clawback short of funds: the rest is recorded as the player\'s debt');
      this.debts.set(e, list);
    }
  }

  private afterDurable(events: readonly SportsEvent[]): void {
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
        if (bet) this.viewers.send(playerId, 'betUpdate', { ...betView(bet), ...refusal });
      }
      if (e.type === 'MarketSettled' || e.type === 'MarketVoided') for (const o of e.outcomes) players.add(o.playerId);
      if (e.type === 'MarketResettled') for (const c of e.corrections) players.add(c.playerId);
    }
    for (const p of players) this.dirtyMe.add(p);
    publishRisk(...marketRiskEvents(this.roomId, events, this.ev!));
    void this.updateListing();
  }

  /**
   * Replays the journal into the actor, collecting what a rebuild must complete: the recorded
   * resolution of every hold open before the replay, and the last money-bearing event when it is a
   * re-settlement (the only money without holds; see JournalWriter for why only the last).
   */
  private async replay(eventId: string): Promise<Rebuild> {
    const resolutions = new HoldResolutions(await openHoldIds(this.svc.store.wallet, holdPrefix(eventId)));
    let lastResettlement: Rebuild['lastResettlement'] = null;
    const lastSeq = await replayJournal(this.svc.store.journal, eventId, (r) => {
      if (r.type === OWNERSHIP_TAKEN) return;
      const e = r.data as SportsEvent;
      if (e.type === 'MarketResettled') lastResettlement = { event: e, before: this.ev };
      else if (movesMoney(e)) lastResettlement = null;
      for (const [hold, ops] of resolvingOps(eventId, e)) resolutions.record(hold, ops);
      this.apply(e);
    });
    if (lastSeq > 0) this.svc.log.info({ roomId: eventId, records: lastSeq, phase: this.ev?.phase }, 'event rebuilt from its journal');
    return { lastSeq, resolutions, lastResettlement };
  }

  /**
   * Rebuild: resolves bets interrupted by the restart (actor rule), completes the money of
   * decisions the journal holds but a crash interrupted (a repeat is a replay: same keys), and
   * releases stakes of bets never journaled.
   */
  private async recover(rebuild: Rebuild): Promise<void> {
    if (rebuild.lastResettlement) await this.moveMoney([rebuild.lastResettlement.event], rebuild.lastResettlement.before, true);
    const decision = decide(this.ev, recoveryCommand(this.svc.now()));
    if (decision.ok && decision.events.length > 0) {
      this.svc.log.info({ roomId: this.roomId, events: decision.events.map((e) => e.type) }, 'resolving bets interrupted by the restart');
      await this.commit(decision.events);
    }
    const live = new Set(allBets(this.ev!).filter((b) => b.status === 'pending' || b.status === 'accepted').map((b) => holdId(this.roomId, b.betId)));
    await completeOpenHolds({
      wallet: this.svc.store.wallet, prefix: holdPrefix(this.roomId), isLive: (id) => live.has(id),
      resolutions: rebuild.resolutions, fence: this.walletFence(), log: this.svc.log, roomId: this.roomId,
    });
  }

  private walletFence() {
    return roomFence(this.roomId, this.fence);
  }

  private fail(err: unknown, why = 'event journal failed: closing the room; it is rebuilt from its journal on restart'): void {
    if (this.failed) return;
    this.failed = true;
    // Another process owns the room now: leave its matchmaking listing to that owner.
    if (isStaleOwnership(err)) this.svc.onOwnershipLost?.(this.roomId);
    this.timer?.clear();
    this.unsubscribe?.();
    this.svc.log.error({ err, roomId: this.roomId }, why);
    void this.lock();
    this.disconnect(ROOM_MOVED_CODE).catch(() => undefined);
  }

  // ------------------------------------------------------------------ projection

  private project(): void {
    if (this.ev) projectEvent(this.state, publicView(this.ev), this.svc.now());
  }

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
      this.clock.setTimeout(() => {
        this.autoDispose = true;
        if (this.clients.length === 0) void this.disconnect();
      }, this.svc.config.eventLingerMs);
    }
  }

  private betsOf(userId: string) {
    return this.ev ? playerBetsView(this.ev, this.betIdsByPlayer.get(userId) ?? []) : [];
  }

  private async sendMe(userId: string): Promise<void> {
    try {
      const wallet = await this.svc.wallet.view(userId);
      this.viewers.send(userId, 'me', { eventId: this.roomId, wallet, bets: this.betsOf(userId) });
    } catch (err) {
      this.svc.log.warn({ err, userId, roomId: this.roomId }, 'could not send player view');
    }
  }
}
