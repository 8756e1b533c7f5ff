/**
 * The slip saga's state: a fold of the slip's own journal (stream `slip:<slipId>`), and the pure
 * decisions the bet-slip service takes on it (validation, settlement, cash-out offer, recovery).
 *
 *   SlipRequested → SlipStakeReserved → SlipLegsPrepared → SlipAccepted → SlipLegResulted… → SlipSettled (n)…
 *                └──────────────┴───────────────┴──▶ SlipRejected → SlipLegsReleased
 *   SlipAccepted → SlipCashedOut
 */
import { payoutOf } from '../sportsbook/money.ts';
import { combinedPriceMilli, potentialPayoutMinor } from './pricing.ts';
import { settleSlip } from './settlement.ts';
import { LEG_COUNTS, SLIP_TYPES, systemLines } from './systems.ts';
import type { MultiplesRejectionCode } from './codes.ts';
import type { AcceptancePolicy, LegResult, LegSelection, SlipSettlement, SlipSpec, SlipType } from './types.ts';
import { MAX_BUILDER_SELECTIONS } from './builder.ts';
import { MAX_PRICE_MILLI, MIN_PRICE_MILLI } from '../odds/index.ts';

export interface SlipLimits {
  minStakeMinor: number;
  maxStakeMinor: number;
  /** Per slip: the most it may ever pay. */
  maxPayoutMinor: number;
}

export interface SlipRequested { type: 'SlipRequested'; spec: SlipSpec; maxPayoutMinor: number; at: number }
export interface SlipStakeReserved { type: 'SlipStakeReserved'; at: number }
export interface SlipLegsPrepared { type: 'SlipLegsPrepared'; legs: Array<{ legId: string; priceMilli: number; inPlay: boolean; acceptAt: number }>; at: number }
export interface SlipAccepted { type: 'SlipAccepted'; prices: number[]; potentialPayoutMinor: number; at: number }
export interface SlipRejected { type: 'SlipRejected'; code: string; message: string; details?: Record<string, unknown>; at: number }
export interface SlipLegsReleased { type: 'SlipLegsReleased'; at: number }
export interface SlipLegResulted { type: 'SlipLegResulted'; legId: string; outcome: LegResult['outcome']; version: number; at: number }
/** The n-th settlement decision: what the slip is due in total now, and the change from what was paid. */
export interface SlipSettled { type: 'SlipSettled'; n: number; status: 'settled' | 'open'; payoutMinor: number; deltaMinor: number; at: number }
export interface SlipCashedOut { type: 'SlipCashedOut'; offerMinor: number; at: number }

export type SlipEvent = SlipRequested | SlipStakeReserved | SlipLegsPrepared | SlipAccepted | SlipRejected | SlipLegsReleased | SlipLegResulted | SlipSettled | SlipCashedOut;

export type SlipStatus = 'requested' | 'reserved' | 'prepared' | 'accepted' | 'rejected' | 'settled' | 'cashed_out';

export interface SlipLegState {
  legId: string;
  eventId: string;
  selections: LegSelection[];
  seenPriceMilli: number;
  /** Prepared, then accepted price; null before the prepare. */
  priceMilli: number | null;
  inPlay: boolean;
  acceptAt: number;
  result: LegResult | null;
}

export interface SlipState {
  spec: SlipSpec;
  maxPayoutMinor: number;
  status: SlipStatus;
  legs: SlipLegState[];
  requestedAt: number;
  lastAt: number;
  rejection: { code: string; message: string; details?: Record<string, unknown> } | null;
  /** The stake hold exists (until released or captured). */
  stakeReserved: boolean;
  legsReleased: boolean;
  potentialPayoutMinor: number;
  settlements: number;
  /** Gross amount paid to the player so far (settlements and corrections, or the cash-out). */
  paidMinor: number;
  settlement: SlipSettlement | null;
}

