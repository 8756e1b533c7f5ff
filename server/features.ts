/**
 * Where capabilities plug into the server: casino tables and live events define their rooms and
 * HTTP routers here, start after listen and stop before shutdown. On one process rooms are
 * created here; in a cluster (REDIS_URL) each room is created by the process that wins its
 * ownership lease (server/cluster).
 */
import os from 'node:os';
import { matchMaker, type Server } from '@colyseus/core';
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import { matchesInWindow, type ScheduleOptions } from './feed/simulator/index.ts';
import type { RoomServices } from '../rooms/context.ts';
import { RouletteRoom } from '../rooms/roulette/RouletteRoom.ts';
import { rouletteRoutes } from '../rooms/roulette/routes.ts';
import { CrashRoom } from '../rooms/crash/CrashRoom.ts';
import { BlackjackRoom } from '../rooms/blackjack/BlackjackRoom.ts';
import { blackjackRoutes } from '../rooms/blackjack/routes.ts';
import { MarketRoom } from '../rooms/market/MarketRoom.ts';
import { marketRoutes } from '../rooms/market/routes.ts';
import { installBetPromotions, installFeedSource, installSlipNotifier, installStakeFactors } from '../rooms/market/services.ts';
import { setUpSlips, type Slips } from './slips/index.ts';
import { StakeFactors, stakeFactorRoutes } from './admin/stake-factors.ts';
import { announceRoom } from '../rooms/registry.ts';
import { reservedEventIdReason } from '../rooms/room-ids.ts';
import { requireAuth } from './http/auth.ts';
import { webRoutes } from './http/web.ts';
import { apiDocsRoutes } from './http/api-docs.ts';
import { createAdmin } from './admin/index.ts';
import { EventService } from './events.ts';
import { FeedHub } from './feed/hub.ts';
import { RedisStreamFeed } from './feed/redis-streams.ts';
import { ReopenRequests } from './cluster/reopen.ts';
import { SimulatorDriver } from './feed/simulator-driver.ts';
import type { FeedSource } from './feed/types.ts';
import { LeaseManager } from './cluster/lease.ts';
import { type ListingGuard, republishListings } from './cluster/listings.ts';
import { RoomOwnership, type DesiredRoom } from './cluster/ownership.ts';
import type { Config } from './config.ts';
import { OutageLog } from './logger.ts';
import { setUpPricing, type Pricing } from './pricing/index.ts';
import { pricingRoutes } from './pricing/routes.ts';
import { PaymentService } from './payments/service.ts';
import { paymentRoutes } from './payments/routes.ts';
import { SandboxProvider } from './payments/sandbox-adapter.ts';
import { CampaignBook } from './promotions/campaigns.ts';
import { promotionRoutes } from './promotions/routes.ts';
import { PromotionsService } from './promotions/service.ts';
import { AutomaticDepositMatch } from './promotions/automatic.ts';
import { ChargebackBonusRule } from './promotions/chargeback.ts';
import { CashBackJob, redisJobLease } from './promotions/cashback-job.ts';
import { profileRoutes } from './profiles/routes.ts';
import { setUpFundsReturns, type FundsReturns } from './protection/funds-return-setup.ts';
import { fundsReturnRoutes } from './protection/funds-return-routes.ts';
import { protectionRoutes } from './protection/routes.ts';
import { kycRoutes } from './kyc/routes.ts';
import { AmlMonitor } from './aml/monitor.ts';
import { AmlCases } from './aml/cases.ts';
import { amlRoutes } from './aml/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { setUpServerRisk, type ServerRisk } from './risk/index.ts';
import { riskConsoleRoutes, riskProxyRoutes } from './risk/routes.ts';

export interface FeatureContext {
  server: Server;
  services: RoomServices;
  extraRoutes: Router[];
  /** Tests inject their own feed source (and price feed). */
  feed?: FeedSource;
  prices?: FeedSource;
  /** Set in cluster mode. */
  redis?: Redis | null;
  listings?: ListingGuard;
}

