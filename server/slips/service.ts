/**
 * The bet-slip service: takes multiples (accumulators, system bets, bet builders) for legs on events
 * that live in different rooms, possibly on other processes. It is not a room: every process runs
 * one, and a slip's state is its own journal (journal.ts), so any process can drive or recover any
 * slip. The saga (docs/SPORTSBOOK.md "Multiples"):
 *
 *   1. journal SlipRequested; reserve the whole stake once (one hold); journal SlipStakeReserved
 *   2. prepare every leg at its event room (priced, policy checked, exposure counted); journal SlipLegsPrepared
 *   3. wait out the in-play delay: the longest among in-play legs
 *   4. accept every leg at its room (rejected if suspended during the delay or the price fails the policy)
 *   5. all accepted and within the payout limit → journal SlipAccepted; otherwise SlipRejected, then
 *      the stake and every leg are released (SlipLegsReleased once every room confirmed)
 *
 * Settlement is driven by the legs' rooms, which deliver each leg result here (idempotent: a result
 * is recorded only if newer; each settlement decision is numbered and its money keyed by it).
 */
import { acceptance, evolveSlip as evolve, legExposuresMinor, onLegResult, validateSlip, type LegResult, type SlipEvent, type SlipRequest, type SlipState } from '../../actors/multiples/index.ts';
import type { Reply } from '../../rooms/messages.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { JournalStore } from '../store/types.ts';
import type { WalletService } from '../wallet/service.ts';
import { SlipJournal, type LoadedSlip } from './journal.ts';
import type { LegRooms } from './legs-remote.ts';
import { moveSlipMoney, releaseStakeOp, reserveStakeOp } from './money.ts';
import { slipView, type SlipView } from './view.ts';

/** Decisions retried after losing a journal race (another process appended first). */
const MAX_ATTEMPTS = 8;
/** The longest in-play delay the service waits for (BET_DELAY_MS is capped at 60 s). */
const MAX_DELAY_MS = 60_000;

export type SlipReply = Reply<{ slip: SlipView; replayed: boolean }>;

const refusal = (code: string, message: string, details?: Record<string, unknown>): Reply<never> => ({ ok: false, error: { code, message, ...(details ? { details } : {}) } });

export class SlipService {
  readonly journal: SlipJournal;
  private readonly inFlight = new Set<string>();

  constructor(
    journal: JournalStore,
    readonly wallet: WalletService,
    readonly config: Config['slips'],
    readonly rooms: LegRooms,
    readonly log: Logger,
    readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.journal = new SlipJournal(journal);
  }

  /** Being placed by this process right now (the sweep leaves it alone). */
  isInFlight(slipId: string): boolean {
    return this.inFlight.has(slipId);
  }

  /** The player's newest slips (at most 50), newest first. */
  async list(playerId: string, limit = 50): Promise<SlipView[]> {
    const ids = [...new Set(await this.journal.ofPlayer(playerId, Math.min(50, Math.max(1, limit))))];
    const views = await Promise.all(ids.map((id) => this.get(playerId, id)));
    return views.filter((v): v is SlipView => v !== null);
  }

  async get(playerId: string, slipId: string): Promise<SlipView | null> {
    const { state } = await this.journal.load(slipId);
    return state && state.spec.playerId === playerId ? slipView(state) : null;
  }

  /** Places a slip; answers once it is accepted or rejected (after the in-play delay, if any). */
  async place(playerId: string, request: SlipRequest): Promise<SlipReply> {
    const valid = validateSlip(playerId, request, this.config);
    if (!valid.ok) return refusal(valid.refusal.code, valid.refusal.message, valid.refusal.details);
    const { spec } = valid;
    const existing = await this.journal.load(spec.slipId);
    if (existing.state) {
      const same = existing.state.spec.playerId === playerId && JSON.stringify(existing.state.spec) === JSON.stringify(spec);
      if (!same) return refusal('slip/duplicate', 'this slip id was used for another slip');
      return this.answer(existing.state, true);
    }
    if (this.inFlight.size >= this.config.maxInFlight) return refusal('slip/busy', 'too many slips are being placed: retry shortly');
    const at = this.now();
    // Indexed first, so no slip is ever missing from its player's list (a repeat is shown once).
    await this.journal.index(playerId, spec.slipId, at);
    if (!(await this.journal.append(spec.slipId, 0, [{ type: 'SlipRequested', spec, maxPayoutMinor: this.config.maxPayoutMinor, at }], at))) {
      return refusal('slip/duplicate', 'a slip with this id is being placed');
    }
    this.inFlight.add(spec.slipId);
    try {
      return await this.run(spec.slipId);
    } finally {
      this.inFlight.delete(spec.slipId);
    }
  }

