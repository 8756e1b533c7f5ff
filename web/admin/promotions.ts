/**
 * Promotions for operators: campaigns with their budget, spend and status (activate, pause,
 * resume, end with a reason), a new campaign from a JSON definition (docs/API.md, "Promotions"),
 * a campaign's claims with each player's wagering and conversion, and a player's bonus with an
 * adjustment or forfeit (reason required; everything audited).
 */
import { describeError } from '../shared/api.ts';
import { dateTime, h, money, mount, randomId, toast } from '../shared/dom.ts';
import type { Section } from './context.ts';

interface Item { campaign: { id: string; name: string; status: string; startsAt: string; endsAt: string; terms: { kind: string } }; version: number; fundedMinor: number; spentMinor: number; remainingMinor: number }
interface BonusView { status: string; balanceMinor: number; heldMinor: number; wageredMinor: number; wageringRequiredMinor: number; convertedMinor: number; forfeitedMinor: number; expiresAt: string }

const TEMPLATE = {
  id: 'welcome', name: 'Welcome 100% up to €50', status: 'draft', startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  optIn: true, budgetMinor: 1_000_000, eligibility: { maxDeposits: 0 }, reason: 'new welcome offer',
  terms: {
    kind: 'deposit_match', matchPct: 100, maxBonusMinor: 5_000, minDepositMinor: 1_000, wageringMultiplier: 10,
    contribution: { sportsbookSinglePct: 100, sportsbookAccaPct: 100, minPriceMilli: 1500, roulettePct: 10, cashOutPct: 0 },
    maxBetMinor: 500, conversionCapMinor: 20_000, validForMs: 30 * 86_400_000,
  },
};

