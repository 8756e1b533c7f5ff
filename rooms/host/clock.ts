/**
 * The room host's clock (rooms/host/GameRoom.ts explains the choice of plain timers): one timer
 * at the actor's next deadline, plus one-off `later` timers, all cleared by `stop`. When a
 * deadline comes while bets are in flight (rooms/host/optimistic.ts), its tick is handed to
 * `deferred` and no timer is set again until that tick ran.
 */
export interface ClockHost {
  now(): number;
  /** The actor's next deadline (epoch ms), or null. */
  nextDeadline(): number | null;
  /** Whether the room still runs (not failed or disposed). */
  running(): boolean;
  /** Bets in flight: the tick must wait for them. */
  busy(): boolean;
  /** Runs `fn` once the bets in flight are resolved. */
  deferred(fn: () => void): void;
  /** The deadline came: decide and commit the tick. */
  tick(): void;
}

export class DeadlineClock {
  private timer: NodeJS.Timeout | null = null;
  private due: number | null = null;
  private waiting = false;
  private readonly laterTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly host: ClockHost) {}

  /** Sets the one timer at the next deadline (unchanged deadline: the timer stays). */
  schedule(): void {
    if (!this.host.running() || this.waiting) return;
    const due = this.host.nextDeadline();
    if (this.timer && due === this.due) return;
    this.clear();
    if (due === null) return;
    this.due = due;
    // Capped: a far deadline is re-checked every minute (a clock step cannot strand the room).
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, due - this.host.now()), 60_000));
  }

  /** Runs `fn` once after `ms` unless the clock stops first. */
  later(ms: number, fn: () => void): void {
    const handle = setTimeout(() => {
      this.laterTimers.delete(handle);
      fn();
    }, ms);
    this.laterTimers.add(handle);
  }

  stop(): void {
    this.clear();
    for (const handle of this.laterTimers) clearTimeout(handle);
    this.laterTimers.clear();
  }

  private fire(): void {
    this.timer = null;
    this.due = null;
    if (!this.host.running()) return;
    if (!this.host.busy()) return this.tick();
    this.waiting = true;
    this.host.deferred(() => {
      this.waiting = false;
      if (this.host.running()) this.tick();
    });
  }

  private tick(): void {
    this.host.tick();
    this.schedule();
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due = null;
  }
}