  /** The saga after SlipRequested; every step journals on the state it was decided on. */
  private async run(slipId: string): Promise<SlipReply> {
    let s: LoadedSlip = await this.journal.load(slipId);
    let moved: LoadedSlip | null;
    const state = s.state!;
    const { spec } = state;
    const [reserved] = await this.wallet.apply([reserveStakeOp(slipId, spec.playerId, spec.totalStakeMinor)]);
    if (!reserved!.ok) return this.reject(s, reserved!.code, reserved!.message, undefined, false);
    if (!(moved = await this.step(s, [{ type: 'SlipStakeReserved', at: this.now() }]))) return this.settledElsewhere(slipId);
    s = moved;

    const exposures = legExposuresMinor(spec.stakePerLineMinor, spec.lines, spec.legs.map((l) => l.priceMilli));
    const prepared = await Promise.all(spec.legs.map((l, i) =>
      this.rooms.prepare(l.eventId, { slipId, legId: l.legId, playerId: spec.playerId, selections: l.selections, priceMilli: l.priceMilli, acceptance: l.acceptance, exposureMinor: exposures[i]! })));
    const refused = prepared.findIndex((r) => !r.ok);
    if (refused >= 0) return this.rejectForLeg(s, refused, prepared[refused]!);
    const legs = prepared.map((r, i) => { const p = r as Extract<typeof r, { ok: true }>; return { legId: spec.legs[i]!.legId, priceMilli: p.priceMilli, inPlay: p.inPlay, acceptAt: p.acceptAt }; });
    if (!(moved = await this.step(s, [{ type: 'SlipLegsPrepared', legs, at: this.now() }]))) return this.settledElsewhere(slipId);
    s = moved;

    // The in-play delay: the longest among the in-play legs (pre-match legs have none).
    const due = Math.max(0, ...legs.filter((l) => l.inPlay).map((l) => l.acceptAt));
    const wait = Math.min(MAX_DELAY_MS, due - this.now());
    if (wait > 0) await this.sleep(wait);

    const accepted = await Promise.all(spec.legs.map((l) => this.acceptWhenDue(l.eventId, slipId, l.legId)));
    const failed = accepted.findIndex((r) => !r.ok);
    if (failed >= 0) return this.rejectForLeg(s, failed, accepted[failed]!);
    const decision = acceptance(s.state!, accepted.map((r) => (r as { priceMilli: number }).priceMilli), this.now());
    if (decision.type === 'SlipRejected') return this.reject(s, decision.code, decision.message, decision.details);
    if (!(moved = await this.step(s, [decision]))) return this.settledElsewhere(slipId);
    s = moved;
    this.log.info({ slipId, playerId: spec.playerId, type: spec.type, legs: spec.legs.length, stakeMinor: spec.totalStakeMinor, potentialPayoutMinor: decision.potentialPayoutMinor }, 'slip accepted');
    return this.answer(s.state!, false);
  }

  /** A room answers `leg/delay_running` if its clock is a little behind ours: wait for it, bounded. */
  private async acceptWhenDue(eventId: string, slipId: string, legId: string) {
    for (let attempt = 0; ; attempt++) {
      const r = await this.rooms.accept(eventId, slipId, legId);
      if (r.ok || r.error.code !== 'leg/delay_running' || attempt >= 3) return r;
      const acceptAt = Number(r.error.details?.acceptAt ?? 0);
      await this.sleep(Math.min(1000, Math.max(10, acceptAt - this.now())));
    }
  }

  /** Journals events after `s`; null when another process moved the slip first. */
  private async step(s: LoadedSlip, events: SlipEvent[]): Promise<LoadedSlip | null> {
    if (!(await this.journal.append(s.state!.spec.slipId, s.seq, events, this.now()))) return null;
    const all = [...s.events, ...events];
    return { events: all, seq: s.seq + events.length, state: events.reduce((st, e) => evolve(st, e), s.state) };
  }

  /** Another process (the recovery sweep) decided the slip while we were at it: finish its rule here too. */
  private async settledElsewhere(slipId: string): Promise<SlipReply> {
    const s = await this.journal.load(slipId);
    if (s.state!.status === 'rejected') await this.finishRejection(s);
    return this.answer(s.state!, false);
  }

