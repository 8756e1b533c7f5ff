/**
 * One payment (a deposit or a withdrawal) as a pure state machine: decide(state, command) →
 * events | rejection, evolve(state, event) → state. The service journals the events
 * (`payment:<paymentId>`) and performs the ledger ops they carry; every op's idempotency key is
 * derived from our payment id or the PSP's id, so replaying, duplicating or reordering webhooks
 * never moves money twice (docs/PAYMENTS.md).
 *
 * Ledger ops are decided here, performed by the service, and confirmed by an `OpsApplied` event;
 * until then they are `unapplied` and the service re-applies them (idempotently) on every visit.
 */
import { accept, reject, type Decision } from '../decision.ts';

export const PSP_CLEARING = 'sys:psp-clearing';
export const SYSTEM_WORLD = 'sys:world';
const WORLD = SYSTEM_WORLD;
const HOUSE = 'sys:house';

export type PaymentKind = 'deposit' | 'withdrawal';
/** The PSP-side status vocabulary of the PaymentProvider port (deposits and payouts). */
export type PspStatus = 'pending' | 'authorised' | 'captured' | 'failed' | 'refunded' | 'charged_back';
export type DepositStatus = 'created' | 'pending' | 'authorised' | 'captured' | 'failed' | 'refunded' | 'charged_back';
export type WithdrawalStatus = 'requested' | 'review' | 'approved' | 'submitted' | 'paid' | 'failed' | 'rejected' | 'cancelled';
export type PaymentStatus = DepositStatus | WithdrawalStatus;

export interface Instrument {
  /** The PSP's token for the card; the server never sees a card number. */
  token: string;
  brand: string;
  last4: string;
}

/** A wallet op as the ledger takes it (server/store/types.ts WalletOp), kept structural so actors import no store. */
export type LedgerOp =
  | { type: 'transfer'; key: string; fromAccountId: string; toAccountId: string; amountMinor: number; kind: 'deposit' | 'withdrawal' | 'adjustment'; memo?: string }
  | { type: 'reserve'; key: string; accountId: string; amountMinor: number; memo?: string }
  | { type: 'capture'; key: string; holdId: string; toAccountId: string; memo?: string }
  | { type: 'release'; key: string; holdId: string; memo?: string }
  /** Takes up to the amount from the player's available balance; the rest becomes their debt (the ledger's receivable model). */
  | { type: 'clawback'; key: string; accountId: string; toAccountId: string; amountMinor: number; memo?: string };

export interface PaymentState {
  paymentId: string;
  kind: PaymentKind;
  userId: string;
  accountId: string;
  amountMinor: number;
  currency: string;
  method: string;
  status: PaymentStatus;
  pspId: string | null;
  checkoutUrl: string | null;
  instrument: Instrument | null;
  /** Withdrawals: the instrument paid to. */
  instrumentId: string | null;
  /** Ops decided but not yet confirmed applied (re-applied idempotently until they are). */
  unapplied: LedgerOp[];
  /** What a chargeback or refund could not take from the player (the ledger recorded it as their debt). */
  debtMinor: number;
  /** A chargeback decided the player's lock; cleared by `PlayerLocked` once the account is locked. */
  lockPending: boolean;
  reason: string | null;
  createdAt: number;
  updatedAt: number;
  history: Array<{ status: PaymentStatus; at: number; by?: string; reason?: string }>;
}

export type PaymentEvent =
  | { type: 'Created'; paymentId: string; kind: PaymentKind; userId: string; accountId: string; amountMinor: number; currency: string; method: string; instrumentId: string | null; at: number; ops: LedgerOp[] }
  | { type: 'Submitted'; pspId: string; checkoutUrl: string | null; at: number }
  | { type: 'Transitioned'; to: PaymentStatus; at: number; ops: LedgerOp[]; by?: string; reason?: string; instrument?: Instrument; pspId?: string; debtMinor?: number; dropUnapplied?: boolean; lock?: boolean }
  /** `debtMinor`: what a clawback among the ops recorded as the player's debt. */
  | { type: 'OpsApplied'; at: number; debtMinor?: number }
  | { type: 'PlayerLocked'; at: number };

