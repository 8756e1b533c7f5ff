/**
 * Cash-out of an open slip (docs/SPORTSBOOK.md "Multiples"): the offer comes from the current fair
 * probabilities of its open legs, asked of their event rooms (actors/multiples slipCashOutOffer,
 * margin SLIP_CASHOUT_MARGIN_BPS). The delay rules of single bets apply: when any open leg is in
 * play the request waits the longest of their delays and asks again; a suspension at any of those
 * events meanwhile (the rooms' suspension counts moved), a leg that got a result, or an offer below
 * the seen one by more than the tolerance (1%) refuses it. Then SlipCashedOut is journaled (on the
 * state the offer was made on: a leg result journaled meanwhile makes the append lose and the
 * cash-out is refused) and the stake is captured and the offer paid; the open legs are released at
 * their rooms (their exposure goes).
 */
import { slipCashOutOffer, evolveSlip } from '../../actors/multiples/index.ts';
import type { Reply } from '../../rooms/messages.ts';
import type { SlipService } from './service.ts';
import { slipView, type SlipView } from './view.ts';

const TOLERANCE_BPS = 100;

type Quote = { ok: true; offerMinor: number; delayMs: number; suspensions: number[] } | Reply<never>;

const unavailable = (message: string): Reply<never> => ({ ok: false, error: { code: 'cashout/unavailable', message } });

export class SlipCashOut {
  private readonly pending = new Set<string>();

  constructor(private readonly slips: SlipService) {}

  /** The current offer (no delay, nothing journaled). */
  async quote(playerId: string, slipId: string): Promise<Reply<{ slipId: string; offerMinor: number }>> {
    const { state } = await this.slips.journal.load(slipId);
    if (!state || state.spec.playerId !== playerId) return { ok: false, error: { code: 'slip/not_found', message: 'no such slip of yours' } };
    const q = await this.offer(slipId);
    return q.ok ? { ok: true, slipId, offerMinor: q.offerMinor } : q;
  }

  async execute(playerId: string, slipId: string, seenOfferMinor: number): Promise<Reply<{ slip: SlipView; offerMinor: number }>> {
    const loaded = await this.slips.journal.load(slipId);
    if (!loaded.state || loaded.state.spec.playerId !== playerId) return { ok: false, error: { code: 'slip/not_found', message: 'no such slip of yours' } };
    if (this.pending.has(slipId)) return { ok: false, error: { code: 'cashout/pending', message: 'a cash-out of this slip is in its delay' } };
    this.pending.add(slipId);
    try {
      const first = await this.offer(slipId);
      if (!first.ok) return first;
      let q = first;
      if (first.delayMs > 0) {
        await new Promise((r) => setTimeout(r, first.delayMs));
        const again = await this.offer(slipId);
        if (!again.ok) return again;
        if (again.suspensions.some((n, i) => n !== first.suspensions[i])) return unavailable('a leg\'s event was suspended during the cash-out delay');
        q = again;
      }
      if (q.offerMinor * 10_000 < seenOfferMinor * (10_000 - TOLERANCE_BPS)) {
        return { ok: false, error: { code: 'cashout/offer_changed', message: 'the offer changed', details: { currentOfferMinor: q.offerMinor } } };
      }
      const s = await this.slips.journal.load(slipId);
      if (s.state!.status !== 'accepted' || s.seq !== loaded.seq) return unavailable('the slip changed during the cash-out (a leg result arrived)');
      const event = { type: 'SlipCashedOut' as const, offerMinor: q.offerMinor, at: this.slips.now() };
      if (!(await this.slips.journal.append(slipId, s.seq, [event], event.at))) return unavailable('the slip changed during the cash-out (a leg result arrived)');
      const next = { state: evolveSlip(s.state, event), events: [...s.events, event], seq: s.seq + 1 };
      await this.slips.settleMoney(next);
      this.slips.log.info({ slipId, offerMinor: q.offerMinor }, 'slip cashed out');
      await Promise.all(next.state.legs.filter((l) => !l.result).map((l) => this.slips.rooms.release(l.eventId, slipId, l.legId, 'slip cashed out')));
      return { ok: true, slip: slipView(next.state), offerMinor: q.offerMinor };
    } finally {
      this.pending.delete(slipId);
    }
  }

  private async offer(slipId: string): Promise<Quote> {
    const { state } = await this.slips.journal.load(slipId);
    if (!state || state.status !== 'accepted') return unavailable(`the slip is ${state?.status ?? 'unknown'}`);
    const open = state.legs.map((l, i) => ({ l, i })).filter(({ l }) => !l.result);
    const quotes = await Promise.all(open.map(({ l }) => this.slips.rooms.quote(l.eventId, slipId, l.legId)));
    const fair: Array<number | null> = state.legs.map(() => null);
    let delayMs = 0;
    const suspensions: number[] = [];
    for (const [k, q] of quotes.entries()) {
      if (!q.ok) return unavailable(q.error.message);
      fair[open[k]!.i] = q.fairProb;
      if (q.inPlay) delayMs = Math.max(delayMs, q.delayMs);
      suspensions.push(q.suspensions);
    }
    const offerMinor = slipCashOutOffer(state, fair, this.slips.config.cashOutMarginBps);
    return offerMinor > 0 ? { ok: true, offerMinor, delayMs, suspensions } : unavailable('the offer would be zero');
  }
}
