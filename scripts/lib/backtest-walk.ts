/**
 * Walk-forward of the rating model over a league's seasons: before every match day the ratings are
 * refitted (warm-started) on every match strictly earlier, with time-decay weights; each match of
 * the day is predicted from that fit. Past matches with closing prices are fitted to their
 * market-implied expected goals (rating-fit.ts); at each season's start, promoted teams get the
 * weakest-teams prior.
 */
import {
  fitRatings,
  marketImpliedRates,
  marketImpliedRho,
  RHO_GRID,
  type MarketImpliedRates,
  ratingRates,
  weakestTeamsPrior,
  type RatingHyper,
  type RatingMatch,
  type RatingModel,
} from '../../actors/odds/index.ts';
import { matchDays, type BacktestMatch, type Fair, type LeagueData } from './backtest-data.ts';

export interface Prediction {
  lambdaHome: number;
  lambdaAway: number;
  rho: number;
}

/** ρ is rounded to this step when implied rates are computed with it, so they can be cached. */
const RHO_STEP = 0.01;

/** Market-implied rates of a match's prices under a given ρ, memoised (the inverse fit is the costly part). */
export class ImpliedRatesCache {
  private readonly cache = new Map<string, MarketImpliedRates | null>();
  private readonly rows = new Map<string, Float64Array | null>();

  /** Divergence left by the inverse fit of the match's closing prices at each ρ of RHO_GRID (null: no prices). */
  divergenceRow(match: BacktestMatch): Float64Array | null {
    const key = `${match.record.league}:${match.index}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = match.closing ? Float64Array.from(RHO_GRID, (rho) => this.get(match, 'closing', rho)!.divergence) : null;
      this.rows.set(key, row);
    }
    return row;
  }

  static roundRho(rho: number): number {
    return Math.round(rho / RHO_STEP) * RHO_STEP;
  }

  get(match: BacktestMatch, which: 'closing' | 'preClosing', rho: number): MarketImpliedRates | null {
    const r = ImpliedRatesCache.roundRho(rho);
    const key = `${match.record.league}:${match.index}:${which}:${r.toFixed(2)}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      const fair: Fair | null = match[which];
      hit = fair ? marketImpliedRates({ result: fair.result, over: fair.over ?? undefined, rho: r }) : null;
      this.cache.set(key, hit);
    }
    return hit;
  }
}

/** Market-implied ρ (market-fit.ts) over the past matches with closing prices, time-decayed like the ratings. */
function pricedRho(past: readonly BacktestMatch[], day: number, decayPerDay: number, implied: ImpliedRatesCache): number | null {
  const rows: Float64Array[] = [];
  const weights: number[] = [];
  for (const m of past) {
    const row = implied.divergenceRow(m);
    if (!row) continue;
    rows.push(row);
    weights.push(Math.exp(-decayPerDay * (day - m.record.day)));
  }
  return marketImpliedRho(weights, (i, rho) => rows[i][RHO_GRID.indexOf(rho)]);
}

function teamsOfSeason(data: LeagueData, season: number): number[] {
  const s = new Set<number>();
  for (const m of data.matches) {
    if (m.season !== season) continue;
    s.add(m.home);
    s.add(m.away);
  }
  return [...s].sort((a, b) => a - b);
}

export interface WalkOptions {
  hyper: RatingHyper;
  /** Use past matches' closing prices as rating targets (false: goals only, the ablation). */
  useMarketTargets: boolean;
  /** Promoted-team prior from the weakest teams (false: league average, the ablation). */
  weakestPrior: boolean;
}

/** Predictions for every match of the league, indexed like data.matches. */
export function walkForward(data: LeagueData, options: WalkOptions, implied: ImpliedRatesCache): Prediction[] {
  const n = data.teams.length;
  const predictions: Prediction[] = new Array(data.matches.length);
  const past: RatingMatch[] = [];
  const pastSource: BacktestMatch[] = [];
  const priorAttack = new Float64Array(n);
  const priorDefence = new Float64Array(n);
  let model: RatingModel | null = null;
  let season = -1;
  let targetsRho = NaN;
  const refreshTargets = (rho: number) => {
    const r = ImpliedRatesCache.roundRho(rho);
    if (r === targetsRho) return;
    targetsRho = r;
    for (let i = 0; i < past.length; i++) setTarget(past[i], pastSource[i], r);
  };
  const setTarget = (target: RatingMatch, source: BacktestMatch, rho: number) => {
    const rates = options.useMarketTargets ? implied.get(source, 'closing', rho) : null;
    target.marketHome = rates?.lambdaHome;
    target.marketAway = rates?.lambdaAway;
  };
  for (const { day, matches } of matchDays(data.matches)) {
    if (matches[0].season !== season) {
      season = matches[0].season;
      if (model && options.weakestPrior && season > 0) {
        const previous = teamsOfSeason(data, season - 1);
        const current = teamsOfSeason(data, season);
        const promoted = current.filter((t) => !previous.includes(t));
        const prior = weakestTeamsPrior(model, previous, promoted.length);
        for (const t of promoted) {
          priorAttack[t] = prior.attack;
          priorDefence[t] = prior.defence;
        }
      }
    }
    // ρ first, from the past matches' prices (it decides the targets' implied rates), else from scores.
    const rho = options.useMarketTargets ? pricedRho(pastSource, day, options.hyper.decayPerDay, implied) : null;
    refreshTargets(rho ?? model?.rho ?? 0);
    model = fitRatings(past, n, { ...options.hyper, referenceDay: day, priorAttack, priorDefence, rho: rho ?? undefined }, model?.theta);
    for (const m of matches) {
      const [lambdaHome, lambdaAway] = ratingRates(model, m.home, m.away, options.hyper.ghostSplit && m.ghost);
      predictions[m.index] = { lambdaHome, lambdaAway, rho: model.rho };
    }
    for (const m of matches) {
      const target: RatingMatch = { home: m.home, away: m.away, homeGoals: m.record.homeGoals, awayGoals: m.record.awayGoals, day: m.record.day, ghost: m.ghost };
      setTarget(target, m, targetsRho);
      past.push(target);
      pastSource.push(m);
    }
  }
  return predictions;
}
