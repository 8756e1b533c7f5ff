/** Message schemas of the market room (docs/PROTOCOL.md). */
import { z } from 'zod';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

export const placeBetSchema = z.object({
  betId: id,
  marketId: z.string().min(1).max(64),
  selectionId: z.string().min(1).max(64),
  stakeMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  /** The price the client saw (decimal odds × 1000); off the ladder is the event's `command/invalid`. */
  priceMilli: z.number().finite(),
  acceptance: z.enum(['exact', 'better', 'any']).default('exact'),
  /** Stake the bet with this free-bet token (docs/PROMOTIONS.md §3): the stake must be the token's. */
  freeBetId: z.string().min(1).max(200).optional(),
  /** Take this odds boost (a campaign id): the bet is priced at the boost. */
  boostId: z.string().min(1).max(64).optional(),
});

export const cashOutSchema = z.object({ betId: id, offerMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const quoteSchema = z.object({ betId: id });
export const myBetsSchema = z.object({}).strict().optional();
