/**
 * Where capabilities plug into the server: casino tables and live events define their rooms and
 * HTTP routers here, start after listen and stop before shutdown.
 */
import { matchMaker, type Server } from '@colyseus/core';
import type { Router } from 'express';
import type { RoomServices } from '../rooms/context.ts';
import { RouletteRoom } from '../rooms/roulette/RouletteRoom.ts';
import { rouletteRoutes } from '../rooms/roulette/routes.ts';
import { MarketRoom } from '../rooms/market/MarketRoom.ts';
import { marketRoutes } from '../rooms/market/routes.ts';
import { installFeedSource } from '../rooms/market/services.ts';
import { announceRoom } from '../rooms/registry.ts';
import { requireAuth } from './http/auth.ts';
import { EventService } from './events.ts';
import { FeedHub } from './feed/hub.ts';
import { RedisStreamFeed } from './feed/redis-streams.ts';
import { SimulatorDriver } from './feed/simulator-driver.ts';
import type { FeedSource } from './feed/types.ts';

export interface FeedContext {
  server: Server;
  services: RoomServices;
  extraRoutes: Router[];
  /** Tests inject their own feed source. */
  feed?: FeedSource;
}

export interface Features {
  feed: FeedSource;
  events: EventService;
  afterListen(): Promise<void>;
  beforeShutdown(): Promise<void>;
}

export function rouletteTableIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `roulette-${i + 1}`);
}

export async function registerFeatures(ctx: FeedContext): Promise<Features> {
  const { server, services } = ctx;
  const { config, log, store } = services;
  const authed = requireAuth(services.tokens, services.auth);
  const operator = requireAuth(services.tokens, services.auth, ['operator', 'admin']);

  const tables = rouletteTableIds(config.rouletteTables);
  server.define('roulette', RouletteRoom).filterBy(['tableId']).enableRealtimeListing();
  ctx.extraRoutes.push(rouletteRoutes(store.games, authed));

  const feed: FeedSource =
    ctx.feed ?? (config.redisUrl ? new RedisStreamFeed(config.redisUrl, config.redisPrefix, (err, eventId) => log.warn({ err, eventId }, 'feed stream read failed; retrying')) : new FeedHub());
  installFeedSource(feed);
  const schedule = { seed: config.simulator.seed, anchorAt: 0, everyMs: config.simulator.everyMs, preMatchMs: config.simulator.preMatchMs, msPerMinute: config.simulator.msPerMinute };
  let simulator: SimulatorDriver | null = null;
  const events = new EventService(store.games, log, () => simulator?.upcoming(3600_000) ?? []);
  if (config.simulator.enabled) {
    simulator = new SimulatorDriver({
      schedule, feed, now: services.now,
      onListed: (m) => events.open(m),
      onError: (err) => log.error({ err }, 'match simulator failed'),
    });
  }
  server.define('market', MarketRoom).filterBy(['eventId']).enableRealtimeListing();
  ctx.extraRoutes.push(marketRoutes(events, feed, operator, log));

  return {
    feed,
    events,
    async afterListen() {
      for (const tableId of tables) {
        announceRoom('roulette', tableId);
        await matchMaker.createRoom('roulette', { tableId });
      }
      await events.reopenUnfinished();
      simulator?.start();
    },
    async beforeShutdown() {
      simulator?.stop();
    },
  };
}
