/**
 * The event room's side of multiples (actors/multiples/legs.ts), kept out of MarketRoom: the leg
 * book next to the event actor, the replies of the leg methods the bet-slip service calls through
 * `callRoom`, leg results after market results, and their delivery to the slip service.
 */
import {
  EMPTY_LEG_BOOK, acceptLeg, evolveLegs, getLeg, jointProbability, legResults, prepareLeg, recoverLegs, releaseLeg,
  type LegBook, type LegEvent, type LegResulted, type LegSelection, type PrepareLegCommand,
} from '../../actors/multiples/index.ts';
import { findMarket, isInPlay, marketBlock } from '../../actors/sportsbook/markets.ts';
import type { EventState, SportsEvent } from '../../actors/sportsbook/index.ts';
import type { Logger } from '../../server/logger.ts';
import { fail, type Reply } from '../messages.ts';
import { notifySlip } from './services.ts';

export type MarketEvent = SportsEvent | LegEvent;

/** Events after which a leg may have a result: market results and goals (team-scores selections). */
const RESULTING = new Set(['MarketSettled', 'MarketVoided', 'MarketResettled', 'FeedApplied', 'StateCorrected', 'EventSettledByOperator']);
/** Events that suspend markets: a leg in its delay is then rejected at acceptance; cash-outs compare this count. */
const SUSPENDING = new Set(['MarketsSuspended', 'EventSuspended', 'MarketSuspended']);

export type PrepareLegArgs = Omit<PrepareLegCommand, 'now' | 'builderOverround'>;
export type PrepareLegReply = Reply<{ priceMilli: number; inPlay: boolean; acceptAt: number }>;
export type AcceptLegReply = Reply<{ priceMilli: number }>;
export type LegQuoteReply = Reply<{ fairProb: number; inPlay: boolean; delayMs: number; suspensions: number }>;
export type LegStatusReply = Reply<{ legs: Array<{ legId: string; status: string; result: { outcome: 'won' | 'lost' | 'void'; version: number } | null }> }>;

export class EventLegs {
  book: LegBook = EMPTY_LEG_BOOK;
  /** Suspensions applied so far (deterministic from the journal). */
  suspensions = 0;

  constructor(
    private readonly eventId: string,
    private readonly log: Logger,
    private readonly builderOverround: number,
  ) {}

  apply(e: MarketEvent): void {
    if (SUSPENDING.has(e.type)) this.suspensions++;
    this.book = evolveLegs(this.book, e);
  }

  prepare(ev: EventState | null, args: PrepareLegArgs, now: number) {
    return prepareLeg(this.book, ev, { ...args, builderOverround: this.builderOverround, now });
  }

  preparedReply(args: PrepareLegArgs): PrepareLegReply {
    const leg = getLeg(this.book, args.slipId, args.legId)!;
    return { ok: true, priceMilli: leg.priceMilli, inPlay: leg.inPlay, acceptAt: leg.acceptAt };
  }

  accept(ev: EventState | null, slipId: string, legId: string, now: number) {
    return acceptLeg(this.book, ev, { slipId, legId, builderOverround: this.builderOverround, now });
  }

  acceptedReply(slipId: string, legId: string): AcceptLegReply {
    const leg = getLeg(this.book, slipId, legId)!;
    if (leg.status === 'accepted') return { ok: true, priceMilli: leg.priceMilli };
    return fail('leg/rejected', 'the leg was rejected at the end of its delay', { code: leg.rejectionCode ?? leg.status });
  }

  release(slipId: string, legId: string, reason: string, now: number) {
    return releaseLeg(this.book, { slipId, legId, reason, now });
  }

  /** The current fair probability of an accepted, open leg (for a slip's cash-out). */
  quote(ev: EventState | null, slipId: string, legId: string, now: number): LegQuoteReply {
    const leg = getLeg(this.book, slipId, legId);
    if (!ev || !leg || leg.status !== 'accepted') return fail('leg/not_found', 'no accepted leg of this slip at this event');
    if (leg.result) return fail('cashout/unavailable', 'the leg has a result');
    let fairProb: number;
    if (leg.selections.length === 1) {
      const s = leg.selections[0]!;
      const market = findMarket(ev, s.marketId);
      if (!market || marketBlock(ev, market)) return fail('cashout/unavailable', `market ${s.marketId} is suspended or closed`);
      fairProb = market.selections.find((x) => x.selectionId === s.selectionId)?.fairProb ?? 0;
    } else {
      for (const s of leg.selections) {
        const market = findMarket(ev, s.marketId);
        if ((market && marketBlock(ev, market)) || ev.autoSuspension || ev.operatorSuspension) return fail('cashout/unavailable', 'a market of the builder is suspended or closed');
      }
      fairProb = jointProbability(ev, leg.selections as LegSelection[]);
    }
    return { ok: true, fairProb, inPlay: isInPlay(ev, now), delayMs: ev.config.betDelayMs, suspensions: this.suspensions };
  }

  status(slipId: string): LegStatusReply {
    const legs = Object.values(this.book.legs).filter((l) => l.slipId === slipId).map((l) => ({ legId: l.legId, status: l.status, result: l.result }));
    return { ok: true, legs };
  }

  /** After restart: prepared legs are rejected (their delay was not watched). */
  recovered(now: number): LegEvent[] {
    return recoverLegs(this.book, now);
  }

  /** New leg results the committed events imply (none unless they could result a leg). */
  resultsAfter(events: readonly MarketEvent[], ev: EventState | null, now: number): LegResulted[] {
    if (!ev || this.book.count === 0 || !events.some((e) => RESULTING.has(e.type))) return [];
    return legResults(this.book, ev, now);
  }

  /** Every result this event holds, for re-delivery after a rebuild (the slip ignores what it has). */
  allResults(): LegResulted[] {
    return Object.values(this.book.legs)
      .filter((l) => l.status === 'accepted' && l.result)
      .map((l) => ({ type: 'LegResulted' as const, slipId: l.slipId, legId: l.legId, playerId: l.playerId, outcome: l.result!.outcome, version: l.result!.version, at: 0 }));
  }

  /** Tells the slip service; a failure waits for the slip's own sweep (it asks the event again). */
  deliver(results: readonly MarketEvent[]): void {
    const notify = notifySlip();
    if (!notify) return;
    for (const e of results) {
      if (e.type !== 'LegResulted') continue;
      notify({ slipId: e.slipId, legId: e.legId, outcome: e.outcome, version: e.version }).catch((err) =>
        this.log.warn({ err, eventId: this.eventId, slipId: e.slipId, legId: e.legId }, 'could not deliver a leg result to its slip: the slip sweep will ask again'),
      );
    }
  }
}
