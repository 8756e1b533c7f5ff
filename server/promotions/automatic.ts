/**
 * Automatic deposit matches (docs/PROMOTIONS.md §4): a deposit-match campaign with `optIn: false`
 * is awarded when the cashier reports a deposit captured with its money applied, with no claim.
 *
 * - Which campaign: the running automatic deposit matches, earliest start first
 *   (`automaticDepositMatches`); the first whose decision awards wins. A player holds one bonus at
 *   a time, so one deposit gets at most one match.
 * - Idempotent: the award is the claim (`promo:<campaign>:claim:<user>`, one per player), and its
 *   memo names the deposit; a second report of the same deposit (a repeated webhook, the repair
 *   poller, another process) finds an award naming it and stops, so it never moves on to a second
 *   campaign. Reports racing each other pick the same campaign (same facts) and meet at its key.
 * - Never fails the deposit: the cashier does not wait for it; a refusal (blocked, not targeted,
 *   budget spent, a bonus already active…) is logged at info and counted in
 *   `casino_promotions_automatic_awards_total{kind,outcome,code}`, an error at error.
 */
import { Counter } from 'prom-client';
import { automaticDepositMatches, decideClaim, isAutomatic } from '../../actors/promotions/index.ts';
import type { Logger } from '../logger.ts';
import { registry } from '../metrics.ts';
import { publishRisk } from '../risk/publish.ts';
import type { Store } from '../store/types.ts';
import { claimKey, depositMemo, memoNamesDeposit, type PromotionsService } from './service.ts';

export const automaticAwards = new Counter({
  name: 'casino_promotions_automatic_awards_total',
  help: 'Automatic promotion awards by kind (deposit_match, cash_back) and outcome (awarded, refused, failed), with the refusal code',
  labelNames: ['kind', 'outcome', 'code'] as const,
  registers: [registry],
});

/** At most this many automatic deposit-match campaigns are tried for one deposit (a bound on the work per deposit). */
const MAX_TRIED = 20;

export type DepositAwardResult =
  | { outcome: 'awarded'; campaignId: string; amountMinor: number }
  | { outcome: 'already_awarded'; campaignId: string }
  | { outcome: 'none'; refusals: Array<{ campaignId: string; code: string }> };

export class AutomaticDepositMatch {
  constructor(
    private readonly promos: PromotionsService,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** The cashier hook: never throws, never awaited by the cashier. */
  readonly onDepositCaptured = (userId: string, paymentId: string): void => {
    this.award(userId, paymentId).catch((err) => {
      automaticAwards.inc({ kind: 'deposit_match', outcome: 'failed', code: 'error' });
      this.log.error({ err, userId, paymentId }, 'automatic deposit match failed; the player may claim it');
    });
  };

  /** Awards the first automatic deposit match this captured deposit qualifies for (see the file's comment). */
  async award(userId: string, paymentId: string): Promise<DepositAwardResult> {
    const records = await this.promos.book.list();
    const automatic = records.filter((r) => isAutomatic(r.campaign) && r.campaign.terms.kind === 'deposit_match');
    if (automatic.length === 0) return { outcome: 'none', refusals: [] };
    for (const r of automatic) {
      const t = await this.store.wallet.transferByKey(claimKey(r.campaign.id, userId));
      if (memoNamesDeposit(t?.memo, paymentId)) return { outcome: 'already_awarded', campaignId: r.campaign.id };
    }
    const refusals: Array<{ campaignId: string; code: string }> = [];
    const refuse = (campaignId: string, code: string, message: string) => {
      refusals.push({ campaignId, code });
      automaticAwards.inc({ kind: 'deposit_match', outcome: 'refused', code });
      this.log.info({ userId, paymentId, campaignId, code, message }, 'automatic deposit match not awarded');
    };
    const first = await this.promos.facts(userId, claimKey(automatic[0]!.campaign.id, userId));
    const index = first.deposits.findIndex((d) => d.paymentId === paymentId);
    if (index < 0) {
      refuse('-', 'promo/deposit_required', `no captured deposit ${paymentId} of this player in the cashier's last 200 payments`);
      return { outcome: 'none', refusals };
    }
    const deposit = first.deposits[index]!;
    for (const c of automaticDepositMatches(automatic.map((r) => r.campaign), deposit.at).slice(0, MAX_TRIED)) {
      const rec = records.find((r) => r.campaign.id === c.id)!;
      await this.promos.ensureFunded(rec);
      const key = claimKey(c.id, userId);
      // Eligibility counts the deposits before the matched one (first-deposit offers: max 0).
      const facts = { ...(await this.promos.facts(userId, key)), depositCount: index };
      const { spentMinor } = await this.promos.budget(rec);
      const decision = decideClaim(c, facts, { now: this.now(), spentMinor, amountMinor: deposit.amountMinor });
      if (!decision.ok) {
        refuse(c.id, decision.rejection.code, decision.rejection.message);
        // A blocked player gets nothing from any campaign.
        if (decision.rejection.code === 'promo/blocked') break;
        continue;
      }
      const o = await this.promos.award(userId, c, key, decision.award, depositMemo(c.name, paymentId));
      if (!o.ok) {
        const code = o.code === 'wallet/insufficient_funds' ? 'promo/budget_spent' : o.code === 'wallet/idempotency_conflict' ? 'promo/already_claimed' : o.code === 'wallet/bonus_active' ? 'promo/bonus_active' : o.code;
        refuse(c.id, code, o.message);
        if (code === 'promo/bonus_active') break;
        continue;
      }
      const amountMinor = decision.award.type === 'bonus' ? decision.award.amountMinor : 0;
      automaticAwards.inc({ kind: 'deposit_match', outcome: 'awarded', code: '' });
      this.log.info({ userId, paymentId, campaignId: c.id, amountMinor }, 'automatic deposit match awarded');
      publishRisk({ id: `bonus:${key}`, at: this.now(), type: 'bonus_claimed', playerId: userId, bonusId: c.id, amountMinor });
      return { outcome: 'awarded', campaignId: c.id, amountMinor };
    }
    return { outcome: 'none', refusals };
  }
}
