/**
 * A rolling schedule of simulated matches for demos: match i kicks off at anchorAt + i × everyMs
 * and is listed (created, pre-match markets open) preMatchMs before. Teams come from the fitted
 * strengths, so λ's are the engine's own. Pure: the same options and index give the same match.
 */
import { expectedGoals, type FittedStrengths } from '../../../actors/odds/index.ts';
import { pickIndex, rngFromSeed } from '../../../actors/sportsbook/rng.ts';
import { maxMatchDurationMs, simulateMatch, type SimulatedMatch, type SimulationOptions } from './match.ts';
import { FITTED_STRENGTHS } from '../../pricing/seed-strengths.ts';

export interface ScheduleOptions {
  seed: string | number;
  /** Kick-off of match 0 (epoch ms). */
  anchorAt: number;
  /** Gap between consecutive kick-offs. */
  everyMs: number;
  /** How long before kick-off a match is listed. */
  preMatchMs: number;
  /** Real ms per match minute (2000: a match in about 3.5 real minutes with stoppage and break). */
  msPerMinute: number;
  halfTimeMs?: number;
  clockEveryMinutes?: number;
  abandonProbability?: number;
  /** Leagues to draw from (default: every fitted league). */
  leagues?: string[];
  strengths?: FittedStrengths;
  /** Prefix of event ids (default 'sim'). */
  idPrefix?: string;
}

export interface ScheduledMatch {
  index: number;
  eventId: string;
  league: string;
  home: string;
  away: string;
  lambdaHome: number;
  lambdaAway: number;
  /** Kick-off (epoch ms). */
  startsAt: number;
  /** When the match should be created and listed. */
  listAt: number;
  /** Upper bound on when its feed ends. */
  endsBy: number;
  /** Seed of its simulation. */
  seed: string;
}

export function scheduledMatch(options: ScheduleOptions, index: number): ScheduledMatch {
  const strengths = options.strengths ?? FITTED_STRENGTHS;
  const leagues = options.leagues ?? Object.keys(strengths.leagues).sort();
  const seed = `${options.seed}:${index}`;
  const rng = rngFromSeed(`${seed}:teams`);
  const league = strengths.leagues[leagues[pickIndex(rng, leagues.length)]];
  const teams = Object.keys(league.teams).sort();
  const homeIndex = pickIndex(rng, teams.length);
  const awayIndex = (homeIndex + 1 + pickIndex(rng, teams.length - 1)) % teams.length;
  const home = teams[homeIndex];
  const away = teams[awayIndex];
  const { lambdaHome, lambdaAway } = expectedGoals(league, home, away);
  const startsAt = options.anchorAt + index * options.everyMs;
  return {
    index,
    eventId: `${options.idPrefix ?? 'sim'}-${index}`,
    league: league.league,
    home,
    away,
    lambdaHome,
    lambdaAway,
    startsAt,
    listAt: startsAt - options.preMatchMs,
    endsBy: startsAt + maxMatchDurationMs(options.msPerMinute, options.halfTimeMs),
    seed,
  };
}

/** Matches listed at some point in [from, to] and not yet over at `from`, by index. */
export function matchesInWindow(options: ScheduleOptions, from: number, to: number): ScheduledMatch[] {
  if (!(options.everyMs > 0)) throw new RangeError('everyMs must be positive');
  const span = maxMatchDurationMs(options.msPerMinute, options.halfTimeMs);
  const first = Math.max(0, Math.ceil((from - span - options.anchorAt) / options.everyMs));
  const last = Math.floor((to + options.preMatchMs - options.anchorAt) / options.everyMs);
  const out: ScheduledMatch[] = [];
  for (let i = first; i <= last && out.length < 1_000; i++) {
    const match = scheduledMatch(options, i);
    if (match.listAt <= to && match.endsBy >= from) out.push(match);
  }
  return out;
}

/** The full feed of a scheduled match. */
export function simulateScheduled(options: ScheduleOptions, match: ScheduledMatch): SimulatedMatch {
  const sim: SimulationOptions = {
    seed: match.seed,
    eventId: match.eventId,
    lambdaHome: match.lambdaHome,
    lambdaAway: match.lambdaAway,
    kickOffAt: match.startsAt,
    msPerMinute: options.msPerMinute,
    halfTimeMs: options.halfTimeMs,
    clockEveryMinutes: options.clockEveryMinutes,
    abandonProbability: options.abandonProbability,
  };
  return simulateMatch(sim);
}
