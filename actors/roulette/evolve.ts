/**
 * evolve(state, event) → state: total and pure. Events come from `decide` (or the journal);
 * an event about another round than the current one leaves the state unchanged.
 * States are treated as immutable: every change returns new objects.
 */
import { payoutFor } from './bets.ts';
import { validateTableConfig } from './config.ts';
import { POCKET_COUNT } from './layout.ts';
import type { PlacedBet, RoundState, RouletteEvent, Spot, TableConfig, TableState } from './types.ts';

export function initialTableState(tableId: string, config: TableConfig): TableState {
  const problems = validateTableConfig(config);
  if (problems.length > 0) throw new Error(`invalid roulette table config: ${problems.join('; ')}`);
  return {
    tableId,
    config: { ...config },
    phase: 'idle',
    lastRoundNumber: 0,
    round: null,
    nextOpenAt: null,
    history: [],
    retainedBetIds: [],
  };
}

export function evolve(state: TableState, event: RouletteEvent): TableState {
  switch (event.type) {
    case 'RoundOpened':
      return {
        ...state,
        phase: 'betting',
        lastRoundNumber: event.number,
        nextOpenAt: null,
        round: {
          roundId: event.roundId,
          number: event.number,
          serverSeedHash: event.serverSeedHash,
          serverSeed: event.serverSeed,
          opensAt: event.opensAt,
          closesAt: event.closesAt,
          bets: [],
          removedBetIds: [],
          clientSeeds: [],
          clientSeed: null,
          pocket: null,
          payoutByPocketMinor: new Array<number>(POCKET_COUNT).fill(0),
        },
      };
    case 'BetPlaced': {
      const bet: PlacedBet = {
        betId: event.betId,
        playerId: event.playerId,
        spot: event.spot,
        stakeMinor: event.stakeMinor,
        placedAt: event.at,
      };
      return updateRound(state, event.roundId, (round) => ({
        ...round,
        bets: [...round.bets, bet],
        payoutByPocketMinor: addPayouts(round.payoutByPocketMinor, bet.spot, bet.stakeMinor, 1),
      }));
    }
    case 'BetRemoved':
      return updateRound(state, event.roundId, (round) => {
        const bet = round.bets.find((b) => b.betId === event.betId);
        if (!bet) return round;
        return {
          ...round,
          bets: round.bets.filter((b) => b !== bet),
          removedBetIds: [...round.removedBetIds, bet.betId],
          payoutByPocketMinor: addPayouts(round.payoutByPocketMinor, bet.spot, bet.stakeMinor, -1),
        };
      });
    case 'ClientSeedSubmitted':
      return updateRound(state, event.roundId, (round) => ({
        ...round,
        clientSeeds: [...round.clientSeeds.filter((s) => s.playerId !== event.playerId), { playerId: event.playerId, seed: event.seed }].sort(
          (a, b) => (a.playerId < b.playerId ? -1 : a.playerId > b.playerId ? 1 : 0),
        ),
      }));
    case 'BettingClosed':
      if (state.round?.roundId !== event.roundId) return state;
      return { ...state, phase: 'closed', round: { ...state.round, clientSeed: event.clientSeed } };
    case 'ResultDrawn': {
      if (state.round?.roundId !== event.roundId) return state;
      const round = state.round;
      const history = [{ roundId: round.roundId, number: round.number, pocket: event.pocket }, ...state.history].slice(0, state.config.historySize);
      return { ...state, history, round: { ...round, pocket: event.pocket } };
    }
    case 'RoundSettled':
    case 'RoundVoided':
      if (state.round?.roundId !== event.roundId) return state;
      return {
        ...state,
        phase: event.type === 'RoundSettled' ? 'settled' : 'voided',
        nextOpenAt: event.nextOpenAt,
        retainedBetIds: retainBetIds(state, state.round),
      };
    case 'TableIdled':
      return { ...state, phase: 'idle', nextOpenAt: null };
  }
}

function updateRound(state: TableState, roundId: string, change: (round: RoundState) => RoundState): TableState {
  if (state.round?.roundId !== roundId) return state;
  return { ...state, round: change(state.round) };
}

function addPayouts(payouts: readonly number[], spot: Spot, stakeMinor: number, sign: 1 | -1): number[] {
  return payouts.map((total, pocket) => total + sign * payoutFor(spot, stakeMinor, pocket));
}

function retainBetIds(state: TableState, round: RoundState): TableState['retainedBetIds'] {
  const keep = state.config.betIdRetentionRounds;
  if (keep === 0) return [];
  const betIds = [...round.bets.map((b) => b.betId), ...round.removedBetIds].sort();
  return [...state.retainedBetIds.filter((r) => r.roundNumber !== round.number), { roundNumber: round.number, betIds }].slice(-keep);
}
