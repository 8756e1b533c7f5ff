/**
 * KYC routes (docs/API.md#kyc): the player's status and document upload (the raw file as the body,
 * its Content-Type one of KYC_CONTENT_TYPES, the identity in the query), and the operators' read-only view.
 */
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../errors.ts';
import type { UserStore } from '../store/types.ts';
import type { AuditTrail } from '../admin/audit.ts';
import { KYC_CONTENT_TYPES } from './provider.ts';
import type { KycService } from './service.ts';

export const identityQuery = z.object({
  fullName: z.string().trim().min(2).max(100).regex(/^[\p{L}][\p{L} .'-]*$/u, 'letters, spaces and . \' - only'),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code').transform((c) => c.toUpperCase()),
  documentNumber: z.string().regex(/^[A-Za-z0-9-]{4,32}$/, '4–32 letters, digits or -'),
}).strict();
const userIdParam = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
export const reviewQueueQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export const kycReviewBody = z.object({ approve: z.boolean(), reason: z.string().trim().min(1, 'a reason is required').max(200) }).strict();

export function kycRoutes(kyc: KycService, authed: RequestHandler, operator: RequestHandler, users: UserStore, audit: AuditTrail): Router {
  const r = Router();
  r.get('/kyc', authed, async (req, res) => {
    const { identity: _identity, ...view } = await kyc.view(req.auth!.userId);
    res.json(view);
  });
  r.post('/kyc/documents', authed, express.raw({ type: () => true, limit: kyc.config.maxUploadBytes }), async (req, res) => {
    const identity = parseInput(identityQuery, req.query, 'http/invalid_query');
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!KYC_CONTENT_TYPES.includes(contentType)) throw new AppError('kyc/invalid_document', `a document is one of ${KYC_CONTENT_TYPES.join(', ')}`, 415);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.status(201).json(await kyc.submit(req.auth!.userId, identity, { contentType, bytes }));
  });
  r.get('/admin/players/:id/kyc', operator, async (req, res) => {
    const id = parseInput(userIdParam, req.params.id, 'http/invalid_path');
    if (!(await users.findById(id))) throw new AppError('admin/player_not_found', `no player ${id}`, 404);
    res.json(await kyc.view(id));
  });
  // The operators' review queue: submissions the provider referred (docs/COMPLIANCE.md, KYC review).
  r.get('/admin/kyc/reviews', operator, async (req, res) => {
    const { limit } = parseInput(reviewQueueQuery, req.query, 'http/invalid_query');
    res.json({ items: await kyc.reviewQueue(limit) });
  });
  r.post('/admin/players/:id/kyc/review', operator, async (req, res) => {
    const id = parseInput(userIdParam, req.params.id, 'http/invalid_path');
    const b = parseInput(kycReviewBody, req.body);
    if (!(await users.findById(id))) throw new AppError('admin/player_not_found', `no player ${id}`, 404);
    const view = await kyc.review(id, b.approve, b.reason, req.auth!.username);
    await audit.record(req.auth!, b.approve ? 'kyc.approved' : 'kyc.rejected', `user:${id}`, b.reason, { status: view.status });
    res.json(view);
  });
  return r;
}
