/**
 * `crash`: one crash room (multiplier game), an adapter on the room host (rooms/host/GameRoom.ts):
 * the crash actor, its schema projection, its messages and its money. The curve is not ticked: the
 * room keeps one timer at the actor's next deadline (the start, the next auto cash-out or cap, the
 * crash, the next round), clients draw the multiplier from `startsAt`, and cash-outs are decided
 * at the instant the server handles them. Cash-outs are broadcast once per patch (`cashouts`).
 */
import {
  type HashChain, crashConfig, decide, evolve, nextDeadline, recoveryCommand, retriedBet, roundHashNeeded,
  type CashedOut, type CrashBet, type CrashEvent, type CrashTableState, type PlaceBetCommand, type RoundCrashed, type RoundVoided,
} from '../../actors/crash/index.ts';
import {
  CASHOUTS_LISTED, cashOutSchema, crashBetSchema, multiplierToCents, timeSchema,
  type CashOutReply, type CrashBetReply, type CrashBetView, type CrashCashOutsMessage, type CrashMe, type TimeReply,
} from '../../protocol/crash.ts';
import type { RoomAuth } from '../auth.ts';
import type { HoldResolutions } from '../holds.ts';
import { GameRoom, type HostOptions, type Player } from '../host/GameRoom.ts';
import { fail, message, type MessageMap } from '../messages.ts';
import { payoutMinorTotal } from '../../server/metrics.ts';
import { playerRecordsMissing, type PlayerBalances } from '../round-records.ts';
import { holdId, holdPrefix, moveCrashMoney, movesMoney, reserveOp, resolvingOps, settleBets } from './money.ts';
import { CHAIN_SEED, betEndOf, chainOf, endedBets, loadCrash, recordCrashFacts, recordCrashPlayers, type ChainSeedRecord } from './persistence.ts';
import { projectCrash } from './projection.ts';
import { CrashSchema } from './schema.ts';

export interface CrashCreateOptions extends HostOptions {
  tableId: string;
}

export class CrashRoom extends GameRoom<CrashSchema, CrashEvent, CrashCreateOptions> {
  state = new CrashSchema();
  maxClients = 10_000;
  protected readonly identity = { kind: 'crash', game: 'crash', noun: 'table' };

  private table!: CrashTableState;
  private chain: HashChain | null = null;
  private chainSeed: ChainSeedRecord | null = null;
  private configEvent: { type: string; data: unknown } | null = null;
  private startingChain = false;
  /** The last round facts in the journal (opened, crashed or voided): written again at start in case a crash came before them. */
  private lastFacts: CrashEvent[] = [];
  /** The last round end in the journal: its player records are written again at start if a crash came before them. */
  private lastRoundEnd: RoundCrashed | RoundVoided | null = null;
  /** The balances around each settled bet's money group this round, by hold id, until the round's records quote them. */
  private readonly settled = new Map<string, PlayerBalances | null>();
  /** Names of seated players, for the synced list (a bet keeps the name it was placed with). */
  private readonly names = new Map<string, string>();
  /** Cash-outs since the last patch, broadcast as one `cashouts` message. */
  private pendingCashOuts: CashedOut[] = [];
  private watchersWrittenAt = 0;

  /** The table's state and the journal's durability, for tests and operators. */
  snapshot(): { table: CrashTableState; journalSeq: number } {
    return { table: this.table, journalSeq: this.writer.seq };
  }

  // ------------------------------------------------------------------ host hooks

  protected roomIdOf(options: CrashCreateOptions) {
    return options.tableId;
  }

  protected holdPrefix() {
    return holdPrefix(this.roomId);
  }

  protected async rebuild(options: CrashCreateOptions, resolutions: HoldResolutions): Promise<number> {
    const c = this.svc.config.crash;
    const wanted = crashConfig({ bettingWindowMs: c.bettingWindowMs, pauseMs: c.pauseMs, maxPayoutPerBetMinor: c.maxPayoutPerBetMinor, liabilityCapMinor: c.liabilityCapMinor });
    const loaded = await loadCrash(this.svc.store.journal, options.tableId, wanted, this.svc.log, (e) => {
      for (const [hold, ops] of resolvingOps(e)) resolutions.record(hold, ops);
      if (e.type === 'RoundOpened') this.lastFacts = [e];
      else if (e.type === 'RoundCrashed' || e.type === 'RoundVoided') {
        this.lastFacts.push(e);
        this.lastRoundEnd = e;
      }
      else if (e.type === 'ChainStarted') this.lastFacts = []; // they would be recorded with the new chain's terminal hash
    });
    this.table = loaded.state;
    this.configEvent = loaded.configEvent;
    this.chainSeed = loaded.chainSeed;
    return loaded.lastSeq;
  }

