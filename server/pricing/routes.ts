/**
 * Operators and the pricing model: which version prices new events (with its leagues' ρ and
 * scoring level), and a refit on demand (audited). GET /admin/pricing/model, POST /admin/pricing/refit.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import type { AuditTrail } from '../admin/audit.ts';
import type { Pricing } from './index.ts';

export const refitBody = z.object({ reason: z.string().min(1, 'a reason is required').max(200) });

export function pricingRoutes(pricing: Pricing, operator: RequestHandler, audit?: AuditTrail): Router {
  const r = Router();
  r.get('/admin/pricing/model', operator, (_req, res) => {
    const m = pricing.models.current;
    res.json({
      version: m.version,
      fittedAt: m.fittedAt > 0 ? new Date(m.fittedAt).toISOString() : null,
      seed: m.fittedAt === 0,
      hyper: m.hyper,
      marketWeight: m.marketWeight,
      refit: { scheduled: pricing.job !== null },
      leagues: Object.fromEntries(
        Object.entries(m.leagues).map(([code, l]) => [
          code,
          { rho: l.rho, rhoSource: l.rhoSource, intercept: l.intercept, homeAdvantage: l.homeAdvantage, typicalLambda: l.typicalLambda, teams: Object.keys(l.teams).length, matches: l.matches, lastMatchDate: l.lastMatchDate, fittedThrough: l.fittedThrough },
        ]),
      ),
    });
  });
  r.post('/admin/pricing/refit', operator, async (req, res) => {
    const body = parseInput(refitBody, req.body);
    if (!pricing.job) throw new AppError('pricing/refit_unavailable', 'this process does not run the refit (no match data, PRICING_REFIT_EVERY_MS=0, or the cluster\'s feed process runs it)', 409);
    const before = pricing.models.current.version;
    const model = await pricing.job.runNow();
    await audit?.record(req.auth!, 'pricing.refit', 'pricing:model', body.reason, { ok: model !== null, before, after: model?.version ?? before });
    if (!model) throw new AppError('pricing/refit_failed', 'the refit failed; the current model stays (see the server log)', 500);
    res.json({ version: model.version, changed: model.version !== before });
  });
  return r;
}
