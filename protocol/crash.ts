/** The crash room's protocol (docs/PROTOCOL.md#crash): message schemas (sizes and ranges bounded here), replies, views. */
import { z } from 'zod';
import type { CashOutReason, CrashPhase } from '../actors/crash/index.ts';
import type { Reply, WalletView } from './common.ts';

const betId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

export const crashBetSchema = z.object({
  betId,
  // Any number: the table's rule answers zero, negative or fractional stakes (bet/invalid_stake).
  stakeMinor: z.number().finite(),
  /**
   * Auto cash-out as a multiplier with at most two decimals (2.5 = 2.50×), or null/absent for
   * manual only; the table's rule answers anything below 1.01× or above its maximum.
   */
  autoCashOut: z.number().finite().min(0).max(1e9).nullable().optional(),
});

export const cashOutSchema = z.object({}).strict().optional();
/** `time`: the server clock, for the client's skew estimate (docs/PROTOCOL.md#crash). */
export const timeSchema = z.object({}).strict().optional();

/** A two-decimal multiplier as integer hundredths (2.5 → 250), or null when it has more decimals. */
export function multiplierToCents(x: number): number | null {
  const cents = Math.round(x * 100);
  return Math.abs(cents - x * 100) < 1e-6 ? cents : null;
}

// ------------------------------------------------------------------ replies and views

export interface CrashBetView {
  betId: string;
  roundId: string;
  stakeMinor: number;
  /** Hundredths, or null. */
  autoCashOutCents: number | null;
  /** Where the max payout per bet cashes the bet out (hundredths). */
  capCents: number;
  /** null while still in. */
  cashedOutCents: number | null;
  payoutMinor: number;
  reason: CashOutReason | null;
}

/** `bet`: the placed bet, the same for the first acknowledgement and a replay. */
export type CrashBetReply = Reply<{ replayed: boolean; bet: CrashBetView }>;
/** `cashOut`: the multiplier and payout decided at the instant the server processed it (or the auto/cap cash-out that came first). */
export type CashOutReply = Reply<{ roundId: string; multiplierCents: number; payoutMinor: number; reason: CashOutReason; elapsedMs: number }>;

/** `time`: the server's clock (epoch ms) when it handled the request. */
export type TimeReply = Reply<{ serverNow: number }>;

/** The crash room's messages (docs/PROTOCOL.md#crash). */
export interface CrashMessages {
  bet: { request: z.input<typeof crashBetSchema>; reply: CrashBetReply };
  cashOut: { request: z.input<typeof cashOutSchema>; reply: CashOutReply };
  time: { request: z.input<typeof timeSchema>; reply: TimeReply };
}

/** `me`: the player's private view: their bet this round (also when it is not in the top-N list). */
export interface CrashMe {
  roundId: string | null;
  phase: CrashPhase;
  bet: CrashBetView | null;
  wallet: WalletView;
}

/** `cashouts`: broadcast once per patch with the cash-outs decided since the previous one. */
export interface CrashCashOutsMessage {
  roundId: string;
  /** At most `CASHOUTS_LISTED` entries, largest payouts first; `total` counts them all. */
  items: Array<{ name: string; multiplierCents: number; payoutMinor: number; reason: CashOutReason }>;
  total: number;
}

export const CASHOUTS_LISTED = 50;
