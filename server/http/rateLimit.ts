/**
 * Fixed-window counters keyed by caller (IP, user). Bounded: at most `maxKeys` keys are tracked;
 * when full, expired windows are swept and, failing that, the oldest key is dropped.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { resetAt: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one hit; returns false when the key is over its limit for this window. */
  hit(key: string): boolean {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      if (!w && this.windows.size >= this.maxKeys) this.evict(now);
      w = { resetAt: now + this.windowMs, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.limit;
  }

  private evict(now: number): void {
    for (const [k, w] of this.windows) if (now >= w.resetAt) this.windows.delete(k);
    if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
  }
}
