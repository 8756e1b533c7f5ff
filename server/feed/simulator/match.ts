/**
 * Deterministic match simulator: the same options (seed included) always give the same feed.
 *
 * Model. Play runs on a normalised clock s ∈ [0, 1]: the first half (45 + stoppage played
 * minutes) maps to [0, ½], the second to [½, 1]. Each side scores as a Poisson process with
 * intensity λ·w(s), w(s) = 1 + β(s − ½) (the odds engine's time profile, so the expected goals
 * over a match are exactly λ), multiplied per red card by the engine's red-card factors. A goal is
 * a converted penalty with probability penaltiesPerMatch × conversion / (λh + λa); missed
 * penalties arrive separately at penaltiesPerMatch × (1 − conversion), so penalties number
 * ≈ penaltiesPerMatch per match and convert at ≈ `penaltyConversion`. Red cards arrive at
 * `redCardsPerTeam` per side, rising through the match (slope 1). Time is stepped in
 * `stepMinutes` slices with at most one incident per slice (rates are small).
 */
import { DEFAULT_INTENSITY_SLOPE, DEFAULT_RED_CARD_EFFECT, type RedCardEffect } from '../../../actors/odds/index.ts';
import type { FeedMessage, ScorePair, Team } from '../../../actors/sportsbook/feed.ts';
import { pickIndex, rngFromSeed } from '../../../actors/sportsbook/rng.ts';

export interface SimulationOptions {
  seed: string | number;
  eventId: string;
  lambdaHome: number;
  lambdaAway: number;
  kickOffAt: number;
  /** Real ms per match minute (e.g. 2000: 90 minutes in 3 real minutes); 0 = instant (every `at` = kickOffAt). */
  msPerMinute: number;
  /** Real ms of the half-time break (default 15 match minutes' worth). */
  halfTimeMs?: number;
  /** Clock message spacing in match minutes (default 1). */
  clockEveryMinutes?: number;
  redCardsPerTeam?: number;
  penaltiesPerMatch?: number;
  penaltyConversion?: number;
  /** Probability that the match is abandoned at a uniformly random moment (default 0). */
  abandonProbability?: number;
  intensitySlope?: number;
  redCardEffect?: RedCardEffect;
  stepMinutes?: number;
}

export interface SimulatedMatch {
  messages: FeedMessage[];
  score: ScorePair;
  reds: ScorePair;
  penalties: number;
  penaltiesScored: number;
  abandoned: boolean;
  /** `at` of the last message. */
  endsAt: number;
}

interface Rates {
  clockEveryMinutes: number;
  redCardsPerTeam: number;
  penaltiesPerMatch: number;
  penaltyConversion: number;
  abandonProbability: number;
  stepMinutes: number;
  halfTimeMinutes: number;
}

export const SIM_DEFAULTS: Readonly<Rates> = Object.freeze({
  clockEveryMinutes: 1,
  redCardsPerTeam: 0.1,
  penaltiesPerMatch: 0.3,
  penaltyConversion: 0.76,
  abandonProbability: 0,
  stepMinutes: 0.1,
  halfTimeMinutes: 15,
});

type Resolved = Rates & SimulationOptions;

/** Longest possible real duration from kick-off to the last message (stoppage at most 4 + 6 minutes). */
export function maxMatchDurationMs(msPerMinute: number, halfTimeMs = SIM_DEFAULTS.halfTimeMinutes * msPerMinute): number {
  return Math.ceil(100 * msPerMinute + halfTimeMs);
}

type Kind = 'goal' | 'red_card' | 'penalty_awarded' | 'penalty_missed';

