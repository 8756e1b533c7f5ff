/**
 * The operator audit trail: who did what to what, when and why, appended to the store's
 * hash-chained audit log (AuditStore). Every operator route records its action here, refused
 * ones included (with the refusal code), after the action was decided.
 */
import type { Logger } from '../logger.ts';
import type { RequestAuth } from '../http/auth.ts';
import type { AuditEntry, AuditStore } from '../store/types.ts';

export class AuditTrail {
  constructor(
    private readonly store: AuditStore,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Appends the entry; a store failure propagates (the caller's request then fails loudly, 5xx). */
  async record(actor: RequestAuth, action: string, target: string, reason: string | null, details: Record<string, unknown> | null = null): Promise<AuditEntry> {
    const entry = await this.store.append({ actorId: actor.userId, actorName: actor.username, action, target, reason, details, at: this.now() });
    this.log.info({ audit: entry.seq, by: actor.userId, action, target }, 'operator action recorded');
    return entry;
  }
}
