/**
 * Player protection as the server uses it: reads a player's record, runs the rules
 * (actors/protection/rules.ts) and saves the result compare-and-set, then acts on it (a block
 * removes the player from every room of the cluster). The money side (limits, blocked stakes and
 * deposits) is enforced by the store inside the wallet's own transaction (server/store/limits.ts).
 */
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { decideProtection, type ProtectionCommand } from '../../actors/protection/rules.ts';
import { newProtectionRecord, type ProtectionEvent, type ProtectionRecord } from '../store/protection-types.ts';
import { blockRefusal } from '../store/limits.ts';
import type { LimitUsage } from '../store/protection-types.ts';
import { StoreError, type Store } from '../store/types.ts';
import { protectionEventsJournal } from '../reports/daily.ts';
import { playerAccountId } from '../wallet/service.ts';
import type { ExclusionBus } from './bus.ts';
import { publishRisk } from '../risk/publish.ts';

export interface ProtectionConfig {
  /** How long a limit raise or removal waits before the player may confirm it. */
  coolingOffMs: number;
  /** Jurisdiction rule: betting pauses while a reality check waits for its acknowledgement. */
  realityCheckPausesBetting: boolean;
  /** How often open self-exclusion returns of funds are retried (0: never; tests call sweep()). */
  fundsReturnSweepMs: number;
}

export interface ProtectionStatus {
  record: ProtectionRecord;
  usage: LimitUsage;
  blocked: boolean;
}

/** Compare-and-set retries before giving up (only concurrent changes of one player's record collide). */
const MAX_ATTEMPTS = 8;

const STATUS: Record<string, number> = {
  'protection/no_pending_change': 404,
  'protection/cooling_off': 409,
  'protection/cannot_shorten': 409,
};

export class ProtectionService {
  constructor(
    private readonly store: Store,
    readonly config: ProtectionConfig,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly bus: ExclusionBus | null,
  ) {}

  /** The player's record (a fresh one, not yet saved, when they have none). */
  async record(userId: string): Promise<ProtectionRecord> {
    const accountId = playerAccountId(userId);
    return (await this.store.protection.get(accountId)) ?? { ...newProtectionRecord(accountId, this.now()), version: 0 };
  }

  async status(userId: string): Promise<ProtectionStatus> {
    const at = this.now();
    const record = await this.record(userId);
    return { record, usage: await this.store.protection.usage(record.accountId, at), blocked: blockRefusal(record.controls, at) !== null };
  }

  /** A new player's record: from now on their stakes are counted, whether or not they set a limit. */
  async openAccount(userId: string): Promise<void> {
    const accountId = playerAccountId(userId);
    if (await this.store.protection.get(accountId)) return;
    const record = newProtectionRecord(accountId, this.now());
    // Registration logs the player in: their first session starts now.
    await this.store.protection.save({ ...record, controls: { ...record.controls, sessionStartedAt: record.updatedAt } });
  }

  /** Runs one command on the player's record, retrying when a concurrent change won the race. */
  async command(userId: string, build: (at: number) => ProtectionCommand): Promise<ProtectionRecord> {
    return (await this.decide(userId, build)).record;
  }

  /** As `command`, with the event it recorded (null: nothing changed). */
  async decide(userId: string, build: (at: number) => ProtectionCommand): Promise<{ record: ProtectionRecord; event: ProtectionEvent | null }> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.record(userId);
      const decision = decideProtection(current, build(this.now()));
      if (!decision.ok) {
        const { code, message, details } = decision.rejection;
        throw new AppError(code, message, STATUS[code] ?? 400, details);
      }
      if (decision.record === current) return { record: current, event: null };
      if (await this.store.protection.save(decision.record)) {
        if (decision.event) {
          this.log.info({ userId, event: decision.event.type, details: decision.event.details }, 'player protection');
          await this.recordEvent(userId, decision.event);
          // The risk service watches limit changes (docs/FRAUD.md): one event per recorded change.
          if (decision.event.type.startsWith('limit.')) {
            const d = decision.event.details as { metric?: string; period?: string | null; value?: number | null };
            publishRisk({ id: `limit:${userId}:${decision.record.version}`, at: decision.event.at, type: 'limit_changed', playerId: userId, kind: `${decision.event.type}:${d.metric ?? ''}:${d.period ?? ''}`.slice(0, 200), valueMinor: typeof d.value === 'number' ? d.value : null });
          }
        }
        if (decision.event?.type.startsWith('block.')) {
          await this.removeEverywhere(userId, decision.record);
          await this.onBlocked?.(userId, decision.record);
        }
        await this.bus?.publishChanged(userId);
        return { record: decision.record, event: decision.event };
      }
    }
    throw new AppError('protection/busy', 'your protection settings changed at the same time; try again', 503);
  }

  /** A room join: refused when blocked; otherwise the player's reality checks are watched here. */
  async admit(userId: string): Promise<void> {
    const record = await this.store.protection.get(playerAccountId(userId));
    const refusal = record ? blockRefusal(record.controls, this.now()) : null;
    if (refusal) throw new AppError(refusal.code, refusal.message, 403);
    if (record) this.onAdmitted?.(userId, record);
  }

  /** Set by the composition root: a self-exclusion is remembered against the verified identity (server/kyc). */
  onBlocked: ((userId: string, record: ProtectionRecord) => Promise<void>) | null = null;

  /** Set by the composition root: reality checks watch admitted players (reality.ts). */
  onAdmitted: ((userId: string, record: ProtectionRecord) => void) | null = null;

  /** A token issued before the player's latest block is revoked (ends every session at once). */
  async assertTokenValid(userId: string, issuedAtMs: number): Promise<void> {
    const record = await this.store.protection.get(playerAccountId(userId));
    const blockedAt = record?.controls.blockedAt ?? null;
    if (blockedAt !== null && issuedAtMs <= blockedAt) {
      throw new AppError('auth/token_revoked', 'this session ended when a time-out or self-exclusion was taken; log in again', 401);
    }
  }

  /** The day's protection events, for the regulator's report (server/reports). Best effort: logged if it fails. */
  private async recordEvent(userId: string, event: ProtectionEvent): Promise<void> {
    const id = protectionEventsJournal(new Date(event.at).toISOString().slice(0, 10));
    for (let attempt = 1; attempt <= 10; attempt++) {
      try {
        await this.store.journal.append(id, (await this.store.journal.lastSeq(id)) + 1, [{ type: 'ProtectionEvent', data: { userId, type: event.type, at: event.at } }]);
        return;
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'journal/seq_conflict') || attempt === 10) {
          this.log.error({ err, userId, event: event.type }, 'could not record a protection event for the daily report');
          return;
        }
      }
    }
  }

  private async removeEverywhere(userId: string, record: ProtectionRecord): Promise<void> {
    const refusal = blockRefusal(record.controls, this.now());
    if (!refusal || !this.bus) return;
    await this.bus.publish(userId, { code: refusal.code, message: refusal.message });
  }
}
