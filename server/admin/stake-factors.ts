/**
 * Per-player stake factors (operators' setting, for the risk and fraud work): a factor scales the
 * player's per-bet and per-event stake limits on live events (actors/sportsbook/limits.ts), e.g.
 * 0.1 for a player who beats the closing line, 0 to stop one betting on events at all, 2 for a
 * trusted one. Kept as an append-only journal (`settings:stake-factors` in the store's journal),
 * so it is durable on every store adapter and every change is on record; each process caches the
 * factors and follows the journal, so a change reaches the whole cluster within `refreshMs`.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { MAX_STAKE_FACTOR } from '../../actors/sportsbook/index.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import type { Logger } from '../logger.ts';
import type { JournalStore, UserStore } from '../store/types.ts';
import type { AuditTrail } from './audit.ts';
import { pathId } from './schemas.ts';

export const STAKE_FACTORS_JOURNAL = 'settings:stake-factors';
const PAGE = 5_000;
const MAX_RETRIES = 5;

interface StakeFactorSet {
  userId: string;
  factor: number;
  by: string;
  reason: string;
  at: number;
}

export class StakeFactors {
  private readonly factors = new Map<string, number>();
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly journal: JournalStore,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly refreshMs = 5_000,
  ) {}

  /** The player's factor (1 unless an operator set another). */
  of(userId: string): number {
    return this.factors.get(userId) ?? 1;
  }

  /** Reads what was appended since the last read (all of it the first time). */
  async refresh(): Promise<void> {
    for (;;) {
      const records = await this.journal.read(STAKE_FACTORS_JOURNAL, { afterSeq: this.seq, limit: PAGE });
      for (const r of records) {
        const e = r.data as StakeFactorSet;
        if (e.factor === 1) this.factors.delete(e.userId);
        else this.factors.set(e.userId, e.factor);
        this.seq = r.seq;
      }
      if (records.length < PAGE) return;
    }
  }

  async set(userId: string, factor: number, by: string, reason: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.refresh();
      try {
        await this.journal.append(STAKE_FACTORS_JOURNAL, this.seq + 1, [{ type: 'StakeFactorSet', data: { userId, factor, by, reason, at: this.now() } satisfies StakeFactorSet }]);
        await this.refresh();
        return;
      } catch (err) {
        // Another process appended first: read its change and try again.
        if ((err as { code?: string }).code !== 'journal/seq_conflict' || attempt >= MAX_RETRIES) throw err;
      }
    }
  }

  start(): void {
    this.timer = setInterval(() => void this.refresh().catch((err) => this.log.warn({ err }, 'could not refresh stake factors')), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export const factorBody = z.object({ factor: z.number().min(0).max(MAX_STAKE_FACTOR), reason: z.string().min(1, 'a reason is required').max(200) });

/** GET/PUT /admin/players/:userId/stake-factor (audited). */
export function stakeFactorRoutes(factors: StakeFactors, users: UserStore, operator: RequestHandler, audit: AuditTrail): Router {
  const r = Router();
  const player = async (raw: unknown) => {
    const id = parseInput(pathId, String(raw), 'http/invalid_path');
    const user = await users.findById(id);
    if (!user) throw new AppError('admin/player_not_found', `no user ${id}`, 404);
    return user;
  };
  r.get('/admin/players/:userId/stake-factor', operator, async (req, res) => {
    const user = await player(req.params.userId);
    res.json({ userId: user.id, stakeFactor: factors.of(user.id) });
  });
  r.put('/admin/players/:userId/stake-factor', operator, async (req, res) => {
    const user = await player(req.params.userId);
    const body = parseInput(factorBody, req.body);
    const before = factors.of(user.id);
    await factors.set(user.id, body.factor, req.auth!.userId, body.reason);
    await audit.record(req.auth!, 'player.stake_factor', `player:${user.id}`, body.reason, { before, after: body.factor });
    res.json({ userId: user.id, stakeFactor: factors.of(user.id) });
  });
  return r;
}
