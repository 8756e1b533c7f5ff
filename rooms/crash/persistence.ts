/**
 * Loading a crash room from its journal, and the round facts the fairness endpoint serves. The
 * journal starts with the room's config; each hash chain's secret seed is journaled (record
 * `CrashChainSeed`, never projected) just before its `ChainStarted`, so a new owner rebuilds the
 * same chain. Everything else is actor events.
 */
import { HashChain, evolve, initialCrashState, type CrashConfig, type CrashEvent, type CrashTableState } from '../../actors/crash/index.ts';
import type { Logger } from '../../server/logger.ts';
import type { GameStore, JournalEvent, JournalStore } from '../../server/store/types.ts';
import { OWNERSHIP_TAKEN } from '../ownership.ts';
import { replayJournal } from '../journal-chunks.ts';

export const CRASH_CONFIGURED = 'CrashConfigured';
export const CHAIN_SEED = 'CrashChainSeed';

export interface ChainSeedRecord {
  chainId: number;
  seed: string;
  length: number;
}

export interface LoadedCrash {
  state: CrashTableState;
  lastSeq: number;
  /** The first journal record to write when the room is new. */
  configEvent: JournalEvent | null;
  /** The current chain's seed record, if any. */
  chainSeed: ChainSeedRecord | null;
}

/** Replays the journal; a room keeps the config it was created with (logged when the configured one differs). */
export async function loadCrash(journal: JournalStore, tableId: string, wanted: CrashConfig, log: Logger, observe: (e: CrashEvent) => void): Promise<LoadedCrash> {
  let state: CrashTableState | null = null;
  let chainSeed: ChainSeedRecord | null = null;
  const lastSeq = await replayJournal(journal, tableId, (r) => {
    if (r.type === OWNERSHIP_TAKEN) return;
    if (r.type === CRASH_CONFIGURED) {
      const config = (r.data as { config: CrashConfig }).config;
      state ??= initialCrashState(tableId, config);
      if (JSON.stringify(config) !== JSON.stringify(wanted)) log.warn({ tableId }, 'crash room keeps the config in its journal; the configured one differs');
    } else if (state === null) {
      throw new Error(`journal of ${tableId} does not start with ${CRASH_CONFIGURED}`);
    } else if (r.type === CHAIN_SEED) {
      chainSeed = r.data as ChainSeedRecord;
    } else {
      state = evolve(state, r.data as CrashEvent);
      observe(r.data as CrashEvent);
    }
  });
  const rebuilt = state as CrashTableState | null; // assigned inside the callback
  if (rebuilt === null) return { state: initialCrashState(tableId, wanted), lastSeq, configEvent: { type: CRASH_CONFIGURED, data: { config: wanted } }, chainSeed: null };
  return { state: rebuilt, lastSeq, configEvent: null, chainSeed };
}

/** The chain of a seed record (rebuilding it hashes `length` times). */
export function chainOf(record: ChainSeedRecord): HashChain {
  return new HashChain(record.seed, record.length);
}

/**
 * The round facts the fairness endpoint serves, in the shared round record: `nonce` is the round's
 * position in its chain, `serverSeedHash` the chain's terminal hash (published before its first
 * round), `serverSeed` the round hash (only once crashed or voided), `clientSeed` the public salt,
 * `result` the crash point in hundredths. `chain` is the table's chain when the events were decided.
 * Idempotent upserts: safe to repeat on recovery.
 */
export async function recordCrashFacts(games: GameStore, tableId: string, chain: { terminalHash: string; salt: string }, events: readonly CrashEvent[]): Promise<void> {
  for (const e of events) {
    if (e.type !== 'RoundOpened' && e.type !== 'RoundCrashed' && e.type !== 'RoundVoided') continue;
    const finished = e.type !== 'RoundOpened';
    await games.upsertRound({
      roundId: e.roundId, tableId, game: 'crash', nonce: e.chainIndex,
      serverSeedHash: chain.terminalHash, serverSeed: finished ? e.roundHash : null, clientSeed: chain.salt,
      result: e.type === 'RoundCrashed' ? e.crashCents : null,
      status: e.type === 'RoundCrashed' ? 'drawn' : e.type === 'RoundVoided' ? 'voided' : 'open',
      openedAt: e.type === 'RoundOpened' ? e.opensAt : null, finishedAt: finished ? e.at : null,
    });
  }
}
