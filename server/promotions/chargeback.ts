/**
 * A chargeback takes back the bonus its deposit bought (docs/PROMOTIONS.md §2.9): deposit with a
 * stolen card, take the match, play it through, charge the card back — the classic bonus-abuse
 * path. The cashier calls `onChargedBack` once the chargeback's own debit is in the ledger and
 * before it records the player's lock done (`PaymentService.onChargedBack`), so a crash in
 * between is re-driven by the repair poller, and a duplicate webhook after that calls nothing.
 *
 * Which bonus: the player's grant (one at a time) whose award memo names the charged-back deposit
 * (`depositMemo`: claimed and automatic deposit matches). Then by the grant's status:
 * - `active`: forfeited by the ordinary forfeit path (balance back to the campaign; what open
 *   bonus stakes return later is forfeited as it arrives, §2.6);
 * - `converted`: the converted cash is clawed back to the campaign like the chargeback itself:
 *   up to the player's balance, the rest as debt in their receivable (key `<grantId>:chargeback`);
 * - `expired` / `forfeited`: nothing is left to take.
 * Another deposit's bonus, or a bonus on no deposit, is left alone.
 *
 * Idempotent: the forfeit closes an active grant once (the ledger checks the grant in the same
 * transaction; one player's reports run one at a time in a process); the clawback's key is the grant's. Never fails the chargeback: an error is logged
 * and counted in `casino_promotions_chargeback_bonus_total{outcome="failed"}`; a ledger refusal as
 * `refused` with its code. Each forfeit and clawback is audited (`player.bonus_forfeit`,
 * `player.bonus_clawback`, actor `promotions`) with the deposit as the reason.
 */
import { Counter } from 'prom-client';
import type { Logger } from '../logger.ts';
import { registry } from '../metrics.ts';
import type { Store } from '../store/types.ts';
import { clawbackSplit, receivableAccountId } from '../store/wallet-input.ts';
import { playerAccountId, type WalletService } from '../wallet/service.ts';
import { memoNamesDeposit, type PromotionsService } from './service.ts';

export const chargebackBonus = new Counter({
  name: 'casino_promotions_chargeback_bonus_total',
  help: 'What a deposit chargeback did to the bonus bought with that deposit: forfeited, clawed_back, none (no bonus on it, or nothing left), refused (a ledger refusal, with its code), failed',
  labelNames: ['outcome', 'code'] as const,
  registers: [registry],
});

export type ChargebackBonusResult =
  | { outcome: 'none' }
  | { outcome: 'forfeited'; grantId: string; forfeitedMinor: number }
  | { outcome: 'clawed_back'; grantId: string; takenMinor: number; debtMinor: number; replayed: boolean }
  | { outcome: 'refused'; grantId: string; code: string; message: string };

export class ChargebackBonusRule {
  constructor(
    private readonly promos: PromotionsService,
    private readonly store: Store,
    private readonly wallet: WalletService,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** One player's chargebacks are taken one at a time in this process (duplicate webhooks race the lock). */
  private readonly chains = new Map<string, Promise<unknown>>();

  /** The cashier hook: awaited, never throws. */
  readonly onChargedBack = async (userId: string, paymentId: string): Promise<void> => {
    try {
      const r = await this.serial(userId, () => this.apply(userId, paymentId));
      chargebackBonus.inc({ outcome: r.outcome, code: r.outcome === 'refused' ? r.code : '' });
      if (r.outcome === 'refused') this.log.error({ userId, paymentId, ...r }, 'chargeback: the ledger refused to take back the bonus; an operator must');
    } catch (err) {
      chargebackBonus.inc({ outcome: 'failed', code: 'error' });
      this.log.error({ err, userId, paymentId }, 'chargeback: could not take back the bonus bought with the deposit; an operator must');
    }
  };

  /** Takes back the bonus granted on this deposit, by the rule in the file's comment. */
  async apply(userId: string, paymentId: string): Promise<ChargebackBonusResult> {
    const cash = playerAccountId(userId);
    const grant = await this.store.wallet.bonusGrant(cash);
    if (!grant) return { outcome: 'none' };
    const award = await this.store.wallet.transferByKey(grant.grantId);
    if (!memoNamesDeposit(award?.memo, paymentId)) return { outcome: 'none' };
    const why = `deposit ${paymentId} charged back`;
    const details = { grantId: grant.grantId, paymentId, campaignAccountId: grant.fundingAccountId, grantedMinor: grant.grantedMinor };

    if (grant.status === 'active') {
      const o = await this.promos.forfeit(userId, why, grant.grantId);
      if (!o) return { outcome: 'none' }; // ended meanwhile (another forfeit, an expiry, a conversion's race): the next report sees its new state
      if (!o.ok) return { outcome: 'refused', grantId: grant.grantId, code: o.code, message: o.message };
      if (o.replayed) return { outcome: 'none' };
      const forfeitedMinor = o.transfers.reduce((s, t) => s + t.amountMinor, 0);
      await this.audit('player.bonus_forfeit', userId, why, { ...details, forfeitedMinor });
      this.log.warn({ userId, ...details, forfeitedMinor }, 'chargeback: bonus bought with the deposit forfeited');
      return { outcome: 'forfeited', grantId: grant.grantId, forfeitedMinor };
    }
    if (grant.status !== 'converted' || grant.convertedMinor <= 0) return { outcome: 'none' };

    await this.store.wallet.ensureAccount(receivableAccountId(cash), 'house', this.wallet.currency);
    const o = (await this.wallet.apply([{
      type: 'clawback', key: `${grant.grantId}:chargeback`, accountId: cash, toAccountId: grant.fundingAccountId, amountMinor: grant.convertedMinor,
      memo: `converted bonus ${grant.grantId}: ${why}`.slice(0, 300),
    }]))[0]!;
    if (!o.ok) return { outcome: 'refused', grantId: grant.grantId, code: o.code, message: o.message };
    const split = clawbackSplit(o);
    if (!o.replayed) {
      await this.audit('player.bonus_clawback', userId, why, { ...details, convertedMinor: grant.convertedMinor, ...split });
      this.log.warn({ userId, ...details, ...split }, 'chargeback: converted bonus bought with the deposit clawed back');
    }
    return { outcome: 'clawed_back', grantId: grant.grantId, ...split, replayed: o.replayed };
  }

  private serial<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    const next = (this.chains.get(userId) ?? Promise.resolve()).then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(userId, tail);
    void tail.then(() => { if (this.chains.get(userId) === tail) this.chains.delete(userId); });
    return next;
  }

  private async audit(action: string, userId: string, reason: string, details: Record<string, unknown>): Promise<void> {
    try {
      await this.store.audit.append({ actorId: 'system', actorName: 'promotions', action, target: `user:${userId}`, reason, details, at: this.now() });
    } catch (err) {
      // The ledger already holds the change; a lost audit line must not undo or block it.
      this.log.error({ err, userId, action, details }, 'could not audit a chargeback bonus change');
    }
  }
}
