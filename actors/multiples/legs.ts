/**
 * The event's side of multiples: the legs of slips registered with this event (the "leg book"),
 * kept next to the event actor's state and journaled in the event's journal. A leg is prepared
 * (checked, priced, its exposure counted), then accepted when its delay ends (or rejected), or
 * released when its slip is rejected; once accepted it gets a result from the event's market results
 * (and a new one, with a higher version, when a re-settlement changes it). Pure: the event state is
 * read, never changed; time arrives in the commands.
 *
 * Protocol (the slip service is the coordinator; docs/SPORTSBOOK.md "Multiples"):
 *   prepareLeg  → LegPrepared  (or a refusal, nothing journaled)
 *   acceptLeg   → LegAccepted | LegRejected   (after the leg's delay, on the state then)
 *   releaseLeg  → LegReleased  (also for a leg never seen: a tombstone, so a late prepare is refused)
 *   legResults  → LegResulted  (after market results)
 */
import { accept, reject, type Decision } from '../decision.ts';
import { selectionKey } from '../odds/index.ts';
import { effectiveLimits, policyAllows } from '../sportsbook/limits.ts';
import { findMarket, isInPlay, marketBlock, tradingClosed } from '../sportsbook/markets.ts';
import type { EventState, SportsEvent } from '../sportsbook/types.ts';
import { liabilityOfSelection } from '../sportsbook/view.ts';
import { builderQuote, DEFAULT_BUILDER_OVERROUND, MAX_BUILDER_SELECTIONS, TEAM_SCORES_MARKETS } from './builder.ts';
import type { MultiplesRejectionCode } from './codes.ts';
import type { AcceptancePolicy, LegOutcome, LegResult, LegSelection } from './types.ts';

export type LegStatus = 'prepared' | 'accepted' | 'rejected' | 'released';

export interface LegRecord {
  slipId: string;
  legId: string;
  playerId: string;
  selections: LegSelection[];
  seenPriceMilli: number;
  /** Prepared: the price then; accepted: the accepted price. */
  priceMilli: number;
  acceptance: AcceptancePolicy;
  /** Weighted exposure the leg's slip puts on each of its selections (liability.ts). */
  exposureMinor: number;
  status: LegStatus;
  inPlay: boolean;
  acceptAt: number;
  /** A suspension hit the leg's market during its delay: acceptance will reject it. */
  interrupted: boolean;
  result: LegResult | null;
  /** Why it was rejected (LegRejected), for a repeated acceptance. */
  rejectionCode?: string;
}

export interface LegBook {
  legs: Record<string, LegRecord>;
  /** Multiples' exposure by 'marketId:selectionId' (team-scores selections included). */
  exposureMinor: Record<string, number>;
  /** Legs in 'prepared' (fast path for suspension events). */
  prepared: number;
  count: number;
}

export const EMPTY_LEG_BOOK: LegBook = { legs: {}, exposureMinor: {}, prepared: 0, count: 0 };

export interface LegPrepared {
  type: 'LegPrepared';
  slipId: string;
  legId: string;
  playerId: string;
  selections: LegSelection[];
  seenPriceMilli: number;
  priceMilli: number;
  acceptance: AcceptancePolicy;
  exposureMinor: number;
  inPlay: boolean;
  acceptAt: number;
  at: number;
}
export interface LegAccepted { type: 'LegAccepted'; slipId: string; legId: string; priceMilli: number; at: number }
export interface LegRejected { type: 'LegRejected'; slipId: string; legId: string; code: string; message: string; at: number }
export interface LegReleased { type: 'LegReleased'; slipId: string; legId: string; reason: string; at: number }
export interface LegResulted { type: 'LegResulted'; slipId: string; legId: string; playerId: string; outcome: LegOutcome; version: number; at: number }

export type LegEvent = LegPrepared | LegAccepted | LegRejected | LegReleased | LegResulted;

export const LEG_EVENT_TYPES: ReadonlySet<string> = new Set(['LegPrepared', 'LegAccepted', 'LegRejected', 'LegReleased', 'LegResulted']);

export function isLegEvent(e: { type: string }): e is LegEvent {
  return LEG_EVENT_TYPES.has(e.type);
}

export const legKey = (slipId: string, legId: string): string => `${slipId}:${legId}`;

export function getLeg(book: LegBook, slipId: string, legId: string): LegRecord | undefined {
  return book.legs[legKey(slipId, legId)];
}

export interface PrepareLegCommand {
  slipId: string;
  legId: string;
  playerId: string;
  selections: LegSelection[];
  priceMilli: number;
  acceptance: AcceptancePolicy;
  exposureMinor: number;
  builderOverround?: number;
  now: number;
}

