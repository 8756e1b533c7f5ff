/**
 * The sandbox PSP: a payment service provider of our own that behaves like a real one over HTTP,
 * for development, demos and tests (no real PSP is reachable here). It runs as its own process
 * (psp/main.ts, `npm run psp`). See docs/PAYMENTS.md#the-sandbox-psp.
 *
 * - API (Bearer secret key): create payment / payout with `Idempotency-Key`, fetch, settlement report.
 * - Hosted checkout page (`/checkout/<id>`): card form (Stripe's test cards), approve / decline, and
 *   a 3-D Secure challenge step for cards that require it. The card number never leaves here: the
 *   merchant gets a token, the brand and the last 4 digits.
 * - Webhooks: signed (server/payments/signature.ts), retried with exponential backoff.
 * - Faults (POST /v1/sandbox/faults): duplicated, delayed (hence reordered) and lost deliveries,
 *   declines, payout failures; chargebacks and refunds on demand.
 * - State is an append-only JSONL file, so a restarted sandbox keeps its payments; deliveries
 *   pending at a crash are lost (as a real PSP's may be late): the merchant's poller repairs them.
 */
import fs from 'node:fs';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { PspEvent, PspPayment, SettlementLine } from '../server/payments/provider.ts';
import { sign, SIGNATURE_HEADER } from '../server/payments/signature.ts';
import { mulberry32 } from '../actors/sportsbook/rng.ts';

export interface SandboxOptions {
  port: number;
  host?: string;
  apiKey: string;
  webhookSecret: string;
  webhookUrl: string | null;
  /** Append-only state file (JSONL); null: memory only. */
  dataFile: string | null;
  /** Seed of the fault PRNG (deterministic runs). */
  seed?: number;
  /** Payout processing delay. */
  payoutDelayMs?: number;
  maxDeliveryAttempts?: number;
  /** An unpaid checkout fails (`expired`) after this long (Stripe's Checkout Sessions expire too). Default 30 min. */
  checkoutTtlMs?: number;
  retryBaseMs?: number;
  now?: () => number;
}

export interface Faults {
  /** Each event is sent this many times (1..5). */
  duplicate: number;
  /** Each delivery waits a random 0..delayMs first (so deliveries also arrive out of order). */
  delayMs: number;
  /** Share of events never delivered (0..1). */
  loseRate: number;
  /** Share of card payments declined whatever the card (0..1). */
  declineRate: number;
  /** Share of payouts failing (0..1). */
  payoutFailRate: number;
}

const NO_FAULTS: Faults = { duplicate: 1, delayMs: 0, loseRate: 0, declineRate: 0, payoutFailRate: 0 };
const MAX_BODY = 16 * 1024;
const MAX_OBJECTS = 1_000_000;

interface Stored extends PspPayment {
  idempotencyKey: string;
  fingerprint: string;
  createdAt: number;
  returnUrl: string | null;
  instrumentToken: string | null;
  /** Card that needs the 3-D Secure step, between the card form and the challenge. */
  challenge: { brand: string; last4: string } | null;
}

interface Line extends SettlementLine {}

const TEST_CARDS: Record<string, 'ok' | 'decline' | '3ds'> = {
  '4242424242424242': 'ok',
  '5555555555554444': 'ok',
  '4000000000000002': 'decline',
  '4000000000003220': '3ds',
  '4000000000009995': 'decline',
};

