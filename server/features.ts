/**
 * Where capabilities (tables, live events, admin…) plug into the server: each defines its rooms
 * and HTTP routers here and may act after listen and before shutdown.
 */
import type { Server } from '@colyseus/core';
import type { Router } from 'express';
import type { RoomServices } from '../rooms/context.ts';

export interface FeatureContext {
  server: Server;
  services: RoomServices;
  extraRoutes: Router[];
}

export interface Features {
  afterListen(): Promise<void>;
  beforeShutdown(): Promise<void>;
}

export async function registerFeatures(_ctx: FeatureContext): Promise<Features> {
  return { afterListen: async () => undefined, beforeShutdown: async () => undefined };
}
