/**
 * Platform controls: processes and rooms (from the matchmaker, cluster-wide), the table
 * configuration, locking a room against new joins (players inside stay; reconnections still
 * work), and draining a process (locking every room it hosts, so new players go elsewhere).
 * Room calls go through `matchMaker.remoteRoomCall`, so the room may live on another process.
 */
import { matchMaker, type Room } from '@colyseus/core';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import type { RoomServices } from '../../rooms/context.ts';
import type { AuditTrail } from './audit.ts';
import { callRoom } from '../../rooms/remote.ts';
import { clusterProcesses } from './monitoring.ts';
import { pathId, reasonBody } from './schemas.ts';

interface Listing {
  roomId: string;
  name: string;
  processId: string;
  clients: number;
  maxClients: number;
  locked: boolean;
  metadata?: Record<string, unknown>;
}

const MAX_ROOMS_LISTED = 2_000;

async function listRooms(conditions: Record<string, unknown> = {}): Promise<Listing[]> {
  const rooms = (await matchMaker.query(conditions as never)) as unknown as Listing[];
  return rooms.slice(0, MAX_ROOMS_LISTED).map((r) => ({
    roomId: r.roomId, name: r.name, processId: r.processId, clients: r.clients, maxClients: r.maxClients, locked: Boolean(r.locked), metadata: r.metadata ?? {},
  }));
}

async function setLocked(roomId: string, locked: boolean): Promise<void> {
  try {
    await (locked ? callRoom<Room, 'lock'>(roomId, 'lock') : callRoom<Room, 'unlock'>(roomId, 'unlock'));
  } catch (err) {
    throw new AppError('admin/room_unavailable', `room ${roomId} did not answer: ${(err as Error).message}`, 503);
  }
}

export function platformRoutes(svc: RoomServices, operator: RequestHandler, audit: AuditTrail): Router {
  const r = Router();
  const { config } = svc;

  r.get('/admin/platform', operator, async (_req, res) => {
    const [processes, rooms] = await Promise.all([clusterProcesses(), listRooms()]);
    res.json({
      processId: matchMaker.processId,
      processes,
      rooms,
      tables: {
        roulette: {
          count: config.rouletteTables,
          bettingWindowMs: config.rouletteBettingWindowMs,
          spinMs: config.rouletteSpinMs,
          pauseMs: config.roulettePauseMs,
          tables: rooms.filter((room) => room.name === 'roulette').map((room) => ({
            tableId: room.roomId, clients: room.clients, locked: room.locked,
            minBetMinor: room.metadata?.minBetMinor ?? null, maxBetMinor: room.metadata?.maxBetMinor ?? null,
          })),
        },
        sportsbook: { betDelayMs: config.betDelayMs, resumeAfterMs: config.marketResumeAfterMs },
      },
    });
  });

  for (const action of ['lock', 'unlock'] as const) {
    r.post(`/admin/platform/rooms/:roomId/${action}`, operator, async (req, res) => {
      const body = parseInput(reasonBody, req.body);
      const roomId = parseInput(pathId, String(req.params.roomId), 'http/invalid_path');
      const [room] = await listRooms({ roomId });
      if (!room) throw new AppError('admin/room_not_found', `no room ${roomId}`, 404);
      await setLocked(roomId, action === 'lock');
      const entry = await audit.record(req.auth!, `room.${action}`, `room:${roomId}`, body.reason, { name: room.name, processId: room.processId, wasLocked: room.locked });
      res.json({ roomId, locked: action === 'lock', auditSeq: entry.seq });
    });
  }

  // `self` names the process answering the request.
  for (const action of ['drain', 'undrain'] as const) {
    r.post(`/admin/platform/processes/:processId/${action}`, operator, async (req, res) => {
      const body = parseInput(reasonBody, req.body);
      const raw = parseInput(pathId, String(req.params.processId), 'http/invalid_path');
      const processId = raw === 'self' ? matchMaker.processId : raw;
      const known = (await clusterProcesses()).some((p) => p.processId === processId);
      if (!known) throw new AppError('admin/process_not_found', `no process ${processId}`, 404);
      const rooms = await listRooms({ processId });
      const failed: string[] = [];
      await Promise.all(rooms.map((room) => setLocked(room.roomId, action === 'drain').catch(() => failed.push(room.roomId))));
      const entry = await audit.record(req.auth!, `process.${action}`, `process:${processId}`, body.reason, { rooms: rooms.length, failed });
      res.json({ processId, rooms: rooms.map((room) => room.roomId), failed, auditSeq: entry.seq });
    });
  }
  return r;
}
