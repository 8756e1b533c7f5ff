/** The operators' AML cases and their review workflow (docs/API.md#aml-cases); every step is audited. */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../errors.ts';
import type { AuditTrail } from '../admin/audit.ts';
import type { UserStore } from '../store/types.ts';
import type { AmlMonitor } from './monitor.ts';
import type { AmlCases } from './cases.ts';

export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), status: z.enum(['open', 'closed']).optional() }).strict();
export const caseIdParam = z.string().uuid();
const reason = z.string().trim().min(1, 'a reason is required').max(200);
export const assignBody = z.object({ assigneeId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/), reason }).strict();
export const noteBody = z.object({ note: z.string().trim().min(1).max(2_000) }).strict();
export const closeBody = z.object({
  outcome: z.enum(['no_action', 'reported']),
  sarReference: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9/_.-]+$/, 'letters, digits and / _ . -').nullable().default(null),
  reason,
}).strict();

export function amlRoutes(aml: AmlMonitor, cases: AmlCases, operator: RequestHandler, users: UserStore, audit: AuditTrail): Router {
  const r = Router();
  r.get('/admin/aml/cases', operator, async (req, res) => {
    const { limit, status } = parseInput(listQuery, req.query, 'http/invalid_query');
    const items = await Promise.all((await aml.list(limit)).map((c) => cases.withWorkflow(c)));
    res.json({ items: status ? items.filter((c) => c.status === status) : items });
  });
  r.post('/admin/aml/cases/:id/assign', operator, async (req, res) => {
    const id = parseInput(caseIdParam, req.params.id, 'http/invalid_path');
    const b = parseInput(assignBody, req.body);
    const assignee = await users.findById(b.assigneeId);
    if (!assignee || (assignee.role !== 'operator' && assignee.role !== 'admin')) throw new AppError('aml/invalid_assignee', 'cases are assigned to operators or admins', 400);
    const view = await cases.act(id, (at) => ({ type: 'assign', assigneeId: b.assigneeId, by: req.auth!.username, reason: b.reason, at }));
    await audit.record(req.auth!, 'aml.case_assigned', `aml-case:${id}`, b.reason, { assigneeId: b.assigneeId, userId: view.userId });
    res.json(view);
  });
  r.post('/admin/aml/cases/:id/notes', operator, async (req, res) => {
    const id = parseInput(caseIdParam, req.params.id, 'http/invalid_path');
    const b = parseInput(noteBody, req.body);
    const view = await cases.act(id, (at) => ({ type: 'note', note: b.note, by: req.auth!.username, at }));
    await audit.record(req.auth!, 'aml.case_noted', `aml-case:${id}`, null, { userId: view.userId, note: b.note.slice(0, 200) });
    res.json(view);
  });
  r.post('/admin/aml/cases/:id/close', operator, async (req, res) => {
    const id = parseInput(caseIdParam, req.params.id, 'http/invalid_path');
    const b = parseInput(closeBody, req.body);
    const view = await cases.act(id, (at) => ({ type: 'close', outcome: b.outcome, sarReference: b.sarReference, by: req.auth!.username, reason: b.reason, at }));
    await audit.record(req.auth!, 'aml.case_closed', `aml-case:${id}`, b.reason, { outcome: b.outcome, sarReference: b.sarReference, userId: view.userId });
    res.json(view);
  });
  return r;
}
