/**
 * The match feed: message model, validation (zod) and the pure sequencing rule.
 *
 * Every message names its event, carries a per-event sequence number `seq` (1, 2, 3, …) and the
 * feed's timestamp `at` (epoch ms). Sequencing rule (docs/SPORTSBOOK.md, "Feed sequencing"):
 *  - seq ≤ lastSeq, or a seq already buffered → duplicate, ignored (`feed/duplicate`);
 *  - seq = lastSeq + 1 → applied, then every buffered message that is now contiguous;
 *  - seq > lastSeq + 1 → held in a reorder buffer, waiting for the missing messages;
 *  - a gap not filled within `reorderWindowMs` of the oldest buffered message, or a buffer that
 *    would exceed `reorderBufferSize`, is skipped: the missing range is recorded as a gap and the
 *    buffered messages are applied in seq order. (The market actor suspends on a gap until a
 *    clock message confirms the state.)
 * Pure: `now` is an input; no clock is read.
 */
import { z } from 'zod';
import type { Rejection } from '../decision.ts';

export type Team = 'home' | 'away';

export const MAX_FEED_ID_LENGTH = 128;
export const MAX_FEED_MINUTE = 130;
export const MAX_FEED_JSON_LENGTH = 4096;

interface FeedBase {
  eventId: string;
  /** Per-event sequence number, a positive integer. */
  seq: number;
  /** Feed timestamp, epoch ms. */
  at: number;
  /** Match minute of the incident, when the feed knows it. */
  minute?: number;
}

export interface ScorePair {
  home: number;
  away: number;
}

export type FeedMessage =
  | (FeedBase & { type: 'kick_off' | 'half_time' | 'second_half_kick_off' | 'full_time' })
  | (FeedBase & { type: 'goal' | 'red_card' | 'penalty_awarded' | 'penalty_missed'; team: Team })
  | (FeedBase & { type: 'abandoned'; reason: string })
  | (FeedBase & {
      type: 'clock';
      minute: number;
      /** Optional state snapshot: lets the actor confirm (or catch up on) its state after a gap. */
      period?: 'first_half' | 'second_half';
      score?: ScorePair;
      reds?: ScorePair;
    });

export type FeedMessageType = FeedMessage['type'];

const id = z.string().min(1).max(MAX_FEED_ID_LENGTH);
const base = {
  eventId: id,
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  at: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  minute: z.number().min(0).max(MAX_FEED_MINUTE).optional(),
};
const team = z.enum(['home', 'away']);
const count = (max: number) => z.number().int().min(0).max(max);
const pair = (max: number) => z.object({ home: count(max), away: count(max) });

export const feedMessageSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.enum(['kick_off', 'half_time', 'second_half_kick_off', 'full_time']) }),
  z.object({ ...base, type: z.enum(['goal', 'red_card', 'penalty_awarded', 'penalty_missed']), team }),
  z.object({ ...base, type: z.literal('abandoned'), reason: z.string().min(1).max(200) }),
  z.object({
    ...base,
    type: z.literal('clock'),
    minute: z.number().min(0).max(MAX_FEED_MINUTE),
    period: z.enum(['first_half', 'second_half']).optional(),
    score: pair(99).optional(),
    reds: pair(11).optional(),
  }),
]);

export type FeedParse = { ok: true; message: FeedMessage } | { ok: false; rejection: Rejection };

function malformed(message: string, issues: Array<{ path: string; message: string }>): FeedParse {
  return { ok: false, rejection: { code: 'feed/malformed', message, details: { issues } } };
}

