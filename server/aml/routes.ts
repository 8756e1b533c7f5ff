/** The operators' AML case list (docs/API.md#aml-cases). */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate.ts';
import type { AmlMonitor } from './monitor.ts';

export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();

export function amlRoutes(aml: AmlMonitor, operator: RequestHandler): Router {
  const r = Router();
  r.get('/admin/aml/cases', operator, async (req, res) => {
    const { limit } = parseInput(listQuery, req.query, 'http/invalid_query');
    res.json({ items: await aml.list(limit) });
  });
  return r;
}
