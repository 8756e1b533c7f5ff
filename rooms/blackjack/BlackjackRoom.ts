/**
 * `blackjack`: one multi-seat blackjack table, an adapter on the room host (rooms/host/GameRoom.ts):
 * the table actor (actors/blackjack), its schema projection (no hole card, no shoe order: only cards
 * dealt face up), its messages and its money (every stake reserved at the moment of the action
 * that needs it; each player's seats settled in one atomic group). Rebuilt from its journal when created; an
 * interrupted hand continues where it was (docs/BLACKJACK.md, "Recovery").
 */
import {
  blackjackConfig, decide, evolve, newStakes, nextDeadline, recoveryCommand,
  type BlackjackCommand, type BlackjackEvent, type PlayerAction, type RoundSettled, type RoundVoided, type TableState,
} from '../../actors/blackjack/index.ts';
import type { Decision } from '../../actors/decision.ts';
import {
  actSchema, clientSeedSchema, insuranceSchema, leaveSeatSchema, placeBetSchema, removeBetSchema, takeSeatSchema,
  type ActReply, type BlackjackMe, type ClientSeedReply, type PlaceBetReply, type RemoveBetReply, type SeatReply,
} from '../../protocol/blackjack.ts';
import { payoutMinorTotal } from '../../server/metrics.ts';
import type { HoldResolutions } from '../holds.ts';
import { GameRoom, type HostOptions, type Player } from '../host/GameRoom.ts';
import { fail, message, type MessageMap } from '../messages.ts';
import { holdId, holdPrefix, moneyGroups, moveMoney, releaseOp, reserveOp, resolvingOps } from './money.ts';
import { loadTable, recordFacts, roundRecordsMissing } from './persistence.ts';
import { projectTable } from './projection.ts';
import { BlackjackTableSchema } from './schema.ts';

export interface BlackjackCreateOptions extends HostOptions {
  tableId: string;
}

const FACTS = new Set<BlackjackEvent['type']>(['ShoeOpened', 'ShoeShuffled', 'ShoeFinished', 'RoundSettled', 'RoundVoided']);
const IN_HAND = new Set<TableState['phase']>(['betting', 'insurance', 'playing']);

export class BlackjackRoom extends GameRoom<BlackjackTableSchema, BlackjackEvent, BlackjackCreateOptions> {
  state = new BlackjackTableSchema();
  maxClients = 500;
  protected readonly identity = { kind: 'blackjack', game: 'blackjack', noun: 'table' };

  private table!: TableState;
  private configEvent: { type: string; data: unknown } | null = null;
  private lastRoundEnd: RoundSettled | RoundVoided | null = null;
  /** The last shoe's fairness events, written again on recovery (a crash may have come before their facts). */
  private lastShoeFacts: BlackjackEvent[] = [];

  /** The table state and the journal's durability, for tests and operators. */
  snapshot(): { table: TableState; journalSeq: number } {
    return { table: this.table, journalSeq: this.writer.seq };
  }

  // ------------------------------------------------------------------ host hooks

  protected roomIdOf(options: BlackjackCreateOptions) {
    return options.tableId;
  }

  protected holdPrefix() {
    return holdPrefix(this.roomId);
  }

  protected async rebuild(options: BlackjackCreateOptions, resolutions: HoldResolutions): Promise<number> {
    const { config, log } = this.svc;
    const wanted = blackjackConfig({ bettingWindowMs: config.blackjackBettingWindowMs, decisionMs: config.blackjackDecisionMs, pauseMs: config.blackjackPauseMs });
    const loaded = await loadTable(this.svc.store, options.tableId, wanted, log, (e) => {
      if (e.type === 'RoundSettled' || e.type === 'RoundVoided') this.lastRoundEnd = e;
      if (e.type === 'ShoeOpened') this.lastShoeFacts = [e];
      else if (e.type === 'ShoeShuffled' || e.type === 'ShoeFinished') this.lastShoeFacts.push(e);
      for (const [hold, ops] of resolvingOps(options.tableId, e)) resolutions.record(hold, ops);
    });
    this.table = loaded.state;
    this.configEvent = loaded.configEvent;
    return loaded.lastSeq;
  }