  private rejectForLeg(s: LoadedSlip, index: number, reply: Reply<any>): Promise<SlipReply> {
    const leg = s.state!.spec.legs[index]!;
    const err = (reply as Extract<Reply, { ok: false }>).error;
    const code = err.code === 'slip/leg_unavailable' ? 'slip/leg_unavailable' : 'slip/leg_refused';
    // A leg rejected when its delay ended carries the reason as its own code (bet/market_suspended, …).
    const reason = err.code === 'leg/rejected' && typeof err.details?.code === 'string' ? err.details.code : err.code;
    return this.reject(s, code, `leg ${leg.legId} (${leg.eventId}): ${err.message}`, { legId: leg.legId, eventId: leg.eventId, code: reason, message: err.message, ...(err.details ? { details: err.details } : {}) });
  }

  /** SlipRejected, then the stake and the legs are released. */
  async reject(s: LoadedSlip, code: string, message: string, details?: Record<string, unknown>, legsTouched = true): Promise<SlipReply> {
    const rejected: SlipEvent = { type: 'SlipRejected', code, message, ...(details ? { details } : {}), at: this.now() };
    // Refused before any leg was asked (the stake could not be reserved): no room holds anything.
    const next = await this.step(s, legsTouched ? [rejected] : [rejected, { type: 'SlipLegsReleased', at: this.now() }]);
    if (!next) return this.settledElsewhere(s.state!.spec.slipId);
    this.log.info({ slipId: s.state!.spec.slipId, code }, 'slip rejected');
    if (legsTouched) await this.finishRejection(next);
    else await this.wallet.apply([releaseStakeOp(s.state!.spec.slipId)]);
    return this.answer(next.state!, false);
  }

  /** Releases the stake and every leg (idempotent); journals SlipLegsReleased once every room confirmed. */
  async finishRejection(s: LoadedSlip): Promise<void> {
    const { spec } = s.state!;
    const [released] = await this.wallet.apply([releaseStakeOp(spec.slipId)]);
    if (!released!.ok && released!.code !== 'wallet/hold_not_found') throw new Error(`slip ${spec.slipId}: stake release refused: ${released!.code}`);
    const replies = await Promise.all(spec.legs.map((l) => this.rooms.release(l.eventId, spec.slipId, l.legId, `slip rejected: ${s.state!.rejection?.code ?? ''}`)));
    // An event that no longer exists holds nothing to release.
    if (replies.every((r) => r.ok || r.error.code === 'event/not_found') && !s.state!.legsReleased) await this.step(s, [{ type: 'SlipLegsReleased', at: this.now() }]);
    else if (!replies.every((r) => r.ok)) this.log.warn({ slipId: spec.slipId }, 'some legs of a rejected slip could not be released yet: the sweep retries');
  }

  /**
   * A leg's result from its event room: recorded and the slip settled again, retried if another
   * process journaled first; then the money of every settlement decision is moved (or replayed).
   */
  async legResulted(n: { slipId: string; legId: string; outcome: LegResult['outcome']; version: number }): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const s = await this.journal.load(n.slipId);
      if (!s.state) return;
      const events = onLegResult(s.state, n.legId, { outcome: n.outcome, version: n.version }, this.now());
      if (events.length === 0) return this.settleMoney(s);
      const next = await this.step(s, events);
      if (next) {
        const settled = events.find((e) => e.type === 'SlipSettled');
        if (settled?.type === 'SlipSettled') this.log.info({ slipId: n.slipId, n: settled.n, status: settled.status, payoutMinor: settled.payoutMinor, deltaMinor: settled.deltaMinor }, 'slip settled');
        return this.settleMoney(next);
      }
    }
    throw new Error(`slip ${n.slipId}: could not record a leg result after ${MAX_ATTEMPTS} attempts`);
  }

  /** Moves (replays) the money of the slip's settlement and cash-out decisions. */
  settleMoney(s: LoadedSlip): Promise<void> {
    if (!s.state || !s.events.some((e) => e.type === 'SlipSettled' || e.type === 'SlipCashedOut')) return Promise.resolve();
    return moveSlipMoney(this.wallet, s.state.spec.slipId, s.state.spec.playerId, s.events.filter((e) => e.type !== 'SlipRejected'));
  }

  answer(state: SlipState, replayed: boolean): SlipReply {
    if (state.status === 'rejected') return refusal(state.rejection!.code, state.rejection!.message, { ...(state.rejection!.details ?? {}), slipId: state.spec.slipId });
    return { ok: true, slip: slipView(state), replayed };
  }
}


