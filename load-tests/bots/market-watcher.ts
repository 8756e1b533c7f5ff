/**
 * A viewer of a live event (`market` room, docs/PROTOCOL.md): joins an event and stays. A decoding
 * viewer measures price change → receipt: every patch that carries a new `pricedAt` (the server
 * time of the price change) is a price broadcast, received `now − pricedAt` after the change.
 * Non-decoding viewers are the cheap audience; a share of decoding ones samples the latency.
 */
import { EventSchema } from '../../rooms/market/schema.ts';
import { LeanClient, countFrame } from './lean-client.ts';
import { between } from './random.ts';
import { errorCode, sleep, type BotContext, type BotSeat } from './context.ts';

export interface MarketWatcherConfig {
  kind: 'market-watcher';
  count: number;
  /** Decode the event state and measure price receipt (default true). */
  decode?: boolean;
}

export class MarketWatcher {
  private lastPricedAt = 0;

  constructor(private readonly cfg: MarketWatcherConfig, private readonly ctx: BotContext, private readonly seat: BotSeat) {}

  async run(): Promise<void> {
    const { ctx, seat } = this;
    if (ctx.events.length === 0) {
      ctx.recorder.code('client/no_event');
      return;
    }
    let client: LeanClient | null = null;
    while (!client && Date.now() < ctx.endAt()) {
      const c: LeanClient = new LeanClient({
        httpUrl: ctx.httpUrl, token: seat.account.token, stateClass: this.cfg.decode === false ? undefined : EventSchema,
        onState: this.cfg.decode === false ? undefined : (at) => this.onState(c, at),
        onFrame: (f) => countFrame(ctx.recorder, f),
        onClose: (code) => {
          ctx.recorder.connections--;
          ctx.recorder.code(`client/connection_lost_${code}`);
        },
      });
      const t0 = performance.now();
      try {
        await c.joinById(ctx.events[seat.rank % ctx.events.length]!);
        ctx.recorder.latency('join', performance.now() - t0);
        ctx.recorder.count('joins');
        ctx.recorder.connections++;
        client = c;
      } catch (e) {
        ctx.recorder.count('joinFailures');
        ctx.recorder.code(errorCode(e));
        await sleep(between(seat.rng, 1000, 3000));
      }
    }
    while (client?.isOpen && Date.now() < ctx.endAt()) await sleep(Math.min(1000, ctx.endAt() - Date.now()));
    if (client?.isOpen) {
      ctx.recorder.connections--;
      ctx.recorder.count('leaves');
      await client.leave();
    }
  }

  private onState(client: LeanClient, at: number): void {
    const pricedAt = (client.state as EventSchema | null)?.pricedAt ?? 0;
    if (this.lastPricedAt > 0 && pricedAt > this.lastPricedAt) this.ctx.recorder.latency('priceReceipt', at - pricedAt);
    this.lastPricedAt = pricedAt;
  }
}
