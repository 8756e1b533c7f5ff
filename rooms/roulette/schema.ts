/**
 * What every client at a table sees, synced as schema deltas. Per-player data (own bets, balance)
 * is not here: it goes to each player alone as a `me` message, so patches stay small and shared.
 */
import { ArraySchema, MapSchema, Schema, type } from '@colyseus/schema';

export class TableSchema extends Schema {
  @type('string') tableId = '';
  /** idle | betting | closed | settled | voided */
  @type('string') phase = 'idle';
  @type('string') roundId = '';
  @type('uint32') roundNumber = 0;
  /** Epoch ms when betting closes (betting) or the next round opens (settled/voided); 0 if none. */
  @type('number') deadline = 0;
  /** SHA-256 commitment of the current round's server seed, published before betting opens. */
  @type('string') serverSeedHash = '';
  /** Pocket of the current round once drawn, -1 before. */
  @type('int8') pocket = -1;
  /** Revealed seed of the current round once drawn (or voided), empty before. */
  @type('string') serverSeed = '';
  @type('string') clientSeed = '';
  /** Last results, newest first. */
  @type(['uint8']) history = new ArraySchema<number>();
  /** Total stake per bet spot (`straight:17`, `split:1-2`, `red`, …) in the current round, all players together. */
  @type({ map: 'number' }) totals = new MapSchema<number>();
  @type('uint32') betCount = 0;
  @type('uint16') players = 0;
  @type('number') minBetMinor = 0;
  @type('number') maxBetMinor = 0;
  @type('string') currency = 'EUR';
}
