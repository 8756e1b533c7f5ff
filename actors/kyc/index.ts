/**
 * Know-your-customer state of one player (pure; the clock arrives in commands). States:
 * unverified → pending (documents submitted) → verified | rejected; verified → expired once its
 * validity ends (read with `kycStatusAt`). The server-side checks run before the provider is
 * asked: the age (≥ the jurisdiction's minimum) and the submission bounds.
 */
import { accept, reject, type Decision } from '../decision.ts';

export type KycStatus = 'unverified' | 'pending' | 'verified' | 'rejected' | 'expired';

export interface KycIdentity {
  fullName: string;
  /** ISO date, YYYY-MM-DD. */
  dateOfBirth: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  documentNumber: string;
}

export type KycEvent =
  | { type: 'KycSubmitted'; at: number; identity: KycIdentity; documentType: string; documentSha256: string; bytes: number }
  | { type: 'KycDecided'; at: number; outcome: 'verified' | 'rejected'; reason: string | null; expiresAt: number | null; provider: string }
  /** The provider could not decide: the player stays pending, in the operators' review queue. */
  | { type: 'KycReferred'; at: number; reason: string; provider: string };

export interface KycState {
  status: Exclude<KycStatus, 'expired'>;
  identity: KycIdentity | null;
  submissions: number;
  reason: string | null;
  decidedAt: number | null;
  expiresAt: number | null;
  /** Why a pending submission waits for an operator (null: not referred). */
  referred?: string | null;
}

export const MAX_SUBMISSIONS = 5;

export const initialKyc = (): KycState => ({ status: 'unverified', identity: null, submissions: 0, reason: null, decidedAt: null, expiresAt: null });

export function evolveKyc(s: KycState, e: KycEvent): KycState {
  if (e.type === 'KycSubmitted') return { ...s, status: 'pending', identity: e.identity, submissions: s.submissions + 1, reason: null, referred: null };
  if (e.type === 'KycReferred') return { ...s, referred: e.reason };
  return { ...s, status: e.outcome, reason: e.reason, decidedAt: e.at, expiresAt: e.expiresAt, referred: null };
}

export function kycStatusAt(s: KycState, at: number): KycStatus {
  return s.status === 'verified' && s.expiresAt !== null && at >= s.expiresAt ? 'expired' : s.status;
}

/** Whole years between the date of birth and `at` (UTC), or null for an impossible date. */
export function ageAt(dateOfBirth: string, at: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const born = Date.UTC(y, mo - 1, d);
  const check = new Date(born);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || born > at) return null;
  const now = new Date(at);
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() < mo - 1 || (now.getUTCMonth() === mo - 1 && now.getUTCDate() < d)) age--;
  return age;
}

export interface SubmitCommand {
  at: number;
  identity: KycIdentity;
  documentType: string;
  documentSha256: string;
  bytes: number;
  minAge: number;
}

/**
 * A submission: refused while one is pending, when already verified, after MAX_SUBMISSIONS, or
 * with an impossible date of birth. An under-age player is submitted and rejected at once, without
 * asking the provider (the record shows why).
 */
export function decideSubmission(s: KycState, cmd: SubmitCommand): Decision<KycEvent> {
  const status = kycStatusAt(s, cmd.at);
  if (status === 'pending') return reject('kyc/pending', 'your documents are being checked');
  if (status === 'verified') return reject('kyc/already_verified', 'your identity is verified already');
  if (s.submissions >= MAX_SUBMISSIONS) return reject('kyc/too_many_attempts', `at most ${MAX_SUBMISSIONS} submissions; contact support`);
  const age = ageAt(cmd.identity.dateOfBirth, cmd.at);
  if (age === null) return reject('kyc/invalid_identity', 'dateOfBirth must be a real date (YYYY-MM-DD) in the past');
  const submitted: KycEvent = { type: 'KycSubmitted', at: cmd.at, identity: cmd.identity, documentType: cmd.documentType, documentSha256: cmd.documentSha256, bytes: cmd.bytes };
  if (age < cmd.minAge) return accept<KycEvent>(submitted, { type: 'KycDecided', at: cmd.at, outcome: 'rejected', reason: `under ${cmd.minAge}`, expiresAt: null, provider: 'age-check' });
  return accept<KycEvent>(submitted);
}

/** The key two accounts of one person share: normalised name, date of birth and country. */
export function identityKey(i: KycIdentity): string {
  const name = i.fullName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, ' ').trim();
  return `${name}|${i.dateOfBirth}|${i.country.toUpperCase()}`;
}

export interface ReviewCommand {
  at: number;
  approve: boolean;
  reason: string;
  /** The operator's user name. */
  by: string;
  /** How long an approved verification lasts. */
  validityMs: number;
}

/** An operator's decision on a pending submission; anything else is an illegal transition (`kyc/not_pending`). */
export function decideReview(s: KycState, cmd: ReviewCommand): Decision<KycEvent> {
  const status = kycStatusAt(s, cmd.at);
  if (status !== 'pending') return reject('kyc/not_pending', `only a pending submission can be reviewed (this one is ${status})`, { status });
  return accept<KycEvent>({ type: 'KycDecided', at: cmd.at, outcome: cmd.approve ? 'verified' : 'rejected', reason: cmd.approve ? null : cmd.reason, expiresAt: cmd.approve ? cmd.at + cmd.validityMs : null, provider: `operator:${cmd.by}` });
}