  protected async start(_options: BlackjackCreateOptions, resolutions: HoldResolutions): Promise<void> {
    const { config } = this.svc;
    this.patchRate = config.roulettePatchMs;
    if (this.configEvent) await this.writer.append([this.configEvent]);
    await this.recover(resolutions);
    this.state.tableId = this.table.tableId;
    this.state.currency = config.currency;
    projectTable(this.state, this.table, null);
    const c = this.table.config;
    await this.setMetadata({
      tableId: this.table.tableId, game: 'blackjack', minBetMinor: c.minBetMinor, maxBetMinor: c.maxBetMinor, seats: c.seats,
      rules: { decks: c.decks, dealerHitsSoft17: c.dealerHitsSoft17, doubleAfterSplit: c.doubleAfterSplit, maxHands: c.maxHands, resplitAces: c.resplitAces, lateSurrender: c.lateSurrender, insurance: c.insurance, dealerPeek: c.dealerPeek, blackjackPays: '3:2', decisionMs: c.decisionMs },
    });
  }

  protected handlers(): MessageMap<Player> {
    return {
      takeSeat: message(takeSeatSchema, (c: Player, m) => this.seatCommand(c, { type: 'takeSeat', playerId: this.me(c), seat: m.seat, now: this.svc.now() })),
      leaveSeat: message(leaveSeatSchema, (c: Player, m) => this.seatCommand(c, { type: 'leaveSeat', playerId: this.me(c), seat: m.seat, now: this.svc.now() })),
      bet: message(placeBetSchema, (c: Player, m) => this.timedBet(m.stakeMinor, () => this.placeBet(c, m))),
      removeBet: message(removeBetSchema, (c: Player, m) => this.removeBet(c, m.seat)),
      act: message(actSchema, (c: Player, m) => this.funded(c, m.action, (now) => ({ type: 'act', playerId: this.me(c), seat: m.seat, hand: m.hand, action: m.action, now }))),
      insurance: message(insuranceSchema, (c: Player, m) => this.funded(c, 'insurance', (now) => ({ type: 'insurance', playerId: this.me(c), seat: m.seat, take: m.take, now }))),
      clientSeed: message(clientSeedSchema, (c: Player, m) => this.submitSeed(c, m.seed)),
    };
  }

  protected apply(e: BlackjackEvent): void {
    this.table = evolve(this.table, e);
  }

  protected project(events: readonly BlackjackEvent[]): void {
    projectTable(this.state, this.table, events);
  }

  /** Money (released bets, settlements, refunds) then the facts the HTTP API serves (shoes, game recall). */
  protected moneyOf(events: readonly BlackjackEvent[]): (() => Promise<void>) | undefined {
    const money = moneyGroups(this.roomId, events).length > 0;
    const facts = events.some((e) => FACTS.has(e.type));
    if (!money && !facts) return undefined;
    return async () => {
      for (const e of events) if (e.type === 'RoundSettled') payoutMinorTotal.inc({ game: 'blackjack' }, e.totals.payoutMinor);
      const balances = await moveMoney(this.svc.wallet, this.roomId, events, this.walletFence());
      if (facts) await recordFacts(this.svc, this.roomId, events, balances);
    };
  }

  protected afterDurable(events: readonly BlackjackEvent[]): void {
    for (const e of events) {
      if (e.type === 'RoundSettled') e.settlements.forEach((s) => this.markDirty(s.playerId));
      else if (e.type === 'RoundVoided') e.refunds.forEach((r) => this.markDirty(r.playerId));
    }
  }

  protected nextDeadline(): number | null {
    const due = nextDeadline(this.table);
    if (due !== null) return due;
    return this.playersPresent() && this.table.phase === 'idle' ? this.svc.now() : null;
  }

  protected onDeadline(): void {
    this.freeAbsentSeats();
    const decision = decide(this.table, { type: 'tick', now: this.svc.now(), playersPresent: this.playersPresent(), serverSeed: this.svc.randomSeed() });
    if (!decision.ok) {
      this.svc.log.error({ roomId: this.roomId, rejection: decision.rejection }, 'blackjack tick rejected');
      return;
    }
    if (decision.events.length === 0) return;
    void this.commit(decision.events).catch(() => undefined);
    for (const id of this.players.playerIds()) this.markDirty(id);
    this.broadcastPatch();
  }

