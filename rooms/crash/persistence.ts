/**
 * Loading a crash room from its journal, and the round facts the fairness endpoint serves. The
 * journal starts with the room's config; each hash chain's secret seed is journaled (record
 * `CrashChainSeed`, never projected) just before its `ChainStarted`, so a new owner rebuilds the
 * same chain. Everything else is actor events.
 */
import {
  HashChain, evolve, initialCrashState,
  type CashOutReason, type CrashBet, type CrashConfig, type CrashEvent, type CrashRound, type CrashTableState, type RoundCrashed, type RoundVoided,
} from '../../actors/crash/index.ts';
import type { Logger } from '../../server/logger.ts';
import type { GameStore, JournalEvent, JournalStore } from '../../server/store/types.ts';
import { OWNERSHIP_TAKEN } from '../ownership.ts';
import { replayJournal } from '../journal-chunks.ts';
import type { RoomServices } from '../context.ts';
import { playerRoundRecords, type PlayerBalanceMap, type PlayerBalances } from '../round-records.ts';
import { holdId, type BetEnd } from './money.ts';

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

/** The bets of a round as it ended: `round` as it stood before the decision that ended it, with that decision's cash-outs applied. */
export function endedBets(round: CrashRound, events: readonly CrashEvent[]): CrashBet[] {
  const out = new Map<string, { multiplierCents: number; payoutMinor: number; reason: CashOutReason }>();
  for (const e of events) if (e.type === 'CashedOut' && e.roundId === round.roundId) for (const c of e.cashOuts) out.set(c.betId, { multiplierCents: e.multiplierCents, payoutMinor: c.payoutMinor, reason: e.reason });
  return round.bets.map((b) => {
    const c = b.cashedOutCents === null ? out.get(b.betId) : undefined;
    return c ? { ...b, cashedOutCents: c.multiplierCents, payoutMinor: c.payoutMinor, reason: c.reason } : b;
  });
}

/** How an ended bet was settled (its money group: money.ts `betEndOps`). */
export function betEndOf(end: RoundCrashed | RoundVoided, b: CrashBet): BetEnd {
  const voided = end.type === 'RoundVoided';
  return { roundId: end.roundId, betId: b.betId, playerId: b.playerId, payoutMinor: voided ? null : b.payoutMinor, multiplierCents: voided ? null : b.cashedOutCents };
}

/**
 * The players' records of an ended round (one bet per player and round): `result` the crash point
 * in hundredths (null: voided), the balances around each bet's settlement group as the ledger
 * wrote them (`balances` by hold id). Idempotent (a repeat replaces the rows).
 */
export async function recordCrashPlayers(svc: RoomServices, tableId: string, end: RoundCrashed | RoundVoided, bets: readonly CrashBet[], balances: ReadonlyMap<string, PlayerBalances | null>): Promise<void> {
  if (bets.length === 0) return;
  const voided = end.type === 'RoundVoided';
  const byPlayer: PlayerBalanceMap = new Map(bets.map((b) => [b.playerId, balances.get(holdId(end.roundId, b.betId)) ?? null]));
  const recorded = bets.map((b) => {
    const payoutMinor = voided ? b.stakeMinor : b.payoutMinor;
    const view = { betId: b.betId, stakeMinor: b.stakeMinor, autoCashOutCents: b.autoCashOutCents, cashedOutCents: voided ? null : b.cashedOutCents, reason: voided ? null : b.reason, payoutMinor, ...(voided ? { voided: true } : {}) };
    return { playerId: b.playerId, stakeMinor: b.stakeMinor, payoutMinor, view };
  });
  const round = { game: 'crash', roundId: end.roundId, tableId, result: end.type === 'RoundCrashed' ? end.crashCents : null, settledAt: end.at };
  const rows = await playerRoundRecords(svc, round, recorded, byPlayer);
  // A round may hold more bets (CRASH max 100,000) than one store call takes (10,000).
  for (let i = 0; i < rows.length; i += 5000) await svc.store.games.addPlayerRounds(rows.slice(i, i + 5000));
}
