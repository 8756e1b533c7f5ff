/**
 * Automatic cash-back (docs/PROMOTIONS.md §4): at the end of each period of a cash-back campaign
 * with `optIn: false`, every eligible player with a net loss in that period is paid, without a claim.
 *
 * - Periods: [startsAt + k·periodMs, startsAt + (k+1)·periodMs), the last one cut at endsAt; a
 *   period is paid once it has ended, oldest first, while the campaign is `active` (paused: it
 *   waits; ended: nothing more is paid).
 * - Idempotent per player per period: the payment's ledger key is
 *   `promo:<campaign>:cashback:p<k>:<user>`; a second run (or a second process) finds it taken.
 * - Bounded work: each run visits at most `pagesPerRun` pages of `pageSize` users (UserStore
 *   `listAfter`, username order), over all campaigns.
 * - Resumable: after each page the job appends its progress (period, last username, done) to the
 *   journal `promo-cashback:<campaign>`; a run starts from there, so a crash repeats at most one
 *   page, whose payments are then replays of their keys. Two processes appending the same progress
 *   meet at the journal's sequence check: the loser stops its run.
 * - One process in a cluster: each run first takes the lease `job:promotions-cashback` (Redis,
 *   server/cluster/lease.ts) and gives it back after; a process that cannot take it skips the run.
 *   Correctness never depends on the lease (the keys above do), it only saves duplicate work.
 */
import { cashBackPeriodKey, decidePeriodCashBack, isAutomatic, nextDueCashBackPeriod } from '../../actors/promotions/index.ts';
import type { LeaseManager } from '../cluster/lease.ts';
import type { Logger } from '../logger.ts';
import { StoreError, type JournalStore, type User, type UserStore, type WalletStore } from '../store/types.ts';
import { automaticAwards } from './automatic.ts';
import type { CampaignRecord } from './campaigns.ts';
import type { PromotionsService } from './service.ts';

export const cashBackJournalId = (campaignId: string): string => `promo-cashback:${campaignId}`;

/** Where a campaign's payments have got to: period `period` is paid up to user `after` (done: all of it). */
export interface CashBackProgress {
  period: number;
  after: string | null;
  done: boolean;
  paid: number;
  at: number;
}

/** The cluster's single runner: true when this process may run now (it then releases after). */
export interface JobLease {
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

export interface CashBackRun {
  pages: number;
  paid: number;
  paidMinor: number;
  refused: number;
  periodsCompleted: number;
  skipped?: 'lease_held' | 'conflict';
}

export class CashBackJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<CashBackRun> | null = null;

  constructor(
    private readonly promos: PromotionsService,
    private readonly users: UserStore,
    private readonly journal: JournalStore,
    private readonly wallet: WalletStore,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly opts: { pageSize?: number; pagesPerRun?: number; lease?: JobLease | null } = {},
  ) {}

  private get pageSize(): number {
    return Math.min(100, Math.max(1, this.opts.pageSize ?? 100));
  }

