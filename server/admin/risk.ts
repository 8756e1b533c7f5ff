/**
 * Risk for operators: every live event's exposure at a glance, and one event's liability per
 * selection, biggest exposures, limits and top players (the market room's `risk()`, reached
 * through the matchmaker so the room may live on another process).
 */
import { matchMaker } from '@colyseus/core';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import type { EventService } from '../events.ts';
import { parseInput } from '../http/validate.ts';
import type { RoomServices } from '../../rooms/context.ts';
import type { EventRisk } from '../../rooms/market/risk.ts';
import type { MarketRoom } from '../../rooms/market/MarketRoom.ts';
import { callRoom } from '../../rooms/remote.ts';
import { pathId } from './schemas.ts';

async function riskOf(eventId: string): Promise<EventRisk> {
  const rooms = await matchMaker.query({ roomId: eventId, name: 'market' } as never);
  if (rooms.length === 0) throw new AppError('event/not_found', `no live event ${eventId}`, 404);
  let risk: EventRisk | null;
  try {
    risk = await callRoom<MarketRoom, 'risk'>(eventId, 'risk');
  } catch (err) {
    throw new AppError('admin/room_unavailable', `event ${eventId} did not answer: ${(err as Error).message}`, 503);
  }
  if (!risk) throw new AppError('event/not_found', `event ${eventId} is not ready`, 404);
  return risk;
}

export function riskRoutes(svc: RoomServices, events: EventService, operator: RequestHandler): Router {
  const r = Router();

  r.get('/admin/risk', operator, async (_req, res) => {
    const listed = (await events.list()).filter((e) => e.status === 'in_play' || e.status === 'scheduled').slice(0, 200);
    const live = new Set(((await matchMaker.query({ name: 'market' } as never)) as unknown as Array<{ roomId: string }>).map((room) => room.roomId));
    const items = await Promise.all(
      listed.filter((e) => live.has(e.eventId)).map(async (e) => {
        try {
          const risk = await riskOf(e.eventId);
          const top = risk.biggestExposures[0] ?? null;
          return {
            eventId: e.eventId, league: e.league, home: e.home, away: e.away, status: risk.status, minute: risk.minute, score: risk.score,
            openBets: risk.openBets, openStakeMinor: risk.openStakeMinor, worstCaseMinor: risk.worstCaseMinor,
            biggestExposure: top && { marketId: top.marketId, selectionId: top.selectionId, name: `${top.marketName}: ${top.name}`, liabilityMinor: top.liabilityMinor },
            suspendedMarkets: risk.markets.filter((m) => m.status === 'suspended').length,
          };
        } catch (err) {
          return { eventId: e.eventId, league: e.league, home: e.home, away: e.away, status: e.status, error: (err as Error).message };
        }
      }),
    );
    res.json({ items });
  });

  r.get('/admin/risk/events/:eventId', operator, async (req, res) => {
    const eventId = parseInput(pathId, String(req.params.eventId), 'http/invalid_path');
    const risk = await riskOf(eventId);
    // Names for the players with most at stake (at most 10 look-ups).
    const topPlayers = await Promise.all(risk.topPlayers.map(async (p) => ({ ...p, username: (await svc.store.users.findById(p.playerId))?.username ?? null })));
    res.json({ ...risk, topPlayers });
  });
  return r;
}
