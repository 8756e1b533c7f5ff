/**
 * Composition root: config → store → services → Colyseus server → listen. `startApp` is what
 * `npm start` runs (through main.ts) and what integration tests boot on a free port.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Server, LocalPresence, LocalDriver, matchMaker, type Presence, type MatchMakerDriver } from '@colyseus/core';
import type { Redis } from 'ioredis';
import { clusterRedis, whenReady, withClearRedisErrors } from './cluster/redis.ts';
import { ListingGuard } from './cluster/listings.ts';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { RedisPresence } from '@colyseus/redis-presence';
import { RedisDriver } from '@colyseus/redis-driver';
import type { Application, Router } from 'express';
import { monitorRouter } from './http/monitor.ts';
import { ConfigError, type Config } from './config.ts';
import { describeIssues } from './errors.ts';
import { OutageLog, createLogger, type Logger } from './logger.ts';
import { frameworkLogger } from './framework-log.ts';
import type { Store } from './store/types.ts';
import { openSqliteStore } from './store/sqlite/index.ts';
import { WalletService } from './wallet/service.ts';
import { TokenSigner } from './auth/tokens.ts';
import { AuthService, credentialsSchema } from './auth/service.ts';
import { mountHttp, type ReadinessCheck } from './http/routes.ts';
import { requireAuth } from './http/auth.ts';
import { installEdge } from './http/edge.ts';
import { EdgeLimits } from './http/limits.ts';
import { clientAddress } from './http/address.ts';
import { installRoomServices, type RoomServices } from '../rooms/context.ts';
import { LobbyRoom } from '../rooms/LobbyRoom.ts';
import { announceRoom } from '../rooms/registry.ts';
import { lobbyRoomId } from '../rooms/room-ids.ts';
import { registerFeatures, type Features } from './features.ts';
import { ProtectionService } from './protection/service.ts';
import { ExclusionBus } from './protection/bus.ts';
import { RealityChecks } from './protection/reality.ts';
import { GeoGate } from './geo/gate.ts';
import { KycService } from './kyc/service.ts';
import { ProfileService } from './profiles/service.ts';
import { SandboxKycProvider, SandboxScreening } from './kyc/provider.ts';
import type { FeedSource } from './feed/types.ts';

export interface AppOptions {
  config: Config;
  log?: Logger;
  now?: () => number;
  randomSeed?: () => string;
  /** Feed source for live events (default: in-process hub, or Redis Streams with REDIS_URL). */
  feed?: FeedSource;
}

export interface RunningApp {
  port: number;
  config: Config;
  services: RoomServices;
  server: Server;
  features: Features;
  /** Stops taking joins and requests, disposes rooms (they persist), closes the store. */
  close(): Promise<void>;
}

export async function openStore(config: Config, log: Logger): Promise<Store> {
  if (config.mongodbUrl) {
    // Loaded only when configured, so the embedded default never loads the driver.
    const { openMongoStore } = await import('./store/mongodb/index.ts');
    const { chooseDbName, redactUrl } = await import('./store/mongodb/deployment.ts');
    log.info({ url: redactUrl(config.mongodbUrl), db: chooseDbName(config.mongodbUrl) }, 'opening MongoDB store');
    return openMongoStore({ url: config.mongodbUrl, currency: config.currency });
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'casino.sqlite');
  log.info({ file }, 'opening embedded SQLite store');
  return openSqliteStore({
    path: file,
    currency: config.currency,
    // Nothing can be written any more: stop, like a crash, so the supervisor (PM2) restarts the
    // process and, in a cluster, another process takes its rooms over from their journals.
    // Everything acknowledged is already durable.
    onWriterLost: (err) => {
      log.fatal({ err }, 'the store\'s writer thread died: exiting');
      process.exit(70);
    },
  });
}

