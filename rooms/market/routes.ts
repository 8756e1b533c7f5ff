/**
 * HTTP routes of the live events: the public listing, operators' event creation, feed ingest and
 * market controls (docs/API.md). Operator routes need the operator or admin role.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseFeedMessage, parsePriceMessage } from '../../actors/sportsbook/index.ts';
import { AppError } from '../../server/errors.ts';
import type { EventService } from '../../server/events.ts';
import type { FeedSource } from '../../server/feed/types.ts';
import { parseInput } from '../../server/http/validate.ts';
import type { Logger } from '../../server/logger.ts';
import type { AuditTrail } from '../../server/admin/audit.ts';
import type { Reply } from '../messages.ts';
import { reservedEventIdReason } from '../room-ids.ts';
import type { Pricing } from '../../server/pricing/index.ts';
import type { EventListing } from './services.ts';

export const eventId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits and _ . - only');
/** A new event's id: not a table's, the lobby's, the demo schedule's or an inherited name (rooms/room-ids.ts). */
const newEventId = eventId.superRefine((id, ctx) => {
  const reserved = reservedEventIdReason(id, { operator: true });
  if (reserved) ctx.addIssue({ code: 'custom', message: reserved });
});
/** Market ids are short words and numbers (`1x2`, `ou_2.5`, `next_goal_1`). */
export const marketId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');
export const eventPath = z.object({ eventId });
export const marketPath = z.object({ eventId, marketId });
export const createSchema = z.object({
  eventId: newEventId,
  league: z.string().min(1).max(32),
  home: z.string().min(1).max(64),
  away: z.string().min(1).max(64),
  lambdaHome: z.number().positive().max(10).optional(),
  lambdaAway: z.number().positive().max(10).optional(),
  startsAt: z.number().int().positive(),
});
const reason = z.string().min(1, 'a reason is required').max(200);
export const marketAction = z.object({ reason });
const goals = z.number().int().min(0).max(99);
export const settleEventSchema = z.object({ reason, score: z.object({ home: goals, away: goals }) });
export const resettleSchema = z.object({ reason, result: z.union([z.object({ winner: z.string().min(1).max(64) }), z.object({ void: z.literal(true) })]) });

