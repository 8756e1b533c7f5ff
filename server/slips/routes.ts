/**
 * HTTP routes of the bet slip (docs/API.md "Slips"): place a slip, read it, price a bet builder,
 * quote and execute a cash-out. Players only see their own slips.
 */
import { Router, type RequestHandler } from 'express';
import { builderQuoteSchema, cashOutSlipSchema, placeSlipSchema } from '../../protocol/slips.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import { pathId } from '../admin/schemas.ts';
import type { Reply } from '../../rooms/messages.ts';
import type { SlipCashOut } from './cashout.ts';
import type { SlipService } from './service.ts';

/** HTTP status of a refused slip: bad input 400, not found 404, unavailable 503, the rest a conflict. */
function statusOf(code: string): number {
  if (code === 'slip/invalid' || code.startsWith('builder/')) return 400;
  if (code.endsWith('/not_found')) return 404;
  if (code === 'slip/busy' || code === 'slip/leg_unavailable') return 503;
  return 409;
}

function ok<T extends object>(reply: Reply<T>): T {
  if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, statusOf(reply.error.code), reply.error.details);
  const { ok: _ok, ...rest } = reply as { ok: true } & T;
  return rest as T;
}

export function slipRoutes(slips: SlipService, cashOut: SlipCashOut, authed: RequestHandler): Router {
  const r = Router();
  r.post('/slips', authed, async (req, res) => {
    const body = parseInput(placeSlipSchema, req.body);
    const reply = await slips.place(req.auth!.userId, body);
    const placed = ok(reply);
    res.status(placed.replayed ? 200 : 201).json(placed);
  });

  r.post('/slips/builder-quote', authed, async (req, res) => {
    const body = parseInput(builderQuoteSchema, req.body);
    const quote = ok(await slips.rooms.builderPrice(body.eventId, body.selections));
    res.json({ eventId: body.eventId, ...quote });
  });

  r.get('/slips', authed, async (req, res) => {
    res.json({ items: await slips.list(req.auth!.userId) });
  });

  r.get('/slips/:slipId', authed, async (req, res) => {
    const slipId = parseInput(pathId, String(req.params.slipId), 'http/invalid_path');
    const slip = await slips.get(req.auth!.userId, slipId);
    if (!slip) throw new AppError('slip/not_found', 'no such slip of yours', 404);
    res.json({ slip });
  });

  r.get('/slips/:slipId/cash-out', authed, async (req, res) => {
    const slipId = parseInput(pathId, String(req.params.slipId), 'http/invalid_path');
    res.json(ok(await cashOut.quote(req.auth!.userId, slipId)));
  });

  r.post('/slips/:slipId/cash-out', authed, async (req, res) => {
    const slipId = parseInput(pathId, String(req.params.slipId), 'http/invalid_path');
    const body = parseInput(cashOutSlipSchema, req.body);
    res.json(ok(await cashOut.execute(req.auth!.userId, slipId, body.offerMinor)));
  });
  return r;
}
