/**
 * Self-exclusion's return of funds (UKGC LCCP SR code 3.5.3; docs/COMPLIANCE.md "Return of funds"):
 * once a self-excluded player has no open stakes (accepted bets stand and settle first), their
 * withdrawable cash goes back through the cashier's ordinary payout path to the card of their most
 * recent captured deposit. Each exclusion's return is a journal (`funds-return:<userId>`), so it
 * is done once: the withdrawals' idempotency keys derive from the exclusion's start and a chunk
 * number, and a sweep (this process's open returns, `batch` at a time) drives it until it is
 * completed or flagged for an operator.
 *
 * Rules (decided here, documented in COMPLIANCE.md):
 * - an active bonus is forfeited first (promotions' rule: bonus money is not the player's);
 * - a verified player gets the whole balance; an unverified one gets back at most what they
 *   deposited net of withdrawals (their own money to its source card: closed loop), the rest is
 *   flagged for an operator (identity to be verified before winnings leave);
 * - the demo credit (DEMO_BALANCE_MINOR, the operator's promotional money) is not paid out: what
 *   is left of it stays on the closed account (`retainedMinor`);
 * - no captured deposit on record (demo credit only), a rest below the cashier's minimum, or a
 *   return that keeps failing: flagged for an operator, never paid anywhere else.
 */
import type { Logger } from '../logger.ts';
import type { PaymentService, PaymentView } from '../payments/service.ts';
import { StoreError, type Store } from '../store/types.ts';
import { playerAccountId } from '../wallet/service.ts';
import type { ProtectionRecord } from '../store/protection-types.ts';
import { AppError } from '../errors.ts';

export type FundsReturnEvent =
  | { type: 'ReturnRequested'; exclusionAt: number; at: number }
  | { type: 'ReturnPaymentStarted'; exclusionAt: number; chunk: number; paymentId: string; amountMinor: number; at: number }
  | { type: 'ReturnAttemptFailed'; exclusionAt: number; code: string; at: number }
  | { type: 'ReturnFlagged'; exclusionAt: number; reason: FlagReason; amountMinor: number; at: number }
  /** `retainedMinor`: left on the account (the demo credit, not the player's money). */
  | { type: 'ReturnCompleted'; exclusionAt: number; returnedMinor: number; retainedMinor: number; at: number };

export type FlagReason = 'no_deposit' | 'kyc_unverified' | 'below_minimum' | 'payout_failing';

export interface FundsReturnState {
  userId: string;
  exclusionAt: number;
  status: 'waiting' | 'flagged' | 'completed';
  payments: Array<{ chunk: number; paymentId: string; amountMinor: number }>;
  failures: number;
  reason: FlagReason | null;
  flaggedMinor: number;
  returnedMinor: number;
  retainedMinor: number;
  requestedAt: number;
  updatedAt: number;
}

export interface FundsReturnDeps {
  store: Store;
  payments: PaymentService;
  /** Whether the player's identity is verified now (server/kyc). */
  isVerified: (userId: string) => Promise<boolean>;
  /** Ends the player's active bonus (promotions). */
  forfeitBonus: (userId: string, why: string) => Promise<unknown>;
  /** The cashier's smallest and largest withdrawal. */
  withdrawalMinMinor: number;
  withdrawalMaxMinor: number;
  log: Logger;
  now: () => number;
}

/** Withdrawals one exclusion's return may start (chunks of the cashier's maximum, and retries of failed payouts). */
export const MAX_RETURN_PAYMENTS = 20;
/** Failed attempts (the cashier refused, the payout failed) before the return is flagged. */
export const MAX_RETURN_FAILURES = 5;
const OPEN = new Set(['requested', 'review', 'approved', 'submitted']);
const journalId = (userId: string) => `funds-return:${userId}`;

export function evolveReturn(s: FundsReturnState | null, userId: string, e: FundsReturnEvent): FundsReturnState | null {
  if (e.type === 'ReturnRequested') {
    return { userId, exclusionAt: e.exclusionAt, status: 'waiting', payments: [], failures: 0, reason: null, flaggedMinor: 0, returnedMinor: 0, retainedMinor: 0, requestedAt: e.at, updatedAt: e.at };
  }
  if (!s || s.exclusionAt !== e.exclusionAt) return s;
  const u = { ...s, updatedAt: e.at };
  switch (e.type) {
    case 'ReturnPaymentStarted': return { ...u, payments: [...s.payments, { chunk: e.chunk, paymentId: e.paymentId, amountMinor: e.amountMinor }] };
    case 'ReturnAttemptFailed': return { ...u, failures: s.failures + 1 };
    case 'ReturnFlagged': return { ...u, status: 'flagged', reason: e.reason, flaggedMinor: e.amountMinor };
    case 'ReturnCompleted': return { ...u, status: 'completed', returnedMinor: e.returnedMinor, retainedMinor: e.retainedMinor };
  }
}

