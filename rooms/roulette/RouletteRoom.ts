/**
 * `roulette`: one European roulette table, an adapter on the room host (rooms/host/GameRoom.ts):
 * the table actor, its schema projection, its messages and its money. The table is rebuilt from
 * its journal when the room is created, and an interrupted round is finished by the actor's
 * recovery rule (docs/FAIRNESS.md).
 */
import {
  decide, evolve, nextDeadline, playerBets, recoveryCommand, retriedBet, tableConfig,
  type BetPlaced, type PlaceBetCommand, type RouletteCommand, type RouletteEvent, type TableState,
} from '../../actors/roulette/index.ts';
import type { JournalEvent } from '../../server/store/types.ts';
import { clearBetsSchema, clientSeedSchema, placeBetSchema, removeBetSchema, type ClientSeedReply, type PlaceBetReply, type RemoveBetsReply, type RouletteMe } from '../../protocol/roulette.ts';
import { payoutMinorTotal } from '../../server/metrics.ts';
import type { HoldResolutions } from '../holds.ts';
import { GameRoom, type HostOptions, type Player } from '../host/GameRoom.ts';
import { message, type MessageMap } from '../messages.ts';
import { holdId, holdPrefix, moveRoundEndMoney, releaseOp, reserveOp, resolvingOps } from './money.ts';
import { loadTable, recordRoundFacts, roundFactsMissing, type RoundBalances } from './persistence.ts';
import { projectTable } from './projection.ts';
import { TableSchema } from './schema.ts';

export interface RouletteCreateOptions extends HostOptions {
  tableId: string;
}

const ROUND_FACTS = new Set<RouletteEvent['type']>(['RoundOpened', 'BettingClosed', 'ResultDrawn', 'RoundVoided', 'RoundSettled']);

export class RouletteRoom extends GameRoom<TableSchema, RouletteEvent, RouletteCreateOptions> {
  state = new TableSchema();
  maxClients = 1000;
  protected readonly identity = { kind: 'roulette', game: 'roulette', noun: 'table' };

  private table!: TableState;
  private configEvent: JournalEvent | null = null;
  private lastRoundEnd: RouletteEvent | null = null;
  private playersWrittenAt = 0;

  /** The table's public state and the journal's durability, for tests and operators. */
  snapshot(): { table: TableState; journalSeq: number } {
    return { table: this.table, journalSeq: this.writer.seq };
  }

  // ------------------------------------------------------------------ host hooks

  protected roomIdOf(options: RouletteCreateOptions) {
    return options.tableId;
  }

  protected holdPrefix() {
    return holdPrefix(this.roomId);
  }

  protected async rebuild(options: RouletteCreateOptions, resolutions: HoldResolutions): Promise<number> {
    const { config, log } = this.svc;
    const wanted = tableConfig({ bettingWindowMs: config.rouletteBettingWindowMs, spinMs: config.rouletteSpinMs, pauseMs: config.roulettePauseMs });
    const loaded = await loadTable(this.svc.store, options.tableId, wanted, log, (e) => {
      if (e.type === 'RoundSettled' || e.type === 'RoundVoided') this.lastRoundEnd = e;
      for (const [hold, ops] of resolvingOps(options.tableId, e)) resolutions.record(hold, ops);
    });
    this.table = loaded.state;
    this.configEvent = loaded.configEvent;
    return loaded.lastSeq;
  }

  protected async start(_options: RouletteCreateOptions, resolutions: HoldResolutions): Promise<void> {
    const { config } = this.svc;
    this.patchRate = config.roulettePatchMs;
    if (this.configEvent) await this.writer.append([this.configEvent]);
    await this.recover(resolutions);
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
  }

  protected handlers(): MessageMap<Player> {
    return {
      bet: message(placeBetSchema, (c: Player, m) => this.timedBet(m.stakeMinor, () => this.placeBet(c, m))),
      // Not bets: decided once no bet is in flight (a removal must see its bet durable).
      removeBet: message(removeBetSchema, (c: Player, m) => this.exclusive(() => this.removeBets(c, 'removeBet', m.betId))),
      clearBets: message(clearBetsSchema, (c: Player) => this.exclusive(() => this.removeBets(c, 'clearBets'))),
      clientSeed: message(clientSeedSchema, (c: Player, m) => this.exclusive(() => this.submitSeed(c, m.seed))),
    };
  }

