/**
 * What every client in a crash room sees, synced as schema deltas. The multiplier is not here:
 * clients compute it from `startsAt` and the published curve (actors/crash/curve.ts). A player's
 * own bet goes to them alone in `me`; the list here is bounded to the largest stakes.
 */
import { ArraySchema, Schema, type } from '@colyseus/schema';

export class CrashPlayerSchema extends Schema {
  @type('string') betId = '';
  @type('string') name = '';
  @type('number') stakeMinor = 0;
  /** Hundredths; 0: manual only. */
  @type('number') autoCashOutCents = 0;
  /** Hundredths; 0 while still in. */
  @type('number') cashedOutCents = 0;
  @type('number') payoutMinor = 0;
  /** manual | auto | max_payout | liability_cap, or '' while still in. */
  @type('string') reason = '';
}

export class CrashSchema extends Schema {
  @type('string') tableId = '';
  /** idle | betting | running | crashed | voided */
  @type('string') phase = 'idle';
  @type('string') roundId = '';
  @type('uint32') roundNumber = 0;
  /** Epoch ms (server clock) when the curve starts (betting) or started (running, crashed); 0 if none. */
  @type('number') startsAt = 0;
  /** Epoch ms when the next round opens (crashed, voided); 0 if none. */
  @type('number') nextRoundAt = 0;
  /** Crash point in hundredths once crashed (0 before); `crashElapsedMs` is when it crashed after the start. */
  @type('number') crashCents = 0;
  @type('number') crashElapsedMs = 0;
  @type('boolean') instant = false;
  /** The round's chain element, revealed once it crashed (or was voided); '' before. */
  @type('string') roundHash = '';
  /** Position of the round in its chain (hash the round hash this many times to reach the terminal hash). */
  @type('uint32') chainIndex = 0;
  @type('string') terminalHash = '';
  @type('string') salt = '';
  /** The bets with the largest stakes this round (at most CRASH_PLAYER_LIST). */
  @type([CrashPlayerSchema]) players = new ArraySchema<CrashPlayerSchema>();
  @type('uint32') betCount = 0;
  /** Bets still in (not cashed out). */
  @type('uint32') inCount = 0;
  @type('number') totalStakeMinor = 0;
  @type('number') totalPayoutMinor = 0;
  /** Multiplier (hundredths) at which the liability cap cashes out everyone still in, with the stakes in now; 0: none. */
  @type('number') capCents = 0;
  /** Last crash points (hundredths), newest first. */
  @type(['number']) history = new ArraySchema<number>();
  @type('uint16') watchers = 0;
  @type('number') minBetMinor = 0;
  @type('number') maxBetMinor = 0;
  @type('number') maxPayoutPerBetMinor = 0;
  @type('number') liabilityCapMinor = 0;
  @type('string') currency = 'EUR';
}
