/**
 * The round clock: which transitions are due at a given time, and how an interrupted round is
 * finished on recovery. Deadlines follow the schedule of the round (close at closesAt, draw at
 * closesAt + spinMs, next round at draw + pauseMs), so a late tick catches up on every deadline
 * it passed; a round only ever opens at the tick's `now` with the tick's fresh server seed.
 */
import { payoutFor } from './bets.ts';
import { evolve } from './evolve.ts';
import { deriveRoulettePocket, hashServerSeed, roundClientSeed } from './fairness.ts';
import type { RoundState, RouletteEvent, Settlement, TableState, TickCommand } from './types.ts';

/** When the table next needs a tick, or null when idle (tick again when players are present). */
export function nextDeadline(state: TableState): number | null {
  const round = state.round;
  switch (state.phase) {
    case 'idle':
      return null;
    case 'betting':
      return round ? round.closesAt : null;
    case 'closed':
      return round ? drawDueAt(state, round) : null;
    case 'settled':
    case 'voided':
      return state.nextOpenAt;
  }
}

export function roundIdOf(tableId: string, number: number): string {
  return `${tableId}:${number}`;
}

/** The transitions due at `tick.now`, in order (none, one or several). Assumes a valid tick. */
export function tickEvents(state: TableState, tick: TickCommand): RouletteEvent[] {
  const events: RouletteEvent[] = [];
  let current = state;
  let seed: string | null = tick.serverSeed; // one fresh seed per tick: at most one round opens
  // A cycle is open → close → draw+settle → open/idle, so a few steps always reach a waiting phase.
  for (let step = 0; step < 8; step++) {
    const due = dueTransition(current, tick.now, tick.playersPresent, seed);
    if (due.length === 0) break;
    for (const event of due) {
      events.push(event);
      current = evolve(current, event);
      if (event.type === 'RoundOpened') seed = null;
    }
  }
  return events;
}

function dueTransition(state: TableState, now: number, playersPresent: boolean, serverSeed: string | null): RouletteEvent[] {
  const round = state.round;
  switch (state.phase) {
    case 'idle':
      return playersPresent && serverSeed !== null ? [openRound(state, now, serverSeed)] : [];
    case 'betting':
      return round && now >= round.closesAt ? [closeBetting(round, now)] : [];
    case 'closed': {
      if (!round || now < drawDueAt(state, round)) return [];
      return drawAndSettle(round, now, drawDueAt(state, round) + state.config.pauseMs);
    }
    case 'settled':
    case 'voided':
      if (state.nextOpenAt === null || now < state.nextOpenAt) return [];
      if (!playersPresent) return [{ type: 'TableIdled', tableId: state.tableId, at: now }];
      return serverSeed !== null ? [openRound(state, now, serverSeed)] : [];
  }
}

function drawDueAt(state: TableState, round: RoundState): number {
  return round.closesAt + state.config.spinMs;
}

function openRound(state: TableState, now: number, serverSeed: string): RouletteEvent {
  const number = state.lastRoundNumber + 1;
  return {
    type: 'RoundOpened',
    tableId: state.tableId,
    roundId: roundIdOf(state.tableId, number),
    number,
    serverSeedHash: hashServerSeed(serverSeed),
    serverSeed,
    opensAt: now,
    closesAt: now + state.config.bettingWindowMs,
  };
}

function closeBetting(round: RoundState, now: number): RouletteEvent {
  const clientSeeds = round.clientSeeds.map((entry) => entry.seed); // kept ordered by playerId
  return { type: 'BettingClosed', roundId: round.roundId, clientSeed: roundClientSeed(round.roundId, clientSeeds), clientSeeds, at: now };
}

/** ResultDrawn (unless already drawn) then RoundSettled, from the committed seeds. */
function drawAndSettle(round: RoundState, now: number, nextOpenAt: number): RouletteEvent[] {
  const clientSeed = round.clientSeed ?? roundClientSeed(round.roundId, round.clientSeeds.map((s) => s.seed));
  const events: RouletteEvent[] = [];
  let pocket = round.pocket;
  if (pocket === null) {
    pocket = deriveRoulettePocket(round.serverSeed, clientSeed, round.number);
    events.push({
      type: 'ResultDrawn',
      roundId: round.roundId,
      nonce: round.number,
      pocket,
      serverSeed: round.serverSeed,
      serverSeedHash: round.serverSeedHash,
      clientSeed,
      clientSeeds: round.clientSeeds.map((s) => s.seed),
      at: now,
    });
  }
  const settlements: Settlement[] = round.bets.map((bet) => ({
    betId: bet.betId,
    playerId: bet.playerId,
    stakeMinor: bet.stakeMinor,
    payoutMinor: payoutFor(bet.spot, bet.stakeMinor, pocket),
    spot: bet.spot,
  }));
  const totals = {
    betCount: settlements.length,
    stakeMinor: settlements.reduce((sum, s) => sum + s.stakeMinor, 0),
    payoutMinor: settlements.reduce((sum, s) => sum + s.payoutMinor, 0),
  };
  events.push({ type: 'RoundSettled', roundId: round.roundId, pocket, settlements, totals, at: now, nextOpenAt });
  return events;
}

/**
 * Events that finish a round interrupted by a restart (the journal replayed into `state`):
 * - betting had closed (client seed fixed): draw with the committed seeds and settle;
 * - betting was still open: void the round, refunding every live bet (server seed revealed);
 * - otherwise nothing is pending: no events.
 * The next round is due `pauseMs` after `now`.
 */
export function recover(state: TableState, now: number): RouletteEvent[] {
  const round = state.round;
  if (!round) return [];
  const nextOpenAt = now + state.config.pauseMs;
  if (state.phase === 'closed') return drawAndSettle(round, now, nextOpenAt);
  if (state.phase !== 'betting') return [];
  const refunds = round.bets.map((bet) => ({ betId: bet.betId, playerId: bet.playerId, stakeMinor: bet.stakeMinor, spot: bet.spot }));
  return [{ type: 'RoundVoided', roundId: round.roundId, reason: 'interrupted', refunds, serverSeed: round.serverSeed, at: now, nextOpenAt }];
}
