/**
 * Recovery of slips whose saga stopped: the process driving it died, a room did not answer, a
 * result could not be delivered. Every process sweeps every SLIP_SWEEP_MS; a decision is journaled
 * compare-and-set (journal.ts), so two sweepers never both decide. The rule, by the slip's state
 * (actors/multiples recoveryAction):
 *
 * - not yet accepted and no progress for SLIP_STALE_MS → rejected `slip/interrupted` (the player was
 *   never told it stood), its stake released, its legs released at their rooms (a room that had not
 *   seen the leg records a tombstone, so a late prepare or accept is refused);
 * - rejected with legs not all released → the releases are retried until every room confirmed;
 * - accepted → each open leg's room is asked for its result (a delivery that failed is made now); a
 *   finished event whose room has closed is re-opened from its journal (after SLIP_STALE_MS without
 *   progress), and its rebuild re-delivers every result it holds;
 *   settled or cashed out → the money of its decisions is re-driven once per process (a replay when
 *   it was moved);
 * - an open `slip:` stake hold whose slip is rejected (or has no journal and is older than
 *   SLIP_STALE_MS) is released.
 *
 * Bounded: at most SWEEP_BATCH slips are visited per sweep, round-robin over the journals.
 */
import { recoveryAction } from '../../actors/multiples/index.ts';
import type { SlipService } from './service.ts';
import type { LoadedSlip } from './journal.ts';
import { releaseStakeOp, slipOfHold, SLIP_HOLD_PREFIX } from './money.ts';

const SWEEP_BATCH = 200;

export class SlipSweep {
  private timer: NodeJS.Timeout | null = null;
  private readonly done = new Set<string>();
  /** Per slip, how many money decisions (settlements, cash-out) this process has re-driven. */
  private readonly moneyChecked = new Map<string, number>();
  private cursor = 0;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly slips: SlipService,
    /** Re-opens a closed event's room (server/events.ts ensureRoom): rebuilt, it re-delivers its legs' results. */
    private readonly reopen: (eventId: string) => Promise<void> = async () => undefined,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep().catch((err) => this.slips.log.warn({ err }, 'slip sweep failed: retried at the next one')).finally(() => (this.running = null));
    }, this.slips.config.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; returns how many slips it acted on. */
  async sweep(): Promise<number> {
    let acted = 0;
    const ids = (await this.slips.journal.ids()).filter((id) => !this.done.has(id));
    if (this.cursor >= ids.length) this.cursor = 0;
    const batch = ids.slice(this.cursor, this.cursor + SWEEP_BATCH);
    this.cursor += SWEEP_BATCH;
    for (const id of batch) if (await this.visit(id)) acted++;
    acted += await this.orphanHolds();
    return acted;
  }

  private async visit(slipId: string): Promise<boolean> {
    if (this.slips.isInFlight(slipId)) return false;
    const s = await this.slips.journal.load(slipId);
    if (!s.state) return false;
    const stale = this.slips.now() - s.state.lastAt >= this.slips.config.staleMs;
    switch (recoveryAction(s.state)) {
      case 'reject':
        if (!stale) return false;
        this.slips.log.info({ slipId, status: s.state.status }, 'recovering an interrupted slip: rejected, stake and legs released');
        await this.slips.reject(s, 'slip/interrupted', 'the slip was interrupted before every leg was accepted');
        return true;
      case 'release':
        await this.slips.finishRejection(s);
        return true;
      case 'settle':
        return this.settle(slipId, s);
      default:
        await this.moneyOnce(slipId, s);
        this.done.add(slipId);
        return false;
    }
  }

  private async settle(slipId: string, s: LoadedSlip): Promise<boolean> {
    const state = s.state!;
    await this.moneyOnce(slipId, s);
    if (state.status !== 'accepted') return false;
    let acted = false;
    const events = new Set(state.legs.filter((l) => !l.result).map((l) => l.eventId));
    const stale = this.slips.now() - state.lastAt >= this.slips.config.staleMs;
    for (const eventId of events) {
      const reply = await this.slips.rooms.status(eventId, slipId);
      if (!reply.ok) {
        // A finished event whose room closed before it delivered a result: re-opened, it delivers it.
        if (stale && reply.error.code === 'event/not_found') await this.reopen(eventId).catch((err) => this.slips.log.info({ err, slipId, eventId }, 'could not re-open an event for an open slip'));
        continue;
      }
      for (const leg of reply.legs) {
        if (!leg.result) continue;
        const mine = state.legs.find((l) => l.legId === leg.legId && l.eventId === eventId);
        if (mine && (!mine.result || mine.result.version < leg.result.version)) {
          await this.slips.legResulted({ slipId, legId: leg.legId, outcome: leg.result.outcome, version: leg.result.version });
          acted = true;
        }
      }
    }
    return acted;
  }

  /**
   * Re-drives the money of the slip's journaled decisions once per decision seen: a process that
   * journaled a settlement and died before moving it leaves it to this (keyed ops, so a replay
   * when it was moved). Counted per decision, so a settlement journaled after an earlier visit
   * (the slip was still accepted then) is driven too.
   */
  private async moneyOnce(slipId: string, s: LoadedSlip): Promise<void> {
    const decisions = s.events.filter((e) => e.type === 'SlipSettled' || e.type === 'SlipCashedOut').length;
    if (decisions === 0 || this.moneyChecked.get(slipId) === decisions) return;
    await this.slips.settleMoney(s);
    this.moneyChecked.set(slipId, decisions);
  }

  private async orphanHolds(): Promise<number> {
    let acted = 0;
    const holds = await this.slips.wallet.store.listOpenHolds({ prefix: SLIP_HOLD_PREFIX, limit: SWEEP_BATCH });
    for (const h of holds) {
      const slipId = slipOfHold(h.id);
      if (!slipId || this.slips.isInFlight(slipId)) continue;
      const { state } = await this.slips.journal.load(slipId);
      const old = this.slips.now() - h.createdAt >= this.slips.config.staleMs;
      if ((state === null && old) || state?.status === 'rejected') {
        await this.slips.wallet.apply([releaseStakeOp(slipId)]);
        acted++;
      }
    }
    return acted;
  }
}
