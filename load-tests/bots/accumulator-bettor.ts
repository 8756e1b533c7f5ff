/**
 * A bettor of multiples (HTTP `POST /slips`, docs/API.md "Slips"): accumulators, system bets and bet
 * builder legs over the live events the runner found, at a Poisson rate. Prices are taken as they
 * come (`acceptance: any`), so what is measured is the saga, not the player's luck with price moves.
 * Every accepted slip goes to the ack log for the books check.
 */
import type { PlaceSlipRequest } from '../../protocol/slips.ts';
import { HTTP_TIMEOUT_MS, errorCode, sleep, type BotContext, type BotSeat } from './context.ts';
import { exponentialMs, pick } from './random.ts';

export interface AccumulatorBettorConfig {
  kind: 'market-accumulator';
  count: number;
  slipsPerSecond: number;
  /** Legs of an accumulator, inclusive (capped by the events available and 20). */
  minLegs?: number;
  maxLegs?: number;
  /** Share of slips that are system bets (Trixie, Yankee, Lucky 15, doubles) and of legs that are bet builders. */
  systemShare?: number;
  builderShare?: number;
}

const SINGLES = [['1x2', 'home'], ['1x2', 'draw'], ['1x2', 'away'], ['ou_2.5', 'over'], ['ou_2.5', 'under'], ['btts', 'yes'], ['btts', 'no']] as const;
const BUILDERS = [
  [['1x2', 'home'], ['home_scores', 'yes']],
  [['ou_2.5', 'over'], ['btts', 'yes']],
  [['1x2', 'away'], ['away_scores', 'yes'], ['ou_1.5', 'over']],
] as const;
const SYSTEMS = [['trixie', 3], ['yankee', 4], ['lucky15', 4], ['doubles', 3]] as const;

export class AccumulatorBettor {
  private n = 0;

  constructor(private readonly cfg: AccumulatorBettorConfig, private readonly ctx: BotContext, private readonly seat: BotSeat) {}

  async run(): Promise<void> {
    const { ctx, seat } = this;
    if (ctx.events.length < 2) {
      ctx.recorder.code('client/no_event');
      return;
    }
    while (Date.now() < ctx.endAt()) {
      await sleep(Math.min(exponentialMs(seat.rng, this.cfg.slipsPerSecond * ctx.rateMultiplier()), ctx.endAt() - Date.now()));
      if (Date.now() >= ctx.endAt()) break;
      await this.placeOne();
    }
  }

  private slip(): PlaceSlipRequest {
    const { rng } = this.seat;
    const system = rng() < (this.cfg.systemShare ?? 0.2) ? pick(rng, SYSTEMS) : null;
    const max = Math.min(20, this.ctx.events.length, this.cfg.maxLegs ?? 6);
    const min = Math.min(max, Math.max(2, this.cfg.minLegs ?? 2));
    const count = system ? Math.min(system[1], this.ctx.events.length) : min + Math.floor(rng() * (max - min + 1));
    const events = [...this.ctx.events].sort(() => rng() - 0.5).slice(0, count);
    const legs = events.map((eventId) => {
      const builder = rng() < (this.cfg.builderShare ?? 0.2);
      const selections = builder ? pick(rng, BUILDERS).map(([marketId, selectionId]) => ({ marketId, selectionId })) : [pick(rng, SINGLES)].map(([marketId, selectionId]) => ({ marketId, selectionId }));
      return { eventId, selections, priceMilli: 1010, acceptance: 'any' as const };
    });
    const type = system && legs.length === system[1] ? system[0] : 'accumulator';
    return { slipId: `${this.ctx.runTag}-s${this.seat.index}-${this.n++}`, type, stakePerLineMinor: 10 + Math.floor(rng() * 90), acceptance: 'any', legs };
  }

  private async placeOne(): Promise<void> {
    const { ctx, seat } = this;
    const body = this.slip();
    ctx.recorder.count('betsSent');
    const t0 = performance.now();
    try {
      const res = await fetch(`${ctx.httpUrl}/slips`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${seat.account.token}` }, body: JSON.stringify(body),
        // The reply waits out the in-play delay (the longest among the legs).
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS + 60_000),
      });
      const reply = (await res.json()) as { slip?: { totalStakeMinor: number }; error?: { code: string } };
      ctx.recorder.latency('slipAck', performance.now() - t0);
      if (res.status === 201 || res.status === 200) {
        ctx.recorder.count('betsAcked');
        ctx.ackLog.slip({ slipId: body.slipId, userId: seat.account.userId, stakeMinor: reply.slip!.totalStakeMinor });
      } else {
        ctx.recorder.count('betsRejected');
        ctx.recorder.code(reply.error?.code ?? `http/${res.status}`);
      }
    } catch (e) {
      ctx.recorder.count('requestErrors');
      ctx.recorder.code(errorCode(e));
    }
  }
}
