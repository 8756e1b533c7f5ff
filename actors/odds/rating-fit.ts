/**
 * Team ratings for pre-match expected goals, fitted to past matches: the model the backtest
 * (scripts/backtest.ts) walks forward and the server's refit job (server/pricing) writes out.
 *
 *   log λ_home = c + h + a_home − d_away,   log λ_away = c + a_away − d_home
 *
 * (Maher 1982; Dixon & Coles 1997), with h replaced by a separate "behind closed doors" value for
 * matches flagged `ghost` when `ghostSplit` is on. A higher `d` is a better defence.
 *
 * Targets. Each side of a past match contributes a Poisson log-likelihood term y·log λ − λ whose
 * target y is not only the goals scored: where the match had market prices, y mixes in the
 * market-implied expected goals x̂ of that match (market-fit.ts, from its closing prices):
 *   y = γ·x̂ + (1 − γ)·goals.
 * The Poisson score equations are unchanged by a fractional target (quasi-likelihood), so Newton's
 * method applies as for goals. A match's market-implied rates carry far less noise than its goals,
 * so a market-target match counts `marketWeight` times a goals-only one.
 *
 * Weights: exp(−ξ·age in days) (Dixon & Coles' time decay) times the market weight. Penalties: a
 * ridge κ/2·Σ((a_t − ā_t)² + (d_t − d̄_t)²) towards per-team prior means (0 = league average; the
 * promoted-team prior for newcomers), and weak priors on c and h so a fit with no data is sensible.
 *
 * Drifting scoring level. The intercept c shares the ratings' time decay; on top, `levelDecayPerDay`
 * (ξ_L, faster) re-estimates the league's scoring level from recent matches only:
 *   δ = ln(Σ v·(y_h + y_a) / Σ v·(λ_h + λ_a)),  v = exp(−ξ_L·age),
 * and c + δ is the level used for predictions (a local-level correction: goals per match drift
 * within a season, and the market moves with them).
 *
 * ρ (Dixon–Coles) is given (the market-implied value, market-fit.ts `marketImpliedRho`, when past
 * matches have prices) or else fitted afterwards on the τ part of the likelihood of the actual scores, with
 * the same time-decay weights and the means held fixed (a two-stage fit), by golden-section search.
 *
 * Pure and deterministic: no clock (the reference day is an input), no I/O.
 */
import { dixonColesTau } from './goal-model.ts';

export interface RatingMatch {
  /** Team indices into the fit's team list. */
  home: number;
  away: number;
  homeGoals: number;
  awayGoals: number;
  /** Whole days since the epoch (UTC). */
  day: number;
  /** Played behind closed doors (COVID-era ghost games). */
  ghost?: boolean;
  /** Market-implied expected goals of this match (from its closing prices), when it had prices. */
  marketHome?: number;
  marketAway?: number;
}

export interface RatingHyper {
  /** ξ: time decay of a match's weight, per day. */
  decayPerDay: number;
  /** κ: ridge precision on each team's attack and defence. */
  ridge: number;
  /** γ ∈ [0, 1]: share of the market-implied expected goals in a side's target. */
  marketShare: number;
  /** How many goals-only matches one market-target match counts for. */
  marketWeight: number;
  /** ξ_L: decay of the scoring-level correction (0: no separate level correction). */
  levelDecayPerDay: number;
  /** Separate home advantage for ghost games. */
  ghostSplit: boolean;
}

export interface RatingFitOptions extends RatingHyper {
  /** Only matches strictly before this day are used; ages are measured from it. */
  referenceDay: number;
  /** ρ decided elsewhere (e.g. market-implied, market-fit.ts); fitted on the scores when absent. */
  rho?: number;
  priorAttack?: Float64Array;
  priorDefence?: Float64Array;
}

export interface RatingModel {
  nTeams: number;
  /** Intercept including the level correction (what predictions use). */
  intercept: number;
  /** The level correction δ already added to `intercept`. */
  levelShift: number;
  home: number;
  homeGhost: number;
  attack: Float64Array;
  defence: Float64Array;
  rho: number;
  /** Raw parameter vector [c, h, h_ghost, a…, d…] (without δ), reusable as a warm start. */
  theta: Float64Array;
  /** Σ weights of the matches used (0: fitted on priors alone). */
  weightSum: number;
}

/** Weak priors used when there is little or no data: ~2.7 goals a match, home advantage ×1.2. */
export const PRIOR_INTERCEPT = Math.log(1.3);
export const PRIOR_HOME = 0.18;
const PRIOR_PRECISION = 1;
const TINY_RIDGE = 1e-6;
const MAX_NEWTON_ITERATIONS = 60;
const RHO_RANGE = 0.25;

/** Solves A x = b for symmetric positive-definite A (row-major p×p) by Cholesky; A is overwritten. */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j];
    for (let k = 0; k < j; k++) d -= a[j * p + k] * a[j * p + k];
    if (!(d > 0)) throw new Error('choleskySolve: matrix not positive definite');
    const l = Math.sqrt(d);
    a[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = s / l;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < p; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= a[i * p + k] * x[k];
    x[i] = s / a[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < p; k++) s -= a[k * p + i] * x[k];
    x[i] = s / a[i * p + i];
  }
  return x;
}

