/**
 * KYC as the server runs it: each player's state is a journal (`kyc:<userId>`, appended with its
 * sequence number, so concurrent changes of one player are ordered), decided by actors/kyc; the
 * document goes to the provider port and is not stored here (only its type, size and SHA-256).
 * Before the provider is asked: the age check, and the sanctions/PEP screening hook.
 *
 * A self-exclusion is also remembered against the person's verified identity
 * (`kyc-exclusion:<sha256 of the identity key>`), so a new account of the same person is refused
 * at verification and excluded until the same end (LCCP SR 3.5.3).
 */
import { createHash } from 'node:crypto';
import { decideReview, decideSubmission, evolveKyc, identityKey, initialKyc, kycStatusAt, type KycEvent, type KycIdentity, type KycState, type KycStatus } from '../../actors/kyc/index.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { StoreError, type JournalStore } from '../store/types.ts';
import type { ProtectionRecord } from '../store/protection-types.ts';
import type { ProtectionService } from '../protection/service.ts';
import { matchesType, type KycDocument, type KycProvider, type ScreeningPort } from './provider.ts';

export interface KycConfig {
  /** Minimum age to be verified (KYC_MIN_AGE). */
  minAge: number;
  /** What needs a verified identity besides withdrawals (always): `play` also gates room joins; `off` (DEV_MODE only) nothing. */
  requiredFor: 'withdrawal' | 'play' | 'off';
  maxUploadBytes: number;
  /** How long a sandbox verification lasts. */
  validityMs: number;
}

export interface KycView {
  status: KycStatus;
  reason: string | null;
  submissions: number;
  decidedAt: number | null;
  expiresAt: number | null;
}

const journalId = (userId: string) => `kyc:${userId}`;
const exclusionId = (identity: KycIdentity) => `kyc-exclusion:${createHash('sha256').update(identityKey(identity)).digest('hex')}`;
const MAX_APPEND_ATTEMPTS = 5;
/** Submissions the provider referred to an operator, in order (each entry is re-checked against the player's journal). */
const REVIEW_QUEUE = 'kyc-review';

