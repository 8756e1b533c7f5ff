/**
 * The risk console API (docs/API.md, "Fraud and risk"): the review queue, a player's risk profile
 * (features, links, score history, reasons, actions), the linking graph, and resolving a review
 * (audited). Served by the process that runs the risk service; other servers forward these
 * routes to it (`RISK_URL`) with the operator's own token.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { FEATURE_NAMES, featureVector } from '../../actors/risk/index.ts';
import type { AuditTrail } from '../admin/audit.ts';
import { pathId } from '../admin/schemas.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import type { Logger } from '../logger.ts';
import type { RiskService } from './service.ts';

export const queueQuery = z.object({ status: z.enum(['open', 'resolved', 'all']).default('open'), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const graphQuery = z.object({ kinds: z.string().regex(/^[dcni]{1,4}$/, 'letters of d (device), c (card), n (name), i (address)').default('dcni'), minSize: z.coerce.number().int().min(2).max(100).default(2), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const resolveBody = z.object({ note: z.string().trim().min(1, 'a note is required').max(500), clearActions: z.boolean().default(false) });

/** The optional `X-Device-Id` header of registration and login (server/risk/producers.ts reads it). */
export const deviceIdHeader = z.string().regex(/^[\x21-\x7e]{1,100}$/).meta({ description: 'the client\'s device id; anything else is ignored' });

export function riskConsoleRoutes(risk: RiskService, operator: RequestHandler, audit: AuditTrail | null): Router {
  const r = Router();

  r.get('/admin/fraud/queue', operator, (req, res) => {
    const q = parseInput(queueQuery, req.query, 'http/invalid_query');
    const items = risk.queue.filter((i) => q.status === 'all' || i.status === q.status).slice(-q.limit).reverse();
    res.json({ items, open: risk.queue.filter((i) => i.status === 'open').length });
  });

  r.get('/admin/fraud/players/:userId', operator, (req, res) => {
    const id = parseInput(pathId, String(req.params.userId), 'http/invalid_path');
    const features = risk.book.player(id);
    if (!features) throw new AppError('risk/unknown_player', `the risk service has seen no event of ${id}`, 404);
    const vector = featureVector(risk.book, id);
    const { markets: _markets, ...shown } = features;
    res.json({
      playerId: id,
      features: shown,
      model: Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, vector[i]])),
      links: [...risk.book.neighbours(id)].map(([other, via]) => ({ playerId: other, username: risk.book.player(other)?.username ?? null, via })),
      group: risk.book.component(id, ['d', 'c', 'n', 'i']),
      profile: risk.profiles[id] ?? null,
      queue: risk.queue.filter((q) => q.playerId === id),
    });
  });

  r.get('/admin/fraud/graph', operator, (req, res) => {
    const q = parseInput(graphQuery, req.query, 'http/invalid_query');
    const groups = risk.book.groups(q.kinds.split(''), q.minSize, q.limit).map((g) => ({
      size: g.members.length,
      members: g.members.map((id) => ({ playerId: id, username: risk.book.player(id)?.username ?? null, score: risk.profiles[id]?.score ?? null, flagged: (risk.profiles[id]?.flaggedAt ?? null) !== null })),
      edges: g.edges.slice(0, 500),
    }));
    res.json({ groups });
  });

  r.post('/admin/fraud/players/:userId/resolve', operator, async (req, res) => {
    const id = parseInput(pathId, String(req.params.userId), 'http/invalid_path');
    const body = parseInput(resolveBody, req.body);
    if (!risk.profiles[id]) throw new AppError('risk/unknown_player', `no risk profile for ${id}`, 404);
    const resolved = risk.resolve(id, req.auth!.userId, body.note, body.clearActions);
    await audit?.record(req.auth!, 'risk.resolve', `user:${id}`, body.note, { resolved, clearActions: body.clearActions });
    res.json({ playerId: id, resolved });
  });
  return r;
}

/** Forwards /admin/fraud/* to the risk process (cluster mode), with the caller's token. */
export function riskProxyRoutes(url: string, log: Logger): Router {
  const r = Router();
  r.use('/admin/fraud', async (req, res) => {
    let upstream: Response;
    try {
      upstream = await fetch(new URL(req.originalUrl, url), {
        method: req.method,
        headers: { 'content-type': 'application/json', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) },
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : JSON.stringify(req.body ?? {}),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (err) {
      log.warn({ err, url }, 'risk service unreachable');
      throw new AppError('risk/unavailable', 'the risk service did not answer; try again', 503);
    }
    res.status(upstream.status).type('application/json').send(await upstream.text());
  });
  return r;
}
