/**
 * Webhook signatures, Stripe's scheme (https://docs.stripe.com/webhooks#verify-manually):
 * header `Psp-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp is inside the MAC, so an old delivery cannot be re-dated; deliveries older than
 * the tolerance are refused (replay window), and comparison is constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'psp-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function sign(secret: string, body: string | Buffer, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export type VerifyResult = { ok: true; timestampSeconds: number } | { ok: false; reason: string };

export function verify(secret: string, body: Buffer, header: string | undefined, nowMs: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): VerifyResult {
  if (!header || header.length > 1024) return { ok: false, reason: 'missing or oversized signature header' };
  let t: number | null = null;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) macs.push(v);
  }
  if (t === null || macs.length === 0) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(nowMs / 1000 - t) > toleranceSeconds) return { ok: false, reason: `timestamp outside the ${toleranceSeconds} s tolerance` };
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex'));
  // Several v1 entries are allowed (secret rotation), as in Stripe's scheme.
  const match = macs.some((m) => timingSafeEqual(Buffer.from(m), expected));
  return match ? { ok: true, timestampSeconds: t } : { ok: false, reason: 'signature does not match' };
}
