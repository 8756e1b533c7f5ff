/**
 * `roulette`: one European roulette table. Thin: validates each message, asks the table actor,
 * moves money through the wallet, journals the events in order and projects the state. The table
 * is rebuilt from its journal when the room is created, and an interrupted round is finished by
 * the actor's recovery rule (docs/FAIRNESS.md).
 */
import { Room, ServerError, type AuthContext, type Client } from '@colyseus/core';
import {
  decide, evolve, nextDeadline, playerBets, recoveryCommand, retriedBet, tableConfig,
  type PlaceBetCommand, type RouletteCommand, type RouletteEvent, type TableState,
} from '../../actors/roulette/index.ts';
import { authenticateSeat, type RoomAuth } from '../auth.ts';
import { watchProtection } from '../protection.ts';
import { roomServices, type RoomServices } from '../context.ts';
import { JournalWriter } from '../journal-writer.ts';
import { MessageGuard, defineMessages, fail, type Reply } from '../messages.ts';
import { holdId, holdPrefix, moveRoundEndMoney, releaseOp, reserveOp, resolvingOps, type settlementOps } from './money.ts';
import { HoldResolutions, completeOpenHolds, openHoldIds } from '../holds.ts';
import { clearBetsSchema, clientSeedSchema, placeBetSchema, removeBetSchema } from './protocol.ts';
import { TableSchema } from './schema.ts';
import { claimRoom } from '../registry.ts';
import { PlayerConnections, holdSeat } from '../seats.ts';
import { ROOM_MOVED_CODE, claimOwnership, isStaleOwnership, roomFence, waitUntil } from '../ownership.ts';
import { betAckSeconds, betsTotal, payoutMinorTotal, stakeMinorTotal } from '../../server/metrics.ts';
import { loadTable, recordRoundFacts, roundFactsMissing, type RoundBalances } from './persistence.ts';
import { projectTable } from './projection.ts';

export interface RouletteCreateOptions {
  tableId: string;
  /** Fencing token of this process's ownership lease (cluster mode). */
  fence?: number;
}

type Player = Client<{ userData: RoomAuth }>;

export class RouletteRoom extends Room<{ state: TableSchema }> {
  state = new TableSchema();
  autoDispose = false;
  maxClients = 1000;

  private svc!: RoomServices;
  private table!: TableState;
  private writer!: JournalWriter;
  /** The table clock: a plain timer, so a phase change happens on time and is sent at once, not at the next patch. */
  private timer: NodeJS.Timeout | null = null;
  private readonly inflight = new Set<string>();
  private readonly seated = new PlayerConnections();
  private failed = false;
  private fence: number | undefined;
  /** Players whose private view changed since the last patch: one `me` each per patch, not per bet. */
  private readonly dirtyMe = new Set<string>();
  private playersWrittenAt = 0;
  private handingOver = false;
  /** Player protection: a blocked player is removed from this room (rooms/protection.ts). */
  private unwatchProtection: (() => void) | null = null;

