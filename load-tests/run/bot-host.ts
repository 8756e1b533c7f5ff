/**
 * Runs one process's share of the bots: starts each at its place in the ramp, reports what was
 * measured every second, and stops them at the end (or when told to).
 */
import { NO_ACK_LOG, openAckLog } from '../check/ack-log.ts';
import { seededRng } from '../bots/random.ts';
import { createBot } from '../bots/registry.ts';
import { leaveObservers } from '../bots/table-observers.ts';
import { sleep, type BotContext } from '../bots/context.ts';
import { Recorder } from '../metrics/recorder.ts';
import { rateAt } from '../scenarios/types.ts';
import type { FromWorker, WorkerPlan } from './plan.ts';

export const REPORT_EVERY_MS = 1000;

export class BotHost {
  readonly recorder = new Recorder();
  private endAt: number;
  private rateOverride: number | null = null;

  constructor(
    private readonly plan: WorkerPlan,
    private readonly emit: (msg: FromWorker) => void,
  ) {
    this.endAt = plan.endAt;
  }

  setRate(multiplier: number): void {
    this.rateOverride = multiplier;
  }

  stop(): void {
    this.endAt = Math.min(this.endAt, Date.now());
  }

  async run(): Promise<void> {
    const { plan, recorder } = this;
    const ackLog = plan.ackLogPath ? openAckLog(plan.ackLogPath) : NO_ACK_LOG;
    const ctx: BotContext = {
      httpUrl: plan.httpUrl,
      recorder,
      ackLog,
      tables: plan.tables,
      events: plan.events,
      runTag: plan.runTag,
      endAt: () => this.endAt,
      rateMultiplier: () => this.rateOverride ?? rateAt(plan.rateProfile, (Date.now() - plan.startAt) / Math.max(1, plan.endAt - plan.startAt)),
    };
    const report = setInterval(() => this.emit({ type: 'interval', worker: plan.worker, stats: recorder.takeInterval() }), REPORT_EVERY_MS);
    try {
      await Promise.all(
        plan.seats.map(async (seat) => {
          const g = plan.groups[seat.group]!;
          const rampMs = g.rampUpS !== undefined ? g.rampUpS * 1000 : plan.rampUpMs;
          await sleep(plan.startAt + (g.startAtS ?? 0) * 1000 + rampMs * seat.pos - Date.now());
          if (Date.now() >= this.endAt) return;
          const rng = seededRng(plan.seed * 1_000_003 + seat.index);
          try {
            await createBot(plan.groups[seat.group]!, ctx, { index: seat.index, rank: seat.rank, account: plan.accounts[seat.account]!, rng }).run();
          } catch (e) {
            recorder.code('client/bot_crashed');
            if (process.env.LOAD_DEBUG) process.stderr.write(`bot ${seat.index} crashed: ${(e as Error).stack}\n`);
          }
        }),
      );
    } finally {
      await leaveObservers();
      clearInterval(report);
      this.emit({ type: 'interval', worker: plan.worker, stats: recorder.takeInterval() });
      await ackLog.close();
      this.emit({ type: 'done', worker: plan.worker });
    }
  }
}
