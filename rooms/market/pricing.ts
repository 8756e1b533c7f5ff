/**
 * Pricing inputs of a live event's room: the pricing config an event is created with (the pricing
 * model's ρ, the market weight and the engine-only limit factor from the server config), and market
 * prices from the price feed validated at the room's edge and handed to the event actor.
 */
import { DEFAULT_PRICE_UNCERTAINTY, decide, parsePriceMessage, type EventState, type SportsbookConfigInput, type SportsEvent } from '../../actors/sportsbook/index.ts';
import type { Decision } from '../../actors/decision.ts';
import type { Config } from '../../server/config.ts';
import type { Logger } from '../../server/logger.ts';
import type { EventListing } from './services.ts';

export function pricingConfig(config: Config, listing: EventListing): SportsbookConfigInput {
  return {
    engineOnlyLimitFactor: config.pricing.engineOnlyLimitFactor,
    pricing: {
      marketWeight: config.pricing.marketWeight,
      uncertainty: { ...DEFAULT_PRICE_UNCERTAINTY, z: config.pricing.uncertaintyZ, minOutcomeMargin: config.pricing.minOutcomeMargin },
      ...(listing.rho !== undefined ? { rho: listing.rho } : {}),
    },
  };
}

/** A raw price-feed message → the events to commit, or null when refused (logged; a redelivery at debug). */
export function decidePrices(ev: EventState, raw: unknown, roomId: string, now: number, log: Logger): SportsEvent[] | null {
  const decision = priceDecision(ev, raw, roomId, now);
  if (decision.ok) return decision.events;
  const level = decision.rejection.code === 'prices/stale' ? 'debug' : 'info';
  log[level]({ roomId, code: decision.rejection.code, details: decision.rejection.details }, 'market prices not applied');
  return null;
}

function priceDecision(ev: EventState, raw: unknown, roomId: string, now: number): Decision<SportsEvent> {
  const parsed = parsePriceMessage(raw);
  if (!parsed.ok) return { ok: false, rejection: parsed.rejection };
  if (parsed.message.eventId !== roomId) return { ok: false, rejection: { code: 'prices/wrong_event', message: 'price message names another event', details: { eventId: parsed.message.eventId } } };
  return decide(ev, { type: 'marketPrices', message: parsed.message, now });
}