export interface Features {
  feed: FeedSource;
  /** The price feed: external market prices of events. */
  prices: FeedSource;
  pricing: Pricing;
  stakeFactors: StakeFactors;
  events: EventService;
  /** The risk stream's publisher, and the risk service when this process runs it (docs/FRAUD.md). */
  risk: ServerRisk;
  /** The cashier; null when no PSP is configured (PSP_URL). */
  payments: PaymentService | null;
  promotions: PromotionsService;
  /** The automatic cash-back job (tests run it by hand with their clock). */
  cashBack: CashBackJob;
  /** Self-exclusion's return of funds; null without a cashier. */
  fundsReturns: FundsReturns | null;
  ownership: RoomOwnership | null;
  /** The bet-slip service (multiples across events). */
  slips: Slips;
  afterListen(): Promise<void>;
  beforeShutdown(): Promise<void>;
}

export function rouletteTableIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `roulette-${i + 1}`);
}

export function crashRoomIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `crash-${i + 1}`);
}

export function blackjackTableIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `blackjack-${i + 1}`);
}

export function demoSchedule(config: Config): ScheduleOptions {
  const s = config.simulator;
  return { seed: s.seed, anchorAt: 0, everyMs: s.everyMs, preMatchMs: s.preMatchMs, msPerMinute: s.msPerMinute };
}

/**
 * Builds the room on this process (never through the matchmaker's process selection: in a
 * cluster the process that won the room's lease must be the one hosting it).
 */
async function createRoom(kind: 'roulette' | 'blackjack' | 'crash' | 'market', id: string, options: Record<string, unknown>, listings?: ListingGuard): Promise<void> {
  announceRoom(kind, id);
  listings?.unblock(id);
  await matchMaker.handleCreateRoom(kind, options);
}

type Handoverable = { relinquish(): void; handOver(): Promise<void> };

