/**
 * A versioned pricing model: per league, the team ratings, home advantage, scoring level and ρ the
 * engine prices pre-match events from. The server's refit job (server/pricing) fits one from the
 * match data with `fitLeagueModel` and writes it as a versioned file; every event records the
 * version that priced it. Pure: the data and the reference day are inputs.
 */
import { marketImpliedRates, marketImpliedRho, RHO_GRID } from './market-fit.ts';
import { fitRatings, ratingRates, weakestTeamsPrior, type RatingHyper, type RatingMatch } from './rating-fit.ts';
import type { LeagueStrengths, TeamStrength } from './team-strength.ts';

export interface LeagueModel extends LeagueStrengths {
  /** Matches the fit used, and the last match day (ISO date). */
  matches: number;
  lastMatchDate: string;
  /** Where ρ came from: the market's prices of past matches, or the scores. */
  rhoSource: 'market' | 'scores';
}

export interface PricingModel {
  /** `<last match date>-<content hash>`: the same data and settings give the same version. */
  version: string;
  /** Epoch ms when this process fitted it (not part of the version). */
  fittedAt: number;
  hyper: RatingHyper;
  /** Weight of the market in the pool of model and market rates (events' pricing.marketWeight). */
  marketWeight: number;
  leagues: Record<string, LeagueModel>;
}

/** A past match for the fit: teams by name, and the closing prices de-margined when it had some. */
export interface ModelMatch {
  day: number;
  date: string;
  season: string;
  home: string;
  away: string;
  homeGoals: number;
  awayGoals: number;
  ghost?: boolean;
  /** Fair closing probabilities: home, draw, away, and P(over 2.5) when known. */
  closing?: { result: [number, number, number]; over?: number };
}

export interface MatchPricing {
  lambdaHome: number;
  lambdaAway: number;
  rho: number;
  modelVersion: string;
}

/** Pre-match rates, ρ and version for a fixture; null when the model does not cover the league. */
export function pricingFor(model: PricingModel, league: string, home: string, away: string): MatchPricing | null {
  // Looked up by the caller's text: own keys only (`constructor` is no league and no team).
  const l = Object.hasOwn(model.leagues, league) ? model.leagues[league] : undefined;
  if (!l) return null;
  const h = (Object.hasOwn(l.teams, home) ? l.teams[home] : undefined) ?? l.promotedPrior;
  const a = (Object.hasOwn(l.teams, away) ? l.teams[away] : undefined) ?? l.promotedPrior;
  return {
    lambdaHome: Math.exp(l.intercept + l.homeAdvantage + h.attack - a.defence),
    lambdaAway: Math.exp(l.intercept + a.attack - h.defence),
    rho: l.rho,
    modelVersion: model.version,
  };
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Fits one league: ρ from the past matches' prices (market-fit.ts `marketImpliedRho`, time-decayed
 * like the ratings; from the scores when no match has prices), then the ratings to the market-
 * implied expected goals at that ρ (rating-fit.ts). Teams of the latest season are listed; any
 * other team (a newly promoted one) gets the weakest-teams prior of that season.
 */
export function fitLeagueModel(league: string, matches: readonly ModelMatch[], referenceDay: number, hyper: RatingHyper, promotedPerSeason = 3): LeagueModel {
  const used = matches.filter((m) => m.day < referenceDay);
  if (used.length === 0) throw new RangeError(`fitLeagueModel: no matches of ${league} before day ${referenceDay}`);
  const names: string[] = [];
  const ids = new Map<string, number>();
  const id = (name: string) => {
    let i = ids.get(name);
    if (i === undefined) {
      i = names.length;
      names.push(name);
      ids.set(name, i);
    }
    return i;
  };
  for (const m of used) {
    id(m.home);
    id(m.away);
  }
  // Matches whose weight has decayed below 1e-3 barely move ρ: left out to spare their inverse fits.
  const weights = used.map((m) => {
    const w = m.closing ? Math.exp(-hyper.decayPerDay * (referenceDay - m.day)) : 0;
    return w >= 1e-3 ? w : 0;
  });
  const divergence = (i: number, rho: number) => {
    const c = used[i].closing!;
    return marketImpliedRates({ result: c.result, over: c.over, rho }).divergence;
  };
  const priced = weights.some((w) => w > 0);
  const marketRho = priced && hyper.marketShare > 0 ? marketImpliedRho(weights, divergence, RHO_GRID) : null;
  const rating: RatingMatch[] = used.map((m) => {
    const base: RatingMatch = { home: id(m.home), away: id(m.away), homeGoals: m.homeGoals, awayGoals: m.awayGoals, day: m.day, ghost: m.ghost };
    if (marketRho === null || !m.closing) return base;
    const rates = marketImpliedRates({ result: m.closing.result, over: m.closing.over, rho: marketRho });
    return { ...base, marketHome: rates.lambdaHome, marketAway: rates.lambdaAway };
  });
  const model = fitRatings(rating, names.length, { ...hyper, referenceDay, rho: marketRho ?? undefined });
  const latestSeason = used.reduce((s, m) => (m.season > s ? m.season : s), used[0].season);
  const current = [...new Set(used.filter((m) => m.season === latestSeason).flatMap((m) => [id(m.home), id(m.away)]))].sort((a, b) => a - b);
  const prior = weakestTeamsPrior(model, current, promotedPerSeason);
  const teams: Record<string, TeamStrength> = {};
  for (const t of current) teams[names[t]] = { attack: round(model.attack[t]), defence: round(model.defence[t]) };
  let lh = 0;
  let la = 0;
  const lastSeasonMatches = used.filter((m) => m.season === latestSeason);
  for (const m of lastSeasonMatches) {
    const [h, a] = ratingRates(model, id(m.home), id(m.away));
    lh += h;
    la += a;
  }
  const lastMatchDate = used.reduce((d, m) => (m.date > d ? m.date : d), used[0].date);
  return {
    league,
    fittedThrough: latestSeason,
    intercept: round(model.intercept),
    homeAdvantage: round(model.home),
    rho: round(model.rho, 4),
    rhoSource: marketRho === null ? 'scores' : 'market',
    promotedPrior: { attack: round(prior.attack), defence: round(prior.defence) },
    typicalLambda: { home: round(lh / lastSeasonMatches.length, 4), away: round(la / lastSeasonMatches.length, 4) },
    teams,
    matches: used.length,
    lastMatchDate,
  };
}
