import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs to stdout; child loggers carry request, room and user ids. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings }, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * Logs a dependency's outages as state changes: one line when it becomes unreachable, one when it
 * is back (with how long and how many failures), and while it stays down at most one reminder per
 * `remindEveryMs`, so an outage of Redis cannot flood the log with a line per failed call.
 */
export class OutageLog {
  private downSince: number | null = null;
  private failures = 0;
  private remindedAt = 0;

  constructor(
    private readonly log: Logger,
    private readonly dependency: string,
    private readonly remindEveryMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  failed(err: unknown, fields: Record<string, unknown> = {}): void {
    const now = this.now();
    this.failures++;
    const error = err instanceof Error ? err.message : String(err);
    if (this.downSince === null) {
      this.downSince = now;
      this.remindedAt = now;
      this.log.warn({ dependency: this.dependency, error, ...fields }, `${this.dependency} unreachable; retrying`);
    } else if (now - this.remindedAt >= this.remindEveryMs) {
      this.remindedAt = now;
      this.log.warn({ dependency: this.dependency, error, downForMs: now - this.downSince, failures: this.failures }, `${this.dependency} still unreachable`);
    }
  }

  ok(): void {
    if (this.downSince === null) return;
    this.log.info({ dependency: this.dependency, downForMs: this.now() - this.downSince, failures: this.failures }, `${this.dependency} reachable again`);
    this.downSince = null;
    this.failures = 0;
  }
}