  protected apply(e: RouletteEvent): void {
    this.table = evolve(this.table, e);
  }

  protected actorState(): TableState {
    return this.table;
  }

  protected restoreActorState(state: unknown): void {
    this.table = state as TableState;
  }

  protected project(events: readonly RouletteEvent[]): void {
    projectTable(this.state, this.table, events as RouletteEvent[]);
  }

  /** Round ends move money (one atomic group per player), then the round facts the HTTP API serves quote the ledger's balances. */
  protected moneyOf(events: readonly RouletteEvent[]): (() => Promise<void>) | undefined {
    const ends = events.some((e) => e.type === 'RoundSettled' || e.type === 'RoundVoided');
    const facts = events.some((e) => ROUND_FACTS.has(e.type));
    if (!ends && !facts) return undefined;
    return async () => {
      const balances = ends ? await this.roundEndMoney(events) : undefined;
      if (facts) await recordRoundFacts(this.svc, this.table.tableId, events as RouletteEvent[], balances);
    };
  }

  protected afterDurable(events: readonly RouletteEvent[]): void {
    for (const e of events) {
      if (e.type === 'RoundSettled') e.settlements.forEach((s) => this.markDirty(s.playerId));
      else if (e.type === 'RoundVoided') e.refunds.forEach((r) => this.markDirty(r.playerId));
    }
  }

  /** The actor's deadline; with players seated at an idle table, now (a round opens). */
  protected nextDeadline(): number | null {
    const due = nextDeadline(this.table);
    if (due !== null) return due;
    return this.playersPresent() && this.table.phase === 'idle' ? this.svc.now() : null;
  }

  protected onDeadline(): void {
    const decision = decide(this.table, { type: 'tick', now: this.svc.now(), playersPresent: this.playersPresent(), serverSeed: this.svc.randomSeed() });
    if (!decision.ok) {
      this.svc.log.error({ roomId: this.roomId, rejection: decision.rejection }, 'table tick rejected');
      return;
    }
    if (decision.events.length === 0) return;
    void this.commit(decision.events).catch(() => undefined);
    // A new round changes every seated player's view (round id, phase): their `me` follows the state.
    if (decision.events.some((e) => e.type === 'RoundOpened')) for (const id of this.players.playerIds()) this.markDirty(id);
    // A phase change goes out now, not at the next patch.
    this.broadcastPatch();
  }

  protected meView(userId: string): Omit<RouletteMe, 'wallet'> {
    return { roundId: this.table.round?.roundId ?? null, phase: this.table.phase, bets: playerBets(this.table, userId) };
  }

  /** The current round has finished betting: no bet can be placed here any more. */
  protected readyToHandOver(): boolean {
    return this.table.phase !== 'betting' && this.table.phase !== 'closed';
  }

  /** Before each patch, besides the private views: the seat count at most once a second (a join storm would patch every client on every join). */
  onBeforePatch(): void {
    super.onBeforePatch();
    const now = this.svc.now();
    if (this.state.players !== this.players.playerCount && now - this.playersWrittenAt >= 1000) {
      this.state.players = this.players.playerCount;
      this.playersWrittenAt = now;
    }
  }

  // ------------------------------------------------------------------ commands

  private async placeBet(client: Player, msg: { betId: string; spot: PlaceBetCommand['spot']; stakeMinor: number }): Promise<PlaceBetReply> {
    const playerId = client.userData!.userId;
    const command = (now: number): PlaceBetCommand => ({ type: 'placeBet', betId: msg.betId, playerId, spot: msg.spot, stakeMinor: msg.stakeMinor, now });
    // A bet still in flight is in the state already but not durable: its retry is a duplicate (host), not a replay.
    const existing = this.placing(msg.betId) ? null : retriedBet(this.table, command(this.svc.now()));
    if (existing) return { ok: true, replayed: true, bet: { ...existing, roundId: this.table.round!.roundId } }; // a retried message, already placed
    // One durable write: the BetPlaced record and the stake's hold together (host placeDurable).
    const placed = await this.placeDurable({
      betId: msg.betId,
      decide: (now) => decide(this.table, command(now)),
      reserve: reserveOp(this.table.tableId, { betId: msg.betId, playerId, stakeMinor: msg.stakeMinor }),
    });
    if (!placed.ok) return placed;
    this.markDirty(playerId);
    const { betId, spot, stakeMinor, at, roundId } = placed.events[0] as BetPlaced;
    return { ok: true, replayed: false, bet: { betId, playerId, spot, stakeMinor, placedAt: at, roundId } };
  }