export class KycService {
  constructor(
    private readonly journal: JournalStore,
    private readonly provider: KycProvider,
    private readonly screening: ScreeningPort,
    private readonly protection: ProtectionService,
    readonly config: KycConfig,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  private async load(userId: string): Promise<{ state: KycState; seq: number }> {
    const records = await this.journal.read(journalId(userId), { limit: 1_000 });
    return { state: records.reduce((s, r) => evolveKyc(s, r.data as KycEvent), initialKyc()), seq: records.length === 0 ? 0 : records[records.length - 1]!.seq };
  }

  private async append(userId: string, seq: number, events: KycEvent[]): Promise<void> {
    await this.journal.append(journalId(userId), seq + 1, events.map((e) => ({ type: e.type, data: e })));
  }

  async view(userId: string): Promise<KycView & { identity?: KycIdentity | null }> {
    const { state } = await this.load(userId);
    return { status: kycStatusAt(state, this.now()), reason: state.reason, submissions: state.submissions, decidedAt: state.decidedAt, expiresAt: state.expiresAt, identity: state.identity };
  }

  async assertVerified(userId: string, what: string): Promise<void> {
    const { state } = await this.load(userId);
    const status = kycStatusAt(state, this.now());
    if (status !== 'verified') throw new AppError('kyc/required', `${what} needs a verified identity (yours is ${status}); submit your documents`, 403, { status });
  }

  async submit(userId: string, identity: KycIdentity, document: KycDocument): Promise<KycView> {
    if (document.bytes.length === 0 || document.bytes.length > this.config.maxUploadBytes) {
      throw new AppError('kyc/invalid_document', `a document is 1..${this.config.maxUploadBytes} bytes`, 413);
    }
    if (!matchesType(document.contentType, document.bytes)) throw new AppError('kyc/invalid_document', `the file is not a valid ${document.contentType}`, 415);
    const at = this.now();
    for (let attempt = 1; ; attempt++) {
      const { state, seq } = await this.load(userId);
      const decision = decideSubmission(state, { at, identity, documentType: document.contentType, documentSha256: createHash('sha256').update(document.bytes).digest('hex'), bytes: document.bytes.length, minAge: this.config.minAge });
      if (!decision.ok) throw new AppError(decision.rejection.code, decision.rejection.message, decision.rejection.code === 'kyc/invalid_identity' ? 400 : 409);
      try {
        await this.append(userId, seq, decision.events);
      } catch (err) {
        if (err instanceof StoreError && err.code === 'journal/seq_conflict' && attempt < MAX_APPEND_ATTEMPTS) continue;
        throw err;
      }
      if (decision.events.length === 1) await this.decide(userId, seq + 1, identity, document, at);
      return this.view(userId);
    }
  }

  /** The checks after the submission: screening, an excluded identity, then the provider. */
  private async decide(userId: string, seq: number, identity: KycIdentity, document: KycDocument, at: number): Promise<void> {
    const decided = (outcome: 'verified' | 'rejected', reason: string | null, expiresAt: number | null, provider: string) =>
      this.append(userId, seq, [{ type: 'KycDecided', at: this.now(), outcome, reason, expiresAt, provider }]);
    const hit = await this.screening.screen(identity);
    if (hit) {
      this.log.warn({ userId, list: hit.list }, 'KYC screening match: verification refused for review');
      return decided('rejected', `screening_match:${hit.list}`, null, 'screening');
    }
    const excludedUntil = await this.excludedUntil(identity);
    if (excludedUntil !== null) {
      this.log.info({ userId }, 'KYC: this person self-excluded on another account; the new account is excluded too');
      await decided('rejected', 'self_excluded', null, 'exclusion-register');
      await this.protection.command(userId, (now) => ({ type: 'inheritExclusion', until: excludedUntil, at: now }));
      return;
    }
    const result = await this.provider.verify({ reference: `${userId}:${seq}`, identity, document, at });
    if (result.outcome === 'referred') {
      await this.append(userId, seq, [{ type: 'KycReferred', at: this.now(), reason: result.reason ?? 'manual_review', provider: this.provider.name }]);
      await this.appendRetrying(REVIEW_QUEUE, { type: 'KycReferred', data: { userId, reason: result.reason ?? 'manual_review', at: this.now() } });
      return;
    }
    await decided(result.outcome, result.reason, result.expiresAt, this.provider.name);
    if (result.outcome === 'verified') {
      const own = await this.protection.record(userId);
      if (own.controls.blockKind === 'self_exclusion' && (own.controls.blockedUntil ?? 0) > this.now()) await this.remember(identity, userId, own.controls.blockedUntil!);
    }
  }

  /** A self-exclusion taken: remembered against the player's verified identity, if any. */
  async onBlocked(userId: string, record: ProtectionRecord): Promise<void> {
    const c = record.controls;
    if (c.blockKind !== 'self_exclusion' || c.blockedUntil === null) return;
    const { state } = await this.load(userId);
    if (state.identity && kycStatusAt(state, this.now()) === 'verified') await this.remember(state.identity, userId, c.blockedUntil);
  }

  private async remember(identity: KycIdentity, userId: string, until: number): Promise<void> {
    await this.appendRetrying(exclusionId(identity), { type: 'IdentityExcluded', data: { userId, until, at: this.now() } });
  }

  private async appendRetrying(id: string, event: { type: string; data: unknown }): Promise<void> {
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const seq = await this.journal.lastSeq(id);
      try {
        await this.journal.append(id, seq + 1, [event]);
        return;
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'journal/seq_conflict')) throw err;
      }
    }
  }

  /** The operators' review queue: referred submissions still pending, oldest first (the latest `limit` referrals read). */
  async reviewQueue(limit: number): Promise<Array<{ userId: string; reason: string; referredAt: number; identity: KycIdentity | null; submissions: number }>> {
    const last = await this.journal.lastSeq(REVIEW_QUEUE);
    const records = await this.journal.read(REVIEW_QUEUE, { afterSeq: Math.max(0, last - limit * 4), limit: limit * 4 });
    const out = new Map<string, { userId: string; reason: string; referredAt: number; identity: KycIdentity | null; submissions: number }>();
    for (const r of records) {
      const { userId, reason, at } = r.data as { userId: string; reason: string; at: number };
      const { state } = await this.load(userId);
      if (kycStatusAt(state, this.now()) === 'pending' && state.referred) out.set(userId, { userId, reason, referredAt: at, identity: state.identity, submissions: state.submissions });
      else out.delete(userId);
    }
    return [...out.values()].slice(0, limit);
  }

  /** An operator approves or rejects a pending submission (`kyc/not_pending` otherwise); the caller audits it. */
  async review(userId: string, approve: boolean, reason: string, by: string): Promise<KycView> {
    for (let attempt = 1; ; attempt++) {
      const { state, seq } = await this.load(userId);
      const decision = decideReview(state, { at: this.now(), approve, reason, by, validityMs: this.config.validityMs });
      if (!decision.ok) throw new AppError(decision.rejection.code, decision.rejection.message, 409, decision.rejection.details);
      try {
        await this.append(userId, seq, decision.events);
        break;
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'journal/seq_conflict') || attempt >= MAX_APPEND_ATTEMPTS) throw err;
      }
    }
    this.log.info({ userId, approve, by }, 'KYC reviewed by an operator');
    const own = await this.protection.record(userId);
    const { state } = await this.load(userId);
    if (approve && state.identity && own.controls.blockKind === 'self_exclusion' && (own.controls.blockedUntil ?? 0) > this.now()) await this.remember(state.identity, userId, own.controls.blockedUntil!);
    const { identity: _identity, ...view } = await this.view(userId);
    return view;
  }

  private async excludedUntil(identity: KycIdentity): Promise<number | null> {
    const records = await this.journal.read(exclusionId(identity), { limit: 1_000 });
    const until = Math.max(0, ...records.map((r) => Number((r.data as { until?: number }).until ?? 0)));
    return until > this.now() ? until : null;
  }
}
