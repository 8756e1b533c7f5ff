/** Operators' view of self-exclusion returns of funds (docs/API.md#self-exclusion-return-of-funds). */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import type { FundsReturns } from './funds-return.ts';

export const fundsReturnQuery = z.object({
  status: z.enum(['waiting', 'flagged', 'completed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export function fundsReturnRoutes(returns: FundsReturns | null, operator: RequestHandler): Router {
  const r = Router();
  r.get('/admin/protection/funds-returns', operator, async (req, res) => {
    const q = parseInput(fundsReturnQuery, req.query, 'http/invalid_query');
    if (!returns) throw new AppError('payments/disabled', 'payments are not configured on this server (PSP_URL)', 503);
    res.json({ items: await returns.list(q.status ?? null, q.limit) });
  });
  return r;
}
