import { expect } from 'chai';
import { TokenSigner } from '../../server/auth/tokens.ts';
import type { AppError } from '../../server/errors.ts';

const SECRET = 'x'.repeat(40);
const user = { id: 'u1', username: 'alice', role: 'player' as const };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return undefined;
}

describe('tokens', () => {
  it('verifies a token it signed and carries the role', () => {
    const t = new TokenSigner(SECRET, 60, () => 1_000_000);
    expect(t.verify(t.sign(user))).to.include({ sub: 'u1', usr: 'alice', role: 'player' });
  });

  it('refuses an expired token', () => {
    let now = 1_000_000;
    const t = new TokenSigner(SECRET, 60, () => now);
    const token = t.sign(user);
    now += 61_000;
    expect(codeOf(() => t.verify(token))).to.equal('auth/token_expired');
  });

  it('refuses a token whose payload was tampered with', () => {
    const t = new TokenSigner(SECRET, 60, () => 1_000_000);
    const [v, payload, sig] = t.sign(user).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.role = 'admin';
    const forged = [v, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.');
    expect(codeOf(() => t.verify(forged))).to.equal('auth/invalid_token');
  });

  it('refuses a token signed with another secret, garbage and a missing token', () => {
    const other = new TokenSigner('y'.repeat(40), 60, () => 1_000_000).sign(user);
    const t = new TokenSigner(SECRET, 60, () => 1_000_000);
    expect(codeOf(() => t.verify(other))).to.equal('auth/invalid_token');
    expect(codeOf(() => t.verify('abc'))).to.equal('auth/invalid_token');
    expect(codeOf(() => t.verify('v1.' + 'a'.repeat(5000) + '.b'))).to.equal('auth/invalid_token');
    expect(codeOf(() => t.verify(undefined))).to.equal('auth/missing_token');
  });
});
