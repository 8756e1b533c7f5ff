/**
 * Market prices as an input of the event's pricing (docs/PRICING.md, "Market input"): a validated
 * price message → margin removed → the expected goals that reproduce the prices through the
 * engine at the event's current state (minute, score, red cards; ρ of the event) → pooled with the
 * model's rates by the configured weight. The event prices every market from the pooled rates, pre-
 * match and, in play, onwards from them. Pure.
 */
import { marketImpliedRates, poolRates, removeMargin } from '../odds/index.ts';
import type { SportsbookRejectionCode } from './codes.ts';
import type { MarketPricesApplied } from './events.ts';
import { isTerminal } from './incidents.ts';
import { pricingMinute } from './markets.ts';
import type { PriceMessage } from './price-feed.ts';
import type { EventState } from './types.ts';

/** A booksum outside [1, 1.3] is not a bookmaker's price (an arbitrage or a typo). */
export const MAX_QUOTE_BOOKSUM = 1.3;
/**
 * Largest divergence the inverse fit may leave. Prices the engine reproduces (any consistent 1X2
 * with its over/under) leave < 0.001; a quote far off it is a mistake or a market the model cannot
 * follow, and is refused rather than half-believed.
 */
export const MAX_QUOTE_DIVERGENCE = 0.01;

export type MarketInputOutcome =
  | { ok: true; event: MarketPricesApplied }
  | { ok: false; code: SportsbookRejectionCode; message: string; details?: Record<string, unknown> };

function booksum(odds: readonly number[]): number {
  return odds.reduce((s, o) => s + 1 / o, 0);
}

export function marketInputEvent(state: EventState, message: PriceMessage, now: number): MarketInputOutcome {
  const refuse = (code: SportsbookRejectionCode, text: string, details?: Record<string, unknown>): MarketInputOutcome => ({ ok: false, code, message: text, details });
  if (state.market && message.seq <= state.market.seq) return refuse('prices/stale', 'an equal or newer quote was already applied', { seq: message.seq, lastSeq: state.market.seq });
  if (isTerminal(state.phase)) return refuse('prices/event_closed', `event is ${state.phase}`);
  const inPlay = state.phase !== 'scheduled';
  if (inPlay && state.phase === 'second_half' && state.minute >= state.config.tradingClosesAtMinute) return refuse('prices/event_closed', 'trading has closed for the end of the match');
  if (inPlay && state.autoSuspension) return refuse('prices/suspended', `markets are suspended (${state.autoSuspension.reason})`);
  if (inPlay && (!message.score || message.score.home !== state.score.home || message.score.away !== state.score.away)) {
    return refuse('prices/score_mismatch', 'in play a quote must carry the current score', { score: state.score });
  }
  for (const odds of [message.oneXTwo, ...(message.overUnder ? [[message.overUnder.over, message.overUnder.under]] : [])]) {
    const sum = booksum(odds);
    if (sum < 1 || sum > MAX_QUOTE_BOOKSUM) return refuse('prices/implausible', `booksum ${sum.toFixed(4)} outside [1, ${MAX_QUOTE_BOOKSUM}]`, { booksum: sum });
  }
  const { pricing } = state.config;
  const result = removeMargin(message.oneXTwo, pricing.marketRemoval) as [number, number, number];
  const over = message.overUnder ? removeMargin([message.overUnder.over, message.overUnder.under], pricing.marketRemoval)[0] : undefined;
  const fit = marketImpliedRates({
    result,
    over,
    totalsLine: message.overUnder?.line,
    rho: pricing.rho,
    minute: pricingMinute(state),
    homeGoals: state.score.home,
    awayGoals: state.score.away,
    homeReds: state.reds.home,
    awayReds: state.reds.away,
  });
  if (!fit.converged || !(fit.divergence <= MAX_QUOTE_DIVERGENCE)) {
    return refuse('prices/inconsistent', 'the engine cannot reproduce these prices', { divergence: fit.divergence });
  }
  const pooled = poolRates({ lambdaHome: state.modelLambda.home, lambdaAway: state.modelLambda.away }, fit, pricing.marketWeight);
  return {
    ok: true,
    event: {
      type: 'MarketPricesApplied',
      source: message.source,
      seq: message.seq,
      quotedAt: message.at,
      oneXTwo: [...message.oneXTwo],
      ...(message.overUnder ? { overUnder: { ...message.overUnder } } : {}),
      marketLambdaHome: fit.lambdaHome,
      marketLambdaAway: fit.lambdaAway,
      divergence: fit.divergence,
      lambdaHome: pooled.lambdaHome,
      lambdaAway: pooled.lambdaAway,
      at: now,
    },
  };
}
