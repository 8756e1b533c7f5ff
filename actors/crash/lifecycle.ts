/**
 * The round clock: which transitions are due at a given time, how a round opens from the hash
 * chain, and how an interrupted round is finished on recovery. Scheduled transitions (the start
 * of the curve, cash-outs at their targets, the cap, the crash, the next round's due time) carry
 * their scheduled instants, so a late tick produces exactly the events a punctual one would.
 */
import { evolve } from './evolve.ts';
import { crashPointOf } from './fairness.ts';
import { curveEvents, nextOnCurve } from './run.ts';
import type { CrashEvent, CrashTableState, TickCommand } from './types.ts';

export function roundIdOf(tableId: string, number: number): string {
  return `${tableId}:${number}`;
}

/** When the table next needs a tick, or null when idle (tick again when players are present). */
export function nextDeadline(state: CrashTableState): number | null {
  const round = state.round;
  switch (state.phase) {
    case 'idle':
      return null;
    case 'betting':
      return round!.startsAt;
    case 'running':
      return round!.startsAt + nextOnCurve(round!, state.config).elapsedMs;
    case 'crashed':
    case 'voided':
      return state.nextOpenAt;
  }
}

/** The chain position the next round draws its hash from, or null when the chain is missing or used up. */
export function roundHashNeeded(state: CrashTableState): { chainId: number; chainIndex: number } | null {
  const chain = state.chain;
  if (!chain || chain.used >= chain.length) return null;
  return { chainId: chain.chainId, chainIndex: chain.used + 1 };
}

/**
 * The scheduled transitions due by `now` that need no outside input: betting closing (the curve
 * starts), cash-outs at their exits, the liability cap, the crash. Never opens a round.
 */
export function dueEvents(state: CrashTableState, now: number): CrashEvent[] {
  const events: CrashEvent[] = [];
  let current = state;
  // Each step removes at least one bet or ends the round: bounded by the bets plus a few.
  for (let step = 0; step < (state.round?.bets.length ?? 0) * 2 + 4; step++) {
    const due = nextDue(current, now);
    if (due.length === 0) break;
    for (const e of due) {
      events.push(e);
      current = evolve(current, e);
    }
  }
  return events;
}

function nextDue(state: CrashTableState, now: number): CrashEvent[] {
  const round = state.round;
  if (state.phase === 'betting' && round && now >= round.startsAt) return [{ type: 'RoundStarted', roundId: round.roundId, startsAt: round.startsAt }];
  if (state.phase !== 'running' || !round) return [];
  const next = nextOnCurve(round, state.config);
  return round.startsAt + next.elapsedMs <= now ? curveEvents(round, state.config, next) : [];
}

/** Everything due at the tick: scheduled transitions, then the next round (or idling) when it is due. Assumes a valid tick. */
export function tickEvents(state: CrashTableState, tick: TickCommand): CrashEvent[] {
  const events = dueEvents(state, tick.now);
  const current = events.reduce(evolve, state);
  const opening = openingEvent(current, tick);
  return opening ? [...events, opening] : events;
}

function openingEvent(state: CrashTableState, tick: TickCommand): CrashEvent | null {
  const due = state.phase === 'idle' || ((state.phase === 'crashed' || state.phase === 'voided') && state.nextOpenAt !== null && tick.now >= state.nextOpenAt);
  if (!due) return null;
  if (!tick.playersPresent) return state.phase === 'idle' ? null : { type: 'TableIdled', tableId: state.tableId, at: tick.now };
  const chain = state.chain;
  const position = roundHashNeeded(state);
  if (!chain || !position || tick.roundHash === null) return null;
  const number = state.lastRoundNumber + 1;
  const point = crashPointOf(tick.roundHash, chain.salt);
  return {
    type: 'RoundOpened',
    tableId: state.tableId,
    roundId: roundIdOf(state.tableId, number),
    number,
    chainId: chain.chainId,
    chainIndex: position.chainIndex,
    opensAt: tick.now,
    startsAt: tick.now + state.config.bettingWindowMs,
    roundHash: tick.roundHash,
    crashCents: point.crashCents,
    instant: point.instant,
  };
}

/**
 * Events that finish a round interrupted by a restart (the journal replayed into `state`):
 * - betting was open: the round is voided and every stake refunded; its hash is revealed (the
 *   chain goes on from it);
 * - the curve was running: the clock is brought to `now`: bets whose exit (auto target, max payout)
 *   or the liability cap came before the crash are paid at it, and if the crash time has passed
 *   the round crashes and everyone still in loses (the crash point was fixed by the chain). If the
 *   crash time has not come yet the round simply goes on;
 * - otherwise nothing is pending: no events.
 */
export function recover(state: CrashTableState, now: number): CrashEvent[] {
  const round = state.round;
  if (!round) return [];
  if (state.phase === 'running') return dueEvents(state, now);
  if (state.phase !== 'betting') return [];
  const refunds = round.bets.map((b) => ({ betId: b.betId, playerId: b.playerId, stakeMinor: b.stakeMinor }));
  return [{ type: 'RoundVoided', roundId: round.roundId, reason: 'interrupted', refunds, roundHash: round.roundHash, chainIndex: round.chainIndex, crashCents: round.crashCents, at: now, nextOpenAt: now + state.config.pauseMs }];
}
