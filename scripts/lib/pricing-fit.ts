/**
 * Team-strength fit for the pricing engine (pure; the I/O lives in scripts/fit-pricing.ts).
 *
 * Model (Dixon & Coles 1997, with Maher's log-linear Poisson means):
 *   log λ_home = c + h_m + a_home − d_away,  log λ_away = c + a_away − d_home
 * where h_m is the home advantage, split into "with crowds" and "behind closed doors" (COVID
 * ghost games) when `ghostSplit` is on. Goals are Poisson with the Dixon–Coles τ on low scores.
 *
 * Estimation: weighted penalised maximum likelihood.
 *  - weight of a match = exp(−ξ · days before the reference day) (time decay; ξ = 0 is no decay);
 *  - ridge penalty κ/2·Σ((a_t − m_t)² + (d_t − m_t')²) pulls every team towards a prior mean
 *    (0 = league average, or the promoted-team prior), which regularises teams with few matches
 *    and makes the parameters identifiable;
 *  - the Poisson part is fitted by Newton's method (concave, exact Hessian, Cholesky solve);
 *    rho is then fitted by golden-section search on the τ part of the likelihood with the means
 *    held fixed (a two-stage fit: τ barely moves the means, and this keeps Newton exact).
 */

import { dixonColesTau, preMatchResultProbs, remainingScoreMatrix, DEFAULT_MAX_EXTRA_GOALS } from '../../actors/odds/index.ts';
import { choleskySolve } from '../../actors/odds/rating-fit.ts';

export interface FitMatch {
  home: number;
  away: number;
  homeGoals: number;
  awayGoals: number;
  day: number;
  /** Played behind closed doors. */
  ghost: boolean;
}

export interface FitOptions {
  /** ξ: time-decay rate per day. */
  decayPerDay: number;
  /** κ: ridge precision on each team's attack and defence. */
  ridge: number;
  ghostSplit: boolean;
  /** Only matches strictly before this day are used; weights decay from it. */
  referenceDay: number;
  /** Per-team prior means (default 0 = league average). */
  priorAttack?: Float64Array;
  priorDefence?: Float64Array;
}

export interface TeamModel {
  nTeams: number;
  intercept: number;
  home: number;
  homeGhost: number;
  attack: Float64Array;
  defence: Float64Array;
  rho: number;
  /** Parameter vector, reusable as a warm start. */
  theta: Float64Array;
}

const TINY_RIDGE = 1e-6;
const MAX_NEWTON_ITERATIONS = 60;

/** The fit's linear solver is the pricing math's own (re-exported for the fit's callers and tests). */
export { choleskySolve };

export function matchWeights(matches: readonly FitMatch[], options: FitOptions): Float64Array {
  const w = new Float64Array(matches.length);
  for (let i = 0; i < matches.length; i++) {
    const age = options.referenceDay - matches[i].day;
    w[i] = age > 0 ? Math.exp(-options.decayPerDay * age) : 0;
  }
  return w;
}

function addOuter(info: Float64Array, p: number, idx: readonly number[], sign: readonly number[], scale: number): void {
  for (let r = 0; r < idx.length; r++) {
    for (let c = 0; c < idx.length; c++) info[idx[r] * p + idx[c]] += scale * sign[r] * sign[c];
  }
}

const SIGN_HOME = [1, 1, 1, -1] as const;
const SIGN_AWAY = [1, 1, -1] as const;

