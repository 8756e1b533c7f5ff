/**
 * Market prices as an input: from a bookmaker's 1X2 (and optionally over/under) prices to the
 * expected goals λ_home, λ_away that reproduce them through this engine's own scoring model
 * (remaining-time Poisson rates, Dixon–Coles τ with the league's ρ, the current score and red
 * cards), and the blend of those rates with the engine's own model.
 *
 *  1. Margin removal (margin.ts `removeMargin`, default 'power'): fair probabilities from odds.
 *  2. Inverse fit (`marketImpliedRates`): the (log λ_home, log λ_away) minimising the weighted
 *     Kullback–Leibler divergence from the market's fair probabilities to the engine's,
 *       D(λ) = Σ_k t_k ln(t_k / m_k(λ))  [1X2]  +  w_ou · Σ_k u_k ln(u_k / n_k(λ))  [over/under],
 *     by Fisher scoring (Gauss–Newton for a divergence: H ≈ Σ_k ∇m_k ∇m_kᵀ / m_k) with
 *     Levenberg–Marquardt damping and a numerical Jacobian. With 1X2 alone the system is exactly
 *     determined (two free probabilities, two rates) and D reaches 0 whenever the engine can
 *     produce the prices; with over/under as well it is a best compromise between the markets.
 *  3. Blend (`poolRates`): a log-linear pool of the model's and the market's goal distributions.
 *     For independent Poisson counts the pool is exact and closed-form: Poisson(λ₁)^(1−w) ·
 *     Poisson(λ₂)^w ∝ Poisson(λ₁^(1−w) λ₂^w), so the pooled distribution is the engine's own
 *     model with geometric-mean rates (the Dixon–Coles τ, which depends on λ only weakly, is
 *     taken at the pooled rates). Every market is then priced from the pooled rates by priceMatch.
 *
 * Pure: no clock, no randomness, no I/O.
 */
import {
  DEFAULT_INTENSITY_SLOPE,
  DEFAULT_MAX_EXTRA_GOALS,
  remainingRates,
  remainingScoreMatrix,
  type RedCardEffect,
} from './goal-model.ts';
import { removeMargin, type MarginRemovalMethod } from './margin.ts';

export interface Rates {
  /** Expected goals over 90 minutes (pre-match equivalent). */
  lambdaHome: number;
  lambdaAway: number;
}

/** Bookmaker prices for one event, decimal odds with the bookmaker's margin still in them. */
export interface MarketQuote {
  /** Home, draw, away. */
  oneXTwo: readonly [number, number, number];
  /** Over, under `totalsLine` goals. */
  overUnder?: readonly [number, number];
  /** The total-goals line of `overUnder` (default 2.5). */
  totalsLine?: number;
}

export interface MatchStateForFit {
  /** Elapsed minutes (default 0: pre-match). */
  minute?: number;
  homeGoals?: number;
  awayGoals?: number;
  homeReds?: number;
  awayReds?: number;
  intensitySlope?: number;
  redCardEffect?: RedCardEffect;
  maxExtraGoals?: number;
}

export interface MarketImpliedInput extends MatchStateForFit {
  /** Fair (margin-free) probabilities of home, draw, away; normalised here. */
  result: readonly [number, number, number];
  /** Fair probability of over `totalsLine` goals (optional). */
  over?: number;
  totalsLine?: number;
  /** Weight of the over/under divergence relative to the 1X2 one (default 1). */
  totalsWeight?: number;
  /** Dixon–Coles ρ of the engine (the league's fitted value). */
  rho: number;
  /** Start of the search (default: a guess from the probabilities). */
  start?: Rates;
}

export interface MarketImpliedRates extends Rates {
  /** The minimised divergence D (0 when the prices are reproduced exactly). */
  divergence: number;
  iterations: number;
  converged: boolean;
}

export const MIN_IMPLIED_LAMBDA = 0.02;
export const MAX_IMPLIED_LAMBDA = 8;
const LOG_MIN = Math.log(MIN_IMPLIED_LAMBDA);
const LOG_MAX = Math.log(MAX_IMPLIED_LAMBDA);
const MAX_ITERATIONS = 60;
const JACOBIAN_STEP = 1e-5;
const PROB_FLOOR = 1e-12;