function hasMarket(m: RatingMatch): boolean {
  return m.marketHome !== undefined && m.marketAway !== undefined && m.marketHome > 0 && m.marketAway > 0;
}

/** A side's target y (module comment). */
function targets(m: RatingMatch, share: number): [number, number] {
  if (!hasMarket(m) || share === 0) return [m.homeGoals, m.awayGoals];
  return [share * m.marketHome! + (1 - share) * m.homeGoals, share * m.marketAway! + (1 - share) * m.awayGoals];
}

export function ratingWeights(matches: readonly RatingMatch[], options: RatingFitOptions): Float64Array {
  const w = new Float64Array(matches.length);
  for (let i = 0; i < matches.length; i++) {
    const age = options.referenceDay - matches[i].day;
    if (age <= 0) continue;
    w[i] = Math.exp(-options.decayPerDay * age) * (hasMarket(matches[i]) && options.marketShare > 0 ? options.marketWeight : 1);
  }
  return w;
}

function validate(options: RatingFitOptions, nTeams: number): void {
  const bad = (name: string, v: number, lo: number, hi: number) => {
    if (!(v >= lo && v <= hi)) throw new RangeError(`fitRatings: ${name} must be in [${lo}, ${hi}], got ${v}`);
  };
  bad('decayPerDay', options.decayPerDay, 0, 1);
  bad('ridge', options.ridge, 0, 1e6);
  bad('marketShare', options.marketShare, 0, 1);
  bad('marketWeight', options.marketWeight, 0, 1e3);
  bad('levelDecayPerDay', options.levelDecayPerDay, 0, 1);
  if (!Number.isInteger(nTeams) || nTeams < 1) throw new RangeError(`fitRatings: nTeams must be a positive integer, got ${nTeams}`);
}

export function fitRatings(matches: readonly RatingMatch[], nTeams: number, options: RatingFitOptions, warmStart?: Float64Array): RatingModel {
  validate(options, nTeams);
  const p = 3 + 2 * nTeams;
  const theta = warmStart && warmStart.length === p ? Float64Array.from(warmStart) : new Float64Array(p);
  if (!warmStart || warmStart.length !== p) {
    theta[0] = PRIOR_INTERCEPT;
    theta[1] = PRIOR_HOME;
    theta[2] = PRIOR_HOME;
  }
  const weights = ratingWeights(matches, options);
  const used: number[] = [];
  let weightSum = 0;
  for (let m = 0; m < matches.length; m++) {
    if (weights[m] > 0) {
      used.push(m);
      weightSum += weights[m];
    }
  }
  const y = used.map((m) => targets(matches[m], options.marketShare));
  const priorA = options.priorAttack ?? new Float64Array(nTeams);
  const priorD = options.priorDefence ?? new Float64Array(nTeams);
  const idxH = [0, 0, 0, 0];
  const signH = [1, 1, 1, -1];
  const idxA = [0, 0, 0];
  const signA = [1, 1, -1];
  const grad = new Float64Array(p);
  const info = new Float64Array(p * p);
  const add = (idx: number[], sign: number[], r: number, curvature: number) => {
    for (let k = 0; k < idx.length; k++) grad[idx[k]] += sign[k] * r;
    for (let a = 0; a < idx.length; a++) for (let b = 0; b < idx.length; b++) info[idx[a] * p + idx[b]] += curvature * sign[a] * sign[b];
  };
  for (let iter = 0; iter < MAX_NEWTON_ITERATIONS; iter++) {
    grad.fill(0);
    info.fill(0);
    for (let u = 0; u < used.length; u++) {
      const g = matches[used[u]];
      const w = weights[used[u]];
      idxH[1] = options.ghostSplit && g.ghost ? 2 : 1;
      idxH[2] = 3 + g.home;
      idxH[3] = 3 + nTeams + g.away;
      idxA[1] = 3 + g.away;
      idxA[2] = 3 + nTeams + g.home;
      const lamH = Math.exp(theta[0] + theta[idxH[1]] + theta[idxH[2]] - theta[idxH[3]]);
      const lamA = Math.exp(theta[0] + theta[idxA[1]] - theta[idxA[2]]);
      add(idxH, signH, w * (y[u][0] - lamH), w * lamH);
      add(idxA, signA, w * (y[u][1] - lamA), w * lamA);
    }
    const priors: Array<[number, number, number]> = [[0, PRIOR_INTERCEPT, PRIOR_PRECISION], [1, PRIOR_HOME, PRIOR_PRECISION], [2, PRIOR_HOME, PRIOR_PRECISION]];
    if (!options.ghostSplit) priors[2] = [2, theta[1], 1]; // unused parameter: keep it tied to h
    for (const [i, mean, precision] of priors) {
      grad[i] -= precision * (theta[i] - mean);
      info[i * p + i] += precision;
    }
    for (let t = 0; t < nTeams; t++) {
      const a = 3 + t;
      const d = 3 + nTeams + t;
      grad[a] -= (options.ridge + TINY_RIDGE) * (theta[a] - priorA[t]);
      grad[d] -= (options.ridge + TINY_RIDGE) * (theta[d] - priorD[t]);
      info[a * p + a] += options.ridge + TINY_RIDGE;
      info[d * p + d] += options.ridge + TINY_RIDGE;
    }
    const step = choleskySolve(info, grad, p);
    let maxStep = 0;
    for (let i = 0; i < p; i++) maxStep = Math.max(maxStep, Math.abs(step[i]));
    // Damp wild first steps (a cold start far from the optimum); Newton is exact near it.
    const scale = maxStep > 1 ? 1 / maxStep : 1;
    for (let i = 0; i < p; i++) theta[i] += scale * step[i];
    if (maxStep < 1e-9) break;
  }
  const model: RatingModel = {
    nTeams,
    intercept: theta[0],
    levelShift: 0,
    home: theta[1],
    homeGhost: options.ghostSplit ? theta[2] : theta[1],
    attack: theta.slice(3, 3 + nTeams),
    defence: theta.slice(3 + nTeams, 3 + 2 * nTeams),
    rho: 0,
    theta,
    weightSum,
  };
  if (options.levelDecayPerDay > 0) {
    let num = 0;
    let den = 0;
    for (let u = 0; u < used.length; u++) {
      const g = matches[used[u]];
      const v = Math.exp(-options.levelDecayPerDay * (options.referenceDay - g.day));
      const [lh, la] = ratingRates(model, g.home, g.away, options.ghostSplit && g.ghost === true);
      num += v * (y[u][0] + y[u][1]);
      den += v * (lh + la);
    }
    // A level estimate from a handful of matches is noise: it enters in proportion to its weight.
    const effective = num > 0 && den > 0 ? Math.log(num / den) : 0;
    let vSum = 0;
    for (const m of used) vSum += Math.exp(-options.levelDecayPerDay * (options.referenceDay - matches[m].day));
    const shrink = vSum / (vSum + 20);
    model.levelShift = effective * shrink;
    model.intercept += model.levelShift;
  }
  model.rho = options.rho ?? fitRho(used.map((m) => matches[m]), used.map((m) => weights[m]), model, options.ghostSplit);
  return model;
}

