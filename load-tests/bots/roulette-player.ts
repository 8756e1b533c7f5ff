/**
 * A roulette player: picks a table in the lobby, sits down, bets while betting is open at its
 * rate (a Poisson process) with the stake and spot distributions of roulette-bets.ts, now and
 * then takes a bet back, loses its connection and reconnects, or leaves and sits at another
 * table; at the end it leaves. Every acknowledged bet goes to the ack log for the books check.
 */
import { Client } from '@colyseus/sdk';
import { DEFAULT_STAKE, randomSpot, randomStake, type StakeModel } from './roulette-bets.ts';
import { between, exponentialMs } from './random.ts';
import { chooseTable, lobbyTables } from './lobby.ts';
import { PhaseWatch } from './phase-watch.ts';
import { joinTable, type ClientKind, type TableLink } from './table-link.ts';
import { dropAndReconnect } from './reconnect.ts';
import { sharedObserver } from './table-observers.ts';
import { errorCode, sleep, type BotContext, type BotSeat } from './context.ts';

export interface RoulettePlayerConfig {
  kind: 'roulette-player';
  client: ClientKind;
  count: number;
  /** Bets per second per bot while betting is open (times the run's rate multiplier). */
  betsPerSecond: number;
  /** Requests a bot keeps in flight at most; a due bet beyond it is skipped (counted as `client/backlogged`). */
  maxInflight?: number;
  /** Bets per round a bot stops at (the table allows 50). */
  maxBetsPerRound?: number;
  stake?: Partial<StakeModel>;
  /** Share of acknowledged bets the player takes back while betting is still open. */
  removeShare?: number;
  /** Connection losses per bot per minute, each followed by a reconnect. */
  dropsPerMinute?: number;
  /** Times per bot per minute the player leaves the table and sits down again through the lobby. */
  leavesPerMinute?: number;
  /** Pick tables in the lobby (SDK bots); otherwise from the runner's table list, spread evenly. */
  useLobby?: boolean;
  /** Lean bots: decode the table state (default); false learns phases from a shared observer (bots/table-observers.ts). */
  decode?: boolean;
}

/** No bet is sent this close to the close of betting (it would arrive late). */
const CLOSE_MARGIN_MS = 150;

export class RoulettePlayer {
  private link: TableLink | null = null;
  private sdk: Client | null = null;
  private readonly watch: PhaseWatch;
  private readonly stake: StakeModel;
  private inflight = 0;
  private roundId = '';
  private betsThisRound = 0;
  private betSeq = 0;
  private sittings = 0;
  private lastChance = Date.now();

  constructor(
    private readonly cfg: RoulettePlayerConfig,
    private readonly ctx: BotContext,
    private readonly seat: BotSeat,
  ) {
    this.watch = new PhaseWatch(ctx.recorder);
    this.stake = { ...DEFAULT_STAKE, ...cfg.stake };
  }

  async run(): Promise<void> {
    const { recorder } = this.ctx;
    while (Date.now() < this.ctx.endAt()) {
      if (!this.link && !(await this.sit())) {
        await sleep(between(this.seat.rng, 500, 1500));
        continue;
      }
      const table = this.link!.table;
      if (!table || table.phase !== 'betting' || Date.now() > table.deadline - CLOSE_MARGIN_MS) {
        await this.link!.nextState(Math.min(1000, Math.max(1, this.ctx.endAt() - Date.now())));
        continue;
      }
      if (table.roundId !== this.roundId) {
        this.roundId = table.roundId;
        this.betsThisRound = 0;
      }
      const rate = this.cfg.betsPerSecond * this.ctx.rateMultiplier();
      if (rate <= 0 || this.betsThisRound >= (this.cfg.maxBetsPerRound ?? 40)) {
        await this.link!.nextState(500);
        continue;
      }
      await sleep(Math.min(exponentialMs(this.seat.rng, rate), table.deadline - Date.now()));
      if (await this.maybeDisrupt()) continue;
      const now = Date.now();
      if (!this.link?.table || this.link.table.phase !== 'betting' || now > this.link.table.deadline - CLOSE_MARGIN_MS || now >= this.ctx.endAt()) continue;
      if (this.inflight >= (this.cfg.maxInflight ?? 2)) {
        recorder.code('client/backlogged');
        continue;
      }
      void this.placeBet(this.link);
    }
    await this.finish();
  }

