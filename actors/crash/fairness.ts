/**
 * Provably fair crash points, bustabit style (the scheme for independent verifiers is
 * docs/FAIRNESS.md, "Crash"):
 *   chain:  h₀ = secret seed (64 hex chars), hᵢ₊₁ = hex(SHA-256(utf8(hᵢ))), terminal = h_N (published first);
 *           round i of the chain (1-based) uses h_{N−i}, so SHA-256(round hash) = the previous round's hash
 *           (the terminal hash for round 1) and every revealed hash proves all earlier ones.
 *   point:  d = HMAC-SHA256(key = utf8(salt), msg = utf8(round hash)) (bustabit v2's order); r = first 52 bits of d;
 *           crashCents = floor(99 · 2^52 / (2^52 − r)); instant crash when crashCents < 100 (exactly
 *           ⌈2^52/100⌉ of the 2^52 values, 1.00000000000000%); the published point is max(100, crashCents).
 *           So P(crash ≥ x) = 0.99 / x for every two-decimal x ≥ 1.00 reached (house edge 1%).
 * createHash/createHmac are pure functions of their inputs; nothing here reads clocks or RNGs.
 */
import { createHash, createHmac } from 'node:crypto';
import { msToReach } from './curve.ts';

const HASH = /^[0-9a-f]{64}$/;
const TWO_52 = 2n ** 52n;
/** The largest crash point represented (hundredths); P(reaching it) ≈ 1e-14. */
export const MAX_CRASH_CENTS = Number.MAX_SAFE_INTEGER;

export function isChainHash(value: unknown): value is string {
  return typeof value === 'string' && HASH.test(value);
}

/** The next (outer) element of a chain: hex(SHA-256(utf8(hash))). */
export function chainNext(hash: string): string {
  return createHash('sha256').update(hash, 'utf8').digest('hex');
}

/** The terminal hash of a chain of `length` rounds grown from `seed` (h_length). */
export function chainTerminal(seed: string, length: number): string {
  let h = seed;
  for (let i = 0; i < length; i++) h = chainNext(h);
  return h;
}

export interface CrashPoint {
  /** max(100, floor(99·2^52/(2^52−r))): the published crash point in hundredths. */
  crashCents: number;
  /** True when the round crashes at 0 ms (crashCents below 100 before the max). */
  instant: boolean;
  /** The HMAC digest (hex) and the 52-bit number r read from it, for verifiers. */
  hmacHex: string;
  r: bigint;
}

export function crashPointOf(roundHash: string, salt: string): CrashPoint {
  const hmacHex = createHmac('sha256', salt).update(roundHash, 'utf8').digest('hex');
  const r = BigInt(`0x${hmacHex.slice(0, 13)}`);
  const raw = (99n * TWO_52) / (TWO_52 - r);
  const instant = raw < 100n;
  const clamped = raw > BigInt(MAX_CRASH_CENTS) ? MAX_CRASH_CENTS : Number(raw);
  return { crashCents: instant ? 100 : clamped, instant, hmacHex, r };
}

/** Elapsed ms at which a round with this crash point crashes: 0 when instant, else when the floored curve passes the point. */
export function crashElapsedMs(point: { crashCents: number; instant: boolean }): number {
  return point.instant ? 0 : msToReach(point.crashCents + 1);
}

export interface ChainVerification {
  /** Hashing the round hash `steps` times gives `target`. */
  valid: boolean;
  steps: number;
  reached: string;
}

/** Hashes `roundHash` `steps` times (steps = its position in the chain: 1 reaches the previous round's hash). */
export function verifyChainLink(roundHash: string, target: string, steps: number): ChainVerification {
  let h = roundHash;
  for (let i = 0; i < steps; i++) h = chainNext(h);
  return { valid: h === target.toLowerCase(), steps, reached: h };
}
