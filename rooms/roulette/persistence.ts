/**
 * Loading a table from its journal, and the facts the HTTP API serves about rounds (fairness
 * proofs, players' game recall), written alongside the journal.
 */
import { evolve, initialTableState, type RouletteEvent, type TableConfig, type TableState } from '../../actors/roulette/index.ts';
import type { Logger } from '../../server/logger.ts';
import type { JournalEvent, Store } from '../../server/store/types.ts';
import type { RoomServices } from '../context.ts';
import { OWNERSHIP_TAKEN } from '../ownership.ts';
import { replayJournal } from '../journal-chunks.ts';
import { playerRecordsMissing, playerRoundRecords, type PlayerBalanceMap, type RecordedBet } from '../round-records.ts';

export const TABLE_CONFIGURED = 'TableConfigured';

export interface LoadedTable {
  state: TableState;
  lastSeq: number;
  /** The first journal record to write when the table is new. */
  configEvent: JournalEvent | null;
}

/**
 * Replays the journal. A table keeps the config it was created with (the journal's first record),
 * so replay is exact; a different configured value is logged and ignored.
 */
export async function loadTable(store: Store, tableId: string, wanted: TableConfig, log: Logger, observe?: (e: RouletteEvent) => void): Promise<LoadedTable> {
  let state: TableState | null = null;
  const lastSeq = await replayJournal(store.journal, tableId, (r) => {
    if (r.type === OWNERSHIP_TAKEN) return; // cluster bookkeeping, not a table event
    if (r.type === TABLE_CONFIGURED) {
      const config = (r.data as { config: TableConfig }).config;
      if (state === null) state = initialTableState(tableId, config);
      if (JSON.stringify(config) !== JSON.stringify(wanted)) log.warn({ tableId }, 'table keeps the config in its journal; the configured one differs');
    } else if (state !== null) {
      state = evolve(state, r.data as RouletteEvent);
      observe?.(r.data as RouletteEvent);
    } else {
      throw new Error(`journal of ${tableId} does not start with ${TABLE_CONFIGURED}`);
    }
  });
  const rebuilt = state as TableState | null; // assigned inside the callback, which TS cannot see
  if (rebuilt === null) {
    return { state: initialTableState(tableId, wanted), lastSeq, configEvent: { type: TABLE_CONFIGURED, data: { config: wanted } } };
  }
  if (lastSeq > 0) log.info({ tableId, records: lastSeq, phase: rebuilt.phase, round: rebuilt.round?.roundId }, 'table rebuilt from its journal');
  return { state: rebuilt, lastSeq, configEvent: null };
}

/**
 * Whether the facts of a finished round were not all written (the crash came between its money and
 * its facts): the round not yet marked voided, or its first player's record missing.
 */
export async function roundFactsMissing(store: Store, e: RouletteEvent): Promise<boolean> {
  if (e.type === 'RoundVoided') return (await store.games.getRound(e.roundId))?.status !== 'voided';
  if (e.type !== 'RoundSettled') return false;
  return playerRecordsMissing(store, e.roundId, e.settlements[0]?.playerId);
}

/** Each player's balances around their part of a round's end, by round then player (round-records.ts). */
export type RoundBalances = Map<string, PlayerBalanceMap>;

/**
 * Idempotent upserts: safe to repeat when recovery re-runs a batch. `balances` are what the
 * round's money step read from its ledger outcomes (a player's record quotes them).
 */
export async function recordRoundFacts(svc: RoomServices, tableId: string, events: RouletteEvent[], balances?: RoundBalances): Promise<void> {
  const games = svc.store.games;
  const round = (roundId: string, at: number, result: number | null) => ({ game: 'roulette', roundId, tableId, result, settledAt: at });
  for (const e of events) {
    switch (e.type) {
      case 'RoundOpened':
        await games.upsertRound({ roundId: e.roundId, tableId, game: 'roulette', nonce: e.number, serverSeedHash: e.serverSeedHash, serverSeed: null, clientSeed: null, result: null, status: 'open', openedAt: e.opensAt, finishedAt: null });
        break;
      case 'BettingClosed':
        // Published as soon as it is fixed (the table state shows it during the spin too).
        await games.upsertRound({ roundId: e.roundId, tableId, game: 'roulette', nonce: Number(e.roundId.split(':').pop()), serverSeedHash: null, serverSeed: null, clientSeed: e.clientSeed, clientSeeds: e.clientSeeds, result: null, status: 'open', openedAt: null, finishedAt: null });
        break;
      case 'ResultDrawn':
        await games.upsertRound({ roundId: e.roundId, tableId, game: 'roulette', nonce: e.nonce, serverSeedHash: e.serverSeedHash, serverSeed: e.serverSeed, clientSeed: e.clientSeed, clientSeeds: e.clientSeeds ?? null, result: e.pocket, status: 'drawn', openedAt: null, finishedAt: e.at });
        break;
      case 'RoundVoided':
        await games.upsertRound({ roundId: e.roundId, tableId, game: 'roulette', nonce: Number(e.roundId.split(':').pop()), serverSeedHash: null, serverSeed: e.serverSeed, clientSeed: null, result: null, status: 'voided', openedAt: null, finishedAt: e.at });
        await games.addPlayerRounds(await playerRoundRecords(svc, round(e.roundId, e.at, null), e.refunds.map((r) => recorded({ ...r, payoutMinor: r.stakeMinor, spot: r.spot ?? null })), balances?.get(e.roundId)));
        break;
      case 'RoundSettled':
        await games.addPlayerRounds(await playerRoundRecords(svc, round(e.roundId, e.at, e.pocket), e.settlements.map(recorded), balances?.get(e.roundId)));
        break;
    }
  }
}

function recorded(b: { betId: string; playerId: string; stakeMinor: number; payoutMinor: number; spot: unknown }): RecordedBet {
  return { playerId: b.playerId, stakeMinor: b.stakeMinor, payoutMinor: b.payoutMinor, view: { betId: b.betId, spot: b.spot, stakeMinor: b.stakeMinor, payoutMinor: b.payoutMinor } };
}
