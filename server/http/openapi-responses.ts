/**
 * Response shapes of the HTTP API for the OpenAPI document, where the routes have none of their
 * own in zod. Each is tied to the TypeScript type the route returns (`satisfies`), so a changed
 * type breaks the build, and test/server/openapi.test.ts checks real replies against them.
 */
import { z } from 'zod';
import type { LedgerEntry, WalletView } from '../wallet/service.ts';
import type { Role, TransferKind } from '../store/types.ts';

const ROLES = ['player', 'operator', 'admin', 'bot'] as const satisfies readonly Role[];
const TRANSFER_KINDS = [
  'deposit', 'withdrawal', 'promotion', 'reserve', 'capture', 'release', 'payout', 'adjustment', 'funding', 'debt', 'repayment',
] as const satisfies readonly TransferKind[];

const minor = z.number().int();

export const sessionReply = z.object({ userId: z.string(), token: z.string(), role: z.enum(ROLES) });

export const okReply = z.object({ ok: z.literal(true) });

export const readinessReply = z.object({
  ok: z.boolean(),
  checks: z.record(z.string(), z.string()).meta({ description: '`ok` per check (`store`, `redis`), or why it failed; `process: "draining"`' }),
});

export const walletReply = z.object({
  currency: z.string(),
  balanceMinor: minor,
  heldMinor: minor,
  availableMinor: minor,
}) satisfies z.ZodType<WalletView>;

const ledgerEntry = z.object({
  transferId: z.string(),
  kind: z.enum(TRANSFER_KINDS),
  amountMinor: minor.meta({ description: 'positive into the player\'s account, negative out of it' }),
  counterparty: z.string(),
  holdId: z.string().nullable(),
  memo: z.string().nullable(),
  createdAt: z.string(),
}) satisfies z.ZodType<LedgerEntry>;

export const ledgerPageReply = z.object({ items: z.array(ledgerEntry), nextCursor: z.string().nullable() });

export const acceptedReply = z.object({ accepted: z.literal(true) });

const score = z.object({ home: z.number().int(), away: z.number().int() });

export const eventsReply = z.object({
  items: z.array(z.object({
    eventId: z.string(),
    league: z.string(),
    home: z.string(),
    away: z.string(),
    status: z.enum(['scheduled', 'in_play', 'finished', 'abandoned']),
    startsAt: z.number().int().meta({ description: 'kick-off, epoch ms' }),
    minute: z.number(),
    score,
  })),
});

export const roundProofReply = z.object({
  tableId: z.string(),
  roundId: z.string(),
  nonce: z.number().int(),
  serverSeedHash: z.string().nullable(),
  serverSeed: z.string().nullable().meta({ description: 'null until the result is drawn' }),
  clientSeed: z.string().nullable(),
  clientSeeds: z.array(z.string()).nullable(),
  clientSeedRule: z.enum(['roundId', 'sha256-newline-joined']).nullable(),
  result: z.number().int().nullable(),
  status: z.enum(['open', 'drawn', 'voided']),
});

export const shoeProofReply = z.object({
  tableId: z.string(),
  shoeId: z.string(),
  nonce: z.number().int().meta({ description: 'the shoe number' }),
  cards: z.number().int().nullable().meta({ description: 'cards in the shoe (52 × decks)' }),
  serverSeedHash: z.string().nullable(),
  serverSeed: z.string().nullable().meta({ description: 'null until the shoe is finished' }),
  clientSeed: z.string().nullable().meta({ description: 'fixed at the shoe\'s first deal' }),
  clientSeeds: z.array(z.string()).nullable(),
  clientSeedRule: z.enum(['shoeId', 'sha256-newline-joined']).nullable(),
  status: z.enum(['open', 'finished']),
});

export const createdEventReply = z.object({
  eventId: z.string(),
  lambdaHome: z.number(),
  lambdaAway: z.number(),
  rho: z.number().nullable(),
  modelVersion: z.string().nullable(),
});

/** A market or event control's reply: the journaled event types, and the debts of a re-settlement. */
export const commandReply = z.looseObject({
  ok: z.literal(true),
  events: z.array(z.string()),
  debts: z.array(z.object({ playerId: z.string(), clawbackMinor: minor, takenMinor: minor, debtMinor: minor })).optional(),
});

export const reservationReply = z.looseObject({
  name: z.string(),
  roomId: z.string(),
  sessionId: z.string(),
  processId: z.string(),
  publicAddress: z.string().optional(),
}).meta({ description: 'A seat held for `SEAT_RESERVATION_SECONDS` for the WebSocket to claim.' });

export const stakeFactorReply = z.object({ userId: z.string(), stakeFactor: z.number() });

export const refitReply = z.object({ version: z.string(), changed: z.boolean() });
