/**
 * Reality checks (UKGC RTS 13): every N minutes of a session (N chosen by the player), every room
 * the player is in gets a `realityCheck` message with the session's length and net result, and,
 * where the jurisdiction says so (REALITY_CHECK_PAUSES_BETTING), play pauses until the player
 * acknowledges it: the store refuses stakes meanwhile (`protection/reality_check_pending`).
 *
 * Each process watches the players connected to its rooms (from their join) and looks once a
 * second whether a check is due; the record's compare-and-set decides which process shows it
 * (the others find it shown and only move on to the next one), and the bus delivers it to the
 * player's rooms on every process.
 */
import { nextRealityCheckAt } from '../../actors/protection/rules.ts';
import type { ProtectionRecord } from '../store/protection-types.ts';
import type { Store, Transfer } from '../store/types.ts';
import type { Logger } from '../logger.ts';
import { playerAccountId } from '../wallet/service.ts';
import { isConnectedHere } from '../../rooms/protection.ts';
import { isStakeHold } from '../store/limits.ts';
import type { ExclusionBus } from './bus.ts';
import type { ProtectionService } from './service.ts';

/** Ledger pages read for a session's net result (200 transfers each): older play is left out. */
const MAX_RESULT_PAGES = 5;

/** A transfer's effect on the player's net result of play (deposits and other money aside). */
function playEffect(t: Transfer, accountId: string): number {
  const stake = t.holdId !== null && isStakeHold(t.holdId);
  if (t.fromAccountId === accountId && ((t.kind === 'reserve' && stake) || t.kind === 'adjustment')) return -t.amountMinor;
  if (t.toAccountId === accountId && ((t.kind === 'release' && stake) || t.kind === 'payout' || t.kind === 'adjustment')) return t.amountMinor;
  return 0;
}

export class RealityChecks {
  /** Watched players (connected here) and when their next check is due (null: none). */
  private readonly due = new Map<string, number | null>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    private readonly protection: ProtectionService,
    private readonly store: Store,
    private readonly bus: ExclusionBus,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly tickMs = 1_000,
  ) {
    bus.onChanged = (userId) => void this.refresh(userId);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A player joined a room here. */
  watch(userId: string, record: ProtectionRecord): void {
    this.due.set(userId, nextRealityCheckAt(record));
  }

  /** The player's record changed somewhere: re-read it if they are watched here. */
  async refresh(userId: string): Promise<void> {
    if (!this.due.has(userId)) return;
    this.due.set(userId, nextRealityCheckAt(await this.protection.record(userId)));
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const [userId, dueAt] of [...this.due]) {
        if (!isConnectedHere(userId)) this.due.delete(userId);
        else if (dueAt !== null && this.now() >= dueAt) await this.show(userId, dueAt).catch((err) => this.log.warn({ err, userId }, 'reality check failed; retried next second'));
      }
    } finally {
      this.ticking = false;
    }
  }

  private async show(userId: string, dueAt: number): Promise<void> {
    const pause = this.protection.config.realityCheckPausesBetting;
    const { record, event } = await this.protection.decide(userId, (at) => ({ type: 'realityCheckDue', dueAt, pauseBetting: pause, at }));
    this.due.set(userId, nextRealityCheckAt(record));
    if (!event) return; // shown by another process, or no longer due
    const start = record.controls.sessionStartedAt ?? dueAt;
    const at = this.now();
    await this.bus.publishRealityCheck(userId, { sessionMs: at - start, netResultMinor: await this.netResult(userId, start), paused: pause, at });
  }

  /** Winnings minus stakes since `since`, from the player's ledger (at most MAX_RESULT_PAGES pages). */
  private async netResult(userId: string, since: number): Promise<number> {
    const accountId = playerAccountId(userId);
    let net = 0;
    let before: string | null = null;
    for (let page = 0; page < MAX_RESULT_PAGES; page++) {
      const { items, nextCursor } = await this.store.wallet.listTransfers(accountId, { limit: 200, before });
      for (const t of items) {
        if (t.createdAt < since) return net;
        net += playEffect(t, accountId);
      }
      if (!nextCursor) return net;
      before = nextCursor;
    }
    return net;
  }
}