interface Ctx {
  minute: number;
  homeGoals: number;
  awayGoals: number;
  homeReds: number;
  awayReds: number;
  slope: number;
  effect: RedCardEffect | undefined;
  maxExtra: number;
  rho: number;
  line: number;
  /** Over/under used: the line is not passed yet. */
  totals: boolean;
}

/** Engine probabilities [home, draw, away, over, under] at log-rates (x, y). */
function modelProbs(x: number, y: number, ctx: Ctx): number[] {
  const rates = remainingRates({
    lambdaHome: Math.exp(x),
    lambdaAway: Math.exp(y),
    minute: ctx.minute,
    homeReds: ctx.homeReds,
    awayReds: ctx.awayReds,
    intensitySlope: ctx.slope,
    redCardEffect: ctx.effect,
  });
  const matrix = remainingScoreMatrix(rates.muHome, rates.muAway, ctx.rho, ctx.maxExtra);
  const size = ctx.maxExtra + 1;
  const lead = ctx.homeGoals - ctx.awayGoals;
  const maxUnder = Math.floor(ctx.line - (ctx.homeGoals + ctx.awayGoals)); // further goals allowed for "under"
  let home = 0;
  let draw = 0;
  let away = 0;
  let under = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const p = matrix[i * size + j];
      const m = lead + i - j;
      if (m > 0) home += p;
      else if (m < 0) away += p;
      else draw += p;
      if (i + j <= maxUnder) under += p;
    }
  }
  return [home, draw, away, 1 - under, under];
}

function clampLog(v: number): number {
  return Math.min(LOG_MAX, Math.max(LOG_MIN, v));
}

/** A starting point: total from the over price (or a typical 2.6), split by the 1X2 supremacy. */
function initialGuess(target: readonly number[], hasTotals: boolean, fraction: number): [number, number] {
  const total = hasTotals ? 1.2 + 2.8 * target[3] : 2.6;
  const supremacy = 2.2 * (target[0] - target[2]);
  const f = Math.max(fraction, 0.05);
  const lh = Math.max(0.2, (total + supremacy) / 2) / f;
  const la = Math.max(0.2, (total - supremacy) / 2) / f;
  return [clampLog(Math.log(Math.min(lh, 4))), clampLog(Math.log(Math.min(la, 4)))];
}

function divergence(target: readonly number[], weights: readonly number[], model: readonly number[]): number {
  let d = 0;
  for (let k = 0; k < target.length; k++) {
    if (weights[k] === 0 || target[k] <= 0) continue;
    d += weights[k] * target[k] * Math.log(target[k] / Math.max(model[k], PROB_FLOOR));
  }
  return d;
}

function assertProbability(name: string, p: number): void {
  if (!Number.isFinite(p) || p < 0 || p > 1) throw new RangeError(`marketImpliedRates: ${name} must be a probability, got ${p}`);
}

/**
 * The pre-match-equivalent rates that reproduce the given fair prices through the engine (see the
 * module comment). In play (minute > 0) the same λ's are what priceMatch takes: the engine applies
 * the remaining-time fraction, the score and the red cards itself.
 */
