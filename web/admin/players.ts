/** Players: search, a player's wallet, profile (country, VIP tier), ledger, stakes and rounds, lock/unlock, VIP tier and manual adjustments (audited). */
import { describeError } from '../shared/api.ts';
import { dateTime, h, money, mount, parseMajor, randomId, toast } from '../shared/dom.ts';
import type { ConsoleContext, Section } from './context.ts';
import { gameName, roundResultText } from '../shared/rounds.ts';

export const playersSection: Section = (root, ctx, userId) => (userId ? player(root, ctx, userId) : search(root, ctx));

function search(root: HTMLElement, ctx: ConsoleContext): () => void {
  const q = h('input', { testid: 'player-search', placeholder: 'username starts with…', maxLength: 32, autocomplete: 'off' });
  const results = h('div', { class: 'list', testid: 'player-results' });
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = async () => {
    try {
      const { items } = await ctx.call('GET', `/admin/players?q=${encodeURIComponent(q.value.trim())}&limit=50`);
      mount(results, items.length === 0 ? h('p', { class: 'muted' }, 'Nobody found.') : items.map((u: any) =>
        h('a', { class: 'item', href: `#/players/${encodeURIComponent(u.userId)}`, testid: `player-${u.username}` },
          h('strong', null, u.username), h('span', { class: 'muted' }, `${u.role} · ${u.status} · since ${dateTime(u.createdAt)}`))));
    } catch (e) {
      mount(results, h('p', { class: 'error' }, describeError(e)));
    }
  };
  q.addEventListener('input', () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), 250);
  });
  mount(root, h('h2', null, 'Players'), h('label', null, 'Search', q), results);
  void run();
  q.focus();
  return () => timer && clearTimeout(timer);
}

