/**
 * The one room host every game runs on. A game room is an adapter: its actor (decide/evolve), its
 * schema projection, its message map and its money mapping. The host owns everything the games
 * share, once:
 *
 * - creation: the server-announced id (rooms/registry.ts), the cluster fence claimed before the
 *   journal is read (rooms/ownership.ts), the open holds listed before replay (rooms/holds.ts),
 *   the journal writer (write-ahead: a decision is durable before its money moves);
 * - seats: seat-reservation auth (rooms/auth.ts), connections by player, the reconnection grace
 *   and flood bans (rooms/seats.ts), each player's private `me` view coalesced to one per patch;
 * - funded commands: reserve the stake → decide again on the state the reserve returned to →
 *   journal, releasing the stake when the second decision refuses (`placeFunded`); or, for a
 *   game that opts in, one durable write per bet: decided once, applied at once, its record and
 *   its stake's hold written together and taken back if the store refuses (`placeDurable`,
 *   rooms/host/optimistic.ts);
 * - the clock: one timer at the actor's next deadline;
 * - failure and moving: `fail` (journal or fence lost: close, the next owner rebuilds),
 *   `relinquish` (the lease went elsewhere), `handOver` (rolling reload or rebalancing);
 * - message edge: rate limit, UTF-16 and zod validation, typed replies (rooms/messages.ts).
 *
 * Why a base class rather than Colyseus room plugins, and why plain timers rather than
 * `this.clock`: docs/ROOMS.md.
 */
import { Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import type { Schema } from '@colyseus/schema';
import type { WalletOutcome } from '../../server/store/types.ts';
import { betAckSeconds, betsTotal, stakeMinorTotal } from '../../server/metrics.ts';
import { authenticateSeat, type RoomAuth } from '../auth.ts';
import { roomServices, type RoomServices } from '../context.ts';
import { HoldResolutions, completeOpenHolds, openHoldIds } from '../holds.ts';
import { JournalWriter } from '../journal-writer.ts';
import { MessageGuard, defineMessages, fail, type MessageMap, type Reply } from '../messages.ts';
import { ROOM_MOVED_CODE, claimOwnership, isStaleOwnership, roomFence, waitUntil } from '../ownership.ts';
import { claimRoom } from '../registry.ts';
import { watchProtection } from '../protection.ts';
import { PlayerConnections, holdSeat } from '../seats.ts';
import { OptimisticBets } from './optimistic.ts';
import { fundingRefusal, type FundedCommand } from './funding.ts';
import { DeadlineClock } from './clock.ts';

/** What the host needs to know about a game. */
export interface GameIdentity {
  /** Room name as defined on the server and announced in rooms/registry.ts. */
  kind: string;
  /** The `game` label of the bet metrics. */
  game: string;
  /** What the room is to players, in codes and messages: `table` (table/not_found, table/unavailable), `event`. */
  noun: string;
}

/** Options every game room is created with (by the server only). */
export interface HostOptions {
  /** Fencing token of this process's ownership lease (cluster mode). */
  fence?: number;
}

export type Player = Client<{ userData: RoomAuth }>;

export abstract class GameRoom<S extends Schema, E extends { type: string }, O extends HostOptions = HostOptions> extends Room<{ state: S }> {
  autoDispose = false;

  protected svc!: RoomServices;
  protected writer!: JournalWriter;
  protected fence: number | undefined;
  /** Closed here for good: a journal or fence failure, a lost lease, or handed over. */
  protected failed = false;
  /** Moving to another process: no new seats; the game decides what else it refuses. */
  protected handingOver = false;
  protected readonly players = new PlayerConnections();

  /** Bets applied ahead of their funded append (`placeDurable`); every other decision waits for them (`exclusive`). */
  protected readonly optimistic = new OptimisticBets<E>({ get: () => this.actorState(), set: (s) => this.restoreActorState(s), apply: (e) => this.apply(e) });
  private readonly dirtyMe = new Set<string>();
  private readonly inflight = new Set<string>();
  private readonly deadlines = new DeadlineClock({
    now: () => this.svc.now(),
    nextDeadline: () => this.nextDeadline(),
    running: () => !this.failed && !this.disposed,
    busy: () => this.optimistic.pending > 0,
    deferred: (fn) => void this.exclusive(fn),
    tick: () => this.onDeadline(),
  });
  private disposed = false;
  /** Player protection: a blocked player is removed from this room (rooms/protection.ts). */
  private unwatchProtection: (() => void) | null = null;

  protected abstract readonly identity: GameIdentity;

  // ------------------------------------------------------------------ the adapter

  /** The room id in the create options (the table or event id). */
  protected abstract roomIdOf(options: O): unknown;
  /** The prefix of every hold this room's bets reserve (rooms/money-keys.ts). */
  protected abstract holdPrefix(): string;
  /** Replays the journal into the actor, recording each open hold's resolution; returns the last sequence number. */
  protected abstract rebuild(options: O, resolutions: HoldResolutions): Promise<number>;
  /** After the writer exists: create the game (new room) or recover it (rebuilt), then project and list it. */
  protected abstract start(options: O, resolutions: HoldResolutions): Promise<void>;
  /** The room's messages: each one's schema and handler (rooms/messages.ts). */
  protected abstract handlers(): MessageMap<Player>;
  /** Applies a decided event to the actor state in memory. */
  protected abstract apply(event: E): void;
  /** Projects the actor state into the synced schema after `events`. */
  protected abstract project(events: readonly E[]): void;
  /** The actor's next deadline (epoch ms), or null when nothing is due. */
  protected abstract nextDeadline(): number | null;
  /** The deadline came: decide the actor's tick and commit what it decides. */
  protected abstract onDeadline(): void;
  /** A player's private view (the host adds the wallet). */
  protected abstract meView(userId: string): object;
  /** Whether the room may be handed over now (nothing in flight that must finish here). */
  protected abstract readyToHandOver(): boolean;

  /** The money of a decision, run after it is durable (write-ahead); none by default. */
  protected moneyOf(_events: readonly E[]): (() => Promise<void>) | undefined {
    return undefined;
  }

  /** The actor's state, for `placeDurable` to take a refused bet back (games that use it). */
  protected actorState(): unknown {
    throw new Error(`${this.identity.kind} does not place durable bets`);
  }

  protected restoreActorState(_state: unknown): void {
    throw new Error(`${this.identity.kind} does not place durable bets`);
  }

  /** After events are durable and their money moved (e.g. tell players about their bets). */
  protected afterDurable(_events: readonly E[]): void {}

  /** Whether new bets are refused (the room is closing here). */
  protected refusesBets(): boolean {
    return this.failed;
  }

  /** How long a hand-over may wait for `readyToHandOver`. */
  protected handOverTimeoutMs(requested: number): number {
    return requested;
  }

  /** Stops the game's own inputs (feeds) on every way out. */
  protected stopInputs(): void {}

  /** The outcome label of an acknowledged bet in the metrics. */
  protected betOutcome(_reply: { ok: true }): string {
    return 'accepted';
  }

  // ------------------------------------------------------------------ lifecycle

  async onCreate(options: O) {
    this.svc = roomServices();
    const { config, log } = this.svc;
    const { kind, noun } = this.identity;
    const id = this.roomIdOf(options);
    if (!claimRoom(kind, id)) throw new ServerError(404, `${noun}/not_found: no ${noun} ${String(id).slice(0, 64)}`);
    this.roomId = id as string;
    this.unwatchProtection = watchProtection(this);
    this.maxMessagesPerSecond = config.limits.disconnectMessagesPerSecond;
    this.seatReservationTimeout = config.abuse.seatReservationSeconds;
    this.fence = options.fence;
    // Fence first: from here on an older owner can neither journal nor move money for this room.
    if (this.fence !== undefined) await claimOwnership(this.svc.store.journal, this.roomId, this.fence, config.publicAddress, this.svc.now());
    // Open holds before replay: the journal says how each one ends (rooms/holds.ts).
    const resolutions = new HoldResolutions(await openHoldIds(this.svc.store.wallet, this.holdPrefix()));
    const lastSeq = await this.rebuild(options, resolutions);
    this.writer = new JournalWriter(this.svc.store.journal, this.roomId, lastSeq, (err) => this.fail(err), () => this.fence);
    await this.start(options, resolutions);
    defineMessages(this, new MessageGuard(config.limits.messagesPerSecond, this.svc.now), this.handlers(), (err, type, client) =>
      log.error({ err, type, roomId: this.roomId, userId: client.userData?.userId }, `${kind} message failed`),
    );
    this.schedule();
  }

  /** Runs at seat reservation, before a seat is held (rooms/auth.ts); inherited by every game room. */
  static async onAuth(token: string, _options: unknown, context: AuthContext) {
    return authenticateSeat(token, context);
  }

  onJoin(client: Player, _options: unknown, auth: RoomAuth) {
    client.userData = auth;
    this.players.add(auth.userId, client);
    this.schedule();
    void this.sendMe(auth.userId);
  }

  async onDrop(client: Player) {
    if (!this.failed) await holdSeat(this, client, this.svc.config.reconnectGraceSeconds);
  }

  onReconnect(client: Player) {
    this.players.add(client.userData!.userId, client);
    void this.sendMe(client.userData!.userId);
  }

  onLeave(client: Player) {
    if (client.userData) this.players.remove(client.userData.userId, client);
  }

  async onDispose() {
    // Commits still running (a leaving player's hand stood, a journal flush) must not arm new timers.
    this.disposed = true;
    this.unwatchProtection?.();
    this.stop();
    await this.writer?.drain();
    this.stop();
  }

  /** Before each patch: the coalesced private views. */
  onBeforePatch(): void {
    for (const userId of this.dirtyMe) void this.sendMe(userId);
    this.dirtyMe.clear();
  }

  /** Cluster: the lease went to another process. Stop at once and write nothing more. */
  relinquish(): void {
    this.fail(new Error('ownership lease lost'), `lease lost to another process: closing the ${this.identity.noun} here`);
  }

  /**
   * Rolling reload or rebalancing: take no new seats, let what must finish here finish
   * (`readyToHandOver`), make everything durable, then close; clients re-join the room by its id
   * on another process.
   */
  async handOver(timeoutMs = 60_000): Promise<void> {
    this.handingOver = true;
    await this.lock();
    this.schedule();
    await waitUntil(() => this.failed || this.readyToHandOver(), this.handOverTimeoutMs(timeoutMs));
    this.stop();
    this.failed = true; // no more ticks or commands here
    await this.writer.drain();
    await this.disconnect(ROOM_MOVED_CODE);
  }

  // ------------------------------------------------------------------ commands

  /** Runs a bet placement with the ack-time, count and stake metrics. */
  protected async timedBet<R extends Reply<any>>(stakeMinor: number, place: () => Promise<R>): Promise<R> {
    const { game } = this.identity;
    const stop = betAckSeconds.startTimer({ game });
    const reply: R = await place();
    const r = reply as Reply<any>;
    stop();
    betsTotal.inc({ game, outcome: r.ok ? this.betOutcome(r) : r.error.code });
    if (r.ok && !r.replayed) stakeMinorTotal.inc({ game }, stakeMinor);
    return reply;
  }

  /**
   * A funded command: decided once to refuse what is plainly refused without touching money, then
   * the stake is reserved, then it is decided again (the room may have moved on meanwhile) and
   * journaled, or the stake is released. Resolves with the committed events (durable, money
   * moved) or a typed refusal.
   */
  protected async placeFunded(cmd: FundedCommand<E>): Promise<{ ok: true; events: E[] } | Reply<never>> {
    const { noun } = this.identity;
    if (this.refusesBets()) return fail(`${noun}/unavailable`, `this ${noun} is closing here; re-join it by its id and try again`);
    if (this.inflight.has(cmd.betId)) return fail('bet/duplicate', 'a bet with this id is being placed');
    const pre = cmd.decide(this.svc.now());
    if (!pre.ok) return { ok: false, error: pre.rejection };
    this.inflight.add(cmd.betId);
    try {
      const ops = Array.isArray(cmd.reserve) ? cmd.reserve : [cmd.reserve];
      const outcomes = await this.svc.wallet.apply(ops, { fence: this.walletFence(), atomic: ops.length > 1 });
      const refusal = fundingRefusal(outcomes, noun);
      if (refusal) return refusal;
      const decision = cmd.decide(this.svc.now());
      if (!decision.ok) {
        const release = Array.isArray(cmd.release) ? cmd.release : [cmd.release];
        await this.svc.wallet.apply(release, { fence: this.walletFence(), atomic: release.length > 1 });
        return { ok: false, error: decision.rejection };
      }
      await this.commit(decision.events);
      return { ok: true, events: decision.events };
    } catch (err) {
      return this.closedByFailure(err);
    } finally {
      this.inflight.delete(cmd.betId);
    }
  }

  /**
   * A bet in one durable write: decided once and applied at once (the next decision sees it),
   * then its record and its stake's reserve go to the store together (a funded append); the reply
   * waits for that write. Refused by the wallet, it is taken back from the state and nothing of it
   * was written. Decisions other than bets wait for bets in flight (`exclusive`).
   */
  protected async placeDurable(cmd: Omit<FundedCommand<E>, 'release'>): Promise<{ ok: true; events: E[] } | Reply<never>> {
    const { noun } = this.identity;
    if (this.inflight.has(cmd.betId)) return fail('bet/duplicate', 'a bet with this id is being placed');
    this.inflight.add(cmd.betId);
    try {
      if (this.optimistic.blocked) await this.optimistic.admit();
      if (this.refusesBets()) return fail(`${noun}/unavailable`, `this ${noun} is closing here; re-join it by its id and try again`);
      const decision = cmd.decide(this.svc.now());
      if (!decision.ok) return { ok: false, error: decision.rejection };
      const entry = this.optimistic.begin(decision.events);
      let outcomes: WalletOutcome[];
      try {
        outcomes = await this.writer.appendFunded(decision.events.map((e) => ({ type: e.type, data: e })), Array.isArray(cmd.reserve) ? cmd.reserve : [cmd.reserve]);
      } catch (err) {
        this.optimistic.settle(entry, true);
        throw err;
      }
      const refusal = fundingRefusal(outcomes, noun);
      this.optimistic.settle(entry, refusal !== null);
      if (refusal) {
        this.project([]);
        return refusal;
      }
      this.project(decision.events);
      this.schedule();
      this.afterDurable(decision.events);
      return { ok: true, events: decision.events };
    } catch (err) {
      return this.closedByFailure(err);
    } finally {
      this.inflight.delete(cmd.betId);
    }
  }

  /**
   * A bet placement that threw. A newer owner holds the room (stale fence) or the journal failed:
   * this instance closes and the player re-joins; a reserved stake is released by the owner that
   * rebuilds the room (rooms/holds.ts), and retrying with the same betId is safe. Anything else (a
   * store overloaded for a moment) is the message's failure only: rethrown.
   */
  private closedByFailure(err: unknown): Reply<never> {
    if (!isStaleOwnership(err) && !this.failed) throw err;
    this.fail(err);
    const { noun } = this.identity;
    return fail(`${noun}/unavailable`, `this ${noun} moved or is restarting; re-join it by its id and retry with the same betId`);
  }

  /** Whether a bet with this id is being placed here right now. */
  protected placing(betId: string): boolean {
    return this.inflight.has(betId);
  }

  /** Runs a decision that is not a bet once no bet is in flight (at once when none is). */
  protected exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.optimistic.exclusive(fn);
  }

  // ------------------------------------------------------------------ persistence

  /**
   * Applies decided events: in memory at once (so the next decision sees them), projected, then
   * durably in order, then their money (write-ahead: money never moves for a decision the journal
   * lacks; a new owner completes interrupted money from the journal with the same keys).
   */
  protected commit(events: E[], money: (() => Promise<void>) | undefined = this.moneyOf(events)): Promise<void> {
    const before = this.optimistic.pending > 0 ? this.actorState() : null;
    for (const e of events) this.apply(e);
    this.optimistic.record(events, before);
    this.project(events);
    this.schedule();
    const durable = this.writer.append(
      events.map((e) => ({ type: e.type, data: e })),
      money,
    );
    void durable.then(() => this.afterDurable(events), () => undefined);
    return durable;
  }

  /** Resolves every open hold no live bet owns, as the journal recorded it (rooms/holds.ts). */
  protected completeHolds(resolutions: HoldResolutions, live: ReadonlySet<string>) {
    return completeOpenHolds({
      wallet: this.svc.store.wallet, prefix: this.holdPrefix(), isLive: (id) => live.has(id),
      resolutions, fence: this.walletFence(), log: this.svc.log, roomId: this.roomId,
    });
  }

  /** The fence wallet calls of this room carry (none on one process). */
  protected walletFence() {
    return roomFence(this.roomId, this.fence);
  }

  /** Closes the room here for good; it is rebuilt from its journal by its next owner. */
  protected fail(err: unknown, why = `${this.identity.noun} journal failed: closing the room; it is rebuilt from its journal on restart`): void {
    if (this.failed) return;
    this.failed = true;
    // Another process owns the room now: leave its matchmaking listing to that owner.
    if (isStaleOwnership(err)) this.svc.onOwnershipLost?.(this.roomId);
    this.stop();
    this.svc.log.error({ err, roomId: this.roomId }, why);
    void this.lock();
    this.disconnect(ROOM_MOVED_CODE).catch(() => undefined);
  }

  // ------------------------------------------------------------------ clock

  /** Sets the one timer at the actor's next deadline (rooms/host/clock.ts). */
  protected schedule(): void {
    this.deadlines.schedule();
  }

  /** Runs `fn` once after `ms` unless the room stops first (the same timers as the deadline clock). */
  protected later(ms: number, fn: () => void): void {
    if (!this.disposed) this.deadlines.later(ms, fn);
  }

  private stop(): void {
    this.deadlines.stop();
    this.stopInputs();
  }

  // ------------------------------------------------------------------ private views

  /** The player's `me` view is sent again at the next patch. */
  protected markDirty(userId: string): void {
    this.dirtyMe.add(userId);
  }

  private async sendMe(userId: string): Promise<void> {
    try {
      const wallet = await this.svc.wallet.view(userId);
      this.players.send(userId, 'me', { ...this.meView(userId), wallet });
    } catch (err) {
      this.svc.log.warn({ err, userId, roomId: this.roomId }, 'could not send player view');
    }
  }
}