type Result = Decision<LegEvent>;
const refuse = (code: MultiplesRejectionCode | string, message: string, details?: Record<string, unknown>): Result => reject(code, message, details);

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 128;

/** Why this selection cannot be backed now, or null. */
function selectionBlock(ev: EventState, s: LegSelection): { code: string; message: string } | null {
  if ((TEAM_SCORES_MARKETS as readonly string[]).includes(s.marketId)) {
    if (tradingClosed(ev)) return { code: 'bet/market_closed', message: 'the event is closed for betting' };
    if (ev.autoSuspension || ev.operatorSuspension) return { code: 'bet/market_suspended', message: 'the event is suspended' };
    return null;
  }
  const market = findMarket(ev, s.marketId);
  if (!market) return { code: 'bet/unknown_market', message: `no market ${s.marketId}` };
  const selection = market.selections.find((x) => x.selectionId === s.selectionId);
  if (!selection) return { code: 'bet/invalid_selection', message: `no selection ${s.selectionId} in ${s.marketId}` };
  const block = marketBlock(ev, market);
  if (block) return { code: block, message: `market ${s.marketId} is ${block === 'bet/market_closed' ? 'closed' : 'suspended'}` };
  if (selection.priceMilli <= 0) return { code: 'bet/selection_closed', message: `${s.marketId}/${s.selectionId} is not offered` };
  return null;
}

/** The leg's current price: the selection's quote, or the bet builder's joint price. */
export function legPrice(ev: EventState, selections: readonly LegSelection[], builderOverround = DEFAULT_BUILDER_OVERROUND): { ok: true; priceMilli: number } | { ok: false; code: string; message: string } {
  for (const s of selections) {
    const block = selectionBlock(ev, s);
    if (block) return { ok: false, ...block };
  }
  if (selections.length === 1) {
    const s = selections[0]!;
    const selection = findMarket(ev, s.marketId)?.selections.find((x) => x.selectionId === s.selectionId);
    if (!selection) return { ok: false, code: 'builder/invalid_selection', message: `${s.marketId} is offered only inside a bet builder` };
    return { ok: true, priceMilli: selection.priceMilli };
  }
  const q = builderQuote(ev, selections, builderOverround);
  return q.ok ? { ok: true, priceMilli: q.priceMilli } : { ok: false, ...q.refusal };
}

export function prepareLeg(book: LegBook, ev: EventState | null, cmd: PrepareLegCommand): Result {
  if (!ev) return refuse('event/not_found', 'the event is not ready');
  if (!isId(cmd.slipId) || !isId(cmd.legId) || !isId(cmd.playerId) || !Number.isSafeInteger(cmd.now) || !Number.isSafeInteger(cmd.exposureMinor) || cmd.exposureMinor < 0) {
    return refuse('slip/invalid', 'prepareLeg needs ids, a non-negative integer exposure and a time');
  }
  if (!Array.isArray(cmd.selections) || cmd.selections.length < 1 || cmd.selections.length > MAX_BUILDER_SELECTIONS) return refuse('slip/invalid', 'a leg has 1..6 selections');
  const existing = getLeg(book, cmd.slipId, cmd.legId);
  if (existing) {
    if (existing.status === 'released') return refuse('leg/released', 'the leg was released: its slip was rejected');
    if (existing.status === 'rejected') return refuse('leg/rejected', 'the leg was rejected');
    if (existing.playerId !== cmd.playerId) return refuse('slip/duplicate', 'this leg id belongs to another player');
    return accept(); // a retry of the prepare: the record stands
  }
  if (book.count >= ev.config.maxBetsPerEvent) return refuse('bet/event_limit', 'the event takes no more legs');
  const price = legPrice(ev, cmd.selections, cmd.builderOverround);
  if (!price.ok) return refuse(price.code, price.message);
  if (!policyAllows(cmd.acceptance, cmd.priceMilli, price.priceMilli)) {
    return refuse('bet/price_changed', `the price moved to ${price.priceMilli}`, { currentPriceMilli: price.priceMilli });
  }
  const maxLiability = effectiveLimits(ev).maxLiabilityPerSelectionMinor;
  for (const s of cmd.selections) {
    const key = selectionKey(s.marketId, s.selectionId);
    const total = liabilityOfSelection(ev, s.marketId, s.selectionId) + (book.exposureMinor[key] ?? 0) + cmd.exposureMinor;
    if (total > maxLiability) return refuse('bet/liability_limit', `${key} is at its liability limit`, { maxLiabilityMinor: maxLiability });
  }
  const inPlay = isInPlay(ev, cmd.now);
  return accept<LegEvent>({
    type: 'LegPrepared', slipId: cmd.slipId, legId: cmd.legId, playerId: cmd.playerId, selections: cmd.selections.map((s) => ({ marketId: s.marketId, selectionId: s.selectionId })),
    seenPriceMilli: cmd.priceMilli, priceMilli: price.priceMilli, acceptance: cmd.acceptance, exposureMinor: cmd.exposureMinor,
    inPlay, acceptAt: inPlay ? cmd.now + ev.config.betDelayMs : cmd.now, at: cmd.now,
  });
}

