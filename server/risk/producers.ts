/**
 * The producers' events as risk events (docs/FRAUD.md, "The event stream"). Each event id is
 * derived from what happened, so publishing the same fact twice (a retry, a rebuilt room, a
 * duplicated webhook) is recognised downstream.
 */
import type { RiskEvent } from '../../actors/risk/index.ts';
import { getBet, type EventState, type SportsEvent } from '../../actors/sportsbook/index.ts';
import type { PaymentState, PaymentStatus } from '../../actors/payments/payment.ts';

/** Feed incidents that suspend markets: the moments a latency bettor races. */
const INCIDENTS = new Set(['goal', 'red_card', 'penalty']);
/** Events kept for the kick-off prices (closing prices of pre-match bets). */
const MAX_EVENTS = 2_000;
const closingPrices = new Map<string, Map<string, number>>();

function rememberKickOff(ev: EventState): void {
  const prices = new Map<string, number>();
  for (const m of ev.markets) for (const s of m.selections) if (s.priceMilli > 0) prices.set(`${m.marketId}/${s.selectionId}`, s.priceMilli);
  closingPrices.set(ev.eventId, prices);
  if (closingPrices.size > MAX_EVENTS) closingPrices.delete(closingPrices.keys().next().value!);
}

/**
 * Called by the market room as it applies each event (live and on replay): at the kick-off it
 * keeps the prices then offered, the last pre-match prices — the closing line of pre-match bets.
 * A room rebuilt from its journal replays the kick-off and keeps them again.
 */
export function noteClosingPrices(ev: EventState | null, e: SportsEvent): void {
  if (ev && e.type === 'FeedApplied' && e.message.type === 'kick_off') rememberKickOff(ev);
}

/**
 * A market room's durable events as risk events. A pre-match bet settles with its selection's
 * closing price (see noteClosingPrices); null when this process never applied the event's
 * kick-off (the bet then counts for nothing in closing-line value).
 */
export function marketRiskEvents(eventId: string, events: ReadonlyArray<{ type: string }>, ev: EventState): RiskEvent[] {
  const out: RiskEvent[] = [];
  // Other events of the room (multiples' legs) fall through the switch: not risk events (yet).
  for (const e of events as readonly SportsEvent[]) {
    switch (e.type) {
      case 'MarketsSuspended':
        if (INCIDENTS.has(e.reason)) out.push({ type: 'incident', id: `incident:${eventId}:${e.at}:${e.reason}`, at: e.at, eventId, kind: e.reason });
        break;
      case 'BetAccepted':
      case 'BetRejected': {
        const bet = getBet(ev, e.betId);
        if (!bet) break;
        const status = e.type === 'BetAccepted' ? 'accepted' : 'rejected';
        out.push({
          type: 'bet', id: `bet:${eventId}:${e.betId}:${status}`, at: e.at, playerId: bet.playerId, betId: e.betId, eventId, marketId: bet.marketId, selectionId: bet.selectionId,
          stakeMinor: bet.stakeMinor, priceMilli: Math.max(1000, bet.priceMilli), inPlay: bet.acceptAt > bet.placedAt, requestedAt: bet.placedAt, status, code: e.type === 'BetRejected' ? e.code : null,
        });
        break;
      }
      case 'CashOutExecuted':
        out.push({ type: 'cash_out', id: `cashout:${eventId}:${e.betId}`, at: e.at, playerId: e.outcome.playerId, betId: e.betId, eventId, amountMinor: e.outcome.payoutMinor });
        break;
      case 'MarketSettled':
        for (const o of e.outcomes) {
          const bet = getBet(ev, o.betId);
          if (!bet) continue;
          out.push({
            type: 'bet_settled', id: `settled:${eventId}:${o.betId}`, at: e.at, playerId: o.playerId, betId: o.betId, eventId, marketId: bet.marketId, selectionId: bet.selectionId,
            stakeMinor: o.stakeMinor, priceMilli: Math.max(1000, bet.priceMilli), closingPriceMilli: closingPrices.get(eventId)?.get(`${bet.marketId}/${bet.selectionId}`) ?? null,
            inPlay: bet.acceptAt > bet.placedAt, outcome: o.outcome, payoutMinor: o.payoutMinor,
          });
        }
        break;
      default:
        break;
    }
  }
  return out;
}

/** A payment's new status as a risk event (null for statuses the risk service does not watch). */
export function paymentRiskEvent(s: PaymentState, status: PaymentStatus, at: number): RiskEvent | null {
  const base = { id: `payment:${s.paymentId}:${status}`, at, playerId: s.userId, paymentId: s.paymentId, amountMinor: s.amountMinor };
  const instrument = s.instrument?.token ?? s.instrumentId ?? null;
  if (s.kind === 'deposit') {
    if (status === 'captured' || status === 'failed') return { ...base, type: 'deposit', status, instrument };
    if (status === 'charged_back') return { ...base, type: 'chargeback', instrument };
    return null;
  }
  if (status === 'requested' || status === 'paid' || status === 'failed' || status === 'rejected' || status === 'cancelled') return { ...base, type: 'withdrawal', status, instrument };
  return null;
}

/** A registration or login as a risk event; `deviceId` is what the client sent in `X-Device-Id`. */
export function authRiskEvent(kind: 'registered' | 'login', input: { playerId: string | null; username: string; ip: string; deviceId: string | null; ok?: boolean; at: number; requestId: string }): RiskEvent | null {
  const common = { at: input.at, username: input.username.slice(0, 200), ip: input.ip.slice(0, 200), deviceId: input.deviceId };
  if (kind === 'registered') return input.playerId ? { type: 'registered', id: `registered:${input.playerId}`, playerId: input.playerId, ...common } : null;
  return { type: 'login', id: `login:${input.requestId}`, playerId: input.playerId, ok: input.ok ?? false, ...common };
}

/** The client's device id header, when it is a plausible one (printable, ≤ 100 characters). */
export function deviceIdOf(header: unknown): string | null {
  return typeof header === 'string' && /^[\x21-\x7e]{1,100}$/.test(header) ? header : null;
}
