/**
 * What the risk service's policies do to a player, each audited in the hash-chained audit log as
 * the system actor `risk`: set a stake factor (the operators' per-player stake factor journal, so
 * every server process applies it within its refresh interval), hold withdrawals (a per-player
 * setting journal the payment service checks: the player gets `risk/withdrawal_held`), lock the
 * account (the player gets `auth/account_locked`). Flags need no side effect here: the review
 * queue is the risk service's own.
 */
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import { StakeFactors } from '../admin/stake-factors.ts';
import type { DecidedAction } from '../../actors/risk/index.ts';

/** The journal of withdrawal holds: a per-player setting like stake factors (0 = held, 1 = not). */
export const WITHDRAWAL_HOLDS_JOURNAL = 'settings:withdrawal-holds';
export const RISK_ACTOR = { userId: 'risk', username: 'risk-service' };

export interface RiskActions {
  perform(playerId: string, action: DecidedAction): Promise<void>;
}

/** The per-player withdrawal holds (read by the payment service's withdrawal check). */
export function withdrawalHolds(store: Store, log: Logger, now: () => number, refreshMs = 5_000): StakeFactors {
  return new StakeFactors(store.journal, log, now, refreshMs, WITHDRAWAL_HOLDS_JOURNAL);
}

export class StoreRiskActions implements RiskActions {
  constructor(
    private readonly store: Store,
    private readonly stakeFactors: StakeFactors,
    private readonly holds: StakeFactors,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  async perform(playerId: string, a: DecidedAction): Promise<void> {
    const reason = `policy ${a.policy}: ${a.reasons.join('; ')}`.slice(0, 500);
    let details: Record<string, unknown> = { policy: a.policy };
    switch (a.action) {
      case 'flag':
        break;
      case 'stake_factor': {
        const before = this.stakeFactors.of(playerId);
        await this.stakeFactors.set(playerId, a.stakeFactor ?? 0, RISK_ACTOR.userId, reason.slice(0, 200));
        details = { ...details, before, after: a.stakeFactor ?? 0 };
        break;
      }
      case 'hold_withdrawals':
        await this.holds.set(playerId, 0, RISK_ACTOR.userId, reason.slice(0, 200));
        break;
      case 'lock': {
        const user = await this.store.users.findById(playerId);
        if (!user || user.role === 'operator' || user.role === 'admin') return; // never staff, never nobody
        details = { ...details, before: user.status, after: 'locked' };
        if (user.status !== 'locked') await this.store.users.setStatus(playerId, 'locked');
        break;
      }
    }
    await this.store.audit.append({ actorId: RISK_ACTOR.userId, actorName: RISK_ACTOR.username, action: `risk.${a.action}`, target: `user:${playerId}`, reason, details, at: this.now() });
    this.log.info({ playerId, policy: a.policy, action: a.action }, 'risk policy applied');
  }
}
