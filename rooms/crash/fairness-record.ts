/** The public fairness record of a crash round (GET /fairness/rounds/:roundId; docs/FAIRNESS.md, crash). */
import { formatMultiplier } from '../../actors/crash/index.ts';
import type { GameRound } from '../../server/store/types.ts';

export interface CrashRoundRecord {
  game: 'crash';
  tableId: string;
  roundId: string;
  /** The round number at the table (the roundId's suffix). */
  number: number;
  /** Position of the round in its chain: SHA-256 applied this many times to the round hash gives the terminal hash. */
  chainIndex: number;
  /** The chain's terminal hash, published before the chain's first round. */
  terminalHash: string | null;
  /** The round's chain element; null until the round crashed (or was voided). */
  roundHash: string | null;
  salt: string | null;
  /** Crash point in hundredths and as text; null until crashed (and for a voided round). */
  crashCents: number | null;
  crashPoint: string | null;
  /** open (betting or running), crashed, or voided. */
  status: 'open' | 'crashed' | 'voided';
}

/** Stored as the shared round record (rooms/crash/persistence.ts: recordCrashFacts). */
export function crashRoundRecord(round: GameRound): CrashRoundRecord {
  const revealed = round.status !== 'open' && round.serverSeed !== null;
  return {
    game: 'crash',
    tableId: round.tableId,
    roundId: round.roundId,
    number: Number(round.roundId.slice(round.roundId.lastIndexOf(':') + 1)),
    chainIndex: round.nonce,
    terminalHash: round.serverSeedHash,
    roundHash: revealed ? round.serverSeed : null,
    salt: round.clientSeed,
    crashCents: round.status === 'drawn' ? round.result : null,
    crashPoint: round.status === 'drawn' && round.result !== null ? formatMultiplier(round.result) : null,
    status: round.status === 'drawn' ? 'crashed' : round.status,
  };
}