function luhn(num: string): boolean {
  let sum = 0;
  for (let i = 0; i < num.length; i++) {
    let d = Number(num[num.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface RunningSandbox {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startSandboxPsp(opts: SandboxOptions): Promise<RunningSandbox> {
  const now = opts.now ?? Date.now;
  const rand = mulberry32(opts.seed ?? 1);
  const maxAttempts = opts.maxDeliveryAttempts ?? 8;
  const retryBaseMs = opts.retryBaseMs ?? 250;
  const payoutDelayMs = opts.payoutDelayMs ?? 50;
  const checkoutTtlMs = opts.checkoutTtlMs ?? 30 * 60_000;
  const objects = new Map<string, Stored>();
  const byKey = new Map<string, string>();
  const lines: Line[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let faults: Faults = { ...NO_FAULTS };
  let eventSeq = 0;
  let closed = false;

  // --- persistence: one JSON line per object snapshot or settlement line; the last snapshot wins.
  if (opts.dataFile && fs.existsSync(opts.dataFile)) {
    for (const text of fs.readFileSync(opts.dataFile, 'utf8').split('\n')) {
      if (!text) continue;
      let rec: { o?: Stored; l?: Line; e?: number };
      try { rec = JSON.parse(text); } catch { continue; } // a torn last line after a crash
      if (rec.o) { objects.set(rec.o.id, rec.o); byKey.set(`${rec.o.kind}:${rec.o.idempotencyKey}`, rec.o.id); }
      if (rec.l) lines.push(rec.l);
      if (rec.e) eventSeq = Math.max(eventSeq, rec.e);
    }
  }
  const persist = (rec: object) => { if (opts.dataFile) fs.appendFileSync(opts.dataFile, JSON.stringify(rec) + '\n'); };
  const save = (o: Stored) => { o.updatedAt = now(); objects.set(o.id, o); persist({ o }); };
  const id = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url')}`;
  const publicView = (o: Stored): PspPayment => ({ id: o.id, kind: o.kind, reference: o.reference, amountMinor: o.amountMinor, currency: o.currency, status: o.status, instrument: o.instrument, checkoutUrl: o.checkoutUrl, failureReason: o.failureReason, updatedAt: o.updatedAt });

  // --- webhooks
  const later = (ms: number, fn: () => void) => {
    if (closed) return;
    const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
    timers.add(t);
  };
  function emit(o: Stored): void {
    const event: PspEvent = { id: `evt_${++eventSeq}_${o.id}`, type: `${o.kind}.${o.status}`, createdAt: now(), object: publicView(o) };
    persist({ e: eventSeq });
    if (!opts.webhookUrl) return;
    if (rand() < faults.loseRate) return;
    const body = JSON.stringify(event);
    for (let copy = 0; copy < faults.duplicate; copy++) later(Math.floor(rand() * faults.delayMs), () => void deliver(body, 1));
  }
  async function deliver(body: string, attempt: number): Promise<void> {
    if (closed) return;
    let ok = false;
    try {
      const res = await fetch(opts.webhookUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(opts.webhookSecret, body, Math.floor(now() / 1000)) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      ok = res.ok;
    } catch { /* network error: retried */ }
    // Backoff doubles from retryBaseMs, with jitter, up to maxAttempts (then the merchant's poller repairs).
    if (!ok && attempt < maxAttempts) later(retryBaseMs * 2 ** (attempt - 1) * (1 + rand()), () => void deliver(body, attempt + 1));
  }

  function settle(o: Stored, type: Line['type'], sign: 1 | -1): void {
    const line: Line = { pspId: o.id, reference: o.reference, type, amountMinor: sign * o.amountMinor, at: now() };
    lines.push(line);
    persist({ l: line });
  }

  function setStatus(o: Stored, status: Stored['status'], reason: string | null = null): void {
    o.status = status;
    o.failureReason = reason;
    save(o);
    emit(o);
  }

  // --- the payment lifecycle
  function completeCard(o: Stored, card: string, otp: string | null): { ok: boolean; needs3ds?: boolean; reason?: string } {
    if (o.status !== 'pending') return { ok: o.status === 'captured', reason: `payment is ${o.status}` };
    const digits = card.replace(/\s+/g, '');
    const brand = digits.startsWith('4') ? 'visa' : digits.startsWith('5') ? 'mastercard' : 'card';
    const last4 = digits.slice(-4);
    if (!/^\d{12,19}$/.test(digits) || !luhn(digits)) { setStatus(o, 'failed', 'invalid_card_number'); return { ok: false, reason: 'invalid card number' }; }
    const rule = TEST_CARDS[digits] ?? 'ok';
    if (rule === 'decline' || rand() < faults.declineRate) { setStatus(o, 'failed', 'card_declined'); return { ok: false, reason: 'card declined' }; }
    if (rule === '3ds' && otp === null) { o.challenge = { brand, last4 }; save(o); return { ok: false, needs3ds: true }; }
    if (rule === '3ds' && otp !== '123456') { setStatus(o, 'failed', 'authentication_failed'); return { ok: false, reason: '3-D Secure failed' }; }
    o.instrument = { token: `pm_${digits.slice(-4)}_${randomBytes(6).toString('hex')}`, brand, last4 };
    o.instrumentToken = o.instrument.token;
    o.challenge = null;
    setStatus(o, 'authorised');
    setStatus(o, 'captured'); // automatic capture
    settle(o, 'payment', 1);
    return { ok: true };
  }

  /** Lazily, on every read, and by a sweep: an unpaid checkout past its lifetime fails. */
  function expire(o: Stored | undefined): Stored | undefined {
    if (o && o.kind === 'payment' && o.status === 'pending' && now() - (o.createdAt ?? o.updatedAt) > checkoutTtlMs) setStatus(o, 'failed', 'expired');
    return o;
  }
  const sweep = setInterval(() => { for (const o of objects.values()) expire(o); }, Math.min(60_000, Math.max(1000, checkoutTtlMs / 4)));
  sweep.unref();

  function tokenKnown(token: string): boolean {
    for (const o of objects.values()) if (o.kind === 'payment' && o.instrumentToken === token && (o.status === 'captured' || o.status === 'refunded' || o.status === 'charged_back')) return true;
    return false;
  }

  function create(kind: 'payment' | 'payout', key: string, body: Record<string, unknown>): { status: number; body: unknown } {
    const amountMinor = body.amountMinor;
    if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > 1e12) return { status: 400, body: { error: { code: 'invalid_amount', message: 'amountMinor must be a positive integer' } } };
    if (typeof body.currency !== 'string' || !/^[A-Z]{3}$/.test(body.currency)) return { status: 400, body: { error: { code: 'invalid_currency', message: 'currency must be ISO 4217' } } };
    if (typeof body.reference !== 'string' || body.reference.length < 1 || body.reference.length > 100) return { status: 400, body: { error: { code: 'invalid_reference', message: 'reference must be 1..100 characters' } } };
    const fingerprint = JSON.stringify([kind, amountMinor, body.currency, body.reference, body.returnUrl ?? null, body.instrumentToken ?? null]);
    const existing = byKey.get(`${kind}:${key}`);
    if (existing) {
      const o = objects.get(existing)!;
      if (o.fingerprint !== fingerprint) return { status: 409, body: { error: { code: 'idempotency_conflict', message: 'this Idempotency-Key was used with other parameters' } } };
      return { status: 200, body: publicView(o) };
    }
    if (objects.size >= MAX_OBJECTS) return { status: 503, body: { error: { code: 'full', message: 'sandbox is full' } } };
    if (kind === 'payout' && (typeof body.instrumentToken !== 'string' || !tokenKnown(body.instrumentToken))) return { status: 400, body: { error: { code: 'unknown_instrument', message: 'no such payment method' } } };
    const oid = id(kind === 'payment' ? 'pay' : 'po');
    const o: Stored = {
      id: oid, kind, reference: body.reference, amountMinor, currency: body.currency, status: 'pending', instrument: null,
      checkoutUrl: kind === 'payment' ? `/checkout/${oid}` : null, failureReason: null, updatedAt: now(),
      idempotencyKey: key, fingerprint, createdAt: now(), returnUrl: typeof body.returnUrl === 'string' ? body.returnUrl.slice(0, 500) : null,
      instrumentToken: kind === 'payout' ? (body.instrumentToken as string) : null, challenge: null,
    };
    byKey.set(`${kind}:${key}`, oid);
    save(o);
    if (kind === 'payout') processPayout(oid);
    return { status: 201, body: publicView(o) };
  }

  function processPayout(oid: string): void {
    later(payoutDelayMs, () => {
      const p = objects.get(oid)!;
      if (p.status !== 'pending') return;
      if (rand() < faults.payoutFailRate) return setStatus(p, 'failed', 'payout_rejected_by_bank');
      setStatus(p, 'captured');
      settle(p, 'payout', -1);
    });
  }
  // Payouts still pending when the sandbox stopped are processed after a restart.
  for (const o of objects.values()) if (o.kind === 'payout' && o.status === 'pending') processPayout(o.id);

  function reverse(o: Stored | undefined, to: 'charged_back' | 'refunded'): { status: number; body: unknown } {
    if (!o || o.kind !== 'payment') return { status: 404, body: { error: { code: 'not_found', message: 'no such payment' } } };
    if (o.status !== 'captured') return { status: 409, body: { error: { code: 'invalid_state', message: `payment is ${o.status}` } } };
    setStatus(o, to);
    settle(o, to === 'charged_back' ? 'chargeback' : 'refund', -1);
    return { status: 200, body: publicView(o) };
  }

  // --- HTTP
  const page = (title: string, inner: string) => `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title><style>body{font-family:sans-serif;max-width:420px;margin:2em auto;padding:0 1em}input,button{font-size:1.1em;margin:.3em 0;width:100%;padding:.4em}</style></head><body><h1>${title}</h1>${inner}</body></html>`;
  const checkoutForm = (o: Stored) => page('Sandbox checkout', `<p>Pay <b id="amount">${(o.amountMinor / 100).toFixed(2)} ${esc(o.currency)}</b></p>
<form method="post" action="/checkout/${o.id}"><label>Card number <input name="card" id="card" autocomplete="off" value="4242 4242 4242 4242"></label>
<button name="action" value="pay" id="pay">Pay</button><button name="action" value="decline" id="decline">Decline</button></form>
<p><small>Test cards: 4242 4242 4242 4242 approves, 4000 0000 0000 0002 declines, 4000 0000 0000 3220 asks for 3-D Secure (code 123456).</small></p>`);
  const challengeForm = (o: Stored) => page('3-D Secure', `<p>Your bank asks you to confirm ${(o.amountMinor / 100).toFixed(2)} ${esc(o.currency)} with ${esc(o.challenge!.brand)} •••• ${esc(o.challenge!.last4)}.</p>
<form method="post" action="/checkout/${o.id}/3ds"><label>Code <input name="otp" id="otp" autocomplete="one-time-code"></label><button id="confirm">Confirm</button></form>`);
  const finished = (o: Stored, res: http.ServerResponse): void => {
    if (o.returnUrl) { res.writeHead(303, { location: `${o.returnUrl}${o.returnUrl.includes('?') ? '&' : '?'}payment=${encodeURIComponent(o.reference)}&status=${o.status}` }); res.end(); return; }
    html(res, 200, page(o.status === 'captured' ? 'Payment approved' : 'Payment failed', `<p id="result">${o.status}</p>`));
  };

  function json(res: http.ServerResponse, status: number, body: unknown) { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); }
  function html(res: http.ServerResponse, status: number, body: string) { res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }); res.end(body); }
  async function readBody(req: http.IncomingMessage): Promise<string | null> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const c of req) { size += (c as Buffer).length; if (size > MAX_BODY) return null; chunks.push(c as Buffer); }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const parts = url.pathname.split('/').filter(Boolean);
    const raw = req.method === 'POST' ? await readBody(req) : '';
    if (raw === null) return json(res, 413, { error: { code: 'too_large', message: `body over ${MAX_BODY} bytes` } });
    if (url.pathname === '/healthz') return json(res, 200, { ok: true });

    if (parts[0] === 'checkout' && parts[1]) {
      const o = expire(objects.get(parts[1]));
      if (!o || o.kind !== 'payment') return html(res, 404, page('Not found', '<p>No such payment.</p>'));
      const form = new URLSearchParams(raw);
      if (req.method === 'GET') return o.status === 'pending' ? html(res, 200, o.challenge ? challengeForm(o) : checkoutForm(o)) : finished(o, res);
      if (parts[2] === '3ds') {
        if (o.status === 'pending' && o.challenge) completeCard(o, `${'4000000000003220'}`, form.get('otp') ?? '');
        return finished(o, res);
      }
      if (form.get('action') === 'decline') { if (o.status === 'pending') setStatus(o, 'failed', 'declined_by_payer'); return finished(o, res); }
      const r = completeCard(o, form.get('card') ?? '', null);
      return r.needs3ds ? html(res, 200, challengeForm(o)) : finished(o, res);
    }

    if (parts[0] !== 'v1') return json(res, 404, { error: { code: 'not_found', message: 'no such route' } });
    if (req.headers.authorization !== `Bearer ${opts.apiKey}`) return json(res, 401, { error: { code: 'unauthorised', message: 'bad API key' } });
    let body: Record<string, unknown> = {};
    if (raw) { try { body = JSON.parse(raw); } catch { return json(res, 400, { error: { code: 'invalid_json', message: 'body is not JSON' } }); } }
    const key = req.headers['idempotency-key'];
    const rest = parts.slice(1);
    const m = req.method;
    if (m === 'POST' && rest.length === 1 && (rest[0] === 'payments' || rest[0] === 'payouts')) {
      if (typeof key !== 'string' || key.length < 1 || key.length > 255) return json(res, 400, { error: { code: 'idempotency_key_required', message: 'Idempotency-Key header (1..255 chars) required' } });
      const out = create(rest[0] === 'payments' ? 'payment' : 'payout', key, body);
      return json(res, out.status, out.body);
    }
    if (m === 'GET' && rest.length === 2 && (rest[0] === 'payments' || rest[0] === 'payouts')) {
      const o = expire(objects.get(rest[1]!));
      if (!o || o.kind !== (rest[0] === 'payments' ? 'payment' : 'payout')) return json(res, 404, { error: { code: 'not_found', message: 'no such object' } });
      return json(res, 200, publicView(o));
    }
    if (m === 'GET' && rest.length === 2 && rest[0] === 'settlements') {
      const date = rest[1]!;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return json(res, 400, { error: { code: 'invalid_date', message: 'YYYY-MM-DD' } });
      const dayLines = lines.filter((l) => new Date(l.at).toISOString().slice(0, 10) === date);
      return json(res, 200, { date, currency: 'EUR', lines: dayLines, netMinor: dayLines.reduce((s, l) => s + l.amountMinor, 0) });
    }
    if (m === 'POST' && rest.join('/') === 'sandbox/faults') {
      const f = { ...faults, ...body } as Faults;
      const valid = Number.isInteger(f.duplicate) && f.duplicate >= 1 && f.duplicate <= 5 && Number.isInteger(f.delayMs) && f.delayMs >= 0 && f.delayMs <= 60_000
        && [f.loseRate, f.declineRate, f.payoutFailRate].every((x) => typeof x === 'number' && x >= 0 && x <= 1);
      if (!valid) return json(res, 400, { error: { code: 'invalid_faults', message: 'duplicate 1..5, delayMs 0..60000, rates 0..1' } });
      faults = f;
      return json(res, 200, faults);
    }
    if (m === 'POST' && rest.length === 4 && rest[0] === 'sandbox' && rest[1] === 'payments') {
      const o = objects.get(rest[2]!);
      if (rest[3] === 'complete') {
        if (!o || o.kind !== 'payment') return json(res, 404, { error: { code: 'not_found', message: 'no such payment' } });
        const out = completeCard(o, typeof body.card === 'string' ? body.card : '4242424242424242', typeof body.otp === 'string' ? body.otp : null);
        return json(res, 200, { ...publicView(o), needs3ds: out.needs3ds ?? false });
      }
      if (rest[3] === 'chargeback' || rest[3] === 'refund') {
        const out = reverse(o, rest[3] === 'chargeback' ? 'charged_back' : 'refunded');
        return json(res, out.status, out.body);
      }
    }
    return json(res, 404, { error: { code: 'not_found', message: 'no such route' } });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => { if (!res.headersSent) json(res, 500, { error: { code: 'internal', message: String(err) } }); else res.end(); });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    close: async () => {
      closed = true;
      clearInterval(sweep);
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