  protected meView(userId: string): Omit<BlackjackMe, 'wallet'> {
    const t = this.table;
    const round = IN_HAND.has(t.phase) || t.phase === 'settled' ? t.round : null;
    const seats = t.seats.flatMap((owner, seat) => {
      if (owner !== userId) return [];
      const rs = round?.seats.find((s) => s.seat === seat);
      return [{ seat, betMinor: rs?.betMinor ?? 0, stakedMinor: rs?.stakes.reduce((a, k) => a + k.amountMinor, 0) ?? 0, hands: rs?.hands.map((h) => ({ status: h.status, stakeMinor: h.stakeMinor })) ?? [] }];
    });
    const turn = t.phase === 'playing' ? t.round?.turn : null;
    const mine = turn && t.round!.seats.find((s) => s.seat === turn.seat)?.playerId === userId;
    return {
      roundId: t.round?.roundId ?? null,
      phase: t.phase,
      seats,
      myTurn: mine ? { seat: turn.seat, hand: turn.hand, deadline: turn.deadline } : null,
      insurancePending: t.phase === 'insurance' ? t.round!.seats.filter((s) => s.playerId === userId && s.insurance === 'pending').map((s) => s.seat) : [],
    };
  }

  /** No hand in progress: nothing would be interrupted by moving. */
  protected readyToHandOver(): boolean {
    return !IN_HAND.has(this.table.phase);
  }

  /** A player gone for good (left, or the reconnection grace ran out): their bets come back, their hands stand, their seats free up. */
  onLeave(client: Player) {
    super.onLeave(client);
    const userId = client.userData?.userId;
    if (!userId || this.failed || [...this.players.playerIds()].includes(userId)) return;
    const decision = decide(this.table, { type: 'leaveTable', playerId: userId, now: this.svc.now() });
    if (decision.ok && decision.events.length > 0) void this.commit(decision.events).catch(() => undefined);
  }

  /**
   * Between rounds: seats whose owner is not here (a restart rebuilt the table without them, and
   * they never came back) are freed, so a crash cannot leave seats taken for ever.
   */
  private freeAbsentSeats(): void {
    if (IN_HAND.has(this.table.phase)) return;
    const present = new Set(this.players.playerIds());
    const absent = new Set(this.table.seats.filter((owner): owner is string => owner !== null && !present.has(owner)));
    for (const playerId of absent) {
      const decision = decide(this.table, { type: 'leaveTable', playerId, now: this.svc.now() });
      if (decision.ok && decision.events.length > 0) void this.commit(decision.events).catch(() => undefined);
    }
  }

  onBeforePatch(): void {
    super.onBeforePatch();
    if (this.state.players !== this.players.playerCount) this.state.players = this.players.playerCount;
  }

  // ------------------------------------------------------------------ commands

  private me(client: Player): string {
    return client.userData!.userId;
  }

  private playersPresent(): boolean {
    return this.players.playerCount > 0 && !this.handingOver;
  }

  private async seatCommand(client: Player, command: BlackjackCommand & { seat: number }): Promise<SeatReply> {
    if (this.refusesBets()) return fail('table/unavailable', 'this table is closing here; re-join it by its id');
    const decision = decide(this.table, command);
    if (!decision.ok) return { ok: false, error: decision.rejection };
    if (decision.events.length > 0) await this.commit(decision.events);
    this.markDirty(this.me(client));
    return { ok: true, seat: command.seat };
  }

  private async placeBet(client: Player, m: { betId: string; seat: number; stakeMinor: number }): Promise<PlaceBetReply> {
    const playerId = this.me(client);
    const round = this.table.round;
    const placed = round?.seats.find((s) => s.betId === m.betId && s.playerId === playerId && s.seat === m.seat);
    if (placed && this.table.phase === 'betting') return { ok: true, replayed: true, bet: { betId: m.betId, seat: m.seat, stakeMinor: placed.betMinor, roundId: round!.roundId } };
    const reply = await this.placeFunded({
      betId: m.betId,
      decide: (now) => decide(this.table, { type: 'placeBet', playerId, seat: m.seat, betId: m.betId, stakeMinor: m.stakeMinor, now }),
      reserve: reserveOp(this.roomId, { stakeId: m.betId, playerId, amountMinor: m.stakeMinor }),
      release: releaseOp(this.roomId, m.betId),
    });
    if (!reply.ok) return reply;
    this.markDirty(playerId);
    return { ok: true, replayed: false, bet: { betId: m.betId, seat: m.seat, stakeMinor: m.stakeMinor, roundId: this.table.round!.roundId } };
  }