  async onCreate(options: RouletteCreateOptions) {
    this.svc = roomServices();
    const { config, log } = this.svc;
    if (!claimRoom('roulette', options.tableId)) throw new ServerError(404, `table/not_found: no table ${String(options.tableId).slice(0, 64)}`);
    this.roomId = options.tableId;
    this.unwatchProtection = watchProtection(this);
    this.maxMessagesPerSecond = config.limits.disconnectMessagesPerSecond;
    this.seatReservationTimeout = config.abuse.seatReservationSeconds;
    this.patchRate = config.roulettePatchMs;
    const wanted = tableConfig({ bettingWindowMs: config.rouletteBettingWindowMs, spinMs: config.rouletteSpinMs, pauseMs: config.roulettePauseMs });
    this.fence = options.fence;
    // Fence first: from here on an older owner can neither journal nor move money for this table.
    if (this.fence !== undefined) await claimOwnership(this.svc.store.journal, this.roomId, this.fence, config.publicAddress, this.svc.now());
    const resolutions = new HoldResolutions(await openHoldIds(this.svc.store.wallet, holdPrefix(options.tableId)));
    let lastRoundEnd: RouletteEvent | null = null;
    const loaded = await loadTable(this.svc.store, options.tableId, wanted, log, (e) => {
      if (e.type === 'RoundSettled' || e.type === 'RoundVoided') lastRoundEnd = e;
      for (const [hold, ops] of resolvingOps(options.tableId, e)) resolutions.record(hold, ops);
    });
    this.table = loaded.state;
    this.writer = new JournalWriter(this.svc.store.journal, this.roomId, loaded.lastSeq, (err) => this.fail(err), () => this.fence);
    if (loaded.configEvent) await this.writer.append([loaded.configEvent]);
    await this.recover(resolutions, lastRoundEnd);
    this.state.tableId = this.table.tableId;
    this.state.currency = config.currency;
    projectTable(this.state, this.table, null);
    const limits = this.table.config;
    await this.setMetadata({
      tableId: this.table.tableId, game: 'roulette', minBetMinor: limits.minBetMinor, maxBetMinor: limits.maxBetMinor,
      // The per-round limits (docs/PROTOCOL.md): a player's stake and bet count, the table's worst-case payout.
      maxStakePerPlayerPerRoundMinor: limits.maxStakePerPlayerPerRoundMinor,
      maxBetsPerPlayerPerRound: limits.maxBetsPerPlayerPerRound,
      maxPayoutPerRoundMinor: limits.maxPayoutPerRoundMinor,
    });

    const guard = new MessageGuard(config.limits.messagesPerSecond, this.svc.now);
    defineMessages(this, guard, {
      bet: { schema: placeBetSchema, handle: (c, m) => this.timedBet(c as Player, m) },
      removeBet: { schema: removeBetSchema, handle: (c, m) => this.removeBets(c as Player, 'removeBet', m.betId) },
      clearBets: { schema: clearBetsSchema, handle: (c) => this.removeBets(c as Player, 'clearBets') },
      clientSeed: { schema: clientSeedSchema, handle: (c, m) => this.submitSeed(c as Player, m.seed) },
    }, (err, type, client) => log.error({ err, type, roomId: this.roomId, userId: (client as Player).userData?.userId }, 'roulette message failed'));
    this.schedule();
  }

  /** Runs at seat reservation, before a seat is held (rooms/auth.ts). */
  static async onAuth(token: string, _options: unknown, context: AuthContext) {
    return authenticateSeat(token, context);
  }

  onJoin(client: Player, _options: unknown, auth: RoomAuth) {
    client.userData = auth;
    this.seated.add(auth.userId, client);
    this.schedule();
    void this.sendMe(auth.userId);
  }

  async onDrop(client: Player) {
    if (!this.failed) await holdSeat(this, client, this.svc.config.reconnectGraceSeconds);
  }

  onReconnect(client: Player) {
    this.seated.add(client.userData!.userId, client);
    void this.sendMe(client.userData!.userId);
  }

  onLeave(client: Player) {
    if (client.userData) this.seated.remove(client.userData.userId, client);
  }

  async onDispose() {
    this.unwatchProtection?.();
    this.stopClock();
    await this.writer?.drain();
  }

  /** Cluster: the lease went to another process. Stop at once and write nothing more. */
  relinquish(): void {
    this.fail(new Error('ownership lease lost'), 'lease lost to another process: closing the table here');
  }

  /**
   * Rolling reload: take no new seats, let the current round finish (no new round opens), make
   * everything durable, then close; clients re-join the table by its id on another process.
   */
  async handOver(timeoutMs = 60_000): Promise<void> {
    this.handingOver = true;
    await this.lock();
    this.schedule();
    await waitUntil(() => this.failed || (this.table.phase !== 'betting' && this.table.phase !== 'closed'), timeoutMs);
    this.stopClock();
    this.failed = true; // no more ticks or commands here
    await this.writer.drain();
    await this.disconnect(ROOM_MOVED_CODE);
  }

