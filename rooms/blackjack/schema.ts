/**
 * What every client at a blackjack table sees, synced as schema deltas. Never the hole card before
 * it is revealed and never a card still in the shoe: the dealer's cards are the up card only until
 * the hole card is turned (rooms/blackjack/projection.ts), and the shoe shows its counts only.
 */
import { ArraySchema, Schema, type } from '@colyseus/schema';

export class HandSchema extends Schema {
  /** Card codes (`AS`, `TD`, …) in the order dealt. */
  @type(['string']) cards = new ArraySchema<string>();
  @type('uint8') total = 0;
  @type('boolean') soft = false;
  /** playing | stood | bust | blackjack | surrendered */
  @type('string') status = 'playing';
  @type('number') stakeMinor = 0;
  @type('boolean') doubled = false;
  /** After settlement: blackjack | win | push | lose | bust | surrender; '' before. */
  @type('string') outcome = '';
  @type('number') payoutMinor = 0;
}

export class SeatSchema extends Schema {
  @type('uint8') seat = 0;
  /** Owner's player id; '' when free. */
  @type('string') playerId = '';
  /** The bet this round; 0 when none. */
  @type('number') betMinor = 0;
  /** '' (not offered) | pending | taken | declined */
  @type('string') insurance = '';
  @type([HandSchema]) hands = new ArraySchema<HandSchema>();
}

export class DealerSchema extends Schema {
  /** The up card only until the hole card is revealed; then every dealer card. */
  @type(['string']) cards = new ArraySchema<string>();
  /** Total of the cards shown. */
  @type('uint8') total = 0;
  @type('boolean') soft = false;
  /** True while a hole card is dealt but face down. */
  @type('boolean') holeHidden = false;
}

export class BlackjackTableSchema extends Schema {
  @type('string') tableId = '';
  /** idle | betting | insurance | playing | settled | voided */
  @type('string') phase = 'idle';
  @type('string') roundId = '';
  @type('uint32') roundNumber = 0;
  /** Epoch ms of the pending deadline: betting closes, insurance closes, the turn's decision time ends, or the next round opens; 0 if none. */
  @type('number') deadline = 0;
  /** Whose turn: seat and hand, −1 when nobody's. */
  @type('int8') turnSeat = -1;
  @type('int8') turnHand = -1;
  @type([SeatSchema]) seats = new ArraySchema<SeatSchema>();
  @type(DealerSchema) dealer = new DealerSchema();
  @type('string') shoeId = '';
  /** SHA-256 commitment to the current shoe's server seed (published before its first hand). */
  @type('string') serverSeedHash = '';
  /** Cards dealt from the shoe, and its size: penetration = cardsDealt / cardsTotal. */
  @type('uint16') cardsDealt = 0;
  @type('uint16') cardsTotal = 0;
  @type('uint16') cutCardPosition = 0;
  /** The last finished shoe and its revealed seed (verify it: GET /fairness/shoes/:shoeId). */
  @type('string') lastShoeId = '';
  @type('string') lastServerSeed = '';
  @type('uint16') players = 0;
  @type('number') minBetMinor = 0;
  @type('number') maxBetMinor = 0;
  @type('string') currency = 'EUR';
}
