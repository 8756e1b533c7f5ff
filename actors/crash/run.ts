/**
 * The schedule of a running round: what happens next on the curve and when. Between commands the
 * only things that happen are, in multiplier order: bets leaving at their exit (auto target, or the
 * max payout per bet), the liability cap (everyone still in leaves when the sum over them of
 * stake × multiplier reaches the cap), and the crash. Every event carries its scheduled instant,
 * so events are the same whenever a late tick computes them.
 */
import { msToReach, payoutAt } from './curve.ts';
import { exitCentsOf } from './evolve.ts';
import type { CashOutReason, CashedOut, CrashConfig, CrashEvent, CrashRound, RoundCrashed } from './types.ts';

/** The multiplier (hundredths) at which the liability cap is reached with `stakeInMinor` still in: ⌈cap·100 / stakeIn⌉. */
export function liabilityCapCents(config: CrashConfig, stakeInMinor: number): number | null {
  return stakeInMinor > 0 ? Math.ceil((config.liabilityCapMinor * 100) / stakeInMinor) : null;
}

type Next =
  | { kind: 'exit'; cents: number; elapsedMs: number }
  | { kind: 'cap'; cents: number; elapsedMs: number }
  | { kind: 'crash'; elapsedMs: number };

/** The next thing on the curve of a running round. */
export function nextOnCurve(round: CrashRound, config: CrashConfig): Next {
  const crash: Next = { kind: 'crash', elapsedMs: round.crashElapsedMs };
  if (round.instant) return crash;
  const exit = round.nextExitCents;
  const cap = liabilityCapCents(config, round.stakeInMinor);
  const x = Math.min(exit ?? Infinity, cap ?? Infinity);
  if (x > round.crashCents) return crash;
  // At a tie the bets whose own exit it is leave first (same multiplier either way).
  if (exit !== null && exit === x) return { kind: 'exit', cents: x, elapsedMs: msToReach(x) };
  return { kind: 'cap', cents: x, elapsedMs: msToReach(x) };
}

/** Events of the next thing on the curve (one or two CashedOut at one multiplier, or the crash). */
export function curveEvents(round: CrashRound, config: CrashConfig, next: Next): CrashEvent[] {
  const at = round.startsAt + next.elapsedMs;
  const still = round.bets.filter((b) => b.cashedOutCents === null);
  if (next.kind === 'crash') return [crashed(round, config, at)];
  if (next.kind === 'cap') return [cashedOut(round, next.cents, 'liability_cap', next.elapsedMs, still)];
  const leaving = still.filter((b) => exitCentsOf(b) === next.cents);
  const auto = leaving.filter((b) => b.autoCashOutCents !== null && b.autoCashOutCents <= b.capCents);
  const capped = leaving.filter((b) => !(b.autoCashOutCents !== null && b.autoCashOutCents <= b.capCents));
  const events: CrashEvent[] = [];
  if (auto.length > 0) events.push(cashedOut(round, next.cents, 'auto', next.elapsedMs, auto));
  if (capped.length > 0) events.push(cashedOut(round, next.cents, 'max_payout', next.elapsedMs, capped));
  return events;
}

export function cashedOut(round: CrashRound, cents: number, reason: CashOutReason, elapsedMs: number, bets: CrashRound['bets']): CashedOut {
  return {
    type: 'CashedOut',
    roundId: round.roundId,
    multiplierCents: cents,
    reason,
    elapsedMs,
    at: round.startsAt + elapsedMs,
    cashOuts: bets.map((b) => ({ betId: b.betId, playerId: b.playerId, stakeMinor: b.stakeMinor, payoutMinor: payoutAt(b.stakeMinor, cents) })),
  };
}

function crashed(round: CrashRound, config: CrashConfig, at: number): RoundCrashed {
  const lost = round.bets.filter((b) => b.cashedOutCents === null).map((b) => ({ betId: b.betId, playerId: b.playerId, stakeMinor: b.stakeMinor }));
  return {
    type: 'RoundCrashed',
    roundId: round.roundId,
    crashCents: round.crashCents,
    instant: round.instant,
    roundHash: round.roundHash,
    chainIndex: round.chainIndex,
    elapsedMs: round.crashElapsedMs,
    at,
    lost,
    totals: {
      betCount: round.bets.length,
      stakeMinor: round.bets.reduce((s, b) => s + b.stakeMinor, 0),
      payoutMinor: round.bets.reduce((s, b) => s + b.payoutMinor, 0),
    },
    nextOpenAt: at + config.pauseMs,
  };
}
