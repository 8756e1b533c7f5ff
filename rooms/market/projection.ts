/** Copies the event actor's public view into the synced schema, touching only what changed. */
import type { PublicEventView } from '../../actors/sportsbook/index.ts';
import { MarketSchema, SelectionSchema, type EventSchema } from './schema.ts';

export function projectEvent(s: EventSchema, v: PublicEventView, now: number): void {
  s.eventId = v.eventId;
  s.league = v.league;
  s.home = v.home;
  s.away = v.away;
  s.startsAt = v.startsAt;
  s.status = v.status;
  s.phase = v.phase;
  s.suspended = v.suspended;
  s.suspendReason = v.suspendReason ?? '';
  s.minute = v.minute;
  s.homeGoals = v.score.home;
  s.awayGoals = v.score.away;
  s.homeReds = v.reds.home;
  s.awayReds = v.reds.away;
  let priced = false;
  for (const m of v.markets) {
    let market = s.markets.get(m.marketId);
    if (!market) {
      market = new MarketSchema();
      market.name = m.name;
      s.markets.set(m.marketId, market);
    }
    market.status = m.status;
    for (const sel of m.selections) {
      let selection = market.selections.get(sel.selectionId);
      if (!selection) {
        selection = new SelectionSchema();
        selection.name = sel.name;
        market.selections.set(sel.selectionId, selection);
      }
      if (selection.priceMilli !== sel.priceMilli) {
        selection.priceMilli = sel.priceMilli;
        priced = true;
      }
    }
  }
  if (priced) s.pricedAt = now;
}