  /** One bounded run (runs of one process never overlap). */
  run(): Promise<CashBackRun> {
    this.running ??= this.runOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runOnce(): Promise<CashBackRun> {
    const out: CashBackRun = { pages: 0, paid: 0, paidMinor: 0, refused: 0, periodsCompleted: 0 };
    const lease = this.opts.lease ?? null;
    if (lease && !(await lease.acquire())) return { ...out, skipped: 'lease_held' };
    try {
      const budget = this.opts.pagesPerRun ?? 10;
      for (const rec of await this.promos.book.list()) {
        if (!isAutomatic(rec.campaign) || rec.campaign.terms.kind !== 'cash_back') continue;
        while (out.pages < budget) {
          const progress = await this.progress(rec.campaign.id);
          const paidThrough = progress.state ? (progress.state.done ? progress.state.period : progress.state.period - 1) : -1;
          const period = nextDueCashBackPeriod(rec.campaign, this.now(), paidThrough);
          if (!period) break;
          const after = progress.state && !progress.state.done && progress.state.period === period.index ? progress.state.after : null;
          const page = await this.users.listAfter(after, this.pageSize);
          out.pages++;
          let paid = 0;
          for (const user of page) {
            const r = await this.payOne(rec, period, user);
            if (typeof r === 'number') {
              paid++;
              out.paidMinor += r;
            } else if (r === 'refused') out.refused++;
          }
          out.paid += paid;
          const done = page.length < this.pageSize;
          const next: CashBackProgress = { period: period.index, after: page.length ? page[page.length - 1]!.username.toLowerCase() : after, done, paid, at: this.now() };
          try {
            await this.journal.append(cashBackJournalId(rec.campaign.id), progress.seq + 1, [{ type: 'CashBackProgress', data: next }], { at: next.at });
          } catch (err) {
            // Another process recorded this page first: it is running the job; stop here.
            if (err instanceof StoreError && err.code === 'journal/seq_conflict') return { ...out, skipped: 'conflict' };
            throw err;
          }
          if (done) {
            out.periodsCompleted++;
            this.log.info({ campaignId: rec.campaign.id, period: period.index }, 'cash-back period paid');
          }
        }
      }
      return out;
    } finally {
      if (lease) await lease.release().catch((err) => this.log.warn({ err }, 'could not release the cash-back job lease'));
    }
  }

  private async progress(campaignId: string): Promise<{ state: CashBackProgress | null; seq: number }> {
    const seq = await this.journal.lastSeq(cashBackJournalId(campaignId));
    if (seq === 0) return { state: null, seq };
    const [last] = await this.journal.read(cashBackJournalId(campaignId), { afterSeq: seq - 1, limit: 1 });
    return { state: (last?.data as CashBackProgress | undefined) ?? null, seq };
  }

  /** Pays one player's cash-back for the period: the amount paid, or why not. */
  private async payOne(rec: CampaignRecord, period: { index: number; from: number; to: number }, user: User): Promise<number | 'already' | 'refused' | 'nothing'> {
    if (user.role !== 'player') return 'nothing';
    const c = rec.campaign;
    const key = cashBackPeriodKey(c.id, period.index, user.id);
    if (await this.wallet.transferByKey(key)) return 'already';
    const [facts, netLossMinor, { spentMinor }] = await Promise.all([
      this.promos.facts(user.id, key), this.promos.netLoss(user.id, period.from, period.to), this.promos.budget(rec),
    ]);
    const d = decidePeriodCashBack(c, facts, { periodEnd: period.to, netLossMinor, spentMinor, now: this.now() });
    if (!d.ok) {
      if (d.rejection.code === 'promo/nothing_due') return 'nothing';
      automaticAwards.inc({ kind: 'cash_back', outcome: 'refused', code: d.rejection.code });
      this.log.info({ userId: user.id, campaignId: c.id, period: period.index, code: d.rejection.code }, 'automatic cash-back not paid');
      return 'refused';
    }
    await this.promos.ensureFunded(rec);
    const o = await this.promos.award(user.id, c, key, d.award, `${c.name.slice(0, 120)} · period ${period.index}`);
    if (!o.ok) {
      automaticAwards.inc({ kind: 'cash_back', outcome: 'refused', code: o.code });
      this.log.info({ userId: user.id, campaignId: c.id, period: period.index, code: o.code }, 'automatic cash-back refused by the ledger');
      return 'refused';
    }
    automaticAwards.inc({ kind: 'cash_back', outcome: 'awarded', code: '' });
    return d.award.type === 'cash' || d.award.type === 'bonus' ? d.award.amountMinor : 0;
  }

  start(everyMs: number): void {
    if (everyMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.run().catch((err) => this.log.warn({ err }, 'automatic cash-back run failed; retried next run')), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}

/** The job's lease in Redis (cluster mode): a room-style lease on `job:<name>`, held for one run. */
export function redisJobLease(leases: Pick<LeaseManager, 'acquire' | 'release'>, name: string): JobLease {
  let fence: number | null = null;
  return {
    async acquire() {
      fence = await leases.acquire(`job:${name}`);
      return fence !== null;
    },
    async release() {
      if (fence !== null) await leases.release(`job:${name}`, fence);
      fence = null;
    },
  };
}