export const promotionsSection: Section = (root, ctx) => {
  const cur = ctx.currency;
  const rows = h('tbody', { testid: 'campaign-rows' });
  const claims = h('div', { testid: 'claims' });
  const definition = h('textarea', { testid: 'campaign-json', rows: 14, 'aria-label': 'campaign definition (JSON)' });
  definition.value = JSON.stringify(TEMPLATE, null, 2);
  const playerId = h('input', { testid: 'bonus-player', placeholder: 'player id', 'aria-label': 'player id' });
  const bonus = h('div', { testid: 'player-bonus' });
  const status = h('p', { class: 'error' });
  const fail = (e: unknown) => toast(describeError(e), 'error');

  const load = async () => {
    const res = await ctx.call<{ items: Item[] }>('GET', '/admin/promotions');
    mount(rows, res.items.length === 0 ? h('tr', null, h('td', { colspan: 6, class: 'muted' }, 'No campaigns yet.')) : res.items.map((i) => {
      const c = i.campaign;
      const reason = h('input', { placeholder: 'reason', 'aria-label': 'reason', testid: `reason-${c.id}` });
      const act = (action: string) => h('button', { testid: `${action}-${c.id}`, onclick: async () => {
        try {
          await ctx.call('POST', `/admin/promotions/${c.id}/${action}`, { reason: reason.value });
          toast(`${c.id}: ${action} done`, 'ok');
          await load();
        } catch (e) {
          fail(e);
        }
      } }, action);
      const actions = ({ draft: ['activate', 'end'], active: ['pause', 'end'], paused: ['resume', 'end'] } as Record<string, string[]>)[c.status] ?? [];
      return h('tr', { testid: `campaign-${c.id}`, dataset: { status: c.status } },
        h('td', null, h('a', { href: '#', onclick: (ev: Event) => (ev.preventDefault(), void showClaims(c.id).catch(fail)) }, c.name), h('div', { class: 'small muted' }, `${c.id} · ${c.terms.kind} · v${i.version}`)),
        h('td', null, c.status), h('td', { class: 'small' }, `${dateTime(c.startsAt)} → ${dateTime(c.endsAt)}`),
        h('td', { class: 'num' }, money(i.spentMinor, cur), ' / ', money(i.fundedMinor, cur)), h('td', { class: 'num' }, money(i.remainingMinor, cur)),
        h('td', null, actions.length ? h('span', null, reason, ...actions.map(act)) : null));
    }));
  };

  const showClaims = async (id: string) => {
    const res = await ctx.call<{ items: Array<{ userId: string; awardedMinor: number; claimedAt: string; bonus: BonusView | null }>; spentMinor: number }>('GET', `/admin/promotions/${id}/claims?limit=100`);
    mount(claims, h('h4', null, `Claims of ${id} (spent ${money(res.spentMinor, cur)})`),
      res.items.length === 0 ? h('p', { class: 'muted' }, 'No claims yet.') : h('table', null, res.items.map((c) => h('tr', { testid: `claim-${c.userId}` },
        h('td', { class: 'small' }, c.userId), h('td', null, dateTime(c.claimedAt)), h('td', { class: 'num' }, money(c.awardedMinor, cur)),
        h('td', null, c.bonus ? `${c.bonus.status}: wagered ${money(c.bonus.wageredMinor, cur)} of ${money(c.bonus.wageringRequiredMinor, cur)}, converted ${money(c.bonus.convertedMinor, cur)}` : '')))));
  };

  const create = async () => {
    let body: unknown;
    try {
      body = JSON.parse(definition.value);
    } catch {
      return toast('the definition is not valid JSON', 'error');
    }
    try {
      await ctx.call('POST', '/admin/promotions', body);
      toast('campaign created', 'ok');
      await load();
    } catch (e) {
      fail(e);
    }
  };

  const showBonus = async () => {
    const id = playerId.value.trim();
    if (!id) return;
    const res = await ctx.call<{ bonus: BonusView | null }>('GET', `/admin/players/${encodeURIComponent(id)}/bonus`);
    const amount = h('input', { testid: 'bonus-adjust-amount', placeholder: 'amount in minor units (+/−)', 'aria-label': 'adjustment' });
    const reason = h('input', { testid: 'bonus-reason', placeholder: 'reason', 'aria-label': 'reason' });
    const b = res.bonus;
    mount(bonus, !b ? h('p', { class: 'muted' }, 'This player has no bonus.') : h('div', null,
      h('p', { testid: 'player-bonus-summary', dataset: { status: b.status, balance: b.balanceMinor } },
        `${b.status}: ${money(b.balanceMinor, cur)} (+${money(b.heldMinor, cur)} in bets), wagered ${money(b.wageredMinor, cur)} of ${money(b.wageringRequiredMinor, cur)}, expires ${dateTime(b.expiresAt)}`),
      h('div', { class: 'row' }, amount, reason,
        h('button', { testid: 'bonus-adjust', onclick: async () => {
          try {
            await ctx.call('POST', `/admin/players/${encodeURIComponent(id)}/bonus/adjustments`, { amountMinor: Number(amount.value), reason: reason.value, idempotencyKey: randomId('adj') });
            await showBonus();
          } catch (e) {
            fail(e);
          }
        } }, 'Adjust'),
        h('button', { testid: 'bonus-forfeit', onclick: async () => {
          try {
            await ctx.call('POST', `/admin/players/${encodeURIComponent(id)}/bonus/forfeit`, { reason: reason.value });
            await showBonus();
          } catch (e) {
            fail(e);
          }
        } }, 'Forfeit'))));
  };

  mount(root, h('h2', null, 'Promotions'), status,
    h('section', null, h('h3', null, 'Campaigns'),
      h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, ...['Campaign', 'Status', 'Runs', 'Spent / budget', 'Left', ''].map((t) => h('th', null, t)))), rows)), claims),
    h('section', null, h('h3', null, 'New campaign'), definition, h('button', { testid: 'campaign-create', onclick: () => void create() }, 'Create')),
    h('section', null, h('h3', null, 'A player\'s bonus'), h('div', { class: 'row' }, playerId, h('button', { testid: 'bonus-lookup', onclick: () => void showBonus().catch(fail) }, 'Show')), bonus));
  void load().catch((e) => (status.textContent = describeError(e)));
  return () => undefined;
};
