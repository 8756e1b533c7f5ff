/**
 * Colyseus' own log lines, into the server's log. Colyseus prints a full stack trace at error
 * level for every frame it cannot decode, which any client can send at will: each line here is
 * cut to its first line, logged at warn, and at most BURST of them per WINDOW_MS go out (the
 * rest are counted and reported with the next line), so no client can flood the log.
 */
import type { Logger } from './logger.ts';

const WINDOW_MS = 10_000;
const BURST = 20;

export function frameworkLogger(log: Logger, now: () => number = Date.now) {
  const child = log.child({ component: 'colyseus' });
  let windowStart = 0;
  let inWindow = 0;
  let suppressed = 0;
  const line = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ').split('\n')[0]!.slice(0, 500);
  const limited = (level: 'warn' | 'info', args: unknown[]) => {
    const t = now();
    if (t - windowStart >= WINDOW_MS) {
      windowStart = t;
      inWindow = 0;
    }
    if (++inWindow > BURST) return void suppressed++;
    child[level](suppressed > 0 ? { suppressed } : {}, line(args));
    suppressed = 0;
  };
  return {
    debug: (...args: unknown[]) => child.debug(line(args)),
    trace: (...args: unknown[]) => child.trace(line(args)),
    info: (...args: unknown[]) => limited('info', args),
    warn: (...args: unknown[]) => limited('warn', args),
    error: (...args: unknown[]) => limited('warn', args),
  };
}