  private async removeBets(client: Player, type: 'removeBet' | 'clearBets', betId?: string): Promise<RemoveBetsReply> {
    const playerId = client.userData!.userId;
    const now = this.svc.now();
    const cmd: RouletteCommand = type === 'removeBet' ? { type, betId: betId!, playerId, now } : { type, playerId, now };
    const decision = decide(this.table, cmd);
    if (!decision.ok) return { ok: false, error: decision.rejection };
    const ids = decision.events.flatMap((e) => (e.type === 'BetRemoved' ? [e.betId] : []));
    await this.commit(decision.events, () => this.releaseAll(ids));
    this.markDirty(playerId);
    return { ok: true, removed: ids };
  }

  private async submitSeed(client: Player, seed: string): Promise<ClientSeedReply> {
    const decision = decide(this.table, { type: 'submitClientSeed', playerId: client.userData!.userId, seed, now: this.svc.now() });
    if (!decision.ok) return { ok: false, error: decision.rejection };
    await this.commit(decision.events);
    return { ok: true };
  }

  // ------------------------------------------------------------------ money and recovery

  private playersPresent(): boolean {
    return this.players.playerCount > 0 && !this.handingOver;
  }

  /** The money of round ends, one atomic group per player (money.ts: moveRoundEndMoney). */
  private roundEndMoney(events: readonly RouletteEvent[]): Promise<RoundBalances> {
    for (const e of events) if (e.type === 'RoundSettled') payoutMinorTotal.inc({ game: 'roulette' }, e.totals.payoutMinor);
    return moveRoundEndMoney(this.svc.wallet, this.table.tableId, events, this.walletFence());
  }

  /** Releases removed bets' stakes; a repeat is a replay, anything else a broken invariant: fail loudly. */
  private async releaseAll(betIds: string[]): Promise<void> {
    const results = await Promise.all(betIds.map((id) => this.svc.wallet.apply([releaseOp(this.table.tableId, id)], { atomic: true, fence: this.walletFence() })));
    const bad = results.flat().find((o) => !o.ok);
    if (bad && !bad.ok) throw new Error(`roulette ${this.roomId}: wallet refused to release a stake: ${bad.code} ${bad.message}`);
  }

  /**
   * Rebuild: finishes an interrupted round (actor rule), completes the money of decisions the
   * journal holds but a crash interrupted, releases stakes of bets never journaled, and writes the
   * last finished round's facts again (idempotent upserts) in case the crash came before them.
   */
  private async recover(resolutions: HoldResolutions): Promise<void> {
    const decision = decide(this.table, recoveryCommand(this.svc.now()));
    if (decision.ok && decision.events.length > 0) {
      this.svc.log.info({ roomId: this.roomId, events: decision.events.map((e) => e.type) }, 'finishing interrupted round');
      await this.commit(decision.events);
    }
    const live = new Set((this.table.phase === 'betting' || this.table.phase === 'closed' ? this.table.round?.bets ?? [] : []).map((b) => holdId(this.table.tableId, b.betId)));
    // The last round end's money again, per player as it was first moved (a replay when done; it
    // completes it when a crash interrupted it): its records quote the balances the ledger wrote.
    const lastRoundEnd = this.lastRoundEnd;
    const balances = lastRoundEnd ? await this.roundEndMoney([lastRoundEnd]) : undefined;
    await this.completeHolds(resolutions, live);
    // Facts only when a crash left them unwritten; they quote the ledger's balances either way.
    if (lastRoundEnd && (await roundFactsMissing(this.svc.store, lastRoundEnd))) await recordRoundFacts(this.svc, this.table.tableId, [lastRoundEnd], balances);
  }
}
