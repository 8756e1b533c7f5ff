/**
 * A crash player: sits in a crash room found in the lobby, bets in most rounds (a stake, and either
 * an auto cash-out at a random target or a target of its own it cashes out at by hand when its
 * local view of the curve reaches it), and records the cash-out request → confirmation latency.
 * Every acknowledged bet goes to the ack log for the books check.
 */
import { Client, type Room } from '@colyseus/sdk';
import { multiplierCentsAt } from '../../actors/crash/curve.ts';
import type { CrashMessages } from '../../protocol/crash.ts';
import { between, pick } from './random.ts';
import { lobbyRooms } from './lobby.ts';
import { JOIN_TIMEOUT_MS, bounded, errorCode, sleep, type BotContext, type BotSeat } from './context.ts';

export interface CrashPlayerConfig {
  kind: 'crash-player';
  client: 'sdk';
  count: number;
  /** Share of rounds the bot bets in. */
  betShare?: number;
  /** Share of its bets with an auto cash-out (the rest are cashed out by hand). */
  autoShare?: number;
  /** Targets are drawn log-uniformly between these multipliers. */
  minTarget?: number;
  maxTarget?: number;
  /** Stake range in minor units. */
  minStakeMinor?: number;
  maxStakeMinor?: number;
}

interface CrashView {
  phase: string;
  roundId: string;
  startsAt: number;
}

type Reply<K extends keyof CrashMessages> = CrashMessages[K]['reply'];

export class CrashPlayer {
  private room: Room | null = null;
  private betSeq = 0;

  constructor(
    private readonly cfg: CrashPlayerConfig,
    private readonly ctx: BotContext,
    private readonly seat: BotSeat,
  ) {}

  async run(): Promise<void> {
    let lastRound = '';
    while (Date.now() < this.ctx.endAt()) {
      if (!this.room && !(await this.sit())) {
        await sleep(between(this.seat.rng, 500, 1500));
        continue;
      }
      const s = this.room!.state as unknown as CrashView | undefined;
      if (s?.phase !== 'betting' || s.roundId === lastRound || Date.now() > s.startsAt - 200) {
        await sleep(100);
        continue;
      }
      lastRound = s.roundId;
      if (this.seat.rng() < (this.cfg.betShare ?? 0.8)) await this.playRound(this.room!, s.roundId);
    }
    await this.room?.leave().catch(() => undefined);
  }

  private async sit(): Promise<boolean> {
    const { recorder } = this.ctx;
    const t0 = performance.now();
    try {
      const sdk = new Client(this.ctx.httpUrl);
      sdk.auth.token = this.seat.account.token;
      const rooms = await lobbyRooms(sdk, 'crash');
      if (rooms.length === 0) throw Object.assign(new Error('no crash room with a free seat'), { code: 'lobby/no_crash_room' });
      const room = await bounded(sdk.joinById(pick(this.seat.rng, rooms).roomId), JOIN_TIMEOUT_MS, 'crash join');
      room.onMessage('*', () => recorder.count('messagesIn'));
      room.onLeave(() => {
        if (this.room === room) this.room = null;
      });
      this.room = room;
      recorder.latency('join', performance.now() - t0);
      recorder.count('joins');
      return true;
    } catch (e) {
      recorder.count('joinFailures');
      recorder.code(errorCode(e));
      return false;
    }
  }

  private async request<K extends keyof CrashMessages>(room: Room, type: K, payload: CrashMessages[K]['request']): Promise<Reply<K>> {
    this.ctx.recorder.count('messagesOut');
    return (await bounded(room.request(type, payload), 10_000, `crash ${type}`)) as Reply<K>;
  }

  private async playRound(room: Room, roundId: string): Promise<void> {
    const { recorder, ackLog } = this.ctx;
    const { rng } = this.seat;
    const lo = Math.log(this.cfg.minTarget ?? 1.1);
    const hi = Math.log(this.cfg.maxTarget ?? 5);
    const targetCents = Math.max(101, Math.round(Math.exp(between(rng, lo, hi)) * 100));
    const auto = rng() < (this.cfg.autoShare ?? 0.5);
    const stakeMinor = Math.round(between(rng, this.cfg.minStakeMinor ?? 10, this.cfg.maxStakeMinor ?? 500));
    const betId = `${this.ctx.runTag}-${this.seat.index}-${++this.betSeq}`;
    recorder.count('betsSent');
    const t0 = performance.now();
    try {
      const reply = await this.request(room, 'bet', { betId, stakeMinor, autoCashOut: auto ? targetCents / 100 : null });
      if (!reply.ok) {
        recorder.count('betsRejected');
        recorder.code(reply.error.code);
        return;
      }
      recorder.latency('betAck', performance.now() - t0);
      recorder.count('betsAcked');
      ackLog.bet({ tableId: room.roomId, betId, userId: this.seat.account.userId, stakeMinor });
      if (!auto) await this.cashOutAt(room, roundId, targetCents);
    } catch (e) {
      recorder.count('requestErrors');
      recorder.code(errorCode(e));
    }
  }

  /** Waits for its own target on its local view of the curve (or the crash), then asks to cash out. */
  private async cashOutAt(room: Room, roundId: string, targetCents: number): Promise<void> {
    const { recorder } = this.ctx;
    for (;;) {
      const s = room.state as unknown as CrashView | undefined;
      if (!s || s.roundId !== roundId || s.phase === 'crashed' || s.phase === 'voided' || this.room !== room || Date.now() > this.ctx.endAt()) return;
      if (s.phase === 'running' && multiplierCentsAt(Date.now() - s.startsAt) >= targetCents) break;
      await sleep(20);
    }
    const t0 = performance.now();
    const reply = await this.request(room, 'cashOut', {});
    if (reply.ok) recorder.latency('cashOutAck', performance.now() - t0);
    else recorder.code(reply.error.code);
  }
}