/** λ_home, λ_away of a fixture under a fitted model. */
export function ratingRates(model: RatingModel, home: number, away: number, ghost = false): [number, number] {
  const h = ghost ? model.homeGhost : model.home;
  return [
    Math.exp(model.intercept + h + model.attack[home] - model.defence[away]),
    Math.exp(model.intercept + model.attack[away] - model.defence[home]),
  ];
}

/** Golden-section maximisation of Σ w·ln τ(x, y; λ, μ, ρ) over ρ ∈ [−0.25, 0.25]; 0 without data. */
export function fitRho(matches: readonly RatingMatch[], weights: readonly number[], model: RatingModel, ghostSplit: boolean): number {
  const low: Array<{ x: number; y: number; lh: number; la: number; w: number }> = [];
  for (let m = 0; m < matches.length; m++) {
    const g = matches[m];
    if (!(weights[m] > 0) || g.homeGoals > 1 || g.awayGoals > 1) continue;
    const [lh, la] = ratingRates(model, g.home, g.away, ghostSplit && g.ghost === true);
    low.push({ x: g.homeGoals, y: g.awayGoals, lh, la, w: weights[m] });
  }
  if (low.length === 0) return 0;
  const objective = (rho: number): number => {
    let s = 0;
    for (const o of low) {
      const tau = dixonColesTau(o.x, o.y, o.lh, o.la, rho);
      if (tau <= 0) return -Infinity;
      s += o.w * Math.log(tau);
    }
    return s;
  };
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = -RHO_RANGE;
  let b = RHO_RANGE;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = objective(c);
  let fd = objective(d);
  while (b - a > 1e-6) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = objective(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = objective(d);
    }
  }
  return (a + b) / 2;
}

/**
 * Promoted-team prior: the mean rating of the `count` weakest teams (by attack + defence) among
 * `previous` (last season's teams). Newly promoted sides are, on average, about as strong as the
 * sides they replace; the weakest teams are a proxy for the relegated ones that needs no table.
 */
export function weakestTeamsPrior(model: RatingModel, previous: readonly number[], count: number): { attack: number; defence: number } {
  if (previous.length === 0 || count < 1) return { attack: 0, defence: 0 };
  const sorted = [...previous].sort((x, y) => model.attack[x] + model.defence[x] - (model.attack[y] + model.defence[y]) || x - y);
  const weakest = sorted.slice(0, Math.min(count, sorted.length));
  return {
    attack: weakest.reduce((s, t) => s + model.attack[t], 0) / weakest.length,
    defence: weakest.reduce((s, t) => s + model.defence[t], 0) / weakest.length,
  };
}