export function marketImpliedRates(input: MarketImpliedInput): MarketImpliedRates {
  input.result.forEach((p, i) => assertProbability(`result[${i}]`, p));
  const resultSum = input.result[0] + input.result[1] + input.result[2];
  if (!(resultSum > 0)) throw new RangeError('marketImpliedRates: result probabilities must not all be 0');
  if (!Number.isFinite(input.rho)) throw new RangeError(`marketImpliedRates: rho must be finite, got ${input.rho}`);
  if (input.over !== undefined) assertProbability('over', input.over);
  const minute = input.minute ?? 0;
  const homeGoals = input.homeGoals ?? 0;
  const awayGoals = input.awayGoals ?? 0;
  const line = input.totalsLine ?? 2.5;
  const ctx: Ctx = {
    minute,
    homeGoals,
    awayGoals,
    homeReds: input.homeReds ?? 0,
    awayReds: input.awayReds ?? 0,
    slope: input.intensitySlope ?? DEFAULT_INTENSITY_SLOPE,
    effect: input.redCardEffect,
    maxExtra: input.maxExtraGoals ?? DEFAULT_MAX_EXTRA_GOALS,
    rho: input.rho,
    line,
    totals: input.over !== undefined && homeGoals + awayGoals < line,
  };
  const target = [input.result[0] / resultSum, input.result[1] / resultSum, input.result[2] / resultSum, input.over ?? 0, 1 - (input.over ?? 0)];
  const wTotals = ctx.totals ? (input.totalsWeight ?? 1) : 0;
  const weights = [1, 1, 1, wTotals, wTotals];
  const fraction = remainingRates({ lambdaHome: 1, lambdaAway: 1, minute, intensitySlope: ctx.slope }).fraction;

  let [x, y] = input.start
    ? [clampLog(Math.log(Math.max(input.start.lambdaHome, MIN_IMPLIED_LAMBDA))), clampLog(Math.log(Math.max(input.start.lambdaAway, MIN_IMPLIED_LAMBDA)))]
    : initialGuess(target, ctx.totals, fraction);
  let model = modelProbs(x, y, ctx);
  let d = divergence(target, weights, model);
  let damping = 1e-3;
  let iterations = 0;
  let converged = false;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    const px = modelProbs(x + JACOBIAN_STEP, y, ctx);
    const mx = modelProbs(x - JACOBIAN_STEP, y, ctx);
    const py = modelProbs(x, y + JACOBIAN_STEP, ctx);
    const my = modelProbs(x, y - JACOBIAN_STEP, ctx);
    let gx = 0;
    let gy = 0;
    let hxx = 0;
    let hxy = 0;
    let hyy = 0;
    for (let k = 0; k < 5; k++) {
      if (weights[k] === 0) continue;
      const m = Math.max(model[k], PROB_FLOOR);
      const dx = (px[k] - mx[k]) / (2 * JACOBIAN_STEP);
      const dy = (py[k] - my[k]) / (2 * JACOBIAN_STEP);
      gx -= (weights[k] * target[k] * dx) / m;
      gy -= (weights[k] * target[k] * dy) / m;
      hxx += (weights[k] * dx * dx) / m;
      hxy += (weights[k] * dx * dy) / m;
      hyy += (weights[k] * dy * dy) / m;
    }
    if (Math.hypot(gx, gy) < 1e-12) {
      converged = true;
      break;
    }
    let accepted = false;
    for (let attempt = 0; attempt < 30 && !accepted; attempt++) {
      const a = hxx + damping * (hxx + 1e-12);
      const c = hyy + damping * (hyy + 1e-12);
      const det = a * c - hxy * hxy;
      if (!(det > 0)) {
        damping *= 10;
        continue;
      }
      const sx = -(c * gx - hxy * gy) / det;
      const sy = -(a * gy - hxy * gx) / det;
      const nx = clampLog(x + sx);
      const ny = clampLog(y + sy);
      const nextModel = modelProbs(nx, ny, ctx);
      const nd = divergence(target, weights, nextModel);
      if (nd <= d) {
        const moved = Math.max(Math.abs(nx - x), Math.abs(ny - y));
        x = nx;
        y = ny;
        model = nextModel;
        const improvement = d - nd;
        d = nd;
        damping = Math.max(damping / 10, 1e-9);
        accepted = true;
        if (moved < 1e-9 || improvement < 1e-15) converged = true;
      } else {
        damping *= 10;
      }
    }
    if (!accepted) {
      converged = true; // no descent direction left at this precision: a (constrained) optimum
      break;
    }
    if (converged) break;
  }
  return { lambdaHome: Math.exp(x), lambdaAway: Math.exp(y), divergence: d, iterations, converged };
}

/**
 * Rates implied by a bookmaker quote: margin removed by `method` (default power, see margin.ts),
 * then the inverse fit.
 */
export function ratesFromQuote(
  quote: MarketQuote,
  options: MatchStateForFit & { rho: number; removal?: MarginRemovalMethod; totalsWeight?: number },
): MarketImpliedRates {
  const removal = options.removal ?? 'power';
  const result = removeMargin(quote.oneXTwo, removal) as [number, number, number];
  const over = quote.overUnder ? removeMargin(quote.overUnder, removal)[0] : undefined;
  return marketImpliedRates({ ...options, result, over, totalsLine: quote.totalsLine });
}

