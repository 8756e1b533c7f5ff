/**
 * Bets applied before they are durable (the host's `placeDurable`): a bet's events change the
 * actor's state at once, so the next decision sees them, while its record and its stake's hold
 * are written together (a funded append); a refused one is taken back by restoring the state as
 * it was just before it and applying again what was applied after it. The bets in flight per room
 * are capped (MAX_IN_FLIGHT), so taking one back costs at most that many re-applications.
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
  /** The state just before these events (immutable states: a reference). */
  before: unknown;
  /** A bet the store has not answered yet. */
  open: boolean;
}

/** Bets in flight per room; more wait (`admit`) until some are durable. */
export const MAX_IN_FLIGHT = 256;

export class OptimisticBets<E> {
  private inFlight = 0;
  private exclusives = 0;
  private applied: Applied<E>[] = [];
  private waiters: Array<() => void> = [];

  constructor(private readonly actor: ActorHandle<E>) {}

  /** Bets in flight (applied, not yet durable or refused). */
  get pending(): number {
    return this.inFlight;
  }

  /** Whether a bet must wait (`admit`) before it is decided: an exclusive decision waits for the bets in flight. */
  get blocked(): boolean {
    return this.exclusives > 0 || this.inFlight >= MAX_IN_FLIGHT;
  }

  /**
   * Resolves when a bet may be decided. Await it only when `blocked`: a bet decided without
   * yielding keeps its place in message order relative to the decisions that follow it.
   */
  async admit(): Promise<void> {
    while (this.blocked) await this.changed();
  }

  /** Applies a bet's events now; `settle` it once the store decided. */
  begin(events: readonly E[]): Applied<E> {
    this.inFlight++;
    const entry = { events, undone: false, before: this.actor.get(), open: true };
    this.applied.push(entry);
    for (const e of events) this.actor.apply(e);
    return entry;
  }

  /** Events applied outside a bet while bets are in flight (kept when a bet is taken back). */
  record(events: readonly E[], before: unknown): void {
    if (this.inFlight > 0) this.applied.push({ events, undone: false, before, open: false });
  }

  /** The store decided the bet: kept, or taken back (the state rebuilt without it). */
  settle(entry: Applied<E>, refused: boolean): void {
    if (refused) {
      entry.undone = true;
      const at = this.applied.indexOf(entry);
      this.actor.set(entry.before);
      for (const a of this.applied.slice(at + 1)) {
        if (a.undone) continue;
        a.before = this.actor.get();
        for (const e of a.events) this.actor.apply(e);
      }
    }
    entry.open = false;
    this.inFlight--;
    // Nothing before the oldest bet in flight can be taken back any more.
    let done = 0;
    while (done < this.applied.length && !this.applied[done]!.open) done++;
    if (done > 0) this.applied.splice(0, done);
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