function clusterBackends(config: Config, log: Logger, listings: ListingGuard): { presence: Presence; driver: MatchMakerDriver; readiness: ReadinessCheck[]; ready: () => Promise<void>; redis: Redis | null } {
  if (!config.redisUrl) return { presence: new LocalPresence(), driver: new LocalDriver(), readiness: [], ready: async () => undefined, redis: null };
  log.info({ publicAddress: config.publicAddress }, 'using Redis presence and driver');
  // After Redis comes back (possibly empty), re-publish this process's room listings.
  const restore = () => void matchMaker.restoreMissingRoomCaches().catch((err) => log.warn({ err }, 'could not restore room listings'));
  // Colyseus' own keys (room listings, stats) live under the deployment's prefix too.
  const keyPrefix = config.redisPrefix;
  const pub = clusterRedis(config.redisUrl, log, 'presence', { keyPrefix });
  const drv = clusterRedis(config.redisUrl, log, 'driver', { keyPrefix, onReconnect: restore });
  const leases = clusterRedis(config.redisUrl, log, 'leases');
  const presence = new RedisPresence(pub); // subscribes on a duplicate of `pub`, re-subscribing after reconnects
  const sub = (presence as unknown as { sub: Redis }).sub;
  // The subscriber is a duplicate of `pub` without its listeners: without one, ioredis prints every
  // connection error as a multi-line "Unhandled error event" to stderr during an outage.
  const subLog = new OutageLog(log, 'redis (presence subscriber)');
  sub.on('error', (err) => subLog.failed(err));
  sub.on('ready', () => subLog.ok());
  const driver = new RedisDriver(drv);
  return {
    presence: withClearRedisErrors(presence),
    driver: withClearRedisErrors(listings.wrap(driver)),
    redis: leases,
    ready: async () => void (await Promise.all([whenReady(pub), whenReady(sub), whenReady(drv), whenReady(leases)])),
    readiness: [{ name: 'redis', check: async () => void (await drv.ping()) }],
  };
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.logLevel);
  const now = opts.now ?? Date.now;
  if (config.insecureTokenSecret) {
    log.warn('DEV_MODE: tokens are signed with the built-in, PUBLIC secret: anyone can forge a token for any account, admin included. For development on your own machine only; set TOKEN_SECRET for anything reachable by others.');
  }
  const store = await openStore(config, log);
  let draining = false;
  try {
    const wallet = new WalletService(store.wallet, config.currency);
    await wallet.bootstrap({ houseFloatMinor: config.houseFloatMinor, promotionsBudgetMinor: config.promotionsBudgetMinor });
    const tokens = new TokenSigner(config.tokenSecret, config.tokenTtlSeconds, now);
    const geo = await GeoGate.open(config.geo);
    const exclusions = new ExclusionBus(config.redisPrefix, log);
    const protection = new ProtectionService(store, config.protection, log, now, exclusions);
    const realityChecks = new RealityChecks(protection, store, exclusions, now, log);
    protection.onAdmitted = (userId, record) => realityChecks.watch(userId, record);
    const kyc = new KycService(store.journal, new SandboxKycProvider(config.kyc.validityMs), new SandboxScreening(), protection, config.kyc, log, now);
    protection.onBlocked = (userId, record) => kyc.onBlocked(userId, record);
    const profiles = new ProfileService(store.journal, now);
    const auth = new AuthService(store.users, wallet, tokens, config.demoBalanceMinor, now, {
      openAccount: (userId) => protection.openAccount(userId),
      startSession: async (userId) => void (await protection.command(userId, (at) => ({ type: 'startSession', at }))),
      assertTokenValid: (userId, issuedAtMs) => protection.assertTokenValid(userId, issuedAtMs),
    });
    if (config.adminUsername && config.adminPassword) {
      const ok = credentialsSchema.safeParse({ username: config.adminUsername, password: config.adminPassword });
      if (!ok.success) throw new ConfigError('ADMIN_USERNAME/ADMIN_PASSWORD', `valid credentials (${describeIssues(ok.error.issues)})`, config.adminUsername);
      await auth.ensureAdmin(config.adminUsername, config.adminPassword);
    }

    const listings = new ListingGuard();
    const { presence, driver, readiness, ready, redis } = clusterBackends(config, log, listings);
    await ready();
    const limits = new EdgeLimits(config, redis);
    const services: RoomServices = {
      config, log, store, wallet, auth, tokens, limits, now, protection, geo, kyc, profiles,
      randomSeed: opts.randomSeed ?? (() => randomBytes(32).toString('hex')),
      onOwnershipLost: (roomId) => listings.block(roomId),
    };
    installRoomServices(services);

    const extraRoutes: Router[] = [];
    const server = new Server({
      transport: new WebSocketTransport({ maxPayload: config.limits.wsMessageBytes, pingInterval: 5000, pingMaxRetries: 3 }),
      presence,
      driver,
      publicAddress: config.redisUrl ? config.publicAddress : undefined,
      gracefullyShutdown: false,
      greet: false,
      logger: frameworkLogger(log),
      express: (app: Application) => {
        const adminOnly = requireAuth(tokens, auth, ['admin']);
        app.use('/colyseus', ...monitorRouter(adminOnly));
        mountHttp(app, {
          log, auth, tokens, wallet,
          bodyLimitBytes: config.limits.httpBodyBytes,
          limits,
          trustProxy: config.http.trustProxy,
          metricsToken: config.http.metricsToken,
          readiness: [{ name: 'store', check: () => store.ping() }, ...readiness],
          isDraining: () => draining,
          extraRoutes,
          now,
          geo,
          // The country at registration (and at a login while none is known): promotions target it.
          onAuthenticated: (kind, userId, country) => profiles.recordCountry(userId, country, kind),
        });
      },
    });
    server.define('lobby', LobbyRoom);
    const features = await registerFeatures({ server, services, extraRoutes, feed: opts.feed, redis, listings });

    await server.listen(config.port, config.host);
    await exclusions.start();
    realityChecks.start();
    const httpServer = (server.transport as unknown as { server: http.Server }).server;
    installEdge(httpServer, { config, log, isDraining: () => draining, clientIp: clientAddress(config.http.trustProxy) });
    const port = (httpServer.address() as AddressInfo).port;
    // The lobby is the server's, one per process; clients only join it.
    const lobbyId = lobbyRoomId(matchMaker.processId);
    announceRoom('lobby', lobbyId);
    await matchMaker.handleCreateRoom('lobby', { lobbyId });
    await features.afterListen();
    log.info({ port, store: store.kind, cluster: Boolean(config.redisUrl) }, 'server listening');

    let closing: Promise<void> | null = null;
    return {
      port, config, services, server, features,
      close: () =>
        (closing ??= (async () => {
          draining = true;
          log.info('shutting down: draining rooms');
          await features.beforeShutdown();
          exclusions.stop();
          realityChecks.stop();
          await server.gracefullyShutdown(false);
          // Colyseus's matchmaker is one per process: when another server in this process (tests)
          // shut it down first, gracefullyShutdown returns early and leaves this one listening.
          if (httpServer.listening) {
            httpServer.closeAllConnections();
            await new Promise<void>((resolve) => httpServer.close(() => resolve()));
          }
          await features.feed.close();
          await features.prices.close();
          await store.close();
          installRoomServices(null);
          log.info('shutdown complete');
        })()),
    };
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
}
