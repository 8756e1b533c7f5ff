import { expect } from 'chai';
import { ageAt, decideSubmission, evolveKyc, identityKey, initialKyc, kycStatusAt, MAX_SUBMISSIONS, type KycEvent, type KycState, type SubmitCommand } from '../../../actors/kyc/index.ts';

const T0 = Date.UTC(2026, 11, 3);
const who = { fullName: 'Ada Lovelace', dateOfBirth: '1990-12-10', country: 'GB', documentNumber: 'P1234567' };
const cmd = (over: Partial<SubmitCommand> = {}): SubmitCommand => ({ at: T0, identity: who, documentType: 'image/png', documentSha256: 'ab', bytes: 100, minAge: 18, ...over });
const apply = (s: KycState, events: KycEvent[]) => events.reduce(evolveKyc, s);

describe('KYC decider (actors/kyc)', () => {
  it('counts age in whole years on the UTC calendar and refuses impossible dates', () => {
    expect(ageAt('2008-12-03', T0)).to.equal(18);
    expect(ageAt('2008-12-04', T0)).to.equal(17);
    expect(ageAt('2000-02-30', T0)).to.equal(null);
    expect(ageAt('2030-01-01', T0)).to.equal(null);
  });

  it('moves unverified → pending on a submission, and rejects an under-age player at once without the provider', () => {
    const d = decideSubmission(initialKyc(), cmd());
    expect(d.ok && d.events.map((e) => e.type)).to.deep.equal(['KycSubmitted']);
    expect(apply(initialKyc(), d.ok ? d.events : []).status).to.equal('pending');
    const young = decideSubmission(initialKyc(), cmd({ identity: { ...who, dateOfBirth: '2010-01-01' } }));
    const s = apply(initialKyc(), young.ok ? young.events : []);
    expect(s).to.include({ status: 'rejected', reason: 'under 18' });
  });

  it('refuses a submission while pending or verified, and after the attempts run out; a verification expires', () => {
    const pending = apply(initialKyc(), [{ type: 'KycSubmitted', at: T0, identity: who, documentType: 'image/png', documentSha256: 'x', bytes: 1 }]);
    expect(decideSubmission(pending, cmd())).to.deep.include({ ok: false });
    const verified = apply(pending, [{ type: 'KycDecided', at: T0, outcome: 'verified', reason: null, expiresAt: T0 + 1000, provider: 'sandbox' }]);
    expect(decideSubmission(verified, cmd()).ok).to.equal(false);
    expect(kycStatusAt(verified, T0 + 999)).to.equal('verified');
    expect(kycStatusAt(verified, T0 + 1000)).to.equal('expired');
    expect(decideSubmission(verified, cmd({ at: T0 + 1000 })).ok, 'an expired one may be renewed').to.equal(true);
    const tired = { ...initialKyc(), status: 'rejected' as const, submissions: MAX_SUBMISSIONS };
    const d = decideSubmission(tired, cmd());
    expect(!d.ok && d.rejection.code).to.equal('kyc/too_many_attempts');
  });

  it('keys an identity on name, date of birth and country whatever the accents, case and spacing', () => {
    expect(identityKey({ ...who, fullName: '  ADA   Lovelace ' })).to.equal(identityKey(who));
    expect(identityKey({ ...who, fullName: 'Zoë Ångström', documentNumber: 'other' })).to.equal(identityKey({ ...who, fullName: 'zoe angstrom' }));
    expect(identityKey({ ...who, dateOfBirth: '1990-12-11' })).to.not.equal(identityKey(who));
  });
});
