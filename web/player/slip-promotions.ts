/**
 * Promotions in the bet slip (docs/PROMOTIONS.md §3): the player's free bets (a token stakes the
 * bet; its stake is the token's), profit boosts (a token adds a percent of the winnings) and odds
 * boosts running on the selected selection (the bet is struck at the boosted price). One per bet:
 * a free bet, else a profit boost, else the odds boost. What the slip sends is `freeBetId` /
 * `profitBoostId` / `boostId` with the bet.
 */
import { api } from '../shared/api.ts';
import { h, money } from '../shared/dom.ts';
import { formatOdds } from '../shared/odds.ts';

interface Token { tokenId: string; kind?: 'free_bet' | 'profit_boost'; name: string; stakeMinor?: number; boostPct?: number; maxExtraMinor?: number; minPriceMilli: number; expiresAt: string }
interface Boost { id: string; name: string; terms: { kind: string; eventId: string; marketId: string; selectionId: string; boostedPriceMilli: number; maxStakePerPlayerMinor: number } }

export interface SlipPromotions {
  /** The controls for the selected selection (nothing when no promotion applies). */
  controls(marketId: string, selectionId: string, priceMilli: number, currency: string): HTMLElement | null;
  /** What to add to the bet message, and the stake and price it must carry. */
  chosen(): { freeBetId?: string; profitBoostId?: string; boostId?: string; stakeMinor?: number; priceMilli?: number };
  /** Reloads the tokens (after a free bet or profit boost was used). */
  refresh(): Promise<void>;
}

export async function slipPromotions(token: string, eventId: string, onChange: () => void): Promise<SlipPromotions> {
  let tokens: Token[] = [];
  let boosts: Boost[] = [];
  let freeBet = '';
  let profitBoost = '';
  let boost: Boost | null = null;
  let takeBoost = true;
  const refresh = async () => {
    const [t, offers] = await Promise.all([
      api<{ items: Token[] }>('GET', '/promotions/tokens', { token }).catch(() => ({ items: [] as Token[] })),
      api<{ items: Boost[] }>('GET', '/promotions', { token }).catch(() => ({ items: [] as Boost[] })),
    ]);
    tokens = t.items;
    boosts = offers.items.filter((o) => o.terms.kind === 'odds_boost' && o.terms.eventId === eventId);
    if (!tokens.some((x) => x.tokenId === freeBet)) freeBet = '';
    if (!tokens.some((x) => x.tokenId === profitBoost)) profitBoost = '';
  };
  const kindOf = (t: Token) => t.kind ?? 'free_bet';
  await refresh();
  return {
    refresh,
    controls(marketId, selectionId, priceMilli, currency) {
      boost = boosts.find((b) => b.terms.marketId === marketId && b.terms.selectionId === selectionId && b.terms.boostedPriceMilli > priceMilli) ?? null;
      const usable = tokens.filter((t) => priceMilli >= t.minPriceMilli && kindOf(t) === 'free_bet');
      const profits = tokens.filter((t) => priceMilli >= t.minPriceMilli && kindOf(t) === 'profit_boost');
      if (!boost && usable.length === 0 && profits.length === 0) return null;
      const pick = h('select', { testid: 'slip-free-bet', 'aria-label': 'use a free bet', onchange: () => ((freeBet = pick.value), onChange()) },
        h('option', { value: '', text: 'No free bet', selected: freeBet === '' }),
        usable.map((t) => h('option', { value: t.tokenId, selected: t.tokenId === freeBet, text: `Free bet ${money(t.stakeMinor ?? 0, currency)} (${t.name})` })));
      const pickBoost = h('select', { testid: 'slip-profit-boost', 'aria-label': 'use a profit boost', onchange: () => ((profitBoost = pickBoost.value), onChange()) },
        h('option', { value: '', text: 'No profit boost', selected: profitBoost === '' }),
        profits.map((t) => h('option', { value: t.tokenId, selected: t.tokenId === profitBoost, text: `+${t.boostPct}% of winnings, up to ${money(t.maxExtraMinor ?? 0, currency)} (${t.name})` })));
      const box = boost ? h('input', { type: 'checkbox', testid: 'slip-boost', checked: takeBoost, onchange: () => ((takeBoost = box!.checked), onChange()) }) : null;
      return h('div', { class: 'promo-slip' },
        boost ? h('label', { class: 'boost' }, box, ` Boosted: ${formatOdds(boost.terms.boostedPriceMilli)} instead of ${formatOdds(priceMilli)} (up to ${money(boost.terms.maxStakePerPlayerMinor, currency)})`) : null,
        usable.length > 0 ? h('label', null, 'Free bet', pick) : null,
        profits.length > 0 && !freeBet ? h('label', null, 'Profit boost', pickBoost) : null,
        freeBet ? h('p', { class: 'hint' }, 'A free bet pays its winnings; the stake is not returned.') : null,
        profitBoost && !freeBet ? h('p', { class: 'hint' }, `A win pays more from the boost${boost ? ', at the market price (one promotion per bet)' : ''}; it is lost if you cash out.`) : null);
    },
    chosen() {
      const t = tokens.find((x) => x.tokenId === freeBet);
      if (t) return { freeBetId: t.tokenId, stakeMinor: t.stakeMinor };
      if (tokens.some((x) => x.tokenId === profitBoost)) return { profitBoostId: profitBoost };
      if (boost && takeBoost) return { boostId: boost.id, priceMilli: boost.terms.boostedPriceMilli };
      return {};
    },
  };
}
