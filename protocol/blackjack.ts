/** The blackjack room's protocol (docs/PROTOCOL.md#blackjack): message schemas (sizes and ranges bounded here), replies, views. */
import { z } from 'zod';
import type { HandStatus, PlayerAction, TablePhase } from '../actors/blackjack/index.ts';
import type { Reply, WalletView } from './common.ts';

const betId = z.string().min(1).max(60).regex(/^[A-Za-z0-9_:-]+$/, 'letters, digits and _ : - only');
// Any integer: the table answers seats it does not have (seat/invalid).
const seat = z.number().int().min(0).max(63);

export const takeSeatSchema = z.object({ seat });
export const leaveSeatSchema = z.object({ seat });
export const placeBetSchema = z.object({
  betId,
  seat,
  // Any number: the table's rule answers zero, odd, negative or fractional stakes (bet/invalid_stake).
  stakeMinor: z.number().finite(),
});
export const removeBetSchema = z.object({ seat });
export const actSchema = z.object({
  seat,
  hand: z.number().int().min(0).max(3),
  action: z.enum(['hit', 'stand', 'double', 'split', 'surrender']),
});
export const insuranceSchema = z.object({ seat, take: z.boolean() });
// Any string (bounded by the WebSocket message size): the table's seed rule answers (seed/invalid).
export const clientSeedSchema = z.object({ seed: z.string() });

// ------------------------------------------------------------------ replies and views

export type SeatReply = Reply<{ seat: number }>;
/** `bet`: the bet placed on the seat (`replayed`: the same betId was placed before; nothing changed). */
export type PlaceBetReply = Reply<{ replayed: boolean; bet: { betId: string; seat: number; stakeMinor: number; roundId: string } }>;
export type RemoveBetReply = Reply<{ removed: string }>;
/**
 * `act` / `insurance`: accepted; the table state shows the cards. `stakeMinor`: the extra stake
 * reserved (double, split, insurance); `turn`: whose turn it is now (null: no hand waits for a decision).
 */
export type ActReply = Reply<{ action: PlayerAction | 'insurance'; stakeMinor: number; turn: { seat: number; hand: number; deadline: number } | null }>;
export type ClientSeedReply = Reply<object>;

/** The blackjack room's messages (docs/PROTOCOL.md#blackjack). */
export interface BlackjackMessages {
  takeSeat: { request: z.input<typeof takeSeatSchema>; reply: SeatReply };
  leaveSeat: { request: z.input<typeof leaveSeatSchema>; reply: SeatReply };
  bet: { request: z.input<typeof placeBetSchema>; reply: PlaceBetReply };
  removeBet: { request: z.input<typeof removeBetSchema>; reply: RemoveBetReply };
  act: { request: z.input<typeof actSchema>; reply: ActReply };
  insurance: { request: z.input<typeof insuranceSchema>; reply: ActReply };
  clientSeed: { request: z.input<typeof clientSeedSchema>; reply: ClientSeedReply };
}

/** One of the player's seats in the `me` view. */
export interface BlackjackMySeat {
  seat: number;
  /** The bet this round, 0 when none. */
  betMinor: number;
  /** Every stake of the seat this round (bet, splits, doubles, insurance). */
  stakedMinor: number;
  hands: Array<{ status: HandStatus; stakeMinor: number }>;
}

/** `me`: the player's private view, pushed at join and at most once per patch when it changes. */
export interface BlackjackMe {
  roundId: string | null;
  phase: TablePhase;
  seats: BlackjackMySeat[];
  /** The turn when it is one of this player's hands. */
  myTurn: { seat: number; hand: number; deadline: number } | null;
  /** Seats of this player still to decide on insurance. */
  insurancePending: number[];
  wallet: WalletView;
}
