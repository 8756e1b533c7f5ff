import { expect } from 'chai';
import { decideReview, evolveKyc, initialKyc, kycStatusAt, type KycEvent, type KycState } from '../../../actors/kyc/index.ts';

const T0 = Date.UTC(2026, 11, 3);
const who = { fullName: 'Ada Lovelace', dateOfBirth: '1990-12-10', country: 'GB', documentNumber: 'REV-1' };
const apply = (s: KycState, events: KycEvent[]) => events.reduce(evolveKyc, s);
const referred = apply(initialKyc(), [
  { type: 'KycSubmitted', at: T0, identity: who, documentType: 'image/png', documentSha256: 'ab', bytes: 10 },
  { type: 'KycReferred', at: T0, reason: 'manual_review', provider: 'sandbox' },
]);
const review = (s: KycState, approve: boolean) => decideReview(s, { at: T0 + 1000, approve, reason: 'checked', by: 'ops', validityMs: 10_000 });

describe('KYC operator review (actors/kyc)', () => {
  it('keeps a referred submission pending, marked for review', () => {
    expect(referred).to.deep.include({ status: 'pending', referred: 'manual_review' });
  });

  it('approves a pending submission for the validity period, or rejects it with the operator\'s reason', () => {
    const ok = review(referred, true);
    expect(ok.ok).to.equal(true);
    const verified = apply(referred, ok.ok ? ok.events : []);
    expect(verified).to.deep.include({ status: 'verified', reason: null, expiresAt: T0 + 11_000, referred: null });
    expect(kycStatusAt(verified, T0 + 11_000)).to.equal('expired');
    const no = review(referred, false);
    expect(apply(referred, no.ok ? no.events : [])).to.deep.include({ status: 'rejected', reason: 'checked' });
    expect(no.ok && no.events[0]).to.deep.include({ provider: 'operator:ops' });
  });

  it('refuses to review anything not pending (kyc/not_pending): unverified, verified, rejected, expired', () => {
    const verified = apply(referred, [{ type: 'KycDecided', at: T0, outcome: 'verified', reason: null, expiresAt: T0 + 1e9, provider: 'x' }]);
    const rejected = apply(referred, [{ type: 'KycDecided', at: T0, outcome: 'rejected', reason: 'r', expiresAt: null, provider: 'x' }]);
    const expired = apply(referred, [{ type: 'KycDecided', at: T0, outcome: 'verified', reason: null, expiresAt: T0 + 1, provider: 'x' }]);
    for (const s of [initialKyc(), verified, rejected, expired]) {
      const d = review(s, true);
      expect(d.ok).to.equal(false);
      if (!d.ok) expect(d.rejection.code).to.equal('kyc/not_pending');
    }
  });
});
