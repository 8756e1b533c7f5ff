/**
 * Shared shapes for the pure actors. An actor exposes
 *   decide(state, command) → Decision<Event>   (never throws on bad commands: returns a rejection)
 *   evolve(state, event)   → state            (total: applies an already-decided event)
 * Time and randomness arrive inside commands; actors never read clocks or RNGs.
 */

export interface Rejection {
  /** Namespaced code, e.g. `bet/below_min`; every code is listed in docs/ERRORS.md. */
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type Decision<E> = { ok: true; events: E[] } | { ok: false; rejection: Rejection };

export function accept<E>(...events: E[]): Decision<E> {
  return { ok: true, events };
}

export function reject<E = never>(code: string, message: string, details?: Record<string, unknown>): Decision<E> {
  return { ok: false, rejection: { code, message, ...(details ? { details } : {}) } };
}

/**
 * Ids that name what every plain object inherits: an id chosen by a client or an operator may not
 * be one of these (operators' paths refuse them: server/admin/schemas.ts `pathId`), so that no id
 * is ever looked up in, or assigned into, a plain object as its prototype or constructor.
 */
export const RESERVED_IDS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
