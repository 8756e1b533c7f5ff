/** Request schemas of the admin API (docs/API.md, "Admin API"). */
import { z } from 'zod';
import { RESERVED_IDS } from '../../actors/decision.ts';

export const reasonBody = z.object({ reason: z.string().trim().min(1, 'a reason is required').max(200) });


export const pathId = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only').refine((id) => !RESERVED_IDS.has(id), 'not a valid id');

export const playerSearchQuery = z.object({
  q: z.string().max(32).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** A page's cursor: a sequence number as the stores hand them out (no leading zero, at most 16 digits). */
export const pageCursor = z.string().regex(/^[1-9]\d{0,15}$/, 'must be a cursor returned by a previous page');

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: pageCursor.optional(),
});

const idempotencyKey = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

/** Largest manual adjustment either way, in minor units: a bound, not a business rule. */
export const MAX_ADJUSTMENT_MINOR = 100_000_000;

export const adjustmentBody = z.object({
  amountMinor: z.number().int().refine((n) => n !== 0, 'must not be zero').refine((n) => Math.abs(n) <= MAX_ADJUSTMENT_MINOR, `at most ${MAX_ADJUSTMENT_MINOR} either way`),
  reason: z.string().trim().min(1, 'a reason is required').max(200),
  /** Optional here when the `Idempotency-Key` header carries it. */
  idempotencyKey: idempotencyKey.optional(),
});

export const headerIdempotencyKey = idempotencyKey;

export const monitoringQuery = z.object({ points: z.coerce.number().int().min(1).max(720).default(120) });
