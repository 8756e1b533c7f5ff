/**
 * HTTP routes of the live events: the public listing, operators' event creation, feed ingest and
 * market controls (docs/API.md). Operator routes need the operator or admin role.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { FITTED_STRENGTHS } from '../../actors/sportsbook/index.ts';
import { expectedGoals } from '../../actors/odds/index.ts';
import { AppError } from '../../server/errors.ts';
import type { EventService } from '../../server/events.ts';
import type { FeedSource } from '../../server/feed/types.ts';
import { parseInput } from '../../server/http/validate.ts';
import type { Logger } from '../../server/logger.ts';

const eventId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits and _ . - only');
const createSchema = z.object({
  eventId,
  league: z.string().min(1).max(32),
  home: z.string().min(1).max(64),
  away: z.string().min(1).max(64),
  lambdaHome: z.number().positive().max(10).optional(),
  lambdaAway: z.number().positive().max(10).optional(),
  startsAt: z.number().int().positive(),
});
const reason = z.string().min(1, 'a reason is required').max(200);
const marketAction = z.object({ reason });
const resettleSchema = z.object({ reason, result: z.union([z.object({ winner: z.string().min(1).max(64) }), z.object({ void: z.literal(true) })]) });

export function marketRoutes(events: EventService, feed: FeedSource, operator: RequestHandler, log: Logger): Router {
  const r = Router();
  r.get('/events', async (_req, res) => {
    res.json({ items: await events.list() });
  });

  r.post('/admin/events', operator, async (req, res) => {
    const body = parseInput(createSchema, req.body);
    let { lambdaHome, lambdaAway } = body;
    if (lambdaHome === undefined || lambdaAway === undefined) {
      const league = FITTED_STRENGTHS.leagues[body.league];
      if (!league) throw new AppError('event/unknown_league', `give lambdaHome and lambdaAway, or a fitted league (${Object.keys(FITTED_STRENGTHS.leagues).join(', ')})`, 400);
      ({ lambdaHome, lambdaAway } = expectedGoals(league, body.home, body.away));
    }
    await events.open({ ...body, lambdaHome, lambdaAway });
    log.info({ reqId: req.id, by: req.auth!.userId, eventId: body.eventId }, 'operator created event');
    res.status(201).json({ eventId: body.eventId, lambdaHome, lambdaAway });
  });

  // Feed ingest for providers that push over HTTP; the message is validated by the event room.
  r.post('/admin/feed', operator, async (req, res) => {
    const msg = req.body as { eventId?: unknown };
    if (typeof msg !== 'object' || msg === null || typeof msg.eventId !== 'string' || !eventId.safeParse(msg.eventId).success) {
      throw new AppError('feed/malformed', 'a feed message is a JSON object with an eventId (see docs/SPORTSBOOK.md)', 400);
    }
    await feed.publish(msg.eventId, req.body);
    res.status(202).json({ accepted: true });
  });

  for (const action of ['suspend', 'resume', 'void'] as const) {
    r.post(`/admin/events/:eventId/markets/:marketId/${action}`, operator, async (req, res) => {
      const body = parseInput(marketAction, req.body);
      const type = `${action}Market` as const;
      const reply = await events.command(String(req.params.eventId), { type, marketId: String(req.params.marketId), reason: body.reason, by: req.auth!.userId });
      log.info({ reqId: req.id, by: req.auth!.userId, eventId: req.params.eventId, marketId: req.params.marketId, action, reason: body.reason, ok: reply.ok }, 'operator market action');
      if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, 409, reply.error.details);
      res.json(reply);
    });
  }
  for (const action of ['suspend', 'resume'] as const) {
    r.post(`/admin/events/:eventId/${action}`, operator, async (req, res) => {
      const body = parseInput(marketAction, req.body);
      const reply = await events.command(String(req.params.eventId), { type: `${action}Event`, reason: body.reason, by: req.auth!.userId });
      log.info({ reqId: req.id, by: req.auth!.userId, eventId: req.params.eventId, action, reason: body.reason, ok: reply.ok }, 'operator event action');
      if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, 409, reply.error.details);
      res.json(reply);
    });
  }
  r.post('/admin/events/:eventId/markets/:marketId/resettle', operator, async (req, res) => {
    const body = parseInput(resettleSchema, req.body);
    const reply = await events.command(String(req.params.eventId), { type: 'resettle', marketId: String(req.params.marketId), result: body.result, reason: body.reason, by: req.auth!.userId });
    log.info({ reqId: req.id, by: req.auth!.userId, eventId: req.params.eventId, marketId: req.params.marketId, result: body.result, reason: body.reason, ok: reply.ok }, 'operator re-settlement');
    if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, 409, reply.error.details);
    res.json(reply);
  });
  return r;
}
