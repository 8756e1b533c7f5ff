/**
 * Where capabilities (tables, live events, admin…) plug into the server: each defines its rooms
 * and HTTP routers here and may act after listen and before shutdown.
 */
import { matchMaker, type Server } from '@colyseus/core';
import type { Router } from 'express';
import type { RoomServices } from '../rooms/context.ts';
import { RouletteRoom } from '../rooms/roulette/RouletteRoom.ts';
import { rouletteRoutes } from '../rooms/roulette/routes.ts';
import { announceTable } from '../rooms/roulette/registry.ts';
import { requireAuth } from './http/auth.ts';

export interface FeatureContext {
  server: Server;
  services: RoomServices;
  extraRoutes: Router[];
}

export interface Features {
  afterListen(): Promise<void>;
  beforeShutdown(): Promise<void>;
}

export function rouletteTableIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `roulette-${i + 1}`);
}

export async function registerFeatures(ctx: FeatureContext): Promise<Features> {
  const { server, services } = ctx;
  const tables = rouletteTableIds(services.config.rouletteTables);
  server.define('roulette', RouletteRoom).filterBy(['tableId']).enableRealtimeListing();
  ctx.extraRoutes.push(rouletteRoutes(services.store.games, requireAuth(services.tokens, services.auth)));
  return {
    async afterListen() {
      for (const tableId of tables) {
        announceTable(tableId);
        await matchMaker.createRoom('roulette', { tableId });
      }
    },
    async beforeShutdown() {},
  };
}