  private async removeBet(client: Player, seat: number): Promise<RemoveBetReply> {
    const decision = decide(this.table, { type: 'removeBet', playerId: this.me(client), seat, now: this.svc.now() });
    if (!decision.ok) return { ok: false, error: decision.rejection };
    await this.commit(decision.events);
    this.markDirty(this.me(client));
    const removed = decision.events.find((e) => e.type === 'BetRemoved');
    return { ok: true, removed: removed?.type === 'BetRemoved' ? removed.betId : '' };
  }

  /**
   * A hand action or an insurance decision. When it puts up a stake (double, split, insurance) the
   * stake is reserved first and the action decided again on the current table; a player who
   * cannot cover it gets the wallet's refusal and the hand goes on as if nothing was asked.
   */
  private async funded(client: Player, action: PlayerAction | 'insurance', command: (now: number) => BlackjackCommand): Promise<ActReply> {
    if (this.refusesBets()) return fail('table/unavailable', 'this table is closing here; re-join it by its id');
    const playerId = this.me(client);
    const pre = decide(this.table, command(this.svc.now()));
    if (!pre.ok) return { ok: false, error: pre.rejection };
    const [stake] = newStakes(pre.events);
    if (!stake) {
      await this.commit(pre.events);
      this.markDirty(playerId);
      this.broadcastPatch(); // the next player's turn goes out now, not at the next patch
      return { ok: true, action, stakeMinor: 0, turn: this.turn() };
    }
    const placed = await this.placeFunded({
      betId: stake.stakeId,
      decide: (now) => sameStake(decide(this.table, command(now)), stake.stakeId),
      reserve: reserveOp(this.roomId, stake),
      release: releaseOp(this.roomId, stake.stakeId),
    });
    if (!placed.ok) return placed;
    this.markDirty(playerId);
    this.broadcastPatch();
    return { ok: true, action, stakeMinor: stake.amountMinor, turn: this.turn() };
  }

  private turn(): { seat: number; hand: number; deadline: number } | null {
    const turn = this.table.phase === 'playing' ? this.table.round?.turn : null;
    return turn ? { ...turn } : null;
  }

  private async submitSeed(client: Player, seed: string): Promise<ClientSeedReply> {
    const decision = decide(this.table, { type: 'submitClientSeed', playerId: this.me(client), seed, now: this.svc.now() });
    if (!decision.ok) return { ok: false, error: decision.rejection };
    await this.commit(decision.events);
    return { ok: true };
  }

  // ------------------------------------------------------------------ recovery

  /**
   * Rebuild: the hand in progress continues (the actor's recovery rule gives pending deadlines the
   * grace), the money of journaled decisions a crash interrupted is completed, stakes reserved for
   * decisions never journaled are released, the last round end's money is moved again (a replay
   * when it was done) and its player records written if a crash came before them.
   */
  private async recover(resolutions: HoldResolutions): Promise<void> {
    const decision = decide(this.table, recoveryCommand(this.svc.now()));
    if (decision.ok && decision.events.length > 0) {
      this.svc.log.info({ roomId: this.roomId, events: decision.events.map((e) => e.type) }, 'blackjack hand continues after a restart');
      await this.commit(decision.events);
    }
    const live = new Set(IN_HAND.has(this.table.phase) ? this.table.round!.seats.flatMap((s) => s.stakes.map((k) => holdId(this.roomId, k.stakeId))) : []);
    const end = this.lastRoundEnd;
    if (end) {
      // The last round end's money again (a replay when done): it answers the balances its records quote.
      const balances = await moveMoney(this.svc.wallet, this.roomId, [end], this.walletFence());
      // Its records only when a crash left them unwritten.
      if (await roundRecordsMissing(this.svc.store, end)) await recordFacts(this.svc, this.roomId, [end], balances);
    }
    await recordFacts(this.svc, this.roomId, this.lastShoeFacts, new Map());
    await this.completeHolds(resolutions, live);
  }
}

/** The second decision of a funded action must put up the stake that was reserved (same id); anything else is refused. */
function sameStake(d: Decision<BlackjackEvent>, stakeId: string): Decision<BlackjackEvent> {
  if (!d.ok) return d;
  const [stake] = newStakes(d.events);
  return stake?.stakeId === stakeId ? d : { ok: false, rejection: { code: 'hand/not_your_turn', message: 'the hand changed while the stake was reserved; nothing was done' } };
}