  protected async start(_options: CrashCreateOptions, resolutions: HoldResolutions): Promise<void> {
    const { config } = this.svc;
    this.patchRate = config.crash.patchMs;
    if (this.configEvent) await this.writer.append([this.configEvent]);
    if (this.chainSeed && this.table.chain?.chainId === this.chainSeed.chainId) this.chain = chainOf(this.chainSeed);
    await this.recover(resolutions);
    // A new chain when there is none or it is used up (never while a round of the old one is in play).
    if (!this.roundInPlay() && roundHashNeeded(this.table) === null) await this.startChain();
    if (this.table.chain && !this.chain) this.svc.log.error({ roomId: this.roomId }, 'crash chain seed missing from the journal: no round can open');
    this.state.tableId = this.table.tableId;
    this.state.currency = config.currency;
    this.project(null);
    const c = this.table.config;
    await this.setMetadata({
      tableId: this.table.tableId, game: 'crash', minBetMinor: c.minBetMinor, maxBetMinor: c.maxBetMinor,
      maxStakePerPlayerPerRoundMinor: c.maxStakePerPlayerPerRoundMinor, maxPayoutPerBetMinor: c.maxPayoutPerBetMinor,
      liabilityCapMinor: c.liabilityCapMinor, terminalHash: this.table.chain?.terminalHash ?? '',
    });
  }

  protected handlers(): MessageMap<Player> {
    return {
      bet: message(crashBetSchema, (c: Player, m) => this.timedBet(m.stakeMinor, () => this.placeBet(c, m))),
      // Not a bet: decided once no bet is in flight (rooms/host/optimistic.ts).
      cashOut: message(cashOutSchema, (c: Player) => this.exclusive(() => this.cashOut(c))),
      time: message(timeSchema, (): TimeReply => ({ ok: true, serverNow: this.svc.now() })),
    };
  }

  protected apply(e: CrashEvent): void {
    this.table = evolve(this.table, e);
  }

  protected actorState(): CrashTableState {
    return this.table;
  }

  protected restoreActorState(state: unknown): void {
    this.table = state as CrashTableState;
  }

  protected project(events: readonly CrashEvent[] | null): void {
    projectCrash(this.state, this.table, events, { listSize: this.svc.config.crash.playerListSize, nameOf: (id) => this.names.get(id) ?? `player-${id.slice(0, 6)}` });
    for (const e of events ?? []) if (e.type === 'CashedOut') this.pendingCashOuts.push(e);
  }

  /**
   * Money first (write-ahead: after the journal), then the round facts the fairness endpoint serves
   * and, at a round's end, its players' records (game recall) quoting their settlements' balances.
   */
  protected moneyOf(events: readonly CrashEvent[]): (() => Promise<void>) | undefined {
    const money = movesMoney(events);
    const facts = events.some((e) => e.type === 'RoundOpened' || e.type === 'RoundCrashed' || e.type === 'RoundVoided');
    if (!money && !facts) return undefined;
    const chain = this.table.chain; // decided on this chain (a new chain starts only between rounds, alone)
    const end = events.find((e): e is RoundCrashed | RoundVoided => e.type === 'RoundCrashed' || e.type === 'RoundVoided');
    // The state before these events: the ended round's bets with this decision's cash-outs applied.
    const ended = end && this.table.round?.roundId === end.roundId ? endedBets(this.table.round, events) : null;
    return async () => {
      if (money) for (const [hold, b] of await moveCrashMoney(this.svc.wallet, events, this.walletFence())) this.settled.set(hold, b);
      if (facts && chain) await recordCrashFacts(this.svc.store.games, this.table.tableId, chain, events);
      if (end && ended) await this.recordPlayers(end, ended);
    };
  }

