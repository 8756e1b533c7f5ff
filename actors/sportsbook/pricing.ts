/**
 * Re-pricing: the odds engine (actors/odds priceMatch) applied to the event's state, including
 * liability shading from the event's own liabilities. Produces only the selections that changed.
 */
import {
  PRICE_NOT_OFFERED,
  applyMargin,
  priceMatch,
  uncertaintyOverround,
  probabilityToPriceMilli,
  roundDownToLadder,
  shadeRawPriceMilli,
  selectionKey,
  type PricedMatch,
  type PriceMatchInput,
} from '../odds/index.ts';
import { CORRECT_SCORE_MAX, CS_OTHER, correctScoreId, pricingMinute } from './markets.ts';
import { marketFairOfState, quoteInput } from './quote-policy.ts';
import type { EventState, MarketState, PriceChange, PricesUpdated } from './types.ts';

type Quote = { priceMilli: number; fairProb: number };

/** Fair probabilities are journaled rounded to 1e-9: ample for cash-out, and a third of the size. */
function roundProb(p: number): number {
  return Math.round(p * 1e9) / 1e9;
}

/** Current quotes for every unsettled market, keyed by marketId then selectionId. */
export function currentQuotes(state: EventState): Map<string, Map<string, Quote>> {
  const quotes = new Map<string, Map<string, Quote>>();
  if (state.phase === 'finished' || state.phase === 'abandoned') return quotes;
  const input = quoteInput(state.config.pricing, {
    lambdaHome: state.lambdaHome,
    lambdaAway: state.lambdaAway,
    minute: pricingMinute(state),
    homeGoals: state.score.home,
    awayGoals: state.score.away,
    homeReds: state.reds.home,
    awayReds: state.reds.away,
    liabilityBySelection: state.liabilityMinor,
    preMatch: state.phase === 'scheduled' ? { market: marketFairOfState(state.market), startsAt: state.startsAt } : null,
  });
  const priced = priceMatch(input);
  for (const market of state.markets) {
    if (market.result) continue;
    quotes.set(market.marketId, market.marketId === 'correct_score' ? correctScoreQuotes(state, priced, input) : engineQuotes(market, priced));
  }
  return quotes;
}

function engineQuotes(market: MarketState, priced: PricedMatch): Map<string, Quote> {
  const out = new Map<string, Quote>();
  const engine = priced.markets.find((m) => m.marketId === market.marketId);
  for (const s of market.selections) {
    const q = engine?.selections.find((e) => e.selectionId === s.selectionId);
    out.set(s.selectionId, q && !q.decided ? { priceMilli: q.priceMilli, fairProb: q.fairProb } : { priceMilli: PRICE_NOT_OFFERED, fairProb: q?.fairProb ?? 0 });
  }
  return out;
}

/** The fixed 0-0…4-4 grid from the engine's cells (relative to the current score), margined here. */
function correctScoreQuotes(state: EventState, priced: PricedMatch, terms: PriceMatchInput): Map<string, Quote> {
  const engine = new Map((priced.markets.find((m) => m.marketId === 'correct_score')?.selections ?? []).map((s) => [s.selectionId, s.fairProb]));
  const ids: string[] = [];
  const fair: number[] = [];
  let listed = 0;
  for (let h = 0; h <= CORRECT_SCORE_MAX; h++) {
    for (let a = 0; a <= CORRECT_SCORE_MAX; a++) {
      const reachable = h >= state.score.home && a >= state.score.away;
      const p = reachable ? (engine.get(correctScoreId(h, a)) ?? 0) : 0;
      ids.push(correctScoreId(h, a));
      fair.push(p);
      listed += p;
    }
  }
  ids.push(CS_OTHER);
  fair.push(Math.max(0, 1 - listed));
  const { pricing } = state.config;
  const overround = uncertaintyOverround(pricing.overroundByMarket.correct_score ?? pricing.overround, fair, terms.priceSigma ?? 0, terms.uncertaintyZ ?? 1);
  const margined = applyMargin(fair, overround, pricing.marginMethod);
  const out = new Map<string, Quote>();
  ids.forEach((selectionId, i) => {
    if (!(fair[i] > 0)) {
      out.set(selectionId, { priceMilli: PRICE_NOT_OFFERED, fairProb: 0 });
      return;
    }
    const unshaded = probabilityToPriceMilli(margined[i]);
    const liability = state.liabilityMinor[selectionKey('correct_score', selectionId)] ?? 0;
    const priceMilli = liability > 0 ? Math.min(unshaded, roundDownToLadder(shadeRawPriceMilli(1000 / margined[i], liability, pricing.shading))) : unshaded;
    out.set(selectionId, { priceMilli, fairProb: fair[i] });
  });
  return out;
}

/** PricesUpdated with the selections whose quote differs from the state's, or null if none. */
export function repriceEvent(state: EventState, at: number): PricesUpdated | null {
  const quotes = currentQuotes(state);
  const prices: PriceChange[] = [];
  for (const market of state.markets) {
    const marketQuotes = quotes.get(market.marketId);
    if (!marketQuotes) continue;
    for (const s of market.selections) {
      const q = marketQuotes.get(s.selectionId);
      const fairProb = q ? roundProb(q.fairProb) : 0;
      if (q && (q.priceMilli !== s.priceMilli || fairProb !== s.fairProb)) {
        prices.push({ marketId: market.marketId, selectionId: s.selectionId, priceMilli: q.priceMilli, fairProb });
      }
    }
  }
  return prices.length > 0 ? { type: 'PricesUpdated', prices, at } : null;
}
