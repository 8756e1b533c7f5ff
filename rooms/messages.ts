/**
 * The edge of every room: each message type has a zod schema; a message is rate limited per
 * client, validated, then handed to the room's handler. Every handler answers with a Reply:
 * `room.request(type, msg)` resolves with it; a plain `room.send(type, msg)` gets it back as a
 * `"<type>:result"` message. A bad message never throws and changes nothing.
 */
import type { Client, Room } from '@colyseus/core';
import type { z } from 'zod';
import { describeIssues } from '../server/errors.ts';
import { roomMessagesTotal } from '../server/metrics.ts';
import { findIllFormedText, toWellFormedText } from '../server/text.ts';
import type { Reply } from '../protocol/common.ts';

export type { Reply };

export function fail(code: string, message: string, details?: Record<string, unknown>): Reply<never> {
  return { ok: false, error: { code, message, ...(details ? { details } : {}) } };
}

/** The refusal of a message holding ill-formed UTF-16 (server/text.ts), or null when it is well formed. */
export function invalidText(raw: unknown): Reply<never> | null {
  const bad = findIllFormedText(raw);
  return bad === null ? null : fail('msg/invalid', `${bad || 'the message'}: ill-formed UTF-16 (a lone surrogate)`);
}

/** Token bucket per client: `ratePerSecond` sustained, bursts up to twice that. */
export class MessageGuard {
  private readonly buckets = new WeakMap<Client, { tokens: number; at: number }>();
  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number,
  ) {}

  allow(client: Client): boolean {
    const now = this.now();
    const burst = this.ratePerSecond * 2;
    let b = this.buckets.get(client);
    if (!b) {
      b = { tokens: burst, at: now };
      this.buckets.set(client, b);
    }
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) * this.ratePerSecond) / 1000);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/**
 * One message of a room: the zod schema of its payload and the handler, whose argument is the
 * parsed payload's type and whose reply type the protocol declares (protocol/).
 */
export interface MessageDef<C extends Client = Client, S extends z.ZodType = z.ZodType, R extends object = object> {
  schema: S;
  handle: (client: C, msg: z.output<S>) => Reply<R> | Promise<Reply<R>>;
}

/** A room's messages by type. */
export type MessageMap<C extends Client = Client> = Record<string, MessageDef<C, any, any>>;

/** Declares a message: the handler's argument type is inferred from the schema, its reply type from `R`. */
export function message<C extends Client, S extends z.ZodType, R extends object>(schema: S, handle: (client: C, msg: z.output<S>) => Reply<R> | Promise<Reply<R>>): MessageDef<C, S, R> {
  return { schema, handle };
}

export function defineMessages<C extends Client>(room: Room, guard: MessageGuard, handlers: MessageMap<C>, onError: (err: unknown, type: string, client: C) => void): void {
  for (const [type, def] of Object.entries(handlers)) {
    room.onMessage(type, async (client: Client, raw: unknown, ctx?: { id?: number }) => {
      const reply = await dispatch(guard, client as C, type, raw, def, onError);
      roomMessagesTotal.inc({ room: room.roomName, outcome: reply.ok ? 'ok' : reply.error.code });
      if (ctx?.id === undefined) client.send(`${type}:result`, reply);
      return reply;
    });
  }
  room.onMessage('*', (client: Client, type: string | number) => {
    // Counted like any message; past the allowance an unknown type gets no answer at all.
    if (!guard.allow(client)) return;
    client.send('error', fail('msg/unknown_type', `this room has no message "${toWellFormedText(String(type).slice(0, 40))}"`));
  });
}

async function dispatch<C extends Client>(guard: MessageGuard, client: C, type: string, raw: unknown, def: MessageDef<C, any, any>, onError: (err: unknown, type: string, client: C) => void): Promise<Reply> {
  if (!guard.allow(client)) return fail('msg/rate_limited', 'too many messages; slow down');
  const text = invalidText(raw);
  if (text) return text;
  const parsed = def.schema.safeParse(raw);
  if (!parsed.success) return fail('msg/invalid', describeIssues(parsed.error.issues));
  try {
    return await def.handle(client, parsed.data);
  } catch (err) {
    onError(err, type, client);
    return fail('server/internal', 'the table could not process this message; it has been logged');
  }
}