  /** The table's public state and the journal's durability, for tests and operators. */
  snapshot(): { table: TableState; journalSeq: number } {
    return { table: this.table, journalSeq: this.writer.seq };
  }

  // ------------------------------------------------------------------ commands

  private async timedBet(client: Player, msg: { betId: string; spot: PlaceBetCommand['spot']; stakeMinor: number }): Promise<Reply> {
    const stop = betAckSeconds.startTimer({ game: 'roulette' });
    const reply = await this.placeBet(client, msg);
    stop();
    betsTotal.inc({ game: 'roulette', outcome: reply.ok ? 'accepted' : reply.error.code });
    if (reply.ok && !reply.replayed) stakeMinorTotal.inc({ game: 'roulette' }, msg.stakeMinor);
    return reply;
  }

  private async placeBet(client: Player, msg: { betId: string; spot: PlaceBetCommand['spot']; stakeMinor: number }): Promise<Reply> {
    if (this.failed) return fail('table/unavailable', 'this table is closing here; re-join it by its id');
    const playerId = client.userData!.userId;
    const cmd: PlaceBetCommand = { type: 'placeBet', betId: msg.betId, playerId, spot: msg.spot, stakeMinor: msg.stakeMinor, now: this.svc.now() };
    const existing = retriedBet(this.table, cmd);
    if (existing) return { ok: true, replayed: true, bet: existing }; // a retried message, already placed
    if (this.inflight.has(msg.betId)) return fail('bet/duplicate', 'a bet with this id is being placed');
    const pre = decide(this.table, cmd);
    if (!pre.ok) return { ok: false, error: pre.rejection };

    this.inflight.add(msg.betId);
    try {
      const [reserved] = await this.svc.wallet.apply([reserveOp(this.table.tableId, cmd)], { fence: this.walletFence() });
      if (!reserved.ok) return fail(reserved.code, reserved.message);
      if (reserved.hold?.status !== 'open') return fail('bet/duplicate', 'this bet id was used before at this table');
      // The table may have moved on while the stake was being reserved: decide again.
      const decision = decide(this.table, { ...cmd, now: this.svc.now() });
      if (!decision.ok) {
        await this.svc.wallet.apply([releaseOp(this.table.tableId, cmd.betId)], { fence: this.walletFence() });
        return { ok: false, error: decision.rejection };
      }
      await this.commit(decision.events);
      this.dirtyMe.add(playerId);
      return { ok: true, replayed: false, bet: decision.events[0] };
    } catch (err) {
      // A newer owner holds the table (stale fence) or the journal failed: this instance closes
      // and the player re-joins; the stake, if reserved, is released by the owner that rebuilds
      // the table (rooms/holds.ts). Retrying with the same betId is safe. Anything else (a store
      // overloaded for a moment) is the message's failure only.
      if (!isStaleOwnership(err) && !this.failed) throw err;
      this.fail(err);
      return fail('table/unavailable', 'this table moved or is restarting; re-join it by its id and retry with the same betId');
    } finally {
      this.inflight.delete(msg.betId);
    }
  }

  private async removeBets(client: Player, type: 'removeBet' | 'clearBets', betId?: string): Promise<Reply> {
    const playerId = client.userData!.userId;
    const now = this.svc.now();
    const cmd: RouletteCommand = type === 'removeBet' ? { type, betId: betId!, playerId, now } : { type, playerId, now };
    const decision = decide(this.table, cmd);
    if (!decision.ok) return { ok: false, error: decision.rejection };
    const ids = decision.events.flatMap((e) => (e.type === 'BetRemoved' ? [e.betId] : []));
    await this.commit(decision.events, () => this.walletOrThrow(ids.map((id) => [releaseOp(this.table.tableId, id)])));
    this.dirtyMe.add(playerId);
    return { ok: true, removed: ids };
  }