export class FundsReturns {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly d: FundsReturnDeps, private readonly sweepMs: number, private readonly batch = 50) {}

  async load(userId: string): Promise<{ state: FundsReturnState | null; seq: number }> {
    const records = await this.d.store.journal.read(journalId(userId), { limit: 10_000 });
    let state: FundsReturnState | null = null;
    for (const r of records) state = evolveReturn(state, userId, r.data as FundsReturnEvent);
    return { state, seq: records.at(-1)?.seq ?? 0 };
  }

  /** Open returns left by an earlier run of this process (or another): swept from now on. */
  async init(): Promise<void> {
    for (const room of await this.d.store.journal.listRooms('funds-return:')) {
      const userId = room.slice('funds-return:'.length);
      if ((await this.load(userId)).state?.status === 'waiting') this.pending.add(userId);
    }
  }

  start(): void {
    if (this.sweepMs <= 0 || this.timer) return;
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return; // one pass at a time
      busy = true;
      void this.sweep().catch((err) => this.d.log.warn({ err }, 'funds-return sweep failed; retrying')).finally(() => { busy = false; });
    }, this.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** The protection service's block hook: a self-exclusion opens a return (once per exclusion), then tries it. */
  async onBlocked(userId: string, record: ProtectionRecord): Promise<void> {
    const c = record.controls;
    if (c.blockKind !== 'self_exclusion' || c.blockedAt === null) return;
    const { state, seq } = await this.load(userId);
    if (state?.status === 'waiting' || state?.exclusionAt === c.blockedAt) {
      this.pending.add(userId);
      return;
    }
    if (await this.append(userId, seq, { type: 'ReturnRequested', exclusionAt: c.blockedAt, at: this.d.now() })) {
      await this.audit(userId, 'protection.funds_return_requested', null, { exclusionAt: c.blockedAt });
    }
    this.pending.add(userId);
    await this.advance(userId).catch((err) => this.d.log.warn({ err, userId }, 'funds return: first attempt failed; the sweep retries'));
  }

  /** One pass over up to `batch` open returns. Answers how many are still open. */
  sweep(): Promise<number> {
    const run = (async () => {
      for (const userId of [...this.pending].slice(0, this.batch)) {
        try {
          await this.advance(userId);
        } catch (err) {
          this.d.log.warn({ err, userId }, 'funds return could not advance; next sweep');
        }
      }
      return this.pending.size;
    })();
    this.running = run;
    return run;
  }

  /** The newest returns (operators), optionally by status; reads at most `limit` journals beyond the open ones. */
  async list(status: FundsReturnState['status'] | null, limit: number): Promise<FundsReturnState[]> {
    const rooms = (await this.d.store.journal.listRooms('funds-return:')).slice(-limit * 4);
    const out: FundsReturnState[] = [];
    for (const room of rooms) {
      const s = (await this.load(room.slice('funds-return:'.length))).state;
      if (s && (!status || s.status === status)) out.push(s);
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, limit);
  }

  /** Moves one return on as far as it can go now. */
  async advance(userId: string): Promise<FundsReturnState | null> {
    const { state, seq } = await this.load(userId);
    if (state?.status !== 'waiting') {
      this.pending.delete(userId);
      return state;
    }
    const accountId = playerAccountId(userId);
    const payments = await this.d.payments.listForPlayer(userId, 200);
    const ours = state.payments.map((p) => ({ ...p, view: payments.find((v) => v.paymentId === p.paymentId) ?? null }));
    // A payment whose ledger ops are still being applied: its hold's state is not known yet; next pass.
    if (payments.some((p) => !p.settled)) return state;
    const withdrawalsOpen = payments.filter((p) => p.kind === 'withdrawal' && OPEN.has(p.status)).reduce((s, p) => s + p.amountMinor, 0);
    const cash = await this.d.store.wallet.getAccount(accountId);
    const bonus = await this.d.store.wallet.getAccount(`bonus:${accountId}`);
    const openStakes = (cash?.heldMinor ?? 0) - withdrawalsOpen + (bonus?.heldMinor ?? 0);
    if (!cash || openStakes > 0) return state; // accepted bets stand and settle first
    await this.d.forfeitBonus(userId, 'self-exclusion: bonus forfeited before the return of funds');
    const available = (await this.d.store.wallet.getAccount(accountId))?.balanceMinor ?? 0;
    const inFlight = ours.some((p) => p.view && OPEN.has(p.view.status));
    const paidMinor = ours.filter((p) => p.view?.status === 'paid').reduce((s, p) => s + p.amountMinor, 0);
    const complete = () => this.finish(userId, seq, state, { type: 'ReturnCompleted', exclusionAt: state.exclusionAt, returnedMinor: paidMinor, retainedMinor: available, at: this.d.now() });
    const deposit = payments.find((p) => p.kind === 'deposit' && (p.status === 'captured' || p.status === 'refunded') && p.instrument);
    if (!deposit?.instrument) return available === 0 ? complete() : this.flag(userId, seq, state, 'no_deposit', available);
    // The demo credit (the operator's money, DEMO_BALANCE_MINOR) is not returned as cash.
    const own = Math.max(0, available - (await this.demoCredit(userId)));
    const verified = await this.d.isVerified(userId);
    const amount = verified ? own : Math.min(own, Math.max(0, netDeposited(payments)));
    if (amount < this.d.withdrawalMinMinor) {
      if (inFlight) return state;
      if (own === 0) return complete();
      return this.flag(userId, seq, state, amount < own && !verified ? 'kyc_unverified' : 'below_minimum', own);
    }
    if (state.payments.length >= MAX_RETURN_PAYMENTS || state.failures >= MAX_RETURN_FAILURES) return this.flag(userId, seq, state, 'payout_failing', own);
    return this.pay(userId, seq, state, Math.min(amount, this.d.withdrawalMaxMinor), deposit.instrument.id);
  }

  private async demoCredit(userId: string): Promise<number> {
    const t = await this.d.store.wallet.transferByKey(`promo:signup:${userId}`);
    return t?.amountMinor ?? 0;
  }

  private async pay(userId: string, seq: number, state: FundsReturnState, amountMinor: number, instrumentId: string): Promise<FundsReturnState | null> {
    const chunk = state.payments.length + state.failures;
    const at = this.d.now();
    let view: PaymentView;
    try {
      view = await this.d.payments.createWithdrawal(userId, { amountMinor, instrumentId, idempotencyKey: `self-exclusion:${state.exclusionAt}:${chunk}`, kycExempt: true });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.d.log.warn({ userId, code: err.code }, 'funds return: the cashier refused a withdrawal; retried by the sweep');
      await this.append(userId, seq, { type: 'ReturnAttemptFailed', exclusionAt: state.exclusionAt, code: err.code, at });
      return state;
    }
    // A repeat after a crash answers the first withdrawal under this key: record what it holds.
    const event: FundsReturnEvent = { type: 'ReturnPaymentStarted', exclusionAt: state.exclusionAt, chunk, paymentId: view.paymentId, amountMinor: view.amountMinor, at };
    if (!(await this.append(userId, seq, event))) return state;
    await this.audit(userId, 'protection.funds_return_payment', null, { exclusionAt: state.exclusionAt, paymentId: view.paymentId, amountMinor: view.amountMinor, method: view.method });
    this.d.log.info({ userId, paymentId: view.paymentId, amountMinor: view.amountMinor }, 'self-exclusion: returning the player\'s funds');
    return evolveReturn(state, userId, event);
  }

  private async flag(userId: string, seq: number, state: FundsReturnState, reason: FlagReason, amountMinor: number): Promise<FundsReturnState | null> {
    this.d.log.warn({ userId, reason, amountMinor }, 'self-exclusion: funds could not be returned automatically; flagged for an operator');
    return this.finish(userId, seq, state, { type: 'ReturnFlagged', exclusionAt: state.exclusionAt, reason, amountMinor, at: this.d.now() });
  }

  private async finish(userId: string, seq: number, state: FundsReturnState, event: FundsReturnEvent): Promise<FundsReturnState | null> {
    if (!(await this.append(userId, seq, event))) return state;
    this.pending.delete(userId);
    const action = event.type === 'ReturnFlagged' ? 'protection.funds_return_flagged' : 'protection.funds_return_completed';
    await this.audit(userId, action, event.type === 'ReturnFlagged' ? event.reason : null, { ...event, type: undefined });
    return evolveReturn(state, userId, event);
  }

  /** Appends at the next sequence; false when another process (or sweep) got there first (the next pass re-reads). */
  private async append(userId: string, seq: number, event: FundsReturnEvent): Promise<boolean> {
    try {
      await this.d.store.journal.append(journalId(userId), seq + 1, [{ type: event.type, data: event }]);
      return true;
    } catch (err) {
      if (err instanceof StoreError && err.code === 'journal/seq_conflict') return false;
      throw err;
    }
  }

  private async audit(userId: string, action: string, reason: string | null, details: Record<string, unknown>): Promise<void> {
    try {
      await this.d.store.audit.append({ actorId: 'system', actorName: 'funds-return', action, target: `user:${userId}`, reason, details, at: this.d.now() });
    } catch (err) {
      this.d.log.error({ err, userId, action }, 'could not audit a funds-return step');
    }
  }
}

/** Captured deposits less withdrawals not given back (what the player put in and has not had out). */
export function netDeposited(payments: PaymentView[]): number {
  let net = 0;
  for (const p of payments) {
    if (p.kind === 'deposit' && p.status === 'captured') net += p.amountMinor;
    if (p.kind === 'withdrawal' && !['failed', 'rejected', 'cancelled'].includes(p.status)) net -= p.amountMinor;
  }
  return net;
}
