/**
 * Regulator reports for operators (docs/API.md#regulator-reports): a UTC day's report as JSON or
 * CSV; each export's SHA-256 is appended to the audit chain (`report.exported`), so a report handed
 * to a regulator can later be proven unaltered.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../errors.ts';
import type { Store } from '../store/types.ts';
import { fairnessRecordId } from '../../rooms/round-records.ts';
import { dailyReport, reportCsv, reportSha256 } from './daily.ts';

export const recallQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
const userIdParam = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const reportQuery = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date'),
  format: z.enum(['json', 'csv']).default('json'),
}).strict();

export function reportRoutes(store: Store, currency: string, largeTransactionMinor: number, operator: RequestHandler, now: () => number): Router {
  const r = Router();
  r.get('/admin/reports/daily', operator, async (req, res) => {
    const q = parseInput(reportQuery, req.query, 'http/invalid_query');
    if (Date.parse(`${q.date}T00:00:00Z`) > now()) throw new AppError('reports/future_date', 'that day has not begun', 400);
    const report = await dailyReport(store, q.date, currency, largeTransactionMinor);
    const sha256 = reportSha256(report);
    await store.audit.append({ actorId: req.auth!.userId, actorName: req.auth!.username, action: 'report.exported', target: `report:daily:${q.date}`, reason: null, details: { sha256, format: q.format, truncated: report.truncated }, at: now() });
    res.setHeader('x-report-sha256', sha256);
    if (q.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="report-${q.date}.csv"`);
      return void res.send(reportCsv(report));
    }
    res.json({ ...report, sha256 });
  });

  // Game recall: a player's last rounds with their bets, result, balance before and after, and the
  // round's provably-fair record (seed commitment, revealed seed, client seed, nonce).
  r.get('/admin/players/:id/recall', operator, async (req, res) => {
    const id = parseInput(userIdParam, req.params.id, 'http/invalid_path');
    const { limit } = parseInput(recallQuery, req.query, 'http/invalid_query');
    if (!(await store.users.findById(id))) throw new AppError('admin/player_not_found', `no player ${id}`, 404);
    const rounds = await store.games.recentPlayerRounds(id, limit);
    // A blackjack round's record is its shoe's (rooms/round-records.ts).
    const items = await Promise.all(rounds.map(async (p) => {
      const id = fairnessRecordId(p);
      return { ...p, fairness: id === null ? null : await store.games.getRound(id) };
    }));
    await store.audit.append({ actorId: req.auth!.userId, actorName: req.auth!.username, action: 'player.recall', target: `user:${id}`, reason: null, details: { rounds: items.length }, at: now() });
    res.json({ items });
  });
  return r;
}
