/**
 * The price feed: external bookmaker prices for one event (1X2 and optionally an over/under line),
 * the market input of the event's pricing (docs/PRICING.md, "Market input"). Validation (zod) only;
 * what the event does with a quote is in market-input.ts.
 *
 * Every message names its event, carries a per-event sequence number `seq` (a later quote has a
 * higher seq; the event applies only quotes newer than the last one it applied, so a source may
 * redeliver), the time the prices were taken `at`, and who quoted them `source`. In play a quote
 * must say which score it was made at (`score`), so a quote from before a goal is never applied
 * after it.
 */
import { z } from 'zod';
import type { Rejection } from '../decision.ts';

export const MAX_PRICE_FEED_JSON_LENGTH = 2048;
/** Decimal odds accepted from a source (the engine's ladder ends at 1000). */
const odds = z.number().gt(1).max(1000);

export const priceMessageSchema = z.object({
  eventId: z.string().min(1).max(128),
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  at: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  source: z.string().min(1).max(64),
  /** Decimal odds home, draw, away, with the source's margin in them. */
  oneXTwo: z.tuple([odds, odds, odds]),
  overUnder: z
    .object({
      line: z.number().min(0.5).max(8.5).refine((l) => Number.isInteger(l - 0.5), 'a half-goal line such as 2.5'),
      over: odds,
      under: odds,
    })
    .optional(),
  /** The score the prices were made at (required in play). */
  score: z.object({ home: z.number().int().min(0).max(99), away: z.number().int().min(0).max(99) }).optional(),
});

export type PriceMessage = z.infer<typeof priceMessageSchema>;

export type PriceParse = { ok: true; message: PriceMessage } | { ok: false; rejection: Rejection };

/** Validates a decoded price message; unknown keys are dropped. */
export function parsePriceMessage(raw: unknown): PriceParse {
  if (typeof raw === 'string' && raw.length > MAX_PRICE_FEED_JSON_LENGTH) {
    return { ok: false, rejection: { code: 'prices/malformed', message: 'price message too long', details: { issues: [] } } };
  }
  const result = priceMessageSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const issues = result.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
  return { ok: false, rejection: { code: 'prices/malformed', message: `malformed price message: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, details: { issues } } };
}
