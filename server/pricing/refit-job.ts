/**
 * The scheduled refit: every `everyMs` (and at start when the current model is older than that, or
 * is the bundled seed), a refit runs off the event loop, its model is saved as a new versioned file
 * and installed. One refit at a time; a failed one is logged and retried at the next slot. Time and
 * timers are injected, so the schedule is tested without waiting.
 */
import type { PricingModel } from '../../actors/odds/index.ts';

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Longest single wait (timers beyond ~24.8 days overflow; a long wait is re-armed). */
const MAX_WAIT_MS = 24 * 3600_000;

/** When the next refit is due: at once without a fitted model, else `everyMs` after the last one. */
export function nextRefitAt(lastFittedAt: number | null, now: number, everyMs: number): number {
  if (lastFittedAt === null) return now;
  return Math.max(now, lastFittedAt + everyMs);
}

export interface RefitJobOptions {
  everyMs: number;
  now: () => number;
  timers?: Timers;
  /** Fits a model (e.g. in a worker thread). */
  refit: (fittedAt: number) => Promise<PricingModel>;
  /** Saves and installs it. */
  onModel: (model: PricingModel) => void;
  onError: (err: unknown) => void;
  /** fittedAt of the model in use, null for the bundled seed. */
  lastFittedAt: () => number | null;
}

export class RefitJob {
  private handle: unknown = null;
  private running: Promise<PricingModel | null> | null = null;
  private stopped = true;
  private readonly timers: Timers;

  constructor(private readonly opts: RefitJobOptions) {
    if (!(opts.everyMs > 0)) throw new RangeError('RefitJob: everyMs must be positive');
    this.timers = opts.timers ?? REAL_TIMERS;
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== null) this.timers.clear(this.handle);
    this.handle = null;
  }

  /** Refits now (or joins the refit in progress); resolves with the new model, null if it failed. */
  runNow(): Promise<PricingModel | null> {
    this.running ??= (async () => {
      try {
        const model = await this.opts.refit(this.opts.now());
        this.opts.onModel(model);
        return model;
      } catch (err) {
        this.opts.onError(err);
        return null;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.handle !== null) this.timers.clear(this.handle);
    const now = this.opts.now();
    const due = nextRefitAt(this.opts.lastFittedAt(), now, this.opts.everyMs);
    this.handle = this.timers.set(() => {
      this.handle = null;
      if (this.opts.now() < due) return this.arm(); // a long wait, re-armed in steps
      void this.runNow().then((model) => {
        // A failed refit waits a full period rather than retrying in a tight loop.
        if (!model && !this.stopped) {
          this.handle = this.timers.set(() => {
            this.handle = null;
            void this.runNow().then(() => this.arm());
          }, this.opts.everyMs);
          return;
        }
        this.arm();
      });
    }, Math.min(Math.max(0, due - now), MAX_WAIT_MS));
  }
}
