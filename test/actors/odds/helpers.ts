import type { PricedMarket, PricedMatch } from '../../../actors/odds/index.ts';

export function market(priced: PricedMatch, marketId: string): PricedMarket {
  const m = priced.markets.find((x) => x.marketId === marketId);
  if (!m) throw new Error(`no market ${marketId} in ${priced.markets.map((x) => x.marketId).join(', ')}`);
  return m;
}

export function selection(priced: PricedMatch, marketId: string, selectionId: string) {
  const s = market(priced, marketId).selections.find((x) => x.selectionId === selectionId);
  if (!s) throw new Error(`no selection ${selectionId} in ${marketId}`);
  return s;
}

export const fair = (priced: PricedMatch, marketId: string, selectionId: string) =>
  selection(priced, marketId, selectionId).fairProb;

export const price = (priced: PricedMatch, marketId: string, selectionId: string) =>
  selection(priced, marketId, selectionId).priceMilli;

/** Independent Poisson pmf via an explicit factorial, for cross-checking the engine. */
export function poisson(k: number, mu: number): number {
  let fact = 1;
  for (let i = 2; i <= k; i++) fact *= i;
  return (Math.exp(-mu) * mu ** k) / fact;
}
