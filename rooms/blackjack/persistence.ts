/**
 * Loading a blackjack table from its journal, and the facts the HTTP API serves: each shoe's
 * fairness record (commitment at once, client seed at the shuffle, server seed only when the shoe
 * is finished) and each player's rounds for game recall (every card with its shoe position, so a
 * hand can be verified card by card against the revealed shoe).
 */
import { cardCode, evolve, initialTableState, type BlackjackConfig, type BlackjackEvent, type DealtCard, type RoundSettled, type RoundVoided, type TableState } from '../../actors/blackjack/index.ts';
import type { Logger } from '../../server/logger.ts';
import type { PlayerRoundRecord, Store } from '../../server/store/types.ts';
import { playerRecordsMissing, playerRoundRecords, type PlayerBalanceMap, type RecordedBet } from '../round-records.ts';
import type { RoomServices } from '../context.ts';
import { replayJournal } from '../journal-chunks.ts';
import { OWNERSHIP_TAKEN } from '../ownership.ts';

export const TABLE_CONFIGURED = 'TableConfigured';

export interface LoadedTable {
  state: TableState;
  lastSeq: number;
  configEvent: { type: string; data: unknown } | null;
}

/** Replays the journal; a table keeps the config it was created with (its first record). */
export async function loadTable(store: Store, tableId: string, wanted: BlackjackConfig, log: Logger, observe?: (e: BlackjackEvent) => void): Promise<LoadedTable> {
  let state: TableState | null = null;
  const lastSeq = await replayJournal(store.journal, tableId, (r) => {
    if (r.type === OWNERSHIP_TAKEN) return;
    if (r.type === TABLE_CONFIGURED) {
      const config = (r.data as { config: BlackjackConfig }).config;
      if (state === null) state = initialTableState(tableId, config);
      if (JSON.stringify(config) !== JSON.stringify(wanted)) log.warn({ tableId }, 'table keeps the config in its journal; the configured one differs');
    } else if (state !== null) {
      state = evolve(state, r.data as BlackjackEvent);
      observe?.(r.data as BlackjackEvent);
    } else {
      throw new Error(`journal of ${tableId} does not start with ${TABLE_CONFIGURED}`);
    }
  });
  const rebuilt = state as TableState | null;
  if (rebuilt === null) return { state: initialTableState(tableId, wanted), lastSeq, configEvent: { type: TABLE_CONFIGURED, data: { config: wanted } } };
  if (lastSeq > 0) log.info({ tableId, records: lastSeq, phase: rebuilt.phase, round: rebuilt.round?.roundId }, 'blackjack table rebuilt from its journal');
  return { state: rebuilt, lastSeq, configEvent: null };
}

const dealtView = (c: DealtCard) => ({ position: c.position, card: cardCode(c.card) });

/**
 * Shoe records live in the rounds collection under the shoe id (`<table>:shoe-<n>`, which no
 * roulette round id matches): nonce = shoe number, result = the shoe's size in cards, status
 * `open` until the shoe is finished (`drawn`: seed revealed). Idempotent upserts.
 */
export async function recordFacts(svc: RoomServices, tableId: string, events: readonly BlackjackEvent[], balances: PlayerBalanceMap): Promise<void> {
  const games = svc.store.games;
  for (const e of events) {
    switch (e.type) {
      case 'ShoeOpened':
        await games.upsertRound({ roundId: e.shoeId, tableId, game: 'blackjack', nonce: e.number, serverSeedHash: e.serverSeedHash, serverSeed: null, clientSeed: null, result: e.cards, status: 'open', openedAt: e.at, finishedAt: null });
        break;
      case 'ShoeShuffled':
        await games.upsertRound({ roundId: e.shoeId, tableId, game: 'blackjack', nonce: shoeNumber(e.shoeId), serverSeedHash: null, serverSeed: null, clientSeed: e.clientSeed, clientSeeds: e.clientSeeds, result: null, status: 'open', openedAt: null, finishedAt: null });
        break;
      case 'ShoeFinished':
        await games.upsertRound({ roundId: e.shoeId, tableId, game: 'blackjack', nonce: shoeNumber(e.shoeId), serverSeedHash: e.serverSeedHash, serverSeed: e.serverSeed, clientSeed: e.clientSeed, clientSeeds: e.clientSeeds, result: null, status: 'drawn', openedAt: null, finishedAt: e.at });
        break;
      case 'RoundSettled':
      case 'RoundVoided':
        await games.addPlayerRounds(await playerRounds(svc, tableId, e, balances));
        break;
    }
  }
}

function shoeNumber(shoeId: string): number {
  return Number(shoeId.slice(shoeId.lastIndexOf('-') + 1));
}

/** Whether a round end's player records were not written (a crash between its money and its records). */
export function roundRecordsMissing(store: Store, e: RoundSettled | RoundVoided): Promise<boolean> {
  const first = e.type === 'RoundSettled' ? e.settlements[0] : e.refunds[0];
  return playerRecordsMissing(store, e.roundId, first?.playerId);
}

/** One record per player (all their seats), `result` the dealer's total (null: voided); each seat is one `bets[]` item. */
function playerRounds(svc: RoomServices, tableId: string, e: RoundSettled | RoundVoided, balances: PlayerBalanceMap): Promise<PlayerRoundRecord[]> {
  const seats: RecordedBet[] = e.type === 'RoundSettled'
    ? e.settlements.map((s) => ({ playerId: s.playerId, stakeMinor: s.stakeMinor, payoutMinor: s.payoutMinor, view: {
        seat: s.seat, betId: s.betId, shoeId: e.shoeId, stakes: s.stakes, insuranceMinor: s.insuranceMinor, insurancePayoutMinor: s.insurancePayoutMinor,
        hands: s.hands.map((h) => ({ cards: h.cards.map(cardCode), total: h.total, stakeMinor: h.stakeMinor, outcome: h.outcome, payoutMinor: h.payoutMinor })),
        dealer: e.dealer.cards.map(dealtView), positions: [e.firstPosition, e.lastPosition], deal: e.cards.map(dealtView),
      } }))
    : e.refunds.map((r) => {
        const staked = r.stakes.reduce((a, k) => a + k.amountMinor, 0);
        return { playerId: r.playerId, stakeMinor: staked, payoutMinor: staked, view: { seat: r.seat, shoeId: e.shoeId ?? null, stakes: r.stakes, voided: true } };
      });
  const round = { game: 'blackjack', roundId: e.roundId, tableId, result: e.type === 'RoundSettled' ? e.dealer.total : null, settledAt: e.at };
  return playerRoundRecords(svc, round, seats, balances);
}
