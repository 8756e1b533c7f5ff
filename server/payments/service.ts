/**
 * The cashier: deposits, withdrawals, chargebacks and refunds, driven by the PSP's webhooks and a
 * repair poller. Each payment is a pure state machine (actors/payments/payment.ts) journaled as
 * `payment:<paymentId>` in the store's journal (durable on every adapter; a journal append at
 * lastSeq+1 is our optimistic lock across processes). Money moves only through ledger ops the
 * machine decided, with keys derived from our payment id or the PSP's id, so any order or
 * repetition of webhooks moves each amount exactly once. docs/PAYMENTS.md.
 */
import { publishRisk } from '../risk/publish.ts';
import { paymentRiskEvent } from '../risk/producers.ts';
import { createHash, randomBytes } from 'node:crypto';
import {
  decide, evolve, TERMINAL, PSP_CLEARING,
  type Instrument, type PaymentCommand, type PaymentEvent, type PaymentState,
} from '../../actors/payments/payment.ts';
import { AppError } from '../errors.ts';
import type { PaymentFact } from '../../actors/aml/index.ts';
import type { Logger } from '../logger.ts';
import type { StoreError, AuditStore, JournalStore, Store, WalletOp } from '../store/types.ts';
import { clawbackSplit, receivableAccountId } from '../store/wallet-input.ts';
import { playerAccountId, type WalletService } from '../wallet/service.ts';
import { ProviderError, type PaymentProvider, type PspPayment } from './provider.ts';
import { reconcileSettlement, type ReconciliationReport } from './reconcile.ts';

export interface PaymentsConfig {
  depositMinMinor: number;
  depositMaxMinor: number;
  depositDailyMaxMinor: number;
  withdrawalMinMinor: number;
  withdrawalMaxMinor: number;
  /** Withdrawals up to this amount are approved automatically; above it they wait for an operator. */
  autoApproveMaxMinor: number;
  /** Open (non-final) payments a player may have at once. */
  openPerPlayer: number;
  /** Payments a player may start per UTC day. */
  perPlayerPerDay: number;
  /** Whether players may cancel a pending withdrawal (some regulators forbid reversals). */
  reverseWithdrawals: boolean;
  /** How often the repair poller runs (0: never; tests call repair()). */
  pollMs: number;
  /** How often the settlement job checks that yesterday (UTC) is reconciled (0: only on demand). */
  reconcileEveryMs: number;
  /** Where the PSP's hosted page sends the player back to (null: given per request). */
  returnUrl: string | null;
}

/**
 * A withdrawal check that runs after the funds check, in this order: KYC, responsible gambling,
 * bonus wagering, fraud. None exist in the platform yet; each feature registers its check here.
 */
export type WithdrawalCheck = (ctx: { userId: string; amountMinor: number; instrument: Instrument }) => Promise<{ code: string; message: string } | null>;

export interface PaymentView {
  paymentId: string;
  kind: PaymentState['kind'];
  status: PaymentState['status'];
  amountMinor: number;
  currency: string;
  method: string;
  pspId: string | null;
  checkoutUrl: string | null;
  instrument: { id: string; brand: string; last4: string } | null;
  debtMinor: number;
  reason: string | null;
  /** False while the latest change is still being carried out: its ledger ops (the balance follows shortly) or, after a chargeback, the player's lock. */
  settled: boolean;
  createdAt: string;
  updatedAt: string;
  history: PaymentState['history'];
}

const PAYMENT_ID = /^(dep|wd)_[A-Za-z0-9_-]{8,40}$/;
const INDEX_WINDOW = 200;
const MAX_CONFLICT_RETRIES = 8;
const journalId = (paymentId: string) => `payment:${paymentId}`;
const playerIndex = (userId: string) => `payments:player:${userId}`;
const pspIndex = (pspId: string) => `payments:psp:${pspId}`;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The key a deposit's claim on the player's deposit limits is made under. */
const depositClaimKey = (paymentId: string): string => `deposit:${paymentId}`;

type Actor = { userId: string; username: string };
const SYSTEM: Actor = { userId: 'system', username: 'payments' };

