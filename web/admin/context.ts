/** What every console section gets. */
import { api } from '../shared/api.ts';
import type { Session } from '../player/session.ts';

export interface ConsoleContext {
  session: Session;
  /** The admin API with the operator's token. */
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  currency: string;
}

export type Section = (root: HTMLElement, ctx: ConsoleContext, param: string) => () => void;

export function makeContext(session: Session, currency = 'EUR'): ConsoleContext {
  return { session, currency, call: (method, path, body, headers) => api(method, path, { body, token: session.token, headers }) };
}

/** Repeats `fn` every `ms` until stopped; errors are shown by `fn` itself. */
export function poll(fn: () => Promise<void>, ms: number): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const loop = async () => {
    await fn().catch(() => undefined);
    if (!stopped) timer = setTimeout(() => void loop(), ms);
  };
  void loop();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