export function evolveSlip(state: SlipState | null, e: SlipEvent): SlipState {
  if (e.type === 'SlipRequested') {
    return {
      spec: e.spec, maxPayoutMinor: e.maxPayoutMinor, status: 'requested', requestedAt: e.at, lastAt: e.at, rejection: null, stakeReserved: false, legsReleased: false,
      potentialPayoutMinor: potentialPayoutMinor(e.spec.stakePerLineMinor, e.spec.lines, e.spec.legs.map((l) => l.priceMilli)),
      legs: e.spec.legs.map((l) => ({ legId: l.legId, eventId: l.eventId, selections: l.selections, seenPriceMilli: l.priceMilli, priceMilli: null, inPlay: false, acceptAt: e.at, result: null })),
      settlements: 0, paidMinor: 0, settlement: null,
    };
  }
  if (!state) throw new Error(`slip journal starts with ${e.type}, not SlipRequested`);
  const s: SlipState = { ...state, lastAt: e.at };
  switch (e.type) {
    case 'SlipStakeReserved':
      return { ...s, status: 'reserved', stakeReserved: true };
    case 'SlipLegsPrepared':
      return { ...s, status: 'prepared', legs: s.legs.map((l) => { const p = e.legs.find((x) => x.legId === l.legId); return p ? { ...l, priceMilli: p.priceMilli, inPlay: p.inPlay, acceptAt: p.acceptAt } : l; }) };
    case 'SlipAccepted':
      return { ...s, status: 'accepted', potentialPayoutMinor: e.potentialPayoutMinor, legs: s.legs.map((l, i) => ({ ...l, priceMilli: e.prices[i]! })) };
    case 'SlipRejected':
      return { ...s, status: 'rejected', rejection: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
    case 'SlipLegsReleased':
      return { ...s, legsReleased: true };
    case 'SlipLegResulted':
      return { ...s, legs: s.legs.map((l) => (l.legId === e.legId ? { ...l, result: { outcome: e.outcome, version: e.version } } : l)) };
    case 'SlipSettled':
      return { ...s, status: e.status === 'settled' ? 'settled' : 'accepted', settlements: e.n, paidMinor: s.paidMinor + e.deltaMinor, settlement: settlementOf(s) };
    case 'SlipCashedOut':
      return { ...s, status: 'cashed_out', paidMinor: e.offerMinor };
  }
}

export function replaySlip(events: readonly SlipEvent[]): SlipState | null {
  let s: SlipState | null = null;
  for (const e of events) s = evolveSlip(s, e);
  return s;
}

// ---------------------------------------------------------------- validation

export interface SlipRequest {
  slipId: string;
  type: SlipType;
  stakePerLineMinor: number;
  acceptance: AcceptancePolicy;
  legs: Array<{ eventId: string; selections: LegSelection[]; priceMilli: number; acceptance?: AcceptancePolicy }>;
}

type Refusal = { code: MultiplesRejectionCode; message: string; details?: Record<string, unknown> };
const POLICIES: readonly AcceptancePolicy[] = ['exact', 'better', 'any'];
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64 && /^[A-Za-z0-9_.:-]+$/.test(v);

/** The slip as placed (ids, lines, total stake), or why it is refused. Nothing is journaled for a refusal. */
export function validateSlip(playerId: string, r: SlipRequest, limits: SlipLimits): { ok: true; spec: SlipSpec } | { ok: false; refusal: Refusal } {
  const bad = (message: string): { ok: false; refusal: Refusal } => ({ ok: false, refusal: { code: 'slip/invalid', message } });
  if (!isId(r.slipId)) return bad('slipId: 1..64 letters, digits and _ . : -');
  if (!SLIP_TYPES.includes(r.type)) return bad(`type: one of ${SLIP_TYPES.join(', ')}`);
  if (!POLICIES.includes(r.acceptance)) return bad('acceptance: exact, better or any');
  if (!Array.isArray(r.legs)) return bad('legs: a list');
  const lines = systemLines(r.type, r.legs.length);
  if (!lines) return bad(`${r.type} takes ${LEG_COUNTS[r.type][0]}..${LEG_COUNTS[r.type][1]} legs`);
  const events = new Set<string>();
  for (const l of r.legs) {
    if (!isId(l.eventId)) return bad('leg eventId: 1..64 letters, digits and _ . : -');
    if (events.has(l.eventId)) return { ok: false, refusal: { code: 'slip/same_event', message: `two legs on event ${l.eventId}: combine selections of one event in a bet builder leg` } };
    events.add(l.eventId);
    if (!Number.isInteger(l.priceMilli) || l.priceMilli < MIN_PRICE_MILLI || l.priceMilli > MAX_PRICE_MILLI) return bad(`leg priceMilli: an integer in [${MIN_PRICE_MILLI}, ${MAX_PRICE_MILLI}]`);
    if (l.acceptance !== undefined && !POLICIES.includes(l.acceptance)) return bad('leg acceptance: exact, better or any');
    if (!Array.isArray(l.selections) || l.selections.length < 1 || l.selections.length > MAX_BUILDER_SELECTIONS) return bad(`leg selections: 1..${MAX_BUILDER_SELECTIONS}`);
    for (const s of l.selections) if (!isId(s?.marketId) || !isId(s?.selectionId)) return bad('selection: marketId and selectionId');
  }
  if (!Number.isSafeInteger(r.stakePerLineMinor) || r.stakePerLineMinor <= 0) return bad('stakePerLineMinor: a positive integer');
  const totalStakeMinor = r.stakePerLineMinor * lines.length;
  if (totalStakeMinor < limits.minStakeMinor || totalStakeMinor > limits.maxStakeMinor) {
    return { ok: false, refusal: { code: 'slip/stake_limit', message: 'total stake outside the limits', details: { minStakeMinor: limits.minStakeMinor, maxStakeMinor: limits.maxStakeMinor } } };
  }
  const legs = r.legs.map((l, i) => ({
    legId: String(i + 1), eventId: l.eventId, selections: l.selections.map((s) => ({ marketId: s.marketId, selectionId: s.selectionId })), priceMilli: l.priceMilli, acceptance: l.acceptance ?? r.acceptance,
  }));
  const potential = potentialPayoutMinor(r.stakePerLineMinor, lines, legs.map((l) => l.priceMilli));
  if (potential > limits.maxPayoutMinor) {
    return { ok: false, refusal: { code: 'slip/payout_limit', message: 'the slip could pay more than the maximum payout per bet', details: { maxPayoutMinor: limits.maxPayoutMinor, potentialPayoutMinor: potential } } };
  }
  return { ok: true, spec: { slipId: r.slipId, playerId, type: r.type, legs, stakePerLineMinor: r.stakePerLineMinor, lines, totalStakeMinor } };
}

/** Accepted prices checked against the per-slip payout limit: SlipAccepted, or the refusal. */
export function acceptance(state: SlipState, prices: readonly number[], at: number): SlipAccepted | SlipRejected {
  const potential = potentialPayoutMinor(state.spec.stakePerLineMinor, state.spec.lines, prices);
  if (potential > state.maxPayoutMinor) {
    return { type: 'SlipRejected', code: 'slip/payout_limit', message: 'at the accepted prices the slip could pay more than the maximum payout', details: { maxPayoutMinor: state.maxPayoutMinor, potentialPayoutMinor: potential }, at };
  }
  return { type: 'SlipAccepted', prices: [...prices], potentialPayoutMinor: potential, at };
}

// ---------------------------------------------------------------- settlement

function settlementOf(s: SlipState): SlipSettlement {
  return settleSlip(s.spec.lines, s.spec.stakePerLineMinor, s.legs.map((l) => l.priceMilli ?? 0), s.legs.map((l) => l.result), s.maxPayoutMinor);
}

/**
 * A leg's result reaches the slip: recorded if newer than the one it has (a redelivery changes
 * nothing), then the slip is settled again: SlipSettled when what it is due changed (first
 * settlement, a correction after a re-settled leg, or back to open with what was paid taken back).
 */
export function onLegResult(state: SlipState, legId: string, result: LegResult, at: number): SlipEvent[] {
  if (state.status !== 'accepted' && state.status !== 'settled') return [];
  const leg = state.legs.find((l) => l.legId === legId);
  if (!leg || (leg.result && leg.result.version >= result.version)) return [];
  const recorded: SlipLegResulted = { type: 'SlipLegResulted', legId, outcome: result.outcome, version: result.version, at };
  const next = evolveSlip(state, recorded);
  const settled = settlementDecision(next, at);
  return settled ? [recorded, settled] : [recorded];
}

/** SlipSettled when the slip's due amount or status changed, else null. */
export function settlementDecision(state: SlipState, at: number): SlipSettled | null {
  if (state.status !== 'accepted' && state.status !== 'settled') return null;
  const s = settlementOf(state);
  const due = s.status === 'settled' ? s.payoutMinor : 0;
  const status = s.status;
  const wasSettled = state.status === 'settled';
  if (status === 'open' && !wasSettled) return null;
  if (status === 'settled' && wasSettled && due === state.paidMinor) return null;
  return { type: 'SlipSettled', n: state.settlements + 1, status, payoutMinor: due, deltaMinor: due - state.paidMinor, at };
}

// ---------------------------------------------------------------- cash-out

/**
 * Cash-out offer of an open slip from the current fair probabilities of its open legs:
 *   offer = floor(Σ_lines payout_line × Π_{open legs j of the line} fairProb_j × (1 − marginBps/10 000))
 * where payout_line is the line's payout at its accepted prices over its won and open legs (void
 * legs drop out), and lines with a lost leg count 0. `fairProb[i]` is null for legs with a result.
 * Returns 0 when nothing is left to offer.
 */
export function slipCashOutOffer(state: SlipState, fairProb: ReadonlyArray<number | null>, marginBps: number): number {
  let value = 0;
  for (const line of state.spec.lines) {
    let p = 1;
    const prices: number[] = [];
    let lost = false;
    for (const i of line) {
      const leg = state.legs[i]!;
      if (leg.result?.outcome === 'lost') lost = true;
      else if (leg.result?.outcome === 'won') prices.push(leg.priceMilli!);
      else if (!leg.result) {
        prices.push(leg.priceMilli!);
        p *= fairProb[i] ?? 0;
      }
    }
    if (lost) continue;
    value += payoutOf(state.spec.stakePerLineMinor, combinedPriceMilli(prices)) * p;
  }
  return Math.max(0, Math.floor(value * (10_000 - marginBps) / 10_000));
}

// ---------------------------------------------------------------- recovery

/**
 * What recovery does with a slip whose saga stopped (the process driving it died, or a step failed
 * and was left): a slip not yet accepted is rejected (`slip/interrupted`: the player was never told
 * it stood); a rejected slip gets its legs released and its stake released; an accepted or settled
 * one is re-settled from its recorded results (money keys make a repeat a replay).
 */
export function recoveryAction(state: SlipState): 'reject' | 'release' | 'settle' | 'none' {
  switch (state.status) {
    case 'requested':
    case 'reserved':
    case 'prepared':
      return 'reject';
    case 'rejected':
      return state.legsReleased ? 'none' : 'release';
    case 'accepted':
    case 'settled':
      return 'settle';
    default:
      return 'none';
  }
}