export type PaymentCommand =
  | { type: 'create-deposit'; paymentId: string; userId: string; accountId: string; amountMinor: number; currency: string; method: string; at: number }
  | { type: 'create-withdrawal'; paymentId: string; userId: string; accountId: string; amountMinor: number; currency: string; instrument: Instrument; at: number }
  | { type: 'submitted'; pspId: string; checkoutUrl: string | null; at: number }
  /** What the PSP says (webhook or poll). */
  | { type: 'psp-update'; pspId: string; status: PspStatus; amountMinor: number; instrument: Instrument | null; at: number }
  /** Withdrawal funds are held: route it (auto-approve up to the threshold, else review). */
  | { type: 'route'; autoApproveMaxMinor: number; at: number }
  | { type: 'review'; approve: boolean; by: string; reason: string; at: number }
  | { type: 'cancel'; by: string; at: number }
  /** The PSP refused the create (no PSP object exists): the deposit fails, a withdrawal's hold is returned. */
  | { type: 'submit-refused'; reason: string; at: number }
  | { type: 'ops-applied'; at: number; debtMinor?: number }
  /** The player's account was locked after a chargeback. */
  | { type: 'player-locked'; at: number }
  /** The unapplied ops were refused as a whole by the ledger (atomic), e.g. insufficient funds. */
  | { type: 'ops-failed'; code: string; at: number };

export const TERMINAL: ReadonlySet<PaymentStatus> = new Set<PaymentStatus>(['failed', 'refunded', 'charged_back', 'paid', 'rejected', 'cancelled']);

export function holdKey(paymentId: string): string {
  return `payment:${paymentId}:hold`;
}

/** The ledger keys reconciliation reads back: `psp:<pspId>:<type>:world[:n]`, the clearing ↔ world leg. */
export type SettlementType = 'payment' | 'payout' | 'chargeback' | 'refund';
export function worldKey(pspId: string, type: SettlementType, attempt?: number): string {
  return `psp:${pspId}:${type}:world${attempt === undefined ? '' : `:${attempt}`}`;
}
export function parseWorldKey(key: string): { pspId: string; type: SettlementType } | null {
  const m = /^psp:([^:]+):(payment|payout|chargeback|refund):world(?::\d+)?$/.exec(key);
  return m ? { pspId: m[1]!, type: m[2] as SettlementType } : null;
}

export function initialState(): PaymentState | null {
  return null;
}

function creditOps(s: PaymentState, pspId: string): LedgerOp[] {
  return [
    { type: 'transfer', key: worldKey(pspId, 'payment'), fromAccountId: WORLD, toAccountId: PSP_CLEARING, amountMinor: s.amountMinor, kind: 'deposit', memo: `deposit ${s.paymentId}` },
    { type: 'transfer', key: `psp:${pspId}:payment:credit`, fromAccountId: PSP_CLEARING, toAccountId: s.accountId, amountMinor: s.amountMinor, kind: 'deposit', memo: `deposit ${s.paymentId}` },
  ];
}

/**
 * A chargeback or refund takes the deposit back: a clawback from the player (what the balance
 * holds, the rest recorded as their debt, decided by the ledger in its transaction, so no
 * concurrent spend can make it fail) to the house, and the whole amount from the house out to
 * world through the clearing account. One atomic apply.
 */
function debitOps(s: PaymentState, pspId: string, type: 'chargeback' | 'refund'): LedgerOp[] {
  const memo = `${type} ${s.paymentId}`;
  return [
    { type: 'clawback', key: `psp:${pspId}:${type}:clawback`, accountId: s.accountId, toAccountId: HOUSE, amountMinor: s.amountMinor, memo },
    { type: 'transfer', key: `psp:${pspId}:${type}:house`, fromAccountId: HOUSE, toAccountId: PSP_CLEARING, amountMinor: s.amountMinor, kind: 'adjustment', memo },
    { type: 'transfer', key: worldKey(pspId, type), fromAccountId: PSP_CLEARING, toAccountId: WORLD, amountMinor: s.amountMinor, kind: 'withdrawal', memo },
  ];
}

function releaseOps(s: PaymentState): LedgerOp[] {
  return [{ type: 'release', key: `payment:${s.paymentId}:release`, holdId: holdKey(s.paymentId), memo: `withdrawal ${s.paymentId} returned` }];
}

const DEPOSIT_RANK: Record<string, number> = { created: 0, pending: 0, authorised: 1, captured: 2 };

