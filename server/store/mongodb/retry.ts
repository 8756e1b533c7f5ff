/**
 * Bounded retries for MongoDB work that hits transient failures (write conflicts between
 * transactions, elections, dropped connections). The driver's `withTransaction` already
 * retries a transaction on TransientTransactionError and its commit on
 * UnknownTransactionCommitResult, but for up to 120 s; this policy puts one budget (attempts
 * and total time) over the driver's retries and ours, and backs off with full jitter between
 * our own attempts. Pure: the clock, sleep and randomness are injected.
 */
import { StoreError } from '../types.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included (the driver's retries count too). */
  maxAttempts: number;
  /** Backoff before our second attempt; doubles each time, up to maxDelayMs (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No attempt starts, and no backoff is slept, past this much time since the first attempt. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 20,
  baseDelayMs: 10,
  maxDelayMs: 1_000,
  maxTotalMs: 15_000,
});

/** Fills in defaults and refuses nonsense, so a bad setting fails at start, not under load. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new StoreError('store/invalid_argument', `retry policy ${name} must be a non-negative integer`);
    }
  }
  if (policy.maxAttempts < 1) throw new StoreError('store/invalid_argument', 'retry policy maxAttempts must be at least 1');
  if (policy.maxDelayMs < policy.baseDelayMs) {
    throw new StoreError('store/invalid_argument', 'retry policy maxDelayMs must be at least baseDelayMs');
  }
  return policy;
}

/** The backoff after the `failedAttempt`-th attempt failed (1-based): uniform in [0, cap). */
export function backoffMs(policy: RetryPolicy, failedAttempt: number, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.floor(Math.min(Math.max(random(), 0), 0.999_999) * cap);
}

/** Thrown when an attempt would start with the budget spent; carries the last error seen, if any. */
export class RetryBudgetExhausted extends Error {
  constructor(
    readonly attempts: number,
    readonly elapsedMs: number,
    readonly lastError: unknown,
  ) {
    const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
    super(`gave up after ${attempts} attempts in ${Math.round(elapsedMs)} ms${cause}`);
    this.name = 'RetryBudgetExhausted';
  }
}

/** One operation's allowance, shared by the driver's retries and ours. */
export class RetryBudget {
  private attemptsMade = 0;
  private readonly startedAt: number;
  lastError: unknown = undefined;

  constructor(
    readonly policy: RetryPolicy,
    private readonly clock: () => number,
  ) {
    this.startedAt = clock();
  }

  get attempts(): number {
    return this.attemptsMade;
  }

  elapsedMs(): number {
    return this.clock() - this.startedAt;
  }

  /** Call at the start of every attempt; throws RetryBudgetExhausted when none is left. */
  begin(): void {
    if (this.attemptsMade >= this.policy.maxAttempts || (this.attemptsMade > 0 && this.elapsedMs() >= this.policy.maxTotalMs)) {
      throw new RetryBudgetExhausted(this.attemptsMade, this.elapsedMs(), this.lastError);
    }
    this.attemptsMade++;
  }

  /** How long to wait before another attempt, or null when the budget allows none. */
  nextDelayMs(random: () => number): number | null {
    if (this.attemptsMade >= this.policy.maxAttempts) return null;
    const delay = backoffMs(this.policy, this.attemptsMade, random);
    if (this.elapsedMs() + delay >= this.policy.maxTotalMs) return null;
    return delay;
  }
}

export interface RetryOptions {
  budget: RetryBudget;
  shouldRetry: (error: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told about each retry (for logging and tests). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, fails with an error `shouldRetry` rejects, or the budget is
 * spent (then the last error is thrown as it is). `attempt` must call `budget.begin()` itself
 * (inside a transaction callback it runs once per driver retry as well).
 */
export async function retrying<T>(attempt: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!opts.shouldRetry(error)) throw error;
      opts.budget.lastError = error;
      const delay = opts.budget.nextDelayMs(random);
      if (delay === null) throw error;
      opts.onRetry?.(error, opts.budget.attempts, delay);
      await sleep(delay);
    }
  }
}