const STATUS_OF_CODE: Record<string, number> = {
  'payments/not_found': 404,
  'payments/invalid_state': 409,
  'payments/not_cancellable': 409,
  'payments/duplicate': 409,
};

function toView(s: PaymentState): PaymentView {
  const inst = s.instrument ?? null;
  return {
    paymentId: s.paymentId, kind: s.kind, status: s.status, amountMinor: s.amountMinor, currency: s.currency, method: s.method,
    pspId: s.pspId, checkoutUrl: s.status === 'pending' || s.status === 'created' ? s.checkoutUrl : null,
    instrument: inst ? { id: inst.token, brand: inst.brand, last4: inst.last4 } : null,
    debtMinor: s.debtMinor, reason: s.reason, settled: s.unapplied.length === 0 && !s.lockPending, createdAt: new Date(s.createdAt).toISOString(), updatedAt: new Date(s.updatedAt).toISOString(), history: s.history,
  };
}

export class PaymentService {
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Payments this process knows are not final (the repair poller's work list). */
  private readonly open = new Set<string>();
  private readonly reports: ReconciliationReport[] = [];
  private timer: NodeJS.Timeout | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private lastReconciledDay: string | null = null;
  readonly withdrawalChecks: WithdrawalCheck[] = [];

  constructor(
    private readonly store: Store,
    private readonly wallet: WalletService,
    readonly provider: PaymentProvider,
    private readonly config: PaymentsConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks run before a withdrawal is accepted (KYC: a verified identity). */
  beforeWithdrawal: ((userId: string) => Promise<void>) | null = null;
  /** Told, not awaited, of a deposit captured with its money applied, maybe more than once (automatic promotions: server/promotions/automatic.ts). */
  onDepositCaptured: ((userId: string, paymentId: string) => void) | null = null;
  /** Told of every deposit and withdrawal asked for, with the player's earlier ones (AML monitoring: server/aml). */
  onRequested: ((userId: string, payment: PaymentFact, history: PaymentFact[]) => Promise<unknown>) | null = null;
  /** Awaited once a chargeback's debit is applied, before the lock is recorded done (so re-driven after a crash), never after; must not throw (the bonus the deposit bought: server/promotions/chargeback.ts). */
  onChargedBack: ((userId: string, paymentId: string) => Promise<void>) | null = null;

  private async notifyRequested(userId: string, paymentId: string): Promise<void> {
    if (!this.onRequested) return;
    const fact = (p: PaymentState): PaymentFact => ({ kind: p.kind, amountMinor: p.amountMinor, at: p.createdAt });
    try {
      const states = await this.recentStates(userId);
      const me = states.find((p) => p.paymentId === paymentId);
      if (me) await this.onRequested(userId, fact(me), states.filter((p) => p.paymentId !== paymentId && p.status !== 'failed').map(fact));
    } catch (err) {
      // Monitoring must not stop a payment; the failure is loud in the log.
      this.log.error({ err, userId, paymentId }, 'AML monitoring of a payment failed');
    }
  }

  private get journal(): JournalStore { return this.store.journal; }
  private get auditLog(): AuditStore { return this.store.audit; }

  async init(): Promise<void> {
    await this.store.wallet.ensureAccount(PSP_CLEARING, 'house', this.wallet.currency);
    for (const room of await this.journal.listRooms('payment:')) {
      const s = (await this.load(room.slice('payment:'.length))).state;
      if (s && (!TERMINAL.has(s.status) || s.unapplied.length || s.lockPending)) this.open.add(s.paymentId);
    }
  }

  start(): void {
    if (this.config.pollMs > 0) {
      this.timer = setInterval(() => void this.repair().catch((err) => this.log.warn({ err }, 'payments repair failed; retrying')), this.config.pollMs);
      this.timer.unref();
    }
    if (this.config.reconcileEveryMs > 0) {
      // The daily job: once the PSP's report for yesterday exists, reconcile it (again after a failure).
      this.reconcileTimer = setInterval(() => void this.reconcileYesterday(), this.config.reconcileEveryMs);
      this.reconcileTimer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.timer = null;
    this.reconcileTimer = null;
  }

  private async reconcileYesterday(): Promise<void> {
    const day = utcDay(this.now() - 86_400_000);
    if (this.lastReconciledDay === day) return;
    try {
      await this.reconcile(day);
      this.lastReconciledDay = day;
    } catch (err) {
      this.log.warn({ err, day }, 'daily settlement reconciliation failed; retrying later');
    }
  }

  // --- reading
  async load(paymentId: string): Promise<{ state: PaymentState | null; seq: number }> {
    let state: PaymentState | null = null;
    let seq = 0;
    for (;;) {
      const records = await this.journal.read(journalId(paymentId), { afterSeq: seq, limit: 1000 });
      for (const r of records) {
        state = evolve(state, { ...(r.data as object), type: r.type } as PaymentEvent);
        seq = r.seq;
      }
      if (records.length < 1000) return { state, seq };
    }
  }

  async get(paymentId: string): Promise<PaymentView | null> {
    if (!PAYMENT_ID.test(paymentId)) return null;
    const s = (await this.load(paymentId)).state;
    return s ? toView(s) : null;
  }

  async getForPlayer(userId: string, paymentId: string): Promise<PaymentView> {
    const p = PAYMENT_ID.test(paymentId) ? (await this.load(paymentId)).state : null;
    if (!p || p.userId !== userId) throw new AppError('payments/not_found', 'no such payment', 404);
    return toView(p);
  }

  /** The player's most recent payments (up to 200), newest first. */
  async listForPlayer(userId: string, limit = 50): Promise<PaymentView[]> {
    return (await this.recentStates(userId)).slice(0, limit).map(toView);
  }

  private async recentStates(userId: string): Promise<PaymentState[]> {
    const room = playerIndex(userId);
    const last = await this.journal.lastSeq(room);
    const ids = (await this.journal.read(room, { afterSeq: Math.max(0, last - INDEX_WINDOW) })).map((r) => (r.data as { paymentId: string }).paymentId);
    const states = await Promise.all(ids.reverse().map(async (id) => (await this.load(id)).state));
    return states.filter((s): s is PaymentState => s !== null);
  }

  /** Cards the player has paid with successfully (withdrawals go back to them: closed loop). */
  async instruments(userId: string): Promise<Array<{ id: string; brand: string; last4: string }>> {
    const seen = new Map<string, { id: string; brand: string; last4: string }>();
    for (const s of await this.recentStates(userId)) {
      if (s.kind === 'deposit' && s.status === 'captured' && s.instrument) seen.set(s.instrument.token, { id: s.instrument.token, brand: s.instrument.brand, last4: s.instrument.last4 });
    }
    return [...seen.values()];
  }

  /** Operators: by PSP id, by player, or by status (scans the payments this process lists). */
  async search(q: { pspId?: string; userId?: string; status?: string; limit: number }): Promise<PaymentView[]> {
    if (q.pspId) {
      const rec = await this.journal.read(pspIndex(q.pspId), { limit: 1 });
      const id = (rec[0]?.data as { paymentId?: string } | undefined)?.paymentId;
      const v = id ? await this.get(id) : null;
      return v ? [v] : [];
    }
    if (q.userId) return (await this.listForPlayer(q.userId, q.limit)).filter((p) => !q.status || p.status === q.status);
    const out: PaymentView[] = [];
    const rooms = await this.journal.listRooms('payment:');
    for (const room of rooms.reverse()) {
      const s = (await this.load(room.slice('payment:'.length))).state;
      if (s && (!q.status || s.status === q.status)) out.push(toView(s));
      if (out.length >= q.limit) break;
    }
    return out;
  }

  // --- player commands

  async createDeposit(userId: string, input: { amountMinor: number; method: 'card'; idempotencyKey?: string; returnUrl: string }): Promise<PaymentView> {
    const paymentId = this.newId('dep', userId, input.idempotencyKey);
    const existing = (await this.load(paymentId)).state;
    if (existing) return toView(existing);
    const { amountMinor } = input;
    const c = this.config;
    if (amountMinor < c.depositMinMinor || amountMinor > c.depositMaxMinor) {
      throw new AppError('payments/amount_out_of_range', `a deposit is ${c.depositMinMinor}..${c.depositMaxMinor} minor units`, 400, { minMinor: c.depositMinMinor, maxMinor: c.depositMaxMinor });
    }
    const recent = await this.checkPlayerLimits(userId);
    const today = utcDay(this.now());
    const depositedToday = recent.filter((s) => s.kind === 'deposit' && utcDay(s.createdAt) === today && s.status !== 'failed').reduce((sum, s) => sum + s.amountMinor, 0);
    if (depositedToday + amountMinor > c.depositDailyMaxMinor) {
      throw new AppError('payments/daily_limit', `deposits are limited to ${c.depositDailyMaxMinor} per day (${depositedToday} so far)`, 409, { dailyMaxMinor: c.depositDailyMaxMinor, usedMinor: depositedToday });
    }
    // Player protection: the deposit counts against the player's deposit limits from its start,
    // atomically (a failed deposit gives it back); a blocked player deposits nothing.
    const claim = await this.store.protection.claimDeposit(playerAccountId(userId), depositClaimKey(paymentId), amountMinor, this.now());
    if (!claim.ok) throw new AppError(claim.code, claim.message, claim.code === 'protection/excluded' ? 403 : 409);
    await this.transact(paymentId, () => ({ type: 'create-deposit', paymentId, userId, accountId: playerAccountId(userId), amountMinor, currency: this.wallet.currency, method: input.method, at: this.now() }), { userId, username: 'player' });
    await this.indexForPlayer(userId, paymentId);
    await this.notifyRequested(userId, paymentId);
    return toView(await this.submitDeposit(paymentId, this.config.returnUrl ?? input.returnUrl));
  }

  private async submitDeposit(paymentId: string, returnUrl: string): Promise<PaymentState> {
    const s = (await this.load(paymentId)).state!;
    let psp: PspPayment;
    try {
      psp = await this.provider.createDeposit({ idempotencyKey: `deposit:${paymentId}`, reference: paymentId, amountMinor: s.amountMinor, currency: s.currency, returnUrl });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      this.log.warn({ paymentId, err: err.message }, 'PSP refused or did not answer a deposit');
      await this.transact(paymentId, () => ({ type: 'submit-refused', reason: err.code, at: this.now() }));
      throw new AppError('payments/provider_unavailable', 'the payment provider is not available; try again', 503);
    }
    await this.indexPsp(psp.id, paymentId);
    return this.transact(paymentId, () => ({ type: 'submitted', pspId: psp.id, checkoutUrl: psp.checkoutUrl, at: this.now() }));
  }

  async createWithdrawal(userId: string, input: { amountMinor: number; instrumentId: string; idempotencyKey?: string; kycExempt?: boolean }): Promise<PaymentView> {
    const paymentId = this.newId('wd', userId, input.idempotencyKey);
    const existing = (await this.load(paymentId)).state;
    if (existing) return toView(existing);
    const { amountMinor } = input;
    const c = this.config;
    if (amountMinor < c.withdrawalMinMinor || amountMinor > c.withdrawalMaxMinor) {
      throw new AppError('payments/amount_out_of_range', `a withdrawal is ${c.withdrawalMinMinor}..${c.withdrawalMaxMinor} minor units`, 400, { minMinor: c.withdrawalMinMinor, maxMinor: c.withdrawalMaxMinor });
    }
    // Withdrawals need a verified identity (server/kyc), except a self-exclusion's return of funds (kycExempt: never from a request).
    if (!input.kycExempt) await this.beforeWithdrawal?.(userId);
    await this.checkPlayerLimits(userId);
    // Checks in the documented order: instrument, funds, then KYC / RG / bonus / fraud hooks.
    const instrument = (await this.instruments(userId)).find((i) => i.id === input.instrumentId);
    if (!instrument) throw new AppError('payments/unknown_instrument', 'withdrawals go to a card you have deposited with', 400);
    const view = await this.wallet.view(userId);
    if (view.availableMinor < amountMinor) throw new AppError('payments/insufficient_funds', `available ${view.availableMinor}, asked ${amountMinor}`, 409);
    const inst: Instrument = { token: instrument.id, brand: instrument.brand, last4: instrument.last4 };
    for (const check of this.withdrawalChecks) {
      const refusal = await check({ userId, amountMinor, instrument: inst });
      if (refusal) throw new AppError(refusal.code, refusal.message, 409);
    }
    let s = await this.transact(paymentId, () => ({ type: 'create-withdrawal', paymentId, userId, accountId: playerAccountId(userId), amountMinor, currency: this.wallet.currency, instrument: inst, at: this.now() }), { userId, username: 'player' });
    await this.indexForPlayer(userId, paymentId);
    await this.notifyRequested(userId, paymentId);
    if (s.status === 'rejected') throw new AppError('payments/insufficient_funds', 'the balance changed before the funds could be held', 409, { paymentId });
    s = await this.transact(paymentId, () => ({ type: 'route', autoApproveMaxMinor: c.autoApproveMaxMinor, at: this.now() }));
    if (s.status === 'approved') s = await this.submitPayout(paymentId);
    return toView(s);
  }

  private async submitPayout(paymentId: string): Promise<PaymentState> {
    const s = (await this.load(paymentId)).state!;
    if (s.status !== 'approved' || s.pspId) return s;
    let psp: PspPayment;
    try {
      psp = await this.provider.createPayout({ idempotencyKey: `payout:${paymentId}`, reference: paymentId, amountMinor: s.amountMinor, currency: s.currency, instrumentToken: s.instrumentId! });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.code === 'psp/unavailable') {
        // Stays approved; the repair poller submits again under the same idempotency key.
        this.log.warn({ paymentId, err: err.message }, 'PSP unavailable for a payout; will retry');
        return s;
      }
      this.log.warn({ paymentId, err: err.message }, 'PSP refused a payout; returning the funds');
      return this.transact(paymentId, () => ({ type: 'submit-refused', reason: err.message.slice(0, 200), at: this.now() }));
    }
    await this.indexPsp(psp.id, paymentId);
    const after = await this.transact(paymentId, () => ({ type: 'submitted', pspId: psp.id, checkoutUrl: null, at: this.now() }));
    // The payout may already be final (a webhook raced the submission record).
    return psp.status === 'pending' ? after : this.applyPsp(paymentId, psp);
  }

  async cancelWithdrawal(player: Actor, paymentId: string): Promise<PaymentView> {
    const userId = player.userId;
    if (!this.config.reverseWithdrawals) throw new AppError('payments/reversal_disabled', 'withdrawals cannot be cancelled here', 409);
    await this.getForPlayer(userId, paymentId);
    return toView(await this.transact(paymentId, () => ({ type: 'cancel', by: userId, at: this.now() }), player));
  }

  // --- operators

  async review(actor: { userId: string; username: string }, paymentId: string, approve: boolean, reason: string): Promise<PaymentView> {
    if (!(await this.get(paymentId))) throw new AppError('payments/not_found', 'no such payment', 404);
    let s = await this.transact(paymentId, () => ({ type: 'review', approve, by: actor.userId, reason, at: this.now() }), actor);
    if (s.status === 'approved') s = await this.submitPayout(paymentId);
    return toView(s);
  }

  // --- the PSP's side

  /** A verified webhook's payment object, or a polled one. Answers the state after it. */
  async applyPsp(paymentId: string, psp: PspPayment): Promise<PaymentState> {
    const after = await this.transact(paymentId, async (s) => {
      if (!s) throw new AppError('payments/not_found', `no payment ${paymentId}`, 404);
      if ((s.kind === 'deposit') !== (psp.kind === 'payment')) throw new AppError('payments/psp_mismatch', `a ${psp.kind} event for a ${s.kind}`, 409);
      return { type: 'psp-update', pspId: psp.id, status: psp.status, amountMinor: psp.amountMinor, instrument: psp.instrument, at: this.now() };
    });
    if (after.pspId) await this.indexPsp(after.pspId, paymentId);
    return after.lockPending ? this.lockAfterChargeback(after) : after;
  }

  /**
   * A chargeback locks the player for review (audited as `player.lock`). The lock is part of the
   * journaled decision (`lockPending`) and done until `PlayerLocked` is journaled, so a crash in
   * between is repaired; afterwards a duplicate webhook does not re-lock a player an operator unlocked.
   */
  private async lockAfterChargeback(s: PaymentState): Promise<PaymentState> {
    if (s.unapplied.length) return s; // the debit first; the poller comes back
    const details = { userId: s.userId, amountMinor: s.amountMinor, debtMinor: s.debtMinor, pspId: s.pspId };
    await this.store.users.setStatus(s.userId, 'locked');
    await this.audit(SYSTEM, 'player.lock', `user:${s.userId}`, `chargeback on payment ${s.paymentId}; locked for review`, details);
    await this.onChargedBack?.(s.userId, s.paymentId);
    this.log.warn({ paymentId: s.paymentId, ...details }, 'chargeback: player debited and locked');
    return this.transact(s.paymentId, () => ({ type: 'player-locked', at: this.now() }));
  }

  async handleWebhook(raw: Buffer, headers: Record<string, string | string[] | undefined>): Promise<{ received: true; ignored?: string }> {
    const event = this.provider.parseWebhook(raw, headers, this.now());
    const paymentId = event.object.reference;
    if (!PAYMENT_ID.test(paymentId)) {
      this.log.warn({ eventId: event.id, reference: paymentId }, 'webhook for a reference that is not ours: ignored');
      return { received: true, ignored: 'payments/not_found' };
    }
    try {
      await this.applyPsp(paymentId, event.object);
      return { received: true };
    } catch (err) {
      // A well-signed event we cannot act on (unknown payment, mismatched id or amount) is
      // acknowledged so the PSP stops retrying, and raised to operators.
      if (err instanceof AppError && err.code !== 'payments/conflict') {
        this.log.error({ eventId: event.id, paymentId, code: err.code, err: err.message }, 'webhook refused by the payment state machine');
        return { received: true, ignored: err.code };
      }
      throw err;
    }
  }

  /**
   * Repairs what webhooks missed: re-applies unapplied ledger ops, submits approved payouts the PSP
   * never got, and asks the PSP for the status of every open payment.
   */
  async repair(): Promise<{ checked: number; changed: number }> {
    let checked = 0;
    let changed = 0;
    for (const paymentId of [...this.open]) {
      checked++;
      try {
        const before = (await this.load(paymentId)).state;
        if (!before) { this.open.delete(paymentId); continue; }
        let s = await this.transact(paymentId, () => null);
        if (s.lockPending) s = await this.lockAfterChargeback(s);
        if (s.kind === 'withdrawal' && s.status === 'approved' && !s.pspId) s = await this.submitPayout(paymentId);
        else if (s.pspId && !TERMINAL.has(s.status)) s = await this.applyPsp(paymentId, await this.provider.fetchStatus(s.kind === 'deposit' ? 'payment' : 'payout', s.pspId));
        if (s.status !== before.status || s.unapplied.length !== before.unapplied.length) changed++;
      } catch (err) {
        this.log.warn({ paymentId, err: (err as Error).message }, 'could not repair a payment; next round');
      }
    }
    return { checked, changed };
  }

  // --- reconciliation

  async reconcile(date: string): Promise<ReconciliationReport> {
    let report = await reconcileSettlement(date, this.provider, this.store.wallet);
    // Lines the ledger misses are usually lost webhooks (a chargeback after capture is never
    // polled): ask the PSP for those payments' status, apply it, and compare again.
    if (report.missingInLedger.length) {
      for (const line of report.missingInLedger) {
        try {
          const psp = await this.provider.fetchStatus(line.type === 'payout' ? 'payout' : 'payment', line.pspId);
          if (PAYMENT_ID.test(psp.reference)) await this.applyPsp(psp.reference, psp);
        } catch (err) {
          this.log.warn({ pspId: line.pspId, err: (err as Error).message }, 'could not repair a payment missing from the ledger');
        }
      }
      report = await reconcileSettlement(date, this.provider, this.store.wallet);
    }
    if (!report.ok) {
      this.log.error({ date, missingInLedger: report.missingInLedger.length, missingAtPsp: report.missingAtPsp.length, mismatched: report.mismatched.length }, 'settlement reconciliation found mismatches');
    } else this.log.info({ date, matched: report.matched }, 'settlement reconciled');
    this.reports.unshift(report);
    this.reports.length = Math.min(this.reports.length, 30);
    await this.journal.append('payments:reconciliations', (await this.journal.lastSeq('payments:reconciliations')) + 1, [
      { type: 'Reconciled', data: { date, at: report.at, ok: report.ok, matched: report.matched, missingInLedger: report.missingInLedger.length, missingAtPsp: report.missingAtPsp.length, mismatched: report.mismatched.length } },
    ]).catch((err) => this.log.warn({ err }, 'could not journal the reconciliation summary'));
    return report;
  }

  recentReconciliations(): ReconciliationReport[] {
    return [...this.reports];
  }

  // --- internals

  private newId(prefix: 'dep' | 'wd', userId: string, idempotencyKey?: string): string {
    if (idempotencyKey === undefined) return `${prefix}_${randomBytes(12).toString('base64url')}`;
    return `${prefix}_${createHash('sha256').update(`${userId}\n${prefix}\n${idempotencyKey}`).digest('base64url').slice(0, 24)}`;
  }

  private async checkPlayerLimits(userId: string): Promise<PaymentState[]> {
    const recent = await this.recentStates(userId);
    const openCount = recent.filter((s) => !TERMINAL.has(s.status) && !(s.kind === 'deposit' && s.status === 'captured')).length;
    if (openCount >= this.config.openPerPlayer) {
      throw new AppError('payments/too_many_open', `at most ${this.config.openPerPlayer} open payments at once`, 429, { open: openCount });
    }
    const today = utcDay(this.now());
    if (recent.filter((s) => utcDay(s.createdAt) === today).length >= this.config.perPlayerPerDay) {
      throw new AppError('payments/too_many_today', `at most ${this.config.perPlayerPerDay} payments a day`, 429);
    }
    return recent;
  }

  private async indexForPlayer(userId: string, paymentId: string): Promise<void> {
    await this.appendWithRetry(playerIndex(userId), { type: 'PaymentStarted', data: { paymentId, at: this.now() } });
  }

  private async indexPsp(pspId: string, paymentId: string): Promise<void> {
    if ((await this.journal.lastSeq(pspIndex(pspId))) > 0) return;
    try {
      await this.journal.append(pspIndex(pspId), 1, [{ type: 'PspIdAssigned', data: { paymentId } }]);
    } catch (err) {
      if ((err as StoreError).code !== 'journal/seq_conflict') throw err;
    }
  }

  private async appendWithRetry(room: string, event: { type: string; data: unknown }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.journal.append(room, (await this.journal.lastSeq(room)) + 1, [event]);
        return;
      } catch (err) {
        if ((err as StoreError).code !== 'journal/seq_conflict' || attempt >= MAX_CONFLICT_RETRIES) throw err;
      }
    }
  }

