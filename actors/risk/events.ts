/**
 * The domain events the risk service watches (docs/FRAUD.md, "The event stream"). Every producer
 * (auth, payments, the market rooms, bonuses, limits) publishes them once; each carries an `id`
 * derived from what happened (`bet:<eventId>:<betId>:accepted`), so a duplicate delivery is
 * recognised and never counted twice. `at` is when it happened (ms since the epoch).
 */
import { z } from 'zod';

const id = z.string().min(1).max(200);
const small = z.string().max(200);
const minor = z.number().int().min(0).max(1e13);
const price = z.number().int().min(1000).max(1_000_000);

const base = { id, at: z.number().int().min(0) };

export const riskEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('registered'), playerId: id, username: small, ip: small, deviceId: small.nullable() }),
  /** A login; `playerId` is null when the username is unknown. */
  z.object({ ...base, type: z.literal('login'), playerId: id.nullable(), username: small, ok: z.boolean(), ip: small, deviceId: small.nullable() }),
  z.object({ ...base, type: z.literal('deposit'), playerId: id, paymentId: id, amountMinor: minor, status: z.enum(['captured', 'failed']), instrument: small.nullable() }),
  z.object({ ...base, type: z.literal('withdrawal'), playerId: id, paymentId: id, amountMinor: minor, status: z.enum(['requested', 'paid', 'failed', 'rejected', 'cancelled']), instrument: small.nullable() }),
  z.object({ ...base, type: z.literal('chargeback'), playerId: id, paymentId: id, amountMinor: minor, instrument: small.nullable() }),
  /** A bet decided: accepted at `priceMilli`, or rejected (`code`) — in play, `requestedAt` is before the delay. */
  z.object({
    ...base, type: z.literal('bet'), playerId: id, betId: id, eventId: id, marketId: small, selectionId: small, stakeMinor: minor,
    priceMilli: price, inPlay: z.boolean(), requestedAt: z.number().int().min(0), status: z.enum(['accepted', 'rejected']), code: small.nullable(),
  }),
  /** A bet settled; `closingPriceMilli` is its selection's price when betting on it closed (kick-off for pre-match bets). */
  z.object({
    ...base, type: z.literal('bet_settled'), playerId: id, betId: id, eventId: id, marketId: small, selectionId: small, stakeMinor: minor,
    priceMilli: price, closingPriceMilli: price.nullable(), inPlay: z.boolean(), outcome: z.enum(['won', 'lost', 'void', 'cashed_out']), payoutMinor: minor,
  }),
  z.object({ ...base, type: z.literal('cash_out'), playerId: id, betId: id, eventId: id, amountMinor: minor }),
  /** A dangerous feed incident (goal, red card, penalty) on a live event: markets suspend at `at`. */
  z.object({ ...base, type: z.literal('incident'), eventId: id, kind: small }),
  /** Hook points for features built in parallel (bonuses, responsible-gambling limits). */
  z.object({ ...base, type: z.literal('bonus_claimed'), playerId: id, bonusId: small, amountMinor: minor }),
  z.object({ ...base, type: z.literal('limit_changed'), playerId: id, kind: small, valueMinor: minor.nullable() }),
]);

export type RiskEvent = z.infer<typeof riskEventSchema>;
export type RiskEventType = RiskEvent['type'];
export type RiskEventOf<T extends RiskEventType> = Extract<RiskEvent, { type: T }>;

/** The player an event is about (null for incidents and unknown-user logins). */
export function subjectOf(e: RiskEvent): string | null {
  return 'playerId' in e ? e.playerId : null;
}
