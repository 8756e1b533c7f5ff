/**
 * Fair (margin-free) probabilities for every in-play market, derived from the remaining-time
 * score matrix and the current score. Final score = current score + remaining goals.
 *
 * "Decided" means the current score alone already settles the market, whatever happens in the
 * remaining time (an over/under line already passed, both teams already scored). The clock never
 * decides anything here: stopping trading at full time is the market actor's job.
 */

export const TOTAL_GOALS_LINES = [0.5, 1.5, 2.5, 3.5, 4.5] as const;
/** Correct score lists every final score from the current one up to this many more goals per side. */
export const CORRECT_SCORE_EXTRA = 4;

export interface FairSelection {
  selectionId: string;
  name: string;
  fairProb: number;
  /** True when the current score already settles this selection (fairProb is exactly 0 or 1). */
  decided?: boolean;
}

export interface FairMarket {
  marketId: string;
  name: string;
  /** True when every selection is decided: the market can be settled now and is not priced. */
  decided?: boolean;
  selections: FairSelection[];
}

export interface MatchScoreState {
  homeGoals: number;
  awayGoals: number;
  /** Expected further goals (the means used to build the matrix). */
  muHome: number;
  muAway: number;
}

/** Matrix side length n+1 where matrix.length = (n+1)². */
function sideOf(matrix: Float64Array): number {
  return Math.round(Math.sqrt(matrix.length));
}

export function matchResultMarket(state: MatchScoreState, matrix: Float64Array): FairMarket {
  const size = sideOf(matrix);
  const lead = state.homeGoals - state.awayGoals;
  let home = 0;
  let draw = 0;
  let away = 0;
  for (let i = 0; i < size; i++) {
    const base = i * size;
    for (let j = 0; j < size; j++) {
      const margin = lead + i - j;
      const p = matrix[base + j];
      if (margin > 0) home += p;
      else if (margin < 0) away += p;
      else draw += p;
    }
  }
  return {
    marketId: '1x2',
    name: 'Match result',
    selections: [
      { selectionId: 'home', name: 'Home', fairProb: home },
      { selectionId: 'draw', name: 'Draw', fairProb: draw },
      { selectionId: 'away', name: 'Away', fairProb: away },
    ],
  };
}

/** P(remaining goals = k) for k = 0..2(size-1), the distribution of total further goals. */
function remainingTotalDistribution(matrix: Float64Array): Float64Array {
  const size = sideOf(matrix);
  const dist = new Float64Array(2 * size - 1);
  for (let i = 0; i < size; i++) {
    const base = i * size;
    for (let j = 0; j < size; j++) dist[i + j] += matrix[base + j];
  }
  return dist;
}

export function totalGoalsMarkets(state: MatchScoreState, matrix: Float64Array): FairMarket[] {
  const scored = state.homeGoals + state.awayGoals;
  const dist = remainingTotalDistribution(matrix);
  const markets: FairMarket[] = [];
  for (const line of TOTAL_GOALS_LINES) {
    const marketId = `ou_${line}`;
    const lineName = line.toFixed(1);
    if (scored > line) {
      markets.push({
        marketId,
        name: `Total goals ${lineName}`,
        decided: true,
        selections: [
          { selectionId: 'over', name: `Over ${lineName}`, fairProb: 1, decided: true },
          { selectionId: 'under', name: `Under ${lineName}`, fairProb: 0, decided: true },
        ],
      });
      continue;
    }
    // Under wins when further goals k ≤ line − scored (an integer-and-a-half line, so never a push).
    const maxUnder = Math.floor(line - scored);
    let under = 0;
    for (let k = 0; k <= maxUnder && k < dist.length; k++) under += dist[k];
    markets.push({
      marketId,
      name: `Total goals ${lineName}`,
      selections: [
        { selectionId: 'over', name: `Over ${lineName}`, fairProb: 1 - under },
        { selectionId: 'under', name: `Under ${lineName}`, fairProb: under },
      ],
    });
  }
  return markets;
}

export function bothTeamsToScoreMarket(state: MatchScoreState, matrix: Float64Array): FairMarket {
  const name = 'Both teams to score';
  if (state.homeGoals > 0 && state.awayGoals > 0) {
    return {
      marketId: 'btts',
      name,
      decided: true,
      selections: [
        { selectionId: 'yes', name: 'Yes', fairProb: 1, decided: true },
        { selectionId: 'no', name: 'No', fairProb: 0, decided: true },
      ],
    };
  }
  const size = sideOf(matrix);
  // "No" = at least one side finishes on zero: P(home final 0 or away final 0).
  let homeNone = 0; // P(no more home goals)
  let awayNone = 0;
  for (let k = 0; k < size; k++) {
    homeNone += matrix[k]; // row i = 0
    awayNone += matrix[k * size]; // column j = 0
  }
  const bothNone = matrix[0];
  let no: number;
  if (state.homeGoals > 0) no = awayNone;
  else if (state.awayGoals > 0) no = homeNone;
  else no = homeNone + awayNone - bothNone;
  return {
    marketId: 'btts',
    name,
    selections: [
      { selectionId: 'yes', name: 'Yes', fairProb: 1 - no },
      { selectionId: 'no', name: 'No', fairProb: no },
    ],
  };
}

/**
 * Next goal (the n-th goal of the match, n = goals so far + 1), from the independent remaining-time
 * Poisson rates without the Dixon–Coles term: P(none) = exp(−(μh+μa)); the rest is split μh : μa,
 * which is exact for proportional intensities (both sides share the same time profile).
 */
export function nextGoalMarket(state: MatchScoreState): FairMarket {
  const n = state.homeGoals + state.awayGoals + 1;
  const total = state.muHome + state.muAway;
  const none = Math.exp(-total);
  const scoring = 1 - none;
  const home = total > 0 ? (scoring * state.muHome) / total : 0;
  const away = total > 0 ? scoring - home : 0;
  return {
    marketId: `next_goal_${n}`,
    name: `Goal ${n}`,
    selections: [
      { selectionId: 'home', name: 'Home', fairProb: home },
      { selectionId: 'none', name: 'No goal', fairProb: none },
      { selectionId: 'away', name: 'Away', fairProb: away },
    ],
  };
}

export function correctScoreMarket(state: MatchScoreState, matrix: Float64Array): FairMarket {
  const size = sideOf(matrix);
  const span = Math.min(CORRECT_SCORE_EXTRA, size - 1);
  const selections: FairSelection[] = [];
  let listed = 0;
  for (let i = 0; i <= span; i++) {
    for (let j = 0; j <= span; j++) {
      const h = state.homeGoals + i;
      const a = state.awayGoals + j;
      const p = matrix[i * size + j];
      listed += p;
      selections.push({ selectionId: `cs_${h}_${a}`, name: `${h}-${a}`, fairProb: p });
    }
  }
  selections.push({ selectionId: 'cs_other', name: 'Any other score', fairProb: Math.max(0, 1 - listed) });
  return { marketId: 'correct_score', name: 'Correct score', selections };
}

export function fairMarkets(state: MatchScoreState, matrix: Float64Array): FairMarket[] {
  return [
    matchResultMarket(state, matrix),
    ...totalGoalsMarkets(state, matrix),
    bothTeamsToScoreMarket(state, matrix),
    nextGoalMarket(state),
    correctScoreMarket(state, matrix),
  ];
}
