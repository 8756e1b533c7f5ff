/**
 * The player's safer-gambling routes (docs/API.md#player-protection) and the operators' read-only
 * view. Operators can see a player's limits, blocks and history but there is no route to lift a
 * block or raise a limit: only the rules (cooling-off, expiry) change them.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate.ts';
import { HOUR_MS } from '../../actors/protection/rules.ts';
import { LIMIT_METRICS, LIMIT_PERIODS } from '../store/protection-types.ts';
import type { ProtectionService, ProtectionStatus } from './service.ts';
import type { UserStore } from '../store/types.ts';
import { AppError } from '../errors.ts';

const amount = z.number().int('must be an integer number of minor units').min(0).max(1_000_000_000_000);
const metric = z.enum(LIMIT_METRICS as [string, ...string[]]).transform((m) => m as (typeof LIMIT_METRICS)[number]);
const period = z.enum(LIMIT_PERIODS as [string, ...string[]]).transform((p) => p as (typeof LIMIT_PERIODS)[number]);
export const limitBody = z.object({ metric, period, valueMinor: amount.nullable() }).strict();
export const limitKey = z.union([
  z.object({ metric, period }).strict(),
  z.object({ metric: z.literal('session') }).strict(),
]);
export const sessionBody = z.object({ minutes: z.number().int().min(5).max(24 * 60).nullable() }).strict();
export const timeOutBody = z.object({ hours: z.number().int().min(24).max(42 * 24) }).strict();
export const exclusionBody = z.object({ months: z.union([z.number().int().min(6).max(60), z.literal('permanent')]) }).strict();
export const realityBody = z.object({ minutes: z.number().int().nullable() }).strict();
export const userIdParam = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

/** What the player and the console see: the controls, pending changes, usage and history. */
export function statusView(s: ProtectionStatus) {
  const c = s.record.controls;
  return {
    limits: c.limits,
    sessionLimitMinutes: c.sessionLimitMs === null ? null : Math.round(c.sessionLimitMs / 60_000),
    sessionStartedAt: c.sessionStartedAt,
    pending: s.record.pending,
    usage: s.usage,
    block: s.blocked ? { kind: c.blockKind, until: c.blockedUntil, permanent: c.blockedUntil === Number.MAX_SAFE_INTEGER, since: c.blockedAt } : null,
    realityCheckMinutes: s.record.realityCheckMinutes,
    bettingPaused: c.bettingPaused,
    history: s.record.history.slice(-50).reverse(),
  };
}

export function protectionRoutes(protection: ProtectionService, authed: RequestHandler, operator: RequestHandler, users: UserStore): Router {
  const r = Router();
  const coolingOffMs = () => protection.config.coolingOffMs;
  const answer = async (userId: string) => statusView(await protection.status(userId));

  r.get('/protection', authed, async (req, res) => {
    res.json(await answer(req.auth!.userId));
  });
  r.put('/protection/limits', authed, async (req, res) => {
    const b = parseInput(limitBody, req.body);
    await protection.command(req.auth!.userId, (at) => ({ type: 'setLimit', metric: b.metric, period: b.period, valueMinor: b.valueMinor, at, coolingOffMs: coolingOffMs() }));
    res.json(await answer(req.auth!.userId));
  });
  r.put('/protection/session-limit', authed, async (req, res) => {
    const b = parseInput(sessionBody, req.body);
    await protection.command(req.auth!.userId, (at) => ({ type: 'setSessionLimit', limitMs: b.minutes === null ? null : b.minutes * 60_000, at, coolingOffMs: coolingOffMs() }));
    res.json(await answer(req.auth!.userId));
  });
  r.post('/protection/limits/confirm', authed, async (req, res) => {
    const b = parseInput(limitKey, req.body);
    await protection.command(req.auth!.userId, (at) => ({ type: 'confirmLimit', metric: b.metric, period: 'period' in b ? b.period : null, at }));
    res.json(await answer(req.auth!.userId));
  });
  r.post('/protection/limits/cancel', authed, async (req, res) => {
    const b = parseInput(limitKey, req.body);
    await protection.command(req.auth!.userId, (at) => ({ type: 'cancelLimitChange', metric: b.metric, period: 'period' in b ? b.period : null, at }));
    res.json(await answer(req.auth!.userId));
  });
  r.post('/protection/time-out', authed, async (req, res) => {
    const b = parseInput(timeOutBody, req.body);
    await protection.command(req.auth!.userId, (at) => ({ type: 'timeOut', durationMs: b.hours * HOUR_MS, at }));
    res.json(await answer(req.auth!.userId));
  });
  r.post('/protection/self-exclusion', authed, async (req, res) => {
    const b = parseInput(exclusionBody, req.body);
    await protection.command(req.auth!.userId, (at) => ({ type: 'selfExclude', months: b.months, at }));
    res.json(await answer(req.auth!.userId));
  });
  r.put('/protection/reality-check', authed, async (req, res) => {
    const b = parseInput(realityBody, req.body);
    await protection.command(req.auth!.userId, (at) => ({ type: 'setRealityCheck', minutes: b.minutes, at }));
    res.json(await answer(req.auth!.userId));
  });
  r.post('/protection/reality-check/ack', authed, async (req, res) => {
    await protection.command(req.auth!.userId, (at) => ({ type: 'acknowledgeRealityCheck', at }));
    res.json(await answer(req.auth!.userId));
  });

  // Operators: read only.
  r.get('/admin/players/:id/protection', operator, async (req, res) => {
    const id = parseInput(userIdParam, req.params.id, 'http/invalid_path');
    if (!(await users.findById(id))) throw new AppError('admin/player_not_found', `no player ${id}`, 404);
    res.json(await answer(id));
  });
  return r;
}
