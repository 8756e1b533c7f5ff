/**
 * AML monitoring: every deposit and withdrawal a player asks for is checked against the rules
 * (actors/aml) with their recent payments and their stakes since the latest deposit; a flag opens
 * a case for review, appended to the `aml-cases` journal and, as `aml.case_opened`, to the
 * tamper-evident audit chain. Operators list cases with `GET /admin/aml/cases`.
 */
import { randomUUID } from 'node:crypto';
import { amlFlags, type AmlConfig, type AmlFlag, type PaymentFact } from '../../actors/aml/index.ts';
import type { Logger } from '../logger.ts';
import { StoreError, type Store } from '../store/types.ts';
import { playerAccountId } from '../wallet/service.ts';
import { isStakeHold } from '../store/limits.ts';

export interface AmlCase {
  caseId: string;
  userId: string;
  rule: AmlFlag['rule'];
  details: Record<string, number>;
  at: number;
}

export const AML_JOURNAL = 'aml-cases';
/** Ledger pages (200 transfers) read for the stakes since a deposit. */
const MAX_PAGES = 5;

export class AmlMonitor {
  constructor(
    private readonly store: Store,
    readonly config: AmlConfig,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Checks a payment just asked for against the player's earlier ones; opens a case per flag. */
  async onPayment(userId: string, payment: PaymentFact, history: PaymentFact[]): Promise<AmlCase[]> {
    const latestDeposit = history.filter((p) => p.kind === 'deposit' && p.at <= payment.at).sort((a, b) => b.at - a.at)[0];
    const staked = payment.kind === 'withdrawal' && latestDeposit ? await this.stakedSince(userId, latestDeposit.at) : 0;
    const opened: AmlCase[] = [];
    for (const flag of amlFlags(this.config, history, payment, staked)) {
      const c: AmlCase = { caseId: randomUUID(), userId, rule: flag.rule, details: flag.details, at: this.now() };
      await this.append(c);
      await this.store.audit.append({ actorId: 'system', actorName: 'aml-monitor', action: 'aml.case_opened', target: `user:${userId}`, reason: flag.rule, details: { caseId: c.caseId, ...flag.details }, at: c.at });
      this.log.warn({ userId, rule: flag.rule, caseId: c.caseId }, 'AML case opened');
      opened.push(c);
    }
    return opened;
  }

  /** The newest cases first; `limit` 1..500. */
  async list(limit: number): Promise<AmlCase[]> {
    const last = await this.store.journal.lastSeq(AML_JOURNAL);
    const records = await this.store.journal.read(AML_JOURNAL, { afterSeq: Math.max(0, last - limit), limit });
    return records.map((r) => r.data as AmlCase).reverse();
  }

  private async append(c: AmlCase): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.journal.append(AML_JOURNAL, (await this.store.journal.lastSeq(AML_JOURNAL)) + 1, [{ type: 'AmlCaseOpened', data: c }]);
        return;
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'journal/seq_conflict') || attempt >= 10) throw err;
      }
    }
  }

  private async stakedSince(userId: string, since: number): Promise<number> {
    const accountId = playerAccountId(userId);
    let staked = 0;
    let before: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const { items, nextCursor } = await this.store.wallet.listTransfers(accountId, { limit: 200, before });
      for (const t of items) {
        if (t.createdAt < since) return staked;
        if (t.kind === 'reserve' && t.fromAccountId === accountId && isStakeHold(t.key)) staked += t.amountMinor;
      }
      if (!nextCursor) return staked;
      before = nextCursor;
    }
    return staked;
  }
}