  private async sit(): Promise<boolean> {
    const { recorder } = this.ctx;
    const t0 = performance.now();
    try {
      let tableId: string;
      if (this.cfg.useLobby ?? this.cfg.client === 'sdk') {
        this.sdk ??= new Client(this.ctx.httpUrl);
        this.sdk.auth.token = this.seat.account.token;
        tableId = chooseTable(this.seat.rng, await lobbyTables(this.sdk));
      } else {
        tableId = this.ctx.tables[(this.seat.rank + this.sittings++) % this.ctx.tables.length]!; // spread evenly
      }
      const shared = this.cfg.client === 'lean' && this.cfg.decode === false;
      const viewFrom = shared ? await sharedObserver(this.ctx.httpUrl, tableId, this.seat.account.token, recorder) : undefined;
      this.link = await joinTable({
        httpUrl: this.ctx.httpUrl, token: this.seat.account.token, tableId, client: this.cfg.client, decode: !shared, viewFrom,
        recorder, sdk: this.sdk ?? undefined,
        events: { onState: shared ? undefined : (l, at) => this.watch.onState(l.table, at), onLost: (code) => this.lost(code) },
      });
      recorder.latency('join', performance.now() - t0);
      recorder.count('joins');
      this.watch.reset();
      return true;
    } catch (e) {
      recorder.count('joinFailures');
      recorder.code(errorCode(e));
      return false;
    }
  }

  private lost(code: number): void {
    this.ctx.recorder.code(`client/connection_lost_${code}`);
    this.link = null;
  }

  private async placeBet(link: TableLink): Promise<void> {
    const { recorder, ackLog } = this.ctx;
    const table = link.table!;
    const betId = `${this.ctx.runTag}-${this.seat.index}-${++this.betSeq}`;
    const stakeMinor = randomStake(this.seat.rng, this.stake, table);
    const msg = { betId, spot: randomSpot(this.seat.rng), stakeMinor };
    this.inflight++;
    this.betsThisRound++;
    recorder.count('betsSent');
    recorder.count('messagesOut');
    const t0 = performance.now();
    try {
      const reply = await link.request('bet', msg);
      if (reply.ok) {
        recorder.latency('betAck', performance.now() - t0);
        recorder.count('betsAcked');
        ackLog.bet({ tableId: link.roomId, betId, userId: this.seat.account.userId, stakeMinor });
        if (this.seat.rng() < (this.cfg.removeShare ?? 0)) void this.removeLater(link, betId);
      } else {
        recorder.count('betsRejected');
        recorder.code(reply.error.code);
      }
    } catch (e) {
      recorder.count('requestErrors');
      recorder.code(errorCode(e));
    } finally {
      this.inflight--;
    }
  }

  private async removeLater(link: TableLink, betId: string): Promise<void> {
    const { recorder, ackLog } = this.ctx;
    await sleep(between(this.seat.rng, 200, 1500));
    const table = link.table;
    if (link !== this.link || !table || table.phase !== 'betting' || Date.now() > table.deadline - CLOSE_MARGIN_MS) return;
    ackLog.removalSent(link.roomId, betId);
    recorder.count('messagesOut');
    const t0 = performance.now();
    try {
      const reply = await link.request('removeBet', { betId });
      if (reply.ok) {
        recorder.latency('removeAck', performance.now() - t0);
        recorder.count('removesAcked');
        ackLog.removed(link.roomId, betId);
      } else {
        recorder.code(reply.error.code);
      }
    } catch (e) {
      recorder.count('requestErrors');
      recorder.code(errorCode(e));
    }
  }

  /** Drops or leaves now and then (probabilities per minute over the time since the last chance). */
  private async maybeDisrupt(): Promise<boolean> {
    const now = Date.now();
    const minutes = (now - this.lastChance) / 60_000;
    this.lastChance = now;
    const { rng } = this.seat;
    if (this.link && rng() < (this.cfg.dropsPerMinute ?? 0) * minutes) {
      await this.dropAndReconnect(this.link);
      return true;
    }
    if (this.link && rng() < (this.cfg.leavesPerMinute ?? 0) * minutes) {
      const link = this.link;
      this.link = null;
      this.ctx.recorder.count('leaves');
      await link.leave().catch(() => undefined);
      await sleep(between(rng, 1000, 3000));
      return true;
    }
    return false;
  }

  private async dropAndReconnect(link: TableLink): Promise<void> {
    if (await dropAndReconnect(link, this.seat.rng, this.ctx.recorder)) this.watch.reset();
    else this.link = null; // sit down afresh
  }

  private async finish(): Promise<void> {
    for (let i = 0; i < 100 && this.inflight > 0; i++) await sleep(100);
    const link = this.link;
    this.link = null;
    if (link) {
      await link.leave().catch(() => undefined);
      this.ctx.recorder.count('leaves');
    }
  }
}
