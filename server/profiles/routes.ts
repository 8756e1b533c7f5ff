/**
 * Player profile routes (docs/API.md#player-profiles): the operators' view of a player's profile
 * and the VIP tier they set with a reason (audited as `player.vip_tier`, before and after).
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { VIP_TIERS, type VipTier } from '../../actors/promotions/index.ts';
import type { AuditTrail } from '../admin/audit.ts';
import { pathId } from '../admin/schemas.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import type { UserStore } from '../store/types.ts';
import type { ProfileService } from './service.ts';

export const vipTierBody = z.object({
  tier: z.string().max(32).nullable(),
  reason: z.string().trim().min(1, 'a reason is required').max(200),
}).strict();

export function profileRoutes(profiles: ProfileService, users: UserStore, operator: RequestHandler, audit: AuditTrail): Router {
  const r = Router();
  const player = async (raw: unknown) => {
    const id = parseInput(pathId, String(raw), 'http/invalid_path');
    const user = await users.findById(id);
    if (!user) throw new AppError('admin/player_not_found', `no player ${id}`, 404);
    return user;
  };
  r.get('/admin/players/:userId/profile', operator, async (req, res) => {
    const user = await player(req.params.userId);
    res.json({ userId: user.id, ...(await profiles.view(user.id)), vipTiers: VIP_TIERS });
  });
  r.put('/admin/players/:userId/vip-tier', operator, async (req, res) => {
    const user = await player(req.params.userId);
    const body = parseInput(vipTierBody, req.body);
    if (body.tier !== null && !(VIP_TIERS as readonly string[]).includes(body.tier)) {
      throw new AppError('profile/invalid_tier', `a VIP tier is one of ${VIP_TIERS.join(', ')}, or null to clear it`, 400, { tiers: VIP_TIERS });
    }
    const before = (await profiles.view(user.id)).vipTier;
    const after = await profiles.setVipTier(user.id, body.tier as VipTier | null, req.auth!.userId, body.reason);
    await audit.record(req.auth!, 'player.vip_tier', `player:${user.id}`, body.reason, { before, after: after.vipTier });
    res.json({ userId: user.id, ...after, vipTiers: VIP_TIERS });
  });
  return r;
}