export function marketRoutes(events: EventService, feed: FeedSource, operator: RequestHandler, log: Logger, audit?: AuditTrail, pricing?: Pricing, prices?: FeedSource | null): Router {
  const r = Router();
  // Every operator action goes to the audit log, refused ones with their code.
  const record = (req: Request, action: string, target: string, reason: string, reply: Reply, details: Record<string, unknown> = {}) =>
    audit?.record(req.auth!, action, target, reason, {
      ...details, ok: reply.ok, ...(reply.ok ? (reply.debts ? { debts: reply.debts } : {}) : { code: reply.error.code }),
    });
  r.get('/events', async (_req, res) => {
    res.json({ items: await events.list() });
  });

  r.post('/admin/events', operator, async (req, res) => {
    const body = parseInput(createSchema, req.body);
    // The current pricing model prices the event (rates, ρ, version); rates given by hand keep the league's ρ.
    const model = pricing?.models.forMatch(body.league, body.home, body.away) ?? null;
    const byHand = body.lambdaHome !== undefined && body.lambdaAway !== undefined;
    if (!byHand && !model) {
      throw new AppError('event/unknown_league', `give lambdaHome and lambdaAway, or a league of the pricing model (${Object.keys(pricing?.models.current.leagues ?? {}).join(', ')})`, 400);
    }
    const listing: EventListing = byHand
      ? { ...body, lambdaHome: body.lambdaHome!, lambdaAway: body.lambdaAway!, ...(model ? { rho: model.rho } : {}) }
      : { ...body, lambdaHome: model!.lambdaHome, lambdaAway: model!.lambdaAway, rho: model!.rho, modelVersion: model!.modelVersion };
    if (await events.exists(body.eventId)) throw new AppError('event/exists', `event ${body.eventId} already exists`, 409);
    await events.open(listing);
    await audit?.record(req.auth!, 'event.create', `event:${body.eventId}`, null, listing);
    log.info({ reqId: req.id, by: req.auth!.userId, eventId: body.eventId, modelVersion: listing.modelVersion ?? null }, 'operator created event');
    const { lambdaHome, lambdaAway } = listing;
    res.status(201).json({ eventId: body.eventId, lambdaHome, lambdaAway, rho: listing.rho ?? null, modelVersion: listing.modelVersion ?? null });
  });

  // Feed ingest for providers that push over HTTP; the message is validated by the event room.
  r.post('/admin/feed', operator, async (req, res) => {
    const parsed = parseFeedMessage(req.body);
    if (!parsed.ok) throw new AppError('feed/malformed', parsed.rejection.message, 400, parsed.rejection.details);
    if (!(await events.exists(parsed.message.eventId))) throw new AppError('event/not_found', `no event ${parsed.message.eventId}`, 404);
    await feed.publish(parsed.message.eventId, parsed.message);
    res.status(202).json({ accepted: true });
  });

  // Market prices for an event (the price feed over HTTP); the event's room applies or refuses them.
  r.post('/admin/prices', operator, async (req, res) => {
    if (!prices) throw new AppError('prices/unavailable', 'no price feed on this server', 503);
    const parsed = parsePriceMessage(req.body);
    if (!parsed.ok) throw new AppError('prices/malformed', parsed.rejection.message, 400, parsed.rejection.details);
    if (!(await events.exists(parsed.message.eventId))) throw new AppError('event/not_found', `no event ${parsed.message.eventId}`, 404);
    await prices.publish(parsed.message.eventId, parsed.message);
    log.info({ reqId: req.id, by: req.auth!.userId, eventId: parsed.message.eventId, seq: parsed.message.seq, source: parsed.message.source }, 'market prices received');
    res.status(202).json({ accepted: true });
  });

  for (const action of ['suspend', 'resume', 'void'] as const) {
    r.post(`/admin/events/:eventId/markets/:marketId/${action}`, operator, async (req, res) => {
      const params = parseInput(marketPath, req.params, 'http/invalid_path');
      const body = parseInput(marketAction, req.body);
      const type = `${action}Market` as const;
      const reply = await events.command(params.eventId, { type, marketId: params.marketId, reason: body.reason, by: req.auth!.userId });
      log.info({ reqId: req.id, by: req.auth!.userId, eventId: req.params.eventId, marketId: req.params.marketId, action, reason: body.reason, ok: reply.ok }, 'operator market action');
      await record(req, `market.${action}`, `event:${req.params.eventId}/market:${req.params.marketId}`, body.reason, reply);
      if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, 409, reply.error.details);
      res.json(reply);
    });
  }
  for (const action of ['suspend', 'resume'] as const) {
    r.post(`/admin/events/:eventId/${action}`, operator, async (req, res) => {
      parseInput(eventPath, req.params, 'http/invalid_path');
      const body = parseInput(marketAction, req.body);
      const reply = await events.command(String(req.params.eventId), { type: `${action}Event`, reason: body.reason, by: req.auth!.userId });
      log.info({ reqId: req.id, by: req.auth!.userId, eventId: req.params.eventId, action, reason: body.reason, ok: reply.ok }, 'operator event action');
      await record(req, `event.${action}`, `event:${req.params.eventId}`, body.reason, reply);
      if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, 409, reply.error.details);
      res.json(reply);
    });
  }
  // Resulting an event by hand, when its feed failed or was wrong: the final score settles every open market.
  r.post('/admin/events/:eventId/settle', operator, async (req, res) => {
    parseInput(eventPath, req.params, 'http/invalid_path');
    const body = parseInput(settleEventSchema, req.body);
    const reply = await events.command(String(req.params.eventId), { type: 'settleEvent', score: body.score, reason: body.reason, by: req.auth!.userId });
    log.info({ reqId: req.id, by: req.auth!.userId, eventId: req.params.eventId, score: body.score, reason: body.reason, ok: reply.ok }, 'operator settled event');
    await record(req, 'event.settle', `event:${req.params.eventId}`, body.reason, reply, { score: body.score });
    if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, 409, reply.error.details);
    res.json(reply);
  });
  r.post('/admin/events/:eventId/markets/:marketId/resettle', operator, async (req, res) => {
    parseInput(marketPath, req.params, 'http/invalid_path');
    const body = parseInput(resettleSchema, req.body);
    const reply = await events.command(String(req.params.eventId), { type: 'resettle', marketId: String(req.params.marketId), result: body.result, reason: body.reason, by: req.auth!.userId });
    log.info({ reqId: req.id, by: req.auth!.userId, eventId: req.params.eventId, marketId: req.params.marketId, result: body.result, reason: body.reason, ok: reply.ok }, 'operator re-settlement');
    await record(req, 'market.resettle', `event:${req.params.eventId}/market:${req.params.marketId}`, body.reason, reply, { result: body.result });
    if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, 409, reply.error.details);
    res.json(reply);
  });
  return r;
}