/** Validates a decoded feed message; unknown keys are dropped. */
export function parseFeedMessage(raw: unknown): FeedParse {
  const result = feedMessageSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data as FeedMessage };
  const issues = result.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
  return malformed(`malformed feed message: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

/** Decodes and validates a JSON feed message (e.g. a Redis Streams field), bounded in size. */
export function parseFeedJson(text: string): FeedParse {
  if (typeof text !== 'string' || text.length > MAX_FEED_JSON_LENGTH) {
    return malformed(`feed message must be a JSON string of at most ${MAX_FEED_JSON_LENGTH} characters`, [{ path: '(root)', message: 'too long or not a string' }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return malformed('feed message is not valid JSON', [{ path: '(root)', message: 'invalid JSON' }]);
  }
  return parseFeedMessage(raw);
}

// ---------------------------------------------------------------- sequencing

export interface BufferedMessage {
  message: FeedMessage;
  /** When it was received (the command's `now`): the gap timer runs from the oldest one. */
  receivedAt: number;
}

export interface SequencerState {
  /** Highest seq applied (or skipped over); 0 before the first message. */
  lastSeq: number;
  /** Messages ahead of lastSeq + 1, ascending by seq, no duplicates. */
  buffer: BufferedMessage[];
}

export interface SequencerLimits {
  reorderWindowMs: number;
  reorderBufferSize: number;
}

export type SequenceStep = { kind: 'apply'; message: FeedMessage } | { kind: 'gap'; fromSeq: number; toSeq: number };

export type OfferOutcome =
  | { kind: 'duplicate' }
  | { kind: 'buffered'; state: SequencerState }
  /** Steps to carry out in order (applies, and gaps when the buffer overflowed). */
  | { kind: 'steps'; state: SequencerState; steps: SequenceStep[] };

export const EMPTY_SEQUENCER: SequencerState = { lastSeq: 0, buffer: [] };

/** Offers one validated message to the sequencer. */
export function offerMessage(state: SequencerState, message: FeedMessage, now: number, limits: SequencerLimits): OfferOutcome {
  if (message.seq <= state.lastSeq || state.buffer.some((b) => b.message.seq === message.seq)) return { kind: 'duplicate' };
  if (message.seq === state.lastSeq + 1) {
    const steps: SequenceStep[] = [{ kind: 'apply', message }];
    const drained = drainContiguous({ lastSeq: message.seq, buffer: state.buffer }, steps);
    return { kind: 'steps', state: drained, steps };
  }
  const buffer = insertBySeq(state.buffer, { message, receivedAt: now });
  if (buffer.length > limits.reorderBufferSize) {
    const steps: SequenceStep[] = [];
    return { kind: 'steps', state: skipAll({ lastSeq: state.lastSeq, buffer }, steps), steps };
  }
  return { kind: 'buffered', state: { lastSeq: state.lastSeq, buffer } };
}

/** When the oldest buffered message has waited out the reorder window, or null. */
export function bufferDeadline(state: SequencerState, limits: SequencerLimits): number | null {
  if (state.buffer.length === 0) return null;
  let oldest = state.buffer[0].receivedAt;
  for (const b of state.buffer) oldest = Math.min(oldest, b.receivedAt);
  return oldest + limits.reorderWindowMs;
}

/** At `now`: skips the gap(s) once the reorder window has passed; no steps otherwise. */
export function expireBuffer(state: SequencerState, now: number, limits: SequencerLimits): { state: SequencerState; steps: SequenceStep[] } {
  const deadline = bufferDeadline(state, limits);
  if (deadline === null || now < deadline) return { state, steps: [] };
  const steps: SequenceStep[] = [];
  return { state: skipAll(state, steps), steps };
}

function insertBySeq(buffer: readonly BufferedMessage[], entry: BufferedMessage): BufferedMessage[] {
  const out = [...buffer, entry];
  out.sort((a, b) => a.message.seq - b.message.seq);
  return out;
}

function drainContiguous(state: SequencerState, steps: SequenceStep[]): SequencerState {
  let { lastSeq } = state;
  let i = 0;
  while (i < state.buffer.length && state.buffer[i].message.seq === lastSeq + 1) {
    steps.push({ kind: 'apply', message: state.buffer[i].message });
    lastSeq += 1;
    i += 1;
  }
  return { lastSeq, buffer: state.buffer.slice(i) };
}

/** Applies the whole buffer in seq order, recording each missing range as a gap. */
function skipAll(state: SequencerState, steps: SequenceStep[]): SequencerState {
  let lastSeq = state.lastSeq;
  for (const { message } of state.buffer) {
    if (message.seq > lastSeq + 1) steps.push({ kind: 'gap', fromSeq: lastSeq + 1, toSeq: message.seq - 1 });
    steps.push({ kind: 'apply', message });
    lastSeq = message.seq;
  }
  return { lastSeq, buffer: [] };
}
