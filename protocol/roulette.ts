/** The roulette room's protocol (docs/PROTOCOL.md): message schemas (sizes and ranges bounded here), replies, views. */
import { z } from 'zod';
import type { PlacedBet, TablePhase } from '../actors/roulette/index.ts';
import type { Reply, WalletView } from './common.ts';

const betId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

export const spotSchema = z.object({
  kind: z.enum(['straight', 'split', 'street', 'corner', 'line', 'dozen', 'column', 'red', 'black', 'odd', 'even', 'low', 'high']),
  numbers: z.array(z.number().int().min(0).max(36)).min(1).max(6).optional(),
  index: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
});

export const placeBetSchema = z.object({
  betId,
  spot: spotSchema,
  // Any number: the table's rule answers zero, negative or fractional stakes (bet/invalid_stake).
  stakeMinor: z.number().finite(),
});

export const removeBetSchema = z.object({ betId });
export const clearBetsSchema = z.object({}).strict().optional();
// Any string (bounded by the WebSocket message size): the seed rule is the table's, one code for
// every seed it refuses (seed/invalid: 1..64 printable ASCII characters).
export const clientSeedSchema = z.object({ seed: z.string() });

export const joinOptionsSchema = z
  .object({ tableId: z.string().max(64).optional() })
  .passthrough();

// ------------------------------------------------------------------ replies and views

/** `bet`: the placed bet, the same for the first acknowledgement and a replay (`replayed`: the same betId was placed before; nothing changed). */
export type PlaceBetReply = Reply<{ replayed: boolean; bet: PlacedBet & { roundId: string } }>;
/** `removeBet` / `clearBets`: the ids of the bets taken back (their stakes released). */
export type RemoveBetsReply = Reply<{ removed: string[] }>;
export type ClientSeedReply = Reply<object>;

/** The roulette room's messages (docs/PROTOCOL.md#roulette). */
export interface RouletteMessages {
  bet: { request: z.input<typeof placeBetSchema>; reply: PlaceBetReply };
  removeBet: { request: z.input<typeof removeBetSchema>; reply: RemoveBetsReply };
  clearBets: { request: z.input<typeof clearBetsSchema>; reply: RemoveBetsReply };
  clientSeed: { request: z.input<typeof clientSeedSchema>; reply: ClientSeedReply };
}

/** `me`: the player's private view, pushed at join and at most once per patch when it changes. */
export interface RouletteMe {
  roundId: string | null;
  phase: TablePhase;
  bets: PlacedBet[];
  wallet: WalletView;
}
