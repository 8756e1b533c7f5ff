/**
 * The audit log's hash chain, shared by every adapter so they hash byte for byte alike:
 *   canonical(entry) = JSON with keys sorted at every level, of
 *                      { seq, actorId, actorName, action, target, reason, details, at }
 *   hash             = hex(SHA-256(utf8(prevHash + canonical(entry))))
 * The first entry's prevHash is 64 zeros. Input checks live here too (same limits and codes in
 * every adapter).
 */
import { createHash } from 'node:crypto';
import { StoreError, type AuditEntry, type AuditEntryInput, type AuditVerification } from './types.ts';
import { toWellFormedText } from '../text.ts';

export const GENESIS_HASH = '0'.repeat(64);
export const MAX_AUDIT_PAGE = 200;
export const MAX_AUDIT_DETAILS_BYTES = 16 * 1024;
/** Entries read per step while verifying (bounds memory whatever the log's length). */
export const AUDIT_VERIFY_BATCH = 1_000;

const LIMITS = { actorId: 200, actorName: 200, action: 64, target: 300, reason: 500 } as const;

function invalid(message: string): never {
  throw new StoreError('store/invalid_argument', message);
}

/** JSON with object keys sorted at every depth; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function auditHash(prevHash: string, entry: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  const { seq, actorId, actorName, action, target, reason, details, at } = entry;
  const canonical = canonicalJson({ seq, actorId, actorName, action, target, reason, details, at });
  return createHash('sha256').update(prevHash + canonical, 'utf8').digest('hex');
}

/**
 * Validates an entry and returns it with `details` as stored (canonical JSON text and its parsed
 * value), so the hash is computed over exactly what is read back later.
 */
export function prepareAuditEntry(entry: AuditEntryInput): { input: AuditEntryInput; detailsJson: string | null } {
  if (typeof entry !== 'object' || entry === null) invalid('an audit entry is an object');
  for (const [field, max] of Object.entries(LIMITS) as Array<[keyof typeof LIMITS, number]>) {
    const v = entry[field];
    if (field === 'reason' && v === null) continue;
    if (typeof v !== 'string' || v.length === 0 || v.length > max) invalid(`${field} must be a string of 1..${max} characters`);
  }
  if (!Number.isSafeInteger(entry.at) || entry.at < 0) invalid('at must be a non-negative integer');
  let detailsJson: string | null = null;
  if (entry.details !== null && entry.details !== undefined) {
    if (typeof entry.details !== 'object' || Array.isArray(entry.details)) invalid('details must be an object or null');
    try {
      detailsJson = canonicalJson(JSON.parse(JSON.stringify(entry.details)));
    } catch (error) {
      invalid(`details are not serialisable: ${(error as Error).message}`);
    }
    if (Buffer.byteLength(detailsJson) > MAX_AUDIT_DETAILS_BYTES) invalid(`details exceed ${MAX_AUDIT_DETAILS_BYTES} bytes as JSON`);
  }
  // A lone surrogate has no UTF-8 form: the database would keep U+FFFD in its place, and the hash
  // of the original would never match what is read back. Hash exactly what is stored. (Details
  // are stored as JSON text, where JSON.stringify escapes a lone surrogate, so they read back exact.)
  const text = (v: string) => toWellFormedText(v);
  const input: AuditEntryInput = {
    actorId: text(entry.actorId), actorName: text(entry.actorName), action: text(entry.action), target: text(entry.target),
    reason: entry.reason == null ? null : text(entry.reason), details: detailsJson === null ? null : (JSON.parse(detailsJson) as Record<string, unknown>), at: entry.at,
  };
  return { input, detailsJson };
}

export function chainEntry(input: AuditEntryInput, seq: number, prevHash: string): AuditEntry {
  const base = { ...input, seq };
  return { ...base, prevHash, hash: auditHash(prevHash, base) };
}

export function checkAuditPage(limit: number, before: string | null | undefined): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) invalid(`limit must be 1..${MAX_AUDIT_PAGE}`);
  if (before != null && (typeof before !== 'string' || !/^[1-9][0-9]{0,15}$/.test(before))) invalid('invalid cursor');
  return before == null ? Number.MAX_SAFE_INTEGER : Number(before);
}

/**
 * Verifies a log through two reads an adapter provides: its head, then its entries in seq order
 * in batches. The head is read first and only entries up to it are checked, so appends landing
 * during the walk (any process) are not mistaken for tampering.
 */
export async function verifyChain(
  readHead: () => Promise<{ seq: number; hash: string } | null>,
  readBatch: (afterSeq: number, upToSeq: number, limit: number) => Promise<AuditEntry[]>,
): Promise<AuditVerification> {
  const head = await readHead();
  const verifier = new ChainVerifier();
  // With no head, any entry at all is beyond it (the head was removed): read one to find out.
  const upTo = head?.seq ?? Number.MAX_SAFE_INTEGER;
  let after = 0;
  for (;;) {
    const batch = await readBatch(after, upTo, AUDIT_VERIFY_BATCH);
    if (!verifier.feed(batch) || batch.length < AUDIT_VERIFY_BATCH) break;
    after = batch[batch.length - 1]!.seq;
  }
  verifier.checkHead(head);
  return verifier.result();
}

/** Folds entries in seq order (fed in batches) into a verification result. */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private bad: { seq: number; problem: string } | null = null;

  /** Returns false once a bad entry was found (the caller may stop reading). */
  feed(entries: readonly AuditEntry[]): boolean {
    for (const e of entries) {
      if (this.bad) return false;
      if (e.seq !== this.expectedSeq) this.bad = { seq: e.seq, problem: `expected entry ${this.expectedSeq}, found ${e.seq} (an entry is missing)` };
      else if (e.prevHash !== this.prevHash) this.bad = { seq: e.seq, problem: 'prevHash does not match the previous entry' };
      else if (auditHash(e.prevHash, e) !== e.hash) this.bad = { seq: e.seq, problem: 'content does not match its hash (the entry was altered)' };
      else {
        this.prevHash = e.hash;
        this.expectedSeq++;
      }
    }
    return this.bad === null;
  }

  /** The stored head (last seq and hash) must be where the chain ends: catches a truncated tail. */
  checkHead(head: { seq: number; hash: string } | null): void {
    if (this.bad) return;
    const seq = head?.seq ?? 0;
    const hash = head?.hash ?? GENESIS_HASH;
    if (seq !== this.expectedSeq - 1) this.bad = { seq: Math.min(seq, this.expectedSeq), problem: `the head says ${seq} entries, the log has ${this.expectedSeq - 1} (entries were removed or added behind the store)` };
    else if (hash !== this.prevHash) this.bad = { seq, problem: 'the head hash does not match the last entry' };
  }

  result(): AuditVerification {
    return {
      ok: this.bad === null,
      entries: this.expectedSeq - 1,
      headHash: this.prevHash,
      firstBadSeq: this.bad?.seq ?? null,
      problem: this.bad?.problem ?? null,
    };
  }
}
