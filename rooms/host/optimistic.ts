/**
 * Bets applied before they are durable (the host's `placeDurable`): a bet's events change the
 * actor's state at once, so the next decision sees them, while its record and its stake's hold
 * are written together (a funded append); a refused one is taken back by restoring the state as
 * it was before the oldest bet in flight and applying again everything applied since, except it.
 *
 * Only bets run while bets are in flight. Every other decision (a phase tick that closes betting,
 * a bet removal, a settlement) waits in `exclusive` until no bet is in flight, and bets that
 * arrive meanwhile wait behind it (`admit`), so no decision is ever taken on a bet that may yet
 * be refused, and betting's close cannot be starved by a stream of bets.
 */

export interface ActorHandle<E> {
  /** The actor's state (immutable: evolving makes a new one). */
  get(): unknown;
  set(state: unknown): void;
  apply(event: E): void;
}

interface Applied<E> {
  events: readonly E[];
  undone: boolean;
}

export class OptimisticBets<E> {
  private inFlight = 0;
  private exclusives = 0;
  private base: unknown = null;
  private applied: Applied<E>[] = [];
  private waiters: Array<() => void> = [];

  constructor(private readonly actor: ActorHandle<E>) {}

  /** Bets in flight (applied, not yet durable or refused). */
  get pending(): number {
    return this.inFlight;
  }

  /** Whether a bet must wait (`admit`) before it is decided: an exclusive decision waits for the bets in flight. */
  get blocked(): boolean {
    return this.exclusives > 0;
  }

  /**
   * Resolves when a bet may be decided. Await it only when `blocked`: a bet decided without
   * yielding keeps its place in message order relative to the decisions that follow it.
   */
  async admit(): Promise<void> {
    while (this.exclusives > 0) await this.changed();
  }

  /** Applies a bet's events now; `settle` it once the store decided. */
  begin(events: readonly E[]): Applied<E> {
    if (this.inFlight++ === 0) {
      this.base = this.actor.get();
      this.applied = [];
    }
    const entry = { events, undone: false };
    this.applied.push(entry);
    for (const e of events) this.actor.apply(e);
    return entry;
  }

  /** Events applied outside a bet while bets are in flight (kept when a bet is taken back). */
  record(events: readonly E[]): void {
    if (this.inFlight > 0) this.applied.push({ events, undone: false });
  }

  /** The store decided the bet: kept, or taken back (the state rebuilt without it). */
  settle(entry: Applied<E>, refused: boolean): void {
    if (refused) {
      entry.undone = true;
      this.actor.set(this.base);
      for (const a of this.applied) if (!a.undone) for (const e of a.events) this.actor.apply(e);
    }
    if (--this.inFlight === 0) {
      this.base = null;
      this.applied = [];
    }
    this.wake();
  }

  /** Runs `fn` once no bet is in flight; bets arriving meanwhile wait behind it. */
  async exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.inFlight === 0 && this.exclusives === 0) return fn();
    this.exclusives++;
    try {
      while (this.inFlight > 0) await this.changed();
      return fn();
    } finally {
      this.exclusives--;
      this.wake();
    }
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
