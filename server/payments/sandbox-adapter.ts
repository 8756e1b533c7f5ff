/**
 * The PaymentProvider adapter for the sandbox PSP (psp/). Written as a real PSP's adapter would
 * be: API key, idempotency keys on every create, time-outs, typed errors, signed webhooks.
 */
import type { PspStatus } from '../../actors/payments/payment.ts';
import { ProviderError, WebhookError, type PaymentProvider, type PspEvent, type PspPayment, type SettlementReport } from './provider.ts';
import { SIGNATURE_HEADER, verify } from './signature.ts';

export interface SandboxAdapterOptions {
  /** Base URL of the sandbox's API, e.g. http://127.0.0.1:4100. */
  url: string;
  /** Base URL players' browsers use for the hosted page (defaults to `url`). */
  publicUrl?: string;
  apiKey: string;
  webhookSecret: string;
  toleranceSeconds?: number;
  timeoutMs?: number;
}

const STATUSES: ReadonlySet<string> = new Set<PspStatus>(['pending', 'authorised', 'captured', 'failed', 'refunded', 'charged_back']);

function asPayment(x: unknown): PspPayment | null {
  const o = x as Partial<PspPayment> | null;
  if (!o || typeof o !== 'object') return null;
  if (typeof o.id !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(o.id)) return null;
  if (o.kind !== 'payment' && o.kind !== 'payout') return null;
  if (typeof o.reference !== 'string' || o.reference.length > 100) return null;
  if (typeof o.amountMinor !== 'number' || !Number.isSafeInteger(o.amountMinor) || o.amountMinor <= 0) return null;
  if (typeof o.currency !== 'string' || typeof o.status !== 'string' || !STATUSES.has(o.status)) return null;
  const inst = o.instrument;
  if (inst !== null && inst !== undefined && (typeof inst.token !== 'string' || typeof inst.brand !== 'string' || !/^\d{4}$/.test(String(inst.last4)))) return null;
  return {
    id: o.id, kind: o.kind, reference: o.reference, amountMinor: o.amountMinor, currency: o.currency, status: o.status as PspStatus,
    instrument: inst ? { token: inst.token.slice(0, 100), brand: inst.brand.slice(0, 20), last4: inst.last4 } : null,
    checkoutUrl: typeof o.checkoutUrl === 'string' ? o.checkoutUrl : null,
    failureReason: typeof o.failureReason === 'string' ? o.failureReason.slice(0, 200) : null,
    updatedAt: typeof o.updatedAt === 'number' ? o.updatedAt : 0,
  };
}

export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox';
  constructor(private readonly opts: SandboxAdapterOptions) {}

  private async call(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(this.opts.url + path, {
        method,
        headers: {
          authorization: `Bearer ${this.opts.apiKey}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ProviderError('psp/unavailable', `PSP unreachable: ${(err as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (res.status === 404) throw new ProviderError('psp/not_found', `PSP: ${path} not found`);
    if (res.status >= 500 || res.status === 429) throw new ProviderError('psp/unavailable', `PSP answered ${res.status}`);
    if (!res.ok) throw new ProviderError('psp/rejected', `PSP refused: ${(parsed as { error?: { message?: string } })?.error?.message ?? res.status}`);
    return parsed;
  }

  private payment(x: unknown): PspPayment {
    const p = asPayment(x);
    if (!p) throw new ProviderError('psp/unavailable', 'PSP answered with a malformed object');
    if (p.checkoutUrl && p.checkoutUrl.startsWith('/')) p.checkoutUrl = (this.opts.publicUrl ?? this.opts.url) + p.checkoutUrl;
    return p;
  }

  async createDeposit(req: { idempotencyKey: string; reference: string; amountMinor: number; currency: string; returnUrl: string }): Promise<PspPayment> {
    return this.payment(await this.call('POST', '/v1/payments', { amountMinor: req.amountMinor, currency: req.currency, reference: req.reference, returnUrl: req.returnUrl }, req.idempotencyKey));
  }

  async createPayout(req: { idempotencyKey: string; reference: string; amountMinor: number; currency: string; instrumentToken: string }): Promise<PspPayment> {
    return this.payment(await this.call('POST', '/v1/payouts', { amountMinor: req.amountMinor, currency: req.currency, reference: req.reference, instrumentToken: req.instrumentToken }, req.idempotencyKey));
  }

  async fetchStatus(kind: 'payment' | 'payout', pspId: string): Promise<PspPayment> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(pspId)) throw new ProviderError('psp/not_found', 'malformed PSP id');
    return this.payment(await this.call('GET', `/v1/${kind === 'payment' ? 'payments' : 'payouts'}/${pspId}`));
  }

  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, nowMs: number): PspEvent {
    const header = headers[SIGNATURE_HEADER];
    const v = verify(this.opts.webhookSecret, rawBody, Array.isArray(header) ? header[0] : header, nowMs, this.opts.toleranceSeconds);
    if (!v.ok) throw new WebhookError('payments/bad_signature', v.reason);
    let parsed: Partial<PspEvent>;
    try { parsed = JSON.parse(rawBody.toString('utf8')); } catch { throw new WebhookError('payments/bad_webhook', 'body is not JSON'); }
    const object = asPayment(parsed?.object);
    if (!object || typeof parsed.id !== 'string' || parsed.id.length > 200 || typeof parsed.type !== 'string' || parsed.type !== `${object.kind}.${object.status}`) {
      throw new WebhookError('payments/bad_webhook', 'not a payment event');
    }
    return { id: parsed.id, type: parsed.type, createdAt: typeof parsed.createdAt === 'number' ? parsed.createdAt : 0, object };
  }

  async fetchSettlementReport(date: string): Promise<SettlementReport> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ProviderError('psp/rejected', 'date must be YYYY-MM-DD');
    const r = (await this.call('GET', `/v1/settlements/${date}`)) as SettlementReport;
    if (!r || !Array.isArray(r.lines)) throw new ProviderError('psp/unavailable', 'malformed settlement report');
    return r;
  }
}