/** At the end of the leg's delay: accepted at the current price if nothing got in the way. */
export function acceptLeg(book: LegBook, ev: EventState | null, cmd: { slipId: string; legId: string; builderOverround?: number; now: number }): Result {
  const leg = getLeg(book, cmd.slipId, cmd.legId);
  if (!ev || !leg) return refuse('leg/not_found', 'no such leg at this event');
  if (leg.status === 'released') return refuse('leg/released', 'the leg was released: its slip was rejected');
  if (leg.status === 'rejected') return refuse('leg/rejected', 'the leg was rejected', { code: leg.rejectionCode ?? 'unknown' });
  if (leg.status === 'accepted') return accept();
  if (cmd.now < leg.acceptAt) return refuse('leg/delay_running', 'the leg is in its delay', { acceptAt: leg.acceptAt });
  const rejected = (code: string, message: string): Result => accept<LegEvent>({ type: 'LegRejected', slipId: leg.slipId, legId: leg.legId, code, message, at: cmd.now });
  if (leg.interrupted) return rejected('bet/market_suspended', 'a market of the leg was suspended during its delay');
  const price = legPrice(ev, leg.selections, cmd.builderOverround);
  if (!price.ok) return rejected(price.code, price.message);
  if (!policyAllows(leg.acceptance, leg.seenPriceMilli, price.priceMilli)) return rejected('bet/price_changed', `the price moved to ${price.priceMilli}`);
  return accept<LegEvent>({ type: 'LegAccepted', slipId: leg.slipId, legId: leg.legId, priceMilli: price.priceMilli, at: cmd.now });
}

/** The slip was rejected: the leg is released (a tombstone when it was never prepared here). */
export function releaseLeg(book: LegBook, cmd: { slipId: string; legId: string; reason: string; now: number }): Result {
  const leg = getLeg(book, cmd.slipId, cmd.legId);
  if (leg && (leg.status === 'released' || leg.status === 'rejected')) return accept();
  if (!isId(cmd.slipId) || !isId(cmd.legId)) return refuse('slip/invalid', 'releaseLeg needs ids');
  return accept<LegEvent>({ type: 'LegReleased', slipId: cmd.slipId, legId: cmd.legId, reason: String(cmd.reason).slice(0, 200), at: cmd.now });
}

/** After a restart: legs still in 'prepared' are rejected (their delay was not watched; like single bets). */
export function recoverLegs(book: LegBook, now: number): LegEvent[] {
  if (book.prepared === 0) return [];
  return Object.values(book.legs)
    .filter((l) => l.status === 'prepared')
    .map((l) => ({ type: 'LegRejected' as const, slipId: l.slipId, legId: l.legId, code: 'bet/interrupted', message: 'the event restarted during the leg\'s delay', at: now }));
}

function selectionOutcome(ev: EventState, s: LegSelection): LegOutcome | null {
  if (s.marketId === 'home_scores' || s.marketId === 'away_scores') {
    const goals = s.marketId === 'home_scores' ? ev.score.home : ev.score.away;
    const scored = goals > 0 ? true : ev.phase === 'finished' ? false : null;
    if (scored === null) return ev.phase === 'abandoned' ? 'void' : null;
    return scored === (s.selectionId === 'yes') ? 'won' : 'lost';
  }
  const result = findMarket(ev, s.marketId)?.result;
  if (!result) return null;
  if (result.kind === 'void') return 'void';
  return result.selectionId === s.selectionId ? 'won' : 'lost';
}

/** A leg's outcome from the event's market results: lost if any selection lost, open if any is undecided, void if any is void, else won. */
export function legOutcome(ev: EventState, selections: readonly LegSelection[]): LegOutcome | null {
  const outcomes = selections.map((s) => selectionOutcome(ev, s));
  if (outcomes.includes('lost')) return 'lost';
  if (outcomes.includes(null)) return null;
  if (outcomes.includes('void')) return 'void';
  return 'won';
}

