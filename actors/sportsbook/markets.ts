/**
 * The event's markets: their fixed definitions, results from a score, and their status.
 * Correct score uses a FIXED grid (0-0 … 4-4 plus "any other score": a side with 5+ goals), so a
 * selection means the same final scores whenever it was backed.
 */
import type { EventState, MarketDef, MarketResult, MarketState, MarketStatus, ScorePair } from './types.ts';

export const TOTAL_GOALS_LINES = [0.5, 1.5, 2.5, 3.5, 4.5] as const;
export const CORRECT_SCORE_MAX = 4;
export const CS_OTHER = 'cs_other';

export function nextGoalMarketId(n: number): string {
  return `next_goal_${n}`;
}

/** n of 'next_goal_<n>', or null for other markets. */
export function nextGoalNumber(marketId: string): number | null {
  const match = /^next_goal_(\d+)$/.exec(marketId);
  return match ? Number(match[1]) : null;
}

export function correctScoreId(home: number, away: number): string {
  return `cs_${home}_${away}`;
}

export function nextGoalMarketDef(n: number, home: string, away: string): MarketDef {
  return {
    marketId: nextGoalMarketId(n),
    name: `Goal ${n}`,
    selections: [
      { selectionId: 'home', name: home },
      { selectionId: 'none', name: 'No goal' },
      { selectionId: 'away', name: away },
    ],
  };
}

export function initialMarketDefs(home: string, away: string): MarketDef[] {
  const correctScore: MarketDef['selections'] = [];
  for (let h = 0; h <= CORRECT_SCORE_MAX; h++) {
    for (let a = 0; a <= CORRECT_SCORE_MAX; a++) correctScore.push({ selectionId: correctScoreId(h, a), name: `${h}-${a}` });
  }
  correctScore.push({ selectionId: CS_OTHER, name: 'Any other score' });
  return [
    {
      marketId: '1x2',
      name: 'Match result',
      selections: [
        { selectionId: 'home', name: home },
        { selectionId: 'draw', name: 'Draw' },
        { selectionId: 'away', name: away },
      ],
    },
    ...TOTAL_GOALS_LINES.map((line) => ({
      marketId: `ou_${line}`,
      name: `Total goals ${line.toFixed(1)}`,
      selections: [
        { selectionId: 'over', name: `Over ${line.toFixed(1)}` },
        { selectionId: 'under', name: `Under ${line.toFixed(1)}` },
      ],
    })),
    {
      marketId: 'btts',
      name: 'Both teams to score',
      selections: [
        { selectionId: 'yes', name: 'Yes' },
        { selectionId: 'no', name: 'No' },
      ],
    },
    nextGoalMarketDef(1, home, away),
    { marketId: 'correct_score', name: 'Correct score', selections: correctScore },
  ];
}

function ouLine(marketId: string): number | null {
  return marketId.startsWith('ou_') ? Number(marketId.slice(3)) : null;
}

/** The result the final score gives a market (full-time settlement). */
export function finalResult(marketId: string, score: ScorePair): MarketResult {
  const total = score.home + score.away;
  if (marketId === '1x2') return winner(score.home > score.away ? 'home' : score.home < score.away ? 'away' : 'draw');
  if (marketId === 'btts') return winner(score.home > 0 && score.away > 0 ? 'yes' : 'no');
  if (marketId === 'correct_score') {
    return winner(score.home <= CORRECT_SCORE_MAX && score.away <= CORRECT_SCORE_MAX ? correctScoreId(score.home, score.away) : CS_OTHER);
  }
  const line = ouLine(marketId);
  if (line !== null) return winner(total > line ? 'over' : 'under');
  const n = nextGoalNumber(marketId);
  // Goal n settles its market when scored; one still open at full time was never scored.
  if (n !== null && n > total) return winner('none');
  return { kind: 'void', reason: 'result_unknown' };
}

/** Markets the current score already decides (settled early): a passed total line, BTTS yes, a score off the grid. */
export function earlyResult(marketId: string, score: ScorePair): MarketResult | null {
  const line = ouLine(marketId);
  if (line !== null && score.home + score.away > line) return winner('over');
  if (marketId === 'btts' && score.home > 0 && score.away > 0) return winner('yes');
  if (marketId === 'correct_score' && (score.home > CORRECT_SCORE_MAX || score.away > CORRECT_SCORE_MAX)) return winner(CS_OTHER);
  return null;
}

function winner(selectionId: string): MarketResult {
  return { kind: 'winner', selectionId };
}

export function findMarket(state: EventState, marketId: string): MarketState | undefined {
  return state.markets.find((m) => m.marketId === marketId);
}

/** Trading has stopped for good: the match is over, or the end of the match is near. */
export function tradingClosed(state: EventState): boolean {
  if (state.phase === 'finished' || state.phase === 'abandoned') return true;
  return state.phase === 'second_half' && state.minute >= state.config.tradingClosesAtMinute;
}

export function isSuspended(state: EventState, market: MarketState): boolean {
  return state.autoSuspension !== null || state.operatorSuspension !== null || market.operatorSuspension !== null;
}

export function marketStatus(state: EventState, market: MarketState): MarketStatus {
  if (market.result) return market.result.kind === 'void' ? 'void' : 'settled';
  if (tradingClosed(state) || isSuspended(state, market)) return 'suspended';
  return 'open';
}

/** Why a market cannot take a bet or cash-out now, or null if it can. */
export function marketBlock(state: EventState, market: MarketState): 'bet/market_closed' | 'bet/market_suspended' | null {
  if (market.result || tradingClosed(state)) return 'bet/market_closed';
  if (isSuspended(state, market)) return 'bet/market_suspended';
  return null;
}

/** In play for betting purposes: kicked off, or past the scheduled start (a late kick-off gets the delay too). */
export function isInPlay(state: EventState, now: number): boolean {
  return state.phase !== 'scheduled' || now >= state.startsAt;
}

/** Minute fed to the pricing model: first-half stoppage counts as 45, the end is capped at trading close. */
export function pricingMinute(state: EventState): number {
  switch (state.phase) {
    case 'scheduled':
      return 0;
    case 'first_half':
      return Math.min(Math.max(state.minute, 0), 45);
    case 'half_time':
      return 45;
    default:
      return Math.min(Math.max(state.minute, 45), state.config.tradingClosesAtMinute);
  }
}