/** Normalised log-linear pool: p_k ∝ Π_i p_ik^(w_i). Weights ≥ 0; a zero-probability outcome of any positive-weight input stays 0. */
export function logLinearPool(distributions: ReadonlyArray<readonly number[]>, weights: readonly number[]): number[] {
  if (distributions.length === 0 || distributions.length !== weights.length) throw new RangeError('logLinearPool: one weight per distribution');
  const n = distributions[0].length;
  const logs = new Array<number>(n).fill(0);
  for (let i = 0; i < distributions.length; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`logLinearPool: weight ${w} must be finite and ≥ 0`);
    if (distributions[i].length !== n) throw new RangeError('logLinearPool: distributions differ in length');
    if (w === 0) continue;
    for (let k = 0; k < n; k++) logs[k] += w * Math.log(distributions[i][k]);
  }
  const max = Math.max(...logs.filter((v) => v > -Infinity));
  const un = logs.map((v) => (v === -Infinity ? 0 : Math.exp(v - max)));
  const total = un.reduce((a, b) => a + b, 0);
  return un.map((v) => v / total);
}

/**
 * The log-linear pool of the model's and the market's goal distributions, as rates:
 * λ = λ_model^(1−w) · λ_market^w for each side (exact for the Poisson part; see the module comment).
 * w = 0 is the model alone, w = 1 the market alone.
 */
export function poolRates(model: Rates, market: Rates, marketWeight: number): Rates {
  if (!(marketWeight >= 0 && marketWeight <= 1)) throw new RangeError(`poolRates: marketWeight must be in [0, 1], got ${marketWeight}`);
  for (const [name, v] of [['model.lambdaHome', model.lambdaHome], ['model.lambdaAway', model.lambdaAway], ['market.lambdaHome', market.lambdaHome], ['market.lambdaAway', market.lambdaAway]] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`poolRates: ${name} must be positive and finite, got ${v}`);
  }
  const w = marketWeight;
  return {
    lambdaHome: Math.exp((1 - w) * Math.log(model.lambdaHome) + w * Math.log(market.lambdaHome)),
    lambdaAway: Math.exp((1 - w) * Math.log(model.lambdaAway) + w * Math.log(market.lambdaAway)),
  };
}

/** Candidate ρ values for `marketImpliedRho`: −0.20 … +0.10 by 0.01. */
export const RHO_GRID: readonly number[] = Array.from({ length: 31 }, (_, i) => Math.round((-0.2 + i * 0.01) * 100) / 100);

/**
 * A league's Dixon–Coles ρ learnt from its past matches' prices. 1X2 and over/under together carry
 * three free probabilities, the two rates only two: the third is essentially the draw share, which
 * ρ governs. At each candidate ρ the inverse fit of every priced match leaves a divergence; the ρ
 * with the least weighted total is the one at which the engine reproduces the market's 1X2 and
 * over/under together. Far less noisy than ρ from scores, which rests on the 0-0/1-0/0-1/1-1 counts
 * alone. `divergenceAt(i, ρ)` is the divergence left by the inverse fit of match i (callers cache it).
 * Returns null when no match has a positive weight.
 */
export function marketImpliedRho(weights: readonly number[], divergenceAt: (match: number, rho: number) => number, grid: readonly number[] = RHO_GRID): number | null {
  let best: number | null = null;
  let bestTotal = Infinity;
  let any = false;
  for (const rho of grid) {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i] > 0)) continue;
      any = true;
      total += weights[i] * divergenceAt(i, rho);
    }
    if (total < bestTotal - 1e-15) {
      bestTotal = total;
      best = rho;
    }
  }
  return any ? best : null;
}

/** Fair pre-match [home, draw, away, over, under] of `line` for given rates (the fit's forward model). */
export function preMatchProbabilities(rates: Rates, rho: number, line = 2.5): number[] {
  return modelProbs(Math.log(rates.lambdaHome), Math.log(rates.lambdaAway), {
    minute: 0, homeGoals: 0, awayGoals: 0, homeReds: 0, awayReds: 0, slope: DEFAULT_INTENSITY_SLOPE,
    effect: undefined, maxExtra: DEFAULT_MAX_EXTRA_GOALS, rho, line, totals: true,
  });
}