export async function registerFeatures(ctx: FeatureContext): Promise<Features> {
  const { server, services } = ctx;
  const { config, log, store } = services;
  const authed = requireAuth(services.tokens, services.auth);
  const operator = requireAuth(services.tokens, services.auth, ['operator', 'admin']);
  const clustered = Boolean(ctx.redis);

  const tables = rouletteTableIds(config.rouletteTables);
  server.define('roulette', RouletteRoom).filterBy(['tableId']).enableRealtimeListing();
  const crashRooms = crashRoomIds(config.crash.rooms);
  server.define('crash', CrashRoom).filterBy(['tableId']).enableRealtimeListing();
  const blackjackTables = blackjackTableIds(config.blackjackTables);
  server.define('blackjack', BlackjackRoom).filterBy(['tableId']).enableRealtimeListing();
  ctx.extraRoutes.push(blackjackRoutes(store.games));
  ctx.extraRoutes.push(rouletteRoutes(store.games, authed));

  // Every event's stream reader fails while Redis is down: one line per outage, not one per reader per retry.
  const streamsLog = new OutageLog(log, 'redis streams');
  const streamFeed = (stream: 'feed' | 'prices') =>
    new RedisStreamFeed(config.redisUrl!, config.redisPrefix, (err, eventId) => streamsLog.failed(err, { stream, eventId }), stream, () => streamsLog.ok());
  const feed: FeedSource = ctx.feed ?? (config.redisUrl ? streamFeed('feed') : new FeedHub());
  const prices: FeedSource = ctx.prices ?? (config.redisUrl ? streamFeed('prices') : new FeedHub());
  installFeedSource(feed, prices);
  // In a cluster the feed process refits and lists events; servers follow its model files.
  const pricing = setUpPricing(config, log, services.now, clustered ? 'follow' : 'refit');
  const schedule = demoSchedule(config);
  const upcoming = () => (config.simulator.enabled ? matchesInWindow(schedule, services.now(), services.now() + 3600_000) : []);
  const reopening = ctx.redis ? new ReopenRequests(ctx.redis, config.redisPrefix, config.eventLingerMs, services.now) : null;
  const events = new EventService(store.games, log, upcoming, clustered ? 'cluster' : 'local', services.now, reopening ? (id) => reopening.request(id) : undefined);
  // In a cluster the feed process (server/feed-main.ts) runs the simulator, once for everyone.
  const simulator =
    config.simulator.enabled && !clustered
      ? new SimulatorDriver({ schedule, feed, prices, now: services.now, onListed: (m) => events.open(pricing.price(m)), onError: (err) => log.error({ err }, 'match simulator failed') })
      : null;
  server.define('market', MarketRoom).filterBy(['eventId']).enableRealtimeListing();
  // Operator console API (audited) and the browser apps at / and /admin.
  const admin = createAdmin(services, events);
  // Per-player stake factors (operators set them; live events scale the player's stake limits by them).
  const stakeFactors = new StakeFactors(store.journal, log, services.now);
  await stakeFactors.refresh();
  installStakeFactors((playerId) => stakeFactors.of(playerId));
  const pay = config.payments;
  const payments = pay.pspUrl
    ? new PaymentService(
        store, services.wallet,
        new SandboxProvider({ url: pay.pspUrl, publicUrl: pay.pspPublicUrl ?? undefined, apiKey: pay.pspApiKey, webhookSecret: pay.pspWebhookSecret, toleranceSeconds: pay.webhookToleranceSeconds }),
        pay, log, services.now,
      )
    : null;
  if (payments && config.kyc.requiredFor !== 'off') payments.beforeWithdrawal = (userId) => services.kyc.assertVerified(userId, 'a withdrawal');
  const aml = new AmlMonitor(store, config.aml, log, services.now);
  if (payments) payments.onRequested = (userId, payment, history) => aml.onPayment(userId, payment, history);
  await payments?.init();
  // The risk stream (every process publishes) and, on the embedded defaults, the risk service itself.
  const risk = await setUpServerRisk(config, store, stakeFactors, payments, log, services.now);
  // Multiples: this process's bet-slip service; event rooms here deliver leg results to it.
  const slips = setUpSlips(services, authed, (eventId) => events.ensureRoom(eventId));
  installSlipNotifier((n) => slips.service.legResulted(n));
  const promotions = new PromotionsService(store, services.wallet, new CampaignBook(store.journal), log, services.now, config.promotions, {
    // Deposit matches are claimed on a captured deposit of the cashier's (none without a PSP).
    deposits: async (userId) =>
      (await payments?.listForPlayer(userId, 200) ?? [])
        .filter((p) => p.kind === 'deposit' && p.status === 'captured')
        .map((p) => ({ paymentId: p.paymentId, amountMinor: p.amountMinor, at: Date.parse(p.createdAt) }))
        .reverse(),
    // Players on a time-out or self-excluded receive nothing (docs/COMPLIANCE.md).
    blocked: async (userId) => {
      const c = (await services.protection.record(userId)).controls;
      if (c.blockedUntil === null || services.now() >= c.blockedUntil) return null;
      return c.blockKind === 'self_exclusion' ? 'self_excluded' : 'time_out';
    },
    // Country (from registration) and VIP tier (operators) for targeting (server/profiles).
    profile: (userId) => services.profiles.forPromotions(userId),
  });
  // Automatic awards: deposit matches on a captured deposit, cash-back at each period's end (one process at a time in a cluster).
  if (payments) payments.onDepositCaptured = new AutomaticDepositMatch(promotions, store, log, services.now).onDepositCaptured;
  // A chargeback takes back the bonus its deposit bought (docs/PROMOTIONS.md §2.9).
  if (payments) payments.onChargedBack = new ChargebackBonusRule(promotions, store, services.wallet, log, services.now).onChargedBack;
  const jobOwner = `${config.publicAddress}#${process.pid}#${os.hostname()}`;
  const cashBack = new CashBackJob(promotions, store.users, store.journal, store.wallet, log, services.now, {
    lease: ctx.redis ? redisJobLease(new LeaseManager(ctx.redis, config.redisPrefix, jobOwner, 60_000), 'promotions-cashback') : null,
  });
  payments?.withdrawalChecks.push(promotions.withdrawalCheck);
  const fundsReturns = await setUpFundsReturns(services, payments, (userId, why) => promotions.forfeit(userId, why));
  installBetPromotions(promotions.betPromotion);
  ctx.extraRoutes.push(
    slips.router,
    promotionRoutes(promotions, store, authed, operator, admin.audit),
    profileRoutes(services.profiles, store.users, operator, admin.audit),
    paymentRoutes(payments, authed, operator, pay.webhooksPerSecondPerIp),
    marketRoutes(events, feed, operator, log, admin.audit, pricing, prices),
    pricingRoutes(pricing, operator, admin.audit),
    stakeFactorRoutes(stakeFactors, store.users, operator, admin.audit),
    protectionRoutes(services.protection, authed, operator, store.users),
    fundsReturnRoutes(fundsReturns, operator),
    kycRoutes(services.kyc, authed, operator, store.users, admin.audit),
    amlRoutes(aml, new AmlCases(store.journal, services.now), operator, store.users, admin.audit),
    reportRoutes(store, config.currency, config.aml.cumulativeThresholdMinor, operator, services.now),
    risk.service ? riskConsoleRoutes(risk.service, operator, admin.audit) : riskProxyRoutes(config.risk.url, log),
    admin.router,
    webRoutes(),
    apiDocsRoutes(),
  );

  const local = (roomId: string) => matchMaker.getLocalRoomById(roomId) as unknown as Handoverable | undefined;
  const ownership = ctx.redis
    ? new RoomOwnership({
        leases: new LeaseManager(ctx.redis, config.redisPrefix, jobOwner, config.cluster.leaseTtlMs),
        redis: ctx.redis,
        prefix: config.redisPrefix,
        pollMs: config.cluster.pollMs,
        log,
        desired: async (): Promise<DesiredRoom[]> => [
          ...tables.map((tableId) => ({ roomId: tableId, create: (fence: number) => createRoom('roulette', tableId, { tableId, fence }, ctx.listings) })),
          ...crashRooms.map((tableId) => ({ roomId: tableId, create: (fence: number) => createRoom('crash', tableId, { tableId, fence }, ctx.listings) })),
          ...blackjackTables.map((tableId) => ({ roomId: tableId, create: (fence: number) => createRoom('blackjack', tableId, { tableId, fence }, ctx.listings) })),
          ...[...(await store.games.listEvents({ statuses: ['scheduled', 'in_play'], limit: 1000 })), ...(reopening ? await reopening.listings(store.games) : [])].filter((e) => !reservedEventIdReason(e.eventId)).map((e) => ({
            roomId: e.eventId,
            create: (fence: number) => createRoom('market', e.eventId, { eventId: e.eventId, listing: e, fence }, ctx.listings),
          })),
        ],
        relinquish: async (roomId) => {
          ctx.listings?.block(roomId);
          local(roomId)?.relinquish();
        },
        handOver: async (roomId) => local(roomId)?.handOver(),
        exists: (roomId) => local(roomId) !== undefined,
        verifyListings: async (roomIds) => {
          const fixed = await republishListings(roomIds, (roomId) => ctx.listings?.isBlocked(roomId) ?? false);
          if (fixed.length > 0) log.warn({ rooms: fixed }, 'room listings were missing or named another process: re-published');
        },
      })
    : null;

  return {
    feed,
    prices,
    pricing,
    stakeFactors,
    events,
    payments,
    promotions,
    cashBack,
    fundsReturns,
    ownership,
    risk,
    slips,
    async afterListen() {
      admin.start();
      await risk.start();
      slips.sweep.start();
      promotions.start();
      cashBack.start(config.promotions.cashBackJobMs);
      payments?.start();
      fundsReturns?.start();
      pricing.start();
      stakeFactors.start();
      if (ownership) {
        ownership.start();
        return;
      }
      for (const tableId of tables) await createRoom('roulette', tableId, { tableId });
      for (const tableId of crashRooms) await createRoom('crash', tableId, { tableId });
      for (const tableId of blackjackTables) await createRoom('blackjack', tableId, { tableId });
      await events.reopenUnfinished();
      simulator?.start();
    },
    async beforeShutdown() {
      admin.stop();
      await slips.sweep.stop();
      promotions.stop();
      await cashBack.stop();
      payments?.stop();
      await fundsReturns?.stop();
      pricing.stop();
      stakeFactors.stop();
      simulator?.stop();
      await ownership?.drain();
      await risk.stop();
    },
  };
}
