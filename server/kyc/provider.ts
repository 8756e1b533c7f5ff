/**
 * The KYC provider port and the sanctions/PEP screening hook, with their sandbox adapters.
 *
 * The sandbox provider decides deterministically from what it is sent, so tests can ask for an
 * outcome: a document number starting with `REJ` is rejected (`document_unreadable`), one starting
 * with `REV` is referred to an operator's review (`manual_review`); any other
 * is verified for KYC_VALIDITY_DAYS. The sandbox screening list (sandbox-screening.json) holds
 * fictitious names only; a match refuses verification (`screening_match`) for an operator to review.
 */
import type { KycIdentity } from '../../actors/kyc/index.ts';
import sandboxList from './sandbox-screening.json' with { type: 'json' };

export interface KycDocument {
  contentType: string;
  bytes: Buffer;
}

export interface KycDecision {
  /** `referred`: the provider cannot decide; an operator reviews it (the player stays `pending`). */
  outcome: 'verified' | 'rejected' | 'referred';
  reason: string | null;
  /** When the verification lapses (the document's expiry, or the provider's validity). */
  expiresAt: number | null;
}

export interface KycProvider {
  readonly name: string;
  verify(input: { reference: string; identity: KycIdentity; document: KycDocument; at: number }): Promise<KycDecision>;
}

export interface ScreeningHit {
  list: 'sanctions' | 'pep';
  entry: string;
}

/** Sanctions and politically-exposed-person screening (a real one calls a screening service). */
export interface ScreeningPort {
  screen(identity: KycIdentity): Promise<ScreeningHit | null>;
}

export class SandboxKycProvider implements KycProvider {
  readonly name = 'sandbox';
  constructor(private readonly validityMs: number) {}

  async verify({ identity, at }: { identity: KycIdentity; at: number }): Promise<KycDecision> {
    if (identity.documentNumber.toUpperCase().startsWith('REJ')) return { outcome: 'rejected', reason: 'document_unreadable', expiresAt: null };
    if (identity.documentNumber.toUpperCase().startsWith('REV')) return { outcome: 'referred', reason: 'manual_review', expiresAt: null };
    return { outcome: 'verified', reason: null, expiresAt: at + this.validityMs };
  }
}

const normalise = (name: string): string => name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, ' ').trim();

export class SandboxScreening implements ScreeningPort {
  private readonly entries: Array<{ name: string; dateOfBirth: string | null; list: ScreeningHit['list'] }>;

  constructor(entries: Array<{ name: string; dateOfBirth?: string | null; list: ScreeningHit['list'] }> = sandboxList.entries as Array<{ name: string; dateOfBirth?: string | null; list: ScreeningHit['list'] }>) {
    this.entries = entries.map((e) => ({ name: normalise(e.name), dateOfBirth: e.dateOfBirth ?? null, list: e.list }));
  }

  async screen(identity: KycIdentity): Promise<ScreeningHit | null> {
    const name = normalise(identity.fullName);
    const hit = this.entries.find((e) => e.name === name && (e.dateOfBirth === null || e.dateOfBirth === identity.dateOfBirth));
    return hit ? { list: hit.list, entry: hit.name } : null;
  }
}

/** The document types accepted, by their first bytes (the declared Content-Type must agree). */
const SIGNATURES: Array<[string, number[]]> = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
];

export const KYC_CONTENT_TYPES = SIGNATURES.map(([t]) => t);

/** Whether the bytes really are the declared type (a renamed file is refused). */
export function matchesType(contentType: string, bytes: Buffer): boolean {
  const sig = SIGNATURES.find(([t]) => t === contentType)?.[1];
  return sig !== undefined && bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
}