export function decide(s: PaymentState | null, c: PaymentCommand): Decision<PaymentEvent> {
  if (c.type === 'create-deposit') {
    if (s) return reject('payments/duplicate', `payment ${c.paymentId} exists`);
    return accept({ type: 'Created', paymentId: c.paymentId, kind: 'deposit', userId: c.userId, accountId: c.accountId, amountMinor: c.amountMinor, currency: c.currency, method: c.method, instrumentId: null, at: c.at, ops: [] });
  }
  if (c.type === 'create-withdrawal') {
    if (s) return reject('payments/duplicate', `payment ${c.paymentId} exists`);
    return accept({
      type: 'Created', paymentId: c.paymentId, kind: 'withdrawal', userId: c.userId, accountId: c.accountId, amountMinor: c.amountMinor, currency: c.currency,
      method: `${c.instrument.brand} ${c.instrument.last4}`, instrumentId: c.instrument.token, at: c.at,
      ops: [{ type: 'reserve', key: holdKey(c.paymentId), accountId: c.accountId, amountMinor: c.amountMinor, memo: `withdrawal ${c.paymentId}` }],
    });
  }
  if (!s) return reject('payments/not_found', 'no such payment');
  switch (c.type) {
    case 'submitted':
      if (s.pspId !== null) return s.pspId === c.pspId ? accept() : reject('payments/psp_mismatch', `payment already has PSP id ${s.pspId}`);
      if (s.kind === 'withdrawal' && s.status !== 'approved') return reject('payments/invalid_state', `withdrawal is ${s.status}`);
      return accept({ type: 'Submitted', pspId: c.pspId, checkoutUrl: c.checkoutUrl, at: c.at });
    case 'submit-refused':
      if (s.pspId !== null || TERMINAL.has(s.status)) return accept();
      if (s.kind === 'deposit') return accept({ type: 'Transitioned', to: 'failed', at: c.at, ops: [], by: 'system', reason: c.reason });
      if (s.status !== 'approved') return reject('payments/invalid_state', `withdrawal is ${s.status}`);
      return accept({ type: 'Transitioned', to: 'failed', at: c.at, ops: releaseOps(s), by: 'system', reason: c.reason });
    case 'psp-update':
      return s.kind === 'deposit' ? depositUpdate(s, c) : payoutUpdate(s, c);
    case 'route':
      if (s.kind !== 'withdrawal' || s.status !== 'requested' || s.unapplied.length > 0) return accept();
      return accept({ type: 'Transitioned', to: s.amountMinor <= c.autoApproveMaxMinor ? 'approved' : 'review', at: c.at, ops: [], by: 'system', ...(s.amountMinor <= c.autoApproveMaxMinor ? { reason: 'auto-approved under threshold' } : { reason: 'above auto-approval threshold' }) });
    case 'review':
      if (s.kind !== 'withdrawal' || s.status !== 'review') return reject('payments/invalid_state', `payment is ${s.status}, not awaiting review`);
      return c.approve
        ? accept({ type: 'Transitioned', to: 'approved', at: c.at, ops: [], by: c.by, reason: c.reason })
        : accept({ type: 'Transitioned', to: 'rejected', at: c.at, ops: releaseOps(s), by: c.by, reason: c.reason });
    case 'cancel':
      if (s.kind !== 'withdrawal' || (s.status !== 'review' && s.status !== 'approved') || s.pspId !== null) {
        return reject('payments/not_cancellable', `a ${s.status} withdrawal${s.pspId ? ' already sent to the provider' : ''} cannot be cancelled`);
      }
      return accept({ type: 'Transitioned', to: 'cancelled', at: c.at, ops: releaseOps(s), by: c.by, reason: 'cancelled by the player' });
    case 'ops-applied':
      return s.unapplied.length ? accept({ type: 'OpsApplied', at: c.at, ...(c.debtMinor ? { debtMinor: c.debtMinor } : {}) }) : accept();
    case 'player-locked':
      return s.lockPending ? accept({ type: 'PlayerLocked', at: c.at }) : accept();
    case 'ops-failed':
      return opsFailed(s, c);
    default:
      return reject('payments/unknown_command', 'unknown command');
  }
}

function depositUpdate(s: PaymentState, c: Extract<PaymentCommand, { type: 'psp-update' }>): Decision<PaymentEvent> {
  if (s.pspId !== null && s.pspId !== c.pspId) return reject('payments/psp_mismatch', `PSP id ${c.pspId} is not this payment's (${s.pspId})`);
  if (c.amountMinor !== s.amountMinor) return reject('payments/amount_mismatch', `PSP amount ${c.amountMinor} differs from ${s.amountMinor}`);
  // Terminal states absorb everything later (a late `authorised`, a duplicate, a failure after capture).
  if (TERMINAL.has(s.status)) return accept();
  const rank = DEPOSIT_RANK[s.status]!;
  const ids = { pspId: c.pspId, ...(c.instrument ? { instrument: c.instrument } : {}) };
  switch (c.status) {
    case 'pending':
      return accept();
    case 'authorised':
      return rank < 1 ? accept({ type: 'Transitioned', to: 'authorised', at: c.at, ops: [], ...ids }) : accept();
    case 'captured':
      return rank < 2 ? accept({ type: 'Transitioned', to: 'captured', at: c.at, ops: creditOps(s, c.pspId), ...ids }) : accept();
    case 'failed':
      return rank < 2 ? accept({ type: 'Transitioned', to: 'failed', at: c.at, ops: [], ...ids }) : accept();
    case 'refunded':
    case 'charged_back': {
      // A reversal implies the capture happened: a reordered webhook credits first, then debits.
      const events: PaymentEvent[] = [];
      if (rank < 2) events.push({ type: 'Transitioned', to: 'captured', at: c.at, ops: creditOps(s, c.pspId), ...ids });
      const ops = debitOps(s, c.pspId, c.status === 'refunded' ? 'refund' : 'chargeback');
      events.push({ type: 'Transitioned', to: c.status, at: c.at, ops, ...ids, ...(c.status === 'charged_back' ? { lock: true } : {}) });
      return accept(...events);
    }
  }
}