  /** One payment's commands run one at a time in this process; across processes the journal's sequence decides. */
  private serial<T>(paymentId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(paymentId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(paymentId, tail);
    void tail.then(() => { if (this.chains.get(paymentId) === tail) this.chains.delete(paymentId); });
    return next;
  }

  /**
   * Loads the payment, decides `make(state)` (null: nothing to decide), appends the events at the
   * next sequence (retrying on a concurrent append), then performs the ledger ops still unapplied.
   */
  private transact(paymentId: string, make: (s: PaymentState | null) => PaymentCommand | null | Promise<PaymentCommand | null>, actor: Actor = SYSTEM): Promise<PaymentState> {
    return this.serial(paymentId, async () => {
      for (let attempt = 0; ; attempt++) {
        const { state, seq } = await this.load(paymentId);
        const cmd = await make(state);
        let next = state;
        let at = seq;
        if (cmd) {
          const d = decide(state, cmd);
          if (!d.ok) throw new AppError(d.rejection.code, d.rejection.message, STATUS_OF_CODE[d.rejection.code] ?? 409, d.rejection.details);
          if (d.events.length) {
            try {
              await this.journal.append(journalId(paymentId), seq + 1, d.events.map((e) => ({ type: e.type, data: e })));
            } catch (err) {
              if ((err as StoreError).code === 'journal/seq_conflict' && attempt < MAX_CONFLICT_RETRIES) continue;
              if ((err as StoreError).code === 'journal/seq_conflict') throw new AppError('payments/conflict', 'the payment changed concurrently; retry', 409);
              throw err;
            }
            for (const e of d.events) next = evolve(next, e);
            at = seq + d.events.length;
            this.log.info({ paymentId, events: d.events.map((e) => (e.type === 'Transitioned' ? `${e.type}:${e.to}` : e.type)) }, 'payment changed');
            await this.auditChanges(paymentId, d.events, next!, actor);
          }
        }
        if (!next) throw new AppError('payments/not_found', `no payment ${paymentId}`, 404);
        next = await this.settle(next, at);
        if (next.kind === 'deposit' && next.status === 'failed') await this.store.protection.releaseDeposit(depositClaimKey(paymentId), this.now());
        if (!TERMINAL.has(next.status) || next.unapplied.length || next.lockPending || (next.kind === 'deposit' && next.status === 'captured')) {
          if (next.kind === 'deposit' && next.status === 'captured' && !next.unapplied.length) void (this.open.delete(paymentId), this.onDepositCaptured?.(next.userId, paymentId));
          else this.open.add(paymentId);
        } else this.open.delete(paymentId);
        return next;
      }
    });
  }

  /** Applies the unapplied ops atomically (each idempotent), then records that they were. */
  private async settle(s: PaymentState, seq: number): Promise<PaymentState> {
    for (let round = 0; s.unapplied.length && round < 3; round++) {
      // A clawback may leave a debt, which the ledger books in the player's receivable account.
      const clawback = s.unapplied.findIndex((op) => op.type === 'clawback');
      if (clawback >= 0) await this.store.wallet.ensureAccount(receivableAccountId(s.accountId), 'house', this.wallet.currency);
      const outcomes = await this.wallet.apply(s.unapplied as WalletOp[], { atomic: true });
      const failure = outcomes.find((o) => !o.ok && o.code !== 'wallet/aborted');
      const cmd: PaymentCommand = !failure || failure.ok
        ? { type: 'ops-applied', at: this.now(), ...(clawback >= 0 ? { debtMinor: clawbackSplit(outcomes[clawback]!).debtMinor } : {}) }
        : { type: 'ops-failed', code: failure.code, at: this.now() };
      const d = decide(s, cmd);
      if (!d.ok) {
        // A ledger refusal the machine has no answer for is a bug or a tampered ledger: leave the
        // ops unapplied (the poller retries) and say so loudly.
        this.log.error({ paymentId: s.paymentId, rejection: d.rejection }, 'payment ledger ops refused');
        return s;
      }
      if (!d.events.length) return s;
      await this.journal.append(journalId(s.paymentId), seq + 1, d.events.map((e) => ({ type: e.type, data: e })));
      for (const e of d.events) s = evolve(s, e);
      seq += d.events.length;
    }
    return s;
  }

  /** Every state change of a payment goes to the audit log too (who: the operator, the player, or the PSP via `payments`). */
  private async auditChanges(paymentId: string, events: PaymentEvent[], s: PaymentState, actor: Actor): Promise<void> {
    for (const e of events) {
      const status = e.type === 'Created' ? s.history[0]!.status : e.type === 'Submitted' ? (s.kind === 'deposit' ? 'pending' : 'submitted') : e.type === 'Transitioned' ? e.to : null;
      if (!status) continue;
      publishRisk(paymentRiskEvent(s, status, this.now()));
      const reason = e.type === 'Transitioned' ? e.reason ?? null : null;
      try {
        await this.audit(actor, `payment.${status}`, paymentId, reason, { kind: s.kind, userId: s.userId, amountMinor: s.amountMinor, pspId: s.pspId, ...(s.debtMinor ? { debtMinor: s.debtMinor } : {}) });
      } catch (err) {
        // The journal already holds the change; a lost audit line must not undo or block it.
        this.log.error({ err, paymentId, status }, 'could not audit a payment state change');
      }
    }
  }

  private async audit(actor: Actor, action: string, target: string, reason: string | null, details: Record<string, unknown>): Promise<void> {
    await this.auditLog.append({ actorId: actor.userId, actorName: actor.username, action, target: target.includes(':') ? target : `payment:${target}`, reason, details, at: this.now() });
  }
}
