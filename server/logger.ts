import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs to stdout; child loggers carry request, room and user ids. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings }, timestamp: pino.stdTimeFunctions.isoTime });
}