  protected afterDurable(events: readonly CrashEvent[]): void {
    for (const e of events) {
      if (e.type === 'CashedOut') {
        e.cashOuts.forEach((c) => this.markDirty(c.playerId));
        payoutMinorTotal.inc({ game: 'crash' }, e.cashOuts.reduce((s, c) => s + c.payoutMinor, 0));
      } else if (e.type === 'RoundCrashed') e.lost.forEach((l) => this.markDirty(l.playerId));
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
    if (!roundHashNeeded(this.table) && !this.roundInPlay()) {
      void this.startChain().then(() => this.schedule(), (err) => this.fail(err));
      return;
    }
    const decision = decide(this.table, { type: 'tick', now: this.svc.now(), playersPresent: this.playersPresent(), roundHash: this.nextRoundHash() });
    if (!decision.ok) {
      this.svc.log.error({ roomId: this.roomId, rejection: decision.rejection }, 'crash tick rejected');
      return;
    }
    if (decision.events.length === 0) return;
    void this.commit(decision.events).catch(() => undefined);
    if (decision.events.some((e) => e.type === 'RoundOpened')) for (const id of this.players.playerIds()) this.markDirty(id);
    // A phase change (start, crash) goes out now, not at the next patch.
    if (decision.events.some((e) => e.type !== 'CashedOut')) this.broadcastPatch();
  }

  protected meView(userId: string): Omit<CrashMe, 'wallet'> {
    const round = this.table.round;
    const bet = round?.bets.find((b) => b.playerId === userId);
    return { roundId: round?.roundId ?? null, phase: this.table.phase, bet: bet && round ? betView(round.roundId, bet) : null };
  }

  /** No round in play: nothing of this room is at stake here. */
  protected readyToHandOver(): boolean {
    return !this.roundInPlay();
  }

  private roundInPlay(): boolean {
    return this.table.phase === 'betting' || this.table.phase === 'running';
  }

  onJoin(client: Player, options: unknown, auth: RoomAuth) {
    this.names.set(auth.userId, auth.username);
    super.onJoin(client, options, auth);
  }

  onLeave(client: Player) {
    super.onLeave(client);
    const id = client.userData?.userId;
    if (id && !new Set(this.players.playerIds()).has(id)) this.names.delete(id);
  }

  /** Before each patch: the coalesced private views, the cash-outs since the last patch, the watcher count (at most once a second). */
  onBeforePatch(): void {
    super.onBeforePatch();
    if (this.pendingCashOuts.length > 0) {
      const roundId = this.pendingCashOuts[0]!.roundId;
      const items = this.pendingCashOuts.flatMap((e) => e.cashOuts.map((c) => ({ name: this.names.get(c.playerId) ?? `player-${c.playerId.slice(0, 6)}`, multiplierCents: e.multiplierCents, payoutMinor: c.payoutMinor, reason: e.reason })));
      this.pendingCashOuts = [];
      items.sort((a, b) => b.payoutMinor - a.payoutMinor);
      const msg: CrashCashOutsMessage = { roundId, items: items.slice(0, CASHOUTS_LISTED), total: items.length };
      this.broadcast('cashouts', msg);
    }
    const now = this.svc.now();
    if (this.state.watchers !== this.players.playerCount && now - this.watchersWrittenAt >= 1000) {
      this.state.watchers = this.players.playerCount;
      this.watchersWrittenAt = now;
    }
  }

  // ------------------------------------------------------------------ commands

  private async placeBet(client: Player, msg: { betId: string; stakeMinor: number; autoCashOut?: number | null }): Promise<CrashBetReply> {
    const playerId = client.userData!.userId;
    const auto = msg.autoCashOut === undefined || msg.autoCashOut === null ? null : multiplierToCents(msg.autoCashOut);
    if (auto === null && msg.autoCashOut !== undefined && msg.autoCashOut !== null) {
      return fail('bet/invalid_auto_cashout', 'auto cash-out must be a multiplier with at most two decimals (e.g. 2.5)');
    }
    const command = (now: number): PlaceBetCommand => ({ type: 'placeBet', betId: msg.betId, playerId, stakeMinor: msg.stakeMinor, autoCashOutCents: auto, now });
    const round = this.table.round;
    // A bet still in flight is in the state already but not durable: its retry is a duplicate (host), not a replay.
    const existing = this.placing(msg.betId) ? null : retriedBet(this.table, command(this.svc.now()));
    if (existing && round) return { ok: true, replayed: true, bet: betView(round.roundId, existing) };
    if (!round || this.table.phase !== 'betting') return fail('bet/betting_closed', 'no round is taking bets');
    // One durable write: the BetPlaced record and the stake's hold together (host placeDurable).
    const placed = await this.placeDurable({
      betId: msg.betId,
      decide: (now) => decide(this.table, command(now)),
      reserve: reserveOp(round.roundId, { betId: msg.betId, playerId, stakeMinor: msg.stakeMinor }),
    });
    if (!placed.ok) return placed;
    this.markDirty(playerId);
    const bet = this.table.round!.bets.find((b) => b.betId === msg.betId)!;
    return { ok: true, replayed: false, bet: betView(round.roundId, bet) };
  }

  /** Decided at the instant it is handled; answered once journaled and paid. */
  private async cashOut(client: Player): Promise<CashOutReply> {
    if (this.failed) return fail('table/unavailable', 'this table is closing here; re-join it by its id');
    const playerId = client.userData!.userId;
    const decision = decide(this.table, { type: 'cashOut', playerId, now: this.svc.now() });
    if (!decision.ok) return { ok: false, error: decision.rejection };
    await this.commit(decision.events);
    const mine = decision.events.find((e): e is CashedOut => e.type === 'CashedOut' && e.cashOuts.some((c) => c.playerId === playerId));
    if (!mine) return fail('cashout/crashed', 'the round crashed before the cash-out');
    const c = mine.cashOuts.find((x) => x.playerId === playerId)!;
    return { ok: true, roundId: mine.roundId, multiplierCents: mine.multiplierCents, payoutMinor: c.payoutMinor, reason: mine.reason, elapsedMs: mine.elapsedMs };
  }

  // ------------------------------------------------------------------ chain, money and recovery

  private playersPresent(): boolean {
    return this.players.playerCount > 0 && !this.handingOver;
  }

  /**
   * The ended round's player records, quoting each bet's settlement balances: a cash-out's from its
   * own money step (kept since), else from a replay of its group (same keys: the ledger answers the
   * transfers it wrote then), as after a restart.
   */
  private async recordPlayers(end: RoundCrashed | RoundVoided, bets: readonly CrashBet[]): Promise<void> {
    const missing = bets.filter((b) => !this.settled.has(holdId(end.roundId, b.betId))).map((b) => ({ b: betEndOf(end, b), bulk: true }));
    if (missing.length > 0) for (const [hold, b] of await settleBets(this.svc.wallet, missing, this.walletFence())) this.settled.set(hold, b);
    await recordCrashPlayers(this.svc, this.table.tableId, end, bets, this.settled);
    this.settled.clear(); // a round's end is its last money: nothing of it is kept
  }

  /** The next round's chain element when a round may open now, else null (no hashing on other ticks). */
  private nextRoundHash(): string | null {
    const phase = this.table.phase;
    const due = phase === 'idle' || ((phase === 'crashed' || phase === 'voided') && (this.table.nextOpenAt ?? Infinity) <= this.svc.now());
    const position = roundHashNeeded(this.table);
    return due && position && this.chain ? this.chain.roundHash(position.chainIndex) : null;
  }

  /** A new hash chain from a fresh secret seed: the seed is journaled first (secret), then the terminal hash published. */
  private async startChain(): Promise<void> {
    if (this.startingChain) return;
    this.startingChain = true;
    try {
      const c = this.svc.config.crash;
      const record: ChainSeedRecord = { chainId: (this.table.chain?.chainId ?? 0) + 1, seed: this.svc.randomSeed(), length: c.chainLength };
      const chain = chainOf(record);
      const decision = decide(this.table, { type: 'startChain', terminalHash: chain.terminalHash, length: record.length, salt: c.salt, now: this.svc.now() });
      if (!decision.ok) throw new Error(`crash ${this.roomId}: cannot start a chain: ${decision.rejection.code}`);
      await this.writer.append([{ type: CHAIN_SEED, data: record }]);
      this.chain = chain;
      this.chainSeed = record;
      await this.commit(decision.events);
      this.svc.log.info({ roomId: this.roomId, chainId: record.chainId, length: record.length, terminalHash: chain.terminalHash }, 'crash hash chain published');
    } finally {
      this.startingChain = false;
    }
  }

  /**
   * Rebuild: finishes an interrupted round by the actor's rule (void while betting; bring a running
   * round to now), completes the money of journaled decisions a crash interrupted (same keys),
   * releases stakes of bets never journaled, and writes the last round's facts again.
   */
  private async recover(resolutions: HoldResolutions): Promise<void> {
    const decision = decide(this.table, recoveryCommand(this.svc.now()));
    if (decision.ok && decision.events.length > 0) {
      this.svc.log.info({ roomId: this.roomId, events: decision.events.map((e) => e.type) }, 'finishing interrupted crash round');
      await this.commit(decision.events);
    }
    const round = this.table.round;
    const live = new Set(
      round && this.roundInPlay() ? round.bets.filter((b) => b.cashedOutCents === null).map((b) => holdId(round.roundId, b.betId)) : [],
    );
    await this.completeHolds(resolutions, live);
    // The last ended round's player records, should the crash have come between its money and them
    // (a later round's step would have waited for them; a round the recovery just ended wrote them).
    // Its last bet's record is written last (records go in bet order, 5,000 per store call).
    const end = this.lastRoundEnd;
    if (end && round?.roundId === end.roundId && (await playerRecordsMissing(this.svc.store, end.roundId, round.bets.at(-1)?.playerId))) await this.recordPlayers(end, round.bets);
    // Idempotent upserts: the fairness record of the last round, should the crash have come between
    // its journal and its facts (a round the recovery just ended was recorded by that commit).
    const last = this.lastFacts.at(-1);
    const facts = this.roundInPlay() ? this.lastFacts.slice(0, 1) : last && last.type !== 'RoundOpened' ? [last] : [];
    if (this.table.chain && facts.length > 0) await recordCrashFacts(this.svc.store.games, this.table.tableId, this.table.chain, facts);
  }
}

function betView(roundId: string, b: CrashBet): CrashBetView {
  return { betId: b.betId, roundId, stakeMinor: b.stakeMinor, autoCashOutCents: b.autoCashOutCents, capCents: b.capCents, cashedOutCents: b.cashedOutCents, payoutMinor: b.payoutMinor, reason: b.reason };
}
