/**
 * The bet-slip API (HTTP, docs/API.md "Slips"): multiples — accumulators, system bets and bet
 * builders — placed across events. Request schemas (zod) and the slip view, shared by the server,
 * the player app's bet slip and the load bots.
 */
import { z } from 'zod';
import { RESERVED_IDS } from '../actors/decision.ts';
import type { LegResult, SlipType } from '../actors/multiples/index.ts';

// Not a reserved id (actors/decision.ts): a slip is read back by its id on paths that refuse those.
const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only').refine((v) => !RESERVED_IDS.has(v), 'not a valid id');
const selection = z.object({ marketId: id, selectionId: id });
const policy = z.enum(['exact', 'better', 'any']);

export const placeSlipSchema = z.object({
  slipId: id,
  type: z.enum(['accumulator', 'doubles', 'trebles', 'trixie', 'yankee', 'lucky15']),
  stakePerLineMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  acceptance: policy.default('exact'),
  legs: z.array(z.object({
    eventId: id,
    /** One selection, or 2..6 selections of the event: a bet builder. */
    selections: z.array(selection).min(1).max(6),
    /** The price the player saw for the leg (decimal odds × 1000). */
    priceMilli: z.number().int(),
    acceptance: policy.optional(),
  })).min(1).max(20),
});
export type PlaceSlipRequest = z.input<typeof placeSlipSchema>;

export const builderQuoteSchema = z.object({ eventId: id, selections: z.array(selection).min(2).max(6) });
export type BuilderQuoteRequest = z.input<typeof builderQuoteSchema>;
export interface BuilderQuoteReply { eventId: string; priceMilli: number; probability: number }

export const cashOutSlipSchema = z.object({ offerMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export type SlipStatus = 'requested' | 'reserved' | 'prepared' | 'accepted' | 'rejected' | 'settled' | 'cashed_out';

export interface SlipView {
  slipId: string;
  playerId: string;
  type: SlipType;
  status: SlipStatus;
  stakePerLineMinor: number;
  /** Number of lines (accumulators) in the slip. */
  lines: number;
  totalStakeMinor: number;
  /** The most it can pay at the accepted prices. */
  potentialPayoutMinor: number;
  /** What it has paid (settlements net of corrections, or the cash-out). */
  paidMinor: number;
  legs: Array<{ legId: string; eventId: string; selections: Array<{ marketId: string; selectionId: string }>; seenPriceMilli: number; priceMilli: number | null; result: LegResult | null }>;
  rejection: { code: string; message: string; details?: Record<string, unknown> } | null;
  requestedAt: number;
}
