/**
 * The admin HTTP API (docs/API.md, "Admin API") behind the operator console: monitoring, risk,
 * players, platform controls and the audit log. Every route needs the operator or admin role;
 * every state change is recorded in the hash-chained audit log.
 */
import { Router, type RequestHandler } from 'express';
import type { RoomServices } from '../../rooms/context.ts';
import type { EventService } from '../events.ts';
import { requireAuth } from '../http/auth.ts';
import { expressRoutes } from '../http/route-list.ts';
import { parseInput } from '../http/validate.ts';
import { matchMaker } from '@colyseus/core';
import { AuditTrail } from './audit.ts';
import { MetricsSampler, clusterProcesses } from './monitoring.ts';
import { platformRoutes } from './platform.ts';
import { playerRoutes } from './players.ts';
import { riskRoutes } from './risk.ts';
import { monitoringQuery, pageQuery } from './schemas.ts';

export interface Admin {
  router: Router;
  audit: AuditTrail;
  sampler: MetricsSampler;
  /** The role check every admin route uses. */
  operator: RequestHandler;
  start(): void;
  stop(): void;
}

export function createAdmin(svc: RoomServices, events: EventService, opts: { sampleIntervalMs?: number } = {}): Admin {
  const operator = requireAuth(svc.tokens, svc.auth, ['operator', 'admin']);
  const audit = new AuditTrail(svc.store.audit, svc.log, svc.now);
  const sampler = new MetricsSampler(opts.sampleIntervalMs ?? 5_000);
  const router = Router();

  router.get('/admin/monitoring', operator, async (req, res) => {
    const q = parseInput(monitoringQuery, req.query, 'http/invalid_query');
    const [current, processes] = await Promise.all([sampler.sampleNow(false), clusterProcesses()]);
    res.json({ processId: matchMaker.processId, intervalMs: sampler.intervalMs, current, processes, series: sampler.samples.toArray(q.points) });
  });

  // The books, checked from the store itself: sum of balances, escrow against open holds,
  // negative balances, and what players owe (receivables). 200 whether or not they balance: `ok` says.
  router.get('/admin/reconciliation', operator, async (_req, res) => {
    res.json({ checkedAt: new Date(svc.now()).toISOString(), ...(await svc.store.wallet.reconcile()) });
  });

  router.get('/admin/audit', operator, async (req, res) => {
    const q = parseInput(pageQuery, req.query, 'http/invalid_query');
    res.json(await svc.store.audit.list({ limit: q.limit, before: q.cursor ?? null }));
  });
  router.get('/admin/audit/verify', operator, async (_req, res) => {
    res.json(await svc.store.audit.verify());
  });

  router.use(riskRoutes(svc, events, operator));
  router.use(playerRoutes(svc, operator, audit));
  router.use(platformRoutes(svc, operator, audit));

  return { router, audit, sampler, operator, start: () => sampler.start(), stop: () => sampler.stop() };
}

/** Every route of a router (nested routers included) as method + express path, for docs and tests. */
export function listRoutes(router: Router): Array<{ method: string; path: string }> {
  return expressRoutes(router, { style: 'express' });
}