  private async submitSeed(client: Player, seed: string): Promise<Reply> {
    const decision = decide(this.table, { type: 'submitClientSeed', playerId: client.userData!.userId, seed, now: this.svc.now() });
    if (!decision.ok) return { ok: false, error: decision.rejection };
    await this.commit(decision.events);
    return { ok: true };
  }

  // ------------------------------------------------------------------ clock

  private schedule(): void {
    if (this.failed) return;
    this.stopClock();
    const due = nextDeadline(this.table);
    const playersPresent = this.seated.playerCount > 0 && !this.handingOver;
    if (due === null && !(playersPresent && this.table.phase === 'idle')) return;
    const delay = due === null ? 0 : Math.max(0, due - this.svc.now());
    this.timer = setTimeout(() => this.tick(), Math.min(delay, 60_000));
  }

  private stopClock(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    this.timer = null;
    const decision = decide(this.table, { type: 'tick', now: this.svc.now(), playersPresent: this.seated.playerCount > 0 && !this.handingOver, serverSeed: this.svc.randomSeed() });
    if (!decision.ok) {
      this.svc.log.error({ roomId: this.roomId, rejection: decision.rejection }, 'table tick rejected');
    } else if (decision.events.length > 0) {
      void this.commit(decision.events, () => this.moneyFor(decision.events)).catch(() => undefined);
      // A new round changes every seated player's view (round id, phase): their `me` follows the state.
      if (decision.events.some((e) => e.type === 'RoundOpened')) for (const id of this.seated.playerIds()) this.dirtyMe.add(id);
      this.broadcastPatch();
    }
    this.schedule();
  }

  // ------------------------------------------------------------------ persistence

  /**
   * Applies decided events: in memory at once (so the next decision sees them), then durably in
   * order, then their money (`money`) and the round facts the HTTP API serves. The journal comes
   * first (write-ahead): money never moves for a decision the journal lacks, and a new owner
   * completes money a crash interrupted from the journal (rooms/holds.ts), with the same keys.
   */
  private commit(events: RouletteEvent[], money?: () => Promise<RoundBalances | void>): Promise<void> {
    for (const e of events) this.table = evolve(this.table, e);
    projectTable(this.state, this.table, events);
    const facts = events.some((e) => e.type === 'RoundOpened' || e.type === 'BettingClosed' || e.type === 'ResultDrawn' || e.type === 'RoundVoided' || e.type === 'RoundSettled');
    const durable = this.writer.append(
      events.map((e) => ({ type: e.type, data: e })),
      money || facts
        ? async () => {
            const balances = money ? await money() : undefined;
            if (facts) await recordRoundFacts(this.svc, this.table.tableId, events, balances ?? undefined);
          }
        : undefined,
    );
    const settledPlayers = new Set(events.flatMap((e) => (e.type === 'RoundSettled' ? e.settlements.map((s) => s.playerId) : e.type === 'RoundVoided' ? e.refunds.map((r) => r.playerId) : [])));
    if (settledPlayers.size > 0) void durable.then(() => settledPlayers.forEach((p) => this.dirtyMe.add(p)), () => undefined);
    return durable;
  }

  private moneyFor(events: RouletteEvent[]): Promise<RoundBalances> {
    for (const e of events) if (e.type === 'RoundSettled') payoutMinorTotal.inc({ game: 'roulette' }, e.totals.payoutMinor);
    return this.roundEndMoney(events);
  }

  /** The money of round ends, one atomic group per player (money.ts: moveRoundEndMoney). */
  private roundEndMoney(events: RouletteEvent[]): Promise<RoundBalances> {
    return moveRoundEndMoney(this.svc.wallet, this.table.tableId, events, this.walletFence());
  }

