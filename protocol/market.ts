/** The market room's protocol (docs/PROTOCOL.md): message schemas, replies, views. */
import { z } from 'zod';
import type { AcceptancePolicy, BetOutcomeKind, BetStatus, CashOutQuote } from '../actors/sportsbook/index.ts';
import type { Reply, WalletView } from './common.ts';

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
  /** Boost the winnings with this profit-boost token (docs/PROMOTIONS.md §3); not with a free bet or an odds boost. */
  profitBoostId: z.string().min(1).max(200).optional(),
});

export const cashOutSchema = z.object({ betId: id, offerMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const quoteSchema = z.object({ betId: id });
export const myBetsSchema = z.object({}).strict().optional();

// ------------------------------------------------------------------ replies and views

/** A bet on the event as its player sees it. */
export interface BetView {
  betId: string;
  marketId: string;
  selectionId: string;
  stakeMinor: number;
  /** The accepted price (decimal odds × 1000). */
  priceMilli: number;
  /** The price the client asked for. */
  requestedPriceMilli: number;
  acceptance: AcceptancePolicy;
  status: BetStatus;
  /** When an in-play bet's delay ends (epoch ms). */
  acceptAt: number;
  rejectionCode: string | null;
  outcome: BetOutcomeKind | null;
  payoutMinor: number | null;
  cashOutPending: boolean;
  /** A profit boost the bet was placed with (absent: none); its extra is paid apart from `payoutMinor`. */
  profitBoost?: { boostPct: number; maxExtraMinor: number };
}

/** A bet in `myBets` and `me`: with the current cash-out offer of an open one. */
export type OpenBetView = BetView & { cashOut: CashOutQuote | null };

/** `bet`: the bet as placed (pending while in its in-play delay; `betUpdate` follows). */
export type PlaceBetReply = Reply<BetView & { replayed: boolean }>;
export type CashOutReply = Reply<BetView>;
export type QuoteReply = Reply<{ betId: string; offerMinor: number }>;
export type MyBetsReply = Reply<{ bets: OpenBetView[] }>;

/** The market room's messages (docs/PROTOCOL.md#market). */
export interface MarketMessages {
  bet: { request: z.input<typeof placeBetSchema>; reply: PlaceBetReply };
  cashOut: { request: z.input<typeof cashOutSchema>; reply: CashOutReply };
  quote: { request: z.input<typeof quoteSchema>; reply: QuoteReply };
  myBets: { request: z.input<typeof myBetsSchema>; reply: MyBetsReply };
}

/** `me`: the player's private view of the event. */
export interface MarketMe {
  eventId: string;
  bets: OpenBetView[];
  wallet: WalletView;
}

/** `betUpdate`: one of the player's bets changed (accepted, rejected, settled, cashed out, or a cash-out refused). */
export type BetUpdate = BetView & { cashOutRejection?: { code: string; message: string } };
