/**
 * evolve(state, event) → state: total and pure. An event about another round than the current
 * one leaves the state unchanged. States are immutable: every change returns new objects.
 */
import { validateCrashConfig } from './config.ts';
import { crashElapsedMs } from './fairness.ts';
import type { CrashBet, CrashConfig, CrashEvent, CrashRound, CrashTableState } from './types.ts';

export function initialCrashState(tableId: string, config: CrashConfig): CrashTableState {
  const problems = validateCrashConfig(config);
  if (problems.length > 0) throw new Error(`invalid crash table config: ${problems.join('; ')}`);
  return { tableId, config: { ...config }, phase: 'idle', lastRoundNumber: 0, chain: null, round: null, nextOpenAt: null, history: [] };
}

export function evolve(state: CrashTableState, event: CrashEvent): CrashTableState {
  switch (event.type) {
    case 'ChainStarted':
      return {
        ...state,
        chain: { chainId: event.chainId, terminalHash: event.terminalHash, length: event.length, salt: event.salt, used: 0, expectedPreimageOf: event.terminalHash },
      };
    case 'RoundOpened': {
      const chain = state.chain && state.chain.chainId === event.chainId ? { ...state.chain, used: event.chainIndex, expectedPreimageOf: event.roundHash } : state.chain;
      const round: CrashRound = {
        roundId: event.roundId,
        number: event.number,
        chainId: event.chainId,
        chainIndex: event.chainIndex,
        opensAt: event.opensAt,
        startsAt: event.startsAt,
        roundHash: event.roundHash,
        crashCents: event.crashCents,
        instant: event.instant,
        crashElapsedMs: crashElapsedMs(event),
        bets: [],
        stakeInMinor: 0,
        nextExitCents: null,
      };
      return { ...state, phase: 'betting', lastRoundNumber: event.number, nextOpenAt: null, chain, round };
    }
    case 'BetPlaced':
      return updateRound(state, event.roundId, (round) =>
        withBets(round, [
          ...round.bets,
          { betId: event.betId, playerId: event.playerId, stakeMinor: event.stakeMinor, autoCashOutCents: event.autoCashOutCents, capCents: event.capCents, placedAt: event.at, cashedOutCents: null, payoutMinor: 0, reason: null },
        ]),
      );
    case 'RoundStarted':
      if (state.round?.roundId !== event.roundId) return state;
      return { ...state, phase: 'running' };
    case 'CashedOut': {
      const out = new Map(event.cashOuts.map((c) => [c.betId, c]));
      return updateRound(state, event.roundId, (round) =>
        withBets(round, round.bets.map((b) => {
          const c = out.get(b.betId);
          return c && b.cashedOutCents === null ? { ...b, cashedOutCents: event.multiplierCents, payoutMinor: c.payoutMinor, reason: event.reason } : b;
        })),
      );
    }
    case 'RoundCrashed': {
      if (state.round?.roundId !== event.roundId) return state;
      const history = [{ roundId: event.roundId, number: state.round.number, crashCents: event.crashCents }, ...state.history].slice(0, state.config.historySize);
      return { ...state, phase: 'crashed', nextOpenAt: event.nextOpenAt, history };
    }
    case 'RoundVoided':
      if (state.round?.roundId !== event.roundId) return state;
      return { ...state, phase: 'voided', nextOpenAt: event.nextOpenAt };
    case 'TableIdled':
      return { ...state, phase: 'idle', nextOpenAt: null };
  }
}

/** Exit multiplier of a bet still in: its auto target or its max-payout cap, whichever is lower. */
export function exitCentsOf(bet: Pick<CrashBet, 'autoCashOutCents' | 'capCents'>): number {
  return bet.autoCashOutCents === null ? bet.capCents : Math.min(bet.autoCashOutCents, bet.capCents);
}

function withBets(round: CrashRound, bets: CrashBet[]): CrashRound {
  let stakeInMinor = 0;
  let nextExitCents: number | null = null;
  for (const b of bets) {
    if (b.cashedOutCents !== null) continue;
    stakeInMinor += b.stakeMinor;
    const exit = exitCentsOf(b);
    if (nextExitCents === null || exit < nextExitCents) nextExitCents = exit;
  }
  return { ...round, bets, stakeInMinor, nextExitCents };
}

function updateRound(state: CrashTableState, roundId: string, change: (round: CrashRound) => CrashRound): CrashTableState {
  if (state.round?.roundId !== roundId) return state;
  return { ...state, round: change(state.round) };
}
