/**
 * The benchmark's reference bots: the same lean client and the same bet payloads, against the
 * bare `ws` echo server (load-tests/bench/echo-server.ts). A bettor's request comes back as it
 * was sent and counts as its acknowledgement; a subscriber receives the echo server's broadcast
 * frames, which carry their send time.
 */
import { LeanClient } from './lean-client.ts';
import { DEFAULT_STAKE, randomSpot, randomStake } from './roulette-bets.ts';
import { exponentialMs } from './random.ts';
import { errorCode, sleep, type BotContext, type BotSeat } from './context.ts';

export interface EchoBettorConfig {
  kind: 'echo-bettor';
  count: number;
  /** Per bot; 0 sends the next request as soon as one is answered (closed loop). */
  betsPerSecond: number;
  maxInflight?: number;
}

export interface EchoSubscriberConfig {
  kind: 'echo-subscriber';
  count: number;
}

/** Broadcast frames of the echo server: [ROOM_STATE_PATCH, float64 LE sentAtMs, padding…]. */
export function echoSentAt(frame: Buffer): number {
  return frame.length >= 9 ? frame.readDoubleLE(1) : NaN;
}

async function connect(ctx: BotContext, client: LeanClient): Promise<boolean> {
  const t0 = performance.now();
  try {
    await client.connectRaw(ctx.httpUrl.replace(/^http/, 'ws'));
    ctx.recorder.latency('join', performance.now() - t0);
    ctx.recorder.count('joins');
    ctx.recorder.connections++;
    return true;
  } catch (e) {
    ctx.recorder.count('joinFailures');
    ctx.recorder.code(errorCode(e));
    return false;
  }
}

export class EchoBettor {
  constructor(private readonly cfg: EchoBettorConfig, private readonly ctx: BotContext, private readonly seat: BotSeat) {}

  async run(): Promise<void> {
    const { ctx, seat, cfg } = this;
    const client = new LeanClient({ httpUrl: ctx.httpUrl, onClose: () => ctx.recorder.connections-- });
    if (!(await connect(ctx, client))) return;
    let seq = 0;
    let inflight = 0;
    const send = async () => {
      const msg = { betId: `${ctx.runTag}-${seat.index}-${++seq}`, spot: randomSpot(seat.rng), stakeMinor: randomStake(seat.rng, DEFAULT_STAKE, { minBetMinor: 10, maxBetMinor: 100_000 }) };
      inflight++;
      ctx.recorder.count('betsSent');
      ctx.recorder.count('messagesOut');
      const t0 = performance.now();
      try {
        await client.request('bet', msg);
        ctx.recorder.latency('betAck', performance.now() - t0);
        ctx.recorder.count('betsAcked');
        ctx.recorder.count('messagesIn');
      } catch (e) {
        ctx.recorder.count('requestErrors');
        ctx.recorder.code(errorCode(e));
      } finally {
        inflight--;
      }
    };
    const max = cfg.maxInflight ?? 2;
    while (Date.now() < ctx.endAt() && client.isOpen) {
      const rate = cfg.betsPerSecond * ctx.rateMultiplier();
      if (cfg.betsPerSecond === 0) {
        const batch: Promise<void>[] = [];
        while (inflight < max) batch.push(send());
        await Promise.race(batch);
        continue;
      }
      await sleep(exponentialMs(seat.rng, Math.max(rate, 0.01)));
      if (inflight >= max) ctx.recorder.code('client/backlogged');
      else void send();
    }
    while (inflight > 0) await sleep(50);
    ctx.recorder.connections--;
    await client.leave();
  }
}

export class EchoSubscriber {
  constructor(_cfg: EchoSubscriberConfig, private readonly ctx: BotContext, _seat: BotSeat) {}

  async run(): Promise<void> {
    const { ctx } = this;
    const client = new LeanClient({
      httpUrl: ctx.httpUrl,
      onState: (_at, frame) => {
        const sent = echoSentAt(frame);
        ctx.recorder.count('messagesIn');
        if (Number.isFinite(sent)) ctx.recorder.latency('broadcast', performance.timeOrigin + performance.now() - sent);
      },
      onClose: () => ctx.recorder.connections--,
    });
    if (!(await connect(ctx, client))) return;
    while (Date.now() < ctx.endAt() && client.isOpen) await sleep(Math.min(1000, ctx.endAt() - Date.now()));
    if (client.isOpen) {
      ctx.recorder.connections--;
      await client.leave();
    }
  }
}