function payoutUpdate(s: PaymentState, c: Extract<PaymentCommand, { type: 'psp-update' }>): Decision<PaymentEvent> {
  if (s.pspId !== null && s.pspId !== c.pspId) return reject('payments/psp_mismatch', `PSP id ${c.pspId} is not this payment's (${s.pspId})`);
  if (c.amountMinor !== s.amountMinor) return reject('payments/amount_mismatch', `PSP amount ${c.amountMinor} differs from ${s.amountMinor}`);
  if (s.status !== 'submitted' && s.status !== 'approved') return accept();
  if (c.status === 'captured') {
    return accept({
      type: 'Transitioned', to: 'paid', at: c.at, pspId: c.pspId,
      ops: [
        { type: 'capture', key: `psp:${c.pspId}:payout:capture`, holdId: holdKey(s.paymentId), toAccountId: PSP_CLEARING, memo: `withdrawal ${s.paymentId}` },
        { type: 'transfer', key: worldKey(c.pspId, 'payout'), fromAccountId: PSP_CLEARING, toAccountId: WORLD, amountMinor: s.amountMinor, kind: 'withdrawal', memo: `withdrawal ${s.paymentId}` },
      ],
    });
  }
  if (c.status === 'failed') return accept({ type: 'Transitioned', to: 'failed', at: c.at, pspId: c.pspId, ops: releaseOps(s), reason: 'payout failed at the provider' });
  return accept();
}

function opsFailed(s: PaymentState, c: Extract<PaymentCommand, { type: 'ops-failed' }>): Decision<PaymentEvent> {
  if (!s.unapplied.length) return accept();
  if (s.kind === 'withdrawal' && s.status === 'requested') {
    // The reserve was refused (funds gone since the check): nothing was held, nothing to release.
    return accept({ type: 'Transitioned', to: 'rejected', at: c.at, ops: [], by: 'system', reason: c.code, dropUnapplied: true });
  }
  return reject('payments/ledger_refused', `the ledger refused payment ${s.paymentId}'s ops: ${c.code}`);
}

export function evolve(s: PaymentState | null, e: PaymentEvent): PaymentState {
  if (e.type === 'Created') {
    const status: PaymentStatus = e.kind === 'deposit' ? 'created' : 'requested';
    return {
      paymentId: e.paymentId, kind: e.kind, userId: e.userId, accountId: e.accountId, amountMinor: e.amountMinor, currency: e.currency, method: e.method,
      status, pspId: null, checkoutUrl: null, instrument: null, instrumentId: e.instrumentId, unapplied: [...e.ops], debtMinor: 0, lockPending: false, reason: null,
      createdAt: e.at, updatedAt: e.at, history: [{ status, at: e.at }],
    };
  }
  if (!s) throw new Error(`payment event ${e.type} before Created`);
  switch (e.type) {
    case 'Submitted':
      return { ...s, pspId: e.pspId, checkoutUrl: e.checkoutUrl, status: s.kind === 'deposit' ? 'pending' : 'submitted', updatedAt: e.at, history: [...s.history, { status: s.kind === 'deposit' ? 'pending' : 'submitted', at: e.at }] };
    case 'Transitioned':
      return {
        ...s, status: e.to, updatedAt: e.at, unapplied: e.dropUnapplied ? [] : [...s.unapplied, ...e.ops],
        pspId: e.pspId ?? s.pspId, instrument: e.instrument ?? s.instrument, reason: e.reason ?? s.reason,
        debtMinor: e.debtMinor ?? s.debtMinor,
        lockPending: e.lock ? true : s.lockPending,
        history: [...s.history, { status: e.to, at: e.at, ...(e.by ? { by: e.by } : {}), ...(e.reason ? { reason: e.reason } : {}) }],
      };
    case 'OpsApplied':
      return { ...s, unapplied: [], debtMinor: e.debtMinor ?? s.debtMinor, updatedAt: e.at };
    case 'PlayerLocked':
      return { ...s, lockPending: false, updatedAt: e.at };
  }
}

export function replay(events: PaymentEvent[]): PaymentState | null {
  let s: PaymentState | null = null;
  for (const e of events) s = evolve(s, e);
  return s;
}