interface Incident {
  half: 1 | 2;
  /** Played match minute (e.g. 47.3 in first-half stoppage). */
  minute: number;
  /** Order among incidents at the same minute. */
  order: number;
  kind: Kind;
  team: Team;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function simulateMatch(options: SimulationOptions): SimulatedMatch {
  const rng = rngFromSeed(options.seed);
  const o: Resolved = { ...SIM_DEFAULTS, ...(stripUndefined(options) as SimulationOptions) };
  const slope = options.intensitySlope ?? DEFAULT_INTENSITY_SLOPE;
  const effect = options.redCardEffect ?? DEFAULT_RED_CARD_EFFECT;
  const stoppage: [number, number] = [1 + pickIndex(rng, 4), 2 + pickIndex(rng, 5)];
  const abandonAtS = rng() < o.abandonProbability ? rng() : null;

  const totalLambda = options.lambdaHome + options.lambdaAway;
  const penaltyGoalShare = totalLambda > 0 ? Math.min(0.5, (o.penaltiesPerMatch * o.penaltyConversion) / totalLambda) : 0;
  const missRate = o.penaltiesPerMatch * (1 - o.penaltyConversion);
  const incidents: Incident[] = [];
  const reds = { home: 0, away: 0 };
  let abandonedAt: { half: 1 | 2; minute: number } | null = null;

  for (const half of [1, 2] as const) {
    const start = half === 1 ? 0 : 45;
    const length = 45 + stoppage[half - 1];
    const steps = Math.ceil(length / o.stepMinutes);
    const dt = length / steps;
    const ds = 0.5 / steps;
    for (let k = 0; k < steps && !abandonedAt; k++) {
      const s = (half - 1) * 0.5 + (k + 0.5) * ds;
      if (abandonAtS !== null && s >= abandonAtS) {
        abandonedAt = { half, minute: start + k * dt };
        break;
      }
      const w = 1 + slope * (s - 0.5);
      const wRed = 1 + (s - 0.5);
      const homeFactor = effect.ownFactor ** reds.home * effect.opponentFactor ** reds.away;
      const awayFactor = effect.ownFactor ** reds.away * effect.opponentFactor ** reds.home;
      const rates: Array<[Kind, Team, number]> = [
        ['goal', 'home', options.lambdaHome * w * homeFactor * ds],
        ['goal', 'away', options.lambdaAway * w * awayFactor * ds],
        ['red_card', 'home', reds.home < 3 ? o.redCardsPerTeam * wRed * ds : 0],
        ['red_card', 'away', reds.away < 3 ? o.redCardsPerTeam * wRed * ds : 0],
        ['penalty_missed', 'home', totalLambda > 0 ? (missRate * options.lambdaHome * ds) / totalLambda : 0],
        ['penalty_missed', 'away', totalLambda > 0 ? (missRate * options.lambdaAway * ds) / totalLambda : 0],
      ];
      const total = rates.reduce((sum, r) => sum + r[2], 0);
      const u = rng();
      if (u >= 1 - Math.exp(-total)) continue;
      // Which incident: u is uniform on [0, p) here; rescale to the rates.
      let pick = (u / (1 - Math.exp(-total))) * total;
      let chosen = rates[rates.length - 1];
      for (const r of rates) {
        if (pick < r[2]) {
          chosen = r;
          break;
        }
        pick -= r[2];
      }
      const [kind, team] = chosen;
      const minute = start + (k + rng()) * dt;
      const end = start + length;
      if (kind === 'red_card') {
        reds[team] += 1;
        incidents.push({ half, minute, order: 0, kind, team });
      } else if (kind === 'goal') {
        if (rng() < penaltyGoalShare) incidents.push({ half, minute: Math.max(start, minute - 1), order: 0, kind: 'penalty_awarded', team });
        incidents.push({ half, minute, order: 1, kind: 'goal', team });
      } else {
        incidents.push({ half, minute, order: 0, kind: 'penalty_awarded', team });
        incidents.push({ half, minute: Math.min(end, minute + 1), order: 1, kind: 'penalty_missed', team });
      }
    }
    if (abandonedAt) break;
  }
  return buildFeed(options, o, stoppage, incidents, abandonedAt);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

type Draft = { half: 1 | 2 | 3; minute: number; order: number; build: (base: { eventId: string; seq: number; at: number }) => FeedMessage };

/** Orders incidents and clock ticks on the match clock, cuts at abandonment, stamps seq and real time. */
function buildFeed(
  options: SimulationOptions,
  o: Resolved,
  stoppage: [number, number],
  incidents: Incident[],
  abandonedAt: { half: 1 | 2; minute: number } | null,
): SimulatedMatch {
  const drafts: Draft[] = [{ half: 1, minute: 0, order: -1, build: (b) => ({ ...b, type: 'kick_off', minute: 0 }) }];
  for (const inc of incidents) {
    drafts.push({ half: inc.half, minute: inc.minute, order: inc.order, build: (b) => ({ ...b, type: inc.kind, team: inc.team, minute: round2(inc.minute) }) });
  }
  const ends: [number, number] = [45 + stoppage[0], 90 + stoppage[1]];
  for (const half of [1, 2] as const) {
    const start = half === 1 ? 0 : 45;
    for (let m = start + o.clockEveryMinutes; m < ends[half - 1] + 1e-9; m += o.clockEveryMinutes) {
      drafts.push({ half, minute: m, order: 5, build: (b) => ({ ...b, type: 'clock', minute: round2(m) }) });
    }
  }
  drafts.push({ half: 1, minute: ends[0], order: 9, build: (b) => ({ ...b, type: 'half_time', minute: ends[0] }) });
  drafts.push({ half: 2, minute: 45, order: -1, build: (b) => ({ ...b, type: 'second_half_kick_off', minute: 45 }) });
  drafts.push({ half: 2, minute: ends[1], order: 9, build: (b) => ({ ...b, type: 'full_time', minute: ends[1] }) });
  drafts.sort((a, b) => a.half - b.half || a.minute - b.minute || a.order - b.order);

  const cut = abandonedAt ? drafts.filter((d) => d.half < abandonedAt.half || (d.half === abandonedAt.half && d.minute < abandonedAt.minute)) : drafts;
  const kept = abandonedAt ? cut.filter((d) => !(d.order === 9 && d.half === 2)) : cut;
  if (abandonedAt) {
    kept.push({ half: abandonedAt.half, minute: abandonedAt.minute, order: 10, build: (b) => ({ ...b, type: 'abandoned', reason: 'simulated abandonment', minute: round2(abandonedAt.minute) }) });
  }

  const halfTimeMs = o.halfTimeMs ?? o.halfTimeMinutes * options.msPerMinute;
  const secondHalfAt = options.kickOffAt + ends[0] * options.msPerMinute + halfTimeMs;
  const realAt = (d: Draft) => Math.round(d.half === 1 ? options.kickOffAt + d.minute * options.msPerMinute : secondHalfAt + (d.minute - 45) * options.msPerMinute);

  const score = { home: 0, away: 0 };
  const reds = { home: 0, away: 0 };
  let penalties = 0;
  let penaltiesScored = 0;
  let pendingPenalty: Team | null = null;
  const messages: FeedMessage[] = kept.map((d, i) => {
    let message = d.build({ eventId: options.eventId, seq: i + 1, at: realAt(d) });
    if (message.type === 'goal') {
      score[message.team] += 1;
      if (pendingPenalty === message.team) penaltiesScored += 1;
      pendingPenalty = null;
    } else if (message.type === 'red_card') reds[message.team] += 1;
    else if (message.type === 'penalty_awarded') {
      penalties += 1;
      pendingPenalty = message.team;
    } else if (message.type === 'penalty_missed') pendingPenalty = null;
    else if (message.type === 'clock') {
      message = { ...message, period: d.half === 1 ? 'first_half' : 'second_half', score: { ...score }, reds: { ...reds } };
    }
    return message;
  });
  return { messages, score, reds, penalties, penaltiesScored, abandoned: abandonedAt !== null, endsAt: messages[messages.length - 1].at };
}
