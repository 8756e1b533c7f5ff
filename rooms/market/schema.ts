/**
 * What every client of a live event sees, synced as schema deltas: clock, score, phase and every
 * market's status and prices. Bets are private (sent to their owner as `me`).
 */
import { MapSchema, Schema, type } from '@colyseus/schema';

export class SelectionSchema extends Schema {
  @type('string') name = '';
  /** Decimal odds × 1000; 0 when not offered. */
  @type('uint32') priceMilli = 0;
}

export class MarketSchema extends Schema {
  @type('string') name = '';
  /** open | suspended | settled | void */
  @type('string') status = 'open';
  @type({ map: SelectionSchema }) selections = new MapSchema<SelectionSchema>();
}

export class EventSchema extends Schema {
  @type('string') eventId = '';
  @type('string') league = '';
  @type('string') home = '';
  @type('string') away = '';
  @type('number') startsAt = 0;
  /** scheduled | in_play | finished | abandoned */
  @type('string') status = 'scheduled';
  /** scheduled | first_half | half_time | second_half | finished | abandoned */
  @type('string') phase = 'scheduled';
  @type('boolean') suspended = false;
  @type('string') suspendReason = '';
  @type('float32') minute = 0;
  @type('uint8') homeGoals = 0;
  @type('uint8') awayGoals = 0;
  @type('uint8') homeReds = 0;
  @type('uint8') awayReds = 0;
  /** Server time (epoch ms) of the last price change, for clients measuring latency. */
  @type('number') pricedAt = 0;
  @type('number') betDelayMs = 0;
  @type('string') currency = 'EUR';
  @type({ map: MarketSchema }) markets = new MapSchema<MarketSchema>();
}