  /** Each group is atomic; a repeat is a replay. Anything else is a broken invariant: fail loudly. */
  private async walletOrThrow(groups: ReturnType<typeof settlementOps>[], bulk = false): Promise<void> {
    if (groups.length === 0) return;
    const results = await Promise.all(groups.map((ops) => this.svc.wallet.apply(ops, { atomic: true, bulk, fence: this.walletFence() })));
    const bad = results.flat().find((o) => !o.ok);
    if (bad && !bad.ok) throw new Error(`roulette ${this.roomId}: wallet refused a settlement step: ${bad.code} ${bad.message}`);
  }

  private walletFence() {
    return roomFence(this.roomId, this.fence);
  }

  /**
   * Rebuild: finishes an interrupted round (actor rule), completes the money of decisions the
   * journal holds but a crash interrupted, releases stakes of bets never journaled, and writes the
   * last finished round's facts again (idempotent upserts) in case the crash came before them.
   */
  private async recover(resolutions: HoldResolutions, lastRoundEnd: RouletteEvent | null): Promise<void> {
    const decision = decide(this.table, recoveryCommand(this.svc.now()));
    if (decision.ok && decision.events.length > 0) {
      this.svc.log.info({ roomId: this.roomId, events: decision.events.map((e) => e.type) }, 'finishing interrupted round');
      await this.commit(decision.events, () => this.moneyFor(decision.events));
    }
    const live = new Set((this.table.phase === 'betting' || this.table.phase === 'closed' ? this.table.round?.bets ?? [] : []).map((b) => holdId(this.table.tableId, b.betId)));
    // The last round end's money again, per player as it was first moved (a replay when done; it
    // completes it when a crash interrupted it): its records quote the balances the ledger wrote.
    const balances = lastRoundEnd ? await this.roundEndMoney([lastRoundEnd]) : undefined;
    await completeOpenHolds({
      wallet: this.svc.store.wallet, prefix: holdPrefix(this.table.tableId), isLive: (id) => live.has(id),
      resolutions, fence: this.walletFence(), log: this.svc.log, roomId: this.roomId,
    });
    // Facts only when a crash left them unwritten; they quote the ledger's balances either way.
    if (lastRoundEnd && (await roundFactsMissing(this.svc.store, lastRoundEnd))) await recordRoundFacts(this.svc, this.table.tableId, [lastRoundEnd], balances);
  }

  private fail(err: unknown, why = 'table journal failed: closing the table; it is rebuilt from its journal on restart'): void {
    if (this.failed) return;
    this.failed = true;
    // Another process owns the room now: leave its matchmaking listing to that owner.
    if (isStaleOwnership(err)) this.svc.onOwnershipLost?.(this.roomId);
    this.stopClock();
    this.svc.log.error({ err, roomId: this.roomId }, why);
    void this.lock();
    this.disconnect(ROOM_MOVED_CODE).catch(() => undefined);
  }

  /**
   * Before each patch: the coalesced private views, and the seat count at most once a second (a
   * join storm would otherwise patch every client at the table on every join).
   */
  onBeforePatch(): void {
    for (const userId of this.dirtyMe) void this.sendMe(userId);
    this.dirtyMe.clear();
    const now = this.svc.now();
    if (this.state.players !== this.seated.playerCount && now - this.playersWrittenAt >= 1000) {
      this.state.players = this.seated.playerCount;
      this.playersWrittenAt = now;
    }
  }

  private async sendMe(userId: string): Promise<void> {
    try {
      const wallet = await this.svc.wallet.view(userId);
      const bets = playerBets(this.table, userId);
      this.seated.send(userId, 'me', { roundId: this.table.round?.roundId ?? null, phase: this.table.phase, wallet, bets });
    } catch (err) {
      this.svc.log.warn({ err, userId, roomId: this.roomId }, 'could not send player view');
    }
  }
}
