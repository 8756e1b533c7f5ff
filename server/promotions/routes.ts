/**
 * Promotions over HTTP (docs/API.md, "Promotions"): players list running campaigns, claim one and
 * see their bonus; operators create, edit, pause and end campaigns, see claims, cost and
 * conversion, and adjust or forfeit a player's bonus with a reason. Every operator change is audited.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Campaign } from '../../actors/promotions/index.ts';
import type { AuditTrail } from '../admin/audit.ts';
import { adjustmentBody, headerIdempotencyKey, pageQuery, pathId, reasonBody } from '../admin/schemas.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import type { Store } from '../store/types.ts';
import { campaignAccountId } from '../store/wallet-input.ts';
import type { PromotionsService } from './service.ts';
import type { CampaignRecord } from './campaigns.ts';

const int = (max = Number.MAX_SAFE_INTEGER) => z.number().int().min(0).max(max);
const id = z.string().min(1).max(100);

const contribution = z.object({
  sportsbookSinglePct: int(100), sportsbookAccaPct: int(100), minPriceMilli: int(1_000_000), roulettePct: int(100), cashOutPct: int(100),
}).strict();

const terms = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('deposit_match'), matchPct: int(), maxBonusMinor: int(), minDepositMinor: int(), wageringMultiplier: int(),
    contribution, maxBetMinor: int(), conversionCapMinor: int(), validForMs: int(),
  }).strict(),
  z.object({ kind: z.literal('free_bet'), stakeMinor: int(), minPriceMilli: int(), validForMs: int() }).strict(),
  z.object({ kind: z.literal('odds_boost'), eventId: id, marketId: id, selectionId: id, boostedPriceMilli: int(), maxStakePerPlayerMinor: int() }).strict(),
  z.object({ kind: z.literal('profit_boost'), boostPct: int(), maxExtraMinor: int(), minPriceMilli: int(), validForMs: int() }).strict(),
  z.object({
    kind: z.literal('cash_back'), sharePct: int(), periodMs: int(), maxMinor: int(), paidAs: z.enum(['cash', 'bonus']), wageringMultiplier: int(), validForMs: int(),
  }).strict(),
]);

export const campaignBody = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(120),
  status: z.enum(['draft', 'active', 'paused']).default('draft'),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  optIn: z.boolean().default(true),
  budgetMinor: int(),
  eligibility: z.object({
    newPlayersWithinMs: int().optional(), countries: z.array(z.string().max(2)).max(300).optional(), minDeposits: int().optional(),
    maxDeposits: int().optional(), vipTiers: z.array(z.string().max(40)).max(300).optional(), activeWithinMs: int().optional(),
  }).strict().default({}),
  terms,
  reason: z.string().trim().min(1).max(200),
}).strict();

export const claimBody = z.object({ paymentId: z.string().min(1).max(100).optional() }).strict();
export const actionPath = z.enum(['activate', 'pause', 'resume', 'end']);

function toCampaign(b: z.infer<typeof campaignBody>): Campaign {
  const { reason: _reason, startsAt, endsAt, ...rest } = b;
  return { ...rest, startsAt: Date.parse(startsAt), endsAt: Date.parse(endsAt) } as Campaign;
}

function publicCampaign(c: Campaign) {
  return { ...c, startsAt: new Date(c.startsAt).toISOString(), endsAt: new Date(c.endsAt).toISOString() };
}

export function promotionRoutes(promos: PromotionsService, store: Store, authed: RequestHandler, operator: RequestHandler, audit: AuditTrail): Router {
  const r = Router();
  const now = () => Date.now();

  // ---------------------------------------------------------------- players
  r.get('/promotions', authed, async (_req, res) => {
    const running = (await promos.book.list()).map((rec) => rec.campaign).filter((c) => c.status === 'active' && c.startsAt <= now() && now() < c.endsAt);
    res.json({ items: running.map((c) => ({ id: c.id, name: c.name, optIn: c.optIn, endsAt: new Date(c.endsAt).toISOString(), terms: c.terms })) });
  });

  r.post('/promotions/:campaignId/claim', authed, async (req, res) => {
    const campaignId = parseInput(pathId, String(req.params.campaignId), 'http/invalid_path');
    const body = parseInput(claimBody, req.body ?? {});
    const result = await promos.claim(req.auth!.userId, campaignId, body);
    res.status(result.replayed ? 200 : 201).json({ ...result, bonus: await bonusView(promos, req.auth!.userId) });
  });

  r.get('/promotions/bonus', authed, async (req, res) => {
    res.json({ bonus: await bonusView(promos, req.auth!.userId) });
  });

  // Bet tokens not used yet (free bets, profit boosts): what the bet slip offers.
  r.get('/promotions/tokens', authed, async (req, res) => {
    const items = await promos.tokens(req.auth!.userId);
    res.json({ items: items.map((t) => ({ ...t, expiresAt: new Date(t.expiresAt).toISOString() })) });
  });

  // ---------------------------------------------------------------- operators
  r.get('/admin/promotions', operator, async (_req, res) => {
    const records = await promos.book.list();
    res.json({ items: await Promise.all(records.map(async (rec) => ({ ...adminView(rec), ...(await promos.budget(rec)) }))) });
  });

  r.post('/admin/promotions', operator, async (req, res) => {
    const body = parseInput(campaignBody, req.body);
    const rec = await promos.create(toCampaign(body), req.auth!.username);
    const entry = await audit.record(req.auth!, 'promotion.create', `campaign:${rec.campaign.id}`, body.reason, { campaign: publicCampaign(rec.campaign) });
    res.status(201).json({ ...adminView(rec), auditSeq: entry.seq });
  });

  r.put('/admin/promotions/:campaignId', operator, async (req, res) => {
    const body = parseInput(campaignBody, req.body);
    if (body.id !== req.params.campaignId) throw new AppError('promo/invalid_campaign', 'the body\'s id must be the path\'s', 400);
    const rec = await promos.edit(toCampaign(body), req.auth!.username);
    const entry = await audit.record(req.auth!, 'promotion.edit', `campaign:${rec.campaign.id}`, body.reason, { campaign: publicCampaign(rec.campaign), version: rec.version });
    res.json({ ...adminView(rec), auditSeq: entry.seq });
  });

  r.post('/admin/promotions/:campaignId/:action', operator, async (req, res) => {
    const campaignId = parseInput(pathId, String(req.params.campaignId), 'http/invalid_path');
    const action = parseInput(actionPath, String(req.params.action), 'http/invalid_path');
    const { reason } = parseInput(reasonBody, req.body);
    const rec = await promos.act(campaignId, action, req.auth!.username);
    const entry = await audit.record(req.auth!, `promotion.${action}`, `campaign:${campaignId}`, reason, { status: rec.campaign.status, version: rec.version });
    res.json({ ...adminView(rec), auditSeq: entry.seq });
  });

  // Claims: the awards that left the campaign's account, newest first, with each player's bonus now.
  r.get('/admin/promotions/:campaignId/claims', operator, async (req, res) => {
    const campaignId = parseInput(pathId, String(req.params.campaignId), 'http/invalid_path');
    const q = parseInput(pageQuery, req.query, 'http/invalid_query');
    const rec = await promos.book.get(campaignId);
    if (!rec) throw new AppError('promo/not_found', `no campaign ${campaignId}`, 404);
    const account = campaignAccountId(campaignId);
    const page = await store.wallet.listTransfers(account, { limit: q.limit, before: q.cursor ?? null });
    const prefix = `promo:${campaignId}:claim:`;
    // The claim transfers themselves (a conversion's or forfeit's key extends the claim's with `:…`).
    const items = await Promise.all(page.items.filter((t) => t.key.startsWith(prefix) && !t.key.slice(prefix.length).includes(':')).map(async (t) => {
      const userId = t.key.slice(prefix.length);
      const grant = t.kind === 'bonus' ? await promos.grant(userId) : null;
      return {
        userId, awardedMinor: t.amountMinor, kind: t.kind, claimedAt: new Date(t.createdAt).toISOString(),
        bonus: grant && grant.grantId === t.key ? grantView(grant) : null,
      };
    }));
    res.json({ items, nextCursor: page.nextCursor, ...(await promos.budget(rec)) });
  });

  r.get('/admin/players/:userId/bonus', operator, async (req, res) => {
    const userId = parseInput(pathId, String(req.params.userId), 'http/invalid_path');
    res.json({ bonus: await bonusView(promos, userId) });
  });

  r.post('/admin/players/:userId/bonus/adjustments', operator, async (req, res) => {
    const userId = parseInput(pathId, String(req.params.userId), 'http/invalid_path');
    const body = parseInput(adjustmentBody, req.body);
    const header = req.headers['idempotency-key'];
    const key = body.idempotencyKey ?? (typeof header === 'string' ? parseInput(headerIdempotencyKey, header, 'http/invalid_header') : undefined);
    if (!key) throw new AppError('admin/idempotency_key_required', 'send an Idempotency-Key header or an idempotencyKey field (unique per adjustment)', 400);
    const outcome = await promos.adjust(userId, body.amountMinor, key, `bonus adjustment by ${req.auth!.username}: ${body.reason}`);
    const details = { amountMinor: body.amountMinor, idempotencyKey: key, ok: outcome.ok, ...(outcome.ok ? {} : { code: outcome.code }) };
    if (!outcome.ok || !outcome.replayed) await audit.record(req.auth!, 'player.bonus_adjust', `user:${userId}`, body.reason, details);
    if (!outcome.ok) throw new AppError(outcome.code, outcome.message, outcome.code === 'wallet/unknown_account' ? 404 : 409);
    res.status(outcome.replayed ? 200 : 201).json({ replayed: outcome.replayed, bonus: await bonusView(promos, userId) });
  });

  r.post('/admin/players/:userId/bonus/forfeit', operator, async (req, res) => {
    const userId = parseInput(pathId, String(req.params.userId), 'http/invalid_path');
    const { reason } = parseInput(reasonBody, req.body);
    const outcome = await promos.forfeit(userId, `forfeited by ${req.auth!.username}: ${reason}`);
    if (!outcome) throw new AppError('wallet/bonus_inactive', 'the player has no active bonus', 409);
    if (!outcome.ok) throw new AppError(outcome.code, outcome.message, 409);
    const entry = await audit.record(req.auth!, 'player.bonus_forfeit', `user:${userId}`, reason, { forfeitedMinor: outcome.transfers.reduce((s, t) => s + t.amountMinor, 0) });
    res.json({ bonus: await bonusView(promos, userId), auditSeq: entry.seq });
  });

  return r;
}

function adminView(rec: CampaignRecord) {
  return { campaign: publicCampaign(rec.campaign), version: rec.version, updatedBy: rec.by, updatedAt: new Date(rec.at).toISOString() };
}

type GrantWithBalance = NonNullable<Awaited<ReturnType<PromotionsService['grant']>>>;

function grantView(g: GrantWithBalance) {
  return {
    grantId: g.grantId, status: g.status, balanceMinor: g.balanceMinor, heldMinor: g.heldMinor, grantedMinor: g.grantedMinor,
    wageredMinor: g.wageredMinor, wageringRequiredMinor: g.wageringRequiredMinor,
    wageringProgress: g.wageringRequiredMinor === 0 ? 1 : Math.min(1, g.wageredMinor / g.wageringRequiredMinor),
    maxBetMinor: g.maxBetMinor, conversionCapMinor: g.conversionCapMinor, convertedMinor: g.convertedMinor, forfeitedMinor: g.forfeitedMinor,
    contribution: g.contribution, expiresAt: new Date(g.expiresAt).toISOString(),
  };
}

async function bonusView(promos: PromotionsService, userId: string) {
  const g = await promos.grant(userId);
  return g ? grantView(g) : null;
}
