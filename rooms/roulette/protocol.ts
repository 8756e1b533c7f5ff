/** Message schemas of the roulette room (docs/PROTOCOL.md). Sizes and ranges are bounded here. */
import { z } from 'zod';

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
