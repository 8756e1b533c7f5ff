/**
 * Team strengths fitted offline by scripts/fit-pricing.ts (server/pricing/fitted-strengths.json), and
 * the pure mapping from two teams to pre-match expected goals:
 *   λ_home = exp(intercept + homeAdvantage + attack_home − defence_away)
 *   λ_away = exp(intercept + attack_away − defence_home)
 * A higher `defence` is a better defence. Teams missing from the table (e.g. newly promoted) use the
 * league's `promotedPrior`.
 */

export interface TeamStrength {
  attack: number;
  defence: number;
}

export interface LeagueStrengths {
  league: string;
  /** Last season included in the fit, e.g. "2022-23". */
  fittedThrough: string;
  intercept: number;
  /** Log home advantage (with crowds). */
  homeAdvantage: number;
  /** Dixon–Coles rho fitted on the same matches. */
  rho: number;
  /** Strengths used for a team that is not listed. */
  promotedPrior: TeamStrength;
  /** Mean fitted λ over the league's last fitted season, for orientation. */
  typicalLambda: { home: number; away: number };
  teams: Record<string, TeamStrength>;
}

export interface FittedStrengths {
  generatedBy: string;
  /** Linear intensity slope β measured on the training seasons (see goal-model.ts). */
  intensitySlope: number;
  leagues: Record<string, LeagueStrengths>;
}

export function expectedGoals(
  league: LeagueStrengths,
  homeTeam: string,
  awayTeam: string,
): { lambdaHome: number; lambdaAway: number } {
  // Team names may come from a caller: own keys only (`constructor` is no team).
  const home = (Object.hasOwn(league.teams, homeTeam) ? league.teams[homeTeam] : undefined) ?? league.promotedPrior;
  const away = (Object.hasOwn(league.teams, awayTeam) ? league.teams[awayTeam] : undefined) ?? league.promotedPrior;
  return {
    lambdaHome: Math.exp(league.intercept + league.homeAdvantage + home.attack - away.defence),
    lambdaAway: Math.exp(league.intercept + away.attack - home.defence),
  };
}
