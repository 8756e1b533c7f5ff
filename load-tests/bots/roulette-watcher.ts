/**
 * A spectator at a roulette table: joins, stays connected, receives every state patch, and now
 * and then loses its connection and reconnects. Lean watchers that skip decoding are how one bot
 * process holds thousands of connections; decoding watchers also measure broadcast latency.
 */
import { between } from './random.ts';
import { PhaseWatch } from './phase-watch.ts';
import { joinTable, type ClientKind, type TableLink } from './table-link.ts';
import { dropAndReconnect } from './reconnect.ts';
import { errorCode, sleep, type BotContext, type BotSeat } from './context.ts';

export interface RouletteWatcherConfig {
  kind: 'roulette-watcher';
  client: ClientKind;
  count: number;
  /** Lean watchers: decode the state (needed for broadcast latency). SDK watchers always decode. */
  decode?: boolean;
  dropsPerMinute?: number;
  /** Seat spectators table by table, this many to a table, from table `firstTable` on (default: round-robin). */
  fillTablesOf?: number;
  firstTable?: number;
}

export class RouletteWatcher {
  private link: TableLink | null = null;
  private readonly watch: PhaseWatch;

  constructor(
    private readonly cfg: RouletteWatcherConfig,
    private readonly ctx: BotContext,
    private readonly seat: BotSeat,
  ) {
    this.watch = new PhaseWatch(ctx.recorder);
  }

  async run(): Promise<void> {
    const { ctx, seat } = this;
    const decode = this.cfg.client === 'sdk' || this.cfg.decode === true;
    while (Date.now() < ctx.endAt()) {
      if (!this.link) {
        const t0 = performance.now();
        try {
          this.link = await joinTable({
            httpUrl: ctx.httpUrl, token: seat.account.token, tableId: this.tableId(),
            client: this.cfg.client, decode, recorder: ctx.recorder,
            events: { onState: decode ? (l, at) => this.watch.onState(l.table, at) : undefined, onLost: (code) => this.lost(code) },
          });
          ctx.recorder.latency('join', performance.now() - t0);
          ctx.recorder.count('joins');
        } catch (e) {
          ctx.recorder.count('joinFailures');
          ctx.recorder.code(errorCode(e));
          await sleep(between(seat.rng, 1000, 3000));
          continue;
        }
      }
      const rate = this.cfg.dropsPerMinute ?? 0;
      const waitMs = rate > 0 ? (-Math.log(1 - seat.rng()) / rate) * 60_000 : Infinity;
      const until = Math.min(ctx.endAt(), Date.now() + waitMs);
      while (this.link && Date.now() < until) await sleep(Math.min(1000, until - Date.now()));
      if (this.link && Date.now() < ctx.endAt()) await this.dropAndReconnect(this.link);
    }
    const link = this.link;
    this.link = null;
    if (link) {
      await link.leave().catch(() => undefined);
      ctx.recorder.count('leaves');
    }
  }

  private tableId(): string {
    const { tables } = this.ctx;
    const fill = this.cfg.fillTablesOf;
    return tables[(fill ? (this.cfg.firstTable ?? 0) + Math.floor(this.seat.rank / fill) : this.seat.rank) % tables.length]!;
  }

  private lost(code: number): void {
    this.ctx.recorder.code(`client/connection_lost_${code}`);
    this.link = null;
  }

  private async dropAndReconnect(link: TableLink): Promise<void> {
    if (await dropAndReconnect(link, this.seat.rng, this.ctx.recorder)) this.watch.reset();
    else this.link = null; // sit down afresh
  }
}
