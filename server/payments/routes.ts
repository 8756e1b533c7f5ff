/**
 * The cashier's HTTP routes (docs/API.md#payments): player deposits, withdrawals and history, the
 * PSP's webhook, and the operators' review queue, search and reconciliation.
 */
import { Router, type RequestHandler } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import { ProviderError, WebhookError } from './provider.ts';
import type { PaymentService } from './service.ts';

const amount = z.number().int('must be an integer number of minor units').positive().max(Number.MAX_SAFE_INTEGER);
export const idemKey = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/);
export const depositBody = z.object({ amountMinor: amount, method: z.enum(['card']).default('card') }).strict();
export const withdrawalBody = z.object({ amountMinor: amount, instrumentId: z.string().min(1).max(100) }).strict();
export const paymentIdParam = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
export const reviewBody = z.object({ approve: z.boolean(), reason: z.string().trim().min(3).max(500) }).strict();
export const searchQuery = z.object({
  pspId: z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/).optional(),
  userId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
  status: z.enum(['created', 'pending', 'authorised', 'captured', 'failed', 'refunded', 'charged_back', 'requested', 'review', 'approved', 'submitted', 'paid', 'rejected', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const reconcileBody = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date') }).strict();

function idempotencyKey(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  return parseInput(idemKey, header, 'http/invalid_header');
}

export function paymentRoutes(payments: PaymentService | null, authed: RequestHandler, operator: RequestHandler, webhooksPerSecond: number): Router {
  const r = Router();
  const svc = (): PaymentService => {
    if (!payments) throw new AppError('payments/disabled', 'payments are not configured on this server (PSP_URL)', 503);
    return payments;
  };
  const webhookLimit = new RateLimiterMemory({ points: webhooksPerSecond, duration: 1 });

  r.post('/payments/webhook', async (req, res) => {
    try {
      await webhookLimit.consume(req.ip ?? 'unknown');
    } catch {
      throw new AppError('payments/rate_limited', 'too many webhook deliveries', 429);
    }
    if (!req.rawBody) throw new AppError('payments/bad_webhook', 'a webhook is a JSON body', 400);
    try {
      res.json(await svc().handleWebhook(req.rawBody, req.headers));
    } catch (err) {
      if (err instanceof WebhookError) throw new AppError(err.code, err.message, err.code === 'payments/bad_signature' ? 401 : 400);
      throw err;
    }
  });

  r.post('/payments/deposits', authed, async (req, res) => {
    const body = parseInput(depositBody, req.body);
    // Back to this server's cashier (PAYMENTS_RETURN_URL overrides it); Host is what the player's browser used.
    const returnUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}/#/cashier`;
    const p = await svc().createDeposit(req.auth!.userId, { ...body, returnUrl, idempotencyKey: idempotencyKey(req.headers['idempotency-key']) });
    res.status(201).json(p);
  });
  r.post('/payments/withdrawals', authed, async (req, res) => {
    const body = parseInput(withdrawalBody, req.body);
    const p = await svc().createWithdrawal(req.auth!.userId, { ...body, idempotencyKey: idempotencyKey(req.headers['idempotency-key']) });
    res.status(201).json(p);
  });
  r.post('/payments/withdrawals/:id/cancel', authed, async (req, res) => {
    res.json(await svc().cancelWithdrawal(req.auth!, parseInput(paymentIdParam, req.params.id, 'http/invalid_path')));
  });
  r.get('/payments', authed, async (req, res) => {
    res.json({ items: await svc().listForPlayer(req.auth!.userId) });
  });
  r.get('/payments/instruments', authed, async (req, res) => {
    res.json({ items: await svc().instruments(req.auth!.userId) });
  });
  r.get('/payments/:id', authed, async (req, res) => {
    res.json(await svc().getForPlayer(req.auth!.userId, parseInput(paymentIdParam, req.params.id, 'http/invalid_path')));
  });

  r.get('/admin/payments', operator, async (req, res) => {
    const q = parseInput(searchQuery, req.query, 'http/invalid_query');
    res.json({ items: await svc().search(q) });
  });
  r.post('/admin/payments/:id/review', operator, async (req, res) => {
    const id = parseInput(paymentIdParam, req.params.id, 'http/invalid_path');
    const body = parseInput(reviewBody, req.body);
    res.json(await svc().review(req.auth!, id, body.approve, body.reason));
  });
  r.post('/admin/payments/reconcile', operator, async (req, res) => {
    const { date } = parseInput(reconcileBody, req.body);
    try {
      res.json(await svc().reconcile(date));
    } catch (err) {
      if (err instanceof ProviderError) throw new AppError('payments/provider_unavailable', `the settlement report could not be fetched: ${err.message}`, 503);
      throw err;
    }
  });
  r.get('/admin/payments/reconciliations', operator, async (_req, res) => {
    res.json({ items: svc().recentReconciliations() });
  });
  r.post('/admin/payments/repair', operator, async (_req, res) => {
    res.json(await svc().repair());
  });
  return r;
}
