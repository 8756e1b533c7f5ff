/**
 * The payment-provider port: what the cashier needs from a PSP. The sandbox adapter
 * (sandbox-adapter.ts) speaks to our sandbox PSP process (psp/); a real PSP's adapter implements
 * the same interface. Shapes follow real PSPs (Stripe PaymentIntents/Payouts, Adyen): every create
 * carries an idempotency key, statuses are pending → authorised → captured / failed / refunded /
 * charged_back, webhooks are signed events carrying the object's current state.
 * Contract: test/payments/provider-contract.ts.
 */
import type { Instrument, PspStatus } from '../../actors/payments/payment.ts';

export interface PspPayment {
  /** The PSP's id (`pay_…` deposits, `po_…` payouts). */
  id: string;
  kind: 'payment' | 'payout';
  /** Our payment id, echoed back on every object and event. */
  reference: string;
  amountMinor: number;
  currency: string;
  status: PspStatus;
  /** Deposits: the tokenised card once the player paid (never the card number). */
  instrument: Instrument | null;
  /** Deposits: where the player pays (the PSP's hosted page). */
  checkoutUrl: string | null;
  failureReason: string | null;
  updatedAt: number;
}

export interface PspEvent {
  /** Unique per event; the same event redelivered keeps its id. */
  id: string;
  type: `${'payment' | 'payout'}.${PspStatus}`;
  createdAt: number;
  object: PspPayment;
}

export interface SettlementLine {
  pspId: string;
  reference: string;
  type: 'payment' | 'payout' | 'chargeback' | 'refund';
  /** Positive: the PSP owes us (captured payments); negative: paid out or taken back. */
  amountMinor: number;
  at: number;
}

export interface SettlementReport {
  /** UTC day, YYYY-MM-DD. */
  date: string;
  currency: string;
  lines: SettlementLine[];
  netMinor: number;
}

export class ProviderError extends Error {
  constructor(
    /** `psp/unavailable` (retry later), `psp/rejected` (the PSP refused the request), `psp/not_found`. */
    readonly code: 'psp/unavailable' | 'psp/rejected' | 'psp/not_found',
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export class WebhookError extends Error {
  constructor(
    /** `payments/bad_signature` (401) or `payments/bad_webhook` (400). */
    readonly code: 'payments/bad_signature' | 'payments/bad_webhook',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

export interface PaymentProvider {
  readonly name: string;
  /** Creates a payment the player completes on the PSP's hosted page. Same key → same payment. */
  createDeposit(req: { idempotencyKey: string; reference: string; amountMinor: number; currency: string; returnUrl: string }): Promise<PspPayment>;
  /** Pays out to a tokenised instrument. Same key → same payout. */
  createPayout(req: { idempotencyKey: string; reference: string; amountMinor: number; currency: string; instrumentToken: string }): Promise<PspPayment>;
  fetchStatus(kind: 'payment' | 'payout', pspId: string): Promise<PspPayment>;
  /**
   * Verifies the signature over the raw body (and its timestamp's age) and parses the event;
   * throws WebhookError. Refusing replays of an event id is the caller's job (it holds the state).
   */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, nowMs: number): PspEvent;
  fetchSettlementReport(date: string): Promise<SettlementReport>;
}
