/**
 * Promotions for players: the running offers with their significant terms (wagering, max bet,
 * conversion cap, expiry, game weights), a claim button (a deposit match is claimed on one of the
 * player's deposits), and the player's bonus: its own balance beside the cash, a wagering progress
 * bar and its expiry (docs/PROMOTIONS.md). Bonus money is always shown apart from cash.
 */
import { api, describeError } from '../shared/api.ts';
import { dateTime, h, money, mount, toast } from '../shared/dom.ts';
import type { View } from './context.ts';

interface Offer { id: string; name: string; optIn: boolean; endsAt: string; terms: Record<string, any> & { kind: string } }
interface Bonus {
  status: string; balanceMinor: number; heldMinor: number; wageredMinor: number; wageringRequiredMinor: number; wageringProgress: number;
  maxBetMinor: number; conversionCapMinor: number; convertedMinor: number; forfeitedMinor: number; expiresAt: string;
  contribution: { sportsbookSinglePct: number; minPriceMilli: number; roulettePct: number };
}
interface Payment { paymentId: string; kind: string; status: string; amountMinor: number; createdAt: string }

function termsText(t: Offer['terms'], cur: string): string {
  switch (t.kind) {
    case 'deposit_match':
      return `${t.matchPct}% of your deposit up to ${money(t.maxBonusMinor, cur)} (deposit at least ${money(t.minDepositMinor, cur)}). `
        + `Wager ${t.wageringMultiplier}× the bonus: sportsbook singles at ${(t.contribution.minPriceMilli / 1000).toFixed(2)} or more count ${t.contribution.sportsbookSinglePct}%, roulette ${t.contribution.roulettePct}%. `
        + `Max bet with bonus money ${t.maxBetMinor ? money(t.maxBetMinor, cur) : 'none'}; at most ${money(t.conversionCapMinor, cur)} becomes cash; valid ${Math.round(t.validForMs / 86_400_000)} days. Your cash is used first.`;
    case 'cash_back':
      return `${t.sharePct}% of your net losses, up to ${money(t.maxMinor, cur)}, paid as ${t.paidAs}.`;
    default:
      return t.kind.replace('_', ' ');
  }
}

export const promotionsView: View = async (root, ctx) => {
  const token = ctx.session.token;
  const cur = ctx.currency();
  const bonusCard = h('section', { class: 'card', testid: 'bonus-card' });
  const offers = h('div', { class: 'list', testid: 'offers' });
  mount(root, h('h2', null, 'Promotions'), bonusCard, h('section', null, h('h3', null, 'Offers'), offers));

  const showBonus = (b: Bonus | null) => {
    if (!b) return mount(bonusCard, h('p', { class: 'muted', testid: 'no-bonus' }, 'No bonus yet.'));
    const pct = Math.round(b.wageringProgress * 100);
    mount(bonusCard,
      h('h3', null, 'Your bonus'),
      h('div', { class: 'kpi' }, h('span', null, 'Bonus balance'), h('strong', { testid: 'bonus-balance', dataset: { minor: b.balanceMinor } }, money(b.balanceMinor, cur))),
      b.heldMinor > 0 ? h('div', { class: 'kpi' }, h('span', null, 'In open bets'), h('strong', null, money(b.heldMinor, cur))) : null,
      h('div', { class: 'kpi' }, h('span', null, 'Status'), h('strong', { testid: 'bonus-status' }, b.status)),
      h('label', null, `Wagering ${money(b.wageredMinor, cur)} of ${money(b.wageringRequiredMinor, cur)}`,
        h('progress', { testid: 'wagering-progress', max: 100, value: pct, dataset: { pct } })),
      h('p', { class: 'muted' }, b.status === 'active'
        ? `Expires ${dateTime(b.expiresAt)}. Max bet with bonus money: ${b.maxBetMinor ? money(b.maxBetMinor, cur) : 'none'}. At most ${money(b.conversionCapMinor, cur)} becomes cash.`
        : `Converted ${money(b.convertedMinor, cur)} to cash; forfeited ${money(b.forfeitedMinor, cur)}.`));
  };

  const claim = async (o: Offer, paymentId?: string) => {
    try {
      const res = await api<{ bonus: Bonus | null; award: { type: string; amountMinor?: number } }>('POST', `/promotions/${encodeURIComponent(o.id)}/claim`, { token, body: paymentId ? { paymentId } : {} });
      toast(`Claimed: ${res.award.amountMinor !== undefined ? money(res.award.amountMinor, cur) : res.award.type}`, 'ok');
      showBonus(res.bonus);
      await ctx.refreshWallet();
    } catch (e) {
      toast(describeError(e), 'error');
    }
  };

  try {
    const [list, mine, payments] = await Promise.all([
      api<{ items: Offer[] }>('GET', '/promotions', { token }),
      api<{ bonus: Bonus | null }>('GET', '/promotions/bonus', { token }),
      api<{ items: Payment[] }>('GET', '/payments', { token }).catch(() => ({ items: [] as Payment[] })),
    ]);
    showBonus(mine.bonus);
    const deposits = payments.items.filter((p) => p.kind === 'deposit' && p.status === 'captured');
    mount(offers, list.items.length === 0 ? h('p', { class: 'muted' }, 'No offers right now.') : list.items.map((o) => {
      const pick = o.terms.kind === 'deposit_match' && deposits.length > 0
        ? h('select', { testid: `deposit-${o.id}`, 'aria-label': 'deposit to match' }, deposits.map((d) => h('option', { value: d.paymentId, text: `${money(d.amountMinor, cur)} · ${dateTime(d.createdAt)}` })))
        : null;
      const disabled = o.terms.kind === 'deposit_match' && deposits.length === 0;
      return h('div', { class: 'item', testid: `offer-${o.id}` },
        h('strong', null, o.name), h('p', { class: 'small' }, termsText(o.terms, cur)), h('p', { class: 'muted small' }, `Until ${dateTime(o.endsAt)}`),
        disabled ? h('p', { class: 'muted small' }, 'Make a deposit in the cashier to claim this offer.') : null,
        pick, h('button', { testid: `claim-${o.id}`, disabled, onclick: () => void claim(o, pick?.value) }, 'Claim'));
    }));
  } catch (e) {
    mount(offers, h('p', { class: 'error' }, describeError(e)));
  }
  return () => undefined;
};