export function fitTeamModel(
  matches: readonly FitMatch[],
  nTeams: number,
  options: FitOptions,
  warmStart?: Float64Array,
): TeamModel {
  const p = 3 + 2 * nTeams;
  const theta = warmStart && warmStart.length === p ? Float64Array.from(warmStart) : new Float64Array(p);
  const weights = matchWeights(matches, options);
  const priorA = options.priorAttack ?? new Float64Array(nTeams);
  const priorD = options.priorDefence ?? new Float64Array(nTeams);
  const idxHome = [0, 0, 0, 0];
  const idxAway = [0, 0, 0];
  for (let iter = 0; iter < MAX_NEWTON_ITERATIONS; iter++) {
    const grad = new Float64Array(p);
    const info = new Float64Array(p * p);
    for (let m = 0; m < matches.length; m++) {
      const w = weights[m];
      if (w === 0) continue;
      const g = matches[m];
      idxHome[1] = options.ghostSplit && g.ghost ? 2 : 1;
      idxHome[2] = 3 + g.home;
      idxHome[3] = 3 + nTeams + g.away;
      idxAway[1] = 3 + g.away;
      idxAway[2] = 3 + nTeams + g.home;
      const lamH = Math.exp(theta[0] + theta[idxHome[1]] + theta[idxHome[2]] - theta[idxHome[3]]);
      const lamA = Math.exp(theta[0] + theta[idxAway[1]] - theta[idxAway[2]]);
      const rH = w * (g.homeGoals - lamH);
      const rA = w * (g.awayGoals - lamA);
      for (let k = 0; k < 4; k++) grad[idxHome[k]] += SIGN_HOME[k] * rH;
      for (let k = 0; k < 3; k++) grad[idxAway[k]] += SIGN_AWAY[k] * rA;
      addOuter(info, p, idxHome, SIGN_HOME, w * lamH);
      addOuter(info, p, idxAway, SIGN_AWAY, w * lamA);
    }
    for (let i = 0; i < p; i++) {
      grad[i] -= TINY_RIDGE * theta[i];
      info[i * p + i] += TINY_RIDGE;
    }
    for (let t = 0; t < nTeams; t++) {
      const a = 3 + t;
      const d = 3 + nTeams + t;
      grad[a] -= options.ridge * (theta[a] - priorA[t]);
      grad[d] -= options.ridge * (theta[d] - priorD[t]);
      info[a * p + a] += options.ridge;
      info[d * p + d] += options.ridge;
    }
    const step = choleskySolve(info, grad, p);
    let maxStep = 0;
    for (let i = 0; i < p; i++) maxStep = Math.max(maxStep, Math.abs(step[i]));
    // Damp wild first steps (a cold start far from the optimum); Newton is exact near it.
    const scale = maxStep > 1 ? 1 / maxStep : 1;
    for (let i = 0; i < p; i++) theta[i] += scale * step[i];
    if (maxStep < 1e-9) break;
  }
  const model: TeamModel = {
    nTeams,
    intercept: theta[0],
    home: theta[1],
    homeGhost: options.ghostSplit ? theta[2] : theta[1],
    attack: theta.slice(3, 3 + nTeams),
    defence: theta.slice(3 + nTeams, 3 + 2 * nTeams),
    rho: 0,
    theta,
  };
  model.rho = fitRho(matches, weights, model, options.ghostSplit);
  return model;
}

export function expectedGoalsFor(model: TeamModel, home: number, away: number, ghost = false): [number, number] {
  const h = ghost ? model.homeGhost : model.home;
  return [
    Math.exp(model.intercept + h + model.attack[home] - model.defence[away]),
    Math.exp(model.intercept + model.attack[away] - model.defence[home]),
  ];
}

/** Golden-section maximisation of Σ w·log τ(x, y; λ, μ, ρ) over ρ ∈ [−0.3, 0.3]. */
export function fitRho(matches: readonly FitMatch[], weights: Float64Array, model: TeamModel, ghostSplit: boolean): number {
  const low: Array<{ x: number; y: number; lh: number; la: number; w: number }> = [];
  for (let m = 0; m < matches.length; m++) {
    const g = matches[m];
    if (weights[m] === 0 || g.homeGoals > 1 || g.awayGoals > 1) continue;
    const [lh, la] = expectedGoalsFor(model, g.home, g.away, ghostSplit && g.ghost);
    low.push({ x: g.homeGoals, y: g.awayGoals, lh, la, w: weights[m] });
  }
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
  let a = -0.3;
  let b = 0.3;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = objective(c);
  let fd = objective(d);
  while (b - a > 1e-7) {
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

// ---- prediction and scoring ------------------------------------------------------------------

export type Probs3 = readonly [number, number, number];

export function resultProbs(model: TeamModel, home: number, away: number): Probs3 {
  const [lh, la] = expectedGoalsFor(model, home, away);
  return preMatchResultProbs(lh, la, model.rho);
}

/** P(over 2.5 goals) pre-match from the same Dixon–Coles score matrix. */
export function overProb(lambdaHome: number, lambdaAway: number, rho: number, line = 2.5): number {
  const size = DEFAULT_MAX_EXTRA_GOALS + 1;
  const matrix = remainingScoreMatrix(lambdaHome, lambdaAway, rho);
  let under = 0;
  for (let i = 0; i < size; i++) for (let j = 0; i + j < line && j < size; j++) under += matrix[i * size + j];
  return 1 - under;
}

export const OUTCOME_INDEX = { H: 0, D: 1, A: 2 } as const;

/** −ln p(observed), floored at 1e-15 so a confident miss is finite. */
export function logLoss(probs: readonly number[], observed: number): number {
  return -Math.log(Math.max(probs[observed], 1e-15));
}

/** Multi-class Brier score Σ_k (p_k − 1[k = observed])², in [0, 2]. */
export function brierScore(probs: readonly number[], observed: number): number {
  let s = 0;
  for (let k = 0; k < probs.length; k++) {
    const o = k === observed ? 1 : 0;
    s += (probs[k] - o) ** 2;
  }
  return s;
}

export interface MeanWithError {
  mean: number;
  /** Standard error of the mean. */
  se: number;
  n: number;
}

export function meanWithError(values: readonly number[]): MeanWithError {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1);
  return { mean, se: Math.sqrt(variance / n), n };
}
