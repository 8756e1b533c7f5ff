/**
 * Signed, expiring bearer tokens: `v1.<payload b64url>.<HMAC-SHA256 b64url>`. The payload carries
 * the user id, username, role and expiry. Verification is constant-time and takes the clock as
 * an input so tests are deterministic.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '../store/types.ts';
import { AppError } from '../errors.ts';

export interface TokenClaims {
  sub: string;
  usr: string;
  role: Role;
  /** Issued at, epoch seconds. */
  iat: number;
  /** Expires at, epoch seconds. */
  exp: number;
  /** Issued at, epoch milliseconds (a block revokes the tokens issued before it, to the millisecond). */
  iatMs?: number;
}

const ROLES: ReadonlySet<string> = new Set(['player', 'operator', 'admin', 'bot']);
const MAX_TOKEN_LENGTH = 2048;
/** An HMAC-SHA256 (32 bytes) as unpadded base64url: 43 characters, the last one of 4 bits' worth. */
const CANONICAL_MAC = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const CANONICAL_PAYLOAD = /^[A-Za-z0-9_-]+$/;

export class TokenSigner {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  sign(user: { id: string; username: string; role: Role }): string {
    const iatMs = this.now();
    const iat = Math.floor(iatMs / 1000);
    const claims: TokenClaims = { sub: user.id, usr: user.username, role: user.role, iat, exp: iat + this.ttlSeconds, iatMs };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `v1.${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** Throws AppError `auth/invalid_token` or `auth/token_expired`. */
  verify(token: string | undefined | null): TokenClaims {
    if (!token) throw new AppError('auth/missing_token', 'a bearer token is required', 401);
    if (token.length > MAX_TOKEN_LENGTH) throw invalid();
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'v1') throw invalid();
    // Only the canonical encoding is accepted: unpadded base64url, exactly as sign() writes it.
    // Decoding is lenient (padding, `+` and `/` decode to the same bytes), so compare the text.
    if (!CANONICAL_MAC.test(parts[2]) || !CANONICAL_PAYLOAD.test(parts[1])) throw invalid();
    const given = Buffer.from(parts[2], 'ascii');
    const expected = Buffer.from(this.mac(parts[1]).toString('base64url'), 'ascii');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || !ROLES.has(claims.role)) throw invalid();
    if (claims.exp * 1000 <= this.now()) throw new AppError('auth/token_expired', 'the token has expired; log in again', 401);
    return claims;
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest();
  }
}

function invalid(): AppError {
  return new AppError('auth/invalid_token', 'the token is malformed or its signature is invalid', 401);
}