function player(root: HTMLElement, ctx: ConsoleContext, userId: string): () => void {
  const base = `/admin/players/${encodeURIComponent(userId)}`;
  const info = h('div', { class: 'card', testid: 'player-info' });
  const error = h('p', { class: 'error', role: 'alert' });
  const reason = h('input', { testid: 'player-reason', placeholder: 'reason (required)', maxLength: 200 });
  const amount = h('input', { testid: 'adjust-amount', placeholder: 'e.g. 10.00 or -5.00', inputmode: 'decimal' });
  const ledger = h('tbody', { testid: 'player-ledger' });
  const stakes = h('div', { class: 'list compact', testid: 'player-stakes' });
  const rounds = h('div', { class: 'list compact', testid: 'player-rounds' });
  const profile = h('p', { testid: 'player-profile' });
  const tier = h('select', { testid: 'player-vip-tier' });
  let adjustmentKey = randomId('adj-');

  const act = async (label: string, path: string, body: Record<string, unknown>) => {
    const why = reason.value.trim();
    if (!why) return void (error.textContent = 'A reason is required.');
    error.textContent = '';
    try {
      await ctx.call('POST', path, { ...body, reason: why });
      toast(`${label}: done`, 'ok');
      await load();
    } catch (e) {
      error.textContent = `${label}: ${describeError(e)}`;
    }
  };
  const setTier = async () => {
    const why = reason.value.trim();
    if (!why) return void (error.textContent = 'A reason is required.');
    error.textContent = '';
    try {
      await ctx.call('PUT', `${base}/vip-tier`, { tier: tier.value || null, reason: why });
      toast('VIP tier: done', 'ok');
      await load();
    } catch (e) {
      error.textContent = `VIP tier: ${describeError(e)}`;
    }
  };
  const adjust = async () => {
    const text = amount.value.trim();
    const negative = text.startsWith('-');
    const minor = parseMajor(negative ? text.slice(1) : text.replace(/^\+/, ''));
    if (minor === null) return void (error.textContent = 'Amount: a non-zero amount such as 10.00 or -5.00');
    await act('Adjustment', `${base}/adjustments`, { amountMinor: negative ? -minor : minor, idempotencyKey: adjustmentKey });
    if (!error.textContent) {
      amount.value = '';
      adjustmentKey = randomId('adj-'); // the next adjustment is a new one; a retry of this one reused the key
    }
  };

  mount(root,
    h('p', null, h('a', { href: '#/players' }, '← search')),
    info,
    profile,
    h('div', { class: 'card' },
      h('label', null, 'Reason', reason),
      h('div', { class: 'actions' },
        h('button', { testid: 'player-lock', onclick: () => void act('Lock', `${base}/lock`, {}) }, 'Lock account'),
        h('button', { testid: 'player-unlock', onclick: () => void act('Unlock', `${base}/unlock`, {}) }, 'Unlock account')),
      h('div', { class: 'actions' }, h('label', null, 'VIP tier', tier), h('button', { testid: 'player-set-vip-tier', onclick: () => void setTier() }, 'Set VIP tier')),
      h('label', null, `Manual adjustment (${ctx.currency}; negative to debit)`, amount),
      h('button', { class: 'primary', testid: 'adjust', onclick: () => void adjust() }, 'Book adjustment'),
      error),
    h('h3', null, 'Ledger'), h('div', { class: 'scroll' }, h('table', null, h('thead', null, h('tr', null, h('th', null, 'When'), h('th', null, 'Kind'), h('th', null, 'Memo'), h('th', { class: 'num' }, 'Amount'))), ledger)),
    h('h3', null, 'Stakes'), stakes,
    h('h3', null, 'Recent rounds'), rounds);

  async function load(): Promise<void> {
    let p: any;
    try {
      p = await ctx.call('GET', base);
    } catch (e) {
      mount(info, h('p', { class: 'error' }, describeError(e)));
      return;
    }
    const w = p.wallet;
    mount(info, h('h2', null, p.user.username),
      h('p', null, h('span', { class: `badge ${p.user.status === 'locked' ? 'bad-text' : 'ok-text'}`, testid: 'player-status' }, p.user.status), ` ${p.user.role} · ${p.user.userId} · since ${dateTime(p.user.createdAt)}`),
      w ? h('p', null, 'Balance ', h('strong', { testid: 'player-balance', dataset: { minor: w.balanceMinor } }, money(w.balanceMinor, w.currency)), ` · available ${money(w.availableMinor, w.currency)} · held ${money(w.heldMinor, w.currency)}`) : h('p', { class: 'muted' }, 'no wallet'));
    const pr: any = await ctx.call('GET', `${base}/profile`).catch(() => null);
    if (pr) {
      mount(profile, `Country ${pr.country ?? 'unknown'}${pr.countrySource ? ` (at ${pr.countrySource})` : ''} · VIP tier `,
        h('strong', { testid: 'player-vip', dataset: { tier: pr.vipTier ?? '' } }, pr.vipTier ?? 'none'), pr.vipTierReason ? ` (${pr.vipTierReason})` : '');
      mount(tier, h('option', { value: '', text: 'none' }), pr.vipTiers.map((t: string) => h('option', { value: t, text: t, selected: t === pr.vipTier })));
    }
    mount(ledger, p.ledger.items.map((t: any) => h('tr', null, h('td', null, dateTime(t.createdAt)), h('td', null, t.kind), h('td', { class: 'small' }, t.memo ?? t.counterparty), h('td', { class: 'num' }, money(t.amountMinor, ctx.currency)))));
    mount(stakes, p.stakes.length === 0 ? h('p', { class: 'muted' }, 'No stakes on the last page of the ledger.') : p.stakes.map((s: any) => h('div', { class: 'item' }, h('span', { class: 'small' }, s.memo ?? s.holdId), h('span', null, `${money(s.stakeMinor, ctx.currency)} · ${s.status}`))));
    mount(rounds, p.rounds.length === 0 ? h('p', { class: 'muted' }, 'No casino rounds.') : p.rounds.map((r: any) => h('div', { class: 'item' }, h('span', null, `${gameName(r.game)} ${r.roundId} → ${roundResultText(r)}`), h('span', null, `staked ${money(r.stakeMinor, ctx.currency)}, net ${money(r.netMinor, ctx.currency)}`))));
  }
  void load();
  return () => undefined;
}