/** LegResulted for every accepted leg whose outcome is new or changed (a re-settlement bumps the version). */
export function legResults(book: LegBook, ev: EventState, at: number): LegResulted[] {
  const out: LegResulted[] = [];
  for (const leg of Object.values(book.legs)) {
    if (leg.status !== 'accepted') continue;
    const outcome = legOutcome(ev, leg.selections);
    if (outcome === null || outcome === leg.result?.outcome) continue;
    out.push({ type: 'LegResulted', slipId: leg.slipId, legId: leg.legId, playerId: leg.playerId, outcome, version: (leg.result?.version ?? 0) + 1, at });
  }
  return out;
}

// ---------------------------------------------------------------- evolve

function addExposure(book: LegBook, leg: LegRecord, sign: 1 | -1): Record<string, number> {
  if (leg.exposureMinor === 0) return book.exposureMinor;
  const next = { ...book.exposureMinor };
  for (const s of leg.selections) {
    const key = selectionKey(s.marketId, s.selectionId);
    const v = (next[key] ?? 0) + sign * leg.exposureMinor;
    if (v === 0) delete next[key];
    else next[key] = v;
  }
  return next;
}

function withLeg(book: LegBook, leg: LegRecord, patch: Partial<LegBook> = {}): LegBook {
  return { ...book, ...patch, legs: { ...book.legs, [legKey(leg.slipId, leg.legId)]: leg } };
}

function markInterrupted(book: LegBook, marketId: string | null): LegBook {
  if (book.prepared === 0) return book;
  let legs: Record<string, LegRecord> | null = null;
  for (const [key, leg] of Object.entries(book.legs)) {
    if (leg.status !== 'prepared' || !leg.inPlay || leg.interrupted) continue;
    if (marketId !== null && !leg.selections.some((s) => s.marketId === marketId)) continue;
    legs ??= { ...book.legs };
    legs[key] = { ...leg, interrupted: true };
  }
  return legs ? { ...book, legs } : book;
}

/** Applies a leg event, or the suspension side of an event's own events (other events change nothing). */
export function evolveLegs(book: LegBook, e: LegEvent | SportsEvent): LegBook {
  switch (e.type) {
    case 'MarketsSuspended':
    case 'EventSuspended':
      return markInterrupted(book, null);
    case 'MarketSuspended':
      return markInterrupted(book, e.marketId);
    case 'LegPrepared': {
      const leg: LegRecord = {
        slipId: e.slipId, legId: e.legId, playerId: e.playerId, selections: e.selections, seenPriceMilli: e.seenPriceMilli, priceMilli: e.priceMilli,
        acceptance: e.acceptance, exposureMinor: e.exposureMinor, status: 'prepared', inPlay: e.inPlay, acceptAt: e.acceptAt, interrupted: false, result: null,
      };
      return withLeg(book, leg, { exposureMinor: addExposure(book, leg, 1), prepared: book.prepared + 1, count: book.count + 1 });
    }
    case 'LegAccepted': {
      const leg = getLeg(book, e.slipId, e.legId);
      if (!leg || leg.status !== 'prepared') return book;
      return withLeg(book, { ...leg, status: 'accepted', priceMilli: e.priceMilli }, { prepared: book.prepared - 1 });
    }
    case 'LegRejected':
    case 'LegReleased': {
      const leg = getLeg(book, e.slipId, e.legId);
      const status: LegStatus = e.type === 'LegRejected' ? 'rejected' : 'released';
      if (!leg) {
        const tombstone: LegRecord = { slipId: e.slipId, legId: e.legId, playerId: '', selections: [], seenPriceMilli: 0, priceMilli: 0, acceptance: 'exact', exposureMinor: 0, status, inPlay: false, acceptAt: 0, interrupted: false, result: null };
        return withLeg(book, tombstone, { count: book.count + 1 });
      }
      if (leg.status === 'rejected' || leg.status === 'released') return book;
      const counted = leg.result === null;
      return withLeg(book, { ...leg, status, ...(e.type === 'LegRejected' ? { rejectionCode: e.code } : {}) }, { exposureMinor: counted ? addExposure(book, leg, -1) : book.exposureMinor, prepared: book.prepared - (leg.status === 'prepared' ? 1 : 0) });
    }
    case 'LegResulted': {
      const leg = getLeg(book, e.slipId, e.legId);
      if (!leg) return book;
      const first = leg.result === null;
      return withLeg(book, { ...leg, result: { outcome: e.outcome, version: e.version } }, { exposureMinor: first && leg.status === 'accepted' ? addExposure(book, leg, -1) : book.exposureMinor });
    }
    default:
      return book;
  }
}

